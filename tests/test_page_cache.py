"""The anonymous page cache (home/page_cache.py): hits without SQL, invalidation on publish and
unpublish, and never one visitor's answer (CSRF token, messages, editor view) served to another."""

import os
import re
import subprocess
import sys
import urllib.request

import pytest
from django.contrib import messages
from django.core.cache import cache
from django.test import Client
from wagtail import hooks
from wagtail.models import PageViewRestriction

from home.local_server import BASE_DIR, gunicorn, manage, production_http_env
from home.models import SiteSettings
from tests.factories import EventPageFactory, RegistrationFactory, StandardPageFactory
from tests.live_database import separate_database

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@pytest.fixture(autouse=True)
def page_cache(settings, site_tree):
    settings.PAGE_CACHE_SECONDS = 600
    # As on a running site: the settings row exists (its creation on a first visit empties the cache).
    SiteSettings.for_site(site_tree["site"])
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def page(home_page):
    return StandardPageFactory(parent=home_page, title="Trouver un stage", slug="trouver-un-stage")


@pytest.fixture
def event(neighbourhood):
    return EventPageFactory(parent=neighbourhood, title="Forum de l'alternance", slug="forum-alternance")


def test_second_anonymous_visit_is_served_from_the_cache_without_sql(client, page, django_assert_num_queries):
    first = client.get(page.url)
    assert first.status_code == 200
    assert first["X-Cache"] == "MISS"

    with django_assert_num_queries(0):
        second = client.get(page.url)
    assert second.status_code == 200
    assert second["X-Cache"] == "HIT"
    assert "Age" in second
    assert second.content == first.content
    assert "Trouver un stage" in second.content.decode()
    # Headers added by inner middleware are replayed on a hit.
    assert second["Content-Security-Policy"] == first["Content-Security-Policy"]
    assert not second.cookies


def test_a_hit_is_shared_by_another_visitor_even_with_a_csrf_cookie(page, settings):
    Client().get(page.url)
    other = Client()
    other.cookies[settings.CSRF_COOKIE_NAME] = "a" * 32
    assert other.get(page.url)["X-Cache"] == "HIT"


def test_query_string_order_does_not_matter(client, portrait_index):
    assert client.get(portrait_index.url + "?secteur=x&quartier=y")["X-Cache"] == "MISS"
    assert client.get(portrait_index.url + "?quartier=y&secteur=x")["X-Cache"] == "HIT"
    assert client.get(portrait_index.url + "?quartier=z")["X-Cache"] == "MISS"


def test_publishing_a_change_is_seen_at_once(client, page):
    client.get(page.url)
    assert client.get(page.url)["X-Cache"] == "HIT"

    page.title = "Trouver une alternance"
    page.save_revision().publish()

    response = client.get(page.url)
    assert response["X-Cache"] == "MISS"
    assert "Trouver une alternance" in response.content.decode()
    assert "Trouver un stage" not in response.content.decode()


def test_publishing_one_page_refreshes_the_pages_that_list_it(client, home_page, page):
    other = StandardPageFactory(parent=home_page, title="Une autre page", slug="une-autre-page")
    client.get(other.url)
    assert client.get(other.url)["X-Cache"] == "HIT"

    page.save_revision().publish()

    assert client.get(other.url)["X-Cache"] == "MISS"


def test_unpublished_page_is_gone_not_served_from_the_cache(client, page):
    client.get(page.url)
    assert client.get(page.url)["X-Cache"] == "HIT"

    page.unpublish()

    response = client.get(page.url)
    assert response.status_code == 404
    assert "X-Cache" not in response
    assert "Trouver un stage" not in response.content.decode()
    # 404s are not cached either.
    assert "X-Cache" not in client.get(page.url)


def test_a_view_restriction_added_later_is_not_bypassed_by_the_cache(client, page):
    client.get(page.url)
    PageViewRestriction.objects.create(page=page, restriction_type=PageViewRestriction.PASSWORD, password="secret")

    response = client.get(page.url)
    assert "X-Cache" not in response
    assert 'name="password"' in response.content.decode()


def test_logged_in_users_neither_get_nor_create_cached_pages(client, admin_client, page):
    editor_view = admin_client.get(page.url)
    assert editor_view.status_code == 200
    assert "X-Cache" not in editor_view
    # The editor's page (with the Wagtail user bar) was not stored for visitors.
    visitor = Client()
    visitor_view = visitor.get(page.url)
    assert visitor_view["X-Cache"] == "MISS"
    assert b"wagtail-userbar" not in visitor_view.content

    assert visitor.get(page.url)["X-Cache"] == "HIT"
    again = admin_client.get(page.url)
    assert "X-Cache" not in again
    assert b"wagtail-userbar" in again.content


