"""Model and anchor answers: on the grading screen for staff; for students only at review,
and only when the quiz's review policy shows answers."""

import pytest
from django.urls import reverse
from django.utils import timezone

from quizzes.models import Question, Quiz, Response
from quizzes.taking import services
from tests.factories import QuestionFactory, QuizFactory

pytestmark = pytest.mark.django_db

GUIDE = {"model_answer": "ZQX-MODEL-ANSWER", "anchors": [
    {"label": "Developing, 2 of 4", "answer": "ZQX-ANCHOR-ANSWER", "why": "ZQX-ANCHOR-WHY"}]}


@pytest.fixture
def essay(lesson) -> Question:
    quiz = QuizFactory(lesson=lesson, title="Essay quiz", review_when="after_submission")
    return QuestionFactory(quiz=quiz, position=1, type="open", config=GUIDE, points=4,
                           prompt="Explain.")


def _submit(question, user) -> Response:
    now = timezone.now()
    attempt = services.attempt_start(quiz=question.quiz, user=user, now=now)
    services.response_save(attempt=attempt, question_id=question.pk,
                           raw_answer="An essay.", version=1, now=now)
    services.attempt_submit(attempt=attempt, now=now)
    return Response.objects.get(attempt=attempt, question=question)


def test_graders_see_the_model_and_anchor_answers(client, essay, student, instructor):
    response = _submit(essay, student)
    client.force_login(instructor)
    page = client.get(reverse("quizzes:response-grade", args=[response.pk])).content.decode()
    assert "Model and anchor answers" in page
    for text in ("ZQX-MODEL-ANSWER", "Anchor answer: Developing, 2 of 4", "ZQX-ANCHOR-ANSWER",
                 "ZQX-ANCHOR-WHY"):
        assert text in page


def test_students_never_see_them_while_answering(client, essay, student):
    client.force_login(student)
    attempt = services.attempt_start(quiz=essay.quiz, user=student, now=timezone.now())
    page = client.get(attempt.get_absolute_url()).content.decode()
    assert "ZQX-MODEL" not in page and "ZQX-ANCHOR" not in page


@pytest.mark.parametrize(("answers", "shown"), [(True, True), (False, False)])
def test_students_see_them_at_review_only_when_the_policy_shows_answers(
        client, essay, student, answers, shown):
    Quiz.objects.filter(pk=essay.quiz_id).update(review_answers=answers)
    response = _submit(essay, student)
    client.force_login(student)
    page = client.get(reverse("quizzes:attempt-result", args=[response.attempt_id])
                      ).content.decode()
    assert ("ZQX-MODEL-ANSWER" in page) is shown
    assert ("ZQX-ANCHOR-ANSWER" in page) is shown

