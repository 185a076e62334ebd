"""Quiz writes: create, update, delete, publish, reorder, and a deep duplicate."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from quizzes.authoring import copying, services
from quizzes.models import (
    Attempt,
    Choice,
    Question,
    Quiz,
    Rubric,
    RubricCriterion,
    RubricLevel,
)
from quizzes.taking import services as taking
from tests.factories import ChoiceFactory, QuestionFactory, QuizFactory

pytestmark = pytest.mark.django_db


def _single(quiz, position, prompt="Which?"):
    question = QuestionFactory(quiz=quiz, position=position, type="single",
                               config={"shuffle": False}, points=1, prompt=prompt)
    ChoiceFactory(question=question, text="Right", fraction=1, feedback="Yes")
    ChoiceFactory(question=question, text="Wrong", fraction=0)
    return question


def _open_with_rubric(quiz, position):
    question = QuestionFactory(quiz=quiz, position=position, type="open", points=3,
                               config={"min_words": 5})
    rubric = Rubric.objects.create(question=question, title="Argument")
    for c in range(1, 4):
        criterion = RubricCriterion.objects.create(rubric=rubric, position=c, name=f"C{c}")
        for lv in range(1, 4):
            RubricLevel.objects.create(criterion=criterion, position=lv, label=f"L{lv}",
                                       points=Decimal(lv - 1))
    return question


def test_quiz_create_is_unpublished_and_last_in_the_lesson(lesson):
    QuizFactory(lesson=lesson, position=4)
    quiz = services.quiz_create(lesson=lesson, kind="critical", title="Think",
                                pass_mark=50)
    assert quiz.position == 5 and not quiz.is_published
    assert Quiz.objects.get(pk=quiz.pk).kind == "critical"


def test_quiz_create_refuses_closing_before_opening_and_stores_nothing(lesson):
    now = timezone.now()
    with pytest.raises(ValidationError):
        services.quiz_create(lesson=lesson, kind="critical", title="Think", opens_at=now,
                             closes_at=now - timezone.timedelta(hours=1))
    assert not Quiz.objects.exists()


def test_quiz_update_changes_only_settings(lesson):
    quiz = QuizFactory(lesson=lesson, is_published=True)
    services.quiz_update(quiz=quiz, title="New title", attempts_allowed=3)
    quiz.refresh_from_db()
    assert (quiz.title, quiz.attempts_allowed, quiz.is_published) == ("New title", 3, True)


def test_quiz_update_refuses_a_pass_mark_over_100_and_changes_nothing(lesson):
    quiz = QuizFactory(lesson=lesson, pass_mark=60)
    with pytest.raises(ValidationError):
        services.quiz_update(quiz=quiz, pass_mark=120)
    quiz.refresh_from_db()
    assert quiz.pass_mark == 60


def test_quiz_update_of_a_quiz_deleted_meanwhile_is_refused(lesson):
    quiz = QuizFactory(lesson=lesson)
    Quiz.objects.filter(pk=quiz.pk).delete()
    with pytest.raises(ValidationError, match="deleted meanwhile"):
        services.quiz_update(quiz=quiz, title="Back?")
    assert not Quiz.objects.exists()


def test_quiz_delete_removes_questions_and_previews(lesson, instructor):
    quiz = QuizFactory(lesson=lesson)
    _single(quiz, 1)
    taking.attempt_start(quiz=quiz, user=instructor, now=timezone.now(), preview=True)
    services.quiz_delete(quiz=quiz)
    assert not Quiz.objects.exists() and not Question.objects.exists()
    assert not Attempt.objects.exists()


def test_quiz_delete_refuses_when_students_attempted_it(lesson, student):
    quiz = QuizFactory(lesson=lesson)
    _single(quiz, 1)
    taking.attempt_start(quiz=quiz, user=student, now=timezone.now())
    with pytest.raises(ValidationError, match="1 student attempt and their grades"):
        services.quiz_delete(quiz=quiz)
    assert Quiz.objects.filter(pk=quiz.pk).exists() and Attempt.objects.count() == 1


def test_publish_needs_a_question(lesson):
    quiz = QuizFactory(lesson=lesson, is_published=False)
    with pytest.raises(ValidationError, match="Add at least one question"):
        services.quiz_set_published(quiz=quiz, published=True)
    assert not Quiz.objects.get(pk=quiz.pk).is_published


def test_publish_lists_every_question_that_cannot_be_graded(lesson):
    quiz = QuizFactory(lesson=lesson, is_published=False)
    _single(quiz, 1)
    broken = QuestionFactory(quiz=quiz, position=2, type="single", config={})
    ChoiceFactory(question=broken, text="Only", fraction=0)
    QuestionFactory(quiz=quiz, position=3, type="truefalse", config={})
    with pytest.raises(ValidationError) as caught:
        services.quiz_set_published(quiz=quiz, published=True)
    assert caught.value.messages == [
        "Question 2: Give at least two choices.",
        "Question 3: Say whether the statement is true or false.",
    ]
    assert not Quiz.objects.get(pk=quiz.pk).is_published


def test_publish_and_unpublish_a_valid_quiz(lesson):
    quiz = QuizFactory(lesson=lesson, is_published=False)
    _single(quiz, 1)
    services.quiz_set_published(quiz=quiz, published=True)
    assert Quiz.objects.get(pk=quiz.pk).is_published
    services.quiz_set_published(quiz=quiz, published=False)
    assert not Quiz.objects.get(pk=quiz.pk).is_published


def test_question_move_swaps_neighbours_and_renumbers(lesson):
    quiz = QuizFactory(lesson=lesson)
    first, second, third = (_single(quiz, n * 10) for n in (1, 2, 3))  # gaps are closed
    order = services.question_move(question=third, direction="up")
    assert [q.pk for q in order] == [first.pk, third.pk, second.pk]
    assert list(quiz.questions.order_by("position").values_list("pk", "position")) == [
        (first.pk, 1), (third.pk, 2), (second.pk, 3)]
    assert third.position == 2


def test_question_move_at_an_end_changes_nothing(lesson):
    quiz = QuizFactory(lesson=lesson)
    first, second = _single(quiz, 1), _single(quiz, 2)
    services.question_move(question=first, direction="up")
    services.question_move(question=second, direction="down")
    assert list(quiz.questions.order_by("position").values_list("pk", flat=True)) == [
        first.pk, second.pk]


def test_question_move_refuses_an_unknown_direction(lesson):
    quiz = QuizFactory(lesson=lesson)
    question = _single(quiz, 1)
    with pytest.raises(ValidationError):
        services.question_move(question=question, direction="sideways")


def test_question_delete_closes_the_gap_and_refuses_answered_ones(lesson, student):
    quiz = QuizFactory(lesson=lesson)
    first, second, third = _single(quiz, 1), _single(quiz, 2), _single(quiz, 3)
    services.question_delete(question=second)
    assert list(quiz.questions.values_list("pk", "position")) == [(first.pk, 1),
                                                                   (third.pk, 2)]
    attempt = taking.attempt_start(quiz=quiz, user=student, now=timezone.now())
    taking.response_save(attempt=attempt, question_id=first.pk,
                         raw_answer=str(first.choices.first().pk), version=1,
                         now=timezone.now())
    with pytest.raises(ValidationError, match="1 student answer"):
        services.question_delete(question=first)
    assert quiz.questions.count() == 2


def test_duplicate_is_a_deep_unpublished_copy_sharing_no_rows(lesson, student):
    quiz = QuizFactory(lesson=lesson, is_published=True, attempts_allowed=3,
                       review_when="after_close", pass_mark=75)
    single = _single(quiz, 1)
    single.cites.set(lesson.reading.passages.filter(order__in=[1, 3]))
    _open_with_rubric(quiz, 2)
    taking.attempt_start(quiz=quiz, user=student, now=timezone.now())

    copy = copying.quiz_duplicate(quiz=quiz)

    assert copy.pk != quiz.pk and not copy.is_published and copy.title == f"Copy of {quiz.title}"
    assert (copy.attempts_allowed, copy.review_when, copy.pass_mark) == (3, "after_close", 75)
    assert copy.position == quiz.position + 1 and not copy.attempts.exists()
    originals = list(quiz.questions.order_by("position"))
    copies = list(copy.questions.order_by("position"))
    assert [(q.type, q.prompt, q.points, q.config) for q in copies] == [
        (q.type, q.prompt, q.points, q.config) for q in originals]
    assert not {q.pk for q in copies} & {q.pk for q in originals}
    assert list(copies[0].choices.values_list("text", "fraction", "feedback")) == list(
        originals[0].choices.values_list("text", "fraction", "feedback"))
    assert not set(Choice.objects.filter(question__quiz=copy).values_list("pk", flat=True)) \
        & set(Choice.objects.filter(question__quiz=quiz).values_list("pk", flat=True))
    assert sorted(copies[0].cites.values_list("order", flat=True)) == [1, 3]
    rubric = copies[1].rubric
    assert rubric.pk != originals[1].rubric.pk and rubric.title == "Argument"
    assert [(c.name, [(lv.label, lv.points) for lv in c.levels.order_by("position")])
            for c in rubric.criteria.order_by("position")] == [
        (f"C{c}", [(f"L{lv}", Decimal(lv - 1)) for lv in range(1, 4)]) for c in range(1, 4)]
    assert RubricLevel.objects.count() == 18 and RubricCriterion.objects.count() == 6
    # Changing the copy leaves the original alone.
    Choice.objects.filter(question=copies[0]).update(text="Changed")
    assert set(originals[0].choices.values_list("text", flat=True)) == {"Right", "Wrong"}


def test_duplicate_runs_the_same_queries_for_5_and_100_questions(lesson,
                                                                 django_assert_max_num_queries):
    for size in (5, 100):
        quiz = QuizFactory(lesson=lesson)
        for n in range(1, size + 1):
            (_open_with_rubric if n % 5 == 0 else _single)(quiz, n)
        with django_assert_max_num_queries(25):
            copying.quiz_duplicate(quiz=quiz)
