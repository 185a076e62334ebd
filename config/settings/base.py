"""Lectio settings. Everything that differs between machines comes from the environment.

See https://docs.djangoproject.com/en/5.2/ref/settings/ for every setting used here.
"""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from config.cache_version import caches_setting, code_version

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    """Read a yes/no environment variable; unset means `default`."""
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    """Read a comma-separated environment variable into a list without blanks."""
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


# --- Core ----------------------------------------------------------------------------------
# https://docs.djangoproject.com/en/5.2/ref/settings/#debug
DEBUG = env_bool("DJANGO_DEBUG", False)

# https://docs.djangoproject.com/en/5.2/ref/settings/#secret-key
# A development key exists only while debugging, so a production server can never start
# with a key that is published in this repository.
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("Set DJANGO_SECRET_KEY (or DJANGO_DEBUG=1 for development).")
    SECRET_KEY = "django-insecure-development-only-key-never-use-in-production"  # noqa: S105

# https://docs.djangoproject.com/en/5.2/ref/settings/#allowed-hosts
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "crispy_forms",
    "crispy_bootstrap5",
    "bootstrap",
    "csp",
    "axes",
    "lti_tool",
    "django_tasks",
    "django_tasks_db",
    "courses",
    "quizzes",
    "lti",
    "jobs",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # LTI: cookies and framing for sessions begun by a platform launch (lti/middleware.py).
    "lti.middleware.EmbeddedCookiesMiddleware",
    # Django's, answering a session that cannot be saved for an outage with 503.
    "config.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "lti.middleware.EmbeddedFramingMiddleware",
    # Turns "database unavailable" raised by a view into a 503 with Retry-After.
    "config.middleware.DatabaseUnavailableMiddleware",
    # Last, as django-axes requires: it answers locked-out logins.
    "axes.middleware.AxesMiddleware",
]
# `make run` is a demo as much as a development server: unless a developer asks for
# Django's technical pages, Lectio's own 404 and 500 pages answer there too (config/errors.py).
LECTIO_DJANGO_DEBUG_PAGES = env_bool("LECTIO_DJANGO_DEBUG_PAGES", False)
if DEBUG and not LECTIO_DJANGO_DEBUG_PAGES:
    MIDDLEWARE.insert(MIDDLEWARE.index("django.middleware.common.CommonMiddleware") + 1,
                      "config.errors.FriendlyErrorsMiddleware")

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "csp.context_processors.nonce",
                "config.context_processors.nav",
            ],
        },
    },
]

# --- Database ------------------------------------------------------------------------------
# https://docs.djangoproject.com/en/5.2/ref/settings/#databases
# DATABASE_URL=postgres://... selects PostgreSQL through psycopg 3; without it the embedded
# default is a SQLite file next to manage.py, so a first run needs no server. A
# `sqlite:///path` URL selects a SQLite file elsewhere, with the embedded default's options.

# WAL lets readers work while one request writes; IMMEDIATE takes the write lock at BEGIN so
# two concurrent saves queue instead of failing with "database is locked" half-way through a
# transaction.
SQLITE_OPTIONS = {
    "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    "transaction_mode": "IMMEDIATE",
    "timeout": 20,
}
DATABASE_URL = os.environ.get("DATABASE_URL", "")
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL)}
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": os.environ.get("SQLITE_PATH", str(BASE_DIR / "db.sqlite3")),
        }
    }
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {**SQLITE_OPTIONS,
                                       **DATABASES["default"].get("OPTIONS", {})}
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Persistent connections, checked before reuse so a restarted server costs no error.
    DATABASES["default"]["CONN_MAX_AGE"] = int(os.environ.get("DJANGO_CONN_MAX_AGE", "60"))
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    if env_bool("DJANGO_DB_SERVER_SIDE_BINDING", True):
        # Server-side binding lets psycopg prepare a statement the fifth time it runs, so
        # PostgreSQL stops re-planning the same few queries on every request (it cut the
        # database's CPU per lesson page by two thirds in bench/bench_lesson.py). Turn it
        # off behind a pooler in transaction mode (pgbouncer), which cannot keep prepared
        # statements. These are psycopg options: no other database accepts them.
        # https://docs.djangoproject.com/en/5.2/ref/databases/#server-side-parameters-binding
        DATABASES["default"]["OPTIONS"] = {
            **DATABASES["default"].get("OPTIONS", {}),
            "server_side_binding": True, "prepare_threshold": 5}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Caches --------------------------------------------------------------------------------
