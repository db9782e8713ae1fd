"""« Mot de passe oublié » without a timing oracle.

Django's reset form looks the address up, renders the e-mail and sends it inside the request, so an
address with an account answered slower than an unknown one (61 ms against 13 ms measured, most of it
the SMTP round trip; still 39 against 20 ms once the mail was only queued: the look-up, the token and
the rendering). Here the request does the same thing whatever the address: it validates the form and
queues one ``send_password_reset`` task holding the address. The worker does the rest with the very
same form class — look-up, token, e-mail (queued in turn, like every e-mail). An unknown address
ends there, silently, as before.

``QueuedPasswordResetMixin`` goes first in the bases of whichever reset form the admin uses
(``WAGTAILADMIN_USER_PASSWORD_RESET_FORM``); ``PasswordResetForm`` is the invitations' form (which
also serves accounts that never chose a password) with it.
"""

import hashlib

from django.conf import settings
from django.utils.module_loading import import_string
from django_tasks import task

from events import ratelimit
from home.invitations import PasswordResetForm as InvitationsPasswordResetForm
from home.mail import MAIL_TASK_BACKEND, enqueue_on_mail_backend

# What the admin's reset view passes to save() that can travel as JSON (the request, the token
# generator and extra context cannot: the worker uses Django's default generator, as Wagtail does).
FORWARDED_OPTIONS = (
    "subject_template_name",
    "email_template_name",
    "html_email_template_name",
    "use_https",
    "from_email",
    "domain_override",
)


@task(backend=MAIL_TASK_BACKEND)
def send_password_reset(form_path, email, options):
    form = import_string(form_path)({"email": email})
    if form.is_valid():
        form.send_now(**options)


def within_limits(request, email):
    """At most a few links per address and per hour (nobody's mailbox is flooded through our form) and
    a bound per client address. Beyond them the request is dropped silently: the page answers the same
    as ever, so the limits reveal nothing about which addresses have an account. The address is
    hashed: the cache never holds it."""
    per_address, per_client = settings.PASSWORD_RESET_LIMITS
    digest = hashlib.sha256(email.strip().lower().encode()).hexdigest()
    if request is not None and not ratelimit.hit(request, "password-reset", per_client, 3600):
        return False
    return ratelimit.hit_key(f"ratelimit:password-reset-address:{digest}", per_address, 3600)


class QueuedPasswordResetMixin:
    def save(self, request=None, **options):
        if not within_limits(request, self.cleaned_data["email"]):
            return None
        if settings.EMAIL_BACKEND != "home.mail.QueuedEmailBackend":
            # No queue configured (unit tests reading mail.outbox): no worker would ever run the task.
            return self.send_now(request=request, **options)
        forwarded = {name: options[name] for name in FORWARDED_OPTIONS if options.get(name) is not None}
        # Without a request the form needs a domain; the admin's e-mail builds its link from
        # WAGTAILADMIN_BASE_URL anyway, never from a request's Host header.
        forwarded.setdefault("domain_override", settings.WAGTAILADMIN_BASE_URL.split("://", 1)[-1].rstrip("/"))
        form_path = f"{type(self).__module__}.{type(self).__qualname__}"
        enqueue_on_mail_backend(send_password_reset, form_path, self.cleaned_data["email"], forwarded)

    def send_now(self, **options):
        """The form's own save(): look the address up and send the e-mail (in the worker)."""
        return super().save(**options)


class PasswordResetForm(QueuedPasswordResetMixin, InvitationsPasswordResetForm):
    pass
