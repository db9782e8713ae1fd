import tempfile

from .base import *  # noqa: F403

SECRET_KEY = "test-only-insecure-key"  # noqa: S105
ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]
# Fixed, whatever the developer's environment says; tests of other addresses override it.
SITE_URL = "http://localhost"
WAGTAILADMIN_BASE_URL = SITE_URL
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# Django's test runner sends mail straight to django.core.mail.outbox (it sets this itself). The
# queue keeps its database backend: tests/test_mail_queue.py switches EMAIL_BACKEND to it and runs
# the real worker, which delivers to the outbox too.
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
EMAIL_DELIVERY_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
EMAIL_QUEUE_RETRY_SECONDS = 0
# Uploads from tests never land in the developer's media folder.
MEDIA_ROOT = tempfile.mkdtemp(prefix="impactjeunes-test-media-")
SERVE_MEDIA = True
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Off so other tests count the page's own queries; tests/test_page_cache.py turns it on.
PAGE_CACHE_SECONDS = 0
# Whitenoise looks up static files at start-up; tests serve them through the finders instead.
WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True
