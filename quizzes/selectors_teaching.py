"""Reads for instructors: the grading queue, the gradebook and CSV rows.

Each selector runs a fixed number of queries whatever the number of students.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache
from typing import Any, NamedTuple

from django.db import connection
from django.db.models import Avg, Count, FloatField, Max, Prefetch, Q, QuerySet
from django.db.models.functions import Cast
from django.urls import reverse

from courses.models import Course, Enrollment, Lesson, ReadingProgress, Role

from .models import Attempt, AttemptStatus, Quiz, Response

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


@dataclass(slots=True)
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


_IN_PROGRESS = AttemptStatus.IN_PROGRESS.value
_NEEDS_GRADING = AttemptStatus.NEEDS_GRADING.value
_GRADED = Q(status=AttemptStatus.GRADED)


class _Pair(NamedTuple):
    """One student's attempts at one quiz, summed up by the database. (A NamedTuple: a
    frozen dataclass took longer to build 20,000 of than the query took to run.)"""

    total: int
    open: int
    pending: int
    late: int
    graded: int
    best: float | None
    mean: float | None
    out_of: float | None
    graded_pk: int | None  # the latest graded attempt
    last_pk: int


def _cell(quiz: Quiz, pair: _Pair | None, picks: dict[str, tuple] | None) -> Cell:
    """The student's cell for `quiz`: the grade by the quiz's grading method, the attempt
    that grade comes from (or the latest attempt), and the marker that matters most.

    `picks` is given for students with several graded attempts: the (pk, score) of their
    first, latest and highest graded attempt (the earliest of equal highest).
    """
    if pair is None:
        return Cell(quiz)
    cell = Cell(quiz, attempts=pair.total)
    if pair.open:
        cell.marker = "in progress"
    elif pair.pending:
        cell.marker = "awaiting grading"
    elif pair.late:
        cell.marker = "late"
    if not pair.graded:
        cell.attempt_id = pair.last_pk
        return cell
    method = quiz.grading_method
    if method == "average":
        cell.attempt_id, grade = pair.graded_pk, pair.mean
    elif picks is not None:
        cell.attempt_id, grade = picks[method]
    else:  # one graded attempt: every method gives its score
        cell.attempt_id, grade = pair.graded_pk, pair.best
    cell.percent = _percent(grade if grade is not None else 0, pair.out_of)
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
    """Rows for `enrollments` in their order, in two queries.

    The database sums up each student's attempts at each quiz (counts, best, mean, latest
    graded); only students with several graded attempts have those attempts read, for the
    "first", "latest" and "highest" methods. Building a Python object per attempt cost
    more than everything else on a 20,000-cell page.
    """
    if not quizzes or not enrollments:
        return [Row(e, [Cell(q) for q in quizzes]) for e in enrollments]
    # The ids as a list: as a subquery of the filtered, ordered enrolments PostgreSQL
    # planned it seven times slower.
    attempts = Attempt.objects.filter(quiz__in=quizzes, is_preview=False,
                                      user__in=[e.user_id for e in enrollments])
    sums = (attempts.order_by().values("user_id", "quiz_id").annotate(
        total=Count("pk"), open=Count("pk", filter=Q(status=_IN_PROGRESS)),
        pending=Count("pk", filter=Q(status=_NEEDS_GRADING)),
        late=Count("pk", filter=Q(closed_late=True)), graded=Count("pk", filter=_GRADED),
        # As floats: loading 60,000 numerics as Decimals took longer than the query.
        best=Cast(Max("score", filter=_GRADED), FloatField()),
        mean=Cast(Avg("score", filter=_GRADED), FloatField()),
        out_of=Cast(Max("max_score", filter=_GRADED), FloatField()),
        graded_pk=Max("pk", filter=_GRADED),
        last_pk=Max("pk"))
        .values_list("user_id", "quiz_id", "total", "open", "pending", "late", "graded",
                     "best", "mean", "out_of", "graded_pk", "last_pk"))
    # The ORM's SQL, run on a plain cursor: its per-value converters cost more than the
    # query on 20,000 rows, and every number here is used as a float anyway.
    sql, params = sums.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        found = cursor.fetchall()  # in one call: iterating a cursor checks every row
    pairs = {(row[0], row[1]): _Pair(*row[2:]) for row in found}
    several = {key for key, pair in pairs.items() if pair.graded > 1}
    picks: dict[tuple[int, int], dict[str, tuple]] = {}
    if several:
        for user_id, quiz_id, pk, score in (
                attempts.filter(_GRADED, user__in={u for u, _ in several},
                                quiz__in={q for _, q in several})
                .order_by("number").values_list("user_id", "quiz_id", "pk", "score")):
            if (user_id, quiz_id) not in several:
                continue
            chosen = picks.setdefault((user_id, quiz_id), {"first": (pk, score)})
            chosen["latest"] = (pk, score)
            if "highest" not in chosen or (score or 0) > (chosen["highest"][1] or 0):
                chosen["highest"] = (pk, score)
    columns = [(quiz, quiz.pk) for quiz in quizzes]
    pair, pick = pairs.get, picks.get
    rows = []
    for enrollment in enrollments:
        user_id = enrollment.user_id
        rows.append(Row(enrollment, [_cell(quiz, pair((user_id, quiz_id)),
                                           pick((user_id, quiz_id)))
                                     for quiz, quiz_id in columns]))
    return rows


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
