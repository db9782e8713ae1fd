"""Registrations end to end: the public form, seats and the waiting list, e-mails and their
retries, cancellation, reminders, retention, and who sees what in the admin."""

import csv
import datetime
import html
import io
import re
from urllib.parse import urlparse

import pytest
from django.contrib.auth.models import Group, Permission
from django.core import mail
from django.core.cache import cache
from django.core.mail.backends.base import BaseEmailBackend
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar
from wagtail.models import GroupPagePermission, ModelLogEntry

from events import registration as seats
from events.models import Registration, RegistrationStatus
from tests.factories import EventPageFactory, NeighbourhoodPageFactory, RegistrationFactory, UserFactory

CANCEL_LINK = re.compile(r"https?://\S+/inscriptions/annuler/\S+/")


class BrokenBackend(BaseEmailBackend):
    """A mail server that is down."""

    def send_messages(self, email_messages):
        raise ConnectionRefusedError("SMTP indisponible")


@pytest.fixture(autouse=True)
def _fresh_cache():
    # Rate-limit counters and the "already registered" throttle live in the cache.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def event(neighbourhood):
    return EventPageFactory(parent=neighbourhood, title="Forum de l'alternance", slug="forum-alternance")


def form_data(**overrides):
    data = {
        "first_name": "Inès",
        "last_name": "Benali",
        "email": "ines@example.org",
        "phone": "",
        "age_range": "18-25",
        "guardian_email": "",
        "neighbourhood": "Tarascon",
        "companion": "seul",
        "privacy_accepted": "on",
        "site_web": "",
    }
    data.update(overrides)
    return data


def register(client, event, capture, ip="203.0.113.7", **overrides):
    """POST the public form as a browser would, running the on-commit e-mails."""
    with capture(execute=True):
        return client.post(event.url, form_data(**overrides), REMOTE_ADDR=ip)


def page_text(response):
    # No-break spaces before « : ? ! » (home/typography.py) read as plain ones here.
    return html.unescape(response.content.decode()).replace("\xa0", " ")


def subject(message):
    return message.subject.replace("\xa0", " ")


def cancel_path(message):
    return urlparse(CANCEL_LINK.search(message.body).group(0)).path


# --- the form --------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_invalid_form_answers_in_french_keeps_what_was_typed_and_stores_nothing(client, event, mailoutbox):
    response = client.post(event.url, form_data(last_name="", email="pas-une-adresse", privacy_accepted=""))
    assert response.status_code == 400
    text = page_text(response)
    assert "L'inscription n'est pas encore faite" in text
    # The site's « tu », not Django's « vous » (tests/test_french.py covers every public form).
    assert "Remplis ce champ." in text
    assert "Écris une adresse e-mail complète, par exemple prenom@exemple.fr." in text
    assert "Coche cette case pour t'inscrire." in text
    assert 'value="Inès"' in text
    assert 'value="pas-une-adresse"' in text
    assert 'value="Tarascon"' in text
    assert not Registration.objects.exists()
    assert mailoutbox == []


@pytest.mark.django_db
def test_under_15_needs_a_guardian_email(client, event, mailoutbox, django_capture_on_commit_callbacks):
    response = register(client, event, django_capture_on_commit_callbacks, age_range="moins-15")
    assert response.status_code == 400
    assert "Tu as moins de 15 ans : indique l'e-mail d'un parent." in page_text(response)
    assert not Registration.objects.exists()

    response = register(
        client, event, django_capture_on_commit_callbacks, age_range="moins-15", guardian_email="ines@example.org"
    )
    assert response.status_code == 400
    assert "L'e-mail du parent doit être différent du tien." in page_text(response)

    response = register(
        client, event, django_capture_on_commit_callbacks, age_range="moins-15", guardian_email="Parent@Example.org"
    )
    assert response.status_code == 302
    registration = Registration.objects.get()
    assert registration.guardian_email == "parent@example.org"
    assert mailoutbox[0].cc == ["parent@example.org"]


