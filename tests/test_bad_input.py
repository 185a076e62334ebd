"""Every bad input the outside probe sent (issue 14) gets a 4xx JSON or form error, changes
nothing, and is never a 500. Run on SQLite and on PostgreSQL (which, unlike SQLite, refuses
NUL bytes in text and values past a column's length)."""

from __future__ import annotations

import json

import pytest
from axes.models import AccessAttempt
from django.test import Client
from django.urls import reverse

from courses.models import ReadingProgress
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

DEEP = "[" * 100_000 + "]" * 100_000


@pytest.fixture
def client():
    # A 500 must show as a 500 here, not as an exception the test client re-raises.
    return Client(raise_request_exception=False)


def _json(response) -> dict:
    assert response["Content-Type"].startswith("application/json"), response.content[:200]
    return response.json()


# --- Log-in -----------------------------------------------------------------------------

def test_a_100000_character_username_gets_a_form_error(client):
    UserFactory(username="real")
    response = client.post(reverse("login"), {"username": "u" * 100_000, "password": "x"})
    assert response.status_code == 200
    assert "at most 150 characters" in response.content.decode()
    assert not AccessAttempt.objects.exists()
    assert "_auth_user_id" not in client.session


def test_wrong_passwords_over_five_accounts_from_one_address_are_throttled(client):
    for n in range(5):
        UserFactory(username=f"acct{n}")
    codes = [client.post(reverse("login"), {"username": f"acct{n % 5}", "password": "no"}
                         ).status_code for n in range(16)]
    assert 500 not in codes
    assert codes[-1] == 429


# --- Reading progress -------------------------------------------------------------------

def _progress_url(lesson):
    return reverse("courses:lesson-progress", args=[lesson.course.slug, lesson.slug])


@pytest.mark.parametrize("body", [
    '{"seen": [1], "seconds": Infinity}',
    '{"seen": [1], "seconds": NaN}',
    '{"seen": [1], "seconds": 1e400}',
    '{"seen": [1], "seconds": 1e300}',
    '{"seen": ' + DEEP + '}',
    '{"seen": [1], "seconds": ' + DEEP + '}',
])
def test_bad_progress_beacons_get_a_json_400_and_store_nothing(client, student, lesson, body):
    client.force_login(student)
    response = client.post(_progress_url(lesson), body, content_type="application/json")
    assert response.status_code == 400
    assert _json(response)["error"]
    assert not ReadingProgress.objects.exists()


@pytest.mark.parametrize("upto", ["20000000", "9" * 30, "-1", "1e7", "\x00"])
def test_mark_as_read_with_a_huge_or_bad_upto_never_builds_a_huge_list(client, student,
                                                                      lesson, upto):
    client.force_login(student)
    response = client.post(_progress_url(lesson), {"upto": upto})
    if upto == "20000000":
        # Bounded by the reading: every passage it has, and no more.
        assert response.status_code == 302
        assert ReadingProgress.objects.get(user=student).passages_seen == [1, 2, 3]
    else:
        assert response.status_code == 400 and _json(response)["error"]
        assert not ReadingProgress.objects.exists()


def test_a_beacon_body_that_is_not_an_object_gets_a_json_400(client, student, lesson):
    client.force_login(student)
    response = client.post(_progress_url(lesson), json.dumps([1, 2]),
                           content_type="application/json")
    assert response.status_code == 400 and _json(response)["error"]
    assert not ReadingProgress.objects.exists()
