from .base import *  # noqa: F403
from .base import env_bool, env_list

DEBUG = True
SECRET_KEY = "dev-only-insecure-key-never-used-in-production"  # noqa: S105
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost")
EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
SERVE_MEDIA = True
WAGTAILADMIN_BASE_URL = "http://127.0.0.1:8000"
# `make run`: the local admin and the demo accounts log in with their password alone; anyone may still
# set up an app (account menu › Double authentification), and is then asked for it. `make serve` and
# production enforce it for coordinators and administrators.
TWO_FACTOR_REQUIRED = env_bool("TWO_FACTOR_REQUIRED", False)
