"""Accounts: the second factor of coordinators and administrators, and throttled logins.

Everything goes through the real login form and the real second-factor screens; codes are computed
from the device's key at the current time, as an authenticator app computes them."""

import statistics
import time
from urllib.parse import quote

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.contrib.auth.models import Group
from django.core.checks import run_checks
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from wagtail.documents import get_document_model

from home.roles import COORDINATORS_GROUP, ensure_admin_access
from stories.site_structure import ensure_consent_collection
from tests.accounts import app_code, verified_device
from tests.editorial import body_text, messages_text
from tests.factories import UserFactory

PASSWORD = "mot-de-passe-de-test"
LOGIN = "/admin/login/"
SETUP = "/admin/double-authentification/activer/"
VERIFY = "/admin/double-authentification/verifier/"


@pytest.fixture
def coordinator(site_tree):
    user = UserFactory(username="coordination", email="coordination@example.org")
    user.set_password(PASSWORD)
    user.save()
    user.groups.add(Group.objects.get(name=COORDINATORS_GROUP))
    return user


@pytest.fixture
def editor(site_tree):
    user = UserFactory(username="redaction", email="redaction@example.org")
    user.set_password(PASSWORD)
    user.save()
    group = Group.objects.create(name="Rédaction — test")
    ensure_admin_access(group)
    user.groups.add(group)
    return user


def log_in(client, username, password=PASSWORD, address="127.0.0.1", **extra):
    return client.post(
        LOGIN, {"username": username, "password": password, "next": "/admin/pages/"}, REMOTE_ADDR=address, **extra
    )


def main_text(response):
    return BeautifulSoup(response.content, "html.parser").find("main").get_text(" ", strip=True)


def form_error(response):
    return " ".join(" ".join(errors) for errors in response.context["form"].errors.values())


# --- the second factor ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_coordinator_sets_up_an_app_at_first_login_then_uses_it(client, coordinator):
    response = log_in(client, "coordination")
    assert response.status_code == 302
    # The password alone opens nothing of the admin: first the app.
    response = client.get("/admin/pages/")
    assert response.status_code == 302
    assert response["Location"] == f"{SETUP}?next=%2Fadmin%2Fpages%2F"

    page = client.get(response["Location"])
    assert page.status_code == 200
    text = body_text(page)
    assert "<svg" in text  # the QR code
    device = TOTPDevice.objects.get(user=coordinator, confirmed=False)
    key = page.context["key"].replace(" ", "")
    assert len(key) == 32
    # Reloading keeps the same key (the person may already have scanned it).
    assert client.get(SETUP).context["key"].replace(" ", "") == key

    wrong = client.post(SETUP, {"code": "000000", "next": "/admin/pages/"})
    assert "ne convient pas" in form_error(wrong)
    assert not TOTPDevice.objects.get(pk=device.pk).confirmed

    time.sleep(1.1)  # after a wrong code, the next one waits a second (django-otp's throttling)
    device.refresh_from_db()
    done = client.post(SETUP, {"code": app_code(device), "next": "/admin/pages/"})
    assert done.status_code == 200
    codes = done.context["codes"]
    assert len(codes) == 10
    assert set(StaticToken.objects.filter(device__user=coordinator).values_list("token", flat=True)) == set(codes)
    assert TOTPDevice.objects.get(pk=device.pk).confirmed
    assert client.get("/admin/").status_code == 200

    # Next time: password, then the code of the app.
    client.logout()
    log_in(client, "coordination")
    response = client.get("/admin/")
    assert response["Location"].startswith(VERIFY)
    assert "ne convient pas" in form_error(client.post(VERIFY, {"code": "123456"}))
    # A recovery code works once, and says how many are left.
    response = client.post(VERIFY, {"code": codes[0].upper(), "next": "/admin/pages/"})
    assert response.status_code == 302
    assert response["Location"] == "/admin/pages/"
    assert "il vous en reste 9" in messages_text(response)
    client.logout()
    log_in(client, "coordination")
    assert "ne convient pas" in form_error(client.post(VERIFY, {"code": codes[0]}))