def test_each_visitor_gets_their_own_csrf_token_on_the_event_page(event):
    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    first_page, second_page = first.get(event.url), second.get(event.url)
    for response in (first_page, second_page):
        assert response.status_code == 200
        assert "X-Cache" not in response
        assert "csrftoken" in response.cookies
    assert first_page.cookies["csrftoken"].value != second_page.cookies["csrftoken"].value

    # The token in the second visitor's page works with the second visitor's cookie.
    token = TOKEN.search(second_page.content.decode()).group(1)
    answer = second.post(
        event.url,
        {
            "csrfmiddlewaretoken": token,
            "first_name": "Inès",
            "last_name": "Benali",
            "email": "ines@example.org",
            "age_range": "18-25",
            "neighbourhood": "Tarascon",
            "companion": "seul",
            "privacy_accepted": "on",
        },
    )
    assert answer.status_code == 302
    assert "inscription=confirmee" in answer["Location"]


def test_registrations_refresh_the_seats_shown_on_listings(client, event):
    index = event.get_parent()
    first = client.get(index.url)
    assert "20 places restantes" in first.content.decode()
    assert client.get(index.url)["X-Cache"] == "HIT"

    RegistrationFactory(event=event)

    response = client.get(index.url)
    assert response["X-Cache"] == "MISS"
    assert "19 places restantes" in response.content.decode()


def test_a_message_for_one_visitor_is_never_cached(page):
    def say_hello(page, request, serve_args, serve_kwargs):
        messages.info(request, "Message pour toi seul")

    with hooks.register_temporarily("before_serve_page", say_hello):
        first = Client().get(page.url)
    assert first.status_code == 200
    assert "messages" in first.cookies
    assert "X-Cache" not in first

    # That visitor's next page, carrying the message cookie, skips the cache.
    holder = Client()
    holder.cookies["messages"] = first.cookies["messages"].value
    assert "X-Cache" not in holder.get(page.url)

    # Someone else gets a fresh page without the message cookie.
    other = Client().get(page.url)
    assert other["X-Cache"] == "MISS"
    assert "messages" not in other.cookies


def test_off_when_page_cache_seconds_is_zero(client, page, settings):
    settings.PAGE_CACHE_SECONDS = 0
    client.get(page.url)
    assert "X-Cache" not in client.get(page.url)


# --- shared across processes, through Redis ----------------------------------------------------------

REDIS_URL = "redis://127.0.0.1:6379/15"

CREATE_PAGE = """
from wagtail.models import Site
from home.models import HomePage, SiteSettings, StandardPage
SiteSettings.for_site(Site.objects.get(is_default_site=True))
home = HomePage.objects.get()
page = StandardPage(title="Avant", slug="partagee", intro="Un chapeau.")
home.add_child(instance=page)
page.save_revision().publish()
print(page.url)
"""

PUBLISH_CHANGE = """
from home.models import StandardPage
page = StandardPage.objects.get(slug="partagee")
page.title = "Après"
page.save_revision().publish()
print("ok")
"""


def redis_available():
    try:
        import redis

        return redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping()
    except Exception:
        return False


def fetch(url):
    # Behind the reverse proxy every worker sees the site's own host name, whatever port it listens on.
    request = urllib.request.Request(url, headers={"Host": "localhost"})  # noqa: S310 - our own local server
    with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 - our own local server
        return response.headers.get("X-Cache"), response.read().decode()


def shell(env, code):
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", code], cwd=BASE_DIR, env=env, check=True, capture_output=True
    )
    return result.stdout.decode().strip().splitlines()[-1]


@pytest.mark.skipif(not redis_available() and not os.environ.get("REQUIRE_REDIS"), reason="no Redis on 127.0.0.1:6379")
def test_two_servers_share_the_cache_and_a_publish_from_a_third_process_reaches_both(tmp_path):
    import redis

    redis.Redis.from_url(REDIS_URL).flushdb()
    with separate_database(tmp_path, "pagecache") as database_url:
        env = production_http_env(
            DATABASE_URL=database_url,
            REDIS_URL=REDIS_URL,
            PAGE_CACHE_SECONDS="600",
            MEDIA_ROOT=str(tmp_path / "media"),
            STATIC_ROOT=str(tmp_path / "static"),
        )
        manage(env, "migrate", "--noinput", "-v0")
        manage(env, "collectstatic", "--noinput", "-v0")
        manage(env, "setup_site")
        path = shell(env, CREATE_PAGE)
        with (
            gunicorn(env, workers=1, log_path=tmp_path / "a.log") as server_a,
            gunicorn(env, workers=1, log_path=tmp_path / "b.log") as server_b,
        ):
            assert fetch(server_a + path)[0] == "MISS"
            status, body = fetch(server_b + path)
            assert status == "HIT"
            assert "Avant" in body

            # Like publish_scheduled from cron: neither server handled the change.
            shell(env, PUBLISH_CHANGE)

            status, body = fetch(server_b + path)
            assert status == "MISS"
            assert "Après" in body
            status, body = fetch(server_a + path)
            assert status == "HIT"
            assert "Après" in body
    redis.Redis.from_url(REDIS_URL).flushdb()
