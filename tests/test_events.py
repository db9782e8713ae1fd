"""Events: tree rules, admin forms, listings and filters, the sections on other pages, calendars,
JSON-LD, the event page itself, query counts and the sitemap.

Dates that must be in the future use next year (``NEXT``), so the file does not rot: every day of
next year is after today. Times are Paris wall-clock times unless a name says UTC."""

import datetime
import json
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import icalendar
import pytest
from bs4 import BeautifulSoup
from django.urls import reverse
from django.utils import timezone
from wagtail.models import PageViewRestriction
from wagtail.test.utils import WagtailPageTestCase
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from events.models import EventCompany, EventIndexPage, EventPage, Registration, month_bounds
from home.models import HomePage, NeighbourhoodIndexPage, NeighbourhoodPage, StandardPage
from home.site_structure import ensure_site_structure
from stories.models import CompanyIndexPage, CompanyPage, PortraitIndexPage, PortraitPage
from tests.accounts import SecondFactorClient
from tests.factories import (
    CompanyPageFactory,
    EventPageFactory,
    ImageFactory,
    NeighbourhoodPageFactory,
    RegistrationFactory,
    SectorFactory,
    publish_portrait,
)
from tests.test_site import _queries_for

PARIS = ZoneInfo("Europe/Paris")
UTC = datetime.UTC
NEXT = timezone.localdate().year + 1

# ---------------------------------------------------------------------------------------------
# Helpers


def paris(*args):
    return datetime.datetime(*args, tzinfo=PARIS)


def from_now(**delta):
    return timezone.now().replace(microsecond=0) + datetime.timedelta(**delta)


def last_sunday(year, month):
    """The day clocks change in the EU: the last Sunday of March (forward) or October (back)."""
    day = datetime.date(year, month + 1, 1) - datetime.timedelta(days=1)
    return day - datetime.timedelta(days=(day.weekday() - 6) % 7)


def make_event(parent, title, start, duration=datetime.timedelta(hours=3), **kwargs):
    return EventPageFactory(parent=parent, title=title, start_at=start, end_at=start + duration, **kwargs)


def participate(event, *companies, hiring_for=""):
    EventCompany.objects.bulk_create(
        [
            EventCompany(page=event, company=company, hiring_for=hiring_for, sort_order=n)
            for n, company in enumerate(companies)
        ]
    )


def register(event, confirmed=0, waiting=0, cancelled=0):
    statuses = ["confirmed"] * confirmed + ["waiting"] * waiting + ["cancelled"] * cancelled
    Registration.objects.bulk_create([RegistrationFactory.build(event=event, status=status) for status in statuses])