@pytest.mark.django_db
def test_valid_registration_redirects_then_says_the_seat_is_taken(
    client, event, mailoutbox, django_capture_on_commit_callbacks
):
    response = register(client, event, django_capture_on_commit_callbacks, email="  Ines@Example.ORG ")
    assert response.status_code == 302
    assert response["Location"] == f"{event.url}?inscription=confirmee#inscription"
    registration = Registration.objects.get()
    assert registration.status == RegistrationStatus.CONFIRMED
    assert registration.email == "ines@example.org"
    assert registration.confirmation_sent_at is not None

    page = client.get(response["Location"])
    assert page.status_code == 200
    assert "Ta place est réservée" in page_text(page)
    # The event page itself counts the seat taken.
    assert "Il reste 19 places sur 20" in page_text(client.get(event.url)).replace("<strong>", "").replace(
        "</strong>", ""
    )
    assert [subject(m) for m in mailoutbox] == ["Inscription confirmée : Forum de l'alternance"]


@pytest.mark.django_db
def test_registration_is_refused_once_closed(client, event, django_capture_on_commit_callbacks):
    event.registration_deadline = timezone.now() - datetime.timedelta(minutes=1)
    event.save()
    response = register(client, event, django_capture_on_commit_callbacks)
    assert response["Location"] == f"{event.url}?inscription=fermee#inscription"
    assert not Registration.objects.exists()
    assert "Les inscriptions sont fermées pour cet événement." in page_text(client.get(response["Location"]))


# --- seats and waiting list ------------------------------------------------------------------------


@pytest.mark.django_db
def test_confirmed_never_exceeds_capacity_and_the_next_one_waits(
    client, event, mailoutbox, django_capture_on_commit_callbacks
):
    event.capacity = 2
    event.save()
    locations = [
        register(client, event, django_capture_on_commit_callbacks, email=f"jeune{n}@example.org")["Location"]
        for n in range(3)
    ]
    assert locations[:2] == [f"{event.url}?inscription=confirmee#inscription"] * 2
    assert locations[2] == f"{event.url}?inscription=attente#inscription"
    assert event.registrations.filter(status=RegistrationStatus.CONFIRMED).count() == 2
    assert Registration.objects.get(email="jeune2@example.org").status == RegistrationStatus.WAITING

    assert "tu es sur la liste d'attente" in page_text(client.get(locations[2]))
    assert "M'inscrire sur la liste d'attente" in page_text(client.get(event.url))

    waiting_mail = mailoutbox[2]
    assert waiting_mail.to == ["jeune2@example.org"]
    assert subject(waiting_mail) == "Liste d'attente : Forum de l'alternance"
    assert "tu es sur la liste d'attente" in waiting_mail.body


# --- the same e-mail twice -------------------------------------------------------------------------


@pytest.mark.django_db
def test_duplicate_email_creates_nothing_answers_like_a_newcomer_and_tells_the_owner(
    client, event, mailoutbox, django_capture_on_commit_callbacks
):
    event.capacity = 1
    event.save()
    register(client, event, django_capture_on_commit_callbacks, email="ines@example.org")
    mailoutbox.clear()

    duplicate = register(
        client, event, django_capture_on_commit_callbacks, email="INES@example.org", first_name="Autre", last_name="Nom"
    )
    newcomer = register(client, event, django_capture_on_commit_callbacks, email="sami@example.org", ip="198.51.100.9")

    # The event is full: both are told "waiting list", though Inès really holds a seat.
    assert duplicate.status_code == newcomer.status_code == 302
    assert duplicate["Location"] == newcomer["Location"] == f"{event.url}?inscription=attente#inscription"
    assert dict(duplicate.headers) == dict(newcomer.headers)
    assert duplicate.content == newcomer.content
    assert duplicate.cookies.keys() == newcomer.cookies.keys()

    assert Registration.objects.filter(email="ines@example.org").count() == 1
    kept = Registration.objects.get(email="ines@example.org")
    assert (kept.first_name, kept.status) == ("Inès", RegistrationStatus.CONFIRMED)

    to_owner = [m for m in mailoutbox if m.to == ["ines@example.org"]]
    assert len(to_owner) == 1
    assert subject(to_owner[0]) == "Tu es déjà inscrit·e : Forum de l'alternance"
    assert "Tu étais déjà inscrit·e" in to_owner[0].body

    # Submitting again within the hour does not flood the owner's inbox.
    register(client, event, django_capture_on_commit_callbacks, email="ines@example.org")
    assert len([m for m in mailoutbox if m.to == ["ines@example.org"]]) == 1


