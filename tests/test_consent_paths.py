"""Consent on every path (issue 14).

1. One rule decides whether a portrait may be public; its queryset face and its in-memory face agree
   on every combination of the fields they read.
2. Every way a coordinator can try to make a portrait live without a complete consent is refused —
   the admin's forms, workflow, schedule, bulk actions, copies, revert, move, and Wagtail's admin API
   — and the portrait then shows nowhere: not its page, not /, /portraits/, its hub, search, the RSS
   feed or the sitemap, photo included.
3. Moving a portrait away and back leaves no redirect loop.
4. Uploads that used to crash or exhaust a worker get a French message and store nothing.
5. Withdrawing a consent deletes every image of the person the portrait used.
"""

import datetime
import io
import itertools
import os

import pytest
from bs4 import BeautifulSoup
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from PIL import Image as PILImage
from wagtail.contrib.redirects.models import Redirect
from wagtail.models import Collection, Page, Revision

from home.models import CustomImage
from stories.models import ConsentRequired, PortraitConsent, PortraitPage, may_be_public_filter
from tests.editorial import make_coordinator, messages_text, portrait_form
from tests.factories import (
    ImageFactory,
    NeighbourhoodPageFactory,
    PortraitConsentFactory,
    PortraitPageFactory,
    StandardPageFactory,
    publish_portrait,
)
from tests.test_consent import consent_form

TODAY = timezone.localdate
DAY = datetime.timedelta(days=1)
MARKER = "Zelinda"  # in the title, first name and slug of the portrait under attack, and of its copies


# --- 1. one rule, two faces -----------------------------------------------------------------------

# Each date boundary on both sides: today counts as valid for given_on/expires_on, as withdrawn for withdrawn_on.
DATE_STATES = list(
    itertools.product(
        ["signed today", "signed tomorrow"],
        ["expires today", "expired yesterday"],
        ["never withdrawn", "withdrawn today", "withdrawn tomorrow"],
    )
)
DATES = {
    "signed today": ("given_on", 0),
    "signed tomorrow": ("given_on", 1),
    "expires today": ("expires_on", 0),
    "expired yesterday": ("expires_on", -1),
    "never withdrawn": ("withdrawn_on", None),
    "withdrawn today": ("withdrawn_on", 0),
    "withdrawn tomorrow": ("withdrawn_on", 1),
}
FLAGS = ["covers_site", "covers_social", "subject_agreed", "subject_is_minor", "guardian_1_agreed", "guardian_2_agreed"]


def consent_states():
    for dates in DATE_STATES:
        fields = {}
        for state in dates:
            name, offset = DATES[state]
            fields[name] = None if offset is None else TODAY() + offset * DAY
        for values in itertools.product([False, True], repeat=len(FLAGS) + 1):
            yield {**fields, **dict(zip([*FLAGS, "sole_guardian"], values, strict=True))}


@pytest.mark.django_db
def test_the_queryset_and_the_in_memory_rule_agree_on_every_combination(neighbourhood):
    # Ages on both sides of 18, with and without a photo: the guardians rule depends on both.
    portraits = [
        PortraitPageFactory(parent=neighbourhood, age=age, photo=photo, photo_alt="Photo" if photo else "")
        for age, photo in itertools.product([17, 18], [ImageFactory(), None])
    ]
    for portrait in portraits:
        PortraitConsentFactory(portrait=portrait)
    without_record = PortraitPageFactory(parent=neighbourhood, age=30)
    ids = [portrait.pk for portrait in [*portraits, without_record]]
    pages = PortraitPage.objects.filter(pk__in=ids)
    outcomes = {"site": set(), "social": set()}
    checked = 0

    for state in consent_states():
        PortraitConsent.objects.filter(portrait_id__in=ids).update(**state)
        loaded = list(pages.select_related("consent").order_by("pk"))
        for scope in ("site", "social"):
            in_database = set(pages.filter(may_be_public_filter(scope=scope)).values_list("pk", flat=True))
            in_memory = {page.pk for page in loaded if page.may_be_public(scope=scope)}
            assert in_database == in_memory, (scope, state)
            outcomes[scope].add(frozenset(in_memory))
            checked += 1
    assert checked == 2 * len(DATE_STATES) * 2 ** (len(FLAGS) + 1)
    # Not a rule that says yes (or no) to everything: each portrait is public in some states and not in
    # others, and the one without a ledger record never is.
    for scope in ("site", "social"):
        public_somewhere = set().union(*outcomes[scope])
        assert public_somewhere == {portrait.pk for portrait in portraits}
        assert frozenset() in outcomes[scope]


