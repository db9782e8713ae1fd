"""Production: everything from base, plus HTTPS hardening. Secrets and hosts are mandatory."""

from .base import *  # noqa: F403
from .base import allowed_hosts, env_bool, public_address, require_env

SECRET_KEY = require_env("DJANGO_SECRET_KEY")
# No default address in production: a guessed one would be printed on every poster and mailed link.
SITE_URL = public_address(require_env("SITE_URL"))
WAGTAILADMIN_BASE_URL = SITE_URL
ALLOWED_HOSTS = allowed_hosts(SITE_URL)

# TLS is terminated by the reverse proxy, which sets X-Forwarded-Proto.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# `make serve` turns the redirect off to run production settings over plain HTTP on 127.0.0.1.
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = 31_536_000
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
LANGUAGE_COOKIE_SECURE = True

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
