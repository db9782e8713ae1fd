"""The companies' event proposal form: a draft in moderation, never a published page."""

import datetime
import json

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.core.cache import cache
from django.core.mail.backends.base import BaseEmailBackend
from django.urls import reverse
from django.utils import timezone
from wagtail.models import WorkflowState

from events.models import EventIndexPage, EventKind, EventPage, EventProposal
from events.proposals import clean_description
from stories.site_structure import COORDINATORS_GROUP
from tests.factories import UserFactory

URL = "/evenements/proposer/"
PARIS = timezone.get_default_timezone()


@pytest.fixture(autouse=True)
def fresh_cache():
    # The rate limit lives in the cache: each test starts with clean counters.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def index(site_tree):
    return EventIndexPage.objects.get()


@pytest.fixture
def coordinator(site_tree):
    user = UserFactory(username="coordo", email="coordo@example.org")
    user.groups.add(Group.objects.get(name=COORDINATORS_GROUP))
    inactive = UserFactory(username="ancienne", email="ancienne@example.org", is_active=False)
    inactive.groups.add(Group.objects.get(name=COORDINATORS_GROUP))
    return user


def event_date(days=12):
    return timezone.localdate() + datetime.timedelta(days=days)


def valid_data(**overrides):
    day = event_date()
    data = {
        "company_name": "Logistique du Port (fictive)",
        "contact_name": "Nadia Contact-Secret",
        "contact_email": "nadia.secret@logistique.example",
        "contact_phone": "04 91 00 11 22",
        "title": "Job dating de la logistique",
        "kind": EventKind.JOB_DATING,
        "start_date": day.isoformat(),
        "start_time": "09:30",
        "end_date": "",
        "end_time": "12:00",
        "venue": "Entrepôt du Port (fictif)",
        "address": "1 rue de l'Exemple",
        "postal_code": "13015",
        "commune": "Marseille 15e",
        "neighbourhood": "territoire",
        "summary": "Rencontrez nos équipes et décrochez une alternance en logistique.",
        "description": "<p>Venez avec <strong>votre CV</strong>.</p>",
        "hiring_for": "6 alternances de cariste",
        "notice_accepted": "on",
        "site_web": "",
    }
    data.update(overrides)
    return data


@pytest.mark.django_db
def test_form_is_in_french_and_linked_from_the_events_page(client, index):
    response = client.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Proposer un événement" in html
    assert "rien n'est publié avant son accord" in html
    assert 'type="date"' in html
    assert 'type="time"' in html
    assert 'class="hp" aria-hidden="true"' in html
    assert 'href="/evenements/proposer/"' in client.get("/evenements/").content.decode()


@pytest.mark.django_db
def test_a_valid_proposal_becomes_a_draft_in_moderation(client, index, coordinator, settings):
    settings.COORDINATORS_EMAIL = "equipe@impact-jeunes.example"
    settings.WAGTAILADMIN_BASE_URL = "https://admin.impact-jeunes.example"
    response = client.post(URL, valid_data())
    assert response.status_code == 302
    assert response.url == "/evenements/proposer/?merci=1"
    thanks = client.get(response.url).content.decode()
    assert "Merci, votre proposition est bien arrivée" in thanks
    assert "Rien n'est publié sur le site avant son accord" in thanks

    page = EventPage.objects.get()
    assert page.get_parent().specific == index
    assert not page.live
    assert page.first_published_at is None
    assert page.slug == "job-dating-de-la-logistique"
    assert page.title == "Job dating de la logistique"
    assert page.kind == EventKind.JOB_DATING
    assert page.start_at == datetime.datetime.combine(event_date(), datetime.time(9, 30), tzinfo=PARIS)
    assert page.end_at == datetime.datetime.combine(event_date(), datetime.time(12, 0), tzinfo=PARIS)
    assert timezone.localtime(page.start_at).strftime("%H:%M") == "09:30"
    assert (page.venue, page.postal_code, page.commune) == ("Entrepôt du Port (fictif)", "13015", "Marseille 15e")
    assert page.registration_enabled is False
    assert [block.block_type for block in page.body] == ["paragraph"]
    body = page.body[0].value.source
    assert "<strong>votre CV</strong>" in body
    assert "6 alternances de cariste" in body

    assert page.workflow_in_progress
    state = WorkflowState.objects.for_instance(page).get()
    assert state.status == WorkflowState.STATUS_IN_PROGRESS

    proposal = EventProposal.objects.get()
    assert proposal.event_id == page.pk
    assert proposal.company_name == "Logistique du Port (fictive)"
    assert proposal.contact_name == "Nadia Contact-Secret"
    assert proposal.contact_email == "nadia.secret@logistique.example"
    assert proposal.contact_phone == "04 91 00 11 22"

    revision = page.latest_revision
    content = json.dumps(revision.content, ensure_ascii=False)
    for secret in ("Nadia Contact-Secret", "nadia.secret@logistique.example", "04 91 00 11 22"):
        assert secret not in content

    ours = [m for m in mail.outbox if "Proposition d'événement" in m.subject]
    assert len(ours) == 1
    message = ours[0]
    assert set(message.to) == {"coordo@example.org", "equipe@impact-jeunes.example"}
    assert message.reply_to == ["nadia.secret@logistique.example"]
    edit_url = "https://admin.impact-jeunes.example" + reverse("wagtailadmin_pages:edit", args=[page.pk])
    assert edit_url in message.body
    assert "Logistique du Port (fictive)" in message.body

    assert client.get(f"/evenements/{page.slug}/").status_code == 404
    assert "Job dating de la logistique" not in client.get("/").content.decode()
    listing = client.get("/evenements/").content.decode()
    assert "Job dating de la logistique" not in listing