@pytest.mark.django_db
def test_a_minor_with_one_guardian_and_a_photo_is_listed_nowhere_even_if_live(client, neighbourhood, portrait_index):
    # The state the attack left behind: live, but the guardians rule is not met. The page already
    # answered 404; the listings used a looser copy of the rule.
    portrait = PortraitPageFactory(parent=neighbourhood, age=15, title=f"{MARKER}, apprentie", first_name=MARKER)
    PortraitConsentFactory(portrait=portrait)
    # Changed without a save (saving the ledger would unpublish it at once).
    PortraitConsent.objects.filter(portrait=portrait).update(guardian_2_name="", guardian_2_agreed=False)
    PortraitPage.objects.filter(pk=portrait.pk).update(live=True)
    assert PortraitPage.objects.get(pk=portrait.pk).live
    assert_nowhere_public(client, neighbourhood, portrait.photo)

    # With the sole-guardian box ticked, the same portrait may be public: every face says so.
    PortraitConsent.objects.filter(portrait=portrait).update(sole_guardian=True)
    assert_public_everywhere(client, neighbourhood, PortraitPage.objects.get(pk=portrait.pk))


# --- what "public" means --------------------------------------------------------------------------


def public_pages(client, hub):
    """Every public answer that lists or shows portraits, as text (HTML, XML) keyed by name."""
    answers = {
        "home": client.get("/"),
        "portraits": client.get("/portraits/"),
        "hub": client.get(hub.url),
        "search": client.get("/recherche/", {"q": MARKER}),
        "feed": client.get("/portraits/flux.xml"),
        "sitemap": client.get("/sitemap.xml"),
    }
    for name, response in answers.items():
        assert response.status_code == 200, name
    return {name: response.content.decode() for name, response in answers.items()}


def photo_stem(image):
    """What every URL of the image's renditions contains: the start of its random file name (Wagtail
    shortens it to fit the filter's name in rendition file names)."""
    return os.path.splitext(os.path.basename(image.file.name))[0][:20]


def search_results(html):
    """The results of /recherche/ (the page also repeats the query, which is the marker)."""
    soup = BeautifulSoup(html, "html.parser")
    return " ".join(str(result) for result in soup.select(".search-promoted__link, .card"))


def assert_nowhere_public(client, hub, photo=None):
    """No page titled with MARKER (the portrait or any copy of it) is live and allowed, none answers,
    and no public list, feed or sitemap shows its name, its address or its photo."""
    client.logout()
    for page in Page.objects.filter(title__contains=MARKER):
        assert client.get(page.url).status_code == 404, page.url
    assert not PortraitPage.listing_queryset().filter(title__contains=MARKER).exists()
    for name, text in public_pages(client, hub).items():
        if name == "search":
            text = search_results(text)
        assert MARKER not in text, name
        assert MARKER.lower() not in text, name  # slugs, in the sitemap and links
        if photo is not None:
            assert photo_stem(photo) not in text, name


def assert_public_everywhere(client, hub, portrait):
    """The control: the same checks do see a portrait that may be public."""
    client.logout()
    assert client.get(portrait.url).status_code == 200
    shown = public_pages(client, hub)
    shown["search"] = search_results(shown["search"])
    for name in ("home", "portraits", "hub", "search", "feed"):
        assert MARKER in shown[name], name
    assert f"{portrait.url}</loc>" in shown["sitemap"]
    for name in ("home", "portraits", "hub", "search"):
        assert photo_stem(portrait.photo) in shown[name], name


# --- 2. every path --------------------------------------------------------------------------------


