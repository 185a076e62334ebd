"""Reads for managing a course's lessons. Each selector runs a fixed number of queries."""

from __future__ import annotations

import re

from django.db import transaction
from django.db.models import Count
from django.utils.text import slugify

from . import hooks
from .models import RESERVED_LESSON_SLUGS, Course, Lesson
from .selectors import lesson_free_slug

SLUG_MAX = Lesson._meta.get_field("slug").max_length
_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


def lesson_suggested_slug(course: Course, title: str) -> str:
    """A free address in `course` made from `title` (`reading`, `reading-2`...): one query."""
    return lesson_free_slug(course, slugify(title)[: SLUG_MAX - 10].strip("-") or "lesson")


def lesson_slug_problem(course: Course, slug: str, *, lesson: Lesson | None = None) -> str | None:
    """Why `slug` cannot be the address of `lesson` (or of a new lesson) in `course`, or
    None when it can. At most two queries."""
    if len(slug) > SLUG_MAX:
        return f"Use at most {SLUG_MAX} characters."
    if not _SLUG.match(slug):
        return ("Use lowercase letters, numbers and single hyphens between them, "
                "like “the-new-silk-road”.")
    if slug in RESERVED_LESSON_SLUGS:
        return f"“{slug}” is kept for Lectio's own pages; choose another address."
    others = course.lessons.filter(slug=slug)
    if lesson is not None:
        others = others.exclude(pk=lesson.pk)
    if others.exists():
        return (f"Another lesson in this course already uses “{slug}”; "
                f"“{lesson_free_slug(course, slug)}” is free.")
    return None


def lessons_for_manage(course: Course) -> list[Lesson]:
    """Every lesson of `course` in the course page's order, numbered 1..n as `number`, each
    with its reading and `passage_count`: one query."""
    lessons = list(course.lessons.select_related("reading")
                   .annotate(passage_count=Count("reading__passages"))
                   .order_by("position", "title", "pk"))
    for number, lesson in enumerate(lessons, start=1):
        lesson.number = number
        lesson.course = course  # already read; saves a query per link the page builds
    return lessons


def lesson_uses(lesson: Lesson) -> list[str]:
    """What keeps `lesson` from being deleted, in words (see `hooks.lesson_in_use`), for the
    page that asks before deleting. The providers lock what they read; in this short
    transaction of its own the lock is released at once."""
    with transaction.atomic():
        return hooks.lesson_in_use(lesson, None, "")
