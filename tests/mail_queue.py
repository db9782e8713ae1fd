"""Helpers for tests of the mail queue (home/mail.py): switch a test onto the queue and run the real
worker command in-process.

The worker commits and closes connections between tasks like the production one, so tests that run
it use ``django_db(transaction=True, serialized_rollback=True)``: inside pytest-django's per-test
transaction, closing the connection would spoil the test's transaction; the serialized rollback gives
each of them the migrated database back (Wagtail's root page, default groups…) after the flush."""

import io
import logging
import signal

import pytest
from django.core.management import call_command
from django_tasks_db.models import DBTaskResult

SIGNALS = [signal.SIGINT, signal.SIGTERM, signal.SIGQUIT]


@pytest.fixture
def queued_mail(settings):
    """Every e-mail of this test goes through the queue, delivered to ``mail.outbox`` by the worker."""
    settings.EMAIL_BACKEND = "home.mail.QueuedEmailBackend"
    settings.EMAIL_DELIVERY_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    return settings


def run_worker():
    """``manage.py db_worker --backend mail --batch``: sends everything due, then returns."""
    handlers = {number: signal.getsignal(number) for number in SIGNALS}
    levels = {name: logging.getLogger(name).level for name in ("django_tasks", "django_tasks_db")}
    try:
        call_command("db_worker", "--backend", "mail", "--batch", "--no-startup-delay", stdout=io.StringIO())
    finally:
        # The command installs its own signal handlers and log levels, as a long-running process would.
        for number, handler in handlers.items():
            signal.signal(number, handler)
        for name, level in levels.items():
            logging.getLogger(name).setLevel(level)


def mail_rows(**filters):
    return DBTaskResult.objects.filter(backend_name="mail", **filters).order_by("enqueued_at")
