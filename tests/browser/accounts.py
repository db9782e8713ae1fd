"""Logging in to the live site's admin in Chromium as a person does: the login form, then — for a
coordinator or an administrator — the code of their authenticator app.

For browser tests that need a coordinator: ``password = set_password(live_site, "coordination")``,
``key = give_app(live_site, "coordination")`` (the person already set up an app holding ``key``),
then ``log_in(page, live_site, "coordination", password, key)``. tests/browser/test_two_factor.py
sets an app up through the real screens instead."""

import re
import secrets
import time
from binascii import unhexlify

from django_otp.oath import TOTP

STEP = 30
# Last time step each key was used at: django-otp accepts each code once, as an app's next code
# appears only after the step, so a second login in the same step waits for the next one.
_last_step = {}


def set_password(live_site, username):
    """A password only this test run knows, set through manage.py on the live database (the demo
    prints random ones once and stores none)."""
    password = secrets.token_urlsafe(16)
    live_site.manage(
        "shell",
        "-c",
        "from django.contrib.auth import get_user_model\n"
        f"user = get_user_model().objects.get(username={username!r})\n"
        f"user.set_password({password!r})\n"
        "user.save()",
    )
    return password


def give_app(live_site, username):
    """Give ``username`` a confirmed authenticator app whose key the test knows (hex)."""
    key = secrets.token_hex(20)
    live_site.manage(
        "shell",
        "-c",
        "from django.contrib.auth import get_user_model\n"
        "from django_otp.plugins.otp_totp.models import TOTPDevice\n"
        f"user = get_user_model().objects.get(username={username!r})\n"
        "TOTPDevice.objects.filter(user=user).delete()\n"
        f"TOTPDevice.objects.create(user=user, name='Application de test', key={key!r}, confirmed=True)",
    )
    return key


def remove_apps(live_site, username):
    """``username`` has no authenticator app (yet): other browser tests of the same live site may
    have given one."""
    live_site.manage(
        "shell",
        "-c",
        "from django.contrib.auth import get_user_model\n"
        "from django_otp.plugins.otp_static.models import StaticDevice\n"
        "from django_otp.plugins.otp_totp.models import TOTPDevice\n"
        f"user = get_user_model().objects.get(username={username!r})\n"
        "TOTPDevice.objects.filter(user=user).delete()\n"
        "StaticDevice.objects.filter(user=user).delete()",
    )


def current_step():
    return int(time.time() // STEP)


def app_code(key_hex):
    """The code the app shows now — after waiting for a new step if this key was just used."""
    while current_step() <= _last_step.get(key_hex, -1):
        time.sleep(0.5)
    now = time.time()
    _last_step[key_hex] = int(now // STEP)
    totp = TOTP(unhexlify(key_hex), step=STEP)
    totp.time = now
    return f"{totp.token():06d}"


def fill_login_form(page, live_site, username, password):
    page.goto(live_site + "/admin/login/")
    page.get_by_label("Nom d’utilisateur").fill(username)
    # Wagtail's login form leaves this label untranslated ("Password"); accept the French one too.
    page.get_by_label(re.compile(r"Mot de passe|Password")).fill(password)
    page.get_by_role("button", name="S'identifier").click()


def log_in(page, live_site, username, password, key=None):
    fill_login_form(page, live_site, username, password)
    if key is not None:
        page.wait_for_url(re.compile(r"/admin/double-authentification/verifier/"))
        page.get_by_label("Code").fill(app_code(key))
        page.get_by_role("button", name="Valider").click()
    page.wait_for_url(live_site + "/admin/")
