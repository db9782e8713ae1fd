"""The home page as a first visit sees it: the three calls to action under the hero (portraits, the
neighbourhoods, the next event), portraits featured from every neighbourhood in turn, what it costs
in queries and how long the page cache may keep the next event."""

import datetime

import pytest
from bs4 import BeautifulSoup
from django.core.cache import cache
from django.utils import timezone
from wagtail.models import PageViewRestriction

from events.models import EventPage
from home import page_cache
from home.models import SiteSettings
from stories.models import PortraitConsent
from tests.factories import EventPageFactory, NeighbourhoodPageFactory, PortraitPageFactory, publish_portrait
from tests.test_site import _queries_for, live_portraits


def soup_of(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return BeautifulSoup(response.content, "html.parser")


def actions(soup):
    """The calls to action as (text, href), text with its spaces normalised."""
    return [(" ".join(a.get_text(" ", strip=True).split()), a["href"]) for a in soup.select(".home-actions a")]


def event_in(parent, days, **kwargs):
    start = timezone.now().replace(microsecond=0) + datetime.timedelta(days=days)
    return EventPageFactory(parent=parent, start_at=start, end_at=start + datetime.timedelta(hours=3), **kwargs)


def card_names(soup):
    section = soup.select_one('section[aria-labelledby="featured-portraits-title"]')
    if section is None:
        return []
    return [a.get_text(strip=True).rsplit(",", 1)[0] for a in section.select(".portrait-card .card__title a")]


@pytest.fixture
def bellevue(neighbourhood_index):
    return NeighbourhoodPageFactory(parent=neighbourhood_index, title="Bellevue", slug="bellevue")


# ---------------------------------------------------------------------------------------------
# Calls to action


@pytest.mark.django_db
def test_the_three_calls_to_action_lead_to_portraits_neighbourhoods_and_the_next_forum(
    client, neighbourhood, bellevue, portrait_index
):
    event_in(neighbourhood, -2, title="Forum d'avant-hier")
    event_in(neighbourhood, 1, title="Forum en brouillon", live=False)
    hidden = event_in(bellevue, 2, title="Forum réservé")
    PageViewRestriction.objects.create(page=hidden, restriction_type="password", password="secret")
    soonest = event_in(bellevue, 5, title="Forum de Bellevue")
    event_in(neighbourhood, 9, title="Forum de Tarascon")

    soup = soup_of(client, "/")
    start = timezone.localtime(EventPage.objects.get(pk=soonest.pk).start_at)
    day = ["lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"][start.weekday()]
    month = ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre",
             "novembre", "décembre"][start.month - 1]  # fmt: skip
    assert actions(soup) == [
        ("Trouve un modèle comme toi", portrait_index.url),
        ("Mon quartier", "/quartiers/"),
        (
            f"Prochain forum Forum de Bellevue {day.capitalize()} {start.day} {month} · {start:%H}h{start:%M}",
            soonest.url,
        ),
    ]
    # They are near the top: inside the hero, before any other section of the page.
    assert soup.select_one(".hero .home-actions") is not None
    # Each one leads to the page it names.
    assert soup_of(client, portrait_index.url).h1.get_text(strip=True) == portrait_index.title
    assert soup_of(client, "/quartiers/").h1.get_text(strip=True) == "Quartiers"
    assert soup_of(client, soonest.url).h1.get_text(strip=True) == "Forum de Bellevue"


@pytest.mark.django_db
def test_the_next_event_that_is_not_a_forum_says_rendez_vous(client, neighbourhood):
    event_in(neighbourhood, 3, title="Atelier CV", kind="atelier-cv")
    assert actions(soup_of(client, "/"))[2][0].startswith("Prochain rendez-vous Atelier CV ")


@pytest.mark.django_db
def test_without_an_upcoming_event_there_is_no_call_to_it(client, neighbourhood):
    event_in(neighbourhood, -1, title="Forum d'hier")
    soup = soup_of(client, "/")
    assert [text for text, _href in actions(soup)] == ["Trouve un modèle comme toi", "Mon quartier"]
    assert soup.select_one(".home-action--event") is None
    assert "Forum d'hier" not in soup.select_one(".hero").get_text()


# ---------------------------------------------------------------------------------------------
# Featured portraits


