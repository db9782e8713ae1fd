"""The consent ledger rule: no portrait goes live, by any path, without a complete consent that
covers the site; expiry and withdrawal take it offline. Every test checks what the person in front
of the screen sees and what the database holds afterwards."""

import datetime
import io
import json

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from wagtail.documents.models import Document
from wagtail.models import Collection, GroupApprovalTask, Page, Revision, Workflow, WorkflowState, WorkflowTask

from home.models import CustomImage
from stories.models import CONSENT_COLLECTION_NAME, ConsentRequired, PortraitConsent, PortraitPage
from tests.editorial import messages_text, portrait_form
from tests.factories import (
    ImageFactory,
    PortraitConsentFactory,
    PortraitPageFactory,
    StandardPageFactory,
    publish_portrait,
)

TODAY = timezone.localdate
DAY = datetime.timedelta(days=1)


# --- helpers -------------------------------------------------------------------------------------


def draft_portrait(parent, **kwargs):
    """A never-published portrait with one revision, as an editor leaves it after "save draft"."""
    portrait = PortraitPageFactory(parent=parent, live=False, **kwargs)
    portrait.save_revision()
    return portrait


def edit_url(page):
    return reverse("wagtailadmin_pages:edit", args=[page.pk])


def shown_after_redirect(client, response):
    """Follow the redirect like the browser does and return the text of the admin page shown,
    messages included (which also consumes them)."""
    assert response.status_code == 302
    page = client.get(response["Location"])
    assert page.status_code == 200
    return BeautifulSoup(page.content, "html.parser").get_text(" ", strip=True)


def refreshed(page):
    return PortraitPage.objects.get(pk=page.pk)


def set_consent(portrait, **fields):
    """Change a consent behind the signal's back, as time passing does (expiry needs no save)."""
    PortraitConsent.objects.filter(portrait=portrait).update(**fields)


# --- 1. the publish button ------------------------------------------------------------------------


REFUSALS = {
    "no consent": ({}, None, "aucun consentement"),
    "minor, one guardian, photo": (
        {"age": 16},
        {"guardian_2_name": "", "guardian_2_agreed": False},
        "deux titulaires",
    ),
    "minor, no guardian": (
        {"age": 15, "photo": None, "photo_alt": ""},
        {"guardian_1_name": "", "guardian_1_agreed": False, "guardian_2_name": "", "guardian_2_agreed": False},
        "l'accord d'un titulaire",
    ),
    "expired": (
        {},
        {"given_on": datetime.date(2020, 1, 1), "expires_on": datetime.date(2023, 1, 1)},
        "a expiré le 01/01/2023",
    ),
    "not starting yet": ({}, {"given_on": TODAY() + 5 * DAY}, "ne commence que le"),
    "site not covered": ({}, {"covers_site": False, "covers_social": True}, "ne couvre pas le site"),
    "withdrawn": ({}, {"withdrawn_on": TODAY() - DAY}, "a été retiré le"),
    "subject did not agree": ({}, {"subject_agreed": False}, "l'accord de la personne"),
}


@pytest.mark.django_db
@pytest.mark.parametrize("case", list(REFUSALS))
def test_publish_button_is_refused_with_the_reason_and_keeps_the_draft(admin_client, neighbourhood, case):
    page_fields, consent_fields, expected = REFUSALS[case]
    portrait = draft_portrait(neighbourhood, **page_fields)
    if consent_fields is not None:
        PortraitConsentFactory(portrait=portrait, **consent_fields)
    revisions_before = portrait.revisions.count()

    response = admin_client.post(
        edit_url(portrait), portrait_form(portrait, title="Titre modifié", **{"action-publish": "action-publish"})
    )

    assert response.status_code == 200
    errors = response.context["form"].non_field_errors()
    assert len(errors) == 1
    assert errors[0].startswith("Ce portrait ne peut pas être publié : ")
    assert expected in errors[0]
    html = response.content.decode()
    assert expected.replace("'", "&#x27;") in html
    # What the editor typed is still in the form, ready for "Enregistrer le brouillon".
    soup = BeautifulSoup(html, "html.parser")
    assert soup.select_one("input[name=title]")["value"] == "Titre modifié"
    portrait = refreshed(portrait)
    assert not portrait.live
    assert portrait.live_revision is None
    assert portrait.revisions.count() == revisions_before
    assert not PortraitPage.objects.live().filter(pk=portrait.pk).exists()


