"""Poster generation: printable A4 posters of hubs and events with a QR code to the page.

The QR code is checked by reading the inline SVG back into a grid of modules and comparing it with a
fresh encoding of the expected URL; its format information is also read from the grid itself to
check the error-correction level, without segno."""

import datetime
import re
from zoneinfo import ZoneInfo

import pytest
import segno
from bs4 import BeautifulSoup
from django.utils import timezone
from wagtail.models import PageViewRestriction, Site

from events.models import EventCompany, Registration
from home.models import SiteSettings
from home.models.pages import NeighbourhoodPartner
from tests.factories import CompanyPageFactory, EventPageFactory, NeighbourhoodPageFactory, RegistrationFactory
from tests.test_site import _queries_for

PARIS = ZoneInfo("Europe/Paris")
NEXT = timezone.localdate().year + 1
WEEKDAYS = ["lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"]


def forum(parent, **kwargs):
    start = datetime.datetime(NEXT, 1, 14, 9, 30, tzinfo=PARIS)
    defaults = {
        "title": "Forum de l'alternance",
        "slug": "forum-alternance",
        "start_at": start,
        "end_at": start + datetime.timedelta(hours=3),
        "venue": "Centre social Bellevue",
        "address": "12 avenue de la République",
        "postal_code": "13150",
        "commune": "Tarascon",
        "preparation_tips": "Apporte plusieurs CV imprimés\nPrépare deux questions",
    }
    return EventPageFactory(parent=parent, **{**defaults, **kwargs})


