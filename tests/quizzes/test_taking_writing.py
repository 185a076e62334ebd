"""No lost writing: a refused answer comes back as the student wrote it, with the reason;
word counts and the under-minimum warning are on the page without JavaScript."""

import pytest
from django.urls import reverse

from quizzes.models import Attempt, Response
from tests.factories import QuestionFactory, QuizFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def essay_quiz(lesson):
    quiz = QuizFactory(lesson=lesson)
    QuestionFactory(quiz=quiz, position=1, type="open", points=5,
                    config={"min_words": 5, "max_words": 10})
    QuestionFactory(quiz=quiz, position=2)
    return quiz


def _start(client, quiz) -> Attempt:
    client.post(reverse("quizzes:quiz-detail", args=[quiz.pk]))
    return Attempt.objects.latest("pk")


def _post(client, attempt, essay, short="ZQX-fox", next_="submit"):
    essay_q, short_q = attempt.quiz.questions.order_by("position")
    return client.post(attempt.get_absolute_url(), {
        f"q-{essay_q.pk}": essay, f"q-{short_q.pk}": short, "next": next_})


@pytest.mark.parametrize("next_", ["submit", "save"])
def test_an_essay_over_its_word_limit_comes_back_whole_with_the_reason(
        client, student, essay_quiz, next_):
    client.force_login(student)
    attempt = _start(client, essay_quiz)
    essay = " ".join(f"word{i}" for i in range(14))
    page = _post(client, attempt, essay, next_=next_)
    assert page.status_code == 400  # not a redirect: that would show the stored answer
    html = page.content.decode()
    assert essay in html
    assert "Keep your answer to 10 words (it has 14)" in html
    assert 'aria-invalid="true"' in html
    assert "14 words: over the limit of 10" in html
    essay_q, short_q = essay_quiz.questions.order_by("position")
    # The refused answer is not stored; the accepted one beside it is.
    assert Response.objects.get(attempt=attempt, question=essay_q).answer is None
    assert Response.objects.get(attempt=attempt, question=short_q).answer == "ZQX-fox"
    attempt.refresh_from_db()
    assert attempt.status == "in_progress"


def test_a_valid_post_still_redirects_to_the_submit_page(client, student, essay_quiz):
    client.force_login(student)
    attempt = _start(client, essay_quiz)
    response = _post(client, attempt, "one two three four five six")
    assert response.status_code == 302
    assert response.url == reverse("quizzes:attempt-submit", args=[attempt.pk])


def test_an_answer_under_the_minimum_is_warned_about_but_can_be_submitted(
        client, student, essay_quiz):
    client.force_login(student)
    attempt = _start(client, essay_quiz)
    assert _post(client, attempt, "two words").status_code == 302
    take = client.get(attempt.get_absolute_url()).content.decode()
    assert "2 words: under the minimum of 5" in take
    submit = client.get(reverse("quizzes:attempt-submit", args=[attempt.pk])).content.decode()
    assert "1 answer under the minimum length" in submit
    assert "2 words, at least 5 asked for" in submit
    client.post(reverse("quizzes:attempt-submit", args=[attempt.pk]))
    attempt.refresh_from_db()
    assert attempt.status == "needs_grading"


def test_every_question_is_a_fieldset_named_by_its_legend_first(client, student, essay_quiz):
    client.force_login(student)
    attempt = _start(client, essay_quiz)
    html = client.get(attempt.get_absolute_url()).content.decode()
    for question in essay_quiz.questions.all():
        start = html.index(f'id="question-{question.pk}"')
        after_tag = html.index(">", start) + 1
        assert html[after_tag:].lstrip().startswith('<legend')
