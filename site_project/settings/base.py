"""Settings shared by every environment.

Production-safe by default: DEBUG is off and every secret, host and service address comes from the
environment. ``dev.py`` and ``test.py`` loosen what they need; ``production.py`` adds HTTPS hardening.
"""

import os
from datetime import timedelta
from email.utils import getaddresses
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

PROJECT_DIR = Path(__file__).resolve().parent.parent
BASE_DIR = PROJECT_DIR.parent


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def public_address(value):
    """``SITE_URL`` normalised to ``scheme://host[:port]``, or ImproperlyConfigured.

    Wagtail's ``Site`` record keeps a host name and a port and deduces the scheme from the port (443 is
    https, anything else http), and every page link is built from it: an address it cannot hold is
    refused at start-up instead of becoming dead links on printed posters."""
    parts = urlsplit(value.strip())
    try:
        port = parts.port
    except ValueError:
        port = None
        parts = parts._replace(scheme="")
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ImproperlyConfigured(f"SITE_URL must look like https://impact-jeunes.fr, not {value!r}.")
    if parts.path.strip("/") or parts.query or parts.fragment or parts.username or parts.password:
        raise ImproperlyConfigured(f"SITE_URL is the site's root address, without path or query: {value!r}.")
    default_port = 443 if parts.scheme == "https" else 80
    port = port or default_port
    if (parts.scheme == "https") != (port == 443):
        raise ImproperlyConfigured(
            f"SITE_URL {value!r}: Wagtail's Site record can only serve https on port 443 and http on another port."
        )
    host = parts.hostname
    return f"{parts.scheme}://{host}" if port == default_port else f"{parts.scheme}://{host}:{port}"


def allowed_hosts(site_url, default=""):
    """``DJANGO_ALLOWED_HOSTS`` (or ``default``) plus the public address's host, which is always allowed."""
    return list(dict.fromkeys([*env_list("DJANGO_ALLOWED_HOSTS", default), urlsplit(site_url).hostname]))


DEBUG = False

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")

# The one public address every absolute link is made from: page links through Wagtail's Site record
# (which ``setup_site`` and ``load_demo`` set from it), everything else through ``home.links``, admin
# e-mails through WAGTAILADMIN_BASE_URL. Never the Host header of a request. Locally it follows PORT,
# like ``make run``; production requires it.
SITE_URL = public_address(os.environ.get("SITE_URL") or f"http://127.0.0.1:{os.environ.get('PORT') or '8000'}")
ALLOWED_HOSTS = allowed_hosts(SITE_URL)
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "home",
    "stories",
    "events",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.routable_page",
    "wagtail.contrib.settings",
    "wagtail.contrib.sitemaps",
    "wagtail.contrib.search_promotions",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.sitemaps",
    "django.contrib.staticfiles",
    "django.forms",  # the public forms' renderer finds Django's widget templates through the app
    "django_tasks",
    "django_tasks_db",  # the mail queue's table (home/mail.py)
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # HTML shrinks from ~17 KB to ~4 KB on a weak data plan; Django's version pads responses against
    # BREACH. After whitenoise (which serves its own pre-compressed files), outside the page cache.
    "django.middleware.gzip.GZipMiddleware",
    # After HTTPS redirects and static files, before session/CSRF/auth/messages: a hit skips them all,
    # and a miss sees the cookies they set, so it never stores a per-visitor answer (home/page_cache.py).
    "home.page_cache.PageCacheMiddleware",
    # Below the page cache, so what it stores is already spaced (home/typography.py).
    "home.typography.FrenchSpacingMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Who logged in with their second factor, then hold back those who still owe it (home/two_factor.py).
    "django_otp.middleware.OTPMiddleware",
    "home.two_factor.SecondFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "stories.middleware.ConsentRequiredMiddleware",
    # Wagtail's redirects, minus those that loop or lead to a page that cannot answer (home/redirects.py).
    "home.redirects.SafeRedirectMiddleware",
    # Last, as django-axes asks: turns a refused login into its lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "site_project.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
            ],
        },
    },
]

