"""Outgoing e-mail goes through a durable queue: no request ever talks to the mail server.

``EMAIL_BACKEND = "home.mail.QueuedEmailBackend"``: every message sent with Django's normal API
(``EmailMessage.send()``, ``send_mail``, ``mail_admins``, Wagtail's moderation notifications,
Django's password reset) is turned into plain JSON — subject, bodies, alternatives, attachments,
headers, every recipient list — and stored as a ``deliver_email`` task of the ``mail`` task backend
(django-tasks, ``TASKS["mail"]``). The worker (``manage.py db_worker --backend mail``) sends it
through the real transport, ``EMAIL_DELIVERY_BACKEND`` with the usual ``EMAIL_HOST``… settings.

Why a queue: a mail server that hangs (accepts the connection, never answers) used to pin a web
worker for ``EMAIL_TIMEOUT`` per message, and one that fails inside a transaction (Wagtail's workflow
notifications are sent inside it) used to undo what a person had just submitted.

Transactions: with the database task backend the task row is written on the same connection, so
it belongs to the caller's transaction — a rollback drops the mail, a commit keeps it, and nothing
can be lost between the two. With any other task backend (the immediate one in development) the
enqueue waits for ``on_commit``, so a rolled-back submission sends nothing there either.

Retries: django-tasks has none. A send that fails with a temporary error (connection refused,
timeout, disconnection, 4xx answer…) enqueues the next attempt itself with ``run_after`` set
``EMAIL_QUEUE_RETRY_SECONDS × 2^(attempt-1)`` later (capped at an hour), at most
``EMAIL_QUEUE_MAX_ATTEMPTS`` attempts (about four hours with the defaults). After the last attempt,
or at once for an error that retrying cannot cure (a malformed message, every recipient refused),
the task raises: its row stays ``FAILED`` with the traceback, an error is logged, and
``manage.py mail_queue --retry-failed`` sends those again once the cause is fixed. So a ``FAILED``
row of the mail backend always means a message that did not leave.

Personal data: a queued message holds addresses and bodies (cancellation links included). Once a
row's work is done — sent, or handed over to its next attempt — its arguments are blanked; only rows
of messages that never left keep them, for inspection. ``prune_db_task_results --backend mail``
deletes old finished rows (README, scheduled commands).
"""

import base64
import datetime
import logging
import smtplib
from email import message_from_bytes
from email.mime.base import MIMEBase

from django.conf import settings
from django.core.mail import EmailMessage, EmailMultiAlternatives, get_connection
from django.core.mail.backends.base import BaseEmailBackend
from django.db import transaction
from django.db.models import Case, Count, F, Min, Q, When
from django.utils import timezone
from django_tasks import TaskResultStatus, task, task_backends
from django_tasks_db.backend import DatabaseBackend
from django_tasks_db.models import DBTaskResult, get_date_max

logger = logging.getLogger(__name__)

MAIL_TASK_BACKEND = "mail"
MAX_RETRY_DELAY = 3600
# Errors a later attempt cannot cure: a message Django refuses to build (BadHeaderError is a
# ValueError) or a server that refused every recipient.
PERMANENT_ERRORS = (ValueError, TypeError, KeyError, smtplib.SMTPRecipientsRefused)


# --- messages to JSON and back -------------------------------------------------------------------------


def _content(value):
    """An attachment's content as JSON: text stays text, anything else travels as base64 bytes."""
    if isinstance(value, str):
        return {"text": value}
    if isinstance(value, EmailMessage):  # a message/rfc822 attachment given as a Django message
        value = value.message().as_bytes()
    elif hasattr(value, "as_bytes"):  # an email.message.Message
        value = value.as_bytes()
    return {"base64": base64.b64encode(bytes(value)).decode("ascii")}


def _from_content(data):
    return data["text"] if "text" in data else base64.b64decode(data["base64"])


def serialise(message):
    """Everything needed to rebuild ``message`` in the worker, as JSON-compatible data."""
    attachments = []
    for attachment in message.attachments:
        if isinstance(attachment, MIMEBase):
            attachments.append({"mime": _content(attachment.as_bytes())})
        else:
            filename, content, mimetype = attachment
            attachments.append({"filename": filename, "content": _content(content), "mimetype": mimetype})
    return {
        "subject": str(message.subject),
        "body": str(message.body),
        "from_email": str(message.from_email) if message.from_email else None,
        "to": [str(address) for address in message.to],
        "cc": [str(address) for address in message.cc],
        "bcc": [str(address) for address in message.bcc],
        "reply_to": [str(address) for address in message.reply_to],
        "headers": {str(name): str(value) for name, value in message.extra_headers.items()},
        "content_subtype": message.content_subtype,
        "mixed_subtype": message.mixed_subtype,
        "encoding": str(message.encoding) if message.encoding else None,
        "alternatives": [[str(content), mimetype] for content, mimetype in getattr(message, "alternatives", [])],
        "attachments": attachments,
    }


def _mime_part(raw):
    """A MIMEBase attachment rebuilt from its bytes (Django only inserts MIMEBase instances as they are)."""
    parsed = message_from_bytes(raw)
    part = MIMEBase(parsed.get_content_maintype(), parsed.get_content_subtype())
    del part["Content-Type"]
    del part["MIME-Version"]
    for name, value in parsed.items():
        part[name] = value
    part.set_payload(parsed.get_payload())
    return part


