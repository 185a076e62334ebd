"""A lesson's opening time ("available from"): before it, students see the lesson listed
with its date but cannot open it, its progress endpoint or its quizzes; teaching staff can."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from courses import access
from tests.factories import QuestionFactory, QuizFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def scheduled(lesson):
    lesson.available_from = timezone.now() + timedelta(days=3)
    lesson.save()
    return lesson


def test_students_see_a_scheduled_lesson_listed_with_its_date_but_no_link(client, scheduled,
                                                                         student, instructor):
    client.force_login(student)
    page = client.get(scheduled.course.get_absolute_url()).content.decode()
    assert "The Fox" in page and "Opens " in page
    assert f'href="{scheduled.get_absolute_url()}"' not in page
    client.force_login(instructor)
    page = client.get(scheduled.course.get_absolute_url()).content.decode()
    assert f'href="{scheduled.get_absolute_url()}"' in page
    assert "students cannot open it before then" in page


def test_a_student_opening_it_early_is_told_when_it_opens(client, scheduled, student):
    client.force_login(student)
    response = client.get(scheduled.get_absolute_url())
    assert response.status_code == 403
    page = response.content.decode()
    assert "This lesson is not open yet" in page
    assert timezone.localtime(scheduled.available_from).strftime("%H:%M") in page
    assert "Passage 1: the fox runs." not in page


def test_teaching_staff_read_it_before_it_opens(client, scheduled, instructor, assistant):
    for user in (instructor, assistant):
        client.force_login(user)
        assert client.get(scheduled.get_absolute_url()).status_code == 200


def test_once_the_time_has_come_students_read_it(client, scheduled, student):
    scheduled.available_from = timezone.now() - timedelta(minutes=1)
    scheduled.save()
    client.force_login(student)
    response = client.get(scheduled.get_absolute_url())
    assert response.status_code == 200
    assert "Passage 1: the fox runs." in response.content.decode()


def test_progress_and_quizzes_stay_closed_until_then(client, scheduled, student):
    quiz = QuizFactory(lesson=scheduled)
    QuestionFactory(quiz=quiz)
    client.force_login(student)
    url = reverse("courses:lesson-progress", args=[scheduled.course.slug, scheduled.slug])
    assert client.post(url, {"upto": "3"}).status_code == 404
    assert client.get(quiz.get_absolute_url()).status_code == 404
    assert scheduled.title not in client.get(reverse("quizzes:dashboard")).content.decode()


def test_the_rule_in_one_place():
    now = timezone.now()

    class Lesson:
        is_published, available_from = True, now + timedelta(seconds=1)

    assert not access.lesson_is_open(Lesson, access.STUDENT, now)
    assert access.lesson_is_open(Lesson, access.STUDENT, now + timedelta(seconds=1))
    assert access.lesson_is_open(Lesson, access.ASSISTANT, now)
    Lesson.is_published, Lesson.available_from = False, None
    assert not access.lesson_is_open(Lesson, access.STUDENT, now)
    assert access.lesson_is_open(Lesson, access.INSTRUCTOR, now)
