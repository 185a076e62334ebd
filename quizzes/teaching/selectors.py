"""Reads for instructors: the grading queue, the gradebook (its CSV: gradebook_csv.py).

Each selector runs a fixed number of queries whatever the number of students.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import (
    Avg,
    Case,
    Count,
    F,
    FloatField,
    Func,
    Max,
    Prefetch,
    Q,
    QuerySet,
    RowRange,
    When,
    Window,
)
from django.db.models.functions import Coalesce

from courses.models import Course, Enrollment, Lesson, ReadingProgress, Role

from ..models import Attempt, AttemptStatus, GradingMethod, Quiz, Response
from ..taking.review import ReviewItem, answers_for_staff


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


# -- The gradebook ------------------------------------------------------------------------

# Markers by priority: a cell shows the one that matters most (the database takes the
# highest of its attempts' codes).
MARKERS = ("", "late", "awaiting grading", "in progress")
_MARKER_CODE = Case(When(status=AttemptStatus.IN_PROGRESS, then=3),
                    When(status=AttemptStatus.NEEDS_GRADING, then=2),
                    When(closed_late=True, then=1), default=0)
_GRADED = Q(status=AttemptStatus.GRADED)

# A student's grade at one quiz, as the database returns it: (user id, quiz id, marker
# code, the attempt the grade comes from or else the latest attempt, percent or None,
# number of graded attempts). A plain tuple: a page has 20,000, and making a NamedTuple of
# each cost more than the rest of the Python that turns them into rows.
Grade = tuple[int, int, int, int, float | None, int]
MARKER, ATTEMPT, PERCENT, GRADED_ATTEMPTS = 2, 3, 4, 5  # where a Grade holds them


@dataclass(slots=True)
class GradebookRow:
    user_id: int
    username: str
    first_name: str
    last_name: str
    email: str
    section: str
    grades: list[Grade | None]  # one per quiz, in column order; None: never attempted
    average: float | None = None

    @property
    def name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip() or self.username


@dataclass
class Gradebook:
    quizzes: list[Quiz]
    rows: list[GradebookRow]
    averages: list[float | None]  # per quiz, over the rows shown


class _Percent(Func):
    """`score` (no score counts as 0) as a percent of `out_of`, to one decimal, as a float;
    None without a maximum. In SQL, where it costs next to nothing (rounding 20,000 grades
    in Python took half as long as the query), and in this one place for every grade.

    The literal 100.0 is a numeric on PostgreSQL, so the division there is exact, and a
    float on SQLite, which would divide whole-number scores as integers.
    """

    arity = 2
    output_field = FloatField()

    def as_sql(self, compiler, connection, **extra_context):
        score, score_params = compiler.compile(self.source_expressions[0])
        out_of, out_of_params = compiler.compile(self.source_expressions[1])
        return (f"CAST(ROUND(100.0 * COALESCE({score}, 0) / NULLIF({out_of}, 0), 1)"
                " AS DOUBLE PRECISION)", (*score_params, *out_of_params))


class _AsFetched(Func):
    """`expression` as the database driver returns it, without the Python call per value
    the ORM adds to every numeric expression (int(), float()). Only for values both drivers
    already return as ints, or floats (CAST ... AS DOUBLE PRECISION)."""

    # A page has 20,000 grades of three such values: the calls doubled the Python time of
    # reading them (37 ms against 17 ms at 1,000 students x 20 quizzes). Without them the
    # ORM's read costs what the raw cursor it replaces did: page 2.46 x its SQL against the
    # cursor's 2.50 in the same run (issue 18, 2026-12-08, `bench/bench_gradebook.py
    # --against 055484f`; target <= 3), and 2.55 against 2.74 for a plain values_list
    # (`--against 5ce75ea`, run from e906f46).

    template = "%(expressions)s"

    @property
    def convert_value(self):
        return self._convert_value_noop


def _mean(values: list[float]) -> float | None:
    return round(sum(values) / len(values), 1) if values else None


def _grades(quizzes: list[Quiz], user_ids: list[int] | None) -> dict[tuple[int, int], Grade]:
    """Each listed student's grade (everyone's, for `None`) at each quiz they attempted,
    keyed by (user id, quiz id): one aggregate query, plus one for the pairs with several
    graded attempts.

    With one graded attempt every grading method gives its score, so the database's
    maximum is the grade. Only students with several graded attempts at a quiz have those
    attempts read, to take the first, latest or highest, or their average.
    """
    if not quizzes or user_ids == []:
        return {}
    attempts = Attempt.objects.filter(quiz__in=quizzes, is_preview=False)
    if user_ids is not None:
        # The ids as a list: as a subquery of the enrolments PostgreSQL planned it several
        # times slower.
        attempts = attempts.filter(user__in=user_ids)
    found = list(attempts.order_by().values("user_id", "quiz_id").annotate(
        marker=_AsFetched(Max(_MARKER_CODE)),
        attempt=Coalesce(Max("pk", filter=_GRADED), Max("pk")),
        percent=_AsFetched(_Percent(Max("score", filter=_GRADED),
                                    Max("max_score", filter=_GRADED))),
        graded=_AsFetched(Count("pk", filter=_GRADED)))
        .values_list("user_id", "quiz_id", "marker", "attempt", "percent", "graded"))
    grades = {(grade[0], grade[1]): grade for grade in found}
    several = {(grade[0], grade[1]) for grade in found if grade[GRADED_ATTEMPTS] > 1}
    if several:
        for key, (pk, percent) in _by_method(quizzes, attempts, several).items():
            user_id, quiz_id, marker, _, _, graded = grades[key]
            grades[key] = (user_id, quiz_id, marker, pk, percent, graded)
    return grades


def _by_method(quizzes: list[Quiz], attempts: QuerySet[Attempt],
               pairs: set[tuple[int, int]]) -> dict[tuple[int, int], tuple[int, float | None]]:
    """(Attempt id, percent) for (user id, quiz id) pairs with several graded attempts, by
    each quiz's grading method: the first, the latest, the highest (the earliest of equal
    highest), or the average (linked to the latest)."""
    # Over each pair's attempts in order (one sort serves the windows and the rows).
    def over_pair(expression):
        return Window(expression, partition_by=[F("user_id"), F("quiz_id")],
                      order_by=F("number").asc(), frame=RowRange(None, None))

    out_of = over_pair(Max("max_score"))
    # Each graded attempt in order, with its own percent and the pair's average percent.
    graded = list(attempts.filter(_GRADED, user__in={u for u, _ in pairs},
                                  quiz__in={q for _, q in pairs})
                  .annotate(own=_Percent("score", out_of),
                            mean=_Percent(over_pair(Avg("score")), out_of))
                  .order_by("user_id", "quiz_id", "number")
                  .values_list("user_id", "quiz_id", "pk", "score", "own", "mean"))
    by_pair: dict[tuple[int, int], list[tuple]] = {}
    for user_id, quiz_id, pk, score, own, mean in graded:
        if (user_id, quiz_id) in pairs:
            by_pair.setdefault((user_id, quiz_id), []).append((pk, score, own, mean))
    methods = {quiz.pk: quiz.grading_method for quiz in quizzes}
    chosen = {}
    for key, tried in by_pair.items():
        method = methods[key[1]]
        if method == GradingMethod.AVERAGE:
            pk, _, _, mean = tried[-1]
            chosen[key] = pk, mean
            continue
        if method == GradingMethod.FIRST:
            pk, _, own, _ = tried[0]
        elif method == GradingMethod.LATEST:
            pk, _, own, _ = tried[-1]
        else:  # max() keeps the first of equal highest
            pk, _, own, _ = max(tried, key=lambda attempt: attempt[1] or 0)
        chosen[key] = pk, own
    return chosen


def _students(course: Course, section: str = "", name: str = "") -> QuerySet:
    """The course's students, filtered by section and name, as value tuples in the order
    of GradebookRow's first fields."""
    enrollments = Enrollment.objects.filter(course=course, role=Role.STUDENT)
    if section:
        enrollments = enrollments.filter(section=section)
    if name:
        enrollments = enrollments.filter(
            Q(user__username__icontains=name) | Q(user__first_name__icontains=name)
            | Q(user__last_name__icontains=name)
        )
    return enrollments.values_list("user_id", "user__username", "user__first_name",
                                   "user__last_name", "user__email", "section")


