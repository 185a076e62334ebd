"""Timed quizzes: the quiz page states the student's own limit; the attempt page carries
the time bar the browser counts down in."""

from decimal import Decimal

import pytest
from django.urls import reverse

from courses.models import Enrollment

pytestmark = pytest.mark.django_db


def test_the_quiz_page_states_the_time_limit_with_extra_time(client, student, quiz):
    Enrollment.objects.filter(user=student).update(time_multiplier=Decimal("1.5"))
    client.force_login(student)
    html = client.get(reverse("quizzes:quiz-detail", args=[quiz.pk])).content.decode()
    assert "Your time limit" in html
    assert "45 minutes (with your extra time; the quiz's limit is 30 minutes)" in html


def test_without_extra_time_the_quiz_page_states_the_quizs_own_limit(client, student, quiz):
    client.force_login(student)
    html = client.get(reverse("quizzes:quiz-detail", args=[quiz.pk])).content.decode()
    assert "<dt>Time limit</dt><dd>30 minutes</dd>" in html


def test_the_attempt_page_has_a_time_bar_with_a_polite_warning_region(client, student, quiz):
    client.force_login(student)
    client.post(reverse("quizzes:quiz-detail", args=[quiz.pk]))
    attempt = quiz.attempts.get()
    html = client.get(attempt.get_absolute_url()).content.decode()
    assert 'id="attempt-bar"' in html and 'id="countdown"' in html
    assert '<p class="time-warning mb-0" id="time-warning" aria-live="polite">' in html
    assert reverse("quizzes:attempt-submit", args=[attempt.pk]) in html


def test_questions_offer_the_passages_their_text_names_never_the_cited_key(
        client, student, lesson):
    from tests.factories import QuestionFactory, QuizFactory

    quiz = QuizFactory(lesson=lesson)
    QuestionFactory(quiz=quiz, prompt="What does passage 2 say, beside passages 1 and 3?")
    evidence = QuestionFactory(quiz=quiz, type="evidence", prompt="Which support it?",
                               config={"claim": "The fox runs.", "key": [3]})
    evidence.cites.set(lesson.reading.passages.filter(order=3))
    client.force_login(student)
    client.post(reverse("quizzes:quiz-detail", args=[quiz.pk]))
    html = client.get(quiz.attempts.get().get_absolute_url()).content.decode()
    for number in (1, 2, 3):
        assert f"<summary>Show passage {number}</summary>" in html
    assert html.count("<summary>Show passage 3</summary>") == 1  # not for the evidence key
    assert 'id="rp-1"' in html and "The reading: The Fox" in html
