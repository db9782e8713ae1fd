"""Browser tests: Playwright drives the system Chromium (never a downloaded browser) against the
real site served by gunicorn with production settings, on its own database with the demo content.

Missing Chromium skips these tests on a newcomer's machine, but fails them when REQUIRE_BROWSER=1,
as CI sets it: the browser tests must never disappear silently there.
"""

import os
import subprocess

import pytest

from home.local_server import (
    chromium_path,
    free_port,
    gunicorn,
    mail_worker,
    manage,
    production_http_env,
    wait_for_mail_queue,
)
from tests.live_database import separate_database

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def pytest_collection_modifyitems(config, items):
    for item in items:
        if "tests/browser/" in item.nodeid.replace(os.sep, "/"):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def chromium_executable():
    executable = chromium_path()
    if executable is None:
        message = "Chromium not found: install Debian's chromium package or set CHROMIUM_PATH"
        if os.environ.get("REQUIRE_BROWSER") == "1":
            pytest.fail(message)
        pytest.skip(message)
    return executable


class LiveSite(str):
    """The site's base URL (a str, so ``live_site + "/path"`` works) that also knows its mailbox
    and the environment it runs in (its database, settings)."""

    def __new__(cls, url, mail_dir, env=None):
        site = super().__new__(cls, url)
        site.mail_dir = mail_dir
        site.env = env
        return site

    def manage(self, *args):
        """Run a manage.py command against the live site's database, e.g. to give a demo account a
        password the test knows (the demo prints random ones once and stores none)."""
        try:
            manage(self.env, *args)
        except subprocess.CalledProcessError as error:
            # manage() captures the output: without this, a failing command would only say "exit status 1".
            output = (error.stderr or b"").decode(errors="replace")[-3000:]
            raise RuntimeError(f"manage.py {' '.join(args[:1])} failed:\n{output}") from error

    def mails(self):
        """Every message delivered so far, once the mail queue's worker has sent what was queued."""
        import email
        import email.policy

        wait_for_mail_queue(self)
        if not self.mail_dir.exists():
            return []
        return [
            email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
            for path in sorted(self.mail_dir.iterdir())
        ]


@pytest.fixture(scope="session")
def live_site(chromium_executable, tmp_path_factory):
    """URL of the demo site under gunicorn (2 workers), production settings over plain HTTP. Its public
    address (SITE_URL, hence the Site record load_demo writes) is the address it is served on, so the
    links in its e-mails and on its posters lead back to it."""
    tmp_dir = tmp_path_factory.mktemp("browser-site")
    port = free_port()
    with separate_database(tmp_dir, "browser") as database_url:
        env = production_http_env(
            port,
            DATABASE_URL=database_url,
            MEDIA_ROOT=str(tmp_dir / "media"),
            STATIC_ROOT=str(tmp_dir / "static"),
            # Mail is queued by the site and sent by the worker into files the tests read, like a
            # young person reading their inbox.
            EMAIL_DELIVERY_BACKEND="django.core.mail.backends.filebased.EmailBackend",
            EMAIL_FILE_PATH=str(tmp_dir / "mail"),
        )
        for command in (["migrate", "--noinput", "-v0"], ["collectstatic", "--noinput", "-v0"], ["load_demo"]):
            manage(env, *command)
        with (
            mail_worker(env, log_path=tmp_dir / "worker.log"),
            gunicorn(env, port=port, workers=2, log_path=tmp_dir / "gunicorn.log") as url,
        ):
            assert url == env["SITE_URL"]
            yield LiveSite(url, tmp_dir / "mail", env)


@pytest.fixture(scope="session")
def browser(chromium_executable):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_executable, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    # A phone-sized viewport: that is how young people read the site.
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="fr-FR")
    page = context.new_page()
    yield page
    context.close()