# --- confirmation e-mail, .ics and cancellation ----------------------------------------------------


@pytest.mark.django_db
def test_confirmation_has_an_ics_and_a_cancel_link_that_needs_a_post(
    client, event, mailoutbox, django_capture_on_commit_callbacks
):
    register(client, event, django_capture_on_commit_callbacks)
    message = mailoutbox[0]
    (filename, content, mimetype) = message.attachments[0]
    assert filename == "forum-alternance.ics"
    assert mimetype == "text/calendar"
    calendar = Calendar.from_ical(content)
    [entry] = calendar.walk("VEVENT")
    assert str(entry["summary"]) == "Forum de l'alternance"
    assert entry.decoded("dtstart") == event.start_at
    assert entry.decoded("dtend") == event.end_at

    path = cancel_path(message)
    registration = Registration.objects.get()

    page = client.get(path)
    assert page.status_code == 200
    assert "Oui, j'annule mon inscription" in page_text(page)
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.CONFIRMED

    done = client.post(path)
    assert done.status_code == 302
    assert done["Location"] == f"{path}?fait=1"
    assert "est annulée" in page_text(client.get(done["Location"]))
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.CANCELLED
    assert registration.cancelled_at is not None

    token = path.rstrip("/").rsplit("/", 1)[1]
    tampered = token[:-1] + ("A" if token[-1] != "A" else "B")
    assert client.get(reverse("events:cancel", args=[tampered])).status_code == 404
    assert client.post(reverse("events:cancel", args=[tampered])).status_code == 404


@pytest.mark.django_db
def test_cancelling_promotes_the_first_waiting_person_once(
    client, event, mailoutbox, django_capture_on_commit_callbacks
):
    event.capacity = 1
    event.save()
    for name in ("ines", "sami", "lea"):
        register(client, event, django_capture_on_commit_callbacks, email=f"{name}@example.org")
    first_link = cancel_path(mailoutbox[0])
    mailoutbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        client.post(first_link)
    statuses = dict(Registration.objects.values_list("email", "status"))
    assert statuses == {
        "ines@example.org": RegistrationStatus.CANCELLED,
        "sami@example.org": RegistrationStatus.CONFIRMED,
        "lea@example.org": RegistrationStatus.WAITING,
    }
    assert Registration.objects.get(email="sami@example.org").promoted_at is not None
    assert [(m.to, subject(m)) for m in mailoutbox] == [
        (["ines@example.org"], "Inscription annulée : Forum de l'alternance"),
        (["sami@example.org"], "Une place s'est libérée : Forum de l'alternance"),
    ]

    # A second cancel (double click, old tab) changes nothing and e-mails no one.
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(first_link).status_code == 200
    call_command("send_event_emails", stdout=io.StringIO())
    assert len(mailoutbox) == 2
    assert Registration.objects.get(email="lea@example.org").status == RegistrationStatus.WAITING


@pytest.mark.django_db
def test_cancelling_a_waiting_registration_promotes_no_one(event, mailoutbox, django_capture_on_commit_callbacks):
    event.capacity = 1
    event.save()
    RegistrationFactory(event=event, status=RegistrationStatus.CONFIRMED)
    waiting = RegistrationFactory(event=event, status=RegistrationStatus.WAITING)
    other = RegistrationFactory(event=event, status=RegistrationStatus.WAITING)
    with django_capture_on_commit_callbacks(execute=True):
        assert seats.cancel(waiting) is None
    other.refresh_from_db()
    assert other.status == RegistrationStatus.WAITING
    assert mailoutbox == []


