"""While PostgreSQL restarts, autosave answers a JSON 503 with Retry-After (the page retries
on 5xx), never an HTML 500, and stores nothing; once it is back the same save succeeds."""

import json
from unittest import mock

import psycopg
import pytest
from django.db import InterfaceError, OperationalError, connection
from django.db.backends.base.base import BaseDatabaseWrapper
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from quizzes.models import Response
from quizzes.taking import services

pytestmark = pytest.mark.django_db


def _save(client, attempt, version=1):
    return client.post(reverse("quizzes:response-save", args=[attempt.pk]),
                       json.dumps({"question": attempt.question_order[0], "answer": "fox",
                                   "version": version}), content_type="application/json")


@pytest.fixture
def writing(quiz, student):
    return services.attempt_start(quiz=quiz, user=student, now=timezone.now())


@pytest.mark.parametrize("error", [OperationalError, InterfaceError])
def test_a_database_error_on_any_statement_answers_json_503(student, writing, error):
    client = Client(raise_request_exception=False)
    client.force_login(student)
    with mock.patch.object(BaseDatabaseWrapper, "cursor", side_effect=error("restarting")):
        response = _save(client, writing)
    assert response.status_code == 503
    assert response["Content-Type"] == "application/json"
    assert response["Retry-After"] == "5" and response.json()["error"]
    assert Response.objects.get(attempt=writing, question_id=writing.question_order[0]
                                ).version == 0
    assert _save(client, writing).status_code == 200


def test_a_failure_after_the_read_answers_json_503_too(student, writing):
    # The session and the answer were read; the conditional update meets the outage.
    from quizzes.taking import autosave

    client = Client(raise_request_exception=False)
    client.force_login(student)
    with mock.patch.object(autosave, "store_answer",
                           side_effect=OperationalError("server closed the connection")):
        response = _save(client, writing)
    assert response.status_code == 503 and response.json()["error"]


def _take_down():
    """Make the database unreachable as during a restart; return how to bring it back.

    PostgreSQL: this test's own backend is terminated (what a restart does to open
    connections) and new connections go to a port nothing listens on. SQLite: new
    connections go to a file that cannot be opened."""
    settings = connection.settings_dict
    key = "PORT" if connection.vendor == "postgresql" else "NAME"
    real = settings[key]
    if connection.vendor == "postgresql":
        pid = connection.connection.info.backend_pid
        with psycopg.connect(host=settings["HOST"] or "127.0.0.1", port=real or 5432,
                             user=settings["USER"], dbname=settings["NAME"],
                             autocommit=True) as admin:
            admin.execute("SELECT pg_terminate_backend(%s)", [pid])
        settings[key] = "1"
    else:
        connection.close()
        settings[key] = "/nonexistent-directory/lectio.sqlite3"

    def restore():
        settings[key] = real
        connection.close()
    return restore


@pytest.mark.django_db(transaction=True)
def test_a_database_that_refuses_connections_gets_json_503_then_recovers(quiz, student):
    attempt = services.attempt_start(quiz=quiz, user=student, now=timezone.now())
    client = Client(raise_request_exception=False)
    client.force_login(student)
    connection.ensure_connection()
    restore = _take_down()
    try:
        down = _save(client, attempt)
        assert down.status_code == 503 and down["Retry-After"] == "5"
        assert "database" in down.json()["error"]
        page = client.get(attempt.get_absolute_url())
        assert page.status_code == 503 and b"briefly unavailable" in page.content
    finally:
        restore()
    assert _save(client, attempt).status_code == 200
    assert Response.objects.get(attempt=attempt, question_id=attempt.question_order[0]
                                ).answer == "fox"