@pytest.fixture
def attack(client, neighbourhood, portrait_index, neighbourhood_index):
    """A coordinator's session and a 15-year-old's draft portrait with a photo and only one of two
    guardians' agreement: the case the issue found listed everywhere."""
    coordinator = make_coordinator()
    client.force_login(coordinator)
    portrait = PortraitPageFactory(
        parent=neighbourhood,
        live=False,
        age=15,
        title=f"{MARKER}, apprentie",
        slug=f"{MARKER.lower()}-apprentie",
        first_name=MARKER,
    )
    PortraitConsentFactory(portrait=portrait, guardian_2_name="", guardian_2_agreed=False)
    portrait.save_revision(user=coordinator)
    other_hub = NeighbourhoodPageFactory(parent=neighbourhood_index, title="Bellevue", slug="bellevue")
    return {
        "client": client,
        "user": coordinator,
        "hub": neighbourhood,
        "other_hub": other_hub,
        "portrait": PortraitPage.objects.get(pk=portrait.pk),
    }


def edit_url(page):
    return reverse("wagtailadmin_pages:edit", args=[page.pk])


def api_action(client, page, action, **data):
    return client.post(f"/admin/api/main/pages/{page.pk}/action/{action}/", data, content_type="application/json")


def refused_by_api(response):
    assert response.status_code == 400, response.content[:500]
    assert response.json()["message"].startswith("Ce portrait ne peut pas être publié : ")
    return response.json()["message"]


def form_refusal(response):
    assert response.status_code == 200
    return response.context["form"].non_field_errors()[0]


def start_review(page, user):
    workflow = page.get_workflow()
    return workflow.start(page, user)


def path_edit_form(a):
    p = a["portrait"]
    response = a["client"].post(edit_url(p), portrait_form(p, **{"action-publish": "action-publish"}))
    assert "deux titulaires" in form_refusal(response)


def path_create_form(a):
    url = reverse("wagtailadmin_pages:add", args=["stories", "portraitpage", a["hub"].pk])
    data = portrait_form(
        title=f"{MARKER} bis", slug=f"{MARKER.lower()}-bis", first_name=MARKER, **{"action-publish": "action-publish"}
    )
    assert "aucun consentement" in form_refusal(a["client"].post(url, data))
    assert not Page.objects.filter(slug=f"{MARKER.lower()}-bis").exists()


def path_workflow_approval_in_editor(a):
    p = a["portrait"]
    start_review(p, a["user"])
    data = portrait_form(p, **{"action-workflow-action": "true", "workflow-action-name": "approve"})
    assert "deux titulaires" in form_refusal(a["client"].post(edit_url(p), data))


def path_workflow_action_view(a):
    p = a["portrait"]
    state = start_review(p, a["user"])
    url = reverse("wagtailadmin_pages:workflow_action", args=[p.pk, "approve", state.current_task_state.pk])
    response = a["client"].post(url, {"comment": ""})
    assert response.status_code == 302
    assert "deux titulaires" in messages_text(response)


def path_workflow_dashboard_modal(a):
    p = a["portrait"]
    state = start_review(p, a["user"])
    url = reverse("wagtailadmin_pages:workflow_action", args=[p.pk, "approve", state.current_task_state.pk])
    response = a["client"].post(url, {"comment": "ok"}, headers={"x-requested-with": "XMLHttpRequest"})
    assert response.json() == {"step": "success", "redirect": edit_url(p)}


def path_schedule_in_editor(a):
    p = a["portrait"]
    later = (timezone.localtime() + datetime.timedelta(days=2)).strftime("%Y-%m-%d %H:%M")
    data = portrait_form(p, go_live_at=later, **{"action-publish": "action-publish"})
    assert "deux titulaires" in form_refusal(a["client"].post(edit_url(p), data))
    assert not Revision.objects.filter(object_id=str(p.pk), approved_go_live_at__isnull=False).exists()