@pytest.mark.django_db
def test_saving_a_draft_is_never_blocked_by_consent(admin_client, neighbourhood):
    portrait = draft_portrait(neighbourhood)

    response = admin_client.post(edit_url(portrait), portrait_form(portrait, title="Brouillon gardé"))

    assert response.status_code == 302
    portrait = refreshed(portrait)
    assert not portrait.live
    assert portrait.get_latest_revision().as_object().title == "Brouillon gardé"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("page_fields", "consent_fields"),
    [
        ({"age": 22}, {}),
        ({"age": 16}, {}),  # both guardians
        ({"age": 16}, {"guardian_2_name": "", "guardian_2_agreed": False, "sole_guardian": True}),
        ({"age": 16, "photo": None, "photo_alt": ""}, {"guardian_2_name": "", "guardian_2_agreed": False}),
    ],
    ids=["adult", "minor-both-guardians", "minor-sole-guardian", "minor-one-guardian-no-photo"],
)
def test_publish_button_publishes_with_a_complete_consent(admin_client, neighbourhood, page_fields, consent_fields):
    portrait = draft_portrait(neighbourhood, **page_fields)
    PortraitConsentFactory(portrait=portrait, **consent_fields)

    response = admin_client.post(
        edit_url(portrait), portrait_form(portrait, title="Version publiée", **{"action-publish": "action-publish"})
    )

    assert response.status_code == 302, response.context["form"].errors if response.context else ""
    portrait = refreshed(portrait)
    assert portrait.live
    assert portrait.title == "Version publiée"
    assert portrait.live_revision == portrait.get_latest_revision()
    assert "Version publiée" in messages_text(response)


@pytest.mark.django_db
def test_the_age_typed_in_the_form_is_what_counts(admin_client, neighbourhood):
    # The consent was recorded for an adult; the editor corrects the age to 16 in the same POST.
    portrait = draft_portrait(neighbourhood, age=22)
    PortraitConsentFactory(portrait=portrait)

    response = admin_client.post(
        edit_url(portrait), portrait_form(portrait, age=16, **{"action-publish": "action-publish"})
    )

    assert response.status_code == 200
    assert "pour un mineur" in response.context["form"].non_field_errors()[0]
    assert not refreshed(portrait).live


# --- 2. the create view ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_creating_a_portrait_with_publish_is_refused(admin_client, neighbourhood):
    image = ImageFactory()
    url = reverse("wagtailadmin_pages:add", args=["stories", "portraitpage", neighbourhood.pk])

    response = admin_client.post(
        url, portrait_form(photo=image.pk, photo_alt="Inès au fournil", **{"action-publish": "action-publish"})
    )

    assert response.status_code == 200
    assert "aucun consentement" in response.context["form"].non_field_errors()[0]
    assert "aucun consentement" in response.content.decode()
    assert not PortraitPage.objects.filter(slug="ines-boulangere").exists()
    assert not PortraitPage.objects.live().exists()

    # Without "publish", the same data is saved as a draft the coordinator can complete later.
    response = admin_client.post(url, portrait_form(photo=image.pk, photo_alt="Inès au fournil"))
    assert response.status_code == 302
    portrait = PortraitPage.objects.get(slug="ines-boulangere")
    assert not portrait.live


# --- 3. workflow approval -------------------------------------------------------------------------


def moderation_workflow(portrait, user, steps=("Relecture coordination",)):
    moderators = Group.objects.create(name="Coordination")
    workflow = Workflow.objects.create(name="Relecture des portraits")
    for order, name in enumerate(steps):
        task = GroupApprovalTask.objects.create(name=name)
        task.groups.set([moderators])
        WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=order)
    state = workflow.start(portrait, user)
    assert state.status == WorkflowState.STATUS_IN_PROGRESS
    return state


def approve_in_editor(client, portrait, **overrides):
    return client.post(
        edit_url(portrait),
        portrait_form(portrait, **{"action-workflow-action": "true", "workflow-action-name": "approve"}, **overrides),
    )


@pytest.mark.django_db
def test_approval_in_the_editor_is_refused_without_consent(admin_client, admin_user, neighbourhood):
    portrait = draft_portrait(neighbourhood, age=16)
    PortraitConsentFactory(portrait=portrait, guardian_2_name="", guardian_2_agreed=False)
    state = moderation_workflow(portrait, admin_user)

    response = admin_client.post(
        edit_url(portrait),
        portrait_form(
            portrait,
            title="Relu",
            **{"action-workflow-action": "true", "workflow-action-name": "approve"},
        ),
    )

    assert response.status_code == 200
    assert "deux titulaires" in response.context["form"].non_field_errors()[0]
    assert "deux titulaires" in response.content.decode()
    portrait = refreshed(portrait)
    assert not portrait.live
    state.refresh_from_db()
    assert state.status == WorkflowState.STATUS_IN_PROGRESS
    assert state.current_task_state.status == "in_progress"


