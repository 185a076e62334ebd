"""quizzes/autosave.py: the autosave's SQL loads the same rows the ORM would.

Every id differs from every other here (extra rows are made first), so a value loaded into
the wrong field cannot pass by coincidence.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import transaction
from django.utils import timezone

from courses.models import Role
from quizzes import autosave, services
from quizzes.models import Response
from tests.factories import (
    ChoiceFactory,
    CourseFactory,
    EnrollmentFactory,
    LessonFactory,
    QuestionFactory,
    QuizFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def started(course, student, lesson):
    for n in range(3):  # push every sequence apart
        UserFactory(username=f"filler{n}")
        CourseFactory()
    LessonFactory(course=course, slug="another")
    QuizFactory(lesson=lesson)
    quiz = QuizFactory(lesson=lesson, grace_seconds=45, time_limit_minutes=20)
    QuestionFactory(quiz=quiz, position=1)
    single = QuestionFactory(quiz=quiz, position=2, type="single", config={}, points=3)
    ChoiceFactory(question=single, text="Second", position=2, fraction=0, feedback="no")
    ChoiceFactory(question=single, text="First", position=1, fraction=1, feedback="yes")
    attempt = services.attempt_start(quiz=quiz, user=student, now=timezone.now())
    return attempt, single


def test_locked_answer_loads_the_response_and_everything_the_save_checks(started, student,
                                                                        course):
    attempt, single = started
    with transaction.atomic():
        response = autosave.locked_answer(attempt.pk, single.pk, student)
    orm = Response.objects.select_related("attempt__quiz__lesson__course", "question").get(
        attempt=attempt, question=single)
    assert response.pk == orm.pk
    assert (response.answer, response.version, response.saved_at) == (
        orm.answer, orm.version, orm.saved_at)
    loaded, expected = response.attempt, orm.attempt
    assert (loaded.pk, loaded.user_id, loaded.quiz_id, loaded.status, loaded.deadline) == (
        expected.pk, expected.user_id, expected.quiz_id, expected.status, expected.deadline)
    assert loaded.user_id == student.pk
    assert (loaded.quiz.pk, loaded.quiz.lesson_id, loaded.quiz.grace_seconds) == (
        expected.quiz.pk, expected.quiz.lesson_id, 45)
    assert loaded.quiz.lesson.course_id == course.pk
    assert (loaded.quiz.lesson.course.slug, loaded.quiz.lesson.course.is_published) == (
        course.slug, course.is_published)
    question = response.question
    assert (question.pk, question.type, question.points, question.config) == (
        single.pk, "single", Decimal("3.00"), {})
    assert response.member_role == Role.STUDENT


def test_locked_answer_gives_the_callers_own_role_or_none(started, course):
    attempt, single = started
    stranger = UserFactory(username="stranger")
    assistant = UserFactory(username="helper")
    EnrollmentFactory(course=course, user=assistant, role=Role.ASSISTANT)
    with transaction.atomic():
        assert autosave.locked_answer(attempt.pk, single.pk, stranger).member_role is None
        assert autosave.locked_answer(attempt.pk, single.pk, assistant).member_role == (
            Role.ASSISTANT)
        assert autosave.locked_answer(attempt.pk, single.pk, None).member_role is None
        assert autosave.locked_answer(attempt.pk, single.pk + 1000, None) is None


def test_choices_come_in_their_order_with_every_field(started):
    _, single = started
    choices = autosave.choices_of(single)
    assert [(c.text, c.position, c.fraction, c.feedback, c.question_id) for c in choices] == [
        ("First", 1, Decimal("1.000"), "yes", single.pk),
        ("Second", 2, Decimal("0.000"), "no", single.pk),
    ]
    assert [c.pk for c in choices] == [c.pk for c in single.choices.all()]


def test_store_answer_writes_what_the_orm_reads_back(started, student):
    attempt, single = started
    now = timezone.now()
    with transaction.atomic():
        response = autosave.locked_answer(attempt.pk, single.pk, student)
        autosave.store_answer(response, answer={"picked": ["7"], "note": "é ✓"}, version=4,
                              saved_at=now)
    stored = Response.objects.get(pk=response.pk)
    assert (stored.answer, stored.version, stored.saved_at) == (
        {"picked": ["7"], "note": "é ✓"}, 4, now)
    assert (response.version, response.saved_at) == (4, now)
