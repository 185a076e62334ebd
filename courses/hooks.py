"""Extension points other apps fill in, so that `courses` never imports them.

`quizzes` registers a provider in its AppConfig.ready() that returns the quiz links shown
at the end of a lesson.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

_lesson_extra_providers: list[Callable[[Any, Any, str], list[Any]]] = []


def register_lesson_extras(provider: Callable[[Any, Any, str], list[Any]]) -> None:
    """Register `provider(lesson, user, role) -> list` of items shown after a lesson."""
    if provider not in _lesson_extra_providers:
        _lesson_extra_providers.append(provider)


def lesson_extras(lesson, user, role: str) -> list[Any]:
    """Everything registered providers want shown after `lesson`, in registration order."""
    items: list[Any] = []
    for provider in _lesson_extra_providers:
        items.extend(provider(lesson, user, role))
    return items


_course_link_providers: list[Callable[[Any, Any, str], list[Any]]] = []


def register_course_links(provider: Callable[[Any, Any, str], list[Any]]) -> None:
    """Register `provider(course, user, role) -> list` of links shown on the course page."""
    if provider not in _course_link_providers:
        _course_link_providers.append(provider)


def course_links(course, user, role: str) -> list[Any]:
    """Links that registered providers offer `user` on `course`'s page."""
    items: list[Any] = []
    for provider in _course_link_providers:
        items.extend(provider(course, user, role))
    return items