@pytest.mark.django_db
def test_approval_from_the_workflow_action_view_is_rolled_back(admin_client, admin_user, neighbourhood):
    portrait = draft_portrait(neighbourhood)
    PortraitConsentFactory(portrait=portrait, expires_on=TODAY() - DAY, given_on=TODAY() - 400 * DAY)
    state = moderation_workflow(portrait, admin_user)
    task_state = state.current_task_state
    url = reverse("wagtailadmin_pages:workflow_action", args=[portrait.pk, "approve", task_state.pk])

    response = admin_client.post(url, {"comment": ""})

    # The middleware turns the refusal into a message on the edit screen, not an error page.
    assert response.status_code == 302
    assert response["Location"] == edit_url(portrait)
    assert "Ce portrait ne peut pas être publié" in messages_text(response)
    assert "a expiré" in messages_text(response)
    assert not refreshed(portrait).live
    state.refresh_from_db()
    task_state.refresh_from_db()
    assert state.status == WorkflowState.STATUS_IN_PROGRESS
    assert task_state.status == "in_progress"
    assert task_state.finished_by is None
    # The refusal shows on the edit screen the editor lands on.
    follow = admin_client.get(response["Location"])
    assert follow.status_code == 200


@pytest.mark.django_db
def test_approval_from_the_dashboard_modal_gets_a_redirect_to_the_editor(admin_client, admin_user, neighbourhood):
    portrait = draft_portrait(neighbourhood)
    state = moderation_workflow(portrait, admin_user)
    task_state = state.current_task_state
    url = reverse("wagtailadmin_pages:workflow_action", args=[portrait.pk, "approve", task_state.pk])

    # "Approuver avec commentaire" posts from a modal, which only understands modal-workflow JSON.
    response = admin_client.post(url, {"comment": "Vu"}, headers={"x-requested-with": "XMLHttpRequest"})

    assert response.status_code == 200
    assert response.json() == {"step": "success", "redirect": edit_url(portrait)}
    assert "aucun consentement" in shown_after_redirect(admin_client, _as_redirect(response))
    assert not refreshed(portrait).live
    task_state.refresh_from_db()
    assert task_state.status == "in_progress"
    assert task_state.comment == ""


def _as_redirect(json_response):
    """What the modal's JavaScript does with the JSON answer: go to ``redirect``."""
    from django.http import HttpResponseRedirect

    return HttpResponseRedirect(json_response.json()["redirect"])


@pytest.mark.django_db
def test_only_the_last_workflow_step_needs_the_consent(admin_client, admin_user, neighbourhood):
    portrait = draft_portrait(neighbourhood)
    state = moderation_workflow(portrait, admin_user, steps=("Relecture du texte", "Validation finale"))

    # Proofreading does not publish: it can be approved before the consent is recorded.
    response = approve_in_editor(admin_client, portrait)
    assert response.status_code == 302, response.context["form"].errors if response.context else ""
    state.refresh_from_db()
    assert state.status == WorkflowState.STATUS_IN_PROGRESS
    assert state.current_task_state.task.name == "Validation finale"
    assert not refreshed(portrait).live

    # The last step would publish: refused until the ledger has the consent.
    response = approve_in_editor(admin_client, portrait)
    assert response.status_code == 200
    assert "aucun consentement" in response.context["form"].non_field_errors()[0]
    state.refresh_from_db()
    assert state.status == WorkflowState.STATUS_IN_PROGRESS
    assert state.current_task_state.status == "in_progress"
    assert not refreshed(portrait).live

    PortraitConsentFactory(portrait=portrait)
    response = approve_in_editor(admin_client, portrait)
    assert response.status_code == 302
    state.refresh_from_db()
    assert state.status == WorkflowState.STATUS_APPROVED
    assert refreshed(portrait).live


@pytest.mark.django_db
def test_approval_publishes_when_consent_is_complete(admin_client, admin_user, neighbourhood):
    portrait = draft_portrait(neighbourhood)
    PortraitConsentFactory(portrait=portrait)
    state = moderation_workflow(portrait, admin_user)
    url = reverse("wagtailadmin_pages:workflow_action", args=[portrait.pk, "approve", state.current_task_state.pk])

    response = admin_client.post(url, {"comment": "Parfait"})

    assert response.status_code == 302
    assert "Ce portrait ne peut pas être publié" not in messages_text(response)
    assert refreshed(portrait).live
    state.refresh_from_db()
    assert state.status == WorkflowState.STATUS_APPROVED


@pytest.mark.django_db
def test_approval_in_the_editor_publishes_when_consent_is_complete(admin_client, admin_user, neighbourhood):
    portrait = draft_portrait(neighbourhood)
    PortraitConsentFactory(portrait=portrait)
    state = moderation_workflow(portrait, admin_user)

    response = admin_client.post(
        edit_url(portrait),
        portrait_form(
            portrait, title="Relu et publié", **{"action-workflow-action": "true", "workflow-action-name": "approve"}
        ),
    )

    assert response.status_code == 302
    portrait = refreshed(portrait)
    assert portrait.live
    assert portrait.title == "Relu et publié"
    state.refresh_from_db()
    assert state.status == WorkflowState.STATUS_APPROVED


