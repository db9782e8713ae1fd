"""A person's rights: a coordinator finds, exports and erases what the site holds about one address,
through the real admin, and the audit log keeps no trace of who the person was.

Samira (the person asking) has data of every kind; Samia, a decoy with a look-alike address and
name, must never appear in what is shown or exported for Samira, nor be touched by the erasure."""

import datetime
import hashlib
import html
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from wagtail.models import PageLogEntry, Revision

from events.models import EventIndexPage, EventProposal, Registration, RegistrationStatus
from events.proposals import create_proposal
from home.models import CustomImage, PersonalDataAuditEntry, User
from home.personal_data import Query, find
from stories.models import PortraitConsent, PortraitPage
from tests.editorial import make_coordinator
from tests.factories import EventPageFactory, RegistrationFactory, UserFactory, publish_portrait

EMAIL = "samira.benali@example.org"
INDEX = "/admin/donnees-personnelles/"
EXPORT = "/admin/donnees-personnelles/export/"
ERASE = "/admin/donnees-personnelles/effacer/"

# Everything of the decoy that must never show up for Samira.
DECOY_EMAILS = ["samira.benali@example.org.fr", "xsamira.benali@example.org", "samira.benali@example.com"]
DECOY_STRINGS = ["Samiadecoy", "Benaloux", "Leurre SARL", *DECOY_EMAILS]


def proposal_data(**overrides):
    start = timezone.now() + datetime.timedelta(days=12)
    data = {
        "company_name": "Garage Moulin (fictif)",
        "contact_name": "Samira Benali",
        "contact_email": "Samira.Benali@Example.org",
        "contact_phone": "04 91 00 11 22",
        "title": "Découverte des métiers de l'automobile",
        "kind": "visite",
        "start_at": start,
        "end_at": start + datetime.timedelta(hours=3),
        "summary": "Une matinée au garage.",
        "venue": "Garage Moulin",
        "address": "1 rue de l'Exemple",
        "postal_code": "13003",
        "commune": "Marseille 3e",
        "description": "<p>Visite.</p>",
    }
    data.update(overrides)
    return data


@pytest.fixture
def coordinator(site_tree):
    return make_coordinator()


@pytest.fixture
def coordinator_client(client, coordinator):
    client.force_login(coordinator)
    return client


@pytest.fixture
def world(site_tree, neighbourhood):
    """Samira's data of every kind, and the decoy's look-alikes next to each."""
    now = timezone.now()
    past = EventPageFactory(
        parent=neighbourhood, title="Forum passé", start_at=now - datetime.timedelta(days=3), capacity=None
    )
    future = EventPageFactory(parent=neighbourhood, title="Forum à venir", capacity=1)
    index = EventIndexPage.objects.get()
    w = {"past": past, "future": future, "neighbourhood": neighbourhood}
    # Mixed case, as a person types it: the search must not care.
    w["past_registration"] = RegistrationFactory(
        event=past, first_name="Samira", last_name="Benali", email="Samira.Benali@Example.org", phone="0612345678"
    )
    w["future_registration"] = RegistrationFactory(event=future, first_name="Samira", last_name="Benali", email=EMAIL)
    w["first_waiting"] = RegistrationFactory(event=future, status=RegistrationStatus.WAITING, first_name="Premiere")
    w["second_waiting"] = RegistrationFactory(event=future, status=RegistrationStatus.WAITING, first_name="Seconde")
    # Samira is also the parent in copy of her little brother's registration.
    w["as_guardian"] = RegistrationFactory(
        event=future,
        status=RegistrationStatus.WAITING,
        first_name="Petitfrere",
        last_name="Benali",
        email="petit.frere@example.org",
        age_range="moins-15",
        guardian_email="SAMIRA.BENALI@example.org",
    )
    _, w["proposal"] = create_proposal(index, proposal_data())
    w["account"] = UserFactory(username="samira.redaction", email=EMAIL, first_name="Samira", last_name="Benali")
    w["portrait"] = publish_portrait(
        neighbourhood,
        title="Samira, mécanicienne",
        slug="samira-mecanicienne",
        first_name="Samira",
        consent={"subject_name": "Samira Benali"},
    )
    # The decoy: look-alike addresses everywhere, a different name.
    for email in DECOY_EMAILS:
        RegistrationFactory(event=past, first_name="Samiadecoy", last_name="Benaloux", email=email)
    RegistrationFactory(
        event=future,
        status=RegistrationStatus.WAITING,
        first_name="Samiadecoy",
        last_name="Benaloux",
        email=DECOY_EMAILS[0],
        guardian_email=DECOY_EMAILS[1],
    )
    create_proposal(
        index,
        proposal_data(company_name="Leurre SARL", contact_name="Samiadecoy Benaloux", contact_email=DECOY_EMAILS[2]),
    )
    UserFactory(username="leurre", email=DECOY_EMAILS[1], first_name="Samiadecoy", last_name="Benaloux")
    w["decoy_portrait"] = publish_portrait(
        neighbourhood, title="Portrait du leurre", slug="leurre", consent={"subject_name": "Samiadecoy Benaloux"}
    )
    return w


