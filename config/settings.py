"""Settings for Posyantek, all read from the environment (see .env.example)."""

from __future__ import annotations

import os
from pathlib import Path

import environ
from csp.constants import NONCE
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("VAR_DIR", BASE_DIR / "var"))

env = environ.Env()
if (BASE_DIR / ".env").exists():
    # OS variables take precedence over the file.
    environ.Env.read_env(BASE_DIR / ".env", overwrite=False)


def envsecret(name: str, default: str | None = None) -> str | None:
    """Return NAME from the environment, or the contents of the file named by NAME_FILE."""
    if path := os.environ.get(f"{name}_FILE"):
        return Path(path).read_text().strip()
    return os.environ.get(name, default)


DEBUG = env.bool("DEBUG", default=False)
SECRET_KEY = envsecret("SECRET_KEY")
if not SECRET_KEY:
    key_file = VAR_DIR / "secret_key"
    if key_file.exists():
        SECRET_KEY = key_file.read_text().strip()
    elif DEBUG or os.environ.get("POSYANTEK_LOCAL") == "1":
        from django.core.management.utils import get_random_secret_key

        VAR_DIR.mkdir(parents=True, exist_ok=True)
        SECRET_KEY = get_random_secret_key()
        key_file.write_text(SECRET_KEY)
        key_file.chmod(0o600)
    else:
        raise RuntimeError("SECRET_KEY is not set (or run `make demo`, which makes a local one under var/).")

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "template_partials",
    "django_filters",
    "ninja",
    "axes",
    "django_tasks",
    "django_tasks_db",
    "posyantek.core",
    "posyantek.accounts",
    "posyantek.regions",
    "posyantek.posts",
    "posyantek.people",
    "posyantek.catalog",
    "posyantek.consultations",
    "posyantek.trainings",
    "posyantek.products",
    "posyantek.network",
    "posyantek.exhibitions",
    "posyantek.orders",
    "posyantek.finance",
    "posyantek.partnerships",
    "posyantek.replication",
    "posyantek.visits",
    "posyantek.contests",
    "posyantek.dashboards",
    "posyantek.reports",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "posyantek.core.middleware.LanguageMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "posyantek.core.middleware.NulGuardMiddleware",
    "posyantek.core.middleware.RequestContextMiddleware",
    "posyantek.core.pagecache.FreshAfterWriteMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "core:home"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "posyantek.core.context_processors.csp_nonce",
                "posyantek.core.context_processors.navigation",
            ],
            "builtins": ["posyantek.core.templatetags.fmt"],
        },
    }
]

VAR_DIR.mkdir(parents=True, exist_ok=True)
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'posyantek.sqlite3'}")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=20000;",
    }
# Keep connections open between requests (opening one, with SQLite's PRAGMAs, costs more than a small query).
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "posyantek.accounts.backends.CachedModelBackend",
]
USER_CACHE_SECONDS = env.float("USER_CACHE_SECONDS", default=1.0)
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = 0.25  # hours: 15 minutes
# Lock per account, not per IP: a whole village office often shares one IP address.
AXES_LOCKOUT_PARAMETERS = ["username"]
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
AXES_USERNAME_FORM_FIELD = "username"
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_RESET_ON_SUCCESS = True

LANGUAGE_CODE = "id"
LANGUAGES = [("id", _("Bahasa Indonesia")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Jakarta"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(VAR_DIR / "media")))
MEDIA_URL = "/media/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = DEBUG
# Source maps (11 MB of the API docs' scripts) are for developers' tools: serve them, don't compress them.
WHITENOISE_SKIP_COMPRESS_EXTENSIONS = ["jpg", "jpeg", "png", "gif", "webp", "zip", "gz", "tgz", "bz2", "tbz",
                                       "xz", "br", "swf", "flv", "woff", "woff2", "3gp", "3gpp", "asf", "avi",
                                       "m4v", "mov", "mp4", "mpeg", "mpg", "webm", "wmv", "map"]  # fmt: skip
MAX_UPLOAD_MB = env.int("MAX_UPLOAD_MB", default=10)
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Posyantek <noreply@posyantek.local>")

CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "OPTIONS": {"MAX_ENTRIES": 2000}},
}
# Sessions stay in the database (not cached_db: the cache is per process, so a logout on one worker would
# live on in another's cache); a read is reused for a second in its process (accounts/sessions.py).
SESSION_ENGINE = "posyantek.accounts.sessions"
SESSION_MEMO_SECONDS = env.float("SESSION_MEMO_SECONDS", default=1.0)
# Service requests (consultations app): how the requester is told of a step (a click-to-chat link by default; a
# WhatsApp or SMS gateway class can be named here), and target days per state overriding consultations/workflow.py.
CONSULTATION_NOTIFIER = env.str("CONSULTATION_NOTIFIER", default="posyantek.consultations.notify.ClickToChatNotifier")
CONSULTATION_TARGET_DAYS = env.json("CONSULTATION_TARGET_DAYS", default={})
# Marketplace checkouts (page and API together) allowed per client IP per hour.
MARKET_CHECKOUTS_PER_HOUR = env.int("MARKET_CHECKOUTS_PER_HOUR", default=20)
# Which region level receives a post's periodic reports, by the level its region sits at (2 kab/kota, 3 kecamatan,
# 4 desa/kelurahan): by default kab/kota for kota and kecamatan posts, the kecamatan for village posts. Inferred
# (domain.md §5.9), so a deployment can change it, e.g. {"3": 3} to have kecamatan posts report to the camat.
REPORTS_RECIPIENT_LEVEL = env.json("REPORTS_RECIPIENT_LEVEL", default={})
# Dashboards: an audited write marks its post's figures dirty and queues their refresh (dashboards/refresh.py);
# off, the figures move only with `manage.py refresh_figures` (run it nightly either way).
DASHBOARDS_REFRESH_ON_WRITE = env.bool("DASHBOARDS_REFRESH_ON_WRITE", default=True)
# Rendered pages are kept until the next write (see posyantek/core/pagecache.py).
PAGE_CACHE_ENABLED = env.bool("PAGE_CACHE_ENABLED", default=True)
PAGE_CACHE_ALIAS = "default"
PAGE_CACHE_SECONDS = env.int("PAGE_CACHE_SECONDS", default=600)
# How long a worker trusts the data version it last read before asking the database again.
PAGE_CACHE_VERSION_SECONDS = env.float("PAGE_CACHE_VERSION_SECONDS", default=1.0)

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'", NONCE],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
    }
}

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_SECURE = env.bool("SECURE_COOKIES", default=False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=False)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0)
if env.bool("BEHIND_PROXY", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="WARNING")},
}