# --- 4. scheduled publishing ----------------------------------------------------------------------


def schedule(page, when):
    """A revision approved to go live at ``when``, as the editor's "publish" with a date leaves it."""
    page.go_live_at = when
    revision = page.save_revision()
    Revision.objects.filter(pk=revision.pk).update(approved_go_live_at=when)
    return revision


@pytest.mark.django_db
def test_scheduled_publication_without_consent_does_not_go_live_and_others_do(neighbourhood, home_page):
    # Wagtail's publish_scheduled has no error handling: a ConsentRequired would stop the run for every
    # page queued after the portrait, on every cron run. The gate cancels that one schedule instead.
    past = timezone.now() - datetime.timedelta(hours=2)
    # The portrait was scheduled while its consent was valid; the consent has since been withdrawn.
    portrait = PortraitPageFactory(parent=neighbourhood, live=False)
    PortraitConsentFactory(portrait=portrait)
    set_consent(portrait, withdrawn_on=TODAY() - DAY)
    revision = schedule(portrait, past)
    other = StandardPageFactory(parent=home_page, title="Agenda", live=False)
    other_revision = schedule(other, past + datetime.timedelta(minutes=30))  # after the portrait in the queue

    stdout = io.StringIO()
    call_command("publish_scheduled", stdout=stdout)

    assert not refreshed(portrait).live
    revision.refresh_from_db()
    assert revision.approved_go_live_at is None  # cancelled, not retried on every run
    other.refresh_from_db()
    assert other.live
    other_revision.refresh_from_db()
    assert other_revision.approved_go_live_at is None

    # A second run (cron) is quiet and still publishes nothing.
    call_command("publish_scheduled", stdout=io.StringIO())
    assert not refreshed(portrait).live


@pytest.mark.django_db
def test_scheduled_publication_with_valid_consent_goes_live(neighbourhood):
    portrait = PortraitPageFactory(parent=neighbourhood, live=False)
    PortraitConsentFactory(portrait=portrait)
    schedule(portrait, timezone.now() - datetime.timedelta(minutes=5))

    call_command("publish_scheduled", stdout=io.StringIO())

    assert refreshed(portrait).live


@pytest.mark.django_db
def test_scheduling_after_the_consent_expiry_is_refused(admin_client, neighbourhood):
    portrait = draft_portrait(neighbourhood)
    PortraitConsentFactory(portrait=portrait, expires_on=TODAY() + 10 * DAY)
    after_expiry = timezone.localtime() + datetime.timedelta(days=20)
    before_expiry = timezone.localtime() + datetime.timedelta(days=5)

    response = admin_client.post(
        edit_url(portrait),
        portrait_form(
            portrait,
            go_live_at=after_expiry.strftime("%Y-%m-%d %H:%M"),
            **{"action-publish": "action-publish"},
        ),
    )

    assert response.status_code == 200
    error = response.context["form"].non_field_errors()[0]
    assert f"a expiré le {TODAY() + 10 * DAY:%d/%m/%Y}" in error
    portrait = refreshed(portrait)
    assert not portrait.live
    assert not portrait.revisions.filter(approved_go_live_at__isnull=False).exists()

    # The model refuses it too, whoever calls it.
    portrait.go_live_at = after_expiry
    with pytest.raises(ConsentRequired):
        portrait.save_revision().publish()
    assert not portrait.revisions.filter(approved_go_live_at__isnull=False).exists()

    # A date inside the consent's validity is accepted and scheduled, not published now.
    response = admin_client.post(
        edit_url(portrait),
        portrait_form(
            portrait,
            go_live_at=before_expiry.strftime("%Y-%m-%d %H:%M"),
            **{"action-publish": "action-publish"},
        ),
    )
    assert response.status_code == 302
    portrait = refreshed(portrait)
    assert not portrait.live
    assert portrait.revisions.filter(approved_go_live_at__isnull=False).count() == 1


# --- 5. bulk publishing ---------------------------------------------------------------------------


def bulk_publish(client, pages, include_descendants=False):
    url = reverse("wagtail_bulk_action", args=["wagtailcore", "page", "publish"])
    query = "&".join(f"id={page.pk}" for page in pages)
    data = {"include_descendants": "on"} if include_descendants else {}
    return client.post(f"{url}?{query}&next=/admin/pages/", data)


@pytest.mark.django_db
def test_bulk_publish_is_refused_for_a_portrait_without_consent(admin_client, neighbourhood):
    blocked = draft_portrait(neighbourhood, title="Sans accord")
    fine = draft_portrait(neighbourhood, title="Avec accord")
    PortraitConsentFactory(portrait=fine)

    response = bulk_publish(admin_client, [fine, blocked])

    text = shown_after_redirect(admin_client, response)
    assert "Publication refusée" in text
    assert "Sans accord" in text
    assert "Avec accord" not in text
    # All or nothing: the valid one was not published either.
    assert not refreshed(blocked).live
    assert not refreshed(fine).live

    response = bulk_publish(admin_client, [fine])
    text = shown_after_redirect(admin_client, response)
    assert "Publication refusée" not in text
    assert "1 page a été publiée" in text
    assert refreshed(fine).live


