"""Reads for instructors: the grading queue, the gradebook and CSV rows.

Each selector runs a fixed number of queries whatever the number of students.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet
from django.urls import reverse

from courses.models import Course, Enrollment, Lesson, ReadingProgress, Role

from .models import Attempt, AttemptStatus, Quiz, Response
from .services import quiz_grade

_PLACEHOLDER = 987654321


@cache
def _result_url_pattern() -> str:
    return reverse("quizzes:attempt-result", args=[_PLACEHOLDER])


def grading_queue(course: Course, quiz: Quiz | None = None) -> QuerySet[Response]:
    """Open responses of submitted attempts still waiting for a grade, oldest first."""
    responses = Response.objects.filter(
        attempt__quiz__lesson__course=course,
        attempt__status=AttemptStatus.NEEDS_GRADING,
        attempt__is_preview=False,
        question__type="open",
        graded_at__isnull=True,
    )
    if quiz is not None:
        responses = responses.filter(attempt__quiz=quiz)
    return responses.select_related("attempt__user", "attempt__quiz", "question").order_by(
        "attempt__submitted_at", "attempt_id", "question__position"
    )


def course_quizzes(course: Course) -> list[Quiz]:
    return list(Quiz.objects.filter(lesson__course=course)
                .select_related("lesson").order_by("lesson__position", "position", "pk"))


@dataclass
class Cell:
    quiz: Quiz
    attempt_id: int | None = None
    percent: float | None = None
    marker: str = ""          # "in progress", "awaiting grading", "late" or ""
    attempts: int = 0

    @property
    def url(self) -> str:
        # Reversing once per cell costs more than the rest of a 20,000-cell page.
        if not self.attempt_id:
            return ""
        return _result_url_pattern().replace(str(_PLACEHOLDER), str(self.attempt_id))


@dataclass
class Row:
    enrollment: Enrollment
    cells: list[Cell] = field(default_factory=list)

    @property
    def average(self) -> float | None:
        values = [c.percent for c in self.cells if c.percent is not None]
        return round(sum(values) / len(values), 1) if values else None


def _percent(score, maximum) -> float | None:
    if score is None or not maximum:
        return None
    return round(100 * float(score) / float(maximum), 1)


def _cell(quiz: Quiz, attempts: list[dict]) -> Cell:
    cell = Cell(quiz, attempts=len(attempts))
    if not attempts:
        return cell
    if any(a["status"] == AttemptStatus.IN_PROGRESS for a in attempts):
        cell.marker = "in progress"
    elif any(a["status"] == AttemptStatus.NEEDS_GRADING for a in attempts):
        cell.marker = "awaiting grading"
    elif any(a["closed_late"] for a in attempts):
        cell.marker = "late"
    graded = [a for a in attempts if a["status"] == AttemptStatus.GRADED]
    if graded:
        scores = [a["score"] or Decimal("0") for a in graded]
        grade = quiz_grade(quiz.grading_method, scores)
        cell.percent = _percent(grade, graded[0]["max_score"])
        pick = {"highest": max(graded, key=lambda a: a["score"] or 0), "first": graded[0]}
        cell.attempt_id = pick.get(quiz.grading_method, graded[-1])["pk"]
    else:
        cell.attempt_id = attempts[-1]["pk"]
    return cell


def _student_enrollments(course: Course, section: str = "", name: str = ""):
    enrollments = (Enrollment.objects.filter(course=course, role=Role.STUDENT)
                   .select_related("user"))
    if section:
        enrollments = enrollments.filter(section=section)
    if name:
        enrollments = enrollments.filter(
            Q(user__username__icontains=name) | Q(user__first_name__icontains=name)
            | Q(user__last_name__icontains=name)
        )
    return enrollments.order_by("user__last_name", "user__first_name", "user__username",
                                "pk")


def _rows(quizzes: list[Quiz], enrollments: list[Enrollment]) -> list[Row]:
    by_pair: dict[tuple[int, int], list[dict]] = {}
    attempts = (Attempt.objects.filter(quiz__in=quizzes, is_preview=False,
                                       user__in=[e.user_id for e in enrollments])
                .order_by("number")
                .values("pk", "quiz_id", "user_id", "status", "score", "max_score",
                        "closed_late"))
    for attempt in attempts:
        by_pair.setdefault((attempt["user_id"], attempt["quiz_id"]), []).append(attempt)
    return [
        Row(e, [_cell(q, by_pair.get((e.user_id, q.pk), [])) for q in quizzes])
        for e in enrollments
    ]


def gradebook(course: Course, *, section: str = "", name: str = "",
              sort: str = "name") -> tuple[list[Quiz], list[Row], list[float | None]]:
    """Students by quizzes: each cell the quiz grade by its grading method, with markers;
    plus the average per quiz. Three queries for any class size."""
    quizzes = course_quizzes(course)
    rows = _rows(quizzes, list(_student_enrollments(course, section, name)))
    if sort == "average":
        rows.sort(key=lambda r: (r.average is None, -(r.average or 0)))
    averages = []
    for index in range(len(quizzes)):
        values = [r.cells[index].percent for r in rows if r.cells[index].percent is not None]
        averages.append(round(sum(values) / len(values), 1) if values else None)
    return quizzes, rows, averages


def gradebook_row_batches(course: Course, batch: int = 500) -> Iterator[tuple[list[Quiz],
                                                                               list[Row]]]:
    """The gradebook a batch of students at a time, so an export's memory stays flat however
    large the class: two queries per batch."""
    quizzes = course_quizzes(course)
    enrollments = _student_enrollments(course)
    last = None
    while True:
        page = enrollments if last is None else enrollments.filter(pk__gt=last)
        chunk = list(page.order_by("pk")[:batch])
        if not chunk:
            return
        yield quizzes, _rows(quizzes, chunk)
        last = chunk[-1].pk


FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def csv_safe(value: Any) -> str:
    """Neutralise spreadsheet formula injection: a text cell starting with = + - @ (or a tab
    or carriage return) is prefixed with an apostrophe, as OWASP recommends. Numbers pass."""
    if value is None:
        return ""
    if isinstance(value, (int, float, Decimal)):
        return str(value)
    text = str(value)
    return "'" + text if text.startswith(FORMULA_PREFIXES) else text


def gradebook_csv_rows(course: Course) -> Iterator[list[str]]:
    """The gradebook as CSV rows: a header, then one row per student. Columns follow the
    layout Canvas and Moodle imports accept: names, username, email, then one column per
    quiz holding the percentage grade."""
    quizzes = course_quizzes(course)
    yield ["First name", "Last name", "Username", "Email address",
           *[csv_safe(f"{q.title} (%)") for q in quizzes]]
    for _quizzes, rows in gradebook_row_batches(course):
        for row in rows:
            user = row.enrollment.user
            yield [csv_safe(user.first_name), csv_safe(user.last_name),
                   csv_safe(user.username), csv_safe(user.email),
                   *["" if c.percent is None else str(c.percent) for c in row.cells]]


def responses_csv_rows(course: Course, batch: int = 2000) -> Iterator[list[str]]:
    """One row per response of submitted attempts, read in batches so memory stays flat."""
    yield ["Username", "Quiz", "Attempt", "Question", "Type", "Answer", "Score", "Points",
           "State", "Submitted"]
    responses = (Response.objects.filter(attempt__quiz__lesson__course=course,
                                         attempt__is_preview=False)
                 .exclude(attempt__status=AttemptStatus.IN_PROGRESS)
                 .order_by("pk")
                 .values_list("attempt__user__username", "attempt__quiz__title",
                              "attempt__number", "question__position", "question__type",
                              "answer", "score", "question__points", "state",
                              "attempt__submitted_at"))
    for row in responses.iterator(chunk_size=batch):
        username, quiz, number, position, qtype, answer, score, points, state, submitted = row
        yield [csv_safe(username), csv_safe(quiz), str(number), str(position), qtype,
               csv_safe("" if answer is None else answer if isinstance(answer, str)
                        else str(answer)),
               "" if score is None else str(score), str(points), state,
               submitted.isoformat() if submitted else ""]


@dataclass
class StudentReport:
    enrollment: Enrollment
    attempts: list[Attempt]
    lessons: list[tuple[Any, Any, int]]   # (lesson, progress or None, passage count)


def student_report(course: Course, user_id: int) -> StudentReport | None:
    """One student's attempts (with time spent and responses) and reading progress in the
    course, in five queries; None when the person is not a student of the course."""


    enrollment = (Enrollment.objects.filter(course=course, user_id=user_id, role=Role.STUDENT)
                  .select_related("user").first())
    if enrollment is None:
        return None
    attempts = list(
        Attempt.objects.filter(quiz__lesson__course=course, user_id=user_id, is_preview=False)
        .select_related("quiz").order_by("quiz__lesson__position", "quiz__position", "number")
        .prefetch_related(Prefetch("responses", queryset=Response.objects
                                   .select_related("question").order_by("question__position")))
    )
    lessons = list(Lesson.objects.filter(course=course).annotate(
        passage_count=Count("reading__passages")).order_by("position"))
    progress = {p.lesson_id: p for p in ReadingProgress.objects.filter(
        user_id=user_id, lesson__in=lessons)}
    return StudentReport(enrollment, attempts,
                         [(lsn, progress.get(lsn.pk), lsn.passage_count) for lsn in lessons])