@pytest.mark.django_db
def test_an_enrolled_coordinator_logs_in_with_the_current_code(client, coordinator):
    device = verified_device(coordinator)
    log_in(client, "coordination")
    assert client.get("/admin/")["Location"].startswith(VERIFY)
    response = client.post(VERIFY, {"code": app_code(device)[:3] + " " + app_code(device)[3:], "next": "/admin/"})
    assert response.status_code == 302
    assert client.get("/admin/").status_code == 200
    # A password alone never replaces the app: set-up asks for the current code first.
    client.logout()
    log_in(client, "coordination")
    assert client.get(SETUP)["Location"].startswith(VERIFY)


@pytest.mark.django_db
def test_wrong_codes_are_throttled(client, coordinator):
    device = verified_device(coordinator)
    log_in(client, "coordination")
    client.post(VERIFY, {"code": "000000"})
    # Right after a failure, even the right code waits (1 s, then 2 s, 4 s…).
    response = client.post(VERIFY, {"code": app_code(device)})
    assert "Trop d'essais" in form_error(response)
    assert client.get("/admin/").status_code == 302


@pytest.mark.django_db
def test_superusers_need_it_too(client, site_tree):
    admin = UserFactory(username="admin", is_superuser=True, is_staff=True)
    admin.set_password(PASSWORD)
    admin.save()
    log_in(client, "admin")
    assert client.get("/admin/")["Location"].startswith(SETUP)


@pytest.mark.django_db
def test_editors_log_in_with_their_password_unless_they_set_up_an_app(client, editor):
    client.force_login(editor)
    assert client.get("/admin/").status_code == 200
    verified_device(editor)
    client.logout()
    log_in(client, "redaction")
    assert client.get("/admin/")["Location"].startswith(VERIFY)


@pytest.mark.django_db
def test_without_the_setting_only_those_with_an_app_are_asked(client, coordinator, settings):
    settings.TWO_FACTOR_REQUIRED = False
    log_in(client, "coordination")
    assert client.get("/admin/").status_code == 200
    verified_device(coordinator)
    assert client.get("/admin/")["Location"].startswith(VERIFY)


@pytest.mark.django_db
def test_halfway_the_rest_of_the_site_sees_a_visitor(client, coordinator):
    consent = get_document_model().objects.create(
        title="Autorisation", collection=ensure_consent_collection(), file=ContentFile(b"signee", name="a.txt")
    )
    client.force_login(coordinator, second_factor=False)
    response = client.get(consent.url)
    # Not the document: the second step, then back to it (a login page would loop).
    assert response.status_code == 302
    assert response["Location"] == f"{SETUP}?next={quote(consent.url, safe='')}"
    home = client.get("/")
    assert home.status_code == 200
    assert not home.wsgi_request.user.is_authenticated
    client.complete_second_factor(coordinator)
    assert body_text(client.get(consent.url)) == "signee"


@pytest.mark.django_db
def test_reset_two_factor_after_a_lost_phone(client, coordinator):
    verified_device(coordinator)
    client.force_login(coordinator)
    assert client.get("/admin/").status_code == 200

    call_command("reset_two_factor", "coordination")

    assert not TOTPDevice.objects.filter(user=coordinator).exists()
    # The session verified with the lost phone ends: set up a new app.
    assert client.get("/admin/")["Location"].startswith(SETUP)


@pytest.mark.django_db
def test_new_recovery_codes_replace_the_old_ones(client, coordinator):
    client.force_login(coordinator)
    status = client.get(reverse("two_factor_status"))
    assert "Codes de secours restants" in body_text(status)
    first = client.post(reverse("two_factor_status")).context["codes"]
    second = client.post(reverse("two_factor_status")).context["codes"]
    assert set(StaticToken.objects.filter(device__user=coordinator).values_list("token", flat=True)) == set(second)
    assert not set(first) & set(second)