def _rows(quizzes: list[Quiz], students, *, everyone: bool = False) -> list[GradebookRow]:
    """Rows for `students` (value tuples from `_students`) in their order. With `everyone`
    (they are all the course's students) the attempts are read by quiz alone: a list of
    1,000 ids cost the query a sixth of its time."""
    if not students:
        return []
    grades = _grades(quizzes, None if everyone else [student[0] for student in students]).get
    quiz_ids = [quiz.pk for quiz in quizzes]
    rows = []
    for student in students:
        user_id = student[0]
        row = GradebookRow(*student, grades=[grades((user_id, q)) for q in quiz_ids])
        row.average = _mean([g[PERCENT] for g in row.grades if g and g[PERCENT] is not None])
        rows.append(row)
    return rows


def gradebook(course: Course, *, section: str = "", name: str = "",
              sort: str = "name") -> Gradebook:
    """Students by quizzes, filtered by section and name: each cell the quiz grade by its
    grading method, the attempt it links to and a marker (in progress, awaiting grading,
    late); each row the student's average; and the average per quiz. Three queries for any
    class size (four when someone has several graded attempts at a quiz)."""
    quizzes = course_quizzes(course)
    students = _students(course, section, name).order_by(
        "user__last_name", "user__first_name", "user__username", "pk")
    rows = _rows(quizzes, list(students), everyone=not (section or name))
    if sort == "average":
        rows.sort(key=lambda r: (r.average is None, -(r.average or 0)))
    averages = [_mean([g[PERCENT] for row in rows
                       if (g := row.grades[index]) and g[PERCENT] is not None])
                for index in range(len(quizzes))]
    return Gradebook(quizzes, rows, averages)


@dataclass
class StudentReport:
    enrollment: Enrollment
    attempts: list[Attempt]
    lessons: list[tuple[Any, Any, int]]   # (lesson, progress or None, passage count)
    answers: dict[int, ReviewItem] = field(default_factory=dict)  # by response id


def student_report(course: Course, user_id: int) -> StudentReport | None:
    """One student's attempts (with time spent and responses, each answer rendered as the
    results page shows it) and reading progress in the course, in seven queries; None when
    the person is not a student of the course."""
    enrollment = (Enrollment.objects.filter(course=course, user_id=user_id, role=Role.STUDENT)
                  .select_related("user").first())
    if enrollment is None:
        return None
    attempts = list(
        Attempt.objects.filter(quiz__lesson__course=course, user_id=user_id, is_preview=False)
        .select_related("quiz__lesson")
        .order_by("quiz__lesson__position", "quiz__position", "number")
        .prefetch_related(Prefetch("responses", queryset=Response.objects
                                   .select_related("question").order_by("question__position")))
    )
    lessons = list(Lesson.objects.filter(course=course).annotate(
        passage_count=Count("reading__passages")).order_by("position"))
    progress = {p.lesson_id: p for p in ReadingProgress.objects.filter(
        user_id=user_id, lesson__in=lessons)}
    return StudentReport(enrollment, attempts,
                         [(lsn, progress.get(lsn.pk), lsn.passage_count) for lsn in lessons],
                         answers_for_staff(attempts))