@pytest.mark.django_db
def test_bulk_publish_with_descendants_is_refused(admin_client, neighbourhood):
    neighbourhood.unpublish()
    blocked = draft_portrait(neighbourhood, title="Mineur sans parents", age=15)
    PortraitConsentFactory(portrait=blocked, guardian_1_agreed=False, guardian_2_agreed=False)

    response = bulk_publish(admin_client, [neighbourhood], include_descendants=True)

    text = shown_after_redirect(admin_client, response)
    assert "Publication refusée" in text
    assert "Mineur sans parents" in text
    assert not refreshed(blocked).live
    neighbourhood.refresh_from_db()
    assert not neighbourhood.live

    # Without descendants the neighbourhood alone can be published.
    response = bulk_publish(admin_client, [neighbourhood])
    neighbourhood.refresh_from_db()
    assert neighbourhood.live
    assert not refreshed(blocked).live


# --- 6. other paths: revision.publish, revert, copy -----------------------------------------------


@pytest.mark.django_db
def test_publishing_a_revision_directly_raises(neighbourhood):
    portrait = draft_portrait(neighbourhood)

    with pytest.raises(ConsentRequired) as raised:
        portrait.get_latest_revision().publish()

    assert raised.value.page_id == portrait.pk
    assert "aucun consentement" in raised.value.message
    assert not refreshed(portrait).live


@pytest.mark.django_db
def test_reverting_to_an_old_revision_and_publishing_is_refused(admin_client, neighbourhood):
    portrait = publish_portrait(neighbourhood, title="Première version")
    old_revision = portrait.live_revision
    portrait.title = "Deuxième version"
    portrait.save_revision().publish()
    set_consent(portrait, withdrawn_on=TODAY())
    PortraitPage.objects.filter(pk=portrait.pk).update(live=False)

    url = reverse("wagtailadmin_pages:revisions_revert", args=[portrait.pk, old_revision.pk])
    response = admin_client.post(
        url, portrait_form(portrait, title="Première version", **{"action-publish": "action-publish"})
    )

    assert response.status_code == 200
    assert "a été retiré" in response.context["form"].non_field_errors()[0]
    assert not refreshed(portrait).live


@pytest.mark.django_db
@pytest.mark.parametrize("option", ["publish_copies", "alias"])
def test_copying_a_live_portrait_never_publishes_the_copy(admin_client, neighbourhood, option):
    portrait = publish_portrait(neighbourhood, title="Original", slug="original")
    url = reverse("wagtailadmin_pages:copy", args=[portrait.pk])
    data = {"new_title": "Copie", "new_slug": "copie", "new_parent_page": neighbourhood.pk}

    response = admin_client.post(url, {**data, option: "on"})

    assert response.status_code == 302
    assert response["Location"] == url
    assert "Copie refusée" in shown_after_redirect(admin_client, response)
    assert not PortraitPage.objects.filter(slug="copie").exists()
    assert refreshed(portrait).live  # the original is untouched

    # A plain copy is allowed: it is a draft, and it has no consent of its own.
    response = admin_client.post(url, data)
    assert response.status_code == 302
    copy = PortraitPage.objects.get(slug="copie")
    assert not copy.live
    assert not PortraitConsent.objects.filter(portrait=copy).exists()


@pytest.mark.django_db
def test_copying_a_neighbourhood_with_its_portraits_cannot_publish_them(
    admin_client, neighbourhood_index, neighbourhood
):
    publish_portrait(neighbourhood, title="Dans le quartier", slug="dans-le-quartier")
    url = reverse("wagtailadmin_pages:copy", args=[neighbourhood.pk])
    data = {
        "new_title": "Quartier copié",
        "new_slug": "quartier-copie",
        "new_parent_page": neighbourhood_index.pk,
        "copy_subpages": "on",
        "publish_copies": "on",
    }

    response = admin_client.post(url, data)

    assert "Copie refusée" in shown_after_redirect(admin_client, response)
    assert not Page.objects.filter(slug="quartier-copie").exists()
    assert PortraitPage.objects.live().count() == 1


# --- 7. automatic unpublishing --------------------------------------------------------------------