def soup_of(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return BeautifulSoup(response.content, "html.parser")


def event_titles(soup, scope=""):
    return [a.get_text(strip=True) for a in soup.select(f"{scope} .event-card .card__title a")]


def upcoming_section(soup):
    return soup.select_one('section[aria-labelledby="upcoming-events-title"]')


def section_titles(client, url):
    section = upcoming_section(soup_of(client, url))
    return [] if section is None else event_titles(section)


def selected_option(soup, name):
    option = soup.select_one(f"#filter-{name} option[selected]")
    return None if option is None else option["value"]


def ical(response):
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return icalendar.Calendar.from_ical(response.content)


def vevents(calendar):
    return {str(event["summary"]): event for event in calendar.walk("VEVENT")}


def json_ld(html):
    scripts = BeautifulSoup(html, "html.parser").find_all("script", type="application/ld+json")
    assert len(scripts) == 1
    return json.loads(scripts[0].string)


@pytest.fixture
def index(site_tree):
    return EventIndexPage.objects.get()


@pytest.fixture
def bellevue(neighbourhood_index):
    return NeighbourhoodPageFactory(parent=neighbourhood_index, title="Bellevue", slug="bellevue")


@pytest.fixture
def sectors(db):
    return SimpleNamespace(commerce=SectorFactory(name="Commerce"), btp=SectorFactory(name="BTP"))


@pytest.fixture
def companies(company_index, sectors):
    return SimpleNamespace(
        bakery=CompanyPageFactory(parent=company_index, title="Boulangerie Soleil", sector=sectors.commerce),
        grocer=CompanyPageFactory(parent=company_index, title="Épicerie Lune", sector=sectors.commerce),
        garage=CompanyPageFactory(parent=company_index, title="Garage Moulin", sector=sectors.btp),
    )


# ---------------------------------------------------------------------------------------------
# 1. Tree rules and the admin


class EventTreeRulesTests(WagtailPageTestCase):
    def test_events_live_under_a_neighbourhood_or_the_event_index_only(self):
        self.assertAllowedParentPageTypes(EventPage, {NeighbourhoodPage, EventIndexPage})
        self.assertAllowedSubpageTypes(EventPage, set())
        self.assertCanCreateAt(NeighbourhoodPage, EventPage)
        self.assertCanCreateAt(EventIndexPage, EventPage)
        for parent in (
            HomePage,
            NeighbourhoodIndexPage,
            StandardPage,
            PortraitIndexPage,
            PortraitPage,
            CompanyIndexPage,
            CompanyPage,
            EventPage,
        ):
            self.assertCanNotCreateAt(parent, EventPage)

    def test_event_index_is_a_singleton_under_the_home_page(self):
        self.assertAllowedParentPageTypes(EventIndexPage, {HomePage})
        self.assertAllowedSubpageTypes(EventIndexPage, {EventPage})
        home, _index = ensure_site_structure()
        ensure_site_structure()  # running the setup again must not add a second one
        index = EventIndexPage.objects.get()
        assert index.get_parent().specific == home
        assert index.url == "/evenements/"
        assert not EventIndexPage.can_create_at(home)


class EventAdminCreateTests(WagtailPageTestCase):
    # self.login() makes a superuser: the client completes their second factor (tests/accounts.py).
    client_class = SecondFactorClient

    @classmethod
    def setUpTestData(cls):
        cls.home, cls.hubs = ensure_site_structure()
        cls.neighbourhood = NeighbourhoodPageFactory(parent=cls.hubs, title="Tarascon", slug="tarascon")
        company_index = CompanyIndexPage.objects.get()
        cls.garage = CompanyPageFactory(parent=company_index, title="Garage Moulin")
        cls.bakery = CompanyPageFactory(parent=company_index, title="Boulangerie Soleil")
        cls.photo = ImageFactory(title="Le forum de l'an dernier")

    def setUp(self):
        self.login()

    def event_data(self, **overrides):
        # The admin widget (AdminDateTimeInput) writes "%Y-%m-%d %H:%M" (WAGTAIL_DATETIME_FORMAT's default).
        fields = {
            "title": "Forum de l'alternance",
            "slug": "forum-alternance",
            "kind": "job-dating",
            "start_at": f"{NEXT}-01-14 09:30",
            "end_at": f"{NEXT}-01-14 12:30",
            "summary": "Dix entreprises qui recrutent en alternance.",
            "image": self.photo.pk,
            "venue": "Centre social Bellevue",
            "address": "12 avenue de la République",
            "postal_code": "13150",
            "commune": "Tarascon",
            "transport": "Bus 7, arrêt Mairie.",
            "wheelchair_access": "on",
            "sign_language": "on",
            "accessibility_notes": "Salle au rez-de-chaussée.",
            "participants": inline_formset(
                [
                    {"company": self.garage.pk, "hiring_for": "3 alternances en mécanique"},
                    {"company": self.bakery.pk, "hiring_for": ""},
                ]
            ),
            "preparation_tips": "Apporte plusieurs CV imprimés\n- Prépare deux questions",
            "registration_enabled": "on",
            "capacity": "40",
            "registration_deadline": f"{NEXT}-01-13 18:00",
            "body": streamfield([("paragraph", rich_text("<p>Un forum <b>sans rendez-vous</b>.</p>"))]),
        }
        fields.update(overrides)
        return nested_form_data(fields)

    def assert_event_fields(self, event):
        assert (event.title, event.slug, event.kind) == ("Forum de l'alternance", "forum-alternance", "job-dating")
        # 09:30 typed in the admin is 09:30 in Paris: 08:30 UTC in winter.
        assert event.start_at == datetime.datetime(NEXT, 1, 14, 8, 30, tzinfo=UTC)
        assert event.end_at == datetime.datetime(NEXT, 1, 14, 11, 30, tzinfo=UTC)
        assert timezone.localtime(event.start_at).strftime("%H:%M %z") == "09:30 +0100"
        assert event.registration_deadline == paris(NEXT, 1, 13, 18, 0)
        assert event.summary == "Dix entreprises qui recrutent en alternance."
        assert event.image == self.photo
        assert (event.venue, event.address, event.postal_code, event.commune) == (
            "Centre social Bellevue",
            "12 avenue de la République",
            "13150",
            "Tarascon",
        )
        assert event.transport == "Bus 7, arrêt Mairie."
        assert (event.wheelchair_access, event.hearing_loop, event.sign_language) == (True, False, True)
        assert event.accessibility_notes == "Salle au rez-de-chaussée."
        assert [(p.company.specific, p.hiring_for) for p in event.participants.all()] == [
            (self.garage, "3 alternances en mécanique"),
            (self.bakery, ""),
        ]
        assert event.preparation_tips == "Apporte plusieurs CV imprimés\n- Prépare deux questions"
        assert event.tips == ["Apporte plusieurs CV imprimés", "Prépare deux questions"]
        assert event.parents_welcome is False  # unticked in the form
        assert (event.registration_enabled, event.capacity) == (True, 40)
        assert [block.block_type for block in event.body] == ["paragraph"]
        assert "<b>sans rendez-vous</b>" in event.body[0].value.source

    def test_create_event_saves_every_field_in_paris_time(self):
        self.assertCanCreate(self.neighbourhood, EventPage, self.event_data())
        event = EventPage.objects.get(slug="forum-alternance")
        assert event.live
        assert event.get_parent().specific == self.neighbourhood
        self.assert_event_fields(event)
        self.assert_event_fields(event.get_latest_revision_as_object())

        soup = soup_of(self.client, event.url)
        when = soup.select_one(".event-when").get_text(" ", strip=True)
        assert "de 09h30" in when
        assert "12h30" in when
        assert soup.select_one(".event-when time")["datetime"] == f"{NEXT}-01-14T09:30:00+01:00"
        assert f"jusqu'au 13 janvier {NEXT} à 18h00" in soup.get_text()

        # Reopened in the admin, the form shows the same wall-clock time, not UTC.
        edit = self.client.get(reverse("wagtailadmin_pages:edit", args=[event.pk]))
        form = BeautifulSoup(edit.content, "html.parser")
        assert form.select_one('input[name="start_at"]')["value"] == f"{NEXT}-01-14 09:30"
        assert form.select_one('input[name="registration_deadline"]')["value"] == f"{NEXT}-01-13 18:00"

    def test_summer_time_is_kept_too(self):
        data = self.event_data(start_at=f"{NEXT}-07-02 09:30", end_at=f"{NEXT}-07-02 12:30", registration_deadline="")
        self.assertCanCreate(self.neighbourhood, EventPage, data)
        event = EventPage.objects.get(slug="forum-alternance")
        assert event.start_at == datetime.datetime(NEXT, 7, 2, 7, 30, tzinfo=UTC)
        assert event.registration_deadline is None
        assert event.registration_closes_at() == event.start_at

    def post_invalid_event(self, **overrides):
        add_url = reverse("wagtailadmin_pages:add", args=["events", "eventpage", self.neighbourhood.pk])
        response = self.client.post(add_url, self.event_data(**overrides, **{"action-publish": "action-publish"}))
        assert response.status_code == 200
        assert not EventPage.objects.filter(slug="forum-alternance").exists()
        assert "La page ne peut être créée du fait d&#x27;erreurs de validation." in response.content.decode()
        return response.context["form"].errors

    def test_end_before_start_is_refused_in_french(self):
        errors = self.post_invalid_event(end_at=f"{NEXT}-01-14 09:00")
        assert errors["end_at"] == ["La fin doit être après le début."]
        errors = self.post_invalid_event(end_at=f"{NEXT}-01-14 09:30")
        assert errors["end_at"] == ["La fin doit être après le début."]

    def test_deadline_after_the_end_is_refused_in_french(self):
        errors = self.post_invalid_event(registration_deadline=f"{NEXT}-01-14 13:00")
        assert errors["registration_deadline"] == ["La date limite d'inscription doit précéder la fin de l'événement."]

    def test_malformed_dates_and_missing_fields_are_refused_in_french(self):
        errors = self.post_invalid_event(start_at="demain matin", venue="", commune="")
        assert errors["start_at"] == ["Saisissez une date et une heure valides."]
        assert errors["venue"] == ["Champ requis."]
        assert errors["commune"] == ["Champ requis."]

    def test_a_draft_with_impossible_dates_is_not_saved_either(self):
        add_url = reverse("wagtailadmin_pages:add", args=["events", "eventpage", self.neighbourhood.pk])
        response = self.client.post(add_url, self.event_data(end_at=f"{NEXT}-01-13 09:00"))
        assert response.status_code == 200
        assert response.context["form"].errors["end_at"] == ["La fin doit être après le début."]
        assert not EventPage.objects.filter(slug="forum-alternance").exists()


# ---------------------------------------------------------------------------------------------
# 2. Upcoming and past, decided in the database


@pytest.mark.django_db
def test_an_event_in_progress_is_upcoming_and_one_just_ended_is_past(client, index, neighbourhood):
    running = make_event(index, "Forum en cours", from_now(hours=-1), duration=datetime.timedelta(hours=2))
    ended = make_event(neighbourhood, "Forum terminé", from_now(hours=-3), duration=datetime.timedelta(minutes=179))

    assert list(EventPage.objects.upcoming()) == [running]
    assert list(EventPage.objects.past()) == [ended]
    upcoming = soup_of(client, "/evenements/")
    assert event_titles(upcoming) == ["Forum en cours"]
    assert upcoming.select_one(".result-count").get_text() == "1 événement"
    # Registration closed at the start: a running event's card offers no seats.
    assert running.capacity == 20
    assert upcoming.select(".event-card__seats") == []
    archives = soup_of(client, "/evenements/archives/")
    assert event_titles(archives) == ["Forum terminé"]
    assert archives.h1.get_text() == "Événements passés"
    # No "seats left" on past events: nobody can register any more.
    assert archives.select(".event-card__seats") == []


@pytest.mark.django_db
def test_listings_are_ordered_and_never_show_drafts(client, index, neighbourhood, bellevue):
    make_event(neighbourhood, "Dans trois jours", from_now(days=3))
    make_event(index, "Demain", from_now(days=1))
    make_event(bellevue, "Dans dix jours", from_now(days=10))
    make_event(neighbourhood, "Le mois dernier", from_now(days=-30))
    make_event(index, "Hier", from_now(days=-1))
    make_event(bellevue, "L'an dernier", from_now(days=-365))
    make_event(neighbourhood, "Brouillon à venir", from_now(days=2), live=False)
    make_event(index, "Brouillon passé", from_now(days=-2), live=False)
    private = make_event(index, "Réservé aux partenaires", from_now(days=4))
    PageViewRestriction.objects.create(page=private, restriction_type="password", password="secret")

    assert event_titles(soup_of(client, "/evenements/")) == ["Demain", "Dans trois jours", "Dans dix jours"]
    assert event_titles(soup_of(client, "/evenements/archives/")) == ["Hier", "Le mois dernier", "L'an dernier"]
    assert "3 événements" in soup_of(client, "/evenements/archives/").select_one(".result-count").get_text()


@pytest.mark.django_db
def test_cards_say_when_where_and_how_many_seats_are_left(client, index, neighbourhood):
    full = make_event(neighbourhood, "Complet", paris(NEXT, 2, 3, 14, 0), capacity=2)
    register(full, confirmed=2, waiting=1)
    open_one = make_event(index, "Places libres", paris(NEXT, 2, 4, 9, 0), capacity=10, kind="visite")
    register(open_one, confirmed=3, waiting=0, cancelled=4)
    last_seat = make_event(index, "Dernière place", paris(NEXT, 2, 5, 9, 0), capacity=5)
    register(last_seat, confirmed=4)
    make_event(index, "Sans limite", paris(NEXT, 2, 6, 9, 0), capacity=None)
    make_event(index, "Sans inscription", paris(NEXT, 2, 7, 9, 0), capacity=10, registration_enabled=False)

    soup = soup_of(client, "/evenements/")
    cards = {card.select_one(".card__title").get_text(strip=True): card for card in soup.select(".event-card")}
    assert list(cards) == ["Complet", "Places libres", "Dernière place", "Sans limite", "Sans inscription"]
    seats = {title: card.select_one(".event-card__seats") for title, card in cards.items()}
    assert seats["Complet"].get_text().replace("\xa0", " ") == "Complet : liste d'attente"
    assert seats["Places libres"].get_text() == "7 places restantes"
    assert seats["Dernière place"].get_text() == "1 place restante"
    assert seats["Sans limite"] is None
    assert seats["Sans inscription"] is None
    date = cards["Complet"].select_one(".event-card__date time")
    assert date["datetime"] == f"{NEXT}-02-03T14:00:00+01:00"
    assert date.get_text().endswith("3 février " + str(NEXT) + " · 14h00")
    assert cards["Complet"].select_one(".card__meta").get_text(" ", strip=True) == "Forum emploi · Tarascon · Tarascon"
    assert cards["Places libres"].select_one(".card__meta").get_text(" ", strip=True) == (
        "Visite d'entreprise · Tarascon"
    )


# ---------------------------------------------------------------------------------------------
# 3. Filters


@pytest.fixture
def calendar_of_events(index, neighbourhood, bellevue):
    """Events on month boundaries, where Paris and UTC disagree about the month."""
    minutes = datetime.timedelta(minutes=25)
    return SimpleNamespace(
        january=make_event(neighbourhood, "Forum Tarascon", paris(NEXT, 1, 12, 14, 0)),
        # 1 March 00:30 in Paris is still 28 February in UTC.
        march=make_event(neighbourhood, "Job dating Tarascon", paris(NEXT, 3, 1, 0, 30), minutes, kind="job-dating"),
        # Ends exactly at midnight: February only.
        february=make_event(
            index, "Soirée d'information", paris(NEXT, 2, 28, 21, 0), datetime.timedelta(hours=3), kind="information"
        ),
        # 1 October 01:00 in Paris is 30 September 23:00 in UTC.
        october=make_event(index, "Grand forum territorial", paris(NEXT, 10, 1, 1, 0), minutes),
        october_last=make_event(bellevue, "Forum Bellevue", paris(NEXT, 10, 31, 23, 30), minutes),
        # 1 November 00:30 in Paris is 31 October 23:30 in UTC.
        november=make_event(bellevue, "Visite Bellevue", paris(NEXT, 11, 1, 0, 30), minutes, kind="visite"),
        past=make_event(neighbourhood, "Forum passé", from_now(days=-40)),
        draft=make_event(neighbourhood, "Brouillon de mai", paris(NEXT, 5, 10, 10, 0), live=False),
    )


ALL_UPCOMING = [
    "Forum Tarascon",
    "Soirée d'information",
    "Job dating Tarascon",
    "Grand forum territorial",
    "Forum Bellevue",
    "Visite Bellevue",
]


def test_month_bounds_follow_paris_midnight():
    start, end = month_bounds(NEXT, 3)
    assert (start, end) == (paris(NEXT, 3, 1), paris(NEXT, 4, 1))
    # Winter at the start of March, summer at the start of April.
    assert start.astimezone(UTC) == datetime.datetime(NEXT, 3, 1, tzinfo=UTC) - datetime.timedelta(hours=1)
    assert end.astimezone(UTC) == datetime.datetime(NEXT, 4, 1, tzinfo=UTC) - datetime.timedelta(hours=2)
    assert month_bounds(NEXT, 12)[1] == paris(NEXT + 1, 1, 1)


FILTER_CASES = [
    ("", ALL_UPCOMING),
    ("quartier=tarascon", ["Forum Tarascon", "Job dating Tarascon"]),
    ("quartier=bellevue", ["Forum Bellevue", "Visite Bellevue"]),
    ("type=forum", ["Forum Tarascon", "Grand forum territorial", "Forum Bellevue"]),
    ("type=visite", ["Visite Bellevue"]),
    ("mois={y}-01", ["Forum Tarascon"]),
    ("mois={y}-02", ["Soirée d'information"]),
    ("mois={y}-03", ["Job dating Tarascon"]),
    ("mois={y}-09", []),
    ("mois={y}-10", ["Grand forum territorial", "Forum Bellevue"]),
    ("mois={y}-11", ["Visite Bellevue"]),
    ("mois={y}-05", []),
    ("quartier=bellevue&type=forum&mois={y}-10", ["Forum Bellevue"]),
    ("quartier=tarascon&type=forum", ["Forum Tarascon"]),
    ("quartier=tarascon&mois={y}-10", []),
    # Unknown or malformed values are ignored, never an error.
    ("quartier=nulle-part&type=rave&mois=demain", ALL_UPCOMING),
    ("mois={y}-13", ALL_UPCOMING),
    ("mois={y}-00", ALL_UPCOMING),
    ("mois=9999-12", ALL_UPCOMING),
    ("mois=0001-01", ALL_UPCOMING),
    ("mois={y}-3-1", ALL_UPCOMING),
    ("page=deux", ALL_UPCOMING),
    ("page=99", ALL_UPCOMING),
]


@pytest.mark.django_db
def test_filters(client, calendar_of_events):
    # One test over every case: building the events once keeps the file fast.
    for query, titles in FILTER_CASES:
        query = query.format(y=NEXT)
        soup = soup_of(client, f"/evenements/?{query}")
        assert event_titles(soup) == titles, query
        count = len(titles)
        assert soup.select_one(".result-count").get_text() == f"{count} événement{'s' if count > 1 else ''}", query


@pytest.mark.django_db
def test_selected_filters_show_in_the_form_and_unknown_ones_do_not(client, calendar_of_events):
    soup = soup_of(client, f"/evenements/?quartier=bellevue&type=forum&mois={NEXT}-10")
    assert selected_option(soup, "quartier") == "bellevue"
    assert selected_option(soup, "type") == "forum"
    assert selected_option(soup, "mois") == f"{NEXT}-10"
    assert soup.select_one(".filters__reset") is not None

    soup = soup_of(client, "/evenements/?quartier=nulle-part&type=rave&mois=9999-12")
    assert [selected_option(soup, name) for name in ("quartier", "type", "mois")] == [None, None, None]
    assert soup.select_one(".filters__reset") is None


@pytest.mark.django_db
def test_month_select_lists_only_months_with_events(client, calendar_of_events):
    soup = soup_of(client, "/evenements/")
    months = [(o["value"], o.get_text()) for o in soup.select("#filter-mois option")]
    assert months == [
        ("", "Tous les mois"),
        (f"{NEXT}-01", f"Janvier {NEXT}"),
        (f"{NEXT}-02", f"Février {NEXT}"),
        (f"{NEXT}-03", f"Mars {NEXT}"),
        (f"{NEXT}-10", f"Octobre {NEXT}"),
        (f"{NEXT}-11", f"Novembre {NEXT}"),
    ]
    hubs = [(o["value"], o.get_text()) for o in soup.select("#filter-quartier option")]
    assert hubs == [("", "Tous les quartiers"), ("bellevue", "Bellevue"), ("tarascon", "Tarascon")]

    past_month = timezone.localtime(calendar_of_events.past.start_at).strftime("%Y-%m")
    archives = soup_of(client, "/evenements/archives/")
    assert [o["value"] for o in archives.select("#filter-mois option")] == ["", past_month]
    assert event_titles(soup_of(client, f"/evenements/archives/?mois={past_month}")) == ["Forum passé"]
    assert event_titles(soup_of(client, "/evenements/archives/?quartier=bellevue")) == []


@pytest.mark.django_db
def test_pagination_keeps_the_filters(client, index, neighbourhood, bellevue):
    per_page = EventIndexPage.per_page
    for number in range(per_page + 2):
        make_event(neighbourhood, f"Forum {number:02d}", paris(NEXT, 4, 1, 9, 0) + datetime.timedelta(hours=number))
    make_event(neighbourhood, "Atelier CV", paris(NEXT, 3, 1, 9, 0), kind="atelier-cv")
    make_event(bellevue, "Forum Bellevue", paris(NEXT, 3, 2, 9, 0))
    make_event(index, "Forum territorial", paris(NEXT, 3, 3, 9, 0))

    page_one = soup_of(client, "/evenements/?quartier=tarascon&type=forum")
    assert event_titles(page_one) == [f"Forum {n:02d}" for n in range(per_page)]
    assert page_one.select_one(".result-count").get_text() == f"{per_page + 2} événements"
    next_link = page_one.select_one('.pagination a[rel="next"]')
    assert next_link["href"] == "?quartier=tarascon&type=forum&page=2"
    page_two = soup_of(client, "/evenements/" + next_link["href"])
    assert event_titles(page_two) == [f"Forum {n:02d}" for n in range(per_page, per_page + 2)]
    assert page_two.select_one('.pagination a[rel="prev"]')["href"] == "?quartier=tarascon&type=forum&page=1"
    assert selected_option(page_two, "quartier") == "tarascon"


# ---------------------------------------------------------------------------------------------
# 4. Upcoming events on hubs, company pages, portraits and the home page


@pytest.fixture
def around(index, neighbourhood, bellevue, companies, sectors):
    c = companies
    events = SimpleNamespace(
        tarascon_soon=make_event(neighbourhood, "Tarascon dans 2 jours", from_now(days=2), capacity=20),
        tarascon_later=make_event(neighbourhood, "Tarascon dans 10 jours", from_now(days=10)),
        tarascon_past=make_event(neighbourhood, "Tarascon hier", from_now(days=-1)),
        tarascon_draft=make_event(neighbourhood, "Tarascon brouillon", from_now(days=1), live=False),
        bellevue=make_event(bellevue, "Bellevue dans 5 jours", from_now(days=5)),
        garage=make_event(index, "Territoire dans 3 jours", from_now(days=3)),
        shops=make_event(index, "Territoire dans 4 jours", from_now(days=4), capacity=20),
    )
    participate(events.tarascon_soon, c.bakery, c.grocer, c.garage)
    participate(events.bellevue, c.bakery)
    participate(events.garage, c.garage)
    participate(events.shops, c.bakery, c.grocer)
    participate(events.tarascon_past, c.bakery)
    participate(events.tarascon_draft, c.bakery)
    register(events.tarascon_soon, confirmed=3, waiting=0, cancelled=1)
    register(events.shops, confirmed=3)
    return events


@pytest.mark.django_db
def test_hub_shows_its_upcoming_events_soonest_first(client, around, neighbourhood, bellevue):
    soup = soup_of(client, neighbourhood.url)
    section = upcoming_section(soup)
    assert section.h2.get_text() == "Les prochains rendez-vous dans le quartier"
    assert event_titles(section) == ["Tarascon dans 2 jours", "Tarascon dans 10 jours"]
    assert section.select_one(".more-link")["href"] == "/evenements/?quartier=tarascon"
    # The hub already says where: the cards do not repeat the neighbourhood.
    assert section.select_one(".card__meta").get_text(" ", strip=True) == "Forum emploi · Tarascon"
    assert section_titles(client, bellevue.url) == ["Bellevue dans 5 jours"]


@pytest.mark.django_db
def test_hub_without_upcoming_events_has_no_empty_section(client, index, neighbourhood):
    make_event(neighbourhood, "Passé", from_now(days=-3))
    make_event(index, "Ailleurs", from_now(days=3))
    assert upcoming_section(soup_of(client, neighbourhood.url)) is None


@pytest.mark.django_db
def test_company_page_shows_the_upcoming_events_it_takes_part_in(client, around, companies):
    soup = soup_of(client, companies.bakery.url)
    section = upcoming_section(soup)
    assert section.h2.get_text() == "Où rencontrer l'entreprise"
    # Three, the most the section shows; the past and the draft event never appear.
    assert event_titles(section) == ["Tarascon dans 2 jours", "Territoire dans 4 jours", "Bellevue dans 5 jours"]
    assert section_titles(client, companies.garage.url) == ["Tarascon dans 2 jours", "Territoire dans 3 jours"]
    # A company in no event has no section.
    lonely = CompanyPageFactory(parent=companies.bakery.get_parent(), title="Sans événement")
    assert section_titles(client, lonely.url) == []


@pytest.mark.django_db
def test_portrait_page_suggests_events_nearby_or_in_its_sector(client, around, neighbourhood, bellevue, sectors):
    builder = publish_portrait(bellevue, title="Yanis", first_name="Yanis", sector=sectors.btp)
    # Bellevue's own event, and those where a BTP company takes part, wherever they are.
    assert section_titles(client, builder.url) == [
        "Tarascon dans 2 jours",
        "Territoire dans 3 jours",
        "Bellevue dans 5 jours",
    ]
    seller = publish_portrait(neighbourhood, title="Sara", first_name="Sara", sector=sectors.commerce)
    soup = soup_of(client, seller.url)
    section = upcoming_section(soup)
    assert section.h2.get_text() == "Les prochains rendez-vous pour toi"
    assert event_titles(section) == ["Tarascon dans 2 jours", "Territoire dans 4 jours", "Bellevue dans 5 jours"]
    # Seats are counted once per registration, however many companies matched the event.
    seats = [p.get_text() for p in section.select(".event-card__seats")]
    assert seats == ["17 places restantes", "17 places restantes", "20 places restantes"]

    nowhere = SectorFactory(name="Santé")
    nurse = publish_portrait(bellevue, title="Inès", first_name="Inès", sector=nowhere)
    assert section_titles(client, nurse.url) == ["Bellevue dans 5 jours"]


@pytest.mark.django_db
def test_home_page_shows_the_next_three_events(client, around):
    soup = soup_of(client, "/")
    section = upcoming_section(soup)
    assert event_titles(section) == ["Tarascon dans 2 jours", "Territoire dans 3 jours", "Territoire dans 4 jours"]
    assert section.select_one(".more-link")["href"] == "/evenements/"
    seats = [p.get_text() for p in section.select(".event-card__seats")]
    assert seats == ["17 places restantes", "20 places restantes", "17 places restantes"]


# ---------------------------------------------------------------------------------------------
# 5. Calendars


@pytest.mark.django_db
def test_event_calendar_file(client, neighbourhood):
    event = make_event(
        neighbourhood,
        "Forum de l'alternance",
        paris(NEXT, 1, 14, 9, 30),
        venue="Centre social",
        address="1 rue de l'Exemple",
        postal_code="13150",
        commune="Tarascon",
    )
    response = client.get(f"/evenements/calendrier/evenement-{event.pk}.ics")
    assert response["Content-Disposition"] == 'attachment; filename="forum-de-lalternance.ics"'
    calendar = ical(response)
    assert str(calendar["version"]) == "2.0"
    [entry] = calendar.walk("VEVENT")
    assert str(entry["uid"]) == f"evenement-{event.pk}@impact-jeunes"
    assert str(entry["summary"]) == "Forum de l'alternance"
    assert str(entry["location"]) == "Centre social, 1 rue de l'Exemple, 13150, Tarascon"
    assert str(entry["url"]) == "http://localhost/quartiers/tarascon/forum-de-lalternance/"
    assert str(entry["url"]) in str(entry["description"])
    start, end = entry["dtstart"], entry["dtend"]
    assert start.params["TZID"] == "Europe/Paris"
    assert end.params["TZID"] == "Europe/Paris"
    assert start.dt == paris(NEXT, 1, 14, 9, 30)
    assert end.dt == paris(NEXT, 1, 14, 12, 30)
    assert entry["dtstamp"].dt.utcoffset() == datetime.timedelta(0)
    [vtimezone] = calendar.walk("VTIMEZONE")
    assert str(vtimezone["tzid"]) == "Europe/Paris"
    assert b"DTSTART;TZID=Europe/Paris:" + f"{NEXT}0114T093000".encode() in response.content

    # The page offers the file.
    soup = soup_of(client, event.url)
    assert soup.select_one(f'a[href="/evenements/calendrier/evenement-{event.pk}.ics"]') is not None


@pytest.mark.django_db
def test_calendar_keeps_local_time_across_daylight_saving_changes(client, index):
    spring_day, autumn_day = last_sunday(NEXT, 3), last_sunday(NEXT, 10)
    spring = make_event(index, "Forum de printemps", paris(*spring_day.timetuple()[:3], 10, 0))
    autumn = make_event(index, "Forum d'automne", paris(*autumn_day.timetuple()[:3], 10, 0))
    winter = make_event(index, "Forum d'hiver", paris(NEXT, 1, 14, 10, 0))
    # Stored in UTC: the offsets differ on either side of the change.
    assert spring.start_at.astimezone(UTC).hour == 8
    assert autumn.start_at.astimezone(UTC).hour == 9

    for event, offset in ((spring, 2), (autumn, 1), (winter, 1)):
        calendar = ical(client.get(f"/evenements/calendrier/evenement-{event.pk}.ics"))
        [entry] = calendar.walk("VEVENT")
        start = entry["dtstart"].dt
        assert (start.hour, start.minute) == (10, 0), event.title
        assert start.utcoffset() == datetime.timedelta(hours=offset), event.title
        assert start == event.start_at

    feed = ical(client.get("/evenements/calendrier.ics"))
    entries = vevents(feed)
    assert entries["Forum de printemps"]["dtstart"].dt.utcoffset() == datetime.timedelta(hours=2)
    assert entries["Forum d'automne"]["dtstart"].dt.utcoffset() == datetime.timedelta(hours=1)
    # One VTIMEZONE, and it knows both offsets so calendar software can resolve the TZID itself.
    [vtimezone] = feed.walk("VTIMEZONE")
    assert str(vtimezone["tzid"]) == "Europe/Paris"
    offsets = {
        (part.name, part["tzoffsetto"].td) for part in vtimezone.subcomponents if part.name in ("STANDARD", "DAYLIGHT")
    }
    assert offsets == {("STANDARD", datetime.timedelta(hours=1)), ("DAYLIGHT", datetime.timedelta(hours=2))}
    # Written as local time with the TZID, never as UTC ("Z").
    assert (
        f"DTSTART;TZID=Europe/Paris:{spring_day:%Y%m%d}T100000".encode()
        in client.get("/evenements/calendrier.ics").content
    )


@pytest.mark.django_db
def test_feeds_list_live_public_events_only(client, index, neighbourhood, bellevue):
    make_event(neighbourhood, "Tarascon à venir", from_now(days=5))
    make_event(neighbourhood, "Tarascon il y a dix jours", from_now(days=-10))
    make_event(neighbourhood, "Tarascon il y a six mois", from_now(days=-180))
    make_event(neighbourhood, "Tarascon brouillon", from_now(days=6), live=False)
    unpublished = make_event(neighbourhood, "Tarascon dépublié", from_now(days=7))
    unpublished.unpublish()
    private = make_event(neighbourhood, "Tarascon privé", from_now(days=8))
    PageViewRestriction.objects.create(page=private, restriction_type="password", password="secret")
    make_event(bellevue, "Bellevue à venir", from_now(days=2))
    make_event(index, "Territoire à venir", from_now(days=1))

    everything = client.get("/evenements/calendrier.ics")
    assert everything["Content-Disposition"] == 'inline; filename="impact-jeunes.ics"'
    calendar = ical(everything)
    # In start order; recent past events stay so subscribed calendars do not lose them at once.
    assert [str(e["summary"]) for e in calendar.walk("VEVENT")] == [
        "Tarascon il y a dix jours",
        "Territoire à venir",
        "Bellevue à venir",
        "Tarascon à venir",
    ]
    assert len(calendar.walk("VTIMEZONE")) == 1

    tarascon = ical(client.get("/evenements/calendrier/quartier-tarascon.ics"))
    assert list(vevents(tarascon)) == ["Tarascon il y a dix jours", "Tarascon à venir"]
    assert str(tarascon["x-wr-calname"]) == "Impact Jeunes — Tarascon"
    assert list(vevents(ical(client.get("/evenements/calendrier/quartier-bellevue.ics")))) == ["Bellevue à venir"]

    assert client.get("/evenements/calendrier/quartier-nulle-part.ics").status_code == 404
    draft_hub = NeighbourhoodPageFactory(parent=neighbourhood.get_parent(), title="Caché", slug="cache", live=False)
    assert client.get(f"/evenements/calendrier/quartier-{draft_hub.slug}.ics").status_code == 404
    for hidden in EventPage.objects.filter(title__in=["Tarascon brouillon", "Tarascon dépublié", "Tarascon privé"]):
        assert client.get(f"/evenements/calendrier/evenement-{hidden.pk}.ics").status_code == 404


@pytest.mark.django_db
def test_uid_is_stable_across_edits_and_feeds(client, neighbourhood):
    event = make_event(neighbourhood, "Forum", from_now(days=5))
    single = ical(client.get(f"/evenements/calendrier/evenement-{event.pk}.ics"))
    uid = str(single.walk("VEVENT")[0]["uid"])

    event.title = "Forum (nouvelle date)"
    event.start_at += datetime.timedelta(days=1)
    event.end_at += datetime.timedelta(days=1)
    event.save_revision().publish()

    again = ical(client.get(f"/evenements/calendrier/evenement-{event.pk}.ics"))
    assert str(again.walk("VEVENT")[0]["uid"]) == uid
    for url in ("/evenements/calendrier.ics", "/evenements/calendrier/quartier-tarascon.ics"):
        assert str(vevents(ical(client.get(url)))["Forum (nouvelle date)"]["uid"]) == uid


# ---------------------------------------------------------------------------------------------
# 6. JSON-LD


@pytest.mark.django_db
def test_event_page_describes_itself_as_a_schema_org_event(client, neighbourhood):
    event = make_event(
        neighbourhood,
        "Job dating de l'été",
        paris(NEXT, 6, 10, 14, 0),
        datetime.timedelta(hours=2, minutes=30),
        summary="Des jobs d'été près de chez toi.",
        venue="Maison des associations",
        address="3 place du Marché",
        postal_code="13150",
        commune="Tarascon",
    )
    data = json_ld(client.get(event.url).content)
    assert data["@context"] == "https://schema.org"
    assert data["@type"] == "Event"
    assert data["name"] == "Job dating de l'été"
    assert data["description"] == "Des jobs d'été près de chez toi."
    assert data["startDate"] == f"{NEXT}-06-10T14:00:00+02:00"
    assert data["endDate"] == f"{NEXT}-06-10T16:30:00+02:00"
    assert data["url"] == "http://localhost/quartiers/tarascon/job-dating-de-lete/"
    assert data["location"]["@type"] == "Place"
    assert data["location"]["name"] == "Maison des associations"
    assert data["location"]["address"] == {
        "@type": "PostalAddress",
        "streetAddress": "3 place du Marché",
        "postalCode": "13150",
        "addressLocality": "Tarascon",
        "addressCountry": "FR",
    }
    assert data["eventAttendanceMode"] == "https://schema.org/OfflineEventAttendanceMode"

    winter = make_event(neighbourhood, "Forum d'hiver", paris(NEXT, 1, 14, 9, 30))
    assert json_ld(client.get(winter.url).content)["startDate"] == f"{NEXT}-01-14T09:30:00+01:00"


@pytest.mark.django_db
def test_a_hostile_title_cannot_break_out_of_the_json_ld(client, neighbourhood):
    plain = make_event(neighbourhood, "Forum ordinaire", from_now(days=5), slug="ordinaire")
    hostile_title = "Forum</script><script>alert(1)</script> & <!-- co"
    hostile = make_event(neighbourhood, hostile_title, from_now(days=5), slug="hostile", summary="</script>")
    html = client.get(hostile.url).content.decode()
    assert "<script>alert(1)" not in html
    # Inside the data block "<" only ever appears escaped, so no tag can start there.
    data_block = html.split('<script type="application/ld+json">', 1)[1].split("</script>", 1)[0]
    assert "<" not in data_block
    assert "\\u003c/script\\u003e" in data_block
    # As many script elements as on an ordinary event page: none came from the title.
    plain_html = client.get(plain.url).content.decode()
    assert html.count("<script") == plain_html.count("<script")
    data = json_ld(html)
    assert data["name"] == hostile_title
    assert data["description"] == "</script>"
    assert BeautifulSoup(html, "html.parser").h1.get_text() == hostile_title


# ---------------------------------------------------------------------------------------------
# 7. The event page


@pytest.mark.django_db
def test_event_page_shows_everything_a_young_person_needs(client, neighbourhood, companies):
    event = make_event(
        neighbourhood,
        "Forum de l'alternance",
        paris(NEXT, 1, 14, 9, 30),
        kind="job-dating",
        venue="Centre social Bellevue",
        address="12 avenue de la République",
        postal_code="13150",
        commune="Tarascon",
        transport="Bus 7, arrêt Mairie.\nTram T1, arrêt Gare.",
        wheelchair_access=True,
        hearing_loop=True,
        sign_language=False,
        accessibility_notes="Salle au rez-de-chaussée.",
        preparation_tips="Apporte plusieurs CV imprimés\n\n- Prépare deux questions\n• Viens en avance",
        parents_welcome=True,
        capacity=30,
    )
    participate(event, companies.garage, companies.bakery, companies.grocer)
    # A company page taken offline stays named, without a link to a page that answers 404.
    companies.grocer.unpublish()
    EventCompany.objects.filter(page=event, company=companies.garage).update(hiring_for="3 alternances")
    register(event, confirmed=5, waiting=0, cancelled=2)

    soup = soup_of(client, event.url)
    assert soup.h1.get_text() == "Forum de l'alternance"
    assert soup.select_one(".page-header__meta").get_text(" ", strip=True) == "Job dating · Tarascon"
    when = soup.select_one(".event-when").get_text(" ", strip=True)
    assert f"14 janvier {NEXT}, de 09h30 à 12h30" in when
    where = soup.select_one('section[aria-labelledby="where-title"]')
    text = where.get_text(" ", strip=True)
    for expected in (
        "Centre social Bellevue",
        "12 avenue de la République",
        "13150 Tarascon",
        "Bus 7, arrêt Mairie.",
        "Tram T1, arrêt Gare.",
        "Les parents sont les bienvenus.",
    ):
        assert expected in text, expected
    assert [li.get_text() for li in where.select("ul li")] == [
        "Accessible en fauteuil roulant",
        "Boucle magnétique",
        "Salle au rez-de-chaussée.",
    ]
    companies_section = soup.select_one('section[aria-labelledby="companies-title"]')
    assert [li.get_text(" ", strip=True) for li in companies_section.select("li")] == [
        "Garage Moulin — 3 alternances",
        "Boulangerie Soleil",
        "Épicerie Lune",
    ]
    assert [a["href"] for a in companies_section.select("a")] == [companies.garage.url, companies.bakery.url]
    tips = soup.select_one('section[aria-labelledby="tips-title"]')
    assert [li.get_text() for li in tips.select("li")] == [
        "Apporte plusieurs CV imprimés",
        "Prépare deux questions",
        "Viens en avance",
    ]
    registration = soup.select_one("#inscription")
    assert registration.select_one(".seats").get_text(" ", strip=True) == "Il reste 25 places sur 30."
    assert registration.select_one("form.registration-form") is not None
    assert "Cet événement est terminé." not in soup.get_text()
    assert soup.select_one(".breadcrumb") is not None


@pytest.mark.django_db
def test_event_page_without_extras(client, index):
    event = make_event(
        index,
        "Réunion d'information",
        paris(NEXT, 2, 1, 18, 0),
        kind="information",
        parents_welcome=False,
        capacity=None,
        registration_enabled=False,
    )
    soup = soup_of(client, event.url)
    assert soup.select_one(".page-header__meta").get_text(strip=True) == "Réunion d'information"
    text = soup.get_text(" ", strip=True)
    assert "Pas d'information sur l'accessibilité du lieu" in text
    assert "Cet événement est réservé aux jeunes." in text
    assert "Pas besoin de s'inscrire : viens directement." in text.replace("\xa0", " ")
    assert soup.select_one('section[aria-labelledby="companies-title"]') is None
    assert soup.select_one('section[aria-labelledby="tips-title"]') is None
    assert soup.select_one(".seats") is None
    assert soup.select_one("form.registration-form") is None


@pytest.mark.django_db
def test_event_spanning_two_days_names_both(client, index):
    event = make_event(index, "Salon sur deux jours", paris(NEXT, 2, 1, 18, 0), datetime.timedelta(days=1))
    when = soup_of(client, event.url).select_one(".event-when").get_text(" ", strip=True)
    assert f"1 février {NEXT}, de 18h00 à " in when
    assert f"2 février {NEXT}, 18h00" in when


@pytest.mark.django_db
def test_full_event_offers_the_waiting_list(client, index):
    event = make_event(index, "Complet", from_now(days=3), capacity=2)
    register(event, confirmed=2, waiting=3)
    soup = soup_of(client, event.url)
    assert "C'est complet" in soup.select_one(".seats").get_text()
    assert soup.select_one("form.registration-form button").get_text(strip=True) == "M'inscrire sur la liste d'attente"


@pytest.mark.django_db
def test_registration_closes_at_the_deadline_then_at_the_start(client, index):
    after_deadline = make_event(
        index, "Date limite passée", from_now(days=3), registration_deadline=from_now(minutes=-1)
    )
    started = make_event(index, "Déjà commencé", from_now(minutes=-30))
    open_until = from_now(days=1)
    still_open = make_event(index, "Encore ouvert", from_now(days=3), registration_deadline=open_until)
    for event in (after_deadline, started):
        soup = soup_of(client, event.url)
        assert soup.select_one("#inscription").get_text(" ", strip=True).endswith("Les inscriptions sont fermées.")
        assert soup.select_one("form.registration-form") is None
        assert "Cet événement est terminé." not in soup.get_text()
    soup = soup_of(client, still_open.url)
    assert soup.select_one("form.registration-form") is not None
    deadline = timezone.localtime(open_until)
    assert f"Inscription possible jusqu'au {deadline.day} " in soup.select_one("#inscription").get_text()
    assert f"à {deadline:%H}h{deadline:%M}." in soup.select_one("#inscription").get_text()


@pytest.mark.django_db
def test_past_event_says_it_is_over(client, neighbourhood):
    event = make_event(neighbourhood, "Forum de l'an dernier", from_now(days=-300), capacity=10)
    soup = soup_of(client, event.url)
    assert soup.select_one(".notice").get_text() == "Cet événement est terminé."
    assert soup.select_one("form.registration-form") is None
    assert soup.select_one(".seats") is None
    assert "Les inscriptions sont fermées." in soup.select_one("#inscription").get_text()


@pytest.mark.django_db
def test_drafts_answer_404(client, neighbourhood):
    draft = make_event(neighbourhood, "Brouillon", from_now(days=3), live=False)
    assert client.get(draft.url or "/quartiers/tarascon/brouillon/").status_code == 404


# ---------------------------------------------------------------------------------------------
# 8. Query counts: the same with 10 and with 300 events


@pytest.mark.django_db
def test_queries_do_not_grow_with_events(client, index, neighbourhood, bellevue, companies):
    parents = (neighbourhood, bellevue, index)
    kinds = ("forum", "job-dating", "visite")

    def populate(count, first_start):
        made = [
            make_event(
                parents[number % 3],
                f"Événement {first_start:%j}-{number:03d}",
                first_start + datetime.timedelta(hours=number),
                kind=kinds[number % 3],
                capacity=(None, 25)[number % 2],
            )
            for number in range(count)
        ]
        # Past ones too, for the archive.
        made += [
            make_event(parents[number % 3], f"Passé {first_start:%j}-{number:03d}", from_now(days=-1 - number))
            for number in range(count // 5)
        ]
        EventCompany.objects.bulk_create(
            [
                EventCompany(page=event, company=company, hiring_for="Des alternances", sort_order=order)
                for event in made
                for order, company in enumerate((companies.bakery, companies.garage)[: 1 + len(event.title) % 2])
            ]
        )
        Registration.objects.bulk_create(
            [
                RegistrationFactory.build(event=event, status=status)
                for event in made[::3]
                for status in ("confirmed", "confirmed", "waiting", "cancelled")
            ]
        )
        return made

    first = populate(10, paris(NEXT, 5, 1, 9, 0))
    portrait = publish_portrait(neighbourhood, title="Sara", first_name="Sara", sector=companies.bakery.sector)
    urls = [
        "/evenements/",
        f"/evenements/?quartier=tarascon&type=forum&mois={NEXT}-05",
        "/evenements/?type=job-dating&page=2",
        "/evenements/archives/",
        "/evenements/archives/?quartier=bellevue",
        neighbourhood.url,
        "/",
        companies.bakery.url,
        portrait.url,
        first[0].url,
        "/evenements/calendrier.ics",
        "/evenements/calendrier/quartier-tarascon.ics",
    ]
    with_ten = {url: _queries_for(client, url) for url in urls}
    populate(290, paris(NEXT, 1, 1, 9, 0))
    assert EventPage.objects.filter(start_at__gte=timezone.now()).count() == 300
    with_three_hundred = {url: _queries_for(client, url) for url in urls}
    print("\nQueries with 10 / 300 events:", {url: (with_ten[url], with_three_hundred[url]) for url in urls})
    assert with_three_hundred == with_ten
    # Budget: routing, site settings, menus, the listing and its filters (a portrait page: ~24).
    assert max(with_ten.values()) <= 28, with_ten


# ---------------------------------------------------------------------------------------------
# 9. Sitemap


@pytest.mark.django_db
def test_sitemap_lists_live_events_and_the_archive(client, index, neighbourhood):
    make_event(neighbourhood, "Forum public", from_now(days=5))
    make_event(index, "Forum passé", from_now(days=-5))
    make_event(neighbourhood, "Forum brouillon", from_now(days=5), live=False)
    private = make_event(index, "Forum privé", from_now(days=5))
    PageViewRestriction.objects.create(page=private, restriction_type="password", password="secret")
    sitemap = client.get("/sitemap.xml").content.decode()
    assert "<loc>http://localhost/evenements/</loc>" in sitemap
    assert "<loc>http://localhost/evenements/archives/</loc>" in sitemap
    assert "<loc>http://localhost/quartiers/tarascon/forum-public/</loc>" in sitemap
    assert "<loc>http://localhost/evenements/forum-passe/</loc>" in sitemap
    assert "forum-brouillon" not in sitemap
    assert "forum-prive" not in sitemap
