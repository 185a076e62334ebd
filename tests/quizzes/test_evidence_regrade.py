"""Regrading keeps working with the fair evidence credit: an answer stored under the old
rule is scored again by the new one."""

from decimal import Decimal

import pytest
from django.utils import timezone

from quizzes.models import Response
from quizzes.taking import services
from quizzes.teaching import services as teaching
from tests.factories import QuestionFactory, QuizFactory

pytestmark = pytest.mark.django_db


def test_regrading_an_evidence_answer_stored_under_the_old_rule_gives_the_fair_credit(
        lesson, student, instructor):
    """A response scored 0 under the old rule (right passage plus one other, one-passage
    key) earns half when the question is regraded, once, and the attempt total follows."""
    quiz = QuizFactory(lesson=lesson, title="Evidence quiz")
    question = QuestionFactory(quiz=quiz, position=1, type="evidence", points=2, prompt="Pick.",
                               config={"claim": "The fox runs.", "key": [1], "max_picks": 3})
    now = timezone.now()
    attempt = services.attempt_start(quiz=quiz, user=student, now=now)
    services.response_save(attempt=attempt, question_id=question.pk, raw_answer=[1, 2],
                           version=1, now=now)
    services.attempt_submit(attempt=attempt, now=now)
    Response.objects.filter(question=question).update(score=Decimal("0"), state="incorrect")
    assert teaching.question_regrade(question=question, user=instructor, now=now) == 1
    response = Response.objects.get(question=question)
    assert (response.score, response.state) == (Decimal("1"), "partial")
    attempt.refresh_from_db()
    assert attempt.score == Decimal("1")
    assert teaching.question_regrade(question=question, user=instructor, now=now) == 0