@pytest.mark.django_db
def test_enforce_consents_unpublishes_expired_portraits_once(client, neighbourhood, portrait_index):
    expired = publish_portrait(neighbourhood, title="Expiré", slug="expire", first_name="Sami")
    valid = publish_portrait(neighbourhood, title="Valide", slug="valide", first_name="Lina")
    assert expired.live
    assert valid.live
    listing = BeautifulSoup(client.get("/portraits/").content, "html.parser").get_text()
    assert "Sami" in listing
    assert "Lina" in listing
    set_consent(expired, given_on=TODAY() - 800 * DAY, expires_on=TODAY() - DAY)

    # Before the cron job runs, the portrait is already gone from the site.
    assert client.get(expired.url).status_code == 404
    assert client.get(valid.url).status_code == 200
    listing = BeautifulSoup(client.get("/portraits/").content, "html.parser").get_text()
    assert "Sami" not in listing
    assert "Lina" in listing

    dry = io.StringIO()
    call_command("enforce_consents", "--dry-run", stdout=dry)
    assert "Expiré" in dry.getvalue()
    assert "1 portrait(s) à traiter" in dry.getvalue()
    assert refreshed(expired).live

    first = io.StringIO()
    call_command("enforce_consents", stdout=first)
    assert "Expiré" in first.getvalue()
    assert "portrait dépublié" in first.getvalue()
    assert "1 portrait(s) traité(s)" in first.getvalue()
    assert not refreshed(expired).live
    assert refreshed(valid).live
    assert refreshed(expired).photo_id is not None  # expiry is not a withdrawal: the photo stays

    second = io.StringIO()
    call_command("enforce_consents", stdout=second)
    assert "0 portrait(s) traité(s)" in second.getvalue()
    assert refreshed(valid).live


@pytest.mark.django_db
def test_a_withdrawal_dated_ahead_takes_effect_on_its_day_on_page_and_listing(client, neighbourhood, portrait_index):
    portrait = publish_portrait(neighbourhood, first_name="Yasmine")
    set_consent(portrait, withdrawn_on=TODAY() + DAY)
    assert client.get(portrait.url).status_code == 200
    assert "Yasmine" in BeautifulSoup(client.get("/portraits/").content, "html.parser").get_text()

    set_consent(portrait, withdrawn_on=TODAY())
    assert client.get(portrait.url).status_code == 404
    assert "Yasmine" not in BeautifulSoup(client.get("/portraits/").content, "html.parser").get_text()


@pytest.mark.django_db
def test_sitemap_drops_a_portrait_as_soon_as_its_consent_lapses(client, neighbourhood):
    lapsed = publish_portrait(neighbourhood, title="Expirée", slug="expiree")
    valid = publish_portrait(neighbourhood, title="Valide", slug="valide")
    orphan = publish_portrait(neighbourhood, title="Sans registre", slug="sans-registre")
    before = client.get("/sitemap.xml").content.decode()
    assert all(f"{page.url}</loc>" in before for page in (lapsed, valid, orphan))

    set_consent(lapsed, given_on=TODAY() - 800 * DAY, expires_on=TODAY() - DAY)
    PortraitConsent.objects.filter(portrait=orphan).delete()  # behind enforce's back: still live
    assert refreshed(orphan).live
    after = client.get("/sitemap.xml").content.decode()
    assert f"{valid.url}</loc>" in after
    assert f"{lapsed.url}</loc>" not in after
    assert f"{orphan.url}</loc>" not in after
    assert f"{neighbourhood.url}</loc>" in after


@pytest.mark.django_db
def test_enforce_consents_deletes_the_photo_of_an_offline_withdrawn_portrait(
    neighbourhood, django_capture_on_commit_callbacks
):
    # The withdrawal was recorded ahead of its date; meanwhile an editor took the portrait offline.
    portrait = publish_portrait(neighbourhood)
    set_consent(portrait, withdrawn_on=TODAY() + DAY)
    portrait.unpublish()
    image = portrait.photo
    storage, name = image.file.storage, image.file.name
    set_consent(portrait, withdrawn_on=TODAY())  # the date has come

    dry = io.StringIO()
    call_command("enforce_consents", "--dry-run", stdout=dry)
    assert "1 portrait(s) à traiter" in dry.getvalue()
    assert CustomImage.objects.filter(pk=image.pk).exists()

    out = io.StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("enforce_consents", stdout=out)

    assert "photo supprimée" in out.getvalue()
    assert not CustomImage.objects.filter(pk=image.pk).exists()
    assert not storage.exists(name)
    portrait = refreshed(portrait)
    assert portrait.photo_id is None
    assert not portrait.live
    assert all(revision.content.get("photo") is None for revision in portrait.revisions.all())
    second = io.StringIO()
    call_command("enforce_consents", stdout=second)
    assert "0 portrait(s) traité(s)" in second.getvalue()


@pytest.mark.django_db
def test_enforce_consents_cancels_scheduled_publication(neighbourhood):
    portrait = PortraitPageFactory(parent=neighbourhood, live=False)
    PortraitConsentFactory(portrait=portrait)
    revision = schedule(portrait, timezone.now() + datetime.timedelta(days=3))
    set_consent(portrait, covers_site=False)

    out = io.StringIO()
    call_command("enforce_consents", stdout=out)

    assert "publication programmée annulée" in out.getvalue()
    revision.refresh_from_db()
    assert revision.approved_go_live_at is None
    assert not refreshed(portrait).live


