"""What a company sees and hears: the proposal form (neighbourhood, pre-filled), the acknowledgement, the
« en ligne » and « déclinée » e-mails, the call to action on /entreprises/ and its admin home."""

import datetime

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone
from wagtail.models import WorkflowState

from events.models import EventIndexPage, EventPage, EventProposal, ProposalOutcome
from events.proposals import create_proposal
from home.models import SiteSettings
from home.roles import COORDINATORS_GROUP
from home.typography import NBSP
from stories.accounts import ensure_company_account
from tests.factories import CompanyPageFactory, NeighbourhoodPageFactory, UserFactory
from tests.test_proposals import valid_data

URL = "/evenements/proposer/"


@pytest.fixture(autouse=True)
def fresh_cache():
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
    return user


@pytest.fixture
def hubs(neighbourhood_index):
    lauriers = NeighbourhoodPageFactory(
        parent=neighbourhood_index, title="Les Lauriers – Olivier A", slug="les-lauriers", commune="Marseille 13e"
    )
    tarascon = NeighbourhoodPageFactory(
        parent=neighbourhood_index, title="Tarascon", slug="tarascon", commune="Tarascon", department="13"
    )
    draft = NeighbourhoodPageFactory(
        parent=neighbourhood_index, title="Quartier brouillon", slug="brouillon", live=False
    )
    return lauriers, tarascon, draft


@pytest.fixture
def garage(company_index):
    return CompanyPageFactory(parent=company_index, title="Garage Moulin (fictif)", slug="garage-moulin")


@pytest.fixture
def garage_user(garage):
    account, _ = ensure_company_account(garage)
    user = UserFactory(username="nadia", email="nadia@garage.example", first_name="Nadia", last_name="Moulin")
    user.groups.add(account.group)
    return user


def text_of(response):
    return BeautifulSoup(response.content, "html.parser").get_text(" ")


def post(client, capture, **overrides):
    with capture(execute=True):
        return client.post(URL, valid_data(**overrides))


def mails_to(mailoutbox, address):
    return [message for message in mailoutbox if address in message.to]


# --- the form ---------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_neighbourhood_is_chosen_among_published_hubs_grouped_by_department(client, index, hubs):
    soup = BeautifulSoup(client.get(URL).content, "html.parser")
    select = soup.select_one("select#id_neighbourhood")
    assert soup.select_one('label[for="id_neighbourhood"]').get_text(strip=True) == "Quartier"
    options = [(option["value"], option.get_text()) for option in select.select("option")]
    lauriers, tarascon, _draft = hubs
    assert options[:2] == [("", "Choisissez…"), ("territoire", "Tout le territoire (plusieurs quartiers, ou ailleurs)")]
    assert (str(lauriers.pk), "Les Lauriers – Olivier A (Marseille 13e)") in options
    assert (str(tarascon.pk), "Tarascon") in options  # the commune is the name: said once
    assert "Quartier brouillon" not in select.get_text()
    assert [group["label"] for group in select.select("optgroup")] == ["Bouches-du-Rhône"]