def keys(coordinator, name=""):
    return [item.key for section in find(Query.build(EMAIL, name), actor=coordinator) for item in section.items]


def text(response):
    return html.unescape(response.content.decode())


def assert_no_decoy(content):
    for decoy in DECOY_STRINGS:
        assert decoy not in content, decoy


# --- finding ---------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_finds_every_kind_by_address_case_insensitively_and_the_ledger_by_name(coordinator_client, world):
    response = coordinator_client.post(INDEX, {"email": "  SAMIRA.benali@EXAMPLE.org ", "name": "benali samira"})

    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    content = text(response)
    for expected in (
        "Inscription à « Forum passé »",
        "Inscription à « Forum à venir »",
        "Adresse d'un parent, en copie d'une inscription à « Forum à venir »",
        "Proposition d'événement de « Garage Moulin (fictif) »",
        "Compte « samira.redaction »",
        "Consentement pour le portrait « Samira, mécanicienne » (en ligne)",
        "0612345678",
    ):
        assert expected in content, expected
    assert_no_decoy(content)
    # The brother's name is his own data: the parent's item says which event, not whose registration.
    assert "Petitfrere" not in content
    # Address matches are ticked, the name match waits for the coordinator to check it.
    consent = world["portrait"].consent
    assert content.count('name="item"') == 6
    assert content.count(" checked>") == 5
    assert f'value="consents:{consent.pk}:personne" id="item-3-1">' in content
    assert "Trouvé par le nom, pas par l'adresse" in content


def world_coordinator(client):
    return User.objects.get(pk=client.session["_auth_user_id"])


@pytest.mark.django_db
def test_without_a_name_the_ledger_is_not_searched(coordinator, world):
    found = keys(coordinator)
    assert not [key for key in found if key.startswith("consents:")]
    assert len(found) == 5  # 3 registrations (one as parent), 1 proposal, 1 account


@pytest.mark.django_db
def test_an_invalid_address_is_refused_in_french_and_logs_nothing(coordinator_client, world):
    response = coordinator_client.post(INDEX, {"email": "pas-une-adresse", "name": ""})
    assert response.status_code == 400
    assert "Adresse non valide." in text(response)
    assert not PersonalDataAuditEntry.objects.exists()


@pytest.mark.django_db
def test_search_runs_the_same_queries_for_one_or_many_items(coordinator, site_tree, neighbourhood):
    index = EventIndexPage.objects.get()

    def search():
        with CaptureQueriesContext(connection) as queries:
            found = find(Query.build(EMAIL, "Samira Benali"), actor=coordinator)
        return len(queries), sum(len(section.items) for section in found)

    event = EventPageFactory(parent=neighbourhood)
    RegistrationFactory(event=event, email=EMAIL)
    create_proposal(index, proposal_data())
    publish_portrait(neighbourhood, slug="p0", consent={"subject_name": "Samira Benali"})
    UserFactory(username="samira", email=EMAIL)
    search()  # warm Wagtail's and Django's per-process caches (content types, site root paths)
    few_queries, few_items = search()
    for number in range(8):
        RegistrationFactory(event=EventPageFactory(parent=neighbourhood), email=EMAIL)
        create_proposal(index, proposal_data(title=f"Visite {number}"))
        UserFactory(username=f"samira{number}", email=EMAIL)
    many_queries, many_items = search()
    assert (few_items, many_items) == (4, 28)
    assert many_queries == few_queries


