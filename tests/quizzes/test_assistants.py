"""Assistants' powers: they grade, comment and override with a reason (audited); releasing
grades and regrading after a key change are for instructors."""

from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from quizzes.models import Quiz, Response, Rubric, RubricCriterion, RubricLevel, ScoreChange
from quizzes.taking import services
from tests.factories import ChoiceFactory, QuestionFactory, QuizFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def graded(lesson, student):
    quiz = QuizFactory(lesson=lesson, title="Fox quiz")
    short = QuestionFactory(quiz=quiz, position=1, points=2)  # key ZQX-fox
    essay = QuestionFactory(quiz=quiz, position=2, type="open", config={}, points=4)
    criterion = RubricCriterion.objects.create(rubric=Rubric.objects.create(question=essay),
                                               position=1, name="Argument")
    for points in range(3):
        RubricLevel.objects.create(criterion=criterion, position=points, label=f"L{points}",
                                   points=points)
    now = timezone.now()
    attempt = services.attempt_start(quiz=quiz, user=student, now=now)
    services.response_save(attempt=attempt, question_id=short.pk, raw_answer="zqx-fox",
                           version=1, now=now)
    services.response_save(attempt=attempt, question_id=essay.pk, raw_answer="An essay.",
                           version=1, now=now)
    services.attempt_submit(attempt=attempt, now=now)
    return quiz, short, essay, attempt


def test_an_assistant_grades_and_comments_an_open_answer(client, assistant, graded):
    quiz, _, essay, attempt = graded
    response = Response.objects.get(attempt=attempt, question=essay)
    client.force_login(assistant)
    url = reverse("quizzes:response-grade", args=[response.pk])
    assert client.get(url).status_code == 200
    level = RubricLevel.objects.get(points=2)
    client.post(url, {f"criterion-{level.criterion_id}": level.pk, "comment": "Clear argument."})
    response.refresh_from_db()
    assert response.graded_by == assistant and response.comment == "Clear argument."
    assert ScoreChange.objects.get().changed_by == assistant


def test_an_assistant_overrides_only_with_a_reason_and_it_is_logged(client, assistant,
                                                                   graded):
    _, short, _, attempt = graded
    response = Response.objects.get(attempt=attempt, question=short)
    client.force_login(assistant)
    url = reverse("quizzes:response-override", args=[response.pk])
    client.post(url, {"score": "1", "reason": "  "})
    assert not ScoreChange.objects.exists()
    client.post(url, {"score": "1", "reason": "Misspelt but understood."})
    change = ScoreChange.objects.get()
    assert (change.kind, change.changed_by, change.reason) == (
        "override", assistant, "Misspelt but understood.")
    assert Response.objects.get(pk=response.pk).score == Decimal("1")


def test_an_assistant_cannot_release_grades(client, assistant, instructor, graded):
    quiz = graded[0]
    client.force_login(assistant)
    page = client.get(reverse("quizzes:grading-queue", args=[quiz.lesson.course.slug]))
    assert "Release grades for" not in page.content.decode()
    assert client.post(reverse("quizzes:quiz-release", args=[quiz.pk])).status_code == 403
    assert Quiz.objects.get(pk=quiz.pk).grades_released_at is None
    client.force_login(instructor)
    assert client.post(reverse("quizzes:quiz-release", args=[quiz.pk])).status_code == 302
    assert Quiz.objects.get(pk=quiz.pk).grades_released_at is not None


def test_an_assistant_cannot_regrade_after_a_key_change(client, assistant, instructor,
                                                       graded):
    quiz, short, _, attempt = graded
    short.config = {"answers": [{"text": "vixen", "fraction": 1.0}]}
    short.save()
    url = reverse("quizzes:question-regrade", args=[short.pk])
    client.force_login(assistant)
    analysis = client.get(reverse("quizzes:item-analysis", args=[quiz.pk])).content.decode()
    assert url not in analysis
    assert client.post(url).status_code == 403
    assert Response.objects.get(attempt=attempt, question=short).score == Decimal("2")
    client.force_login(instructor)
    assert url in client.get(reverse("quizzes:item-analysis", args=[quiz.pk])).content.decode()
    client.post(url)
    assert Response.objects.get(attempt=attempt, question=short).score == Decimal("0")


def test_choices_are_untouched_by_an_assistants_refused_regrade(client, assistant, lesson):
    quiz = QuizFactory(lesson=lesson)
    single = QuestionFactory(quiz=quiz, type="single", config={})
    ChoiceFactory(question=single, text="A", fraction=1)
    client.force_login(assistant)
    assert client.post(reverse("quizzes:question-regrade", args=[single.pk])).status_code == 403
    assert not ScoreChange.objects.exists()
