"""Reading progress: batched reports merge, never go backwards, and complete a lesson."""

import json

import pytest
from django.urls import reverse

from courses.models import ReadingProgress
from courses.services import MAX_SECONDS_PER_REPORT, reading_progress_record

pytestmark = pytest.mark.django_db


def _url(lesson):
    return reverse("courses:lesson-progress", args=[lesson.course.slug, lesson.slug])


def test_beacon_form_report_records_passages_and_time(client, student, lesson):
    client.force_login(student)
    response = client.post(_url(lesson), {"seen": ["1", "2"], "seconds": "42"})
    assert response.status_code == 200
    progress = ReadingProgress.objects.get(user=student, lesson=lesson)
    assert progress.passages_seen == [1, 2]
    assert progress.seconds_spent == 42
    assert progress.completed_at is None


def test_reports_only_add_and_the_last_passage_completes(student, lesson):
    reading_progress_record(user=student, lesson=lesson, seen=[3], seconds=10)
    progress = reading_progress_record(user=student, lesson=lesson, seen=[1], seconds=5)
    assert progress.passages_seen == [1, 3]
    assert progress.furthest_passage == 3
    assert progress.seconds_spent == 15
    assert progress.completed_at is not None


def test_unknown_passages_and_huge_times_are_ignored(student, lesson):
    progress = reading_progress_record(
        user=student, lesson=lesson, seen=[99, -1, "x"], seconds=10**6
    )
    assert progress.passages_seen == []
    assert progress.seconds_spent == MAX_SECONDS_PER_REPORT


def test_json_report_is_accepted_and_bad_json_gets_400(client, student, lesson):
    client.force_login(student)
    ok = client.post(_url(lesson), json.dumps({"seen": [2]}), content_type="application/json")
    assert ok.json() == {"seen": [2], "complete": False}
    bad = client.post(_url(lesson), "{nope", content_type="application/json")
    assert bad.status_code == 400
    assert ReadingProgress.objects.get(user=student).passages_seen == [2]


def test_no_js_mark_as_read_form_completes_and_redirects(client, student, lesson):
    client.force_login(student)
    response = client.post(_url(lesson), {"upto": "3"})
    assert response.status_code == 302
    assert response["Location"].endswith("#p-3")
    assert ReadingProgress.objects.get(user=student).completed_at is not None
    course_page = client.get(lesson.course.get_absolute_url()).content.decode()
    assert "complete" in course_page


def test_outsider_cannot_record_progress(client, outsider, lesson):
    client.force_login(outsider)
    assert client.post(_url(lesson), {"seen": ["1"]}).status_code == 403
    assert not ReadingProgress.objects.exists()


def test_progress_requires_post(client, student, lesson):
    client.force_login(student)
    assert client.get(_url(lesson)).status_code == 405


@pytest.mark.parametrize("students", [3, 40])
def test_instructors_see_how_far_each_student_has_read(
    client, instructor, lesson, students, django_assert_max_num_queries
):
    from courses.models import Role
    from tests.factories import EnrollmentFactory, UserFactory

    for i in range(students):
        user = UserFactory(username=f"reader{i}")
        EnrollmentFactory(course=lesson.course, user=user, role=Role.STUDENT)
        if i % 2 == 0:
            reading_progress_record(user=user, lesson=lesson, seen=[1, 2, 3], seconds=120)
    client.force_login(instructor)
    url = reverse("courses:lesson-progress-report", args=[lesson.course.slug, lesson.slug])
    with django_assert_max_num_queries(8):
        page = client.get(url).content.decode()
    assert page.count("100%</progress>") == (students + 1) // 2
    assert "2 min" in page


def test_students_cannot_see_the_class_reading_report(client, student, lesson):
    client.force_login(student)
    url = reverse("courses:lesson-progress-report", args=[lesson.course.slug, lesson.slug])
    assert client.get(url).status_code == 403


@pytest.mark.parametrize("body", [
    '{"seen": [1], "seconds": Infinity}',
    '{"seen": [1], "seconds": NaN}',
    '{"seen": [1], "seconds": -Infinity}',
    '{"seen": [1], "seconds": 1e400}',
    '{"seen": [1], "seconds": 1e30}',
    '{"seen": [1], "seconds": true}',
    '{"seen": [1], "seconds": 2.5}',
    '{"seen": [1], "seconds": -3}',
    '{"seen": [1], "seconds": 9' + "9" * 5000 + '}',
    '{"seen": ' + "[" * 100_000 + "]" * 100_000 + "}",
    '{"seen": [[1]]}',
    '{"seen": [true]}',
    '{"seen": "1"}',
    '[1, 2]',
])
def test_a_bad_beacon_gets_a_400_with_a_message_and_stores_nothing(client, student, lesson, body):
    client.force_login(student)
    response = client.post(_url(lesson), body, content_type="application/json")
    assert response.status_code == 400
    assert response.json()["error"]
    assert not ReadingProgress.objects.exists()


@pytest.mark.parametrize("data", [{"seconds": "inf"}, {"seconds": "1e400"},
                                  {"seen": ["1", "²"]}, {"upto": "-1"}, {"upto": "x"}])
def test_a_bad_form_report_gets_a_400_and_stores_nothing(client, student, lesson, data):
    client.force_login(student)
    assert client.post(_url(lesson), data).status_code == 400
    assert not ReadingProgress.objects.exists()


def test_mark_as_read_is_bounded_by_the_passages_the_reading_has(client, student, lesson):
    # upto=2e7 once built a list of twenty million numbers (1.6 GB) before looking at them.
    client.force_login(student)
    response = client.post(_url(lesson), {"upto": "20000000"})
    assert response.status_code == 302
    assert response["Location"].endswith("#p-3")
    progress = ReadingProgress.objects.get(user=student)
    assert progress.passages_seen == [1, 2, 3] and progress.completed_at is not None


def test_mark_as_read_up_to_a_passage_marks_only_those(client, student, lesson):
    client.force_login(student)
    response = client.post(_url(lesson), {"upto": "2"})
    assert response["Location"].endswith("#p-2")
    assert ReadingProgress.objects.get(user=student).passages_seen == [1, 2]
