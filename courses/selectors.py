"""Reads for the course pages. Each selector runs a fixed number of queries."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import datetime
from datetime import timezone as dt_timezone
from functools import lru_cache
from typing import Any

from django.core.cache import caches
from django.db import connection
from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404
from django.template.loader import render_to_string
from django.utils import timezone

from . import access, hooks
from .models import (
    RESERVED_LESSON_SLUGS,
    Annotation,
    AnnotationKind,
    Audience,
    Course,
    Enrollment,
    Lesson,
    NoteDepth,
    Passage,
    ReadingProgress,
    Role,
)
from .rendering import number_notes, segment_text


def course_list_for_user(user) -> QuerySet[Course]:
    """Courses `user` belongs to (all courses for staff), each with `role` and `lesson_count`.

    Students see only published courses.
    """
    courses = Course.objects.all()
    if not user.is_staff:
        # One filter() call, so both conditions apply to the same (the user's) enrolment.
        courses = courses.filter(
            Q(enrollments__user=user)
            & (Q(is_published=True) | Q(enrollments__role__in=access.TEACHING))
        )
    return courses.annotate(lesson_count=Count("lessons", distinct=True)).order_by("title")


def course_roles_for_user(user, courses) -> dict[int, str]:
    """Map course id -> the user's role, in one query."""
    if user.is_staff:
        return {course.pk: access.ADMIN for course in courses}
    return dict(
        user.enrollments.filter(course__in=courses).values_list("course_id", "role")
    )


def lessons_for_course(course: Course, user, role: str) -> list[Lesson]:
    """The course's lessons `role` may see, each with `.progress` (the user's, or None),
    `.passage_count` and `.is_open` (False for a student before its opening time: listed,
    not readable), in two queries."""
    lessons = course.lessons.select_related("reading").annotate(
        passage_count=Count("reading__passages")
    )
    if not access.can_see_unpublished(role):
        lessons = lessons.filter(is_published=True)
    lessons = list(lessons.order_by("position", "title"))
    progress = {
        p.lesson_id: p
        for p in ReadingProgress.objects.filter(user=user, lesson__in=[lsn.pk for lsn in lessons])
    }
    now = timezone.now()
    for lesson in lessons:
        lesson.my_progress = progress.get(lesson.pk)
        lesson.is_open = access.lesson_is_open(lesson, role, now)
    return lessons


def lesson_for_course(course: Course, slug: str, role: str) -> Lesson | None:
    """The lesson with `slug` in `course` if `role` may open it now, else None."""
    lesson = Lesson.objects.filter(course=course, slug=slug).select_related("reading").first()
    if lesson is None or not access.lesson_is_open(lesson, role, timezone.now()):
        return None
    return lesson


# The lesson page is the most visited page, so it reads what it needs in one round trip: the
# course with the reader's role, the lesson, the reader's progress, and what the cached parts
# are made of; values are parameters. It stays SQL because the ORM cannot meet the page's
# target (issue 18, measured 2026-12-08): the same read as one queryset (select_related
# course and reading, role and stamps as Subquery, progress through a FilteredRelation, the
# quiz states as a JSONArray aggregate; branch lesson-orm, 63d3e44) sends SQL as fast as this
# (0.31 ms vs 0.34 ms run raw) but takes 7.4 ms per call, nearly all of it Python building
# and compiling the queryset, against 0.34 ms for this whole read. Served by gunicorn in the
# same run, its page made 0.167 x a bare one-row read (rounds 0.092 to 0.334) and this one
# 0.504 (0.329 to 0.717); target >= 0.5. Command, from 63d3e44:
# `python bench/bench_lesson.py --against 7897a13`. Again on a quieter machine, from
# e906f46 `--against 4c0a194` (the ORM read rebased on it): 0.533 here, 0.177 for the ORM.
# The first _PAGE_COLUMNS columns are read below. The rest are the cache version: a stamp
# (count and last edit) of the reading's passages and of the lesson's own notes, then every
# column of the course, lesson and reading rows, so any edit to what the parts show changes
# the key (which names the lesson too: two lessons on one reading never share parts).
_PAGE_COLUMNS = 10
_PAGE_SQL = """
SELECT (SELECT e.role FROM courses_enrollment e WHERE e.course_id = c.id AND e.user_id = %s),
       c.id, c.title, c.is_published, l.id, l.title, l.is_published, l.available_from,
       pr.passages_seen, pr.completed_at,
       (SELECT COUNT(*) || '/' || MAX(p.updated_at) FROM courses_passage p
         WHERE p.reading_id = l.reading_id),
       (SELECT COUNT(*) || '/' || MAX(a.updated_at) FROM courses_annotation a
         WHERE a.lesson_id = l.id),
       c.*, l.*, r.*{extra}
FROM courses_course c
LEFT JOIN courses_lesson l ON l.course_id = c.id AND l.slug = %s
LEFT JOIN courses_reading r ON r.id = l.reading_id
LEFT JOIN courses_readingprogress pr ON pr.lesson_id = l.id AND pr.user_id = %s
WHERE c.slug = %s
"""


