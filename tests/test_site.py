"""Site-wide behaviour: error pages, security headers, admin language, robots and sitemap."""

import datetime
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from stories.models import PortraitConsent
from tests.factories import (
    ImageFactory,
    NeighbourhoodPageFactory,
    PortraitConsentFactory,
    PortraitPageFactory,
    SectorFactory,
)

BASE_DIR = Path(__file__).resolve().parent.parent


@pytest.mark.django_db
def test_unknown_url_gets_french_404_page(client, site_tree):
    response = client.get("/quartiers/nulle-part/")
    assert response.status_code == 404
    soup = BeautifulSoup(response.content, "html.parser")
    assert soup.html["lang"] == "fr"
    assert soup.h1.get_text(strip=True) == "Page introuvable"
    assert soup.select_one("a.skip-link") is not None


@pytest.mark.django_db
def test_server_error_gets_french_500_page_without_traceback(settings, site_tree):
    settings.ROOT_URLCONF = "tests.urls_boom"
    client = Client(raise_request_exception=False)
    response = client.get("/boom/")
    assert response.status_code == 500
    html = response.content.decode()
    assert "Oups, un problème est survenu" in html
    assert "Traceback" not in html
    assert "secret internal detail" not in html
    assert "RuntimeError" not in html


@pytest.mark.django_db
def test_public_pages_send_security_headers(client, site_tree):
    response = client.get("/")
    csp = response.headers["Content-Security-Policy"]
    assert "default-src 'self'" in csp
    assert "script-src 'self'" in csp
    assert "frame-ancestors 'none'" in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response.headers["X-Frame-Options"] == "DENY"


def _production_request(path, secure):
    """Run one request in a separate interpreter under the production settings module."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "site_project.settings.production",
        "DJANGO_SECRET_KEY": "a-long-random-secret-for-this-test-only-0123456789abcdef",
        "SITE_URL": "https://impact-jeunes.fr",
    }
    env.pop("DJANGO_ALLOWED_HOSTS", None)  # the public address's host is allowed without it
    env.pop("DJANGO_SECURE_SSL_REDIRECT", None)
    code = (
        "import json, django; django.setup();"
        "from django.test import Client;"
        f"r = Client(HTTP_HOST='impact-jeunes.fr').get({path!r}, secure={secure});"
        "print(json.dumps({'status': r.status_code, 'headers': dict(r.headers)}))"
    )
    output = subprocess.run(
        [sys.executable, "-c", code], cwd=BASE_DIR, env=env, capture_output=True, text=True, check=True
    )
    return json.loads(output.stdout.strip().splitlines()[-1])


def test_production_forces_https_and_sends_hsts():
    plain = _production_request("/robots.txt", secure=False)
    assert plain["status"] == 301
    assert plain["headers"]["Location"] == "https://impact-jeunes.fr/robots.txt"

    secure = _production_request("/robots.txt", secure=True)
    assert secure["status"] == 200
    assert secure["headers"]["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    assert "default-src 'self'" in secure["headers"]["Content-Security-Policy"]
    assert secure["headers"]["X-Content-Type-Options"] == "nosniff"


def test_production_refuses_to_start_without_a_secret_key():
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SECRET_KEY"}
    env.update(DJANGO_SETTINGS_MODULE="site_project.settings.production", SITE_URL="https://impact-jeunes.fr")
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"], cwd=BASE_DIR, env=env, capture_output=True, text=True
    )
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr


@pytest.mark.django_db
def test_admin_speaks_french(client):
    response = client.get("/admin/login/")
    soup = BeautifulSoup(response.content, "html.parser")
    assert soup.html["lang"] == "fr"
    assert "Mot de passe" in soup.get_text()


@pytest.mark.django_db
def test_robots_and_sitemap(client, site_tree):
    robots = client.get("/robots.txt").content.decode()
    assert "Disallow: /admin/" in robots
    assert "Sitemap: http://localhost/sitemap.xml" in robots  # the configured address, not the Host header
    sitemap = client.get("/sitemap.xml").content.decode()
    assert "/quartiers/</loc>" in sitemap
    assert "/mentions-legales/</loc>" in sitemap


def _queries_for(client, url):
    assert client.get(url).status_code == 200  # first render creates renditions and warms caches
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/quartiers/", "/quartiers/?departement=13", "/"])
def test_listing_queries_do_not_grow_with_neighbourhoods(client, neighbourhood_index, url):
    for number in range(3):
        NeighbourhoodPageFactory(parent=neighbourhood_index, title=f"Petit {number}")
    with_three = _queries_for(client, url)
    for number in range(57):
        NeighbourhoodPageFactory(parent=neighbourhood_index, title=f"Grand {number}")
    with_sixty = _queries_for(client, url)
    assert with_sixty == with_three
    assert with_three <= 18  # budget: routing, site settings, menu, listing, filters


def live_portraits(parent, count, *, photos, newest=None, **kwargs):
    """Create ``count`` live portraits with a valid consent under ``parent``, newest first, sharing
    ``photos`` in turn. Faster than ``publish_portrait`` (no revision, no consent signal) while
    leaving in the tables what the listings read: a live page, ``first_published_at`` and a
    consent row covering the site."""
    newest = newest or timezone.now()
    portraits = [
        PortraitPageFactory(
            parent=parent,
            live=True,
            first_published_at=newest - datetime.timedelta(minutes=number),
            photo=photos[number % len(photos)],
            **kwargs,
        )
        for number in range(count)
    ]
    PortraitConsent.objects.bulk_create([PortraitConsentFactory.build(portrait=portrait) for portrait in portraits])
    return portraits


@pytest.mark.django_db
def test_neighbourhood_page_queries_do_not_grow_with_portraits(client, neighbourhood_index):
    page = NeighbourhoodPageFactory(parent=neighbourhood_index, title="Tarascon")
    photos = ImageFactory.create_batch(3)
    sector = SectorFactory(name="Commerce")
    live_portraits(page, 10, photos=photos, sector=sector)
    with_ten = _queries_for(client, page.url)
    live_portraits(page, 290, photos=photos, sector=sector, newest=timezone.now() + datetime.timedelta(days=1))
    with_three_hundred = _queries_for(client, page.url)
    assert with_three_hundred == with_ten
    assert with_ten <= 21


@pytest.mark.django_db
def test_health_view_answers_without_touching_the_database(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/sante/")
    assert response.status_code == 200
    assert response.content == b"ok\n"
    assert "no-store" in response.headers["Cache-Control"]
