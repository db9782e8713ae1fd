"""Services failing under the real server: production settings, gunicorn with 2 workers, the mail
worker beside it, a database of its own.

- A mail server that accepts connections and never answers: registrations answer at once and are
  committed, the trivial /sante/ view is never held up by them (before the queue, each registration
  pinned a worker for EMAIL_TIMEOUT and 4 of them made /sante/ wait 19 s), and the confirmations
  arrive once the server answers.
- Redis unreachable, or stopped and started again: every public page, a registration and the admin
  login answer; only the readiness check says 503."""

import re
import threading
import time
import urllib.error
import urllib.parse
import urllib.request

import pytest

from home.local_server import gunicorn, mail_worker, manage, production_http_env
from tests.live_database import separate_database
from tests.redis_server import PrivateRedis
from tests.smtp_servers import SMTPServer, refused_port
from tests.test_registration_concurrency import CREATE_EVENT, shell

COUNT = """
from events.models import Registration
print(Registration.objects.filter(status="confirmed").count())
"""


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def get(url, timeout=30):
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:  # noqa: S310 - our own local server
            return response.status, dict(response.headers), response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read().decode()


def register(url, email):
    """A young person's registration as a browser sends it; returns (status, seconds for the POST)."""
    opener = urllib.request.build_opener(NoRedirect)
    with opener.open(url, timeout=30) as page:
        html = page.read().decode()
        # Production cookies are Secure; over plain HTTP on 127.0.0.1 we hand the CSRF cookie back ourselves.
        cookie = re.search(r"csrftoken=([^;]+)", page.headers.get("Set-Cookie", "")).group(1)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
    data = urllib.parse.urlencode(
        {
            "csrfmiddlewaretoken": token,
            "first_name": "Inès",
            "last_name": "Panne",
            "email": email,
            "age_range": "18-25",
            "neighbourhood": "Tarascon",
            "companion": "seul",
            "privacy_accepted": "on",
        }
    ).encode()
    headers = {"Cookie": f"csrftoken={cookie}", "Referer": url}
    request = urllib.request.Request(url, data=data, headers=headers)  # noqa: S310 - our own local server
    started = time.monotonic()
    try:
        opener.open(request, timeout=60)
        status = 200
    except urllib.error.HTTPError as error:
        status = error.code
    return status, time.monotonic() - started


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """A production database with one upcoming event; yields (environment, event path, folder)."""
    tmp_path = tmp_path_factory.mktemp("faults")
    with separate_database(tmp_path, "faults") as database_url:
        env = production_http_env(
            DATABASE_URL=database_url,
            MEDIA_ROOT=str(tmp_path / "media"),
            STATIC_ROOT=str(tmp_path / "static"),
            REGISTRATION_RATE_LIMIT="1000",
        )
        manage(env, "migrate", "--noinput", "-v0")
        manage(env, "collectstatic", "--noinput", "-v0")
        manage(env, "setup_site")
        event_path = shell(env, CREATE_EVENT)
        yield env, event_path, tmp_path


def test_a_hanging_mail_server_stalls_nothing_and_the_mail_arrives_once_it_answers(site):
    env, event_path, tmp_path = site
    with SMTPServer(hanging=True) as smtp:
        env = {
            **env,
            "EMAIL_HOST": "127.0.0.1",
            "EMAIL_PORT": str(smtp.port),
            "EMAIL_TIMEOUT": "2",
            "EMAIL_QUEUE_RETRY_SECONDS": "1",
        }
        with (
            mail_worker(env, log_path=tmp_path / "worker.log"),
            gunicorn(env, workers=2, log_path=tmp_path / "gunicorn-smtp.log") as url,
        ):
            for _ in range(3):  # warm both workers up: the first requests compile templates
                get(url + event_path)
                get(url + "/sante/")

            health = []
            done = threading.Event()

            def watch_health():
                while not done.is_set():
                    started = time.monotonic()
                    status, _headers, _body = get(url + "/sante/")
                    health.append((status, time.monotonic() - started))
                    time.sleep(0.05)

            results = {}

            def one(number):
                results[number] = register(url + event_path, f"panne{number}@example.org")

            watcher = threading.Thread(target=watch_health)
            watcher.start()
            registrations = [threading.Thread(target=one, args=(n,)) for n in range(4)]
            for thread in registrations:
                thread.start()
            for thread in registrations:
                thread.join()
            time.sleep(0.5)
            done.set()
            watcher.join()

            assert sorted(status for status, _seconds in results.values()) == [302] * 4, results
            assert max(seconds for _status, seconds in results.values()) < 5, results
            assert all(status == 200 for status, _seconds in health)
            assert max(seconds for _status, seconds in health) < 2, health
            assert shell(env, COUNT) == "4"
            # The worker is trying: it reached the server and is still waiting for a greeting.
            assert smtp.connections >= 1
            assert smtp.mails() == []

            smtp.answer()
            deadline = time.monotonic() + 90
            while len(smtp.mails()) < 4 and time.monotonic() < deadline:
                time.sleep(0.5)
    mails = smtp.mails()
    assert sorted(str(mail["To"]).strip() for mail in mails) == [f"panne{n}@example.org" for n in range(4)]
    assert all(str(mail["Subject"]).strip().startswith("Inscription confirmée") for mail in mails)


def test_redis_unreachable_costs_the_cache_not_the_site(site):
    env, event_path, tmp_path = site
    env = {**env, "REDIS_URL": f"redis://127.0.0.1:{refused_port()}/6", "PAGE_CACHE_SECONDS": "600"}
    with gunicorn(env, workers=2, log_path=tmp_path / "gunicorn-redis.log") as url:
        for path in ["/", "/evenements/", event_path, "/portraits/", "/quartiers/", "/admin/login/", "/sante/"]:
            status, headers, _body = get(url + path)
            assert status == 200, path
            assert "X-Cache" not in headers
        assert register(url + event_path, "sans.redis@example.org")[0] == 302
        status, _headers, body = get(url + "/sante/pret/")
        assert status == 503
        assert "cache partagé : indisponible" in body
    log = (tmp_path / "gunicorn-redis.log").read_text()
    assert "Internal Server Error" not in log
    # Logged once per worker process, not once per request.
    assert 1 <= log.count("Redis unreachable") <= 2


def test_redis_stopped_then_started_again(site):
    env, _event_path, tmp_path = site
    redis_server = PrivateRedis()
    redis_server.start()
    try:
        env = {**env, "REDIS_URL": redis_server.url, "PAGE_CACHE_SECONDS": "600"}
        with gunicorn(env, workers=1, log_path=tmp_path / "gunicorn-restart.log") as url:
            assert get(url + "/")[1].get("X-Cache") == "MISS"
            assert get(url + "/")[1].get("X-Cache") == "HIT"

            redis_server.stop()
            status, headers, body = get(url + "/")
            assert status == 200
            assert "X-Cache" not in headers
            assert "Impact Jeunes" in body
            assert get(url + "/sante/pret/")[0] == 503

            redis_server.start()
            assert get(url + "/sante/pret/")[0] == 200  # a real round trip, whatever the breaker says
            assert get(url + "/")[1].get("X-Cache") == "MISS"
            assert get(url + "/")[1].get("X-Cache") == "HIT"
    finally:
        redis_server.stop()