def path_publish_scheduled(a):
    # A schedule approved while the consent was complete; the second guardian's agreement was then
    # withdrawn from the record. The cron command cancels it and goes on with the other pages.
    p = a["portrait"]
    PortraitConsent.objects.filter(portrait=p).update(guardian_2_name="Parent Deux", guardian_2_agreed=True)
    p.go_live_at = timezone.now() + datetime.timedelta(minutes=5)
    p.save_revision(user=a["user"]).publish(user=a["user"])
    revision = Revision.objects.get(object_id=str(p.pk), approved_go_live_at__isnull=False)
    PortraitConsent.objects.filter(portrait=p).update(guardian_2_name="", guardian_2_agreed=False)
    other = StandardPageFactory(parent=a["hub"].get_parent().get_parent(), title="Agenda", live=False)
    other.go_live_at = timezone.now() - datetime.timedelta(minutes=1)
    other_revision = other.save_revision()
    Revision.objects.filter(pk=other_revision.pk).update(approved_go_live_at=other.go_live_at)
    Revision.objects.filter(pk=revision.pk).update(approved_go_live_at=timezone.now() - datetime.timedelta(hours=1))

    call_command("publish_scheduled", stdout=io.StringIO())

    revision.refresh_from_db()
    assert revision.approved_go_live_at is None
    assert Page.objects.get(pk=other.pk).live


def path_bulk_publish(a):
    url = reverse("wagtail_bulk_action", args=["wagtailcore", "page", "publish"])
    response = a["client"].post(f"{url}?id={a['portrait'].pk}&next=/admin/pages/", {})
    assert response.status_code == 302
    assert "Publication refusée" in messages_text(response)


def path_bulk_publish_with_descendants(a):
    url = reverse("wagtail_bulk_action", args=["wagtailcore", "page", "publish"])
    response = a["client"].post(f"{url}?id={a['hub'].pk}&next=/admin/pages/", {"include_descendants": "on"})
    assert response.status_code == 302
    assert "Publication refusée" in messages_text(response)


def path_model_publish(a):
    with pytest.raises(ConsentRequired):
        a["portrait"].get_latest_revision().publish(user=a["user"])


def path_revert_in_editor(a):
    p = a["portrait"]
    old = p.get_latest_revision()
    p.save_revision(user=a["user"])
    url = reverse("wagtailadmin_pages:revisions_revert", args=[p.pk, old.pk])
    assert "deux titulaires" in form_refusal(
        a["client"].post(url, portrait_form(p, **{"action-publish": "action-publish"}))
    )


def _copy_form(a, **options):
    url = reverse("wagtailadmin_pages:copy", args=[a["portrait"].pk])
    data = {"new_title": f"{MARKER} copie", "new_slug": f"{MARKER.lower()}-copie", "new_parent_page": a["hub"].pk}
    response = a["client"].post(url, {**data, **options})
    assert response.status_code == 302
    assert "Copie refusée" in messages_text(response)


def path_copy_and_publish(a):
    _copy_form(a, publish_copies="on")


def path_copy_as_alias(a):
    _copy_form(a, alias="on")


def path_copy_hub_with_portraits(a):
    url = reverse("wagtailadmin_pages:copy", args=[a["hub"].pk])
    data = {
        "new_title": "Quartier copié",
        "new_slug": "quartier-copie",
        "new_parent_page": a["hub"].get_parent().pk,
        "copy_subpages": "on",
        "publish_copies": "on",
    }
    response = a["client"].post(url, data)
    assert "Copie refusée" in messages_text(response)
    assert not Page.objects.filter(slug="quartier-copie").exists()


def path_move(a):
    # Moving is allowed (it does not publish); the portrait stays a draft in its new hub.
    url = reverse("wagtailadmin_pages:move_confirm", args=[a["portrait"].pk, a["other_hub"].pk])
    assert a["client"].post(url).status_code == 302
    moved = PortraitPage.objects.get(pk=a["portrait"].pk)
    assert moved.get_parent().pk == a["other_hub"].pk


def path_api_publish(a):
    assert "deux titulaires" in refused_by_api(api_action(a["client"], a["portrait"], "publish"))


def path_api_publish_a_scheduled_revision(a):
    p = a["portrait"]
    p.go_live_at = timezone.now() + datetime.timedelta(days=2)
    p.save_revision(user=a["user"])
    assert "deux titulaires" in refused_by_api(api_action(a["client"], p, "publish"))
    assert not Revision.objects.filter(object_id=str(p.pk), approved_go_live_at__isnull=False).exists()


