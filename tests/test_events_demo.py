"""The demo events: live at stable URLs (browser tests rely on the slugs), idempotent, in Paris time."""

import datetime
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone
from wagtail.models import Revision

from events.demo import load_events_demo
from events.models import EventCompany, EventPage, Registration

UPCOMING = {
    "/quartiers/parc-bellevue-felix-pyat/forum-emploi-bellevue/": ("forum", 10, "14:00", "17:30", 60),
    "/quartiers/les-lauriers-olivier-a/job-dating-lauriers/": ("job-dating", 17, "09:30", "12:30", 25),
    "/quartiers/tarascon/forum-emploi-tarascon/": ("forum", 24, "13:30", "17:00", 40),
    "/evenements/salon-alternance-bouches-du-rhone/": ("forum", 38, None, None, None),
}
PAST = "/quartiers/tarascon/atelier-cv-tarascon/"


@pytest.fixture
def demo(db):
    call_command("load_demo", stdout=StringIO())


def by_url(url):
    return EventPage.objects.get(slug=url.rstrip("/").rsplit("/", 1)[-1])


@pytest.mark.django_db
def test_demo_events_are_live_at_their_urls_with_companies(demo, client):
    for url, (kind, days, start, end, capacity) in {**UPCOMING, PAST: ("atelier-cv", -20, None, None, 15)}.items():
        event = by_url(url)
        assert event.live, url
        assert event.url == url
        assert event.kind == kind
        assert event.capacity == capacity
        start_at, end_at = timezone.localtime(event.start_at), timezone.localtime(event.end_at)
        assert start_at.date() == timezone.localdate() + datetime.timedelta(days=days)
        if start:
            assert (start_at.strftime("%H:%M"), end_at.strftime("%H:%M")) == (start, end)
        assert start_at.tzinfo.key == "Europe/Paris"
        participants = list(event.participants.select_related("company"))
        assert 2 <= len(participants) <= 4, url
        assert all(p.company.live and p.hiring_for for p in participants)
        assert "fictif" in event.venue or "fictive" in event.venue
        assert event.postal_code in {"13003", "13013", "13150"}
        assert event.tips
        assert event.summary
        response = client.get(url)
        assert response.status_code == 200, url
        assert participants[0].company.title in response.content.decode()
    tarascon = by_url("/quartiers/tarascon/forum-emploi-tarascon/")
    deadline = timezone.localtime(tarascon.registration_deadline)
    assert deadline.date() == timezone.localtime(tarascon.start_at).date() - datetime.timedelta(days=1)
    assert deadline.strftime("%H:%M") == "18:00"
    assert Registration.objects.count() == 0


@pytest.mark.django_db
def test_a_second_run_creates_nothing(demo):
    pages, revisions, participants = EventPage.objects.count(), Revision.objects.count(), EventCompany.objects.count()
    out = StringIO()
    assert load_events_demo(stdout=out) == 0
    assert "0 nouveau" in out.getvalue()
    assert (EventPage.objects.count(), Revision.objects.count(), EventCompany.objects.count()) == (
        pages,
        revisions,
        participants,
    )


@pytest.mark.django_db
def test_a_second_run_keeps_editor_changes(demo):
    event = EventPage.objects.get(slug="forum-emploi-bellevue")
    event.summary = "Résumé réécrit par une coordinatrice."
    event.save_revision().publish()
    load_events_demo()
    assert EventPage.objects.get(slug="forum-emploi-bellevue").summary == "Résumé réécrit par une coordinatrice."


@pytest.mark.django_db
def test_the_past_event_is_only_in_the_archive(demo, client):
    upcoming = client.get("/evenements/").content.decode()
    archive = client.get("/evenements/archives/").content.decode()
    assert PAST not in upcoming
    assert PAST in archive
    for url in UPCOMING:
        assert url in upcoming
        assert url not in archive


@pytest.mark.django_db
def test_each_hub_shows_its_upcoming_event(demo, client):
    for url in UPCOMING:
        if not url.startswith("/quartiers/"):
            continue
        hub = url.rsplit("/", 2)[0] + "/"
        html = client.get(hub).content.decode()
        assert url in html, hub
        assert PAST not in html