@pytest.mark.django_db
def test_featured_portraits_take_each_neighbourhood_in_turn(client, neighbourhood, bellevue, neighbourhood_index):
    def days_ago(days):
        return timezone.now() - datetime.timedelta(days=days)

    # Bellevue publishes a lot and recently; Tarascon once, a month ago.
    for number in range(5):
        publish_portrait(bellevue, title=f"B{number}", first_name=f"B{number}", first_published_at=days_ago(number))
    publish_portrait(neighbourhood, title="Tess", first_name="Tess", first_published_at=days_ago(30))
    # A third hub whose newest portraits may not be shown: never featured, whatever their date.
    third = NeighbourhoodPageFactory(parent=neighbourhood_index, title="Les Lauriers", slug="les-lauriers")
    PortraitPageFactory(parent=third, title="Sans consentement", first_name="Sans")  # live, no ledger record
    expired = publish_portrait(third, title="Expiré", first_name="Expiré")
    withdrawn = publish_portrait(third, title="Retiré", first_name="Retiré")
    today = timezone.localdate()
    PortraitConsent.objects.filter(portrait=expired).update(expires_on=today - datetime.timedelta(days=1))
    PortraitConsent.objects.filter(portrait=withdrawn).update(withdrawn_on=today)

    soup = soup_of(client, "/")
    assert card_names(soup) == ["B0", "Tess", "B1"]
    section = soup.select_one('section[aria-labelledby="featured-portraits-title"]')
    places = [meta.get_text(" ", strip=True).rsplit(" ", 1)[-1] for meta in section.select(".card__meta")]
    assert places == ["Bellevue", "Tarascon", "Bellevue"]

    # Once the third hub has a portrait that may be public, it takes its turn too.
    publish_portrait(third, title="Lina", first_name="Lina", first_published_at=days_ago(60))
    assert card_names(soup_of(client, "/")) == ["B0", "Tess", "Lina"]


# ---------------------------------------------------------------------------------------------
# Queries


@pytest.mark.django_db
def test_home_queries_do_not_grow_with_upcoming_events_and_portraits(client, neighbourhood_index):
    hubs = [NeighbourhoodPageFactory(parent=neighbourhood_index, title=f"Quartier {n:02d}") for n in range(8)]

    def populate(per_hub, first_day):
        for hub in hubs:
            live_portraits(hub, per_hub, photos=[None], newest=timezone.now() - datetime.timedelta(days=first_day))
            for n in range(per_hub):
                event_in(hub, first_day + n)

    populate(1, first_day=1)
    few = _queries_for(client, "/")
    populate(12, first_day=30)
    many = _queries_for(client, "/")
    assert many == few
    assert len(soup_of(client, "/").select(".home-action")) == 3


# ---------------------------------------------------------------------------------------------
# Page cache: the call to the next event never outlives that event


@pytest.fixture
def page_cache_on(settings, site_tree):
    settings.PAGE_CACHE_SECONDS = 600
    SiteSettings.for_site(site_tree["site"])
    cache.clear()
    yield
    cache.clear()


@pytest.mark.django_db
def test_the_cached_home_page_moves_to_the_following_event_once_one_ends(
    client, neighbourhood, page_cache_on, monkeypatch
):
    now = timezone.now().replace(microsecond=0)
    end = now + datetime.timedelta(minutes=30)
    # Under way and ending soon: it is still the call, as an event under way is in the listings.
    first = EventPageFactory(
        parent=neighbourhood, title="Forum du jour", start_at=now - datetime.timedelta(hours=1), end_at=end
    )
    event_in(neighbourhood, 4, title="Forum suivant")

    monkeypatch.setattr(page_cache, "clock", lambda: end - datetime.timedelta(seconds=2))
    response = client.get("/")
    assert response["X-Cache"] == "MISS"
    assert "Forum du jour" in BeautifulSoup(response.content, "html.parser").select_one(".home-actions").get_text()
    assert client.get("/")["X-Cache"] == "HIT"

    # The end passes: as in test_page_cache_time, the world after it is the end moved into the past.
    EventPage.objects.filter(pk=first.pk).update(end_at=now - datetime.timedelta(minutes=1))
    monkeypatch.setattr(page_cache, "clock", lambda: end + datetime.timedelta(seconds=1))
    response = client.get("/")
    assert response["X-Cache"] == "MISS"
    call = BeautifulSoup(response.content, "html.parser").select_one(".home-action--event").get_text()
    assert "Forum suivant" in call
    assert "Forum du jour" not in call