# --- mail server down ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_failing_mail_server_keeps_the_registration_and_the_retry_sends_it_once(
    client, event, settings, django_capture_on_commit_callbacks, caplog
):
    settings.EMAIL_BACKEND = "tests.test_registrations.BrokenBackend"
    response = register(client, event, django_capture_on_commit_callbacks)
    assert response.status_code == 302
    assert response["Location"] == f"{event.url}?inscription=confirmee#inscription"
    registration = Registration.objects.get()
    assert registration.status == RegistrationStatus.CONFIRMED
    assert registration.confirmation_sent_at is None
    assert "not sent" in caplog.text

    # Still down: the retry fails too, and leaves it to be retried again.
    call_command("send_event_emails", stdout=io.StringIO())
    registration.refresh_from_db()
    assert registration.confirmation_sent_at is None

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    out = io.StringIO()
    call_command("send_event_emails", stdout=out)
    assert "E-mails renvoyés : 1." in out.getvalue()
    assert [subject(m) for m in mail.outbox] == ["Inscription confirmée : Forum de l'alternance"]
    assert CANCEL_LINK.search(mail.outbox[0].body)
    registration.refresh_from_db()
    assert registration.confirmation_sent_at is not None

    call_command("send_event_emails", stdout=io.StringIO())
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_failed_promotion_is_retried_and_past_events_are_left_alone(
    event, neighbourhood, settings, django_capture_on_commit_callbacks
):
    event.capacity = 1
    event.save()
    leaving = RegistrationFactory(event=event, confirmation_sent_at=timezone.now())
    waiting = RegistrationFactory(event=event, status=RegistrationStatus.WAITING, confirmation_sent_at=timezone.now())
    past = EventPageFactory(parent=neighbourhood, start_at=timezone.now() - datetime.timedelta(days=3))
    RegistrationFactory(event=past)  # its confirmation never left, and it is too late now

    settings.EMAIL_BACKEND = "tests.test_registrations.BrokenBackend"
    with django_capture_on_commit_callbacks(execute=True):
        seats.cancel(leaving)
    waiting.refresh_from_db()
    assert waiting.status == RegistrationStatus.CONFIRMED
    assert waiting.promotion_sent_at is None

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    call_command("send_event_emails", stdout=io.StringIO())
    call_command("send_event_emails", stdout=io.StringIO())
    assert [(m.to, subject(m)) for m in mail.outbox] == [
        ([waiting.email], "Une place s'est libérée : Forum de l'alternance")
    ]


# --- reminders -------------------------------------------------------------------------------------


def paris_time(days_from_today, hour, minute=0):
    day = timezone.localdate() + datetime.timedelta(days=days_from_today)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


@pytest.mark.django_db
def test_reminders_go_once_to_confirmed_people_of_tomorrows_events(neighbourhood, mailoutbox, settings):
    tomorrow = EventPageFactory(parent=neighbourhood, title="Demain", start_at=paris_time(1, 10))
    # 00:30 in Paris is still the previous day in UTC: the Paris calendar day is what counts.
    tomorrow_early = EventPageFactory(parent=neighbourhood, title="Demain tôt", start_at=paris_time(1, 0, 30))
    tonight = EventPageFactory(parent=neighbourhood, title="Ce soir", start_at=paris_time(0, 23, 30))
    later = EventPageFactory(parent=neighbourhood, title="Après-demain", start_at=paris_time(2, 10))
    expected = {
        RegistrationFactory(event=tomorrow, email="confirme@example.org").email,
        RegistrationFactory(event=tomorrow_early, email="tot@example.org").email,
    }
    RegistrationFactory(event=tomorrow, status=RegistrationStatus.WAITING)
    RegistrationFactory(event=tomorrow, status=RegistrationStatus.CANCELLED)
    RegistrationFactory(event=tonight)
    RegistrationFactory(event=later)

    out = io.StringIO()
    call_command("send_event_reminders", stdout=out)
    assert "Rappels envoyés : 2." in out.getvalue()
    call_command("send_event_reminders", stdout=io.StringIO())

    assert {m.to[0] for m in mailoutbox} == expected
    assert len(mailoutbox) == 2
    assert all(subject(m).startswith("C'est demain : ") for m in mailoutbox)
    assert Registration.objects.filter(reminder_sent_at__isnull=False).count() == 2


@pytest.mark.django_db
def test_a_claimed_reminder_is_not_sent_again_and_a_failed_one_is_retried(neighbourhood, settings):
    event = EventPageFactory(parent=neighbourhood, start_at=paris_time(1, 14))
    registration = RegistrationFactory(event=event)

    # Another cron host claimed it a moment ago: this run leaves it alone.
    Registration.objects.filter(pk=registration.pk).update(reminder_sent_at=timezone.now())
    assert seats.send_reminder(registration) is None
    Registration.objects.filter(pk=registration.pk).update(reminder_sent_at=None)

    settings.EMAIL_BACKEND = "tests.test_registrations.BrokenBackend"
    call_command("send_event_reminders", stdout=io.StringIO())
    registration.refresh_from_db()
    assert registration.reminder_sent_at is None

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    call_command("send_event_reminders", stdout=io.StringIO())
    assert len(mail.outbox) == 1


