"""The gradebook and the responses as CSV rows, in the layouts Canvas and Moodle import as is.

Layouts (`LAYOUTS`):

* ``lectio``: first and last name, username, email, section, one column per quiz in percent.
* ``canvas``: Canvas's gradebook import: Student ("Last, First"), ID, SIS User ID, SIS
  Login ID, Section, then one column per quiz in points, and a "Points Possible" row
  first, from which Canvas creates each quiz's assignment. Lectio knows no Canvas ids, so
  ID and SIS User ID are empty and the username is the SIS Login ID: Canvas matches a row
  by whichever of the three it has.
* ``moodle``: Moodle's grade import (CSV): username and email address to match the user,
  then one column per quiz in points, its maximum in the header, e.g. "Quiz 1 (out of 10)".

Points are the quiz grade's percent (one decimal, as the gradebook shows it) times the
quiz's points, rounded to two decimals. Every text cell goes through `csv_safe`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

from django.db.models import Sum

from courses.models import Course

from ..models import AttemptStatus, Choice, Question, Quiz, Response
from .selectors import PERCENT, GradebookRow, _rows, _students, course_quizzes

LAYOUTS = {"lectio": "Lectio (percent)", "canvas": "Canvas", "moodle": "Moodle"}
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")


def csv_safe(value: Any) -> str:
    """A cell that a spreadsheet shows as written, never runs: a text starting with = + - @
    (or a tab or carriage return) gets an apostrophe in front, as OWASP recommends, unless
    it is a plain number such as -5, which stays a number. Numbers pass as numbers."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float, Decimal)):
        return str(value)
    text = str(value)
    if text.startswith(FORMULA_PREFIXES) and not _NUMBER.fullmatch(text):
        return "'" + text
    return text


def _quiz_points(quizzes: list[Quiz]) -> dict[int, float]:
    """Each quiz's points (the sum of its questions'): one query."""
    sums = (Question.objects.filter(quiz__in=quizzes).order_by().values("quiz_id")
            .annotate(total=Sum("points")).values_list("quiz_id", "total"))
    return {quiz_id: float(total or 0) for quiz_id, total in sums}


def _number(value: float) -> str:
    return f"{value:.2f}".rstrip("0").rstrip(".")


def _points(grade, possible: float) -> str:
    if grade is None or grade[PERCENT] is None:
        return ""
    return _number(round(grade[PERCENT] * possible / 100, 2))


def _header(layout: str, quizzes: list[Quiz], possible: dict[int, float]) -> list[list[str]]:
    if layout == "canvas":
        return [["Student", "ID", "SIS User ID", "SIS Login ID", "Section",
                 *[csv_safe(q.title) for q in quizzes]],
                ["Points Possible", "", "", "", "",
                 *[_number(possible.get(q.pk, 0)) for q in quizzes]]]
    if layout == "moodle":
        return [["username", "email", *[csv_safe(f"{q.title} (out of "
                                                 f"{_number(possible.get(q.pk, 0))})")
                                        for q in quizzes]]]
    return [["First name", "Last name", "Username", "Email address", "Section",
             *[csv_safe(f"{q.title} (%)") for q in quizzes]]]


def _row(layout: str, row: GradebookRow, points: list[float]) -> list[str]:
    if layout == "canvas":
        name = ", ".join(part for part in (row.last_name, row.first_name) if part)
        return [csv_safe(name or row.username), "", "", csv_safe(row.username),
                csv_safe(row.section),
                *[_points(g, p) for g, p in zip(row.grades, points, strict=True)]]
    if layout == "moodle":
        return [csv_safe(row.username), csv_safe(row.email),
                *[_points(g, p) for g, p in zip(row.grades, points, strict=True)]]
    return [csv_safe(row.first_name), csv_safe(row.last_name), csv_safe(row.username),
            csv_safe(row.email), csv_safe(row.section),
            *["" if g is None or g[PERCENT] is None else str(g[PERCENT]) for g in row.grades]]


