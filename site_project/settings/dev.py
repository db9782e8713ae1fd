from .base import *  # noqa: F403
from .base import SITE_URL, allowed_hosts, env_bool

DEBUG = True
SECRET_KEY = "dev-only-insecure-key-never-used-in-production"  # noqa: S105
ALLOWED_HOSTS = allowed_hosts(SITE_URL, "127.0.0.1,localhost")
# E-mails still go through the queue's code, but are printed in the terminal as soon as the data is
# committed: `make run` needs no worker.
EMAIL_DELIVERY_BACKEND = "django.core.mail.backends.console.EmailBackend"
TASKS = {
    "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"},
    "mail": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"},
}
SERVE_MEDIA = True
# `make run`: the local admin and the demo accounts log in with their password alone; anyone may still
# set up an app (account menu › Double authentification), and is then asked for it. `make serve` and
# production enforce it for coordinators and administrators.
TWO_FACTOR_REQUIRED = env_bool("TWO_FACTOR_REQUIRED", False)