@pytest.mark.django_db
def test_slugs_stay_unique_and_avoid_the_index_routes(client, index):
    client.post(URL, valid_data())
    client.post(URL, valid_data())
    client.post(URL, valid_data(title="Archives"))
    slugs = set(EventPage.objects.values_list("slug", flat=True))
    assert slugs == {"job-dating-de-la-logistique", "job-dating-de-la-logistique-2", "archives-2"}


@pytest.mark.parametrize(
    ("dirty", "forbidden"),
    [
        ('<p>Bonjour</p><script>alert("x")</script>', ["<script", "alert("]),
        ('<p onclick="steal()">Bonjour</p>', ["onclick", "steal"]),
        ('<p><a href="javascript:alert(1)">lien</a></p>', ["javascript:"]),
        ('<p>Bonjour<img src="x" onerror="alert(1)"></p>', ["<img", "onerror"]),
        ('<div style="color:red"><h1>Titre</h1><span>Bonjour</span></div>', ["<div", "<h1", "style", "<span"]),
    ],
)
def test_pasted_html_is_cleaned(dirty, forbidden):
    cleaned = clean_description(dirty)
    for fragment in forbidden:
        assert fragment not in cleaned
    assert "Bonjour" in cleaned or "lien" in cleaned


def test_allowed_tags_are_kept_and_links_made_safe():
    html = (
        "<p>Un <strong>forum</strong> <em>ouvert</em><br>à tous</p>"
        "<ul><li>CV</li></ul><ol><li>Entretien</li></ol>"
        '<p><a href="https://example.org/offres" target="_blank" title="x">Nos offres</a></p>'
    )
    cleaned = clean_description(html)
    for fragment in ("<strong>forum</strong>", "<em>ouvert</em>", "<br>", "<ul><li>CV</li></ul>", "<ol>"):
        assert fragment in cleaned
    assert '<a href="https://example.org/offres" rel="noopener noreferrer">Nos offres</a>' in cleaned


def test_plain_text_becomes_paragraphs():
    cleaned = clean_description("Première ligne\nsuite\n\nDeuxième paragraphe & <3")
    assert cleaned.startswith("<p>Première ligne<br>suite</p>")
    assert "<p>Deuxième paragraphe &amp; &lt;3</p>" in cleaned


@pytest.mark.django_db
def test_dirty_description_is_stored_clean(client, index):
    description = '<p onclick="x()">Salut<script>alert(1)</script> <a href="javascript:alert(1)">ici</a></p>'
    client.post(URL, valid_data(description=description))
    source = EventPage.objects.get().body[0].value.source
    for fragment in ("script", "onclick", "javascript"):
        assert fragment not in source
    assert "Salut" in source