WSGI_APPLICATION = "site_project.wsgi.application"

# One variable for the database. SQLite is the zero-install default; PostgreSQL in production.
DATABASES = {
    "default": dj_database_url.config(
        env="DATABASE_URL",
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # A PostgreSQL host that does not answer fails a request (and the readiness check) within
    # seconds instead of hanging a worker for the system's TCP timeout.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("connect_timeout", 5)
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # IMMEDIATE takes the write lock when a transaction starts, so concurrent writers queue behind
    # the busy timeout instead of failing half-way with "database is locked". WAL lets readers
    # carry on while one process writes (gunicorn runs several).
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "home.User"

# django-axes first: it refuses a login while the account or the address is locked out, before the
# password is even checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Cache: Redis when REDIS_URL is set (shared by every worker and host), otherwise per-process memory.
# Sessions stay in the database (Django's default SESSION_ENGINE): an editor stays logged in when
# Redis is down. The Redis backend degrades to "no cache" instead of raising (home/shared_cache.py),
# and gives up quickly on a Redis that does not answer.
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "home.shared_cache.ResilientRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "impactjeunes"),
            "TIMEOUT": 300,
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "impactjeunes",
        }
    }

# Whole pages for anonymous visitors (home/page_cache.py), 0 to turn off. Only with Redis by default:
# a per-process memory cache would miss the invalidations made by other workers and by cron commands.
PAGE_CACHE_SECONDS = int(os.environ.get("PAGE_CACHE_SECONDS", "600" if REDIS_URL else "0"))

LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", "Français")]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True
LOCALE_PATHS = [BASE_DIR / "locale"]

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "static"))
STATICFILES_DIRS = [PROJECT_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Only renditions (media/images/) are ever served; originals stay private (see site_project/urls.py).
SERVE_MEDIA = env_bool("DJANGO_SERVE_MEDIA")

DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000
FILE_UPLOAD_PERMISSIONS = 0o644

# Security headers that hold in every environment; production.py adds HTTPS-only ones.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# Wagtail's preview views set SAMEORIGIN themselves; nothing else may be framed.
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

# The public site loads nothing from other hosts and runs no inline script. The Wagtail admin is
# excluded: it relies on inline scripts and styles we do not control.
CONTENT_SECURITY_POLICY = {
    "EXCLUDE_URL_PREFIXES": ["/admin/"],
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        # Portrait videos load only after a click, from these privacy-friendly embed hosts.
        "frame-src": ["https://www.youtube-nocookie.com", "https://player.vimeo.com"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}

# Every e-mail is queued (home/mail.py) and sent by the worker, `manage.py db_worker --backend mail`,
# through EMAIL_DELIVERY_BACKEND: no request waits for the mail server.
EMAIL_BACKEND = "home.mail.QueuedEmailBackend"
# The environment variable EMAIL_BACKEND, its name before the queue, still means the transport.
EMAIL_DELIVERY_BACKEND = (
    os.environ.get("EMAIL_DELIVERY_BACKEND")
    or os.environ.get("EMAIL_BACKEND")
    or "django.core.mail.backends.smtp.EmailBackend"
)
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS")
# Seconds the worker waits for a mail server that does not answer (requests never wait for it).
EMAIL_TIMEOUT = int(os.environ.get("EMAIL_TIMEOUT", "10"))
EMAIL_FILE_PATH = os.environ.get("EMAIL_FILE_PATH")  # for EMAIL_DELIVERY_BACKEND=…filebased.EmailBackend
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Impact Jeunes <ne-pas-repondre@impact-jeunes.fr>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
EMAIL_SUBJECT_PREFIX = "[Impact Jeunes] "
# A failed send is tried again 1, 2, 4… minutes later (at most an hour apart), this many times in all.
EMAIL_QUEUE_MAX_ATTEMPTS = int(os.environ.get("EMAIL_QUEUE_MAX_ATTEMPTS", "10"))
EMAIL_QUEUE_RETRY_SECONDS = int(os.environ.get("EMAIL_QUEUE_RETRY_SECONDS", "60"))

# Wagtail's own tasks (search and reference index, focal points, deleting files) use "default" and
# keep running at once, as before; only mail goes through the database queue and its worker.
TASKS = {
    "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"},
    "mail": {"BACKEND": "django_tasks_db.DatabaseBackend"},
}

# Who is told of server errors (the 500 page says « l'équipe est prévenue »), e.g.
# "Équipe technique <tech@impact-jeunes.fr>, astreinte@impact-jeunes.fr". The report is queued like
# any e-mail and carries nothing personal from the request (home/error_reports.py).
ADMINS = [(name, address) for name, address in getaddresses([os.environ.get("DJANGO_ADMINS", "")]) if address]
DEFAULT_EXCEPTION_REPORTER_FILTER = "home.error_reports.PrivateExceptionReporterFilter"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"require_debug_false": {"()": "django.utils.log.RequireDebugFalse"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler"},
        "mail_admins": {
            "level": "ERROR",
            "filters": ["require_debug_false"],
            "class": "home.error_reports.PrivateAdminEmailHandler",
        },
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        # Replaces Django's own "django" logger set-up, whose mail_admins handler would send the
        # full report (form fields, cookies, local variables) to ADMINS.
        "django": {"handlers": ["mail_admins"], "level": "INFO", "propagate": True},
        # Requests with a wrong Host header come from scanners: logged, not e-mailed.
        "django.security.DisallowedHost": {"handlers": ["console"], "propagate": False},
        "django.db.backends": {"level": "WARNING"},
        # Every page save runs search-index and reference-index tasks; their INFO lines drown the rest.
        "django_tasks": {"level": "WARNING"},
        "wagtail": {"level": "WARNING"},
        # One INFO line per failed login, with the name typed: the database already counts them.
        "axes": {"level": "WARNING"},
    },
}