def gradebook_csv_rows(course: Course, batch: int = 500,
                       layout: str = "lectio") -> Iterator[list[str]]:
    """The gradebook as CSV rows in `layout` (a key of LAYOUTS): its header row(s), then one
    row per student. Students are read a batch at a time, so memory stays flat however
    large the class: two queries per batch, plus two at the start."""
    quizzes = course_quizzes(course)
    possible = _quiz_points(quizzes) if layout != "lectio" else {}
    points = [possible.get(q.pk, 0.0) for q in quizzes]
    yield from _header(layout, quizzes, possible)
    students = _students(course).order_by("user_id")
    last = 0
    while chunk := list(students.filter(user_id__gt=last)[:batch]):
        for row in _rows(quizzes, chunk):
            yield _row(layout, row, points)
        last = chunk[-1][0]


# -- responses ----------------------------------------------------------------------------


def _answer_text(qtype: str, answer: Any, choices: dict[int, str], config: dict) -> Any:
    """A stored answer as a reader of the file wants it: choice texts instead of ids, item
    and pair texts instead of positions, numbers as numbers."""
    if answer is None:
        return ""
    if qtype in ("single", "multiple"):
        ids = answer if isinstance(answer, list) else [answer]
        return "; ".join(choices.get(_int(i), str(i)) for i in ids)
    if qtype == "twopart" and isinstance(answer, dict):
        picks = ", ".join(str(p) for p in answer.get("b") or [])
        return (f"A: {choices.get(_int(answer.get('a')), answer.get('a') or '')}; "
                f"B: passages {picks}")
    if qtype == "evidence" and isinstance(answer, list):
        return "passages " + ", ".join(str(p) for p in answer)
    if qtype == "ordering" and isinstance(answer, list):
        items = config.get("items", [])
        return "; ".join(items[i] if isinstance(i, int) and 0 <= i < len(items) else str(i)
                         for i in answer)
    if qtype == "matching" and isinstance(answer, dict):
        prompts = [p.get("prompt", "") for p in config.get("pairs", [])]
        return "; ".join(f"{prompts[int(k)] if k.isdigit() and int(k) < len(prompts) else k}"
                         f" → {v}" for k, v in answer.items())
    if isinstance(answer, bool):
        return "true" if answer else "false"
    return answer if isinstance(answer, (str, int, float)) else str(answer)


def _int(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def responses_csv_rows(course: Course, batch: int = 2000) -> Iterator[list[str]]:
    """One row per response of submitted attempts, read in batches so memory stays flat;
    the course's choices and question settings are read once, to write answers as text."""
    yield ["Username", "Quiz", "Attempt", "Question", "Type", "Answer", "Score", "Points",
           "State", "Submitted"]
    questions = Question.objects.filter(quiz__lesson__course=course)
    configs = dict(questions.values_list("pk", "config"))
    choices = dict(Choice.objects.filter(question__in=questions).values_list("pk", "text"))
    responses = (Response.objects.filter(attempt__quiz__lesson__course=course,
                                         attempt__is_preview=False)
                 .exclude(attempt__status=AttemptStatus.IN_PROGRESS)
                 .order_by("pk")
                 .values_list("attempt__user__username", "attempt__quiz__title",
                              "attempt__number", "question_id", "question__position",
                              "question__type", "answer", "score", "question__points",
                              "state", "attempt__submitted_at"))
    for row in responses.iterator(chunk_size=batch):
        (username, quiz, number, question_id, position, qtype, answer, score, points, state,
         submitted) = row
        text = _answer_text(qtype, answer, choices, configs.get(question_id) or {})
        yield [csv_safe(username), csv_safe(quiz), str(number), str(position), qtype,
               csv_safe(text), "" if score is None else str(score), str(points), state,
               submitted.isoformat() if submitted else ""]

