"""System checks about the running configuration and what the site needs from its services.

The Site address check is tagged ``database``: Django runs it only when asked to look at a database,
which ``migrate`` does on every deployment, and ``check --database default`` on demand. The service
checks run with ``manage.py check --deploy``."""

from django.conf import settings
from django.core import checks
from django.db import DatabaseError

PER_PROCESS_CACHES = {
    "django.core.cache.backends.locmem.LocMemCache",
    "django.core.cache.backends.dummy.DummyCache",
    "django.core.cache.backends.filebased.FileBasedCache",
}


@checks.register(checks.Tags.database)
def check_site_address(app_configs=None, databases=None, **kwargs):
    if not databases or "default" not in databases:
        return []
    from home.links import site_address_problem

    try:
        problem = site_address_problem()
    except DatabaseError:
        return []  # tables not created yet: the first migrate
    return [checks.Warning(problem, id="home.W001")] if problem else []


@checks.register(checks.Tags.caches, deploy=True)
def shared_cache(app_configs, **kwargs):
    backend = settings.CACHES.get("default", {}).get("BACKEND", "")
    if backend not in PER_PROCESS_CACHES:
        return []
    return [
        checks.Warning(
            "Production runs without a shared cache: rate limits on the public forms are counted per "
            "worker (multiplied by the number of gunicorn workers and hosts) and the page cache is off.",
            hint="Set REDIS_URL, e.g. redis://127.0.0.1:6379/0.",
            id="home.W003",
        )
    ]


@checks.register()
def mail_delivery(app_configs, **kwargs):
    if getattr(settings, "EMAIL_DELIVERY_BACKEND", "") != "home.mail.QueuedEmailBackend":
        return []
    return [
        checks.Error(
            "EMAIL_DELIVERY_BACKEND is the mail queue itself: the worker would queue every message again.",
            hint="Set EMAIL_DELIVERY_BACKEND to a real transport, e.g. django.core.mail.backends.smtp.EmailBackend.",
            id="home.E002",
        )
    ]


@checks.register(deploy=True)
def durable_mail_queue(app_configs, **kwargs):
    from home.mail import MAIL_TASK_BACKEND

    backend = getattr(settings, "TASKS", {}).get(MAIL_TASK_BACKEND, {}).get("BACKEND", "")
    if settings.EMAIL_BACKEND == "home.mail.QueuedEmailBackend" and backend == "django_tasks_db.DatabaseBackend":
        return []
    return [
        checks.Warning(
            "E-mails are not queued in the database: they are sent inside requests, and lost when the "
            "mail server fails.",
            hint='Use EMAIL_BACKEND = "home.mail.QueuedEmailBackend" with TASKS["mail"] on '
            '"django_tasks_db.DatabaseBackend", and run `manage.py db_worker --backend mail`.',
            id="home.W004",
        )
    ]


@checks.register(checks.Tags.security, deploy=True)
def check_second_factor(app_configs, **kwargs):
    """Production must not run with the second factor switched off (home/two_factor.py)."""
    if getattr(settings, "TWO_FACTOR_REQUIRED", True):
        return []
    return [
        checks.Warning(
            "TWO_FACTOR_REQUIRED is off: coordinators and administrators log in with a password alone.",
            hint="Unset TWO_FACTOR_REQUIRED (or set it to true) in production.",
            id="home.W005",
        )
    ]
