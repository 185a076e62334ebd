"""Django's database sessions, read with one parameterised SQL statement.

Every signed-in request reads its session row. Through the ORM that read cost more CPU than
the rest of a cached lesson page's database work together (bench/bench_lesson.py), because
the queryset is built, cloned and compiled again on each request. This store keeps Django's
table, cookie, signing, expiry and writes unchanged and replaces only that one read.
"""

from __future__ import annotations

from django.contrib.sessions.backends import db
from django.utils import timezone

from .rows import fetch_one


class SessionStore(db.SessionStore):
    """`django.contrib.sessions.backends.db.SessionStore` with a cheaper load."""

    def _get_session_from_db(self):
        """The unexpired session row for this key, or None (and forget the key), as
        Django's own store promises."""
        session = fetch_one(self.model, [("session_key", "=", self.session_key),
                                         ("expire_date", ">", timezone.now())])
        if session is None:
            self._session_key = None
        return session
