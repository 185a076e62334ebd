"""Writes for a course's lessons (create from a reading, change, reorder, publish, delete)
and for the reading library (make a reading available to a course).

Every write that gives or takes a lesson's position first locks the course row with
FOR NO KEY UPDATE: that serialises these writers course by course without blocking the
enrolments, attempts and uploads that merely reference the course. Under the lock the
lessons are renumbered 1..n in the order the course page shows them, so positions stay one
contiguous sequence whatever ran concurrently, and whatever gaps or ties an older import or
the Django admin left behind.

A unique constraint on (course, position) would not help here: a move swaps two positions,
which a non-deferrable constraint refuses row by row, SQLite cannot defer it, and the
existing upload and package-import paths (which number a new lesson "last") would start
failing where today they merely tie.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q

from .hooks import lesson_in_use
from .models import Course, CourseReading, Lesson, Reading
from .ordering import DOWN, UP, move_one, renumber
from .selectors_lessons import lesson_slug_problem, lesson_suggested_slug


def _lock_course(course: Course) -> None:
    list(Course.objects.select_for_update(no_key=True).filter(pk=course.pk)
         .values_list("pk", flat=True))


def _in_order(course: Course) -> list[Lesson]:
    # Explicit order with no join: Meta.ordering would reach the course table.
    return list(Lesson.objects.filter(course=course).order_by("position", "title", "pk"))


def _renumber(lessons: list[Lesson]) -> None:
    renumber(lessons, Lesson)


def _clean_lines(objectives: Iterable[str]) -> list[str]:
    return [line.strip() for line in objectives if line and line.strip()]


def _check_title(title: str) -> str:
    if not title.strip():
        raise ValidationError({"title": "A lesson needs a title."})
    return title.strip()


def _check_slug(course: Course, slug: str, lesson: Lesson | None = None) -> str:
    problem = lesson_slug_problem(course, slug, lesson=lesson)
    if problem:
        raise ValidationError({"slug": problem})
    return slug


@transaction.atomic
def lesson_create(
    *,
    course: Course,
    reading: Reading,
    title: str,
    slug: str = "",
    summary: str = "",
    objectives: Iterable[str] = (),
    before_reading: str = "",
    discussion: Iterable[str] = (),
    available_from: datetime | None = None,
    is_published: bool = False,
) -> Lesson:
    """Place the current version of `reading` in `course` as its last lesson.

    An empty `slug` is made from the title (`-2`, `-3`... when taken). Raises
    ValidationError, by field, storing nothing, when the title is empty, the slug is
    malformed, reserved or taken in the course, or the reading has a newer version.
    """
    title = _check_title(title)
    if Reading.objects.filter(previous_version=reading).exists():
        raise ValidationError({"reading": "This reading has a newer version; make the "
                                          "lesson from that one."})
    _lock_course(course)
    slug = _check_slug(course, slug) if slug else lesson_suggested_slug(course, title)
    lessons = _in_order(course)
    _renumber(lessons)
    try:
        with transaction.atomic():
            return Lesson.objects.create(
                course=course, reading=reading, title=title, slug=slug,
                summary=summary.strip(), objectives=_clean_lines(objectives),
                before_reading=before_reading.strip(),
                discussion=_clean_lines(discussion), available_from=available_from,
                is_published=is_published,
                position=len(lessons) + 1,
            )
    except IntegrityError:
        # An upload took the slug between the check and the insert (uploads do not take
        # the course lock).
        raise ValidationError({"slug": lesson_slug_problem(course, slug)
                               or "That address was just taken; choose another."}) from None


@transaction.atomic
def lesson_update(
    *,
    lesson: Lesson,
    title: str,
    slug: str,
    summary: str = "",
    objectives: Iterable[str] = (),
    before_reading: str = "",
    discussion: Iterable[str] = (),
    available_from: datetime | None = None,
    is_published: bool = False,
) -> Lesson:
    """Change a lesson's settings (not its reading or position). Raises ValidationError,
    by field, changing nothing, as `lesson_create` does."""
    title = _check_title(title)
    if slug != lesson.slug:
        _lock_course(lesson.course)
        _check_slug(lesson.course, slug, lesson=lesson)
    lesson.title, lesson.slug, lesson.summary = title, slug, summary.strip()
    lesson.objectives = _clean_lines(objectives)
    lesson.before_reading = before_reading.strip()
    lesson.discussion = _clean_lines(discussion)
    lesson.available_from, lesson.is_published = available_from, is_published
    try:
        with transaction.atomic():
            lesson.save(update_fields=["title", "slug", "summary", "objectives",
                                       "before_reading", "discussion", "available_from",
                                       "is_published"])
    except IntegrityError:
        raise ValidationError({"slug": "That address was just taken; choose another."}) \
            from None
    return lesson


@transaction.atomic
def lesson_move(*, lesson: Lesson, direction: str) -> list[Lesson]:
    """Move a lesson one place up or down in its course; return the course's lessons in
    their new order, numbered 1..n (`lesson.position` is set too). Moving the first lesson
    up, or the last down, changes nothing. Raises ValidationError for an unknown direction
    or a lesson deleted meanwhile.
    """
    if direction not in (UP, DOWN):
        raise ValidationError("Move a lesson up or down.")
    _lock_course(lesson.course)
    lessons = _in_order(lesson.course)
    index = next((i for i, other in enumerate(lessons) if other.pk == lesson.pk), None)
    if index is None:
        raise ValidationError("This lesson was deleted meanwhile.")
    index = move_one(lessons, index, direction)
    _renumber(lessons)
    lesson.position = index + 1
    return lessons


@transaction.atomic
def lesson_set_published(*, lesson: Lesson, published: bool) -> Lesson:
    """Publish the lesson to the course's students, or take it back (their progress,
    attempts and grades are kept). Idempotent."""
    Lesson.objects.filter(pk=lesson.pk).update(is_published=published)
    lesson.is_published = published
    return lesson


@transaction.atomic
def lesson_delete(*, lesson: Lesson) -> None:
    """Delete a lesson that no student's attempt uses, with its quizzes, the instructors'
    previews and the reading progress; the reading stays in the library. The other lessons
    close the gap. Raises ValidationError, deleting nothing, naming what uses the lesson.
    Deleting a lesson already gone does nothing.
    """
    _lock_course(lesson.course)
    if not Lesson.objects.filter(pk=lesson.pk).exists():
        return
    uses = lesson_in_use(lesson, None, "")
    if uses:
        raise ValidationError(
            f"“{lesson.title}” cannot be deleted: {'; '.join(uses)} would be lost. "
            "Unpublish it instead to hide it from students; their grades stay.")
    lesson.delete()
    _renumber(_in_order(lesson.course))


@transaction.atomic
def reading_attach(*, reading: Reading, course: Course, user=None) -> tuple[CourseReading, bool]:
    """Make the current version of a reading available to `course`, so its instructors can
    build a lesson from it; return the link and whether it is new (attaching twice is
    harmless). Raises ValidationError for a reading that has a newer version."""
    if Reading.objects.filter(previous_version=reading).exists():
        raise ValidationError("This reading has a newer version; make that one available.")
    existing = CourseReading.objects.filter(
        course=course, reading__in=_family(reading)).first()
    if existing is not None:
        return existing, False
    try:
        with transaction.atomic():
            return CourseReading.objects.create(course=course, reading=reading,
                                                attached_by=user), True
    except IntegrityError:  # a double click: the other request made it
        return CourseReading.objects.get(course=course, reading=reading), False


@transaction.atomic
def reading_detach(*, reading: Reading, course: Course) -> int:
    """Stop offering a reading (every version of it) to `course`; lessons already built
    from it stay. Returns how many links were removed (0 when there were none)."""
    deleted, _ = CourseReading.objects.filter(course=course,
                                              reading__in=_family(reading)).delete()
    return deleted


def _family(reading: Reading):
    family = reading.family_id
    return Reading.objects.filter(Q(pk=family) | Q(first_version_id=family))
