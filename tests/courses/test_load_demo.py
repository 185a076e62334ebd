"""load_demo: the demo users, course, seed lesson and quizzes; a second run adds nothing."""

from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from courses.models import Annotation, Course, Enrollment, Lesson, Passage, Reading
from quizzes.models import Question, Quiz

pytestmark = pytest.mark.django_db

SEED = Path(__file__).resolve().parents[2] / "fixtures" / "seed" / "article.txt"
ARTEFACTS = {"[ad_1]", "[ad_2]", "Source link"}


def _counts():
    models = [get_user_model(), Course, Enrollment, Reading, Passage, Annotation, Lesson, Quiz,
              Question]
    return {m.__name__: m.objects.count() for m in models}


def test_load_demo_twice_duplicates_nothing(capsys):
    call_command("load_demo")
    first = _counts()
    call_command("load_demo")
    assert _counts() == first
    assert first["User"] == 4 and first["Course"] == 1 and first["Lesson"] == 1
    out = capsys.readouterr().out
    for name in ("admin", "instructor", "student", "student2"):
        assert name in out


def test_demo_users_log_in_with_the_printed_passwords(client):
    call_command("load_demo")
    response = client.post("/accounts/login/",
                           {"username": "student", "password": "lectio-student"})
    assert response.status_code == 302 and "_auth_user_id" in client.session
    admin = get_user_model().objects.get(username="admin")
    assert admin.is_superuser and admin.is_staff
    roles = dict(Enrollment.objects.values_list("user__username", "role"))
    assert roles == {"instructor": "instructor", "student": "student", "student2": "student"}


def test_seed_passages_are_the_article_body_word_for_word():
    call_command("load_demo")
    lines = [line.strip() for line in SEED.read_text(encoding="utf-8").splitlines()]
    lines = [line for line in lines if line and line not in ARTEFACTS]
    section, dek, *body = lines
    body, bios = body[:-2], body[-2:]
    reading = Reading.objects.get()
    assert [p.text for p in reading.passages.order_by("order")] == body
    assert reading.section == section == "Flashpoints | Diplomacy"
    assert reading.dek == dek
    assert reading.author_notes == bios
    assert reading.authors == ["Natasha Kuhrt", "Marcin Kaczmarski"]
    assert reading.source == "The Diplomat"
    texts = " ".join(reading.passages.values_list("text", flat=True))
    assert not any(artefact in texts for artefact in ARTEFACTS)


def test_seed_annotations_sit_on_their_exact_spans():
    call_command("load_demo")
    notes = Annotation.objects.select_related("passage")
    assert notes.count() >= 15
    assert set(notes.values_list("kind", flat=True)) == {
        "glossary", "context", "commentary", "prompt"}
    for note in notes:
        assert note.passage.text[note.start:note.end] == note.quote


def test_seed_quizzes_are_attached_to_the_seed_lesson():
    call_command("load_demo")
    lesson = Lesson.objects.get()
    kinds = dict(lesson.quizzes.values_list("kind", "title"))
    assert set(kinds) == {"comprehension", "critical"}
    comprehension = lesson.quizzes.get(kind="comprehension")
    types = set(comprehension.questions.values_list("type", flat=True))
    assert len(comprehension.questions.all()) >= 10 and len(types) >= 6
    assert {"evidence", "twopart"} <= types


def test_the_demo_quiz_keeps_its_key_until_the_last_attempt(client):
    from django.urls import reverse

    call_command("load_demo")
    quiz = Quiz.objects.get(kind="comprehension")
    assert quiz.attempts_allowed == 3 and quiz.review_when == "after_last_attempt"
    client.force_login(get_user_model().objects.get(username="student"))
    client.post(reverse("quizzes:quiz-detail", args=[quiz.pk]))
    attempt = quiz.attempts.get()
    client.post(reverse("quizzes:attempt-submit", args=[attempt.pk]))
    result = client.get(reverse("quizzes:attempt-result", args=[attempt.pk])).content.decode()
    assert "Right answer" not in result and "after your last attempt" in result
    assert "Score:" in result
    attempt.refresh_from_db()
    assert attempt.key_shown_at is None


def test_load_demo_moves_an_earlier_demo_quiz_to_the_new_review_policy(capsys):
    call_command("load_demo")
    Quiz.objects.update(review_when="after_submission")
    Quiz.objects.filter(kind="critical").update(review_when="never")  # a deliberate choice
    call_command("load_demo")
    assert dict(Quiz.objects.values_list("kind", "review_when")) == {
        "comprehension": "after_last_attempt", "critical": "never"}
    assert "review: Score after each attempt; the rest after the last" in capsys.readouterr().out


def _age_the_demo(kind: str) -> Question:
    """Make the `kind` demo quiz look like one an earlier seed loaded."""
    question = Question.objects.get(quiz__kind=kind, position=5)
    Question.objects.filter(pk=question.pk).update(prompt="An earlier seed's question.")
    return question


def test_load_demo_brings_an_unattempted_earlier_demo_quiz_up_to_date(capsys):
    call_command("load_demo")
    before = _counts()
    _age_the_demo("comprehension")
    call_command("load_demo")
    assert "updated to the current seed" in capsys.readouterr().out
    assert _counts() == before
    assert Question.objects.get(quiz__kind="comprehension", position=5).prompt.startswith(
        "Why do the authors begin, in passage 2")
    call_command("load_demo")  # and a further run changes nothing
    assert "already up to date" in capsys.readouterr().out
    assert _counts() == before


def test_load_demo_keeps_the_questions_of_a_quiz_students_attempted(client, capsys):
    from django.urls import reverse

    call_command("load_demo")
    quiz = Quiz.objects.get(kind="comprehension")
    client.force_login(get_user_model().objects.get(username="student"))
    client.post(reverse("quizzes:quiz-detail", args=[quiz.pk]))
    assert quiz.attempts.count() == 1
    aged = _age_the_demo("comprehension")
    call_command("load_demo")
    assert "kept as it is: students have attempted it" in capsys.readouterr().out
    aged.refresh_from_db()
    assert aged.prompt == "An earlier seed's question."
    assert quiz.attempts.count() == 1