# --- bots and rate limit ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_honeypot_gets_the_usual_redirect_and_stores_nothing(
    client, event, mailoutbox, django_capture_on_commit_callbacks
):
    response = register(client, event, django_capture_on_commit_callbacks, site_web="https://spam.example")
    assert response.status_code == 302
    assert response["Location"] == f"{event.url}?inscription=confirmee#inscription"
    assert not Registration.objects.exists()
    assert mailoutbox == []


@pytest.mark.django_db
def test_a_class_of_30_registers_from_one_address(client, event, settings, django_capture_on_commit_callbacks):
    assert settings.REGISTRATION_RATE_LIMIT == (60, 600)
    event.capacity = None
    event.save()
    for n in range(30):
        response = register(client, event, django_capture_on_commit_callbacks, email=f"eleve{n}@example.org")
        assert response.status_code == 302, n
    assert event.registrations.count() == 30


@pytest.mark.django_db
def test_rate_limit_answers_429_in_french_and_keeps_the_form(
    client, event, settings, django_capture_on_commit_callbacks
):
    settings.REGISTRATION_RATE_LIMIT = (3, 600)
    for n in range(3):
        assert (
            register(client, event, django_capture_on_commit_callbacks, email=f"eleve{n}@example.org").status_code
            == 302
        )
    response = register(
        client, event, django_capture_on_commit_callbacks, email="de-trop@example.org", first_name="Yanis"
    )
    assert response.status_code == 429
    text = page_text(response)
    assert "Trop d'inscriptions depuis cette connexion. Réessaie dans quelques minutes." in text
    assert 'value="Yanis"' in text
    assert 'value="de-trop@example.org"' in text
    assert not Registration.objects.filter(email="de-trop@example.org").exists()
    # Another address is not affected.
    other = register(
        client, event, django_capture_on_commit_callbacks, ip="198.51.100.20", email="ailleurs@example.org"
    )
    assert other.status_code == 302


# --- retention -------------------------------------------------------------------------------------


def _snapshot():
    return sorted(Registration.objects.values_list())


def _counts(event):
    return sorted(event.registrations.values_list("status", "age_range", "companion"))


@pytest.mark.django_db
def test_retention_anonymises_old_events_only_keeps_counts_and_is_idempotent(client, neighbourhood, settings):
    settings.REGISTRATION_RETENTION_DAYS = 30
    now = timezone.now()
    old = EventPageFactory(parent=neighbourhood, start_at=now - datetime.timedelta(days=40))
    recent = EventPageFactory(parent=neighbourhood, start_at=now - datetime.timedelta(days=5))
    upcoming = EventPageFactory(parent=neighbourhood)
    RegistrationFactory(event=old, phone="06 12 34 56 78", age_range="moins-15", guardian_email="parent@example.org")
    RegistrationFactory(event=old, status=RegistrationStatus.CANCELLED, companion="parent")
    RegistrationFactory(event=old, status=RegistrationStatus.WAITING)
    RegistrationFactory(event=recent)
    RegistrationFactory(event=upcoming)
    old_counts = _counts(old)
    token = seats.cancel_token(old.registrations.first())

    before = _snapshot()
    out = io.StringIO()
    call_command("purge_registrations", "--dry-run", stdout=out)
    assert "Simulation : 3 inscription(s) de 1 événement(s)" in out.getvalue()
    assert "Rien n'a été modifié." in out.getvalue()
    assert _snapshot() == before

    out = io.StringIO()
    call_command("purge_registrations", stdout=out)
    assert "3 inscription(s) de 1 événement(s) terminés depuis plus de 30 jours anonymisées." in out.getvalue()
    for registration in old.registrations.all():
        assert registration.anonymised_at is not None
        assert (registration.first_name, registration.last_name, registration.email) == ("", "", "")
        assert (registration.phone, registration.guardian_email, registration.neighbourhood) == ("", "", "")
        assert str(registration).startswith("Inscription anonymisée")
    assert _counts(old) == old_counts
    assert not recent.registrations.filter(anonymised_at__isnull=False).exists()
    assert not upcoming.registrations.filter(anonymised_at__isnull=False).exists()
    assert recent.registrations.get().email != ""

    after = _snapshot()
    out = io.StringIO()
    call_command("purge_registrations", stdout=out)
    assert out.getvalue().startswith("0 inscription(s)")
    assert _snapshot() == after

    # --days overrides the setting; the link in an old e-mail no longer opens anything.
    call_command("purge_registrations", "--days", "3", stdout=io.StringIO())
    assert recent.registrations.get().anonymised_at is not None
    assert not upcoming.registrations.filter(anonymised_at__isnull=False).exists()
    gone = client.get(reverse("events:cancel", args=[token]))
    assert gone.status_code == 410
    assert "Ce lien a expiré" in page_text(gone)


