"""Taking a seat, leaving it, and the e-mails that go with both.

Every decision about seats happens in one transaction that first locks the event's row, so the
count of confirmed registrations cannot change between reading it and writing the new one. E-mails
are queued after the commit (``home.mail``: the worker sends them and retries a failing mail server);
a failure to queue is logged and retried by ``send_event_emails``, it never undoes a registration."""

import logging
from dataclasses import dataclass

from django.core import signing
from django.core.cache import cache
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from events.calendar import build_calendar
from events.models import EventPage, Registration, RegistrationStatus
from home.links import absolute_url
from home.typography import french_spacing

logger = logging.getLogger(__name__)
CANCEL_SALT = "events.registration.cancel"


@dataclass
class Outcome:
    status: str  # "confirmed", "waiting" or "closed"
    registration: Registration | None = None
    duplicate: bool = False


def cancel_token(registration):
    return signing.dumps(registration.pk, salt=CANCEL_SALT, compress=True)


def registration_from_token(token):
    try:
        pk = signing.loads(token, salt=CANCEL_SALT)
    except signing.BadSignature:
        return None
    return Registration.objects.filter(pk=pk).select_related("event").first()


def token_is_genuine(token):
    """True when we signed ``token`` (whatever became of its registration since)."""
    try:
        signing.loads(token, salt=CANCEL_SALT)
    except signing.BadSignature:
        return False
    return True


def cancel_url(registration, request=None):
    # The configured address, never the request's Host: the link is read in a mailbox, maybe days later.
    return absolute_url(reverse("events:cancel", args=[cancel_token(registration)]))


def register(event, data, request=None):
    """Create a registration from cleaned form ``data``. A repeated e-mail for the same event
    creates nothing and gets the answer a newcomer would get now (so it reveals nothing), while
    the address's owner is told by e-mail."""
    email = data["email"].strip().lower()
    with transaction.atomic():
        locked = EventPage.objects.select_for_update().get(pk=event.pk)
        if not locked.registration_is_open():
            return Outcome("closed")
        confirmed = locked.registrations.filter(status=RegistrationStatus.CONFIRMED).count()
        has_seat = locked.capacity is None or confirmed < locked.capacity
        status = RegistrationStatus.CONFIRMED if has_seat else RegistrationStatus.WAITING
        existing = locked.registrations.exclude(status=RegistrationStatus.CANCELLED).filter(email__iexact=email).first()
        if existing is not None:
            # One notice per hour at most, so the form cannot be used to flood someone's inbox.
            if cache.add(f"already-registered:{existing.pk}", 1, timeout=3600):
                transaction.on_commit(lambda: send_already_registered(existing, request))
            return Outcome(status, duplicate=True)
        try:
            with transaction.atomic():
                registration = Registration.objects.create(
                    event=locked,
                    status=status,
                    first_name=data["first_name"].strip(),
                    last_name=data["last_name"].strip(),
                    email=email,
                    phone=data.get("phone", "").strip(),
                    age_range=data["age_range"],
                    guardian_email=(data.get("guardian_email") or "").strip().lower(),
                    neighbourhood=data["neighbourhood"].strip(),
                    companion=data["companion"],
                )
        except IntegrityError:
            # Same e-mail submitted twice at the same instant: the unique constraint kept one.
            return Outcome(status, duplicate=True)
        transaction.on_commit(lambda: send_confirmation(registration, request))
    return Outcome(status, registration)


