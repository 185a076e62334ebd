"""Writes for authoring quizzes: create, change, delete, publish, reorder questions.

Question positions follow the lesson services' rule (courses/services_lessons.py): every
write that gives or takes a position locks the quiz row first, then renumbers the quiz's
questions 1..n, so concurrent moves and adds cannot leave ties or gaps.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max

from courses.models import Lesson
from courses.ordering import DOWN, UP, move_one, renumber

from ..models import Attempt, Question, Quiz
from . import selectors

# The settings the quiz form edits; the rest (lesson, position, published, grade release)
# change through their own actions.
QUIZ_SETTINGS = (
    "kind", "title", "instructions", "opens_at", "closes_at", "time_limit_minutes",
    "grace_seconds", "attempts_allowed", "grading_method", "shuffle_questions",
    "shuffle_choices", "review_when", "review_score", "review_correctness", "review_answers",
    "review_explanations", "pass_mark",
)


def lock_quiz(quiz: Quiz) -> None:
    """Hold the quiz row until the transaction ends: writers of its questions queue."""
    list(Quiz.objects.select_for_update(no_key=True).filter(pk=quiz.pk)
         .values_list("pk", flat=True))


def _questions_in_order(quiz: Quiz) -> list[Question]:
    return list(Question.objects.filter(quiz=quiz).order_by("position", "pk")
                .only("pk", "position"))


def _renumber(questions: list[Question]) -> None:
    renumber(questions, Question)


def _apply(quiz: Quiz, settings: dict[str, Any]) -> None:
    unknown = set(settings) - set(QUIZ_SETTINGS)
    if unknown:
        raise TypeError(f"not quiz settings: {sorted(unknown)}")
    for name, value in settings.items():
        setattr(quiz, name, value)
    quiz.full_clean(exclude=["lesson"])


@transaction.atomic
def quiz_create(*, lesson: Lesson, **settings: Any) -> Quiz:
    """A new, unpublished quiz last in `lesson`, with `settings` (names in QUIZ_SETTINGS).
    Raises ValidationError, by field, storing nothing, when a setting breaks the quiz's
    rules (closing before opening, a pass mark over 100...)."""
    quiz = Quiz(lesson=lesson, is_published=False)
    _apply(quiz, settings)
    last = Quiz.objects.filter(lesson=lesson).aggregate(last=Max("position"))["last"]
    quiz.position = (last or 0) + 1
    quiz.save()
    return quiz


@transaction.atomic
def quiz_update(*, quiz: Quiz, **settings: Any) -> Quiz:
    """Change the quiz's settings (names in QUIZ_SETTINGS). Raises ValidationError, by
    field, changing nothing, as `quiz_create` does, or when the quiz was deleted
    meanwhile."""
    _apply(quiz, settings)
    lock_quiz(quiz)
    if not Quiz.objects.filter(pk=quiz.pk).exists():
        raise ValidationError("This quiz was deleted meanwhile; nothing was saved.")
    quiz.save(update_fields=list(settings))
    return quiz


@transaction.atomic
def quiz_delete(*, quiz: Quiz) -> None:
    """Delete a quiz no student has attempted, with its questions and the instructors'
    previews. Raises ValidationError, deleting nothing, when students have attempts (their
    grades would be lost). Deleting a quiz already gone does nothing."""
    lock_quiz(quiz)  # no attempt can start at it until this commits
    if not Quiz.objects.filter(pk=quiz.pk).exists():
        return
    students = Attempt.objects.filter(quiz=quiz, is_preview=False).count()
    if students:
        raise ValidationError(
            f"“{quiz.title}” cannot be deleted: {students} student attempt"
            f"{'s' if students != 1 else ''} and their grades would be lost. Unpublish it "
            "instead to hide it from students.")
    quiz.delete()


@transaction.atomic
def quiz_set_published(*, quiz: Quiz, published: bool) -> Quiz:
    """Publish the quiz, or take it back (attempts and grades are kept). Publishing
    raises ValidationError listing every problem, changing nothing, unless the quiz has at
    least one question and every question can be graded."""
    lock_quiz(quiz)  # a question saved meanwhile is either checked here or waits
    if published:
        check = selectors.quiz_publish_check(selectors.quiz_questions(quiz))
        if not check.ok:
            raise ValidationError(list(check.problems))
    Quiz.objects.filter(pk=quiz.pk).update(is_published=published)
    quiz.is_published = published
    return quiz


@transaction.atomic
def question_move(*, question: Question, direction: str) -> list[Question]:
    """Move a question one place up or down in its quiz; return the quiz's questions in
    their new order, numbered 1..n (`question.position` is set too). The first question
    up, or the last down, stays. Raises ValidationError for an unknown direction or a
    question deleted meanwhile."""
    if direction not in (UP, DOWN):
        raise ValidationError("Move a question up or down.")
    lock_quiz(question.quiz)
    questions = _questions_in_order(question.quiz)
    index = next((i for i, other in enumerate(questions) if other.pk == question.pk), None)
    if index is None:
        raise ValidationError("This question was deleted meanwhile.")
    index = move_one(questions, index, direction)
    _renumber(questions)
    question.position = index + 1
    return questions


@transaction.atomic
def question_delete(*, question: Question) -> None:
    """Delete a question no student has answered; the others close the gap. Raises
    ValidationError, deleting nothing, when students' attempts hold answers to it."""
    lock_quiz(question.quiz)
    answered = selectors.question_answer_count(question)
    if answered:
        raise ValidationError(
            f"This question cannot be deleted: {answered} student answer"
            f"{'s' if answered != 1 else ''} to it would be lost.")
    question.delete()
    _renumber(_questions_in_order(question.quiz))


def next_position(quiz: Quiz) -> int:
    """The position a question added now takes (call with the quiz locked)."""
    return (quiz.questions.aggregate(last=Max("position"))["last"] or 0) + 1