# --- export ----------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_readable_export_holds_everything_ticked_and_nothing_about_anyone_else(coordinator_client, world):
    coordinator = world_coordinator(coordinator_client)
    chosen = keys(coordinator, "Samira Benali")  # the coordinator ticked the ledger record too

    response = coordinator_client.post(
        EXPORT, {"email": EMAIL, "name": "Samira Benali", "format": "html", "item": chosen}
    )

    assert response.status_code == 200
    assert response["Content-Type"] == "text/html; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="donnees-personnelles-')
    assert "samira" not in response["Content-Disposition"].lower()
    assert "no-store" in response["Cache-Control"]
    content = text(response)
    assert content.startswith("<!DOCTYPE html>")
    assert "<script" not in content
    assert '<html lang="fr">' in content
    for expected in (
        "Inscription à « Forum passé »",
        "0612345678",
        "Inscription à « Forum à venir »",
        "Adresse d'un parent",
        "Garage Moulin (fictif)",
        "04 91 00 11 22",
        "samira.redaction",
        "Samira Benali",
        "Consentement pour le portrait « Samira, mécanicienne »",
        "J'ai osé pousser la porte.",  # the portrait's quote
        "Pourquoi c'est gardé",
        "Jusqu'à quand",
    ):
        assert expected in content, expected
    # Retention dates are the real ones: 30 days after the past event.
    retention_end = timezone.localtime(world["past"].end_at) + datetime.timedelta(days=30)
    assert f"Jusqu'au {retention_end:%d/%m/%Y} (30 jours après l'événement)" in content
    assert_no_decoy(content)
    for other_person in ("Petitfrere", "petit.frere@example.org", "Parent Un", "Premiere", "Seconde"):
        assert other_person not in content


@pytest.mark.django_db
def test_json_export_has_the_same_items_and_leaves_out_what_was_not_ticked(coordinator_client, world):
    coordinator = world_coordinator(coordinator_client)
    chosen = keys(coordinator)  # the ledger record found by name is left unticked
    forged = f"registrations:{Registration.objects.get(email=DECOY_EMAILS[0], event=world['past']).pk}:inscrit"

    response = coordinator_client.post(
        EXPORT, {"email": EMAIL, "name": "Samira Benali", "format": "json", "item": [*chosen, forged]}
    )

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response["Content-Disposition"].endswith('.json"')
    data = json.loads(response.content)
    assert data["adresse_e_mail"] == EMAIL
    categories = {category["categorie"]: category["elements"] for category in data["categories"]}
    assert set(categories) == {
        "Inscriptions aux événements",
        "Propositions d'événements d'entreprises",
        "Comptes d'accès à l'administration",
    }
    assert len(categories["Inscriptions aux événements"]) == 3
    fields = {
        field["champ"]: field["valeur"] for field in categories["Propositions d'événements d'entreprises"][0]["donnees"]
    }
    assert fields["E-mail"] == "Samira.Benali@Example.org"
    assert fields["Téléphone"] == "04 91 00 11 22"
    assert_no_decoy(response.content.decode())
    assert "Samira, mécanicienne" not in response.content.decode()
    entry = PersonalDataAuditEntry.objects.get()
    assert entry.action == "export-json"
    assert entry.counts == {"registrations": {"exported": 3}, "proposals": {"exported": 1}, "accounts": {"exported": 1}}


@pytest.mark.django_db
def test_an_export_for_an_unknown_address_says_nothing_is_kept(coordinator_client, world):
    response = coordinator_client.post(EXPORT, {"email": "personne@example.org", "format": "html"})
    assert response.status_code == 200
    assert "Le site ne conserve aucune donnée liée à cette adresse." in text(response)
    assert PersonalDataAuditEntry.objects.get().counts == {}


# --- erasure ---------------------------------------------------------------------------------------