def cancel(registration, request=None, notify=False):
    """Cancel and, when a confirmed seat is freed, give it to the first person waiting. With
    ``notify`` (the person cancelled through their link) they get a confirmation e-mail: once, as a
    registration already cancelled returns before anything is sent."""
    promoted = None
    with transaction.atomic():
        event = EventPage.objects.select_for_update().get(pk=registration.event_id)
        registration = Registration.objects.get(pk=registration.pk)
        if registration.status == RegistrationStatus.CANCELLED:
            return None
        freed_seat = registration.status == RegistrationStatus.CONFIRMED
        registration.status = RegistrationStatus.CANCELLED
        registration.cancelled_at = timezone.now()
        registration.save(update_fields=["status", "cancelled_at"])
        if notify:
            transaction.on_commit(lambda: send_cancellation(registration, request))
        # Once the event has started a freed seat is no use to anyone waiting: nobody is e-mailed.
        if freed_seat and event.start_at > timezone.now():
            confirmed = event.registrations.filter(status=RegistrationStatus.CONFIRMED).count()
            if event.capacity is None or confirmed < event.capacity:
                promoted = (
                    event.registrations.filter(status=RegistrationStatus.WAITING).order_by("created_at", "pk").first()
                )
                if promoted is not None:
                    promoted.status = RegistrationStatus.CONFIRMED
                    promoted.promoted_at = timezone.now()
                    promoted.save(update_fields=["status", "promoted_at"])
                    transaction.on_commit(lambda: send_promotion(promoted, request))
    return promoted


# --- e-mails ---------------------------------------------------------------------------------------


def _send(registration, subject, template, request, mark_field, attach_calendar=True, to=None):
    """Send (queue, see ``home.mail``) one e-mail at most once per ``mark_field``.

    The row is claimed (``UPDATE … WHERE mark_field IS NULL``) and the message queued in one
    transaction, so the request that registered, ``send_event_emails`` and two cron hosts can all
    try at once and only one queues it; if queuing fails the claim is rolled back with it and a
    later run retries. Once queued, delivery and its retries belong to the mail queue, so
    ``mark_field`` means "handed to the queue". Returns True when queued, False when it failed,
    None when someone else had already claimed it."""
    try:
        with transaction.atomic():
            if mark_field:
                claimed = Registration.objects.filter(pk=registration.pk, **{f"{mark_field}__isnull": True}).update(
                    **{mark_field: timezone.now()}
                )
                if not claimed:
                    return None
            event = registration.event
            context = {
                "registration": registration,
                "event": event,
                "event_url": event.get_full_url(request),
                "cancel_url": cancel_url(registration, request),
                "start": timezone.localtime(event.start_at),
                "end": timezone.localtime(event.end_at),
            }
            message = EmailMessage(
                subject=french_spacing(subject),
                body=french_spacing(render_to_string(template, context)),
                to=to or [registration.email],
                cc=[registration.guardian_email] if registration.guardian_email and not to else [],
            )
            if attach_calendar:
                message.attach(f"{event.slug}.ics", build_calendar([event], request).to_ical(), "text/calendar")
            message.send()
    except Exception:
        # Never lose a registration because mail failed: log, and let the retry command (or
        # tomorrow's reminder run) try again — the claim was rolled back.
        logger.exception("E-mail %s for registration %s not sent", template, registration.pk)
        return False
    return True


def send_confirmation(registration, request=None):
    waiting = registration.status == RegistrationStatus.WAITING
    subject = ("Liste d'attente : " if waiting else "Inscription confirmée : ") + registration.event.title
    return _send(registration, subject, "events/emails/confirmation.txt", request, "confirmation_sent_at")


def send_promotion(registration, request=None):
    subject = "Une place s'est libérée : " + registration.event.title
    return _send(registration, subject, "events/emails/promotion.txt", request, "promotion_sent_at")


def send_reminder(registration, request=None):
    subject = "C'est demain : " + registration.event.title
    return _send(registration, subject, "events/emails/reminder.txt", request, "reminder_sent_at")


def send_cancellation(registration, request=None):
    subject = "Inscription annulée : " + registration.event.title
    return _send(registration, subject, "events/emails/cancellation.txt", request, None, attach_calendar=False)


def send_already_registered(registration, request=None):
    subject = "Tu es déjà inscrit·e : " + registration.event.title
    return _send(registration, subject, "events/emails/already-registered.txt", request, None, attach_calendar=False)
