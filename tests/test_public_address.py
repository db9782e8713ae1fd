"""One configured public address (SITE_URL) behind every absolute link the site makes: the Wagtail
Site record, canonical and Open Graph URLs, JSON-LD, the RSS feed, the sitemap and robots.txt, .ics
files, the QR code and printed address of posters, and the links of every e-mail.

Each output is read back the way its reader gets it (XML parsed, QR code decoded, mail body read) with
the site configured as ``https://impact-jeunes.example`` and requests arriving with another Host."""

import json
import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from io import StringIO
from urllib.parse import urlsplit

import pytest
from bs4 import BeautifulSoup
from django.core import mail
from django.core.cache import cache
from django.core.checks import run_checks
from django.core.management import call_command
from icalendar import Calendar
from wagtail.models import Site

from home.links import absolute_url, site_address_problem, sync_default_site
from home.local_server import BASE_DIR
from home.site_structure import ensure_site_structure
from site_project.settings.base import public_address
from tests.editorial import make_coordinator, make_editor
from tests.factories import CompanyPageFactory, EventPageFactory, publish_portrait
from tests.test_feeds import SITEMAP_NS
from tests.test_posters import assert_qr_points_to

PUBLIC = "https://impact-jeunes.example"
# Requests come in under another name (a proxy's upstream address, a forged Host): links must not follow it.
OTHER_HOST = {"HTTP_HOST": "127.0.0.1"}
URL_IN_TEXT = re.compile(r"https?://[^\s\"'<>]+")


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()  # rate limits of the public forms
    yield
    cache.clear()


@pytest.fixture
def public_site(settings, site_tree):
    """The site configured for https://impact-jeunes.example, as production would be after setup_site."""
    settings.SITE_URL = PUBLIC
    settings.WAGTAILADMIN_BASE_URL = PUBLIC  # settings/base.py derives it from SITE_URL
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "impact-jeunes.example"]
    out = StringIO()
    call_command("setup_site", stdout=out)
    assert f"{PUBLIC}/" in out.getvalue()
    return site_tree


def fresh(page):
    # A page instance keeps the site root paths it first looked up; each request loads its own.
    return type(page).objects.get(pk=page.pk)


def urls_in(text):
    return URL_IN_TEXT.findall(text)


def assert_all_public(urls):
    assert urls
    for url in urls:
        assert url.startswith(f"{PUBLIC}/"), url


# --- the setting --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "normalised"),
    [
        ("https://impact-jeunes.fr", "https://impact-jeunes.fr"),
        ("https://Impact-Jeunes.fr/", "https://impact-jeunes.fr"),
        ("https://impact-jeunes.fr:443", "https://impact-jeunes.fr"),
        ("http://127.0.0.1:8001", "http://127.0.0.1:8001"),
        ("http://localhost:80/", "http://localhost"),
    ],
)
def test_the_public_address_is_normalised(value, normalised):
    assert public_address(value) == normalised


@pytest.mark.parametrize(
    "value",
    [
        "impact-jeunes.fr",  # no scheme
        "ftp://impact-jeunes.fr",
        "https://impact-jeunes.fr/site/",  # Wagtail's Site record has no path
        "https://impact-jeunes.fr/?x=1",
        "https://impact-jeunes.fr:8443",  # Site.root_url would print http://…:8443
        "http://impact-jeunes.fr:443",  # … and https:// here
        "http://127.0.0.1:port",
    ],
)
def test_an_address_wagtail_cannot_hold_is_refused(value):
    from django.core.exceptions import ImproperlyConfigured

    with pytest.raises(ImproperlyConfigured):
        public_address(value)