@pytest.mark.django_db
def test_cancel_link_of_an_anonymised_registration_is_gone(client, event):
    registration = RegistrationFactory(event=event, anonymised_at=timezone.now(), email="")
    response = client.get(reverse("events:cancel", args=[seats.cancel_token(registration)]))
    assert response.status_code == 410
    assert "cette inscription n'existe plus, ses informations ont été effacées" in page_text(response)
    assert "Oui, j'annule" not in page_text(response)


# --- admin: listing, export and permissions --------------------------------------------------------


@pytest.fixture
def two_hubs(neighbourhood, neighbourhood_index):
    other_hub = NeighbourhoodPageFactory(parent=neighbourhood_index, title="Félix Pyat", slug="felix-pyat")
    mine = EventPageFactory(parent=neighbourhood, title="Forum de Tarascon")
    theirs = EventPageFactory(parent=other_hub, title="Forum secret de Félix Pyat", live=False)
    return {
        "hub": neighbourhood,
        "mine": mine,
        "theirs": theirs,
        "my_registration": RegistrationFactory(event=mine, first_name="Amina", last_name="Tarasconnaise"),
        "their_registration": RegistrationFactory(event=theirs, first_name="Karim", last_name="Marseillais"),
    }


@pytest.fixture
def hub_editor(two_hubs):
    group = Group.objects.create(name="Coordination Tarascon")
    group.permissions.add(Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin"))
    GroupPagePermission.objects.create(
        group=group,
        page=two_hubs["hub"],
        permission=Permission.objects.get(content_type__app_label="wagtailcore", codename="change_page"),
    )
    user = UserFactory(username="coord-tarascon")
    user.groups.add(group)
    return user


def export_rows(client, query=""):
    response = client.get(reverse("inscriptions:index") + "?export=csv" + query)
    assert response.status_code == 200
    content = b"".join(response.streaming_content).decode()
    return list(csv.reader(io.StringIO(content)))


@pytest.mark.django_db
def test_editor_lists_and_exports_only_their_hubs_registrations(client, two_hubs, hub_editor):
    client.force_login(hub_editor)
    listing = client.get(reverse("inscriptions:index"))
    assert listing.status_code == 200
    text = page_text(listing)
    assert "Amina Tarasconnaise" in text
    assert "Karim" not in text
    assert "Forum secret" not in text  # not even in the event filter

    rows = export_rows(client)
    assert rows[0][:3] == ["Événement", "Prénom", "Nom"]
    assert [row[1] for row in rows[1:]] == ["Amina"]
    # Filtering by another hub's event does not open it either (the choice is simply invalid).
    assert "Karim" not in {row[1] for row in export_rows(client, f"&event={two_hubs['theirs'].pk}")}
    assert "Marseillais" not in page_text(client.get(reverse("inscriptions:index") + "?q=Karim"))
    assert "Tarasconnaise" in page_text(client.get(reverse("inscriptions:index") + "?q=amina"))
    assert "Tarasconnaise" not in page_text(client.get(reverse("inscriptions:index") + "?q=personne"))


@pytest.mark.django_db
def test_editor_cannot_open_edit_or_delete_another_hubs_registration(client, two_hubs, hub_editor):
    client.force_login(hub_editor)
    theirs = two_hubs["their_registration"]
    edit_url = reverse("inscriptions:edit", args=[theirs.pk])
    delete_url = reverse("inscriptions:delete", args=[theirs.pk])
    before = Registration.objects.filter(pk=theirs.pk).values().get()
    assert client.get(edit_url).status_code in {403, 404}
    assert client.post(edit_url, {**form_data(), "first_name": "Pirate"}).status_code in {403, 404}
    assert client.get(delete_url).status_code in {403, 404}
    assert client.post(delete_url).status_code in {403, 404}
    assert Registration.objects.filter(pk=theirs.pk).values().get() == before

    # Their own hub's registration opens, and a correction is logged without the person's name.
    mine = two_hubs["my_registration"]
    assert client.get(reverse("inscriptions:edit", args=[mine.pk])).status_code == 200
    response = client.post(
        reverse("inscriptions:edit", args=[mine.pk]),
        {**form_data(email=mine.email), "first_name": "Amina", "last_name": "Corrigée"},
    )
    assert response.status_code == 302
    mine.refresh_from_db()
    assert mine.last_name == "Corrigée"
    assert mine.status == RegistrationStatus.CONFIRMED
    labels = list(ModelLogEntry.objects.values_list("label", flat=True))
    assert labels == [f"Inscription #{mine.pk}"]


@pytest.mark.django_db
def test_deleting_a_confirmed_registration_in_the_admin_promotes_the_next(
    client, two_hubs, hub_editor, mailoutbox, django_capture_on_commit_callbacks
):
    mine = two_hubs["mine"]
    mine.capacity = 1
    mine.save()
    waiting = RegistrationFactory(event=mine, status=RegistrationStatus.WAITING)
    client.force_login(hub_editor)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("inscriptions:delete", args=[two_hubs["my_registration"].pk]))
    assert response.status_code == 302
    assert not Registration.objects.filter(pk=two_hubs["my_registration"].pk).exists()
    waiting.refresh_from_db()
    assert waiting.status == RegistrationStatus.CONFIRMED
    assert [m.to for m in mailoutbox] == [[waiting.email]]