# Wagtail
WAGTAIL_SITE_NAME = "Impact Jeunes"
# Events: registrations per client address per window (a school registers a whole class from one
# address), company proposals per address per window, and how long registrations are kept after an event.
REGISTRATION_RATE_LIMIT = (int(os.environ.get("REGISTRATION_RATE_LIMIT", "60")), 600)
PROPOSAL_RATE_LIMIT = (int(os.environ.get("PROPOSAL_RATE_LIMIT", "5")), 3600)
# « Mot de passe oublié »: links per e-mail address per hour, requests per client address per hour.
PASSWORD_RESET_LIMITS = (3, 30)
REGISTRATION_RETENTION_DAYS = int(os.environ.get("REGISTRATION_RETENTION_DAYS", "30"))
# A company contact's details, counted from the proposed event's end or the proposal's refusal
# (purge_proposals); by default the same delay as registrations.
PROPOSAL_RETENTION_DAYS = int(os.environ.get("PROPOSAL_RETENTION_DAYS", str(REGISTRATION_RETENTION_DAYS)))
RATELIMIT_TRUST_X_FORWARDED_FOR = env_bool("RATELIMIT_TRUST_X_FORWARDED_FOR")
COORDINATORS_EMAIL = os.environ.get("COORDINATORS_EMAIL", "")