@pytest.mark.django_db
def test_preview_still_works_for_editors_when_consent_is_missing(admin_client, neighbourhood):
    portrait = draft_portrait(neighbourhood)
    response = admin_client.get(reverse("wagtailadmin_pages:view_draft", args=[portrait.pk]))
    assert response.status_code == 200
    assert portrait.first_name in response.content.decode()


# --- 8. withdrawal in the admin -------------------------------------------------------------------


def consent_form(consent, **overrides):
    values = {
        "portrait": consent.portrait_id,
        "subject_name": consent.subject_name,
        "subject_is_minor": "on" if consent.subject_is_minor else "",
        "subject_agreed": "on" if consent.subject_agreed else "",
        "guardian_1_name": consent.guardian_1_name,
        "guardian_1_agreed": "on" if consent.guardian_1_agreed else "",
        "guardian_2_name": consent.guardian_2_name,
        "guardian_2_agreed": "on" if consent.guardian_2_agreed else "",
        "sole_guardian": "on" if consent.sole_guardian else "",
        "covers_site": "on" if consent.covers_site else "",
        "covers_social": "on" if consent.covers_social else "",
        "covers_print": "on" if consent.covers_print else "",
        "given_on": consent.given_on.isoformat(),
        "expires_on": consent.expires_on.isoformat(),
        "withdrawn_on": consent.withdrawn_on.isoformat() if consent.withdrawn_on else "",
        "document": consent.document_id or "",
        "notes": consent.notes,
    }
    values.update(overrides)
    return values


@pytest.mark.django_db
def test_withdrawal_in_the_ledger_unpublishes_and_deletes_the_photo(
    admin_client, neighbourhood, client, django_capture_on_commit_callbacks
):
    portrait = publish_portrait(neighbourhood, age=16)
    image = portrait.photo
    rendition = image.get_rendition("fill-480x480|format-jpeg")
    storage = image.file.storage
    original_name, rendition_name = image.file.name, rendition.file.name
    assert storage.exists(original_name)
    assert storage.exists(rendition_name)
    consent = portrait.consent
    public_url = portrait.url
    assert client.get(public_url).status_code == 200

    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            reverse("consentements:edit", args=[consent.pk]), consent_form(consent, withdrawn_on=TODAY().isoformat())
        )

    assert response.status_code == 302, response.context["form"].errors if response.context else ""
    consent.refresh_from_db()
    assert consent.withdrawn_on == TODAY()
    portrait = refreshed(portrait)
    assert not portrait.live
    assert portrait.photo_id is None
    assert not CustomImage.objects.filter(pk=image.pk).exists()
    assert not type(rendition).objects.filter(pk=rendition.pk).exists()
    assert not storage.exists(original_name)
    assert not storage.exists(rendition_name)
    assert client.get(public_url).status_code == 404
    # No revision points at the deleted image any more, so none can bring back a broken photo.
    assert portrait.revisions.count() >= 1
    assert all(revision.content.get("photo") is None for revision in portrait.revisions.all())
    assert admin_client.get(edit_url(portrait)).status_code == 200


# --- 9. the consent ledger forms ------------------------------------------------------------------


@pytest.mark.django_db
def test_creating_a_consent_in_the_ledger_saves_every_field(admin_client, neighbourhood, site_tree):
    portrait = draft_portrait(neighbourhood, age=16)
    collection = Collection.objects.get(name=CONSENT_COLLECTION_NAME)
    document = Document.objects.create(
        title="Autorisation signée", collection=collection, file=ContentFile(b"%PDF-1.4 test", name="accord.pdf")
    )
    data = {
        "portrait": portrait.pk,
        "subject_name": "Inès Benali",
        "subject_is_minor": "on",
        "subject_agreed": "on",
        "guardian_1_name": "Samia Benali",
        "guardian_1_agreed": "on",
        "guardian_2_name": "Karim Benali",
        "guardian_2_agreed": "on",
        "covers_site": "on",
        "covers_social": "on",
        "given_on": "2025-01-15",
        "expires_on": "2028-01-15",
        "withdrawn_on": "",
        "document": document.pk,
        "notes": "Signé à l'antenne de quartier.",
    }

    response = admin_client.post(reverse("consentements:add"), data)

    assert response.status_code == 302, response.context["form"].errors if response.context else ""
    consent = PortraitConsent.objects.get(portrait=portrait)
    assert consent.subject_name == "Inès Benali"
    assert consent.subject_is_minor is True
    assert consent.subject_agreed is True
    assert (consent.guardian_1_name, consent.guardian_1_agreed) == ("Samia Benali", True)
    assert (consent.guardian_2_name, consent.guardian_2_agreed) == ("Karim Benali", True)
    assert consent.sole_guardian is False
    assert (consent.covers_site, consent.covers_social, consent.covers_print) == (True, True, False)
    assert consent.given_on == datetime.date(2025, 1, 15)
    assert consent.expires_on == datetime.date(2028, 1, 15)
    assert consent.withdrawn_on is None
    assert consent.document == document
    assert consent.notes == "Signé à l'antenne de quartier."
    listing = admin_client.get(reverse("consentements:index"))
    assert listing.status_code == 200
    assert "Valide" in listing.content.decode()


