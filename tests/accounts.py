"""Logging in for tests, second factor included (home/two_factor.py).

``SecondFactorClient`` is the test client of the whole suite (``client`` and ``admin_client``
fixtures in tests/conftest.py; ``client_class`` of the Wagtail TestCase classes). Its
``force_login`` stands for a person who went through the whole login — password *and* second factor
when they need one — the way Django's stands for the password form alone: for a coordinator or a
superuser it gives them a real TOTP device and marks the session verified exactly as django-otp
does after a good code. ``force_login(user, second_factor=False)`` stops after the password, to
test what such a half-logged-in session may do. ``login(username=…, password=…)`` goes through
the authentication backends, django-axes included (which needs the request Django's client leaves
out), then completes the second factor the same way.

Tests of the second factor itself (tests/test_accounts.py) go through the real screens with codes
computed from the device's key, as an authenticator app computes them."""

import time

from django.contrib.auth import authenticate
from django.http import HttpRequest
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from home.two_factor import needs_second_factor

TEST_DEVICE_NAME = "Application de test"


def app_code(device, at=None):
    """The 6-digit code an authenticator app holding ``device``'s key shows at ``at`` (now)."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits)
    totp.time = time.time() if at is None else at
    return f"{totp.token():0{device.digits}d}"


def verified_device(user):
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=TEST_DEVICE_NAME, confirmed=True)
    return device


class SecondFactorClient(Client):
    def force_login(self, user, backend=None, second_factor=True):
        super().force_login(user, backend)
        if second_factor and needs_second_factor(user):
            self.complete_second_factor(user)

    def login(self, **credentials):
        request = HttpRequest()
        request.META["REMOTE_ADDR"] = "127.0.0.1"
        user = authenticate(request, **credentials)
        if user is None:
            return False
        self._login(user)
        if needs_second_factor(user):
            self.complete_second_factor(user)
        return True

    def complete_second_factor(self, user):
        session = self.session
        session[DEVICE_ID_SESSION_KEY] = verified_device(user).persistent_id
        session.save()
