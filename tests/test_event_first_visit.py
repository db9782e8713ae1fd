"""Issue 13, the event page on a first visit: « Je m'inscris » near the title, the confirmation taking
the form's place after the redirect, « réservé aux jeunes » and the companion choices agreeing, a
cancellation confirmed by e-mail, and a cancel link that explains itself once used, expired or cut."""

import datetime
from urllib.parse import urlparse

import pytest
from bs4 import BeautifulSoup
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from events import registration as seats
from events.models import Registration, RegistrationStatus
from tests.factories import EventPageFactory, RegistrationFactory
from tests.test_registrations import CANCEL_LINK, page_text, register, subject


@pytest.fixture(autouse=True)
def fresh_rate_limits():
    cache.clear()


@pytest.fixture
def event(neighbourhood):
    return EventPageFactory(parent=neighbourhood, title="Forum de l'alternance", slug="forum-alternance", capacity=20)


def soup(response):
    return BeautifulSoup(response.content, "html.parser")


def cancel_path(message):
    return urlparse(CANCEL_LINK.search(message.body).group(0)).path


# --- the event page ----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_je_m_inscris_link_near_the_title_leads_to_the_form(client, event):
    page = soup(client.get(event.url))
    header = page.select_one("article > header")
    assert header.find("h1").get_text(strip=True) == "Forum de l'alternance"
    link = header.find("a", string="Je m'inscris")
    assert link["href"] == "#inscription"
    section = page.find(id="inscription")
    assert section.find("form") is not None


@pytest.mark.django_db
def test_the_link_offers_the_waiting_list_when_full_and_is_absent_when_closed(client, neighbourhood):
    full = EventPageFactory(parent=neighbourhood, title="Complet", slug="complet", capacity=1)
    RegistrationFactory(event=full, status=RegistrationStatus.CONFIRMED)
    header = soup(client.get(full.url)).select_one("article > header")
    assert header.find("a", href="#inscription").get_text(strip=True) == "M'inscrire sur la liste d'attente"

    closed = EventPageFactory(
        parent=neighbourhood,
        title="Fermé",
        slug="ferme",
        registration_deadline=timezone.now() - datetime.timedelta(hours=1),
    )
    page = soup(client.get(closed.url))
    assert page.select_one("article > header").find("a", href="#inscription") is None
    assert "Les inscriptions sont fermées." in page.find(id="inscription").get_text()


@pytest.mark.django_db
def test_after_registering_the_confirmation_replaces_the_form(client, event, django_capture_on_commit_callbacks):
    response = register(client, event, django_capture_on_commit_callbacks)
    assert response.status_code == 302
    page = soup(client.get(response["Location"]))
    section = page.find(id="inscription")
    assert "Ta place est réservée" in section.get_text()
    assert section.find("form") is None
    assert page.select_one("article > header").find("a", href="#inscription") is None
    # Nothing of the person on the page: another visitor opening the same address learns nothing.
    other = soup(client.__class__().get(response["Location"])).get_text()
    assert "Inès" not in other
    assert "ines@example.org" not in other
    # The way back to the form, for a friend.
    assert section.find("a", string="Inscrire une autre personne")["href"] == f"{event.url}#inscription"
    assert Registration.objects.get().status == RegistrationStatus.CONFIRMED


@pytest.mark.django_db
def test_a_reserved_event_does_not_offer_to_bring_a_parent(client, event, django_capture_on_commit_callbacks):
    event.parents_welcome = False
    event.save_revision().publish()
    page = soup(client.get(event.url))
    assert "Cet événement est réservé aux jeunes." in page.get_text()
    choices = {radio["value"] for radio in page.select("input[name=companion]")}
    assert choices == {"seul", "conseiller"}

    # A crafted POST that still says « avec un parent » is refused, in words, and nothing is stored.
    response = register(client, event, django_capture_on_commit_callbacks, companion="parent")
    assert response.status_code == 400
    assert "réservé aux jeunes : tu peux venir seul·e ou avec un conseiller" in page_text(response)
    assert not Registration.objects.exists()

    # Where parents are welcome, they are offered.
    event.parents_welcome = True
    event.save_revision().publish()
    choices = {radio["value"] for radio in soup(client.get(event.url)).select("input[name=companion]")}
    assert choices == {"seul", "parent", "conseiller"}


