"""Reads for the course pages. Each selector runs a fixed number of queries."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any

from django.core.cache import cache
from django.db.models import Count, Max, Prefetch, Q, QuerySet
from django.template.loader import render_to_string

from . import access
from .models import Annotation, AnnotationKind, Audience, Course, Lesson, Passage, ReadingProgress
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
    """The course's lessons `role` may see, each with `.progress` (the user's, or None) and
    `.passage_count`, in two queries."""
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
    for lesson in lessons:
        lesson.my_progress = progress.get(lesson.pk)
    return lessons


def lesson_for_course(course: Course, slug: str, role: str) -> Lesson | None:
    """The lesson with `slug` in `course` if `role` may see it, else None."""
    lessons = Lesson.objects.filter(course=course, slug=slug).select_related("reading")
    if not access.can_see_unpublished(role):
        lessons = lessons.filter(is_published=True)
    return lessons.first()


@dataclass
class ReaderView:
    """Everything the lesson page shows. The reading's text and notes arrive as HTML rendered
    once per reading version and audience, then served from the cache."""

    lesson: Lesson
    text_html: str
    notes_html: str
    passage_count: int
    progress: ReadingProgress | None
    extras: list[Any] = field(default_factory=list)

    @property
    def percent_read(self) -> int:
        if not self.progress or not self.passage_count:
            return 0
        return round(100 * len(self.progress.passages_seen) / self.passage_count)


def _reading_stamp(reading_id: int) -> str:
    """A fingerprint that changes whenever a passage or note of the reading changes (edits
    move `updated_at`, deletions change the counts): one aggregate query."""
    stamp = Passage.objects.filter(reading_id=reading_id).aggregate(
        passages=Count("id", distinct=True),
        passage_edit=Max("updated_at"),
        notes=Count("annotations", distinct=True),
        note_edit=Max("annotations__updated_at"),
    )
    raw = "|".join(str(stamp[key]) for key in ("passages", "passage_edit", "notes", "note_edit"))
    return hashlib.sha256(raw.encode()).hexdigest()[:32]


def _render_reading(reading_id: int, teaching: bool, lesson: Lesson) -> dict[str, Any]:
    notes = Annotation.objects.order_by("start", "pk")
    if not teaching:
        notes = notes.filter(audience=Audience.EVERYONE)
    passages = list(
        Passage.objects.filter(reading_id=reading_id)
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
    return {
        "text_html": render_to_string("courses/includes/reading_text.html",
                                      {"passages": passages}),
        "notes_html": render_to_string("courses/includes/reading_notes.html", {
            "notes": ordered, "glossary": glossary, "teaching": teaching,
            "course_slug": lesson.course.slug, "lesson_slug": lesson.slug,
        }),
        "passage_count": len(passages),
    }


def lesson_for_reader(lesson: Lesson, user, role: str) -> ReaderView:
    """The lesson's passages with their notes laid over the text, the notes list, the glossary
    and the reader's progress, in a fixed number of queries whatever the number of notes.

    Instructor-only notes are rendered only into the teaching staff's copy: they never reach
    a student's page. The rendering is cached per reading, audience and content fingerprint,
    so an edit shows at once and an unchanged reading is not rendered again.
    """
    teaching = access.can_see_unpublished(role)
    # The staff copy carries edit links into this lesson, so it is cached per lesson.
    audience = f"staff-{lesson.pk}" if teaching else "all"
    key = f"lectio:reading:{lesson.reading_id}:{audience}:{_reading_stamp(lesson.reading_id)}"
    rendered = cache.get(key)
    if rendered is None:
        rendered = _render_reading(lesson.reading_id, teaching, lesson)
        cache.set(key, rendered, timeout=24 * 3600)
    progress = ReadingProgress.objects.filter(user=user, lesson=lesson).first()
    return ReaderView(lesson, rendered["text_html"], rendered["notes_html"],
                      rendered["passage_count"], progress)


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
    from .models import Enrollment, Role

    passage_count = Passage.objects.filter(reading_id=lesson.reading_id).count()
    progress = {p.user_id: p for p in ReadingProgress.objects.filter(lesson=lesson)}
    students = (Enrollment.objects.filter(course_id=lesson.course_id, role=Role.STUDENT)
                .select_related("user").order_by("user__last_name", "user__username"))
    return [StudentProgress(e, progress.get(e.user_id), passage_count) for e in students]