@pytest.mark.django_db
def test_the_form_costs_the_same_queries_with_many_hubs(
    client, index, neighbourhood_index, django_assert_max_num_queries
):
    for number in range(3):
        NeighbourhoodPageFactory(parent=neighbourhood_index, title=f"Quartier {number}", slug=f"q-{number}")
    with django_assert_max_num_queries(40) as few:
        client.get(URL)
    for number in range(3, 40):
        NeighbourhoodPageFactory(parent=neighbourhood_index, title=f"Quartier {number}", slug=f"q-{number}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(URL)
    options = BeautifulSoup(response.content, "html.parser").select("select#id_neighbourhood option")
    assert len(options) == 40 + 2


@pytest.mark.django_db
def test_a_proposal_for_a_neighbourhood_is_a_draft_under_that_hub(
    client, index, hubs, coordinator, django_capture_on_commit_callbacks, mailoutbox
):
    lauriers = hubs[0]
    response = post(client, django_capture_on_commit_callbacks, neighbourhood=str(lauriers.pk))
    assert response.status_code == 302
    page = EventPage.objects.get()
    assert page.get_parent().pk == lauriers.pk
    assert not page.live
    assert page.url_path.endswith("/les-lauriers/job-dating-de-la-logistique/")
    assert WorkflowState.objects.for_instance(page).get().status == WorkflowState.STATUS_IN_PROGRESS
    [to_coordinators] = [m for m in mails_to(mailoutbox, "coordo@example.org") if "à relire" in m.subject]
    assert f"Quartier{NBSP}: Les Lauriers – Olivier A" in to_coordinators.body


@pytest.mark.django_db
def test_a_draft_never_takes_a_route_of_its_hub(client, index, hubs, django_capture_on_commit_callbacks):
    tarascon = hubs[1]
    post(client, django_capture_on_commit_callbacks, neighbourhood=str(tarascon.pk), title="Affiche")
    assert EventPage.objects.get().slug == "affiche-2"  # /affiche/ is the hub's poster


@pytest.mark.django_db
def test_a_hub_unpublished_meanwhile_is_refused(client, index, hubs, django_capture_on_commit_callbacks):
    draft = hubs[2]
    response = post(client, django_capture_on_commit_callbacks, neighbourhood=str(draft.pk))
    assert response.status_code == 400
    assert "Choisissez une des réponses proposées." in text_of(response)
    assert not EventPage.objects.exists()


@pytest.mark.django_db
def test_a_logged_in_company_finds_the_form_filled_in(client, index, garage, garage_user):
    client.force_login(garage_user)
    soup = BeautifulSoup(client.get(URL).content, "html.parser")
    assert soup.select_one("#id_company_name")["value"] == "Garage Moulin (fictif)"
    assert soup.select_one("#id_contact_name")["value"] == "Nadia Moulin"
    assert soup.select_one("#id_contact_email")["value"] == "nadia@garage.example"
    assert "Vous proposez au nom de Garage Moulin (fictif)" in " ".join(soup.get_text(" ").split())

    client.logout()
    soup = BeautifulSoup(client.get(URL).content, "html.parser")
    assert not soup.select_one("#id_company_name").get("value")


@pytest.mark.django_db
def test_a_company_account_is_listed_among_the_companies_present(
    client, index, garage, garage_user, django_capture_on_commit_callbacks
):
    client.force_login(garage_user)
    post(client, django_capture_on_commit_callbacks, hiring_for="3 alternances")
    page = EventPage.objects.get()
    assert [(p.company_id, p.hiring_for) for p in page.participants.all()] == [(garage.pk, "3 alternances")]


# --- the three e-mails ----------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_company_gets_an_acknowledgement_saying_what_happens_next(
    client, index, coordinator, django_capture_on_commit_callbacks, mailoutbox
):
    site = index.get_site()
    SiteSettings.objects.update_or_create(site=site, defaults={"contact_email": "contact@impact.example"})
    post(client, django_capture_on_commit_callbacks)
    acknowledgement = mails_to(mailoutbox, "nadia.secret@logistique.example")
    assert len(acknowledgement) == 1
    message = acknowledgement[0]
    assert message.subject == f"Nous avons bien reçu votre proposition{NBSP}: Job dating de la logistique"
    assert message.body.startswith("Bonjour Nadia Contact-Secret,")
    assert f"Ce qui se passe maintenant{NBSP}:" in message.body
    assert "Rien n'est publié avant cet accord" in message.body
    assert message.reply_to == ["contact@impact.example"]
    assert " :" not in message.body  # spaced like the site


@pytest.mark.django_db
def test_a_bot_gets_no_acknowledgement(client, index, coordinator, django_capture_on_commit_callbacks, mailoutbox):
    post(client, django_capture_on_commit_callbacks, site_web="http://spam.example")
    assert mailoutbox == []