@pytest.mark.django_db
def test_superuser_sees_all_users_without_page_rights_see_nothing(client, admin_client, two_hubs):
    rows = export_rows(admin_client)
    assert sorted(row[1] for row in rows[1:]) == ["Amina", "Karim"]

    nobody = UserFactory(username="sans-droits")
    nobody.user_permissions.add(Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin"))
    client.force_login(nobody)
    assert client.get(reverse("inscriptions:index")).status_code in {302, 403}
    assert client.get(reverse("inscriptions:index") + "?export=csv").status_code in {302, 403}
    # Wagtail answers a refused admin page with a redirect to the dashboard.
    assert client.get(reverse("inscriptions:edit", args=[two_hubs["my_registration"].pk])).status_code in {
        302,
        403,
        404,
    }


@pytest.mark.django_db
def test_there_is_no_add_view(admin_client, two_hubs):
    assert admin_client.get("/admin/inscriptions/new/").status_code == 404
    listing = page_text(admin_client.get(reverse("inscriptions:index")))
    assert "/admin/inscriptions/new/" not in listing


@pytest.mark.django_db
def test_csv_export_neutralises_spreadsheet_formulas(admin_client, two_hubs):
    event = two_hubs["mine"]
    RegistrationFactory(
        event=event,
        first_name='=HYPERLINK("https://pirate.example","clic")',
        last_name="+33",
        neighbourhood="@SUM(A1)",
        phone="-1",
    )
    RegistrationFactory(event=event, first_name="\tTab", last_name="\rRetour", neighbourhood="Normal - quartier")
    rows = export_rows(admin_client, f"&event={event.pk}")
    by_first = {row[1]: row for row in rows[1:]}
    hostile = by_first['\'=HYPERLINK("https://pirate.example","clic")']
    assert hostile[2] == "'+33"
    assert hostile[4] == "'-1"
    assert hostile[7] == "'@SUM(A1)"
    other = by_first["'\tTab"]
    assert other[2] == "'\rRetour"
    assert other[7] == "Normal - quartier"
    assert by_first["Amina"][2] == "Tarasconnaise"