def settings_in_subprocess(module, **env):
    """The settings a fresh process gets from this environment."""
    clean = {k: v for k, v in os.environ.items() if k not in {"SITE_URL", "PORT", "DJANGO_ALLOWED_HOSTS"}}
    code = (
        "import json; from django.conf import settings; "
        "print(json.dumps([settings.SITE_URL, settings.WAGTAILADMIN_BASE_URL, settings.ALLOWED_HOSTS]))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=BASE_DIR,
        env={**clean, "DJANGO_SETTINGS_MODULE": module, **env},
        capture_output=True,
        text=True,
    )
    return result


def test_every_environment_takes_its_address_from_one_setting():
    dev = settings_in_subprocess("site_project.settings.dev", PORT="8001")
    assert json.loads(dev.stdout) == [
        "http://127.0.0.1:8001",
        "http://127.0.0.1:8001",
        ["127.0.0.1", "localhost"],
    ]
    dev = settings_in_subprocess("site_project.settings.dev", SITE_URL="http://192.168.1.20:8000")
    assert json.loads(dev.stdout)[0:2] == ["http://192.168.1.20:8000"] * 2
    assert "192.168.1.20" in json.loads(dev.stdout)[2]

    production = {"DJANGO_SECRET_KEY": "x" * 50}
    prod = settings_in_subprocess("site_project.settings.production", SITE_URL=f"{PUBLIC}/", **production)
    # The public host is allowed without DJANGO_ALLOWED_HOSTS; admin e-mails use the same address.
    assert json.loads(prod.stdout) == [PUBLIC, PUBLIC, ["impact-jeunes.example"]]

    # No guessed default in production: a wrong one would be printed on every poster.
    missing = settings_in_subprocess("site_project.settings.production", PORT="8000", **production)
    assert missing.returncode != 0
    assert "SITE_URL" in missing.stderr


# --- the Site record ----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_setup_site_gives_the_site_record_the_public_address_and_keeps_it_in_sync(settings, site_tree):
    site = Site.objects.get(is_default_site=True)
    assert (site.hostname, site.port) == ("localhost", 80)  # the test settings' own address

    settings.SITE_URL = PUBLIC
    assert "lancez « manage.py setup_site »" in site_address_problem()
    # migrate runs the database checks: a deployment that forgot setup_site is told.
    warnings = [m for m in run_checks(databases=["default"]) if m.id == "home.W001"]
    assert len(warnings) == 1
    assert "http://localhost" in warnings[0].msg

    call_command("setup_site", stdout=StringIO())
    site.refresh_from_db()
    assert (site.hostname, site.port, site.root_url) == ("impact-jeunes.example", 443, PUBLIC)
    assert site_address_problem() is None
    assert not [m for m in run_checks(databases=["default"]) if m.id == "home.W001"]
    assert fresh(site_tree["index"]).get_full_url() == f"{PUBLIC}/quartiers/"

    # `make run PORT=8001` then: load_demo (through ensure_site_structure) follows the port.
    settings.SITE_URL = "http://127.0.0.1:8001"
    ensure_site_structure()
    site.refresh_from_db()
    assert (site.hostname, site.port) == ("127.0.0.1", 8001)
    assert fresh(site_tree["index"]).get_full_url() == "http://127.0.0.1:8001/quartiers/"
    assert sync_default_site() is False  # nothing left to change


@pytest.mark.django_db
def test_a_fresh_database_gets_the_public_address(settings):
    # Wagtail's first migration made localhost:80; setup_site on a new database replaces it.
    settings.SITE_URL = PUBLIC
    call_command("setup_site", stdout=StringIO())
    site = Site.objects.get(is_default_site=True)
    assert site.root_url == PUBLIC
    assert Site.objects.count() == 1


@pytest.mark.django_db
def test_load_demo_prints_and_uses_the_address(settings):
    settings.SITE_URL = "http://127.0.0.1:8001"
    settings.WAGTAILADMIN_BASE_URL = settings.SITE_URL
    out = StringIO()
    call_command("load_demo", stdout=out)
    assert "http://127.0.0.1:8001/" in out.getvalue()
    assert Site.objects.get(is_default_site=True).root_url == "http://127.0.0.1:8001"

    settings.DEBUG = True
    admin = StringIO()
    call_command("ensure_local_admin", stdout=admin)
    assert "Adresse        : http://127.0.0.1:8001/admin/" in admin.getvalue()
    again = StringIO()
    call_command("ensure_local_admin", stdout=again)
    assert "http://127.0.0.1:8001/admin/" in again.getvalue()


