"""The instructor's pages run the same number of queries for 10 and for 1,000 students.

The class is built with bulk inserts (the services are exercised elsewhere), so the test
measures the pages, not the set-up."""

from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

from courses.models import Enrollment, ReadingProgress, Role
from quizzes.models import Attempt, Response
from tests.factories import ChoiceFactory, QuestionFactory, QuizFactory

pytestmark = pytest.mark.django_db

MAX_QUERIES = 12


def _bulk_class(lesson, size: int):
    quiz = QuizFactory(lesson=lesson, title="Scale quiz")
    single = QuestionFactory(quiz=quiz, position=1, type="single", config={}, points=1)
    single.cites.set([lesson.reading.passages.get(order=1)])
    right = ChoiceFactory(question=single, text="Right", fraction=1)
    essay = QuestionFactory(quiz=quiz, position=2, type="open", config={}, points=2)
    users = get_user_model().objects.bulk_create(
        get_user_model()(username=f"bulk{i}", last_name=f"{i:05d}") for i in range(size))
    Enrollment.objects.bulk_create(
        Enrollment(course=lesson.course, user=u, role=Role.STUDENT) for u in users)
    now = timezone.now()
    attempts = Attempt.objects.bulk_create(
        Attempt(quiz=quiz, user=u, number=1, status="needs_grading", started_at=now,
                submitted_at=now, score=Decimal(i % 2), max_score=Decimal(3),
                question_order=[single.pk, essay.pk])
        for i, u in enumerate(users))
    Response.objects.bulk_create(
        r for i, a in enumerate(attempts) for r in (
            Response(attempt=a, question=single, answer=str(right.pk), version=1,
                     score=Decimal(i % 2), state="correct", graded_at=now),
            Response(attempt=a, question=essay, answer="An essay.", version=1,
                     state="pending"),
        ))
    ReadingProgress.objects.bulk_create(
        ReadingProgress(user=u, lesson=lesson, passages_seen=[1, 2], furthest_passage=2)
        for u in users)
    return quiz


@pytest.mark.parametrize("size", [10, 1000])
def test_teaching_pages_query_count_is_flat(client, instructor, lesson, size,
                                            django_assert_max_num_queries):
    quiz = _bulk_class(lesson, size)
    course = lesson.course
    client.force_login(instructor)
    urls = [
        reverse("quizzes:gradebook", args=[course.slug]),
        reverse("quizzes:grading-queue", args=[course.slug]),
        reverse("quizzes:item-analysis", args=[quiz.pk]),
        reverse("quizzes:lesson-heatmap", args=[course.slug, lesson.slug]),
        reverse("courses:lesson-progress-report", args=[course.slug, lesson.slug]),
        reverse("quizzes:student-report", args=[course.slug, quiz.attempts.first().user_id]),
    ]
    for url in urls:
        with django_assert_max_num_queries(MAX_QUERIES):
            response = client.get(url)
        assert response.status_code == 200, url
    queue = client.get(urls[1]).content.decode()
    assert f"{size} answers waiting" in queue
