"""The question bank: deep copies from the quizzes of every course the instructor teaches,
cited passages only from the same reading, nothing from a course they do not teach."""

from __future__ import annotations

import pytest
from django.urls import reverse

from courses.models import Role
from quizzes.models import Choice, Question, Rubric, RubricCriterion, RubricLevel
from tests.factories import (
    ChoiceFactory,
    EnrollmentFactory,
    LessonFactory,
    PassageFactory,
    QuestionFactory,
    QuizFactory,
    ReadingFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def target(lesson):
    return QuizFactory(lesson=lesson, title="Target")


@pytest.fixture
def same_reading_quiz(lesson):
    quiz = QuizFactory(lesson=LessonFactory(course=lesson.course, reading=lesson.reading,
                                            slug="again"), title="Same reading")
    question = QuestionFactory(quiz=quiz, position=1, type="single", config={}, points=1,
                               title="Cited one")
    ChoiceFactory(question=question, text="Right", fraction=1)
    ChoiceFactory(question=question, text="Wrong", fraction=0)
    question.cites.set(lesson.reading.passages.filter(order=2))
    essay = QuestionFactory(quiz=quiz, position=2, type="open", config={}, points=3,
                            title="Essay")
    rubric = Rubric.objects.create(question=essay, title="R")
    criterion = RubricCriterion.objects.create(rubric=rubric, position=1, name="Claim")
    RubricLevel.objects.create(criterion=criterion, position=1, label="Weak", points=0)
    RubricLevel.objects.create(criterion=criterion, position=2, label="Strong", points=3)
    return quiz


@pytest.fixture
def other_course_quiz(other_course, instructor):
    """A quiz on another reading, in another course the instructor also teaches."""
    EnrollmentFactory(course=other_course, user=instructor, role=Role.INSTRUCTOR)
    reading = ReadingFactory(title="Other text")
    passage = PassageFactory(reading=reading, order=1, text="Elsewhere.")
    quiz = QuizFactory(lesson=LessonFactory(course=other_course, reading=reading),
                       title="Elsewhere")
    short = QuestionFactory(quiz=quiz, position=1, title="Short one")
    short.cites.set([passage])
    QuestionFactory(quiz=quiz, position=2, type="evidence", title="Evidence one",
                    config={"key": [1]})
    return quiz


def _copy(client, target, questions):
    return client.post(reverse("quizzes:question-copy", args=[target.pk]),
                       {"question": [q.pk for q in questions]}, follow=True)


def test_the_bank_lists_every_quiz_the_instructor_teaches_with_checkboxes(
        client, instructor, target, same_reading_quiz, other_course_quiz):
    client.force_login(instructor)
    page = client.get(reverse("quizzes:question-copy", args=[target.pk])).content.decode()
    for quiz in (same_reading_quiz, other_course_quiz):
        assert quiz.title in page
        for question in quiz.questions.all():
            assert f'type="checkbox" name="question" value="{question.pk}"' in page
    assert "Target" not in page.split("<h1>")[1].split("</h1>")[1]


def test_copy_from_the_same_reading_is_deep_and_keeps_cites(client, instructor, target,
                                                            same_reading_quiz):
    client.force_login(instructor)
    sources = list(same_reading_quiz.questions.order_by("position"))
    response = _copy(client, target, sources)
    assert b"Copied 2 questions" in response.content
    copies = list(target.questions.order_by("position"))
    assert [(q.title, q.position) for q in copies] == [("Cited one", 1), ("Essay", 2)]
    assert not {q.pk for q in copies} & {q.pk for q in sources}
    assert list(copies[0].cites.values_list("order", flat=True)) == [2]
    assert sorted(copies[0].choices.values_list("text", flat=True)) == ["Right", "Wrong"]
    assert Choice.objects.count() == 4
    levels = copies[1].rubric.criteria.get().levels.order_by("position")
    assert [(lv.label, lv.points) for lv in levels] == [("Weak", 0), ("Strong", 3)]
    assert RubricLevel.objects.count() == 4
    assert same_reading_quiz.questions.count() == 2  # the originals stay


def test_copy_from_another_reading_drops_cites_and_skips_evidence(
        client, instructor, target, other_course_quiz):
    client.force_login(instructor)
    response = _copy(client, target, other_course_quiz.questions.all())
    content = response.content.decode()
    assert "Copied 1 question to" in content
    assert "cited passages of another reading; those citations were left out" in content
    assert "“Evidence one” (from Elsewhere) picks passages of another reading" in content
    copy = target.questions.get()
    assert copy.title == "Short one" and not copy.cites.exists()


def test_questions_of_a_course_the_instructor_does_not_teach_are_not_copied(
        client, instructor, target, other_course):
    foreign = QuestionFactory(quiz=QuizFactory(lesson=LessonFactory(course=other_course)))
    client.force_login(instructor)
    response = _copy(client, target, [foreign])
    assert response.status_code == 400
    assert b"Choose at least one question to copy." in response.content
    assert not target.questions.exists()
    assert Question.objects.count() == 1


def test_an_assistant_cannot_copy(client, assistant, target, same_reading_quiz):
    client.force_login(assistant)
    assert _copy(client, target, same_reading_quiz.questions.all()).status_code == 403
    assert not target.questions.exists()