@dataclass
class LessonPage:
    """Everything the lesson page shows one reader. `parts` are HTML fragments that are the
    same for every reader with the same audience; they are rendered once per version of the
    lesson and served from the cache."""

    course: Course
    lesson: Lesson
    role: str
    parts: dict[str, str]
    passage_count: int
    percent_read: int
    complete: bool
    version_key: str = ""  # changes whenever anything but the reader's own progress does
    extras: list[Any] = field(default_factory=list)

    @property
    def progress_text(self) -> str:
        return "complete" if self.complete else f"{self.percent_read}% read"


@lru_cache(maxsize=8)
def _page_sql(vendor: str, columns: tuple) -> str:
    """The page statement with each registered column's subquery after the row's own."""
    extra = "".join(f",\n       ({column.sql(vendor)})" for column in columns)
    return _PAGE_SQL.replace("{extra}", extra)


def lesson_page(user, course_slug: str, slug: str) -> LessonPage:
    """The lesson `slug` of course `course_slug` as `user` may read it, in one query (plus
    three when its parts must be rendered again).

    Access is decided by `access.check_course_access`, as for every course view: 403 for
    people outside the course, 404 for a course or lesson its students may not see.
    Instructor-only notes are rendered only into the teaching staff's copy, so they never
    reach a student's page. The parts are cached under every column of the course, lesson and
    reading rows plus a stamp of the passages and the lesson's notes, so an edit shows at once.
    """
    columns = list(hooks.lesson_page_columns)
    with connection.cursor() as cursor:
        cursor.execute(_page_sql(connection.vendor, tuple(columns)), [
            user.pk, *(value for column in columns for value in column.params(user)),
            slug, user.pk, course_slug])
        row = cursor.fetchone()
    if row is None:
        raise Http404("No such course.")
    extra = len(columns)
    row, extras = (row[:-extra], row[-extra:]) if extra else (row, ())
    (role, course_id, course_title, course_published, lesson_id, lesson_title,
     lesson_published, available_from, seen, completed_at) = row[:_PAGE_COLUMNS]
    course = _loaded(Course, id=course_id, slug=course_slug, title=course_title,
                     is_published=bool(course_published))
    access.attach_role(course, user, role)  # so the check below reuses this query
    role = access.check_course_access(user, course, access.EVERYONE)
    if lesson_id is None or not (lesson_published or access.can_see_unpublished(role)):
        raise Http404("No such lesson.")
    lesson = _loaded(Lesson, id=lesson_id, course_id=course_id, slug=slug, title=lesson_title,
                     is_published=bool(lesson_published),
                     available_from=_aware(available_from))
    access.check_lesson_open(lesson, role)
    lesson.course = course
    lesson.page_columns = {column.name: value for column, value in zip(columns, extras,
                                                                       strict=True)}

    teaching = access.can_see_unpublished(role)
    version = hashlib.blake2b(repr(row[_PAGE_COLUMNS:]).encode(), digest_size=16).hexdigest()
    key = f"lectio:lesson:{lesson_id}:{'teaching' if teaching else 'everyone'}:{version}"
    rendered = caches["fragments"].get(key)
    if rendered is None:
        rendered = _render_lesson_parts(lesson_id, teaching)
        caches["fragments"].set(key, rendered, timeout=24 * 3600)

    passage_count = rendered["passage_count"]
    seen = ReadingProgress._meta.get_field("passages_seen").from_db_value(seen, None, connection)
    percent = round(100 * len(seen) / passage_count) if seen and passage_count else 0
    return LessonPage(course, lesson, role, rendered["parts"], passage_count, percent,
                      completed_at is not None, key)


