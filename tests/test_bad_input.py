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


# --- Autosave -----------------------------------------------------------------------------

def _save_url(attempt):
    return reverse("quizzes:response-save", args=[attempt.pk])


@pytest.fixture
def attempt(quiz_for_bad_input, student):
    from django.utils import timezone

    from quizzes.taking import services

    return services.attempt_start(quiz=quiz_for_bad_input, user=student, now=timezone.now())


@pytest.fixture
def quiz_for_bad_input(lesson):
    from tests.factories import QuestionFactory, QuizFactory

    quiz = QuizFactory(lesson=lesson)
    QuestionFactory(quiz=quiz, position=1)
    return quiz


def _body(question, version="1", answer='"fox"'):
    return f'{{"question": {question}, "answer": {answer}, "version": {version}}}'


def _unchanged(attempt):
    from quizzes.models import Response

    return list(Response.objects.filter(attempt=attempt).values_list("answer", "version"))


BAD_VERSIONS = [str(2**31), str(2**31 - 1), str(2**40), "Infinity", "-Infinity", "NaN",
                "1e400", "1.5", "1.0", "true", "-1", '"3"', "null", "9" * 5000]


@pytest.mark.parametrize("version", BAD_VERSIONS)
def test_autosave_refuses_a_bad_version_with_a_json_400(client, student, attempt, version):
    before = _unchanged(attempt)
    question = attempt.question_order[0]
    client.force_login(student)
    response = client.post(_save_url(attempt), _body(question, version),
                           content_type="application/json")
    assert response.status_code == 400
    assert "version" in _json(response)["error"] or "number" in _json(response)["error"]
    assert _unchanged(attempt) == before


@pytest.mark.parametrize("answer", [DEEP, "[" * 50 + "]" * 50, '"' + "x" * 200_000 + '"',
                                    "1e400", "[NaN]"])
def test_autosave_refuses_a_deep_or_huge_answer_with_a_json_400(client, student, attempt,
                                                               answer):
    before = _unchanged(attempt)
    client.force_login(student)
    response = client.post(_save_url(attempt), _body(attempt.question_order[0], answer=answer),
                           content_type="application/json")
    assert response.status_code == 400 and _json(response)["error"]
    assert _unchanged(attempt) == before


def test_a_malformed_autosave_is_refused_before_any_database_query(
        client, student, attempt, django_assert_num_queries):
    client.force_login(student)
    for body in (_body(1, "Infinity"), _body(1, answer=DEEP), "{", "[]", ""):
        with django_assert_num_queries(0):
            response = client.post(_save_url(attempt), body, content_type="application/json")
        assert response.status_code == 400, body[:40]


def test_anyone_sending_a_deep_body_to_any_attempt_gets_a_400_not_a_500(client, student,
                                                                       classmate, attempt):
    for who in (None, classmate, student):
        if who:
            client.force_login(who)
        for pk in (attempt.pk, 999_999):
            response = client.post(reverse("quizzes:response-save", args=[pk]),
                                   _body(1, answer=DEEP), content_type="application/json")
            assert response.status_code == 400
    assert _unchanged(attempt) == [(None, 0)]


# --- Gradebook filters --------------------------------------------------------------------

@pytest.mark.parametrize("query", [{"name": "a\x00b"}, {"section": "\x00"},
                                   {"name": "x" * 10_000}, {"section": "s" * 51},
                                   {"sort": "\x00"}, {"sort": "drop table"}])
def test_gradebook_filters_with_bad_values_get_a_400_page_not_a_500(client, instructor,
                                                                     student, course, query):
    client.force_login(instructor)
    response = client.get(reverse("quizzes:gradebook", args=[course.slug]), query)
    assert response.status_code == 400
    page = response.content.decode()
    assert "could not be used, so they are ignored" in page
    assert student.username in page  # the unfiltered gradebook is still shown


def test_a_good_gradebook_filter_still_filters(client, instructor, student, classmate,
                                               course):
    client.force_login(instructor)
    response = client.get(reverse("quizzes:gradebook", args=[course.slug]),
                          {"name": student.last_name, "sort": "average"})
    assert response.status_code == 200
    assert student.username in response.content.decode()


# --- Imports --------------------------------------------------------------------------------

def _package(body: str) -> bytes:
    return ('{"format": "lectio-lesson", "version": 1, ' + body + "}").encode()


@pytest.mark.parametrize(("data", "message"), [
    (_package('"lesson": {"title": ' + "[" * 5000 + "]" * 5000 + "}"), "nested more than"),
    (_package('"annotations": [' + ",".join(["{}"] * 1_000_000) + "]"), "JSON objects"),
])
def test_a_deep_or_huge_lesson_package_gets_a_form_error_and_imports_nothing(
        client, instructor, course, data, message):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from courses.models import Lesson

    client.force_login(instructor)
    response = client.post(reverse("quizzes:lesson-import", args=[course.slug]),
                           {"file": SimpleUploadedFile("lesson.json", data)})
    assert response.status_code == 200 and message in response.content.decode()
    assert not Lesson.objects.filter(course=course).exists()


def test_a_5_mb_gift_file_gets_a_preview_problem_and_imports_nothing(client, instructor,
                                                                     quiz_for_bad_input):
    from django.core.files.uploadedfile import SimpleUploadedFile

    quiz = quiz_for_bad_input
    client.force_login(instructor)
    data = ("Q? {=a ~b}\n\n" * (5 * 1024 * 1024 // 12)).encode()
    preview = client.post(reverse("quizzes:question-import", args=[quiz.pk]),
                          {"file": SimpleUploadedFile("bank.gift", data), "format": "gift"},
                          follow=True)
    assert preview.status_code == 200 and "Too many" in preview.content.decode()
    client.post(reverse("quizzes:question-import-preview", args=[quiz.pk]),
                {"action": "confirm", "only_valid": "on"})
    assert quiz.questions.count() == 1


def test_a_small_docx_holding_60_mb_of_xml_gets_a_form_error_and_stores_nothing(client,
                                                                               admin_user):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from courses.models import PendingUpload, Reading
    from tests.courses.test_ingest_docx_bounds import PARAGRAPH, docx_with_body

    body = PARAGRAPH.encode() * (60 * 1024 * 1024 // len(PARAGRAPH))
    data = docx_with_body(body)
    assert len(data) < 1024 * 1024  # passes the upload size guard, as the probe's file did
    client.force_login(admin_user)
    response = client.post(reverse("courses:reading-upload"),
                           {"file": SimpleUploadedFile("bomb.docx", data)})
    assert response.status_code == 200
    assert "unpacks to" in response.content.decode()
    assert not Reading.objects.exists() and not PendingUpload.objects.exists()
