"""The screens of the second factor (see ``home.two_factor``) and the login lockout page.

All in the admin's look (Wagtail's login layout for the steps before the admin opens), in French,
never cached. Registered under /admin/ by ``home/wagtail_hooks.py``."""

import re
from base64 import b32encode

import django_otp
import segno
from django import forms
from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect, render
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.safestring import mark_safe
from django.views import View
from django.views.decorators.cache import never_cache
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from home import two_factor
from home.roles import is_coordinator

APP_CODE = re.compile(r"^\d{6}$")
WRONG_CODE = (
    "Ce code ne convient pas. Saisissez le code affiché maintenant par votre application, ou un code de secours."
)
TOO_MANY = "Trop d'essais : attendez quelques secondes avant de saisir un nouveau code."


class CodeForm(forms.Form):
    """Errors go to the form, not the field: Wagtail's login layout hides field errors and shows the
    form's at the top, in its message area (home/two_factor_base.html)."""

    code = forms.CharField(
        label="Code",
        max_length=32,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "autofocus": True, "spellcheck": "false"}),
    )

    def clean_code(self):
        # People copy codes with spaces (« 123 456 ») or type recovery codes in capitals.
        return re.sub(r"[\s-]", "", self.cleaned_data["code"]).lower()


def next_url(request):
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return reverse("wagtailadmin_home")


def step_url(name, request):
    return f"{reverse(name)}?{urlencode({'next': next_url(request)})}"


def qr_svg(url):
    # The otpauth:// address carries the secret: it is drawn, never written into the markup.
    svg = segno.make(url, error="m", micro=False).svg_inline(scale=5, title="QR code à scanner avec votre application")
    return mark_safe(svg)


def grouped_key(device):
    key = b32encode(device.bin_key).decode()
    return " ".join(key[i : i + 4] for i in range(0, len(key), 4))


def render_recovery_codes(request, codes, next_link):
    return TemplateResponse(
        request, "home/two_factor_recovery_codes.html", {"codes": codes, "next": next_link}, status=200
    )


def _verify_with(request, devices, code):
    """The device among ``devices`` that accepts ``code``, and whether throttling held one back."""
    throttled = False
    for device in devices:
        allowed, _ = device.verify_is_allowed()
        if not allowed:
            throttled = True
            continue
        if django_otp.verify_token(request.user, device.persistent_id, code):
            return device, False
    return None, throttled


@method_decorator(never_cache, name="dispatch")
class VerifyView(View):
    """Second step of the login: a code from the app, or a recovery code."""

    template_name = "home/two_factor_verify.html"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect("wagtailadmin_login")
        if request.user.is_verified():
            return redirect(next_url(request))
        if not django_otp.user_has_device(request.user, confirmed=True):
            return redirect(step_url("two_factor_setup", request))
        return super().dispatch(request, *args, **kwargs)

    def get(self, request):
        return self.render(CodeForm())

    def post(self, request):
        form = CodeForm(request.POST)
        if not form.is_valid():
            return self.render(form)
        code = form.cleaned_data["code"]
        model = TOTPDevice if APP_CODE.match(code) else StaticDevice
        device, throttled = _verify_with(request, model.objects.devices_for_user(request.user, confirmed=True), code)
        if device is None:
            form.add_error(None, TOO_MANY if throttled else WRONG_CODE)
            return self.render(form)
        two_factor.mark_verified(request, device)
        if isinstance(device, StaticDevice):
            left = two_factor.recovery_codes_left(request.user)
            messages.warning(
                request,
                f"Vous avez utilisé un code de secours : il vous en reste {left}. "
                "Créez-en de nouveaux depuis « Double authentification » (menu de votre compte).",
            )
        return redirect(next_url(request))

    def render(self, form):
        return TemplateResponse(self.request, self.template_name, {"form": form, "next": next_url(self.request)})


@method_decorator(never_cache, name="dispatch")
class SetupView(View):
    """Set up an authenticator app: on the first login of someone who needs one, or later from the
    account menu (then only with both factors already given)."""

    template_name = "home/two_factor_setup.html"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect("wagtailadmin_login")
        if two_factor.has_app(request.user) and not request.user.is_verified():
            # Replacing an app takes the current one: a password alone never changes it.
            return redirect(step_url("two_factor_verify", request))
        self.device = two_factor.pending_app(request.user)
        return super().dispatch(request, *args, **kwargs)

    def get(self, request):
        return self.render(CodeForm())

    def post(self, request):
        form = CodeForm(request.POST)
        if form.is_valid():
            allowed, _ = self.device.verify_is_allowed()
            if not allowed:
                form.add_error(None, TOO_MANY)
            elif self.device.verify_token(form.cleaned_data["code"]):
                two_factor.confirm_app(self.device)
                codes = two_factor.new_recovery_codes(request.user)
                two_factor.mark_verified(request, self.device)
                return render_recovery_codes(request, codes, next_url(request))
            else:
                form.add_error(
                    "code", "Ce code ne convient pas. Saisissez le code affiché maintenant par l'application."
                )
        return self.render(form)

    def render(self, form):
        context = {
            "form": form,
            "next": next_url(self.request),
            "qr_code": qr_svg(self.device.config_url),
            "key": grouped_key(self.device),
            "replacing": two_factor.has_app(self.request.user),
            "required": two_factor.needs_second_factor(self.request.user),
        }
        return TemplateResponse(self.request, self.template_name, context)


@method_decorator(never_cache, name="dispatch")
class StatusView(View):
    """« Double authentification » in the account menu: state, new recovery codes, another app."""

    template_name = "home/two_factor_status.html"

    def get(self, request):
        context = {
            "has_app": two_factor.has_app(request.user),
            "codes_left": two_factor.recovery_codes_left(request.user),
            "required": getattr(settings, "TWO_FACTOR_REQUIRED", True) and is_coordinator(request.user),
        }
        return TemplateResponse(request, self.template_name, context)

    def post(self, request):
        if not (two_factor.has_app(request.user) and request.user.is_verified()):
            return redirect("two_factor_status")
        codes = two_factor.new_recovery_codes(request.user)
        return render_recovery_codes(request, codes, reverse("two_factor_status"))


def login_locked(request, original_response=None, credentials=None):
    """django-axes' answer once an account or an address has failed too often (``AXES_*`` settings).

    The same page whether the account exists or not, and whichever limit was reached."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    # Rendered now: django-axes returns it from its middleware, after the template-response phase.
    response = render(request, "home/login_locked.html", {"minutes": minutes}, status=429)
    response["Retry-After"] = str(minutes * 60)
    return response
