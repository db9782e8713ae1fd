"""Seats under real concurrency: many young people press « Je m'inscris » at the same moment for
the last seats of a forum, through gunicorn with several worker processes.

On PostgreSQL (as in CI and production) the event row lock is what keeps the count exact; on
SQLite the IMMEDIATE transactions serialise writers. Either way: exactly ``capacity`` confirmed,
everyone else on the waiting list, no server error."""

import re
import subprocess
import sys
import threading
import urllib.error
import urllib.parse
import urllib.request

from home.local_server import BASE_DIR, gunicorn, manage, production_http_env
from tests.live_database import separate_database

CAPACITY = 5
CANDIDATES = 40

CREATE_EVENT = """
import datetime
from django.utils import timezone
from events.models import EventIndexPage, EventPage
index = EventIndexPage.objects.get()
start = timezone.now() + datetime.timedelta(days=5)
event = EventPage(title="Forum très demandé", slug="forum-tres-demande", start_at=start,
    end_at=start + datetime.timedelta(hours=3), summary="Peu de places.", venue="Salle (fictive)",
    address="1 rue de l'Exemple", commune="Tarascon", capacity=CAPACITY)
index.add_child(instance=event)
event.save_revision().publish()
print(event.url)
""".replace("CAPACITY", str(CAPACITY))

COUNT_REGISTRATIONS = """
from events.models import Registration
print(Registration.objects.filter(status="confirmed").count(), Registration.objects.filter(status="waiting").count())
"""


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def shell(env, code):
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", code], cwd=BASE_DIR, env=env, check=True, capture_output=True
    )
    return result.stdout.decode().strip().splitlines()[-1]


def register(base_url, event_path, number, barrier, results):
    opener = urllib.request.build_opener(NoRedirect)
    page = opener.open(base_url + event_path, timeout=30)
    html = page.read().decode()
    # Production cookies are Secure; over plain HTTP on 127.0.0.1 we hand the CSRF cookie back ourselves.
    cookie = re.search(r"csrftoken=([^;]+)", page.headers.get("Set-Cookie", "")).group(1)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
    data = urllib.parse.urlencode(
        {
            "csrfmiddlewaretoken": token,
            "first_name": f"Candidat{number}",
            "last_name": "Test",
            "email": f"candidat{number}@example.org",
            "age_range": "18-25",
            "neighbourhood": "Tarascon",
            "companion": "seul",
            "privacy_accepted": "on",
        }
    ).encode()
    request = urllib.request.Request(  # noqa: S310 - our own local server
        base_url + event_path, data=data, headers={"Cookie": f"csrftoken={cookie}"}
    )
    barrier.wait(timeout=60)
    try:
        response = opener.open(request, timeout=60)
        results[number] = (response.status, response.headers.get("Location", ""))
    except urllib.error.HTTPError as error:
        results[number] = (error.code, error.headers.get("Location", ""))


def test_simultaneous_registrations_never_exceed_capacity(tmp_path):
    with separate_database(tmp_path, "concurrency") as database_url:
        env = production_http_env(
            DATABASE_URL=database_url,
            MEDIA_ROOT=str(tmp_path / "media"),
            STATIC_ROOT=str(tmp_path / "static"),
            EMAIL_DELIVERY_BACKEND="django.core.mail.backends.dummy.EmailBackend",
            REGISTRATION_RATE_LIMIT="1000",  # every candidate comes from 127.0.0.1 here
        )
        manage(env, "migrate", "--noinput", "-v0")
        manage(env, "collectstatic", "--noinput", "-v0")
        manage(env, "setup_site")
        event_path = shell(env, CREATE_EVENT)
        with gunicorn(env, workers=4, log_path=tmp_path / "gunicorn.log") as base_url:
            barrier = threading.Barrier(CANDIDATES)
            results = {}
            threads = [
                threading.Thread(target=register, args=(base_url, event_path, n, barrier, results))
                for n in range(CANDIDATES)
            ]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(timeout=120)
        log = (tmp_path / "gunicorn.log").read_text()
        confirmed, waiting = (int(n) for n in shell(env, COUNT_REGISTRATIONS).split())

    assert len(results) == CANDIDATES, log[-2000:]
    assert {status for status, _ in results.values()} == {302}, (results, log[-2000:])
    outcomes = [location.split("inscription=")[-1].split("#")[0] for _, location in results.values()]
    assert outcomes.count("confirmee") == CAPACITY
    assert outcomes.count("attente") == CANDIDATES - CAPACITY
    assert (confirmed, waiting) == (CAPACITY, CANDIDATES - CAPACITY)
    assert "Traceback" not in log
