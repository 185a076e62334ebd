"""Extension points other apps fill in, so that `courses` never imports them.

`quizzes` registers providers in its AppConfig.ready(): the quiz links shown at the end of a
lesson (with the reader's quiz states read in the lesson page's own statement), the links
shown on a course page and with each lesson on its Lessons page, and what makes a reading
or a lesson "in use" by attempts.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

Provider = Callable[[Any, Any, str], list[Any]]


class Hook:
    """An ordered set of providers `provider(obj, user, role) -> list`, whose results are
    concatenated when the hook is called."""

    def __init__(self) -> None:
        self._providers: list[Provider] = []

    def register(self, provider: Provider) -> None:
        if provider not in self._providers:
            self._providers.append(provider)

    def __call__(self, obj, user, role: str) -> list[Any]:
        items: list[Any] = []
        for provider in self._providers:
            items.extend(provider(obj, user, role))
        return items


lesson_extras = Hook()   # items shown after a lesson's text
course_links = Hook()    # links shown on a course page
register_lesson_extras = lesson_extras.register
register_course_links = course_links.register
reading_in_use = Hook()  # truthy items mean attempts have used the reading (obj=reading)
register_reading_in_use = reading_in_use.register
# What keeps a lesson from being deleted (obj=lesson): each item names one use in words
# ("3 student attempts at “Quiz 1”"). It is called inside the deleting transaction, and a
# provider locks what could start using the lesson meanwhile, so the answer stays true
# until the delete commits.
lesson_in_use = Hook()
register_lesson_in_use = lesson_in_use.register
# What other apps show with each lesson on its course's Lessons page (obj = the course's
# lessons, in order): a provider returns (lesson id, link) pairs for all of them at once,
# so the page's queries do not grow with its lessons.
lesson_manage_links = Hook()
register_lesson_manage_links = lesson_manage_links.register


@dataclass(frozen=True)
class PageColumn:
    """One more value read in the lesson page's single statement (selectors.lesson_page),
    for another app that would otherwise spend a statement of its own on every page.

    `sql(vendor)` is a scalar subquery over the lesson row, aliased `l`; every value in it
    is a `%s` parameter, given in order by `params(user)`. The value reaches the lesson as
    `lesson.page_columns[name]`.
    """

    name: str
    sql: Callable[[str], str]
    params: Callable[[Any], list[Any]]


lesson_page_columns: list[PageColumn] = []


def register_lesson_page_column(column: PageColumn) -> None:
    if all(existing.name != column.name for existing in lesson_page_columns):
        lesson_page_columns.append(column)