@pytest.mark.django_db
def test_invalid_consent_gets_french_errors_and_is_not_saved(admin_client, neighbourhood, site_tree):
    portrait = draft_portrait(neighbourhood)
    elsewhere = Document.objects.create(
        title="Mauvais endroit",
        collection=Collection.get_first_root_node(),
        file=ContentFile(b"%PDF-1.4 test", name="accord.pdf"),
    )
    data = {
        "portrait": portrait.pk,
        "subject_name": "Yanis Test",
        "subject_agreed": "on",
        "guardian_1_name": "",
        "guardian_1_agreed": "on",
        "covers_site": "on",
        "given_on": "2025-06-01",
        "expires_on": "2025-05-01",
        "document": elsewhere.pk,
    }

    response = admin_client.post(reverse("consentements:add"), data)

    assert response.status_code == 200
    errors = response.context["form"].errors
    assert errors["expires_on"] == ["La date de fin doit être après la date de signature."]
    assert errors["guardian_1_name"] == ["Indiquez le nom du parent qui a donné son accord."]
    assert errors["document"] == [
        f"Le document signé doit être dans la collection privée « {CONSENT_COLLECTION_NAME} »."
    ]
    html = response.content.decode()
    assert "La date de fin doit être après la date de signature." in html
    assert not PortraitConsent.objects.exists()


# --- 10. Open Graph -------------------------------------------------------------------------------


def og_image(client, portrait):
    response = client.get(portrait.url)
    assert response.status_code == 200
    soup = BeautifulSoup(response.content, "html.parser")
    assert soup.select_one('meta[property="og:title"]') is not None  # the head block did render
    return soup.select_one('meta[property="og:image"]')


@pytest.mark.django_db
def test_og_image_only_when_consent_covers_social_networks(client, neighbourhood):
    shared = publish_portrait(neighbourhood, title="Partagé", consent={"covers_social": True})
    not_shared = publish_portrait(neighbourhood, title="Pas partagé", consent={"covers_social": False})
    no_photo = publish_portrait(
        neighbourhood, title="Sans photo", photo=None, photo_alt="", consent={"covers_social": True}
    )

    tag = og_image(client, shared)
    assert tag["content"].startswith("http://localhost/media/images/")
    # Without the social-networks scope (or without a photo) links show the site's generic picture.
    for portrait in (not_shared, no_photo):
        tag = og_image(client, portrait)
        assert "/media/" not in tag["content"]
        assert tag["content"].endswith("og-default.png")


# --- 11. no personal data in revisions ------------------------------------------------------------


@pytest.mark.django_db
def test_consent_data_never_enters_page_revisions(admin_client, neighbourhood):
    portrait = draft_portrait(neighbourhood, age=16)
    PortraitConsentFactory(
        portrait=portrait,
        subject_name="Nom Secret",
        guardian_1_name="Parent Secret Un",
        guardian_2_name="Parent Secret Deux",
        notes="Remarque confidentielle",
    )
    response = admin_client.post(edit_url(portrait), portrait_form(portrait, **{"action-publish": "action-publish"}))
    assert response.status_code == 302
    portrait = refreshed(portrait)
    assert portrait.live

    for revision in portrait.revisions.all():
        content = json.dumps(revision.content)
        assert "consent" not in revision.content
        for secret in ("Nom Secret", "Parent Secret", "Remarque confidentielle", "subject_name", "guardian"):
            assert secret not in content
    assert "Nom Secret" not in admin_client.get(edit_url(portrait)).content.decode()


# --- 12. what editors see -------------------------------------------------------------------------


@pytest.mark.django_db
def test_editor_sees_the_consent_rule(admin_client, neighbourhood):
    portrait = draft_portrait(neighbourhood)
    response = admin_client.get(edit_url(portrait))
    assert response.status_code == 200
    assert "La publication exige un consentement complet" in response.content.decode()


@pytest.mark.django_db
def test_consent_for_another_page_is_never_reused(neighbourhood):
    # Sanity check that the refusal tests are not passing because of a gate that refuses everything.
    with_consent = publish_portrait(neighbourhood)
    without = draft_portrait(neighbourhood)
    assert with_consent.live
    with pytest.raises(ConsentRequired):
        without.get_latest_revision().publish()
    assert Page.objects.filter(pk=without.pk, live=False).exists()