@pytest.mark.django_db
def test_publishing_the_draft_tells_the_company_once(
    client, index, hubs, coordinator, django_capture_on_commit_callbacks, mailoutbox
):
    post(client, django_capture_on_commit_callbacks, neighbourhood=str(hubs[0].pk))
    page = EventPage.objects.get()
    mailoutbox.clear()
    client.force_login(coordinator)
    state = WorkflowState.objects.for_instance(page).get()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("wagtailadmin_pages:workflow_action", args=[page.pk, "approve", state.current_task_state.pk]),
            {"comment": ""},
        )
    assert response.status_code == 302
    page.refresh_from_db()
    assert page.live
    online = mails_to(mailoutbox, "nadia.secret@logistique.example")
    assert len(online) == 1
    body = online[0].body
    assert online[0].subject == f"Votre événement est en ligne{NBSP}: Job dating de la logistique"
    assert page.get_full_url() in body
    assert page.get_full_url() + "affiche/" in body
    assert "Pas d'inscription en ligne" in body
    proposal = EventProposal.objects.get()
    assert proposal.outcome == ProposalOutcome.PUBLISHED
    assert proposal.outcome_at is not None

    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        page.save_revision().publish()  # a corrected time, republished
    assert mails_to(mailoutbox, "nadia.secret@logistique.example") == []


@pytest.mark.django_db
def test_a_coordinator_declines_with_a_reason_and_the_company_reads_it(
    client, index, coordinator, django_capture_on_commit_callbacks, mailoutbox
):
    post(client, django_capture_on_commit_callbacks)
    proposal = EventProposal.objects.get()
    page = proposal.event
    mailoutbox.clear()
    client.force_login(coordinator)

    listing = client.get(reverse("propositions:index")).content.decode()
    decline_url = reverse("propositions:decline", args=[proposal.pk])
    assert decline_url in listing
    form = client.get(decline_url)
    assert form.status_code == 200
    assert "Décliner et prévenir l'entreprise" in text_of(form)

    reason = "La date tombe pendant les vacances scolaires : pourriez-vous proposer une autre date ?"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(decline_url, {"reason": reason})
    assert response.status_code == 302

    proposal.refresh_from_db()
    assert proposal.outcome == ProposalOutcome.DECLINED
    assert proposal.decline_reason == reason
    page.refresh_from_db()
    assert not page.live
    assert not page.workflow_in_progress  # out of the coordinators' review queue
    declined = mails_to(mailoutbox, "nadia.secret@logistique.example")
    assert len(declined) == 1
    assert "ne peut pas publier cet événement" in declined[0].body
    assert "La date tombe pendant les vacances scolaires" in declined[0].body
    assert "/evenements/proposer/" in declined[0].body

    detail = client.get(reverse("propositions:inspect", args=[proposal.pk])).content.decode()
    assert "Déclinée le" in detail
    assert "(déclinée)" in client.get(reverse("propositions:index")).content.decode()

    # Twice is once: the second attempt is refused and sends nothing.
    with django_capture_on_commit_callbacks(execute=True):
        again = client.post(decline_url, {"reason": "Encore"})
    assert again.status_code == 302
    assert len(mails_to(mailoutbox, "nadia.secret@logistique.example")) == 1


@pytest.mark.django_db
def test_declining_without_a_reason(client, index, coordinator, django_capture_on_commit_callbacks, mailoutbox):
    post(client, django_capture_on_commit_callbacks)
    proposal = EventProposal.objects.get()
    mailoutbox.clear()
    client.force_login(coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("propositions:decline", args=[proposal.pk]), {"reason": ""})
    body = mails_to(mailoutbox, "nadia.secret@logistique.example")[0].body
    assert "La raison" not in body
    assert "répondre à cet e-mail" in body


