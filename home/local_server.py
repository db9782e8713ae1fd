"""Serve this checkout under gunicorn with production settings over plain HTTP on 127.0.0.1.

Shared by ``manage.py bench`` and the browser tests, so both measure and exercise the site the way
production runs it (DEBUG off, whitenoise, several workers), not Django's development server — and,
when mail matters, with the mail queue's worker beside it (``mail_worker``).
"""

import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent


def chromium_path():
    """The system Chromium for Playwright and Lighthouse (never a downloaded one), or None."""
    configured = os.environ.get("CHROMIUM_PATH") or os.environ.get("CHROME_PATH")
    if configured:
        return configured
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    return None


def production_http_env(port=8000, **overrides):
    """Environment for production settings on 127.0.0.1 without TLS (no HTTPS redirect), whose public
    address (``SITE_URL``: links in e-mails, feeds, posters) is ``http://127.0.0.1:<port>``. Serve it on
    that port (``gunicorn(env, port=port)``) when links must work."""
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "site_project.settings.production",
        "SITE_URL": f"http://127.0.0.1:{port}",
        "DJANGO_SECRET_KEY": os.environ.get("DJANGO_SECRET_KEY") or secrets.token_urlsafe(40),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DJANGO_SECURE_SSL_REDIRECT": "false",
        "DJANGO_SERVE_MEDIA": "true",
        **overrides,
    }


def manage(env, *args):
    subprocess.run(  # noqa: S603 - fixed program, arguments from our own code
        [sys.executable, "manage.py", *args], cwd=BASE_DIR, env=env, check=True, capture_output=True
    )


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def gunicorn(env, *, port=None, workers=2, log_path=None, timeout=60):
    """Run gunicorn on ``port`` (a free one by default) until the block ends; yields the base URL once
    /sante/ answers."""
    port = port or free_port()
    log = open(log_path, "w") if log_path else subprocess.DEVNULL  # noqa: SIM115 - closed below
    server = subprocess.Popen(  # noqa: S603 - fixed argument list, no shell
        [sys.executable, "-m", "gunicorn", "site_project.wsgi:application", "--bind", f"127.0.0.1:{port}",
         "--workers", str(workers), "--timeout", "60", "--log-level", "warning"],
        cwd=BASE_DIR, env=env, stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + timeout
        while True:
            try:
                urllib.request.urlopen(url + "/sante/", timeout=2)  # noqa: S310 - our own local server
                break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    details = Path(log_path).read_text()[-3000:] if log_path else ""
                    raise RuntimeError(f"gunicorn did not answer on {url}\n{details}") from None
                time.sleep(0.3)
        yield url
    finally:
        server.terminate()
        server.wait(timeout=30)
        if log_path:
            log.close()


@contextmanager
def mail_worker(env, *, log_path=None):
    """Run the mail queue's worker (``db_worker --backend mail``) until the block ends, as production
    runs it beside gunicorn."""
    log = open(log_path, "w") if log_path else subprocess.DEVNULL  # noqa: SIM115 - closed below
    worker = subprocess.Popen(
        [sys.executable, "manage.py", "db_worker", "--backend", "mail", "--interval", "0.2", "--no-startup-delay"],
        cwd=BASE_DIR, env=env, stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    try:
        yield worker
    finally:
        worker.terminate()
        try:
            worker.wait(timeout=30)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait()
        if log_path:
            log.close()


PENDING_MAIL = re.compile(r"file d'e-mails : (\d+) en attente")


def wait_for_mail_queue(url, timeout=60):
    """Wait until the site's readiness check reports no e-mail waiting or being sent (the worker
    polls the queue; a test reading the mailbox right after a request would otherwise race it)."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            with urllib.request.urlopen(url + "/sante/pret/", timeout=5) as response:  # noqa: S310 - our own server
                body = response.read().decode()
        except OSError:
            body = ""
        found = PENDING_MAIL.search(body)
        if found and found.group(1) == "0":
            return
        if time.monotonic() > deadline:
            raise RuntimeError(f"the mail queue did not empty in {timeout} s:\n{body}")
        time.sleep(0.2)