def path_api_copy_keep_live(a):
    # keep_live copies the original's live state: the original was published with a complete consent,
    # then the second guardian's agreement lapsed (changed without a save, as time passing does) and
    # the original is still live until enforce_consents runs. The copy would have no consent at all.
    p = a["portrait"]
    PortraitConsent.objects.filter(portrait=p).update(guardian_2_name="Parent Deux", guardian_2_agreed=True)
    p.get_latest_revision().publish(user=a["user"])
    PortraitConsent.objects.filter(portrait=p).update(guardian_2_name="", guardian_2_agreed=False)
    pages_before = Page.objects.count()
    response = api_action(a["client"], p, "copy", keep_live=True, slug=f"{MARKER.lower()}-copie", title=f"{MARKER} 2")
    assert "aucun consentement" in refused_by_api(response)
    assert Page.objects.count() == pages_before
    # What the cron job does next; the original was live before the attack, the copy never existed.
    call_command("enforce_consents", stdout=io.StringIO())


def path_api_copy_hub_recursively(a):
    publish_portrait(a["hub"], title="Voisine", slug="voisine")
    pages_before = Page.objects.count()
    response = api_action(a["client"], a["hub"], "copy", recursive=True, keep_live=True, slug="quartier-copie")
    refused_by_api(response)
    # One transaction: not even the hub's copy was left behind, and the tree is sound.
    assert Page.objects.count() == pages_before
    assert not Page.objects.filter(slug="quartier-copie").exists()
    assert all(not problems for problems in Page.find_problems())


def path_api_alias_then_convert(a):
    p = a["portrait"]
    response = api_action(a["client"], p, "create_alias", update_slug=f"{MARKER.lower()}-alias")
    assert "alias de portrait" in refused_by_api(response)
    assert not Page.objects.filter(alias_of=p).exists()
    # An alias made before the guard existed (written directly), converted through the API.
    alias = PortraitPageFactory(
        parent=a["hub"], live=True, age=15, title=f"{MARKER} alias", slug=f"{MARKER.lower()}-alias", first_name=MARKER
    )
    Page.objects.filter(pk=alias.pk).update(alias_of=p)
    assert "aucun consentement" in refused_by_api(api_action(a["client"], alias, "convert_alias"))
    assert Page.objects.get(pk=alias.pk).alias_of_id == p.pk  # rolled back
    # The old alias was live before the attack (and answered 404: no consent of its own).
    assert a["client"].get(alias.url).status_code == 404
    PortraitPage.objects.filter(pk=alias.pk).update(live=False)


def path_api_revert_then_publish(a):
    p = a["portrait"]
    old = p.get_latest_revision()
    p.title = f"{MARKER}, version 2"
    p.save_revision(user=a["user"])
    response = api_action(a["client"], p, "revert_to_page_revision", revision_id=old.pk)
    assert response.status_code == 200  # reverting makes a draft, which is allowed
    assert "deux titulaires" in refused_by_api(api_action(a["client"], p, "publish"))


PATHS = {
    "edit form « Publier »": path_edit_form,
    "create form « Publier »": path_create_form,
    "workflow approval in the editor": path_workflow_approval_in_editor,
    "workflow approval view": path_workflow_action_view,
    "workflow approval from the dashboard modal": path_workflow_dashboard_modal,
    "scheduling in the editor": path_schedule_in_editor,
    "publish_scheduled after the consent changed": path_publish_scheduled,
    "bulk publish": path_bulk_publish,
    "bulk publish with descendants": path_bulk_publish_with_descendants,
    "revision.publish() in code": path_model_publish,
    "revert and publish in the editor": path_revert_in_editor,
    "copy with « Publier la copie »": path_copy_and_publish,
    "copy as an alias": path_copy_as_alias,
    "copy a hub with its portraits, published": path_copy_hub_with_portraits,
    "move to another hub": path_move,
    "admin API: publish": path_api_publish,
    "admin API: publish a scheduled revision": path_api_publish_a_scheduled_revision,
    "admin API: copy with keep_live": path_api_copy_keep_live,
    "admin API: copy a hub recursively with keep_live": path_api_copy_hub_recursively,
    "admin API: create_alias then convert_alias": path_api_alias_then_convert,
    "admin API: revert_to_page_revision then publish": path_api_revert_then_publish,
}