@pytest.mark.django_db
def test_errors_are_in_french_and_the_typed_data_is_kept(client, index):
    yesterday = (timezone.localdate() - datetime.timedelta(days=1)).isoformat()
    data = valid_data(
        contact_email="pas-un-email",
        start_date=yesterday,
        postal_code="130",
        summary="x" * 301,
        notice_accepted="",
        venue="",
    )
    response = client.post(URL, data)
    assert response.status_code == 400
    html = response.content.decode()
    assert 'role="alert"' in html
    assert "Votre proposition n'est pas encore envoyée" in html
    assert "Saisissez une adresse e-mail complète, par exemple nom@entreprise.fr." in html
    assert "L&#x27;événement doit commencer dans le futur." in html
    assert "code postal à 5 chiffres" in html
    assert "300 caractères au plus" in html
    assert "Cochez cette case" in html
    assert "Remplissez ce champ." in html
    assert 'value="Logistique du Port (fictive)"' in html
    assert 'value="pas-un-email"' in html
    assert "x" * 301 in html
    assert EventPage.objects.count() == 0
    assert EventProposal.objects.count() == 0


@pytest.mark.django_db
def test_end_must_follow_start(client, index):
    response = client.post(URL, valid_data(start_time="14:00", end_time="13:00"))
    assert response.status_code == 400
    assert "La fin doit être après le début." in response.content.decode()
    assert not EventPage.objects.exists()


@pytest.mark.django_db
def test_an_event_over_several_days(client, index):
    response = client.post(URL, valid_data(end_date=event_date(13).isoformat(), end_time="08:00"))
    assert response.status_code == 302
    page = EventPage.objects.get()
    assert page.end_at == datetime.datetime.combine(event_date(13), datetime.time(8, 0), tzinfo=PARIS)


@pytest.mark.django_db
def test_honeypot_looks_like_success_but_stores_nothing(client, index, coordinator):
    response = client.post(URL, valid_data(site_web="http://spam.example"))
    assert response.status_code == 302
    assert response.url == "/evenements/proposer/?merci=1"
    assert not EventPage.objects.exists()
    assert not EventProposal.objects.exists()
    assert mail.outbox == []


@pytest.mark.django_db
def test_rate_limit_is_per_address(client, index, settings):
    settings.PROPOSAL_RATE_LIMIT = (5, 3600)
    for number in range(5):
        response = client.post(URL, valid_data(title=f"Forum {number}"), REMOTE_ADDR="203.0.113.7")
        assert response.status_code == 302
    response = client.post(URL, valid_data(title="Forum de trop"), REMOTE_ADDR="203.0.113.7")
    assert response.status_code == 429
    html = response.content.decode()
    assert "Trop de propositions envoyées depuis cette connexion" in html
    assert 'value="Forum de trop"' in html
    assert EventPage.objects.count() == 5
    assert EventProposal.objects.count() == 5
    assert not EventPage.objects.filter(title="Forum de trop").exists()

    other = client.post(URL, valid_data(title="Autre adresse"), REMOTE_ADDR="198.51.100.9")
    assert other.status_code == 302
    assert EventPage.objects.filter(title="Autre adresse").exists()


@pytest.mark.django_db
def test_rate_limit_is_shared_through_the_cache(client, index, settings):
    """Another worker counted four proposals already: the counter lives in the cache, not in the process."""
    settings.PROPOSAL_RATE_LIMIT = (5, 3600)
    cache.set("ratelimit:proposal:203.0.113.8", 5, timeout=3600)
    response = client.post(URL, valid_data(), REMOTE_ADDR="203.0.113.8")
    assert response.status_code == 429
    assert not EventPage.objects.exists()


class BrokenMailBackend(BaseEmailBackend):
    def send_messages(self, email_messages):
        raise ConnectionRefusedError("SMTP server down")


@pytest.mark.django_db
def test_a_failing_mail_server_keeps_the_proposal(client, index, coordinator, settings):
    settings.EMAIL_BACKEND = "tests.test_proposals.BrokenMailBackend"
    # A second reviewer too, so Wagtail's own workflow notification meets the broken server as well.
    moderator = UserFactory(username="moderatrice", email="moderatrice@example.org")
    moderator.groups.add(Group.objects.get(name=COORDINATORS_GROUP))
    response = client.post(URL, valid_data())
    assert response.status_code == 302
    assert response.url.endswith("?merci=1")
    page = EventPage.objects.get()
    assert not page.live
    assert page.workflow_in_progress
    assert EventProposal.objects.get().event_id == page.pk


@pytest.mark.django_db
def test_coordinators_can_open_the_draft_in_the_admin(client, admin_client, index):
    client.post(URL, valid_data())
    page = EventPage.objects.get()
    response = admin_client.get(reverse("wagtailadmin_pages:edit", args=[page.pk]))
    assert response.status_code == 200
    assert "Job dating de la logistique" in response.content.decode()
