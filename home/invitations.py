"""Accounts that open: how a partner or a company given an account chooses its first password.

Accounts made by ``onboard_neighbourhood`` and ``create_company_account`` have no password (nobody
but the person should ever know it). Each new one gets a « Choisissez votre mot de passe » e-mail with
a signed link to ``SetPasswordView``, Django's password reset confirmation with its own token:

- the token is Django's password reset token under another salt, so an invitation link is not a
  reset link and the other way round. It is built from the account's password hash and last login,
  so it works once: choosing the password changes the hash and retires the link.
- it lives ``ACCOUNT_INVITATION_DAYS`` (14 by default) instead of Django's 3 days: the person may read
  the message after a week-end or a holiday. After that, « Mot de passe oublié ? » sends a fresh one.
- the person is not logged in by the link: they sign in with the new password, through the normal
  login (and whatever it asks, e.g. a second factor).

The invitation says « vous »: partners (association staff, social workers) and company staff are
adults contacted in a professional setting; « tu » is the site's voice for young people only.

Django's « Mot de passe oublié » skips accounts without a usable password (meant for accounts that
sign in elsewhere, LDAP or SSO, which this site does not have): ``PasswordResetForm`` serves them too,
so a partner who lost the invitation is not locked out. Its answer stays the same whether the
address exists or not."""

import logging
import unicodedata

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.contrib.auth.views import PasswordResetConfirmView
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse, reverse_lazy
from django.utils.crypto import constant_time_compare
from django.utils.encoding import force_bytes
from django.utils.http import base36_to_int, urlsafe_base64_encode
from django.views.generic import TemplateView
from wagtail.admin.forms.auth import PasswordResetForm as WagtailPasswordResetForm

from home.links import absolute_url

logger = logging.getLogger(__name__)

SUBJECT = "Choisissez votre mot de passe — Impact Jeunes"


class InvitationTokenGenerator(PasswordResetTokenGenerator):
    key_salt = "home.invitations.InvitationTokenGenerator"

    def check_token(self, user, token):
        """Django's check, with the invitation's lifetime instead of ``PASSWORD_RESET_TIMEOUT``."""
        if not (user and token):
            return False
        try:
            timestamp = base36_to_int(token.split("-")[0])
        except ValueError:
            return False
        if self._num_seconds(self._now()) - timestamp > settings.ACCOUNT_INVITATION_DAYS * 86400:
            return False
        return any(
            constant_time_compare(self._make_token_with_timestamp(user, timestamp, secret), token)
            for secret in [self.secret, *self.secret_fallbacks]
        )


invitation_tokens = InvitationTokenGenerator()


def invitation_url(user):
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    return absolute_url(reverse("account_invitation", args=[uid, invitation_tokens.make_token(user)]))


def invitation_message(user, purpose):
    context = {
        "user": user,
        "purpose": purpose,
        "set_password_url": invitation_url(user),
        "login_url": absolute_url(reverse("wagtailadmin_login")),
        "days": settings.ACCOUNT_INVITATION_DAYS,
    }
    return EmailMessage(subject=SUBJECT, body=render_to_string("home/emails/invitation.txt", context), to=[user.email])


def send_invitation(user, purpose, report=None):
    """E-mail ``user`` a link to choose their password, once the account is committed.

    ``purpose`` completes « Un compte a été créé pour vous sur le site Impact Jeunes, pour … ».
    ``report(sentence)`` is told whether it left (the management commands print it)."""

    def deliver():
        try:
            invitation_message(user, purpose).send()
        except Exception:
            logger.exception("Invitation e-mail for user %s not sent", user.pk)
            if report:
                report(
                    f"L'e-mail à {user.email} n'est pas parti : la personne peut choisir son mot de passe "
                    "avec « Mot de passe oublié ? » sur la page de connexion."
                )
            return
        if report:
            report(
                f"E-mail « Choisissez votre mot de passe » envoyé à {user.email} "
                f"(lien valable {settings.ACCOUNT_INVITATION_DAYS} jours)."
            )

    transaction.on_commit(deliver)


def needs_invitation(user):
    """An account nobody has chosen a password for yet."""
    return bool(user.email) and user.is_active and not user.has_usable_password()


class SetPasswordView(PasswordResetConfirmView):
    """The page an invitation links to: choose a password, then sign in."""

    token_generator = invitation_tokens
    template_name = "home/account/set-password.html"
    success_url = reverse_lazy("account_password_set")
    title = "Choisissez votre mot de passe"

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "invitation_days": settings.ACCOUNT_INVITATION_DAYS}


class PasswordSetView(TemplateView):
    template_name = "home/account/password-set.html"


def same_address(a, b):
    """Case-insensitive comparison of e-mail addresses, as Django's reset form does it."""
    return unicodedata.normalize("NFKC", a).casefold() == unicodedata.normalize("NFKC", b).casefold()


class PasswordResetForm(WagtailPasswordResetForm):
    """Wagtail's reset form, for accounts with or without a usable password (see the module docstring)."""

    def get_users(self, email):
        User = get_user_model()
        field = User.get_email_field_name()
        users = User._default_manager.filter(**{f"{field}__iexact": email, "is_active": True})
        return (user for user in users if same_address(email, getattr(user, field)))