# https://docs.djangoproject.com/en/5.2/topics/cache/
# REDIS_URL (redis://host:6379/0) puts every cache in that Redis, which all servers share.
# Without it "default" is each process's memory (the rendered lesson parts and page shells,
# cheap to rebuild) and "shared" a table in the database, seen by every worker: sessions,
# the counts that limit password reset requests and the LTI sign-in state (OIDC state,
# nonces, launch data). `manage.py createcachetable` creates that table (`make run` and the
# README's production steps run it; the test database gets it automatically).
# Fragment keys carry LECTIO_BUILD_ID (e.g. the release's git commit) or, without it, a hash
# of the code, templates and packages taken at startup (config/cache_version.py).
REDIS_URL = os.environ.get("REDIS_URL", "")
LECTIO_CACHE_VERSION = code_version(BASE_DIR, os.environ.get("LECTIO_BUILD_ID", ""))
CACHES = caches_setting(redis_url=REDIS_URL, version=LECTIO_CACHE_VERSION)
LECTIO_SHARED_CACHE = "shared"

# --- Background tasks ----------------------------------------------------------------------
# https://django-tasks.readthedocs.io/ (the backport of Django 6's tasks) with its database
# backend (django-tasks-db): long work (regrading a question across every attempt, closing
# overdue attempts, grade passback) is a row that `manage.py db_worker` runs, on any machine.
# `make run` (DJANGO_DEBUG) runs tasks in the request unless LECTIO_TASKS=database, so a
# demo needs no second process; production always queues them for the worker.
_TASK_BACKENDS = {"database": "django_tasks_db.DatabaseBackend",
                  "immediate": "django_tasks.backends.immediate.ImmediateBackend"}
_TASKS_CHOICE = os.environ.get("LECTIO_TASKS", "immediate" if DEBUG else "database")
if _TASKS_CHOICE not in _TASK_BACKENDS:
    raise ImproperlyConfigured(f"LECTIO_TASKS must be one of {', '.join(_TASK_BACKENDS)}.")
TASKS = {"default": {"BACKEND": _TASK_BACKENDS[_TASKS_CHOICE]}}

