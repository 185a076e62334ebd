"""Grade events: another app (lti, which sends grades to a learning platform) learns that a
quiz's grades may have changed, once the change is committed.

`quizzes` never imports its listeners; they register in their AppConfig.ready(). A listener
runs after the transaction that changed the grades commits, so it never delays or undoes
that change, and it must not raise (lti's logs and records its own failures).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from django.db import transaction

Listener = Callable[..., None]
_listeners: list[Listener] = []


def register_grades_changed(listener: Listener) -> None:
    """`listener(quiz_id=..., user_ids=...)` is called after each committed grade change;
    `user_ids` is None when every student's grade may have changed (grades released)."""
    if listener not in _listeners:
        _listeners.append(listener)


def grades_changed(*, quiz_id: int, user_ids: list[int] | None) -> None:
    """Announce, for after the current transaction commits, that the grades of `quiz_id`
    for `user_ids` (None: everyone) may have changed."""
    for listener in _listeners:
        transaction.on_commit(partial(listener, quiz_id=quiz_id,
                                      user_ids=None if user_ids is None else list(user_ids)))
