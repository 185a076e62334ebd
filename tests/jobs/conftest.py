"""A question three students answered, for the background job tests."""

from __future__ import annotations

import pytest
from django.utils import timezone

from quizzes.taking import services as taking
from tests.factories import ChoiceFactory, QuestionFactory, QuizFactory, UserFactory


@pytest.fixture
def answered(lesson, course):
    """A single-choice question answered "B" by three students, B being wrong for now."""
    return answered_by(lesson, course, 3)


def answered_by(lesson, course, students: int):
    """A single-choice question answered "B" by `students` students, B wrong for now."""
    from courses.models import Enrollment

    quiz = QuizFactory(lesson=lesson)
    question = QuestionFactory(quiz=quiz, type="single", config={})
    right = ChoiceFactory(question=question, text="A", fraction=1, position=1)
    other = ChoiceFactory(question=question, text="B", fraction=0, position=2)
    now = timezone.now()
    for n in range(students):
        student = UserFactory(username=f"s{n}")
        Enrollment.objects.create(course=course, user=student)
        attempt = taking.attempt_start(quiz=quiz, user=student, now=now)
        taking.response_save(attempt=attempt, question_id=question.pk, raw_answer=str(other.pk),
                             version=1, now=now)
        taking.attempt_submit(attempt=attempt, now=now)
    return question, right, other


def change_key(right, other):
    right.fraction, other.fraction = 0, 1
    right.save()
    other.save()