def erase(client, chosen, name="", confirmed=True):
    data = {"email": EMAIL, "name": name, "item": chosen, "step": "confirm"}
    if confirmed:
        data["confirmed"] = "1"
    return client.post(ERASE, data)


@pytest.mark.django_db
def test_erasure_asks_for_confirmation_first_and_changes_nothing_until_then(coordinator_client, world):
    before = sorted(Registration.objects.values_list())
    chosen = keys(world_coordinator(coordinator_client), "Samira Benali")

    review = coordinator_client.post(ERASE, {"email": EMAIL, "name": "Samira Benali", "item": chosen})
    assert review.status_code == 200
    content = text(review)
    assert "On ne peut pas revenir en arrière." in content
    assert "Le portrait « Samira, mécanicienne » est en ligne : l'effacer le retire du site immédiatement." in content
    assert "Effacer une fiche, c'est retirer le consentement" in content  # the ledger's rule
    assert "Annulée (la place va à la première personne en liste d'attente), puis anonymisée." in content
    assert "À fermer par un administrateur" in content  # a coordinator does not close accounts
    assert 'name="confirmed"' in content

    unconfirmed = erase(coordinator_client, chosen, "Samira Benali", confirmed=False)
    assert unconfirmed.status_code == 400
    assert "Cochez la case pour confirmer." in text(unconfirmed)

    assert sorted(Registration.objects.values_list()) == before
    assert PortraitPage.objects.get(pk=world["portrait"].pk).live
    assert not PersonalDataAuditEntry.objects.filter(action="erase").exists()
    # GET never erases (nor shows anything).
    assert coordinator_client.get(ERASE).status_code == 405


@pytest.mark.django_db
def test_past_registration_is_anonymised_and_still_counted(coordinator_client, world):
    past = world["past"]
    counted = sorted(past.registrations.values_list("status", "age_range", "companion"))
    registration = world["past_registration"]

    response = erase(coordinator_client, [f"registrations:{registration.pk}:inscrit"])

    assert response.status_code == 200
    assert "Inscriptions aux événements : 1 élément anonymisé" in text(response)
    registration.refresh_from_db()
    assert (registration.first_name, registration.last_name, registration.email, registration.phone) == ("", "", "", "")
    assert registration.neighbourhood == ""
    assert registration.anonymised_at is not None
    assert registration.status == RegistrationStatus.CONFIRMED
    assert sorted(past.registrations.values_list("status", "age_range", "companion")) == counted
    # The decoys on the same event are untouched.
    assert Registration.objects.filter(event=past, first_name="Samiadecoy", anonymised_at__isnull=True).count() == 3


@pytest.mark.django_db
def test_future_registration_is_cancelled_and_its_seat_goes_to_the_first_waiting(
    coordinator_client, world, mailoutbox, django_capture_on_commit_callbacks
):
    registration = world["future_registration"]
    mailoutbox.clear()  # the proposals' review notifications sent while building the world
    with django_capture_on_commit_callbacks(execute=True):
        response = erase(coordinator_client, [f"registrations:{registration.pk}:inscrit"])

    assert response.status_code == 200
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.CANCELLED
    assert registration.cancelled_at is not None
    assert registration.email == ""
    assert registration.anonymised_at is not None
    first, second = (Registration.objects.get(pk=world[name].pk) for name in ("first_waiting", "second_waiting"))
    assert first.status == RegistrationStatus.CONFIRMED
    assert first.promoted_at is not None
    assert second.status == RegistrationStatus.WAITING
    assert world["future"].registrations.filter(status=RegistrationStatus.CONFIRMED).count() == 1
    assert [message.to for message in mailoutbox] == [[first.email]]
    assert PersonalDataAuditEntry.objects.get().counts == {"registrations": {"cancelled": 1, "anonymised": 1}}


@pytest.mark.django_db
def test_as_a_parent_only_the_parent_address_is_erased(coordinator_client, world):
    registration = world["as_guardian"]
    response = erase(coordinator_client, [f"registrations:{registration.pk}:parent"])
    assert response.status_code == 200
    registration.refresh_from_db()
    assert registration.guardian_email == ""
    assert registration.first_name == "Petitfrere"
    assert registration.email == "petit.frere@example.org"
    assert registration.status == RegistrationStatus.WAITING
    assert registration.anonymised_at is None