# --- Authentication ------------------------------------------------------------------------
# https://docs.djangoproject.com/en/5.2/topics/auth/passwords/#enabling-password-validation
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# https://django-axes.readthedocs.io/en/latest/4_configuration.html
# Five wrong passwords for one account from one address lock that pair out for 15 minutes, and
# fifteen from one address, over any accounts, lock the address (config/login.py).
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = int(os.environ.get("LECTIO_LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("LECTIO_LOGIN_COOLOFF_MINUTES", "15")))
LECTIO_ADDRESS_FAILURE_LIMIT = int(os.environ.get("LECTIO_LOGIN_ADDRESS_FAILURE_LIMIT", "15"))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "ip_address"]
AXES_HANDLER = "config.login.LoginThrottle"
# Behind N reverse proxies the client's address is the Nth from the right in X-Forwarded-For;
# without this every log-in would come from the proxy and share its per-address limit.
LECTIO_PROXY_COUNT = int(os.environ.get("LECTIO_PROXY_COUNT", "0"))
AXES_CLIENT_IP_CALLABLE = "config.login.client_address"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/lockout.html"
AXES_VERBOSE = False
# Password reset requests: at most this many per client address and per email address in
# each window (config/accounts.py).
LECTIO_RESET_WINDOW_SECONDS = int(os.environ.get("LECTIO_RESET_WINDOW_MINUTES", "15")) * 60
LECTIO_RESET_LIMIT_PER_ADDRESS = int(os.environ.get("LECTIO_RESET_LIMIT_PER_ADDRESS", "10"))
LECTIO_RESET_LIMIT_PER_EMAIL = int(os.environ.get("LECTIO_RESET_LIMIT_PER_EMAIL", "3"))
# A reset link works for three days (Django's default), once.
PASSWORD_RESET_TIMEOUT = int(os.environ.get("LECTIO_RESET_LINK_HOURS", "72")) * 3600
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "courses:course-list"
LOGOUT_REDIRECT_URL = "login"

# --- Email ---------------------------------------------------------------------------------
# https://docs.djangoproject.com/en/5.2/topics/email/
# Printed to the console unless an SMTP server is named: a first run needs no mail server,
# and the reset links of `make run` appear in its terminal.
EMAIL_HOST = os.environ.get("DJANGO_EMAIL_HOST", "")
EMAIL_BACKEND = os.environ.get(
    "DJANGO_EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend" if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_PORT = int(os.environ.get("DJANGO_EMAIL_PORT", "587"))
EMAIL_HOST_USER = os.environ.get("DJANGO_EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("DJANGO_EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("DJANGO_EMAIL_USE_TLS", not env_bool("DJANGO_EMAIL_USE_SSL", False))
EMAIL_USE_SSL = env_bool("DJANGO_EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = int(os.environ.get("DJANGO_EMAIL_TIMEOUT", "20"))
DEFAULT_FROM_EMAIL = os.environ.get("DJANGO_DEFAULT_FROM_EMAIL", "Lectio <lectio@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Internationalisation ------------------------------------------------------------------
LANGUAGE_CODE = "en-us"
TIME_ZONE = os.environ.get("DJANGO_TIME_ZONE", "UTC")
# Lectio is in English only and has no translation catalogues, so the translation system is
# off "for performance": every URL reversal otherwise asks it for the active language.
# https://docs.djangoproject.com/en/5.2/ref/settings/#use-i18n
USE_I18N = False
USE_TZ = True

# --- Static and uploaded files -------------------------------------------------------------
# https://docs.djangoproject.com/en/5.2/howto/static-files/
# Bootstrap comes from the django-bootstrap-static package; nothing is loaded from a CDN.
STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
# Uploaded originals are kept outside STATIC_ROOT and never served by URL.
MEDIA_ROOT = Path(os.environ.get("LECTIO_MEDIA_ROOT", str(BASE_DIR / "var" / "uploads")))
# No URL pattern serves this prefix: uploads are read by the server, never downloaded raw.
MEDIA_URL = "/uploads-not-served/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # WhiteNoise's compressed manifest storage, remembering each URL (config/storage.py).
    "staticfiles": {"BACKEND": "config.storage.StaticStorage"},
}
if DEBUG:
    STORAGES["staticfiles"] = {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
    }

# --- Forms ---------------------------------------------------------------------------------
CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# --- Security ------------------------------------------------------------------------------
# https://docs.djangoproject.com/en/5.2/ref/middleware/#module-django.middleware.security
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
# Cached database sessions: written through to the django_session table, read from the
# shared cache (Redis with REDIS_URL, else the database cache table), which every server
# sees, so a sign-out on one server ends the session on all of them. Django's cached_db,
# except that the cache never keeps a copy the table no longer agrees with (config/sessions.py):
# while Redis is unreachable a change is refused (503) instead of undone when it returns.
# https://docs.djangoproject.com/en/5.2/topics/http/sessions/#using-cached-sessions
SESSION_ENGINE = "config.sessions"
SESSION_CACHE_ALIAS = "shared"
if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_HSTS_SECONDS", str(60 * 60 * 24 * 365)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DJANGO_HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = env_bool("DJANGO_HSTS_PRELOAD", True)

# https://django-csp.readthedocs.io/en/latest/configuration.html
# Our own scripts only, from our own origin: no inline script, no eval, no third party.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        # Imported questions may show pictures from the web (sanitised to http(s) or inline
        # raster images by courses/sanitise.py); https only, so a page never mixes content.
        "img-src": ["'self'", "data:", "https:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

# --- Lectio --------------------------------------------------------------------------------
# Baseline views for bench/ (never enable in production).
LECTIO_BENCH_ENDPOINTS = env_bool("LECTIO_BENCH_ENDPOINTS", False)
LECTIO_UPLOAD_MAX_BYTES = int(os.environ.get("LECTIO_UPLOAD_MAX_BYTES", str(5 * 1024 * 1024)))
# Pasted text arrives as a form field, not a file: without this, a paste between Django's
# default 2.5 MB and the upload limit would be refused with a bare 400 instead of the
# upload form's own message. (Files are streamed and not counted here.)
# https://docs.djangoproject.com/en/5.2/ref/settings/#data-upload-max-memory-size
DATA_UPLOAD_MAX_MEMORY_SIZE = LECTIO_UPLOAD_MAX_BYTES + 256 * 1024
# PDF readings: the work one PDF may cost before it is refused with a message.
LECTIO_PDF_MAX_PAGES = int(os.environ.get("LECTIO_PDF_MAX_PAGES", "200"))
# Under gunicorn's 30 s worker timeout, with room for cleaning after extraction.
LECTIO_PDF_MAX_SECONDS = float(os.environ.get("LECTIO_PDF_MAX_SECONDS", "20"))
LECTIO_PDF_MAX_INFLATED_BYTES = int(
    os.environ.get("LECTIO_PDF_MAX_INFLATED_BYTES", str(100 * 1024 * 1024)))
# Importing a reading from a URL: per-operation timeout (the whole fetch gets three times
# it, which with cleaning must stay under the server's worker timeout: gunicorn's is 30 s),
# redirects followed, and the body is capped at LECTIO_UPLOAD_MAX_BYTES.
LECTIO_URL_FETCH_TIMEOUT = float(os.environ.get("LECTIO_URL_FETCH_TIMEOUT", "5"))
LECTIO_URL_FETCH_MAX_REDIRECTS = int(os.environ.get("LECTIO_URL_FETCH_MAX_REDIRECTS", "5"))
# Networks exempt from the public-address rule. For the test suite's local server only:
# deliberately not read from the environment, and `check --deploy` fails when it is set.
LECTIO_URL_FETCH_ALLOWED_NETWORKS: tuple[str, ...] = ()
# Question banks and lesson packages: larger files are refused with a message. 20 MB because
# Moodle XML files and QTI packages carry their pictures (each reader has its own bound too:
# GIFT and Aiken text stops at 5 MB).
LECTIO_IMPORT_MAX_BYTES = int(os.environ.get("LECTIO_IMPORT_MAX_BYTES", str(20 * 1024 * 1024)))
# A question bank or lesson package holding at least this many questions, or of at least this
# many bytes, is imported by the task worker (the instructor watches its job page); smaller
# ones are stored in the request. 5,000 GIFT questions take about a second to store.
LECTIO_IMPORT_TASK_MIN_QUESTIONS = int(os.environ.get("LECTIO_IMPORT_TASK_MIN_QUESTIONS",
                                                      "200"))
LECTIO_IMPORT_TASK_MIN_BYTES = int(os.environ.get("LECTIO_IMPORT_TASK_MIN_BYTES",
                                                  str(1024 * 1024)))

# --- LTI 1.3 ------------------------------------------------------------------------------
# https://django-lti.readthedocs.io/ and README "Connecting Canvas and Moodle".
# Seconds any call to a platform (keys, tokens, NRPS, AGS) may take.
LECTIO_LTI_HTTP_TIMEOUT = float(os.environ.get("LECTIO_LTI_HTTP_TIMEOUT", "10"))
# More origins that may frame Lectio after a launch, when a platform's pages are served from
# a host its registration does not name (the issuer, auth and token URLs and the launch's
# signed return URL are allowed already).
LECTIO_LTI_FRAME_ORIGINS = env_list("LECTIO_LTI_FRAME_ORIGINS")
# Grade passback: how many times one grade is tried, and the first wait (doubling after).
LECTIO_LTI_PASSBACK_MAX_TRIES = int(os.environ.get("LECTIO_LTI_PASSBACK_MAX_TRIES", "6"))
LECTIO_LTI_PASSBACK_BACKOFF_SECONDS = int(os.environ.get("LECTIO_LTI_PASSBACK_BACKOFF_SECONDS",
                                                         "60"))
# Grades sent at once, after the release (or regrade) commits, by the request that made it;
# the rest wait for `manage.py lti_send_grades` (cron, every minute).
LECTIO_LTI_PASSBACK_SEND_AT_ONCE = int(os.environ.get("LECTIO_LTI_PASSBACK_SEND_AT_ONCE", "50"))

# --- Logging -------------------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "WARNING")},
}

# Parts of `load_demo`, in order; each returns lines to print.
LECTIO_DEMO_LOADERS = ["courses.demo.load", "quizzes.demo.load"]
