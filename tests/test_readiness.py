"""Liveness (/sante/) stays trivial; readiness (/sante/pret/) tells a load balancer whether this host
can serve: 503 when PostgreSQL or Redis is really unreachable, with a short body that names the
service but gives no detail (no host, no error message)."""

import urllib.error
import urllib.request

import pytest
from django.core.mail import send_mail
from django.test import Client

from home.local_server import gunicorn, production_http_env
from tests.mail_queue import queued_mail
from tests.redis_server import private_redis, redis_cache
from tests.smtp_servers import refused_port

__all__ = ["private_redis", "queued_mail"]

URL = "/sante/pret/"


def read(response):
    return response.content.decode()


@pytest.mark.django_db
def test_ready_with_the_database_and_no_shared_cache_configured(client):
    response = client.get(URL)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert "no-store" in response["Cache-Control"]
    body = read(response)
    assert body.startswith("prêt\n")
    assert "base de données : ok" in body
    assert "cache partagé : non configuré" in body
    assert "file d'e-mails : 0 en attente" in body


@pytest.mark.django_db
def test_ready_with_redis_up(settings, private_redis):
    settings.CACHES = redis_cache(private_redis.url)
    response = Client().get(URL)
    assert response.status_code == 200
    assert "cache partagé : ok" in read(response)


@pytest.mark.django_db
def test_not_ready_when_redis_is_down_and_the_body_says_no_more(settings):
    port = refused_port()
    settings.CACHES = redis_cache(f"redis://127.0.0.1:{port}/6")
    response = Client().get(URL)
    assert response.status_code == 503
    body = read(response)
    assert body.startswith("indisponible\n")
    assert "cache partagé : indisponible" in body
    assert "base de données : ok" in body
    for detail in (str(port), "127.0.0.1", "Error", "refused", "redis://"):
        assert detail not in body
    # Liveness does not depend on it.
    assert Client().get("/sante/").status_code == 200


@pytest.mark.django_db
def test_the_mail_backlog_is_reported(queued_mail):
    send_mail("Un", "Corps", None, ["a@example.org"])
    send_mail("Deux", "Corps", None, ["b@example.org"])
    body = read(Client().get(URL))
    assert "file d'e-mails : 2 en attente, la plus ancienne depuis 0 s, 0 en échec" in body


def test_not_ready_when_postgresql_is_down(tmp_path):
    """A production server whose PostgreSQL does not answer: alive, not ready."""
    env = production_http_env(
        DATABASE_URL=f"postgres://postgres@127.0.0.1:{refused_port()}/impactjeunes",
        MEDIA_ROOT=str(tmp_path / "media"),
        STATIC_ROOT=str(tmp_path / "static"),
    )
    with gunicorn(env, workers=1, log_path=tmp_path / "gunicorn.log") as url:
        with urllib.request.urlopen(url + "/sante/", timeout=10) as response:  # noqa: S310 - our own server
            assert response.status == 200
        with pytest.raises(urllib.error.HTTPError) as answer:
            urllib.request.urlopen(url + URL, timeout=10)  # noqa: S310 - our own server
        assert answer.value.code == 503
        body = answer.value.read().decode()
    assert body.startswith("indisponible\n")
    assert "base de données : indisponible" in body
    assert "cache partagé : non configuré" in body
    assert "file d'e-mails" not in body
    assert "postgres" not in body.lower()