# Accounts. Coordinators and administrators log in with a second factor (home/two_factor.py).
TWO_FACTOR_REQUIRED = env_bool("TWO_FACTOR_REQUIRED", True)
OTP_TOTP_ISSUER = "Impact Jeunes"
# Failed logins (django-axes), counted in the database so every worker and host shares them: after
# LOGIN_FAILURE_LIMIT failures for one user name, or from one address, logins from that name or that
# address are refused for LOGIN_LOCKOUT_MINUTES — the same answer whether the account exists or not.
AXES_FAILURE_LIMIT = int(os.environ.get("LOGIN_FAILURE_LIMIT", "10"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("LOGIN_LOCKOUT_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
# The client address as the rate limits see it (RATELIMIT_TRUST_X_FORWARDED_FOR behind a proxy).
AXES_CLIENT_IP_CALLABLE = "events.ratelimit.client_ip"
AXES_LOCKOUT_CALLABLE = "home.two_factor_views.login_locked"
# Least personal data: no log of successful logins, no address and name in the logs for each failure.
AXES_DISABLE_ACCESS_LOG = True
AXES_VERBOSE = False

WAGTAILADMIN_BASE_URL = SITE_URL
# Gravatar would send a hash of every editor's e-mail address to a third party (and show broken
# images offline): Wagtail shows its own default avatar instead.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAILADMIN_PERMITTED_LANGUAGES = [("fr", "Français")]
# « Mot de passe » instead of the « Password » Wagtail's form leaves (home/admin_forms.py).
WAGTAILADMIN_USER_LOGIN_FORM = "home.admin_forms.LoginForm"
WAGTAILIMAGES_IMAGE_MODEL = "home.CustomImage"
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 10 * 1024 * 1024
# Counted across every frame of an animation (home/image_privacy.py measures them from the headers).
WAGTAILIMAGES_MAX_IMAGE_PIXELS = 40_000_000
# Clear French messages for unreadable files and oversized animations (home/image_forms.py).
WAGTAILIMAGES_IMAGE_FORM_BASE = "home.image_forms.ImageForm"
WAGTAILIMAGES_EXTENSIONS = ["avif", "gif", "jpg", "jpeg", "png", "webp", "heic"]
WAGTAILDOCS_EXTENSIONS = ["pdf", "odt", "docx", "txt"]
WAGTAILDOCS_MAX_UPLOAD_SIZE = 10 * 1024 * 1024
# Every download goes through Wagtail's view and its privacy check (home/document_privacy.py), even
# on object storage: "redirect"/"direct" would hand out the storage's own URL.
WAGTAILDOCS_SERVE_METHOD = "serve_view"
# French stemming with accents ignored on PostgreSQL (the configuration is created by
# home/migrations/0004_search_french.py); SQLite ignores SEARCH_CONFIG and folds accents itself.
WAGTAILSEARCH_BACKENDS = {
    "default": {"BACKEND": "wagtail.search.backends.database", "SEARCH_CONFIG": "french_unaccent"},
}
WAGTAIL_ENABLE_UPDATE_CHECK = False
# Page addresses without accents: « Héloïse » gets /heloise/, which every mail client, QR reader and
# person typing it keeps intact.
WAGTAIL_ALLOW_UNICODE_SLUGS = False
WAGTAIL_PASSWORD_RESET_ENABLED = True
# How long the « Choisissez votre mot de passe » link of a new account stays valid (password reset
# links keep Django's 3 days): a partner may open the invitation after a week-end or a holiday.
ACCOUNT_INVITATION_DAYS = int(os.environ.get("ACCOUNT_INVITATION_DAYS", "14"))
# « Mot de passe oublié » also serves accounts that never chose a password (invited partners), and the
# request only queues the address: the same work whether an account exists or not (home/password_reset.py).
WAGTAILADMIN_USER_PASSWORD_RESET_FORM = "home.password_reset.PasswordResetForm"  # noqa: S105 - a dotted path
WAGTAILEMBEDS_RESPONSIVE_HTML = True

SITE_DESCRIPTION = _("De l'envie à la réussite : des jeunes des quartiers racontent leur parcours.")


def require_env(name):
    """Fail at start-up, not at the first request, when production lacks a setting."""
    value = os.environ.get(name)
    if not value:
        raise ImproperlyConfigured(f"The {name} environment variable is required.")
    return value
