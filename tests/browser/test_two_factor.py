"""A coordinator's second factor and the login lockout, in real Chromium against the demo site under
gunicorn (2 workers, production settings). The authenticator app is played by the test: it reads the
key the set-up page shows for manual entry and computes the codes from it, as an app would."""

import base64
import re

import pytest

from tests.browser.accounts import app_code, fill_login_form, give_app, log_in, remove_apps, set_password

COORDINATOR = "coordination"


@pytest.fixture
def admin_page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="fr-FR")
    page = context.new_page()
    yield page
    context.close()


def squeeze(text):
    return " ".join(text.split())


def next_session(page):
    """Another day: the browser kept no session."""
    page.context.clear_cookies()


def test_a_coordinator_sets_up_an_app_and_logs_in_with_it(admin_page, live_site):
    page = admin_page
    password = set_password(live_site, COORDINATOR)
    remove_apps(live_site, COORDINATOR)
    fill_login_form(page, live_site, COORDINATOR, password)

    # First login: the admin stays closed until an app is set up.
    page.wait_for_url(re.compile(r"/admin/double-authentification/activer/"))
    assert page.get_by_role("heading", level=1).inner_text() == "Activer la double authentification"
    assert page.locator(".two-factor-qr svg").count() == 1
    page.goto(live_site + "/admin/pages/")
    page.wait_for_url(re.compile(r"/admin/double-authentification/activer/"))

    # The "app": the key shown for manual entry, in base32 as apps take it.
    key_hex = base64.b32decode(page.locator("#two-factor-key").inner_text().replace(" ", "")).hex()
    page.get_by_label("Code").fill(app_code(key_hex))
    page.get_by_role("button", name="Activer").click()

    page.get_by_role("heading", name="Vos codes de secours").wait_for()
    codes = [code.strip() for code in page.locator(".two-factor-codes code").all_inner_texts()]
    assert len(codes) == 10
    page.get_by_role("link", name="J'ai noté mes codes, continuer").click()
    page.wait_for_url(re.compile(r"/admin/pages/"))
    assert "Accueil" in page.locator("main").inner_text()

    # Next login: password, then the app's code — the next one, as a code is accepted once.
    next_session(page)
    fill_login_form(page, live_site, COORDINATOR, password)
    page.wait_for_url(re.compile(r"/admin/double-authentification/verifier/"))
    page.get_by_label("Code").fill("000000")
    page.get_by_role("button", name="Valider").click()
    page.locator(".messages").get_by_text("Ce code ne convient pas").wait_for()
    page.wait_for_timeout(1100)  # a wrong code makes the next one wait a second
    page.get_by_label("Code").fill(app_code(key_hex))
    page.get_by_role("button", name="Valider").click()
    page.wait_for_url(live_site + "/admin/")

    # Without the phone: a recovery code, once.
    next_session(page)
    fill_login_form(page, live_site, COORDINATOR, password)
    page.wait_for_url(re.compile(r"/admin/double-authentification/verifier/"))
    page.get_by_label("Code").fill(codes[0])
    page.get_by_role("button", name="Valider").click()
    page.wait_for_url(live_site + "/admin/")
    assert "il vous en reste 9" in squeeze(page.locator(".messages").inner_text())


def test_repeated_failed_logins_lock_the_account_across_workers(admin_page, live_site):
    page = admin_page
    password = set_password(live_site, COORDINATOR)
    try:
        # Each submission may reach either gunicorn worker: the count lives in the database.
        for _ in range(10):
            fill_login_form(page, live_site, COORDINATOR, "pas-le-bon")
            page.wait_for_load_state()
        fill_login_form(page, live_site, COORDINATOR, password)
        page.get_by_role("heading", name="Connexion suspendue").wait_for()
        assert "Trop de tentatives de connexion" in squeeze(page.locator("main").inner_text())
        assert page.url.startswith(live_site + "/admin/login/")
    finally:
        # 127.0.0.1 is locked out too: free it for the other browser tests.
        live_site.manage("axes_reset")


def test_a_coordinator_with_an_app_opens_the_review_screens(admin_page, live_site):
    """The way other browser tests log in as a coordinator (tests/browser/accounts.py)."""
    page = admin_page
    password = set_password(live_site, COORDINATOR)
    key = give_app(live_site, COORDINATOR)
    log_in(page, live_site, COORDINATOR, password, key)
    page.goto(live_site + "/admin/reports/workflow/")
    assert page.get_by_role("heading", level=1).inner_text().strip()
    assert "double-authentification" not in page.url