# --- the cancel link ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_cancelling_sends_one_confirmation_and_a_second_visit_says_the_link_was_used(
    client, event, mailoutbox, django_capture_on_commit_callbacks
):
    register(client, event, django_capture_on_commit_callbacks)
    path = cancel_path(mailoutbox[0])

    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(path)
    assert done.status_code == 302
    assert "est annulée" in page_text(client.get(done["Location"]))
    cancellations = [m for m in mailoutbox if subject(m).startswith("Inscription annulée")]
    assert len(cancellations) == 1
    (message,) = cancellations
    assert message.to == ["ines@example.org"]
    assert subject(message) == "Inscription annulée : Forum de l'alternance"
    assert "ton inscription à « Forum de l'alternance »" in message.body.replace("\xa0", " ")
    assert event.url in message.body  # the way back to register again

    # The link again (a reload, a second click in the mailbox): it explains, sends nothing more.
    with django_capture_on_commit_callbacks(execute=True):
        again = client.get(path)
        posted_again = client.post(path)
    assert again.status_code == 200
    text = page_text(again)
    assert "Ce lien a déjà servi" in text
    assert "Oui, j'annule" not in text
    assert posted_again.status_code == 200
    assert "Ce lien a déjà servi" in page_text(posted_again)
    assert len([m for m in mailoutbox if subject(m).startswith("Inscription annulée")]) == 1
    assert "private" in again["Cache-Control"]
    assert "no-store" in again["Cache-Control"]


@pytest.mark.django_db
def test_a_parent_in_copy_of_the_registration_is_in_copy_of_the_cancellation(
    client, event, mailoutbox, django_capture_on_commit_callbacks
):
    register(
        client, event, django_capture_on_commit_callbacks, age_range="moins-15", guardian_email="maman@example.org"
    )
    with django_capture_on_commit_callbacks(execute=True):
        client.post(cancel_path(mailoutbox[0]))
    (message,) = [m for m in mailoutbox if subject(m).startswith("Inscription annulée")]
    assert message.cc == ["maman@example.org"]


@pytest.mark.django_db
def test_an_organiser_cancelling_in_the_admin_or_an_erasure_sends_no_cancellation_mail(
    event, mailoutbox, django_capture_on_commit_callbacks
):
    registration = RegistrationFactory(event=event, status=RegistrationStatus.CONFIRMED)
    with django_capture_on_commit_callbacks(execute=True):
        seats.cancel(registration)
    assert not [m for m in mailoutbox if subject(m).startswith("Inscription annulée")]


@pytest.mark.django_db
def test_the_link_of_an_event_that_is_over_has_expired(client, neighbourhood):
    past = EventPageFactory(
        parent=neighbourhood,
        title="Forum passé",
        slug="forum-passe",
        start_at=timezone.now() - datetime.timedelta(days=2),
    )
    registration = RegistrationFactory(event=past, status=RegistrationStatus.CONFIRMED)
    path = reverse("events:cancel", args=[seats.cancel_token(registration)])
    for response in (client.get(path), client.post(path)):
        assert response.status_code == 410
        text = page_text(response)
        assert "Ce lien a expiré : « Forum passé » est terminé" in text
        assert "Oui, j'annule" not in text
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.CONFIRMED


@pytest.mark.django_db
def test_a_cut_or_altered_link_says_so_without_naming_anyone(client, event):
    registration = RegistrationFactory(event=event, status=RegistrationStatus.CONFIRMED, first_name="Yanis")
    token = seats.cancel_token(registration)
    for bad in (token[:-3], token[:-1] + ("A" if token[-1] != "A" else "B"), "n-importe-quoi"):
        response = client.get(reverse("events:cancel", args=[bad]))
        assert response.status_code == 404
        text = page_text(response)
        assert "n'est pas complet ou a été modifié" in text
        assert "Yanis" not in text
        assert event.title not in text