@pytest.mark.django_db
@pytest.mark.parametrize("path", list(PATHS))
def test_no_path_makes_a_portrait_public_without_complete_consent(attack, path):
    photo = attack["portrait"].photo
    PATHS[path](attack)
    assert not PortraitPage.objects.filter(title__contains=MARKER, live=True).exists()
    assert_nowhere_public(attack["client"], attack["hub"], photo)
    # Both hubs: a move or a copy may have taken it elsewhere.
    assert_nowhere_public(attack["client"], attack["other_hub"], photo)


@pytest.mark.django_db
def test_the_admin_api_publishes_a_portrait_whose_consent_is_complete(attack):
    # The control for the paths above: the same API and the same checks, with the second guardian's
    # agreement recorded.
    p = attack["portrait"]
    PortraitConsent.objects.filter(portrait=p).update(guardian_2_name="Parent Deux", guardian_2_agreed=True)
    response = api_action(attack["client"], p, "publish")
    assert response.status_code == 200, response.content[:500]
    portrait = PortraitPage.objects.get(pk=p.pk)
    assert portrait.live
    assert_public_everywhere(attack["client"], attack["hub"], portrait)


@pytest.mark.django_db
def test_drafts_moves_and_unpublishing_of_a_lapsed_live_portrait_stay_possible(attack):
    # The guard refuses going live, not the work around it: a live portrait whose consent lapsed can
    # still be edited as a draft, moved and unpublished.
    p = attack["portrait"]
    PortraitPage.objects.filter(pk=p.pk).update(live=True)
    p = PortraitPage.objects.get(pk=p.pk)
    p.job_title = "Boulangère"
    p.save_revision(user=attack["user"])
    url = reverse("wagtailadmin_pages:move_confirm", args=[p.pk, attack["other_hub"].pk])
    assert attack["client"].post(url).status_code == 302
    p = PortraitPage.objects.get(pk=p.pk)
    assert p.get_parent().pk == attack["other_hub"].pk
    assert p.live
    assert_nowhere_public(attack["client"], attack["other_hub"], p.photo)
    p.unpublish()
    assert not PortraitPage.objects.get(pk=p.pk).live


# --- 3. redirects ---------------------------------------------------------------------------------


def follow(client, url, limit=5):
    """(final status, addresses visited), following at most ``limit`` redirects."""
    visited = [url]
    for _ in range(limit):
        response = client.get(url)
        if response.status_code not in (301, 302):
            return response.status_code, visited
        url = response["Location"]
        visited.append(url)
    pytest.fail(f"redirect loop: {visited}")


@pytest.mark.django_db
def test_a_portrait_moved_away_and_back_has_no_redirect_loop(admin_client, client, neighbourhood, neighbourhood_index):
    other = NeighbourhoodPageFactory(parent=neighbourhood_index, title="Bellevue", slug="bellevue")
    portrait = publish_portrait(neighbourhood, title="Ines", slug="ines")
    home_url = portrait.url
    for target in (other, neighbourhood):
        response = admin_client.post(reverse("wagtailadmin_pages:move_confirm", args=[portrait.pk, target.pk]))
        assert response.status_code == 302
    portrait = PortraitPage.objects.get(pk=portrait.pk)
    away_url = "/quartiers/bellevue/ines/"
    assert portrait.url == home_url

    # No redirect starts where the portrait lives; the one from where it went stays.
    assert not Redirect.objects.filter(old_path=home_url.rstrip("/")).exists()
    assert Redirect.objects.filter(old_path=away_url.rstrip("/"), redirect_page=portrait).exists()
    assert follow(client, home_url) == (200, [home_url])
    assert follow(client, away_url) == (200, [away_url, home_url])

    # The day the page answers 404 (consent lapsed), both addresses say so, once.
    PortraitConsent.objects.filter(portrait=portrait).update(expires_on=TODAY() - DAY, given_on=TODAY() - 400 * DAY)
    assert follow(client, home_url) == (404, [home_url])
    assert follow(client, away_url) == (404, [away_url])


