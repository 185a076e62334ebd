"""The mail backend for password reset comes from the environment: the console by default
(so `make run` prints reset links), SMTP once a host is named, any backend when one is named.
Each case starts a fresh interpreter, since settings are read once at start-up."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent

PROBE = (
    "import json, django; from django.conf import settings; django.setup(); "
    "print(json.dumps({k: getattr(settings, k) for k in ('EMAIL_BACKEND', 'EMAIL_HOST', "
    "'EMAIL_PORT', 'EMAIL_HOST_USER', 'EMAIL_USE_TLS', 'EMAIL_USE_SSL', "
    "'DEFAULT_FROM_EMAIL')}))"
)


def _settings(**extra: str) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env.update({"DJANGO_SETTINGS_MODULE": "config.settings.base", "DJANGO_DEBUG": "1", **extra})
    result = subprocess.run([sys.executable, "-c", PROBE], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_without_a_mail_host_mail_goes_to_the_console():
    mail = _settings()
    assert mail["EMAIL_BACKEND"] == "django.core.mail.backends.console.EmailBackend"
    assert mail["DEFAULT_FROM_EMAIL"] == "Lectio <lectio@localhost>"


def test_a_mail_host_selects_smtp_with_starttls_on_587():
    mail = _settings(DJANGO_EMAIL_HOST="smtp.example.org", DJANGO_EMAIL_HOST_USER="lectio",
                     DJANGO_DEFAULT_FROM_EMAIL="Lectio <noreply@example.org>")
    assert mail == {
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "smtp.example.org", "EMAIL_PORT": 587, "EMAIL_HOST_USER": "lectio",
        "EMAIL_USE_TLS": True, "EMAIL_USE_SSL": False,
        "DEFAULT_FROM_EMAIL": "Lectio <noreply@example.org>"}


def test_implicit_tls_turns_starttls_off():
    # Django refuses EMAIL_USE_TLS and EMAIL_USE_SSL together.
    mail = _settings(DJANGO_EMAIL_HOST="smtp.example.org", DJANGO_EMAIL_PORT="465",
                     DJANGO_EMAIL_USE_SSL="1")
    assert (mail["EMAIL_PORT"], mail["EMAIL_USE_TLS"], mail["EMAIL_USE_SSL"]) == (465, False, True)


def test_a_named_backend_overrides_the_choice():
    mail = _settings(DJANGO_EMAIL_HOST="smtp.example.org",
                     DJANGO_EMAIL_BACKEND="django.core.mail.backends.filebased.EmailBackend")
    assert mail["EMAIL_BACKEND"] == "django.core.mail.backends.filebased.EmailBackend"
