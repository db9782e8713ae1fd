"""Redis down: the public site, the admin, the forms and their rate limits keep working.

Redis is really unreachable here: the production cache backend points at a port where nothing
listens, or at a private redis-server that the test stops and starts again. Before
home/shared_cache.py every public page answered 500 (the page cache's generation lookup raised, and
so did Wagtail's own site lookup)."""

import time

import pytest
from django.conf import settings as django_settings
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.test import Client, RequestFactory
from django.urls import reverse

from events import ratelimit
from home import shared_cache
from home.models import SiteSettings
from tests.accounts import app_code, verified_device
from tests.factories import EventPageFactory, publish_portrait
from tests.redis_server import private_redis, redis_cache
from tests.smtp_servers import refused_port
from tests.test_registrations import form_data

__all__ = ["private_redis"]


@pytest.fixture
def dead_redis(settings):
    settings.CACHES = redis_cache(f"redis://127.0.0.1:{refused_port()}/6")
    settings.PAGE_CACHE_SECONDS = 600
    return settings


@pytest.fixture
def content(site_tree, neighbourhood):
    SiteSettings.for_site(site_tree["site"])
    return {
        "portrait": publish_portrait(neighbourhood),
        "event": EventPageFactory(parent=neighbourhood, title="Forum de l'alternance", slug="forum-alternance"),
        "hub": neighbourhood,
        "home": site_tree["home"],
    }


@pytest.mark.django_db
def test_public_pages_answer_without_redis_and_the_outage_is_logged_once(dead_redis, content, caplog):
    for path in ["/", content["hub"].url, content["portrait"].url, content["event"].url, "/portraits/", "/evenements/"]:
        for _ in range(2):
            response = Client().get(path)
            assert response.status_code == 200, path
            assert "X-Cache" not in response
    assert not shared_cache.cache_available()
    # From the first cache call (while the fixtures built the pages) to the last request: one line.
    records = caplog.get_records("setup") + caplog.get_records("call")
    outages = [record for record in records if record.name == "home.shared_cache"]
    assert len(outages) == 1
    assert "Redis unreachable" in outages[0].getMessage()


@pytest.mark.django_db
def test_the_admin_logs_in_and_works_without_redis(dead_redis, content):
    # Sessions live in the database, not in the cache.
    assert django_settings.SESSION_ENGINE == "django.contrib.sessions.backends.db"
    user = get_user_model().objects.create_superuser("coordination", "coordination@example.org", "mot-de-passe-de-test")
    device = verified_device(user)  # the coordinator's authenticator app (home/two_factor.py)
    client = Client()
    response = client.post("/admin/login/", {"username": "coordination", "password": "mot-de-passe-de-test"})
    assert response.status_code == 302
    response = client.post(reverse("two_factor_verify"), {"code": app_code(device)})
    assert response.status_code == 302
    assert client.get("/admin/").status_code == 200
    assert client.get(f"/admin/pages/{content['hub'].pk}/").status_code == 200


@pytest.mark.django_db
def test_a_registration_goes_through_without_redis(dead_redis, content, django_capture_on_commit_callbacks, mailoutbox):
    event = content["event"]
    with django_capture_on_commit_callbacks(execute=True):
        response = Client().post(event.url, form_data(), REMOTE_ADDR="203.0.113.7")
    assert response.status_code == 302
    assert "inscription=confirmee" in response["Location"]
    assert event.registrations.count() == 1
    assert len(mailoutbox) == 1


def test_the_rate_limit_falls_back_to_this_process_while_redis_is_down(dead_redis):
    request = RequestFactory().post("/", REMOTE_ADDR="198.51.100.4")
    other = RequestFactory().post("/", REMOTE_ADDR="198.51.100.5")
    assert [ratelimit.hit(request, "test", 3, 600) for _ in range(4)] == [True, True, True, False]
    assert ratelimit.hit(other, "test", 3, 600)


@pytest.mark.django_db
def test_redis_stopped_then_started_again(settings, private_redis, content, monkeypatch):
    monkeypatch.setattr(shared_cache, "RETRY_SECONDS", 0.5)
    settings.CACHES = redis_cache(private_redis.url)
    settings.PAGE_CACHE_SECONDS = 600
    cache.clear()
    url = content["hub"].url
    request = RequestFactory().post("/", REMOTE_ADDR="198.51.100.9")
    assert Client().get(url)["X-Cache"] == "MISS"
    assert Client().get(url)["X-Cache"] == "HIT"
    assert ratelimit.hit(request, "again", 2, 600)

    private_redis.stop()
    down = Client().get(url)
    assert down.status_code == 200
    assert "X-Cache" not in down
    # Counted in this process meanwhile: the shared count (1) is out of reach.
    assert [ratelimit.hit(request, "again", 2, 600) for _ in range(3)] == [True, True, False]

    private_redis.start()  # an empty Redis, as after a restart without persistence
    time.sleep(0.6)  # the next call after RETRY_SECONDS tries Redis again
    assert Client().get(url)["X-Cache"] == "MISS"
    assert Client().get(url)["X-Cache"] == "HIT"
    assert shared_cache.cache_available()
    # Shared counters again, from zero: the outage's local counters are dropped.
    assert [ratelimit.hit(request, "again", 2, 600) for _ in range(3)] == [True, True, False]
    assert ratelimit._local_counts == {}
