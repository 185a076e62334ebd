"""Settings for the test suite: the base settings with fast hashing and plain static storage."""

import os

os.environ.setdefault("DJANGO_SECRET_KEY", "test-only-secret-key-" + "x" * 40)

from .base import *  # noqa: E402,F403
from .base import BASE_DIR, STORAGES  # noqa: E402

DEBUG = False
ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]
SECURE_SSL_REDIRECT = False
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
SECURE_HSTS_SECONDS = 0
# Hashing is deliberately slow in production; tests create many users.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# The manifest storage needs collectstatic first; tests serve files straight from the finders.
STORAGES = {**STORAGES, "staticfiles": {
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
MEDIA_ROOT = BASE_DIR / "var" / "test-uploads"
# Serve static files from the finders, as `runserver` does, so no collectstatic is needed.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True

# A file, not the in-memory default: shared-cache memory databases fail concurrent writers
# with "table is locked" instead of waiting, so the concurrency tests would test SQLite's
# test mode rather than the real embedded database.
(BASE_DIR / "var").mkdir(exist_ok=True)
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    DATABASES["default"]["TEST"] = {  # noqa: F405
        # One file per test process, so two runs on one machine never share a database.
        "NAME": str(BASE_DIR / "var" / f"test-db-{os.getpid()}.sqlite3")
    }

# Tasks run in the request that enqueues them, unless a test is about the worker
# (tests/jobs/test_worker.py runs the real database worker).
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