# --- what visitors, crawlers and feed readers get -----------------------------------------------------


@pytest.mark.django_db
def test_canonical_open_graph_and_json_ld_use_the_public_address(client, public_site, company_index):
    soup = BeautifulSoup(client.get("/", **OTHER_HOST).content, "html.parser")
    assert soup.select_one('link[rel="canonical"]')["href"] == f"{PUBLIC}/"
    assert soup.select_one('meta[property="og:url"]')["content"] == f"{PUBLIC}/"
    assert soup.select_one('meta[property="og:image"]')["content"].startswith(f"{PUBLIC}/static/")
    data = [json.loads(tag.string) for tag in soup.select('script[type="application/ld+json"]')]
    website, organisation = data[0]
    assert website["url"] == f"{PUBLIC}/"
    assert organisation["url"] == f"{PUBLIC}/"
    assert organisation["logo"].startswith(f"{PUBLIC}/static/")

    company = CompanyPageFactory(parent=company_index, title="Garage Moulin", slug="garage-moulin")
    soup = BeautifulSoup(client.get(company.url, **OTHER_HOST).content, "html.parser")
    assert soup.select_one('link[rel="canonical"]')["href"] == f"{PUBLIC}/entreprises/garage-moulin/"
    (data,) = [json.loads(tag.string) for tag in soup.select('script[type="application/ld+json"]')]
    assert data["mainEntityOfPage"] == f"{PUBLIC}/entreprises/garage-moulin/"


@pytest.mark.django_db
def test_event_page_json_ld_and_calendars_use_the_public_address(client, public_site, neighbourhood):
    event = EventPageFactory(parent=neighbourhood, title="Forum de l'alternance", slug="forum-alternance")
    url = f"{PUBLIC}/quartiers/tarascon/forum-alternance/"
    soup = BeautifulSoup(client.get(event.url, **OTHER_HOST).content, "html.parser")
    events = [
        item
        for tag in soup.select('script[type="application/ld+json"]')
        for item in (lambda d: d if isinstance(d, list) else [d])(json.loads(tag.string))
        if item.get("@type") == "Event"
    ]
    assert [item["url"] for item in events] == [url]

    for path in (
        f"/evenements/calendrier/evenement-{event.pk}.ics",
        "/evenements/calendrier.ics",
        "/evenements/calendrier/quartier-tarascon.ics",
    ):
        calendar = Calendar.from_ical(client.get(path, **OTHER_HOST).content)
        (entry,) = calendar.walk("VEVENT")
        assert str(entry["url"]) == url, path
        assert str(entry["description"]).endswith(url)


@pytest.mark.django_db
def test_feed_sitemap_and_robots_use_the_public_address(client, public_site, neighbourhood, portrait_index):
    portrait = publish_portrait(neighbourhood, title="Inès", slug="ines", first_name="Inès")

    response = client.get("/portraits/flux.xml", **OTHER_HOST)
    channel = ET.fromstring(response.content).find("channel")  # noqa: S314 - our own response
    assert channel.findtext("link") == f"{PUBLIC}/portraits/"
    (item,) = channel.findall("item")
    assert item.findtext("link") == item.findtext("guid") == f"{PUBLIC}/quartiers/tarascon/ines/"
    assert portrait.get_full_url() == f"{PUBLIC}/quartiers/tarascon/ines/"

    root = ET.fromstring(client.get("/sitemap.xml", **OTHER_HOST).content)  # noqa: S314 - our own response
    locations = [loc.text for loc in root.findall("s:url/s:loc", SITEMAP_NS)]
    assert f"{PUBLIC}/quartiers/tarascon/ines/" in locations
    assert_all_public(locations)

    robots = client.get("/robots.txt", **OTHER_HOST).content.decode()
    assert f"Sitemap: {PUBLIC}/sitemap.xml" in robots.splitlines()