def _aware(moment):
    """A timestamp read by raw SQL as the ORM would give it: aware (SQLite hands back the
    stored UTC time as a naive datetime, or text where it does not know the column)."""
    if isinstance(moment, str):
        moment = datetime.fromisoformat(moment)
    if moment is not None and timezone.is_naive(moment):
        moment = timezone.make_aware(moment, dt_timezone.utc)
    return moment


def _loaded(model, **values):
    """An instance of `model` as the ORM would load it with only these fields."""
    names = [f.attname for f in model._meta.concrete_fields if f.attname in values]
    return model.from_db(connection.alias, names, [values[name] for name in names])


# Where each cached part of the lesson page comes from, in page order.
_PARTS = {
    "breadcrumb": "lesson_breadcrumb",
    "heading": "lesson_heading",
    "facts": "lesson_facts",
    "intro": "lesson_intro",
    "text": "reading_text",
    "authors": "lesson_authors",
    "discussion": "lesson_discussion",
    "notes": "reading_notes",
}


def _render_lesson_parts(lesson_id: int, teaching: bool) -> dict[str, Any]:
    lesson = Lesson.objects.select_related("course", "reading").get(pk=lesson_id)
    # This lesson's notes only: other lessons on the same reading (other courses') have theirs.
    notes = Annotation.objects.filter(lesson_id=lesson_id).order_by("start", "pk")
    if not teaching:
        notes = notes.filter(audience=Audience.EVERYONE)
    passages = list(
        Passage.objects.filter(reading_id=lesson.reading_id)
        .order_by("order")
        .prefetch_related(Prefetch("annotations", queryset=notes, to_attr="visible_notes"))
    )
    ordered = number_notes(passages)
    for passage in passages:
        passage.segments = segment_text(passage.text, passage.visible_notes)
    glossary = sorted(
        (n for n in ordered if n.kind == AnnotationKind.GLOSSARY),
        key=lambda n: (n.title or n.quote).casefold(),
    )
    context = {
        "course": lesson.course, "lesson": lesson, "reading": lesson.reading,
        "passages": passages, "glossary": glossary, "teaching": teaching,
        "notes": [n for n in ordered if n.depth != NoteDepth.DEEPER],
        "deeper_notes": [n for n in ordered if n.depth == NoteDepth.DEEPER],
        "course_slug": lesson.course.slug, "lesson_slug": lesson.slug,
    }
    return {
        "parts": {name: render_to_string(f"courses/includes/{template}.html", context)
                  for name, template in _PARTS.items()},
        "passage_count": len(passages),
    }


@dataclass
class StudentProgress:
    enrollment: Any
    progress: ReadingProgress | None
    passage_count: int

    @property
    def percent(self) -> int:
        if not self.progress or not self.passage_count:
            return 0
        return round(100 * len(self.progress.passages_seen) / self.passage_count)

    @property
    def minutes(self) -> int:
        return round((self.progress.seconds_spent if self.progress else 0) / 60)


def lesson_progress_report(lesson: Lesson) -> list[StudentProgress]:
    """Every student of the lesson's course with how far they read it: three queries."""
    passage_count = Passage.objects.filter(reading_id=lesson.reading_id).count()
    progress = {p.user_id: p for p in ReadingProgress.objects.filter(lesson=lesson)}
    students = (Enrollment.objects.filter(course_id=lesson.course_id, role=Role.STUDENT)
                .select_related("user").order_by("user__last_name", "user__username"))
    return [StudentProgress(e, progress.get(e.user_id), passage_count) for e in students]


def lesson_free_slug(course: Course, slug: str) -> str:
    """`slug`, or `slug-2`, `slug-3`... : the first not taken in `course` (80 characters at
    most, never one of the addresses the lesson pages keep for themselves), in one query."""
    taken = set(course.lessons.values_list("slug", flat=True)) | RESERVED_LESSON_SLUGS
    candidate, n = slug, 2
    while candidate in taken:
        suffix = f"-{n}"
        candidate, n = slug[: 80 - len(suffix)] + suffix, n + 1
    return candidate
