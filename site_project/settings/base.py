"""Settings shared by every environment.

Production-safe by default: DEBUG is off and every secret, host and service address comes from the
environment. ``dev.py`` and ``test.py`` loosen what they need; ``production.py`` adds HTTPS hardening.
"""

import os
from datetime import timedelta
from pathlib import Path

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


DEBUG = False

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS")
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
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
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
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "impactjeunes"),
            "TIMEOUT": 300,
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

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS")
EMAIL_TIMEOUT = 10
EMAIL_FILE_PATH = os.environ.get("EMAIL_FILE_PATH")  # for EMAIL_BACKEND=…filebased.EmailBackend
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Impact Jeunes <ne-pas-repondre@impact-jeunes.fr>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
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
REGISTRATION_RETENTION_DAYS = int(os.environ.get("REGISTRATION_RETENTION_DAYS", "30"))
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

WAGTAILADMIN_BASE_URL = os.environ.get("WAGTAILADMIN_BASE_URL", "http://127.0.0.1:8000")
WAGTAILADMIN_PERMITTED_LANGUAGES = [("fr", "Français")]
WAGTAILIMAGES_IMAGE_MODEL = "home.CustomImage"
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 10 * 1024 * 1024
WAGTAILIMAGES_MAX_IMAGE_PIXELS = 40_000_000
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
WAGTAIL_PASSWORD_RESET_ENABLED = True
WAGTAILEMBEDS_RESPONSIVE_HTML = True

SITE_DESCRIPTION = _("De l'envie à la réussite : des jeunes des quartiers racontent leur parcours.")


def require_env(name):
    """Fail at start-up, not at the first request, when production lacks a setting."""
    value = os.environ.get(name)
    if not value:
        raise ImproperlyConfigured(f"The {name} environment variable is required.")
    return value