@pytest.mark.django_db
def test_an_old_self_redirect_never_loops(client, neighbourhood):
    # Made before the move clean-up existed (or by hand): a redirect from the page's own address.
    portrait = publish_portrait(neighbourhood, title="Ines", slug="ines")
    Redirect.objects.create(old_path=portrait.url.rstrip("/"), redirect_page=portrait)
    assert follow(client, portrait.url) == (200, [portrait.url])
    PortraitPage.objects.get(pk=portrait.pk).unpublish()
    assert follow(client, portrait.url) == (404, [portrait.url])


# --- 4. uploads -----------------------------------------------------------------------------------


POLYGLOT = b"GIF89a/*<html><body><script>alert(document.domain)</script></body></html>*/=1;"


def animated_gif(frames, size):
    # Two alternating frames of different colours: Pillow merges identical frames into a longer one.
    images = []
    for colour in (1, 2):
        image = PILImage.new("P", size, colour)
        image.putpalette([0, 0, 0, 200, 30, 30, 30, 30, 200])
        images.append(image)
    buffer = io.BytesIO()
    images[0].save(
        buffer, format="GIF", save_all=True, append_images=[images[n % 2] for n in range(1, frames)], duration=40
    )
    with PILImage.open(buffer) as written:
        assert written.n_frames == frames
    return buffer.getvalue()


def stored_files():
    root = CustomImage._meta.get_field("file").storage.path("original_images")
    return set(os.listdir(root)) if os.path.isdir(root) else set()


def upload_single(client, name, data):
    return client.post(
        reverse("wagtailimages:add"),
        {
            "title": "Envoi",
            "file": SimpleUploadedFile(name, data, content_type="image/gif"),
            "collection": Collection.get_first_root_node().pk,
        },
    )


def upload_multiple(client, name, data):
    return client.post(
        reverse("wagtailimages:add_multiple"),
        {"files[]": SimpleUploadedFile(name, data, content_type="image/gif")},
        headers={"x-requested-with": "XMLHttpRequest"},
    )


def upload_error(view, response):
    assert response.status_code == 200
    if view == "single":
        return " ".join(response.context["form"].errors["file"])
    assert response.json()["success"] is False
    return response.json()["error_message"]


@pytest.fixture
def uploader(client, site_tree):
    client.force_login(make_coordinator())
    return client


UPLOAD_VIEWS = {"single": upload_single, "multiple": upload_multiple}


@pytest.mark.django_db
@pytest.mark.parametrize("view", list(UPLOAD_VIEWS))
def test_a_gif_html_polyglot_gets_a_french_message(uploader, view):
    files_before, images_before = stored_files(), CustomImage.objects.count()

    response = UPLOAD_VIEWS[view](uploader, "photo.gif", POLYGLOT)

    assert upload_error(view, response).startswith("Ce fichier ne peut pas être lu comme une image.")
    assert CustomImage.objects.count() == images_before
    assert stored_files() == files_before


@pytest.mark.django_db
@pytest.mark.parametrize("view", list(UPLOAD_VIEWS))
def test_a_huge_animation_is_refused_before_its_frames_are_decoded(uploader, view):
    data = animated_gif(100, (2000, 2000))
    assert len(data) < 1_000_000  # a small file: the weight is in the decoded frames
    files_before, images_before = stored_files(), CustomImage.objects.count()

    response = UPLOAD_VIEWS[view](uploader, "animation.gif", data)

    message = upload_error(view, response)
    assert message.startswith("Cette image est trop grande pour être traitée : une animation de 100 images")
    assert "soit 400\xa0000\xa0000 pixels, pour 40\xa0000\xa0000 au maximum" in message
    assert "le nombre d'images de l'animation" in message
    assert CustomImage.objects.count() == images_before
    assert stored_files() == files_before


@pytest.mark.django_db
def test_a_small_animation_is_still_accepted(uploader):
    response = upload_single(uploader, "bonjour.gif", animated_gif(5, (40, 30)))
    assert response.status_code == 302, response.context["form"].errors if response.context else ""
    image = CustomImage.objects.get(title="Envoi")
    assert (image.width, image.height) == (40, 30)
    with image.open_file() as stored, PILImage.open(stored) as reopened:
        assert reopened.n_frames == 5


# --- 5. withdrawal deletes every image of the person -----------------------------------------------


def figure(image, caption):
    return ("figure", {"image": {"image": image, "alt_text": caption, "decorative": False}, "caption": caption})