def poster_of(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return response, BeautifulSoup(response.content, "html.parser")


def svg_modules(svg):
    """The QR code's dark modules as a grid of 0/1, read back from the SVG path: segno draws each run
    of dark modules in a row as a horizontal line ``h<length>``, moving to it with ``M`` (absolute,
    first run) or ``m`` (relative to the end of the previous run); rows are centred on y + 0.5."""
    width = int(svg["viewbox"].split()[2])
    d = svg.find("path")["d"]
    runs = re.findall(r"([Mm])(-?\d+(?:\.\d+)?) (-?\d+(?:\.\d+)?)h(\d+)", d)
    assert runs
    assert "".join(f"{c}{x} {y}h{n}" for c, x, y, n in runs) == d, "the path is made only of runs"
    x = y = 0.0
    dark = set()
    for command, dx, dy, length in runs:
        if command == "M":
            x, y = float(dx), float(dy)
        else:
            x, y = x + float(dx), y + float(dy)
        for column in range(int(x), int(x) + int(length)):
            dark.add((int(y - 0.5), column))
        x += int(length)
    rows = {row for row, _ in dark}
    columns = {column for _, column in dark}
    border = min(rows)
    assert border == min(columns) == width - 1 - max(rows) == width - 1 - max(columns), "square quiet zone"
    size = width - 2 * border
    return [[int((border + r, border + c) in dark) for c in range(size)] for r in range(size)]


def error_level(grid):
    """The error-correction level written in the format information next to the top-left finder
    pattern (ISO/IEC 18004, 7.9): 15 bits masked with 101010000010010, the first two give the level."""
    cells = [(8, c) for c in (0, 1, 2, 3, 4, 5, 7, 8)] + [(r, 8) for r in (7, 5, 4, 3, 2, 1, 0)]
    bits = int("".join(str(grid[r][c]) for r, c in cells), 2) ^ 0b101010000010010
    return {0b01: "L", 0b00: "M", 0b11: "Q", 0b10: "H"}[bits >> 13]


def segno_grid(url, error):
    return [list(row) for row in segno.make(url, error=error, boost_error=False, micro=False).matrix]


def assert_qr_points_to(soup, url):
    svgs = soup.select("svg")
    assert len(svgs) == 1
    svg = svgs[0]
    assert not soup.select("img[src*='qr'], img[src^='data:']"), "the code is inline, not an image request"
    grid = svg_modules(svg)
    level = error_level(grid)
    assert level in {"M", "Q"}
    assert grid == segno_grid(url, level.lower())
    # The same grid cannot also be another address: with tracking parameters it would differ.
    assert grid != segno_grid(url + "?utm_source=affiche", level.lower())


@pytest.fixture
def hub(neighbourhood):
    return neighbourhood  # "Tarascon", /quartiers/tarascon/


@pytest.mark.django_db
def test_neighbourhood_poster(client, hub):
    NeighbourhoodPartner.objects.create(page=hub, name="Centre social des Ferrages", sort_order=0)
    response, soup = poster_of(client, "/quartiers/tarascon/affiche/")
    assert soup.h1.get_text(strip=True) == "Tarascon"
    text = soup.get_text(" ", strip=True)
    assert "Impact Jeunes" in text
    assert "de l'envie à la réussite" in text
    assert "Gratuit" in text
    assert "Centre social des Ferrages" in text
    assert soup.select_one(".poster__url").get_text(strip=True) == "http://localhost/quartiers/tarascon/"
    assert_qr_points_to(soup, "http://localhost/quartiers/tarascon/")
    assert soup.select_one('meta[name="robots"]')["content"] == "noindex"
    assert response["X-Robots-Tag"] == "noindex"
    assert soup.select_one('link[rel="stylesheet"]')["href"].endswith("css/poster.css")
    assert not soup.select("script"), "no JavaScript on a poster"
    assert "Imprimer" in soup.select_one(".poster-hint").get_text()

    hub_page = BeautifulSoup(client.get("/quartiers/tarascon/").content, "html.parser")
    link = hub_page.find("a", string="Imprimer l'affiche (A4)")
    assert link["href"] == "/quartiers/tarascon/affiche/"


@pytest.mark.django_db
def test_event_poster(client, hub):
    event = forum(hub)
    url = "http://localhost/quartiers/tarascon/forum-alternance/"
    _, soup = poster_of(client, "/quartiers/tarascon/forum-alternance/affiche/")
    assert soup.h1.get_text(strip=True) == "Forum de l'alternance"
    weekday = WEEKDAYS[datetime.date(NEXT, 1, 14).weekday()].capitalize()
    # 09h30 in Paris (08h30 UTC in winter): the time is shown as people in Tarascon read their clocks.
    assert soup.select_one(".poster__when").get_text(" ", strip=True) == f"{weekday} 14 janvier {NEXT} de 09h30 à 12h30"
    where = soup.select_one(".poster__where").get_text(" ", strip=True)
    assert where == "Centre social Bellevue 12 avenue de la République, 13150 Tarascon"
    text = soup.get_text(" ", strip=True)
    assert "Gratuit" in text
    assert "Apporte plusieurs CV imprimés" in text
    assert "Inscription gratuite sur le site" in text
    assert soup.select_one(".poster__url").get_text(strip=True) == url
    assert_qr_points_to(soup, url)

    event_page = BeautifulSoup(client.get(event.url).content, "html.parser")
    link = event_page.find("a", string="Imprimer l'affiche (A4)")
    assert link["href"] == "/quartiers/tarascon/forum-alternance/affiche/"


@pytest.mark.django_db
def test_poster_holds_no_form_and_no_personal_data(client, hub):
    event = forum(hub)
    Registration.objects.bulk_create(
        [RegistrationFactory.build(event=event, first_name="Samira", last_name="Belkacem", email="samira@example.org")]
    )
    response, soup = poster_of(client, "/quartiers/tarascon/forum-alternance/affiche/")
    assert not soup.select("form, input, button")
    html = response.content.decode()
    for personal in ("Samira", "Belkacem", "samira@example.org"):
        assert personal not in html
    assert "csrftoken" not in response.cookies


@pytest.mark.django_db
def test_closed_registration_past_event_and_no_registration(client, hub):
    forum(hub, registration_deadline=timezone.now() - datetime.timedelta(hours=1))
    _, soup = poster_of(client, "/quartiers/tarascon/forum-alternance/affiche/")
    assert soup.select_one(".poster__status").get_text(strip=True) == "Les inscriptions sont fermées."

    start = timezone.now() + datetime.timedelta(days=3)
    forum(
        hub,
        slug="sans-inscription",
        start_at=start,
        end_at=start + datetime.timedelta(hours=2),
        registration_enabled=False,
    )
    _, soup = poster_of(client, "/quartiers/tarascon/sans-inscription/affiche/")
    assert "viens directement" in soup.select_one(".poster__status").get_text()

    start = timezone.now() - datetime.timedelta(days=3)
    forum(hub, slug="passe", start_at=start, end_at=start + datetime.timedelta(hours=2))
    _, soup = poster_of(client, "/quartiers/tarascon/passe/affiche/")
    assert soup.select_one(".poster__status").get_text(strip=True) == "Cet événement est terminé."


@pytest.mark.django_db
def test_unpublished_pages_have_no_poster(client, hub, neighbourhood_index):
    event = forum(hub)
    assert client.get("/quartiers/tarascon/forum-alternance/affiche/").status_code == 200
    event.unpublish()
    assert client.get("/quartiers/tarascon/forum-alternance/affiche/").status_code == 404

    NeighbourhoodPageFactory(parent=neighbourhood_index, title="Brouillon", slug="brouillon", live=False)
    assert client.get("/quartiers/brouillon/affiche/").status_code == 404


@pytest.mark.django_db
def test_demo_banner_follows_the_site_setting(client, hub):
    url = "/quartiers/tarascon/affiche/"
    _, soup = poster_of(client, url)
    assert soup.select_one(".poster__demo") is None
    settings = SiteSettings.for_site(Site.objects.get(is_default_site=True))
    settings.demo_notice = True
    settings.save()
    _, soup = poster_of(client, url)
    assert "Site de démonstration" in soup.select_one(".poster__demo").get_text()


@pytest.mark.django_db
def test_posters_are_not_in_the_sitemap(client, hub):
    forum(hub)
    sitemap = client.get("/sitemap.xml").content.decode()
    assert "<loc>http://localhost/quartiers/tarascon/forum-alternance/</loc>" in sitemap
    assert "affiche" not in sitemap


@pytest.mark.django_db
def test_event_poster_queries_do_not_grow_with_companies(client, hub, company_index):
    event = forum(hub)
    companies = [CompanyPageFactory(parent=company_index, title=f"Entreprise {n:02d}") for n in range(30)]
    EventCompany.objects.create(page=event, company=companies[0], sort_order=0)
    url = "/quartiers/tarascon/forum-alternance/affiche/"
    with_one = _queries_for(client, url)
    EventCompany.objects.bulk_create(
        [EventCompany(page=event, company=company, sort_order=n) for n, company in enumerate(companies[1:], 1)]
    )
    with_thirty = _queries_for(client, url)
    assert with_thirty == with_one
    assert 0 < with_one <= 12  # routing, site settings, the companies
    _, soup = poster_of(client, url)
    companies_text = soup.select_one(".poster__companies").get_text(" ", strip=True)
    assert "Entreprise 00" in companies_text
    assert "et 18 autres" in companies_text


@pytest.mark.django_db
def test_restricted_pages_keep_their_restriction_on_the_poster(client, hub):
    event = forum(hub)
    PageViewRestriction.objects.create(page=event, restriction_type=PageViewRestriction.PASSWORD, password="secret")
    response = client.get("/quartiers/tarascon/forum-alternance/affiche/")
    soup = BeautifulSoup(response.content, "html.parser")
    assert soup.select_one(".poster") is None
    assert soup.select("svg.poster-qr") == []
    assert "12 avenue de la République" not in response.content.decode()
