"""Settings come from the environment: database selection, secrets, the deploy check."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

PROBE = (
    "import json, django; from django.conf import settings; django.setup(); "
    "from django.db import connection; d = settings.DATABASES['default']; "
    "print(json.dumps({'engine': d['ENGINE'], 'name': str(d['NAME']), "
    "'options': d.get('OPTIONS', {}), 'max_age': d.get('CONN_MAX_AGE'), "
    "'debug': settings.DEBUG, 'vendor': connection.vendor}))"
)


def _run(env_overrides: dict[str, str | None], code: str = PROBE, *args: str):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL"))}
    env["DJANGO_SETTINGS_MODULE"] = "config.settings.base"
    for key, value in env_overrides.items():
        if value is None:
            env.pop(key, None)
        else:
            env[key] = value
    return subprocess.run(
        [sys.executable, *(["-c", code] if code else []), *args],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
    )


def test_without_database_url_the_default_is_sqlite_in_wal_mode():
    result = _run({"DJANGO_DEBUG": "1"})
    assert result.returncode == 0, result.stderr
    info = json.loads(result.stdout)
    assert info["engine"] == "django.db.backends.sqlite3"
    assert info["name"] == str(ROOT / "db.sqlite3")
    assert "journal_mode=WAL" in info["options"]["init_command"]


def test_database_url_selects_postgresql_through_psycopg3():
    result = _run({"DJANGO_DEBUG": "1", "DATABASE_URL": "postgres://u:p@db.example:5432/lectio"})
    assert result.returncode == 0, result.stderr
    info = json.loads(result.stdout)
    assert info["engine"] == "django.db.backends.postgresql"
    assert info["name"] == "lectio"
    assert info["vendor"] == "postgresql"
    assert info["max_age"] == 60  # persistent connections
    import psycopg  # the driver Django uses is psycopg 3

    assert psycopg.__version__.startswith("3.")


def test_a_postgresql_url_gets_the_psycopg_options():
    result = _run({"DJANGO_DEBUG": "1",
                   "DATABASE_URL": "postgres://u:p@db.example:5432/lectio?sslmode=require"})
    assert result.returncode == 0, result.stderr
    options = json.loads(result.stdout)["options"]
    assert options == {"sslmode": "require", "server_side_binding": True,
                       "prepare_threshold": 5}
    behind_pooler = _run({"DJANGO_DEBUG": "1", "DJANGO_DB_SERVER_SIDE_BINDING": "0",
                          "DATABASE_URL": "postgres://u:p@db.example:5432/lectio"})
    assert json.loads(behind_pooler.stdout)["options"] == {}


# Connects and writes, so a psycopg-only option reaching sqlite3.connect() fails here.
SQLITE_PROBE = (
    "import json, django; from django.conf import settings; django.setup(); "
    "from django.db import connection; d = settings.DATABASES['default']; "
    "c = connection.cursor(); c.execute('CREATE TABLE t (x integer)'); "
    "c.execute('INSERT INTO t VALUES (1)'); c.execute('PRAGMA journal_mode'); "
    "print(json.dumps({'engine': d['ENGINE'], 'name': str(d['NAME']), "
    "'options': d.get('OPTIONS', {}), 'journal': c.fetchone()[0], "
    "'vendor': connection.vendor}))"
)


def test_a_sqlite_url_selects_that_file_with_the_embedded_options(tmp_path):
    path = tmp_path / "elsewhere.sqlite3"
    result = _run({"DJANGO_DEBUG": "1", "DATABASE_URL": f"sqlite:///{path}"}, SQLITE_PROBE)
    assert result.returncode == 0, result.stderr
    info = json.loads(result.stdout)
    assert info["engine"] == "django.db.backends.sqlite3"
    assert info["name"] == str(path)
    assert info["vendor"] == "sqlite"
    assert info["journal"] == "wal"
    assert info["options"]["transaction_mode"] == "IMMEDIATE"
    assert "server_side_binding" not in info["options"]
    assert path.exists()


def test_production_refuses_to_start_without_a_secret_key():
    result = _run({"DJANGO_DEBUG": "0"})
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr


def test_debug_flag_comes_from_the_environment():
    on = json.loads(_run({"DJANGO_DEBUG": "1"}).stdout)
    off = json.loads(_run({"DJANGO_DEBUG": "0", "DJANGO_SECRET_KEY": "k" * 60}).stdout)
    assert on["debug"] is True and off["debug"] is False


PRODUCTION = {
    "DJANGO_DEBUG": "0",
    "DJANGO_SECRET_KEY": "a-long-random-production-secret-" + "Zq8!x" * 10,
    "DJANGO_ALLOWED_HOSTS": "lectio.example.org",
}


def test_deploy_check_is_clean_with_production_settings():
    result = _run(PRODUCTION, "", "manage.py", "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr


def test_deploy_check_fails_when_production_runs_in_debug():
    result = _run({**PRODUCTION, "DJANGO_DEBUG": "1"}, "", "manage.py", "check", "--deploy",
                  "--fail-level", "WARNING")
    assert result.returncode != 0
    assert "DEBUG" in result.stdout + result.stderr
