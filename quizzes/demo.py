"""The seed quizzes for the seed lesson, from `fixtures/seed/quizzes.json`. Idempotent: a
second run changes nothing, and a run on an earlier demo updates what is safe to update."""

from __future__ import annotations

import json
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction

from courses.demo import DEMO_COURSE_SLUG, SEED_DIR, seed_metadata
from courses.models import Lesson

from . import grading
from .models import Choice, Question, Quiz, ReviewWhen, Rubric, RubricCriterion, RubricLevel
from .taking.services import question_spec


def _create_question(quiz: Quiz, position: int, data: dict, passages: dict) -> Question:
    config = dict(data.get("config") or {})
    rubric = config.pop("rubric", None)
    question = Question.objects.create(
        quiz=quiz, position=position, type=data["type"], prompt=data["prompt"],
        points=Decimal(str(data.get("points", 1))), explanation=data.get("explanation", ""),
        config=config,
    )
    question.cites.set([passages[n] for n in data.get("cites", [])])
    Choice.objects.bulk_create(
        Choice(question=question, position=i, text=c["text"],
               fraction=Decimal(str(c.get("fraction", 0))), feedback=c.get("feedback", ""))
        for i, c in enumerate(data.get("choices", []), start=1)
    )
    if rubric:
        made = Rubric.objects.create(question=question, title=rubric.get("title", ""))
        for ci, criterion in enumerate(rubric["criteria"], start=1):
            row = RubricCriterion.objects.create(rubric=made, position=ci,
                                                 name=criterion["name"],
                                                 description=criterion.get("description", ""))
            RubricLevel.objects.bulk_create(
                RubricLevel(criterion=row, position=li, label=level["label"],
                            points=Decimal(str(level["points"])),
                            description=level.get("description", ""))
                for li, level in enumerate(criterion["levels"], start=1)
            )
    errors = grading.get_type(question.type).check_config(question_spec(question))
    if errors:
        raise ValidationError(f"Seed question {position} of “{quiz.title}”: {' '.join(errors)}")
    return question


def _quiz_values(q: dict, position: int) -> dict:
    review = q.get("review", {})
    return {
        "kind": q["kind"], "title": q["title"], "instructions": q.get("instructions", ""),
        "position": position, "time_limit_minutes": q.get("time_limit_minutes"),
        "attempts_allowed": q.get("attempts_allowed"),
        "grading_method": q.get("grading_method", "highest"),
        "pass_mark": q.get("pass_mark", 60),
        "shuffle_questions": q.get("shuffle_questions", False),
        "shuffle_choices": q.get("shuffle_choices", True),
        "review_when": review.get("when", "after_submission"),
        "review_score": review.get("score", True),
        "review_correctness": review.get("correctness", True),
        "review_answers": review.get("answers", True),
        "review_explanations": review.get("explanations", True),
    }


def _fill(quiz: Quiz, q: dict, passages: dict) -> None:
    for number, question in enumerate(q["questions"], start=1):
        _create_question(quiz, number, question, passages)


def _is_current(quiz: Quiz, q: dict) -> bool:
    """Whether `quiz` already holds the seed's questions (same types, prompts and settings)."""
    stored = [(row.type, row.prompt, row.config) for row in quiz.questions.order_by("position")]
    wanted = [(x["type"], x["prompt"],
               {k: v for k, v in (x.get("config") or {}).items() if k != "rubric"})
              for x in q["questions"]]
    return stored == wanted


@transaction.atomic
def load() -> list[str]:
    """Give the seed lesson the seed quizzes, bringing an earlier demo's quizzes up to date.

    A demo quiz nobody has attempted is rebuilt from the seed when its questions differ
    from the seed's. A quiz with attempts keeps its questions: changing them would change
    what students answered and the grades they were given; the printed line says so.
    """
    slug = seed_metadata()["lesson"]["slug"]
    lesson = Lesson.objects.select_related("reading").get(course__slug=DEMO_COURSE_SLUG,
                                                          slug=slug)
    data = json.loads((SEED_DIR / "quizzes.json").read_text(encoding="utf-8"))
    passages = {p.order: p for p in lesson.reading.passages.all()}
    lines = []
    for position, q in enumerate(data["quizzes"], start=1):
        quiz = lesson.quizzes.filter(kind=q["kind"]).order_by("position", "pk").first()
        if quiz is None:
            quiz = Quiz.objects.create(lesson=lesson, **_quiz_values(q, position))
            _fill(quiz, q, passages)
            lines.append(f"Quiz “{quiz.title}” with {len(q['questions'])} questions.")
        elif _is_current(quiz, q):
            lines.append(f"Quiz “{quiz.title}” is already up to date.")
        elif quiz.attempts.exists():
            lines.append(f"Quiz “{quiz.title}” kept as it is: students have attempted it, and "
                         "new questions would change their grades.")
        else:
            Quiz.objects.filter(pk=quiz.pk).update(**_quiz_values(q, quiz.position))
            quiz.questions.all().delete()
            _fill(quiz, q, passages)
            lines.append(f"Quiz “{q['title']}” updated to the current seed "
                         f"({len(q['questions'])} questions).")
    lines.extend(_update_review(lesson, data))
    return lines


def _update_review(lesson, data) -> list[str]:
    """Demo quizzes loaded before the seed gave the key only after the last attempt still
    hand it out after every attempt; move those (and only those) to the seed's policy."""
    lines = []
    for q in data["quizzes"]:
        when = q.get("review", {}).get("when", "after_submission")
        changed = lesson.quizzes.filter(title=q["title"], review_when="after_submission"
                                        ).exclude(review_when=when).update(review_when=when)
        if changed:
            lines.append(f"Quiz “{q['title']}” review: {ReviewWhen(when).label}.")
    return lines
