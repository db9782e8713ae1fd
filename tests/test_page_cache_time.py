"""The page cache and the passing of time (home/page_cache.py): no cached page outlives the next
expiry of anything it shows — a consent that ends "today" (the ledger's dates change meaning at
local midnight, Europe/Paris), an event's registration deadline, start or end.

Time is moved through ``home.page_cache.clock``, the one clock the page cache reads; pages render
with the real time, so a date passing is reproduced by moving the dates stored in the database
back by the same amount — with ``QuerySet.update``, which sends no signal: exactly "a date passing,
no save", the case the generation number cannot see."""

import datetime

import pytest
from django.core.cache import cache
from django.utils import timezone

from events.models import EventPage
from home import page_cache
from home.models import SiteSettings
from stories.models import PortraitConsent
from tests.factories import EventPageFactory, publish_portrait

PARIS = timezone.get_default_timezone()


@pytest.fixture(autouse=True)
def page_cache_on(settings, site_tree):
    settings.PAGE_CACHE_SECONDS = 600
    SiteSettings.for_site(site_tree["site"])
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def clock(monkeypatch):
    """The page cache's clock, set to a given instant."""

    class Clock:
        def set(self, instant):
            monkeypatch.setattr(page_cache, "clock", lambda: instant)

    return Clock()


def today_at(hour, minute=0, second=0, days=0):
    day = timezone.localdate() + datetime.timedelta(days=days)
    return datetime.datetime.combine(day, datetime.time(hour, minute, second), tzinfo=PARIS)


def test_a_consent_expiring_today_is_not_served_from_the_cache_after_midnight(client, neighbourhood, clock):
    today = timezone.localdate()
    portrait = publish_portrait(neighbourhood, title="Lina, cheffe de chantier", consent={"expires_on": today})
    clock.set(today_at(23, 59, 30))
    first = client.get(portrait.url)
    assert first.status_code == 200
    assert first["X-Cache"] == "MISS"
    assert client.get(portrait.url)["X-Cache"] == "HIT"

    # Midnight passes. For the page's own rules it is now the day after the last day of consent: moving
    # the expiry one day back (no save, no signal) is that same state of the world seen from today.
    PortraitConsent.objects.filter(portrait=portrait).update(expires_on=today - datetime.timedelta(days=1))
    # Before midnight the cache cannot know, and need not: the consent is still valid until then.
    assert client.get(portrait.url)["X-Cache"] == "HIT"

    clock.set(today_at(0, 0, 1, days=1))
    response = client.get(portrait.url)
    assert response.status_code == 404
    assert "X-Cache" not in response
    assert "Lina, cheffe de chantier" not in response.content.decode()


def test_the_listing_that_shows_the_portrait_is_retired_at_midnight_too(client, neighbourhood, portrait_index, clock):
    portrait = publish_portrait(neighbourhood, consent={"expires_on": timezone.localdate()})
    clock.set(today_at(22))
    assert portrait.url in client.get(portrait_index.url).content.decode()
    assert client.get(portrait_index.url)["X-Cache"] == "HIT"

    PortraitConsent.objects.update(expires_on=timezone.localdate() - datetime.timedelta(days=1))
    clock.set(today_at(0, 0, 0, days=1))
    response = client.get(portrait_index.url)
    assert response["X-Cache"] == "MISS"
    assert portrait.url not in response.content.decode()


@pytest.mark.parametrize(
    ("moment", "fields"),
    [
        ("registration_deadline", {"registration_deadline": 2}),
        ("start_at", {}),
        ("end_at", {}),
    ],
)
def test_event_listings_are_not_served_past_a_deadline_a_start_or_an_end(client, neighbourhood, clock, moment, fields):
    now = timezone.now().replace(microsecond=0)
    start = now + datetime.timedelta(hours=3)
    extra = {name: now + datetime.timedelta(hours=hours) for name, hours in fields.items()}
    event = EventPageFactory(parent=neighbourhood, title="Forum de la logistique", start_at=start, **extra)
    index = neighbourhood.url  # the hub lists its upcoming events
    instant = getattr(EventPage.objects.get(pk=event.pk), moment)

    clock.set(instant - datetime.timedelta(seconds=2))
    assert client.get(index)["X-Cache"] == "MISS"
    assert client.get(index)["X-Cache"] == "HIT"

    clock.set(instant + datetime.timedelta(seconds=1))
    assert client.get(index)["X-Cache"] == "MISS"


def test_without_any_event_an_entry_still_ends_at_midnight(client, home_page, clock):
    clock.set(today_at(23, 59, 58))
    assert client.get(home_page.url)["X-Cache"] == "MISS"
    assert client.get(home_page.url)["X-Cache"] == "HIT"
    clock.set(today_at(0, 0, 0, days=1))
    assert client.get(home_page.url)["X-Cache"] == "MISS"


def test_an_entry_with_less_than_a_second_left_is_not_stored(client, home_page, clock):
    clock.set(today_at(23, 59, 59) + datetime.timedelta(milliseconds=500))
    assert "X-Cache" not in client.get(home_page.url)
    assert "X-Cache" not in client.get(home_page.url)


def test_the_next_change_is_worked_out_once_per_generation(client, neighbourhood, clock, django_assert_num_queries):
    # Tomorrow morning: every instant below falls before the next local midnight, whatever the hour
    # the suite runs at (midnight is itself a boundary and would otherwise win).
    now = today_at(8, days=1)
    EventPageFactory(parent=neighbourhood, start_at=now + datetime.timedelta(hours=5))
    other = EventPageFactory(parent=neighbourhood, start_at=now + datetime.timedelta(hours=2))
    generation = page_cache.current_generation()
    assert page_cache.next_boundary(generation, now) == other.start_at.timestamp()
    with django_assert_num_queries(0):
        assert page_cache.next_boundary(generation, now + datetime.timedelta(hours=1)) == other.start_at.timestamp()
    # Once that instant has passed, the next one is looked up.
    later = now + datetime.timedelta(hours=2, seconds=1)
    assert page_cache.next_boundary(generation, later) == other.end_at.timestamp()
