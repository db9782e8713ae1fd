"""System checks about the services (home/checks.py): ``check --deploy`` warns when production would
count rate limits per worker (no shared cache) or send e-mail inside requests."""

import os
import subprocess
import sys

from django.core.checks import run_checks

from home.local_server import BASE_DIR, production_http_env
from tests.redis_server import redis_cache


def ids(**kwargs):
    return {message.id for message in run_checks(include_deployment_checks=True, **kwargs)}


def test_no_shared_cache_is_a_deployment_warning(settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    assert "home.W003" in ids()
    assert "home.W003" not in {message.id for message in run_checks()}  # deployment only
    settings.CACHES = redis_cache("redis://127.0.0.1:6379/6")
    assert "home.W003" not in ids()


def test_mail_must_be_queued_in_the_database_in_production(settings):
    settings.EMAIL_BACKEND = "home.mail.QueuedEmailBackend"
    assert "home.W004" not in ids()
    settings.TASKS = {**settings.TASKS, "mail": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    assert "home.W004" in ids()


def test_the_worker_cannot_be_told_to_queue_again(settings):
    settings.EMAIL_DELIVERY_BACKEND = "home.mail.QueuedEmailBackend"
    assert "home.E002" in {message.id for message in run_checks()}


def test_production_settings_without_redis_fail_check_deploy_and_pass_with_it():
    """What `make check` runs: production settings, --fail-level WARNING."""
    command = [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"]
    secret = "check-" + os.urandom(32).hex()
    env = production_http_env(DJANGO_SECRET_KEY=secret, DJANGO_ALLOWED_HOSTS="impact-jeunes.fr")
    env.pop("REDIS_URL", None)
    env.pop("DJANGO_SECURE_SSL_REDIRECT")  # as deployed: HTTPS redirect on
    without = subprocess.run(command, cwd=BASE_DIR, env=env, capture_output=True, text=True)
    assert without.returncode != 0
    assert "home.W003" in without.stderr
    with_redis = subprocess.run(
        command, cwd=BASE_DIR, env={**env, "REDIS_URL": "redis://127.0.0.1:6379/6"}, capture_output=True, text=True
    )
    assert with_redis.returncode == 0, with_redis.stderr
