"""While the database is unavailable, requests get a 503 with Retry-After, not a 500."""

import json
from unittest import mock

import pytest
from django.db import InterfaceError, OperationalError
from django.db.backends.base.base import BaseDatabaseWrapper
from django.test import Client
from django.urls import reverse

from courses.models import ReadingProgress

pytestmark = pytest.mark.django_db


def _down(error):
    """Every new cursor fails, as while PostgreSQL restarts."""
    return mock.patch.object(BaseDatabaseWrapper, "cursor", side_effect=error("restarting"))


@pytest.mark.parametrize("error", [OperationalError, InterfaceError])
def test_the_progress_beacon_answers_json_503_with_retry_after(student, lesson, error):
    client = Client(raise_request_exception=False)
    client.force_login(student)
    url = reverse("courses:lesson-progress", args=[lesson.course.slug, lesson.slug])
    with _down(error):
        response = client.post(url, json.dumps({"seen": [1]}), content_type="application/json")
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert "database" in response.json()["error"]
    assert not ReadingProgress.objects.exists()
    # Back up: the same report is accepted.
    assert client.post(url, json.dumps({"seen": [1]}),
                       content_type="application/json").status_code == 200


def test_a_page_answers_a_plain_503_page(student, lesson):
    client = Client(raise_request_exception=False)
    client.force_login(student)
    with _down(OperationalError):
        response = client.get(lesson.get_absolute_url())
    assert response.status_code == 503 and response["Retry-After"] == "5"
    assert b"briefly unavailable" in response.content


def test_other_database_errors_stay_500s(student, lesson):
    from django.db import IntegrityError

    client = Client(raise_request_exception=False)
    client.force_login(student)
    with _down(IntegrityError):
        assert client.get(lesson.get_absolute_url()).status_code == 500