# --- throttled logins -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_repeated_failures_lock_the_account_even_with_the_right_password(client, coordinator, settings):
    for attempt in range(settings.AXES_FAILURE_LIMIT - 1):
        # From a different address each time: the account's own counter locks it.
        response = log_in(client, "coordination", "mauvais", address=f"198.51.100.{attempt}")
        assert response.status_code == 200
    # The failure that reaches the limit already answers with the lockout, and so does the right password.
    assert log_in(client, "coordination", "mauvais", address="198.51.100.100").status_code == 429
    response = log_in(client, "coordination", address="198.51.100.200")
    assert response.status_code == 429
    assert "Trop de tentatives de connexion" in body_text(response)
    assert "15 minutes" in body_text(response)
    assert not client.session.get("_auth_user_id")

    # The same answer for a name that matches no account.
    for attempt in range(settings.AXES_FAILURE_LIMIT):
        log_in(client, "personne", "mauvais", address=f"198.51.101.{attempt}")
    unknown = log_in(client, "personne", address="198.51.101.200")
    assert unknown.status_code == 429
    assert main_text(unknown) == main_text(response)


@pytest.mark.django_db
def test_repeated_failures_lock_the_address_for_every_account(client, coordinator, settings):
    for attempt in range(settings.AXES_FAILURE_LIMIT):
        log_in(client, f"essai{attempt}", "mauvais", address="203.0.113.7")
    assert log_in(client, "coordination", address="203.0.113.7").status_code == 429
    # Another address is not concerned.
    assert log_in(client, "coordination", address="203.0.113.8").status_code == 302


@pytest.mark.django_db
def test_behind_a_proxy_the_forwarded_address_is_counted(client, coordinator, settings):
    settings.RATELIMIT_TRUST_X_FORWARDED_FOR = True
    for attempt in range(settings.AXES_FAILURE_LIMIT):
        log_in(client, f"essai{attempt}", "mauvais", HTTP_X_FORWARDED_FOR="192.0.2.1, 203.0.113.9")
    # Every request came from the proxy (127.0.0.1): only the client behind it is locked out.
    assert log_in(client, "coordination", HTTP_X_FORWARDED_FOR="203.0.113.9").status_code == 429
    assert log_in(client, "coordination", HTTP_X_FORWARDED_FOR="203.0.113.10").status_code == 302


class SlowEnoughHasher(PBKDF2PasswordHasher):
    """A real key-derivation cost (tens of milliseconds), so a shortcut for unknown accounts shows."""

    iterations = 60_000


@pytest.mark.django_db
def test_the_login_page_does_not_tell_which_accounts_exist(client, coordinator, settings):
    settings.PASSWORD_HASHERS = ["tests.test_accounts.SlowEnoughHasher"]
    coordinator.set_password(PASSWORD)
    coordinator.save()

    def attempt(username, number):
        started = time.perf_counter()
        response = log_in(client, username, "mauvais", address=f"192.0.2.{number}")
        return time.perf_counter() - started, response

    known = [attempt("coordination", n) for n in range(5)]
    unknown = [attempt(f"inconnu{n}", 10 + n) for n in range(5)]

    assert {form_error(r) for _, r in known} == {form_error(r) for _, r in unknown}
    assert {r.status_code for _, r in known + unknown} == {200}
    known_time = statistics.median(t for t, _ in known)
    unknown_time = statistics.median(t for t, _ in unknown)
    assert 0.5 < unknown_time / known_time < 2, (known_time, unknown_time)


def test_check_deploy_warns_when_the_second_factor_is_off(settings):
    settings.TWO_FACTOR_REQUIRED = False
    assert "home.W005" in {message.id for message in run_checks(include_deployment_checks=True)}
    settings.TWO_FACTOR_REQUIRED = True
    assert "home.W005" not in {message.id for message in run_checks(include_deployment_checks=True)}