def files_of(image):
    """The stored original and every rendition file of ``image``."""
    storage = image.file.storage
    return storage, [image.file.name, *(rendition.file.name for rendition in image.renditions.all())]


@pytest.mark.django_db
def test_withdrawal_deletes_every_exclusive_image_of_the_person(
    admin_client, neighbourhood, home_page, portrait_index, django_capture_on_commit_callbacks
):
    visitor = Client()
    photo, exclusive, shared, in_a_draft = (
        ImageFactory(title=title) for title in ("Photo", "Atelier", "Local", "Brouillon")
    )
    other_page = StandardPageFactory(
        parent=home_page, title="Le local", slug="le-local", body=[figure(shared, "Le local du quartier")]
    )
    portrait = publish_portrait(
        neighbourhood,
        title="Sarah",
        slug="sarah",
        first_name="Sarah",
        photo=photo,
        body=[
            ("paragraph", "<p>Mon histoire.</p>"),
            figure(exclusive, "Sarah à l'atelier"),
            figure(shared, "Le local où Sarah a été accueillie"),
        ],
    )
    # A later draft placed another photo of her in a paragraph.
    draft = PortraitPage.objects.get(pk=portrait.pk)
    draft.body = [
        *[(child.block_type, child.value) for child in draft.body],
        ("paragraph", f'<p>Avant : <embed embedtype="image" id="{in_a_draft.pk}" format="fullwidth" alt="Sarah"/></p>'),
    ]
    draft.save_revision()
    # Renditions exist because visitors saw the page (the figure block alone makes 9).
    assert visitor.get(portrait.url).status_code == 200
    assert visitor.get(other_page.url).status_code == 200
    in_a_draft.get_rendition("width-800|format-webp")
    assert exclusive.renditions.count() == 9
    gone = {image.pk: files_of(image) for image in (photo, exclusive, in_a_draft)}
    storage, shared_files = files_of(shared)
    assert all(storage.exists(name) for _storage, names in gone.values() for name in names)

    consent = portrait.consent
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            reverse("consentements:edit", args=[consent.pk]), consent_form(consent, withdrawn_on=TODAY().isoformat())
        )
    assert response.status_code == 302, response.context["form"].errors if response.context else ""

    # The three images of her are gone, with every file; the one the other live page shows stays.
    assert not CustomImage.objects.filter(pk__in=gone).exists()
    for image_storage, names in gone.values():
        assert not any(image_storage.exists(name) for name in names), names
    assert CustomImage.objects.filter(pk=shared.pk).exists()
    assert all(storage.exists(name) for name in shared_files)
    # Nothing public shows them.
    assert visitor.get(portrait.url).status_code == 404
    for url in ("/", "/portraits/", neighbourhood.url, other_page.url):
        response = visitor.get(url)
        assert response.status_code == 200
        text = response.content.decode()
        for _storage, names in gone.values():
            assert not any(os.path.splitext(os.path.basename(name))[0][:20] in text for name in names), url
    assert photo_stem(shared) in visitor.get(other_page.url).content.decode()
    # The portrait and every revision lost them, so none can bring back a missing image.
    portrait = PortraitPage.objects.get(pk=portrait.pk)
    assert portrait.photo_id is None
    assert [child.block_type for child in portrait.body] == ["paragraph", "figure"]
    deleted = {str(pk) for pk in gone}
    for revision in portrait.revisions.all():
        assert revision.content.get("photo") is None
        version = revision.as_object()
        for child in version.body:
            if child.block_type == "figure":
                assert child.value["image"] is not None
                assert str(child.value["image"].pk) not in deleted
            if child.block_type == "paragraph":
                assert "embed" not in child.value.source
    assert admin_client.get(edit_url(portrait)).status_code == 200
    for revision in portrait.revisions.all():
        url = reverse("wagtailadmin_pages:revisions_revert", args=[portrait.pk, revision.pk])
        assert admin_client.get(url).status_code == 200
    # Running the cron job afterwards finds nothing left to do.
    out = io.StringIO()
    call_command("enforce_consents", stdout=out)
    assert "0 portrait(s) traité(s)" in out.getvalue()