@pytest.mark.django_db
def test_printed_posters_point_to_the_public_address(client, public_site, neighbourhood):
    EventPageFactory(parent=neighbourhood, title="Forum", slug="forum")
    for path, url in (
        ("/quartiers/tarascon/affiche/", f"{PUBLIC}/quartiers/tarascon/"),
        ("/quartiers/tarascon/forum/affiche/", f"{PUBLIC}/quartiers/tarascon/forum/"),
    ):
        soup = BeautifulSoup(client.get(path, **OTHER_HOST).content, "html.parser")
        assert soup.select_one(".poster__url").get_text(strip=True) == url
        assert_qr_points_to(soup, url)


# --- what arrives in mailboxes ------------------------------------------------------------------------


@pytest.mark.django_db
def test_registration_emails_link_to_the_public_address(
    client, public_site, neighbourhood, django_capture_on_commit_callbacks
):
    from tests.test_registrations import form_data

    event = EventPageFactory(parent=neighbourhood, title="Forum", slug="forum")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(event.url, form_data(), REMOTE_ADDR="203.0.113.7", **OTHER_HOST)
    assert response.status_code in (200, 302)
    (message,) = mail.outbox
    links = urls_in(message.body)
    assert_all_public(links)
    assert f"{PUBLIC}/quartiers/tarascon/forum/" in links
    cancel = next(link for link in links if "/inscriptions/annuler/" in link)
    # The link works: its path is the site's cancellation page.
    assert client.get(urlsplit(cancel).path).status_code == 200
    (attachment,) = [a for a in message.attachments if a[0].endswith(".ics")]
    (entry,) = Calendar.from_ical(attachment[1]).walk("VEVENT")
    assert str(entry["url"]) == f"{PUBLIC}/quartiers/tarascon/forum/"


@pytest.mark.django_db
def test_proposal_email_links_to_the_public_address(client, public_site, django_capture_on_commit_callbacks):
    from tests.test_proposals import URL, valid_data

    coordinator = make_coordinator("coordinatrice-adresse")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(URL, valid_data(), REMOTE_ADDR="203.0.113.8", **OTHER_HOST)
    assert response.status_code == 302
    told = [message for message in mail.outbox if coordinator.email in message.to + message.bcc]
    assert told
    assert_all_public([url for message in told for url in urls_in(message.body)])


@pytest.mark.django_db
def test_wagtail_review_emails_link_to_the_public_address(client, public_site, neighbourhood_index):
    from home.onboarding import create_neighbourhood
    from tests.test_workflow import submit_new_portrait

    hub, space, _ = create_neighbourhood(
        neighbourhood_index, title="Les Oliviers", slug="les-oliviers", commune="Marseille 13e",
        department="13", intro="Un quartier.", publish=True,
    )  # fmt: skip
    editor = make_editor(space, "redaction-adresse")
    coordinator = make_coordinator("coordination-adresse")
    mail.outbox.clear()
    client.force_login(editor)
    submit_new_portrait(client, hub, title="Yanis, soudeur", slug="yanis-soudeur")
    told = [message for message in mail.outbox if coordinator.email in message.to]
    assert len(told) == 1
    links = urls_in(told[0].body) + urls_in(" ".join(str(alt[0]) for alt in getattr(told[0], "alternatives", [])))
    assert_all_public(links)
    assert any("/admin/pages/" in link for link in links)


def test_absolute_url_follows_the_setting(settings):
    settings.SITE_URL = PUBLIC
    assert absolute_url("/admin/") == f"{PUBLIC}/admin/"