@pytest.mark.django_db
def test_only_coordinators_decline(client, index, garage, garage_user, django_capture_on_commit_callbacks):
    _, proposal = create_proposal(index, {**valid_form_data(), "title": "Visite"}, company=garage)
    decline_url = reverse("propositions:decline", args=[proposal.pk])
    client.force_login(garage_user)  # may view its own proposal, not decide on it
    assert client.get(decline_url).status_code == 404
    assert client.post(decline_url, {"reason": "non"}).status_code == 404
    assert decline_url not in client.get(reverse("propositions:inspect", args=[proposal.pk])).content.decode()
    proposal.refresh_from_db()
    assert proposal.outcome == ProposalOutcome.PENDING


def valid_form_data():
    start = timezone.now() + datetime.timedelta(days=10)
    return {
        "title": "Portes ouvertes",
        "kind": "visite",
        "start_at": start,
        "end_at": start + datetime.timedelta(hours=2),
        "summary": "Venez.",
        "venue": "Atelier",
        "address": "1 rue",
        "postal_code": "13150",
        "commune": "Tarascon",
        "description": "<p>Visite.</p>",
        "company_name": "Garage Moulin (fictif)",
        "contact_name": "Nadia",
        "contact_email": "nadia@garage.example",
    }


# --- /entreprises/ and the company's admin home ----------------------------------------------------


@pytest.mark.django_db
def test_entreprises_calls_companies_to_act(client, company_index, index):
    site = index.get_site()
    SiteSettings.objects.update_or_create(site=site, defaults={"contact_email": "contact@impact.example"})
    soup = BeautifulSoup(client.get("/entreprises/").content, "html.parser")
    section = soup.select_one("#entreprises-partenaires")
    assert section.select_one("h2").get_text(strip=True) == f"Vous êtes une entreprise{NBSP}?"
    links = {a.get_text(" ", strip=True): a["href"] for a in section.select("a.button")}
    assert links["Proposer un événement"] == "/evenements/proposer/"
    partner = next(href for text, href in links.items() if text.startswith("Devenir entreprise partenaire"))
    assert partner.startswith("mailto:contact@impact.example")
    assert soup.select_one('a[href="#entreprises-partenaires"]') is not None


@pytest.mark.django_db
def test_entreprises_without_a_contact_address_still_offers_to_propose(client, company_index, index):
    section = BeautifulSoup(client.get("/entreprises/").content, "html.parser").select_one("#entreprises-partenaires")
    assert [a.get_text(strip=True) for a in section.select("a.button")] == ["Proposer un événement"]


@pytest.mark.django_db
def test_the_company_admin_home_says_what_the_account_is_for(
    client, index, garage, garage_user, coordinator, django_capture_on_commit_callbacks
):
    _, mine = create_proposal(index, {**valid_form_data(), "title": "Portes ouvertes du garage"}, company=garage)
    create_proposal(index, {**valid_form_data(), "title": "Secret d'une autre"}, company=None)
    client.force_login(garage_user)
    soup = BeautifulSoup(client.get(reverse("wagtailadmin_home")).content, "html.parser")
    panel = soup.select_one("#impact-company-account-section")
    assert panel is not None
    text = panel.get_text(" ")
    assert "Modifier la page « Garage Moulin (fictif) »" in text.replace(NBSP, " ")
    assert "relu par l'équipe de coordination" in text
    assert panel.select_one(f'a[href="{reverse("wagtailadmin_pages:edit", args=[garage.pk])}"]')
    assert "Portes ouvertes du garage" in text
    assert "Secret d'une autre" not in soup.get_text()
    assert panel.select_one(f'a[href="{reverse("propositions:inspect", args=[mine.pk])}"]')
    assert panel.select_one('a[href$="/evenements/proposer/"]')

    client.force_login(coordinator)
    assert (
        BeautifulSoup(client.get(reverse("wagtailadmin_home")).content, "html.parser").select_one(
            "#impact-company-account-section"
        )
        is None
    )