@pytest.mark.django_db
def test_proposal_contact_is_anonymised_and_the_proposal_kept(coordinator_client, world):
    proposal = world["proposal"]
    response = erase(coordinator_client, [f"proposals:{proposal.pk}:contact"])
    assert response.status_code == 200
    proposal.refresh_from_db()
    assert (proposal.contact_name, proposal.contact_email, proposal.contact_phone) == ("", "", "")
    assert proposal.anonymised_at is not None
    assert proposal.company_name == "Garage Moulin (fictif)"
    assert proposal.event_id is not None
    assert EventProposal.objects.filter(company_name="Leurre SARL", contact_email=DECOY_EMAILS[2]).exists()


@pytest.mark.django_db
def test_a_consent_record_of_a_live_portrait_takes_it_offline_then_deletes_it(
    coordinator_client, client, world, django_capture_on_commit_callbacks
):
    portrait = world["portrait"]
    consent = portrait.consent
    photo_id = portrait.photo_id
    url = portrait.url
    assert client.get(url).status_code == 200
    assert PageLogEntry.objects.filter(page_id=portrait.pk).exists()

    with django_capture_on_commit_callbacks(execute=True):
        response = erase(coordinator_client, [f"consents:{consent.pk}:personne"], name="Samira Benali")

    assert response.status_code == 200
    assert "Registre des consentements des portraits : 1 consentement retiré, 1 élément supprimé" in text(response)
    assert not PortraitPage.objects.filter(pk=portrait.pk).exists()
    assert not PortraitConsent.objects.filter(pk=consent.pk).exists()
    assert not CustomImage.objects.filter(pk=photo_id).exists()
    assert not Revision.page_revisions.filter(object_id=str(portrait.pk)).exists()
    # Wagtail's history named the page by its title: gone with it.
    assert not PageLogEntry.objects.filter(page_id=portrait.pk).exists()
    client.logout()
    assert client.get(url).status_code == 404
    # The decoy's portrait, found by nobody here, is still online.
    assert PortraitPage.objects.get(pk=world["decoy_portrait"].pk).live


@pytest.mark.django_db
def test_only_items_the_search_found_can_be_erased(coordinator_client, world):
    decoy = Registration.objects.get(email=DECOY_EMAILS[0], event=world["past"])
    decoy_consent = world["decoy_portrait"].consent
    response = erase(
        coordinator_client,
        [f"registrations:{decoy.pk}:inscrit", f"consents:{decoy_consent.pk}:personne"],
        name="Samira Benali",
    )
    assert response.status_code == 200
    assert "Aucun élément n'est coché" in text(response)
    decoy.refresh_from_db()
    assert decoy.anonymised_at is None
    assert PortraitConsent.objects.filter(pk=decoy_consent.pk).exists()
    assert not PersonalDataAuditEntry.objects.exists()


@pytest.mark.django_db
def test_accounts_are_closed_by_an_administrator_only(client, coordinator_client, world, admin_user):
    account = world["account"]
    key = f"accounts:{account.pk}:compte"

    erase(coordinator_client, [key])
    account.refresh_from_db()
    # A coordinator does not manage accounts.
    assert account.is_active
    assert account.email == EMAIL

    client.force_login(admin_user)
    response = erase(client, [key])
    assert response.status_code == 200
    account.refresh_from_db()
    assert account.username == f"compte-efface-{account.pk}"
    assert (account.email, account.first_name, account.last_name) == ("", "", "")
    assert not account.is_active
    assert not account.has_usable_password()
    assert not account.groups.exists()
    # Never an administrator's account, nor one's own.
    admin_key = f"accounts:{admin_user.pk}:compte"
    assert admin_key not in [
        item.key
        for section in find(Query.build(admin_user.email), actor=admin_user)
        for item in section.items
        if item.erasable
    ]