def deserialise(data):
    message = EmailMultiAlternatives(
        subject=data["subject"],
        body=data["body"],
        from_email=data["from_email"],
        to=data["to"],
        cc=data["cc"],
        bcc=data["bcc"],
        reply_to=data["reply_to"],
        headers=data["headers"],
        alternatives=[tuple(alternative) for alternative in data["alternatives"]],
    )
    message.content_subtype = data["content_subtype"]
    message.mixed_subtype = data["mixed_subtype"]
    message.encoding = data["encoding"]
    for attachment in data["attachments"]:
        if "mime" in attachment:
            message.attach(_mime_part(_from_content(attachment["mime"])))
        else:
            message.attach(attachment["filename"], _from_content(attachment["content"]), attachment["mimetype"])
    return message


# --- the queue -----------------------------------------------------------------------------------------


def mail_backend():
    return task_backends[MAIL_TASK_BACKEND]


def is_durable():
    """True when queued mail is stored in the database (and so needs the worker)."""
    return isinstance(mail_backend(), DatabaseBackend)


def retry_delay(attempt):
    """Seconds to wait before attempt ``attempt + 1``: 1, 2, 4… minutes, never more than an hour."""
    base = getattr(settings, "EMAIL_QUEUE_RETRY_SECONDS", 60)
    return min(base * 2 ** (attempt - 1), MAX_RETRY_DELAY)


def enqueue_on_mail_backend(task, *args):
    """Queue ``task`` (a task of the ``mail`` backend) with its arguments, bound to the caller's
    transaction: written on its connection when the queue is in the database, after its commit otherwise."""
    if is_durable():
        # Same connection, same transaction as the caller: committed or rolled back with it.
        return task.enqueue(*args)
    transaction.on_commit(lambda: task.enqueue(*args))
    return None


def enqueue(data, attempt=1, run_after=None):
    task = deliver_email.using(run_after=run_after) if run_after else deliver_email
    return enqueue_on_mail_backend(task, data, attempt)


class QueuedEmailBackend(BaseEmailBackend):
    """Django e-mail backend that queues instead of sending (see the module docstring)."""

    def send_messages(self, email_messages):
        count = 0
        for message in email_messages:
            if not message.recipients():
                continue
            try:
                # Building the MIME message now raises what Django would raise at send time
                # (BadHeaderError…) in the caller, not hours later in the worker.
                message.message()
                enqueue(serialise(message))
            except Exception:
                if not self.fail_silently:
                    raise
                logger.exception("E-mail not queued")
                continue
            count += 1
        return count


def _forget_message(context):
    """Blank this task row's arguments: the message left (or its next attempt holds it)."""
    if isinstance(task_backends[context.task_result.backend], DatabaseBackend):
        DBTaskResult.objects.filter(pk=context.task_result.id).update(args_kwargs={"args": [], "kwargs": {}})


@task(backend=MAIL_TASK_BACKEND, takes_context=True)
def deliver_email(context, data, attempt=1):
    message = deserialise(data)
    connection = get_connection(settings.EMAIL_DELIVERY_BACKEND, fail_silently=False)
    try:
        connection.send_messages([message])
    except PERMANENT_ERRORS:
        logger.error("E-mail %r not sent: the error is permanent, kept in the queue as failed", message.subject)
        raise
    except Exception as error:
        max_attempts = getattr(settings, "EMAIL_QUEUE_MAX_ATTEMPTS", 10)
        if attempt >= max_attempts or not mail_backend().supports_defer:
            logger.error(
                "E-mail %r not sent after %d attempt(s), kept in the queue as failed", message.subject, attempt
            )
            raise
        delay = retry_delay(attempt)
        run_after = timezone.now() + datetime.timedelta(seconds=delay)
        enqueue(data, attempt + 1, run_after=run_after)
        _forget_message(context)
        logger.warning(
            "E-mail %r not sent (%s: %s), attempt %d of %d; next one in %d s",
            message.subject,
            type(error).__name__,
            error,
            attempt,
            max_attempts,
            delay,
        )
        return {"sent": False, "attempt": attempt, "error": type(error).__name__, "retry_at": run_after.isoformat()}
    _forget_message(context)
    return {"sent": True, "attempt": attempt}


# --- what the queue holds ------------------------------------------------------------------------------


def backlog(now=None):
    """Messages due or being sent, how long the oldest due one has waited (seconds) and messages given
    up; None when mail is not queued in the database. Cheap: aggregates over indexed columns."""
    if not is_durable():
        return None
    now = now or timezone.now()
    rows = DBTaskResult.objects.filter(backend_name=MAIL_TASK_BACKEND)
    never_deferred = get_date_max()
    waiting = rows.filter(
        Q(status=TaskResultStatus.RUNNING)
        | Q(status=TaskResultStatus.READY, run_after__lte=now)
        | Q(status=TaskResultStatus.READY, run_after=never_deferred)
    )
    # A retry is due from its run_after, a first attempt from when it was queued.
    due_since = Case(When(run_after=never_deferred, then=F("enqueued_at")), default=F("run_after"))
    counts = waiting.aggregate(pending=Count("pk"), oldest=Min(due_since))
    oldest = counts["oldest"]
    return {
        "pending": counts["pending"],
        "oldest_seconds": max(int((now - oldest).total_seconds()), 0) if oldest else 0,
        "failed": rows.filter(status=TaskResultStatus.FAILED).count(),
    }


def rows_mentioning(address):
    """The mail queue's rows whose message (waiting, or kept because it failed) mentions ``address``
    anywhere — recipients, reply-to, body —, for a person's rights: find them, delete them on erasure.
    Sent messages are not there any more (their rows are blanked)."""
    return DBTaskResult.objects.filter(backend_name=MAIL_TASK_BACKEND, args_kwargs__icontains=address)
