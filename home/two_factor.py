"""A second factor for the people who hold the keys: coordinators and administrators.

They handle minors' signed consent forms and publish for every neighbourhood, so a stolen password
alone must not open the admin. Built on django-otp (its TOTP and static-token devices, its session
marker and its throttling), with the set-up and verification screens in ``home.two_factor_views``:

* after the password, a person who needs a second factor is sent to « Vérification » (a 6-digit
  code from their authenticator app, or one of their recovery codes) — or, on their first login
  with no app yet, to « Activer la double authentification » (a QR code, the key in text, then a
  code to prove the app works; ten single-use recovery codes are shown once);
* until then, the admin only offers those screens and « Se déconnecter », and the rest of the site
  treats them as an anonymous visitor (a half-logged-in session downloads no private document);
* who needs it (``needs_second_factor``): members of « Coordinateurs » and superusers when
  ``TWO_FACTOR_REQUIRED`` is on (production default; ``make run``'s development settings turn it
  off), and anyone who has set up an app, whatever the setting;
* a lost phone: an administrator runs ``manage.py reset_two_factor <username>``; the person sets up
  a new app at their next login.

Wrong codes are throttled per device by django-otp (1 s, 2 s, 4 s… between attempts), a code is
accepted once (TOTP replay protection), and a recovery code is deleted when used.
"""

import django_otp
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.db import transaction
from django.shortcuts import redirect
from django.urls import Resolver404, resolve, reverse
from django.utils.functional import SimpleLazyObject
from django.utils.http import urlencode
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from home.roles import is_coordinator

APP_DEVICE_NAME = "Application d'authentification"
RECOVERY_DEVICE_NAME = "Codes de secours"
RECOVERY_CODES = 10

# Admin URLs a person may open between their password and their second factor.
OPEN_URL_NAMES = {
    "wagtailadmin_login",
    "wagtailadmin_logout",
    "wagtailadmin_javascript_catalog",
    "wagtailadmin_sprite",
    "two_factor_verify",
    "two_factor_setup",
}


def needs_second_factor(user):
    if not (user.is_authenticated and user.is_active):
        return False
    if django_otp.user_has_device(user, confirmed=True):
        return True
    return getattr(settings, "TWO_FACTOR_REQUIRED", True) and is_coordinator(user)


def waiting_for_second_factor(user):
    """Logged in with a password, but not (yet) with the second factor they need."""
    return user.is_authenticated and not user.is_verified() and needs_second_factor(user)


def has_app(user):
    return TOTPDevice.objects.devices_for_user(user, confirmed=True).exists()


def pending_app(user):
    """The app being set up: the same key until it is confirmed, so reloading the page keeps the
    QR code the person may already have scanned."""
    device = TOTPDevice.objects.devices_for_user(user, confirmed=False).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=APP_DEVICE_NAME, confirmed=False)
    return device


@transaction.atomic
def confirm_app(device):
    """The person proved their new app works: it replaces any previous one."""
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    TOTPDevice.objects.filter(user=device.user).exclude(pk=device.pk).delete()


@transaction.atomic
def new_recovery_codes(user):
    """Ten fresh single-use codes (the previous ones stop working); shown once, never again."""
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=RECOVERY_DEVICE_NAME, confirmed=True)
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=code) for code in codes])
    return codes


def recovery_codes_left(user):
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


@transaction.atomic
def reset_second_factor(user):
    """Forget every device of ``user`` (lost phone): returns how many were removed."""
    removed = 0
    for device in django_otp.devices_for_user(user, confirmed=None):
        device.delete()
        removed += 1
    return removed


def mark_verified(request, device):
    """The session now holds both factors: rotate its key, as Django does at login."""
    request.session.cycle_key()
    django_otp.login(request, device)


def _anonymous():
    visitor = AnonymousUser()
    visitor.otp_device = None
    visitor.is_verified = lambda: False
    return visitor


def _url_name(path):
    try:
        return resolve(path).url_name
    except Resolver404:
        return None


class SecondFactorMiddleware:
    """After django-otp's ``OTPMiddleware``. In the admin, a person waiting for their second factor
    is sent to the verification (or set-up) screen; elsewhere they are an anonymous visitor. Lazy
    outside the admin: a public page that never looks at the user costs no query."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info.startswith(reverse("wagtailadmin_home")):
            response = self.hold_admin(request)
            if response is not None:
                return response
        else:
            user = request.user
            request.user = SimpleLazyObject(lambda: self.public_user(request, user))
        return self.get_response(request)

    @staticmethod
    def public_user(request, user):
        if waiting_for_second_factor(user):
            # Remembered for views that would send a visitor to a login page (documents): the
            # person is logged in already and needs the second step instead.
            request.second_factor_step = next_step_url(user, request.get_full_path())
            return _anonymous()
        return user

    def hold_admin(self, request):
        if not waiting_for_second_factor(request.user):
            return None
        name = _url_name(request.path_info) or ""
        if name in OPEN_URL_NAMES or name.startswith("wagtailadmin_password_reset"):
            return None
        after = request.get_full_path() if request.method == "GET" else reverse("wagtailadmin_home")
        return redirect(next_step_url(request.user, after))


def next_step_url(user, after):
    """Verification, or set-up for someone who has no app yet, then back to ``after``."""
    step = "two_factor_verify" if django_otp.user_has_device(user, confirmed=True) else "two_factor_setup"
    return f"{reverse(step)}?{urlencode({'next': after})}"