# --- the audit log ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_audit_log_records_who_when_what_and_counts_and_nothing_about_the_person(
    coordinator_client, world, django_capture_on_commit_callbacks
):
    coordinator = world_coordinator(coordinator_client)
    chosen = keys(coordinator, "Samira Benali")
    coordinator_client.post(INDEX, {"email": EMAIL, "name": "Samira Benali"})
    coordinator_client.post(EXPORT, {"email": EMAIL, "name": "Samira Benali", "format": "html", "item": chosen})
    with django_capture_on_commit_callbacks(execute=True):
        erase(coordinator_client, chosen, name="Samira Benali")

    entries = list(PersonalDataAuditEntry.objects.order_by("pk"))
    assert [entry.action for entry in entries] == ["search", "export-html", "erase"]
    assert {entry.user_id for entry in entries} == {coordinator.pk}
    assert entries[0].counts == {
        "registrations": {"found": 3},
        "proposals": {"found": 1},
        "consents": {"found": 1},
        "accounts": {"found": 1},
    }
    assert entries[2].counts == {
        "registrations": {"cancelled": 1, "anonymised": 3},
        "proposals": {"anonymised": 1},
        "consents": {"withdrawn": 1, "deleted": 1},
    }
    # Read the table as the database holds it: no address, no name, no hash of either.
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {connection.ops.quote_name(PersonalDataAuditEntry._meta.db_table)}")  # noqa: S608
        dump = " ".join(str(value) for row in cursor.fetchall() for value in row).lower()
    secrets = [EMAIL, "samira", "benali", "mécanicienne", "garage moulin", "0612345678"]
    secrets += [hashlib.new(algorithm, EMAIL.encode()).hexdigest() for algorithm in ("md5", "sha1", "sha256")]
    for secret in secrets:
        assert secret not in dump, secret
    # The journal on the page says the same, in words.
    page = text(coordinator_client.get(INDEX))
    assert "Inscriptions aux événements : 1 inscription annulée, place rendue, 3 éléments anonymisés" in page
    assert "Samira" not in page


@pytest.mark.django_db
def test_the_audit_log_refuses_counts_that_could_hold_personal_data(coordinator):
    from home.personal_data import record

    with pytest.raises(ValueError, match="known outcomes"):
        record(coordinator, "erase", {"registrations": {EMAIL: 1}})
    with pytest.raises(ValueError, match="Unknown kind"):
        record(coordinator, "erase", {EMAIL: {"deleted": 1}})
    with pytest.raises(ValueError, match="whole numbers"):
        record(coordinator, "erase", {"registrations": {"deleted": "Samira"}})
    assert not PersonalDataAuditEntry.objects.exists()


# --- e-mails still in the mail queue ---------------------------------------------------------------


@pytest.mark.django_db
def test_queued_mail_to_the_person_is_found_and_erased_and_the_decoys_stay(coordinator_client, settings, site_tree):
    from django.core.mail import send_mail

    from tests.mail_queue import mail_rows

    settings.EMAIL_BACKEND = "home.mail.QueuedEmailBackend"
    send_mail("Inscription confirmée : Forum", "Bonjour Samira", None, ["Samira.Benali@example.org"])
    send_mail("Copie pour un parent", f"Copie envoyée à {EMAIL}.", None, ["frere@example.org"])
    for decoy in DECOY_EMAILS:  # each contains Samira's address as a substring
        send_mail("Pour le leurre", "Bonjour", None, [decoy])
    assert mail_rows().count() == 5

    content = text(coordinator_client.post(INDEX, {"email": EMAIL}))
    assert "E-mail « Inscription confirmée : Forum »" in content
    assert "E-mail « Copie pour un parent »" in content
    assert "Pour le leurre" not in content
    chosen = [key for key in keys(world_coordinator(coordinator_client)) if key.startswith("queued-mail:")]
    assert len(chosen) == 2

    response = erase(coordinator_client, chosen)
    assert response.status_code in (200, 302)
    subjects = sorted(row.args_kwargs["args"][0]["subject"] for row in mail_rows())
    assert subjects == ["Pour le leurre"] * 3
    entry = PersonalDataAuditEntry.objects.latest("pk")
    assert entry.counts["queued-mail"] == {"deleted": 2}
