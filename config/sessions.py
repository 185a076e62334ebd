"""Database sessions that bring their user along: one statement per signed-in request.

Every signed-in request reads its session row and then its user. Through the ORM those two
reads cost more CPU than the rest of a cached lesson page's database work
(bench/bench_lesson.py), and on the autosave they were two of five statements
(bench/bench_quiz.py). This store keeps Django's session engine (cookie, signing, expiry,
writes) and its `get_user()` checks, with two changes: the row (courses.UserSession) also
records whose session it is, and the read joins that user's row, which
config.backends.ModelBackend then uses instead of reading it again.
"""

from __future__ import annotations

from contextvars import ContextVar
from functools import lru_cache

from django.contrib.auth import SESSION_KEY, get_user_model
from django.contrib.sessions.backends import db
from django.db import connections, router
from django.utils import timezone

from .rows import load_values

# The user row read with this context's latest session, for the backend to take once.
# Every request reads its session before it asks for its user, so what is here was read by
# the same request; taking it empties it, so it is never used twice.
_user_read_with_session: ContextVar = ContextVar("user_read_with_session", default=None)


def take_user_read_with_session(user_pk):
    """The user row the latest session read brought, if it is user `user_pk`; else None."""
    user = _user_read_with_session.get()
    _user_read_with_session.set(None)
    if user is not None and user.pk == user_pk:
        return user
    return None


class SessionStore(db.SessionStore):
    """`django.contrib.sessions.backends.db.SessionStore` on courses.UserSession."""

    @classmethod
    def get_model_class(cls):
        from courses.models import UserSession

        return UserSession

    def create_model_instance(self, data):
        """The row to save, with whose session it is (None before signing in)."""
        session = super().create_model_instance(data)
        try:
            session.user_pk = int(data.get(SESSION_KEY))
        except (TypeError, ValueError):
            session.user_pk = None
        return session

    def _get_session_from_db(self):
        """The unexpired session row for this key, or None (and forget the key), as
        Django's own store promises; its user's row is kept for the backend."""
        _user_read_with_session.set(None)
        model = self.model
        alias = router.db_for_read(model)
        connection = connections[alias]
        sql, session_fields, user_fields = _plan(alias)
        expire = model._meta.get_field("expire_date")
        with connection.cursor() as cursor:
            cursor.execute(sql, [self.session_key,
                                 expire.get_db_prep_value(timezone.now(), connection)])
            row = cursor.fetchone()
        if row is None:
            self._session_key = None
            return None
        split = len(session_fields)
        session = model.from_db(alias, [f.attname for f in session_fields],
                                load_values(session_fields, row[:split], alias))
        if row[split] is not None:  # the user's primary key: NULL when no user row joined
            user_model = get_user_model()
            _user_read_with_session.set(user_model.from_db(
                alias, [f.attname for f in user_fields],
                load_values(user_fields, row[split:], alias)))
        return session


@lru_cache(maxsize=8)
def _plan(alias: str):
    from courses.models import UserSession

    quote = connections[alias].ops.quote_name
    user_model = get_user_model()
    session_fields = list(UserSession._meta.concrete_fields)
    user_fields = list(user_model._meta.concrete_fields)  # the primary key first
    columns = [f"s.{quote(f.column)}" for f in session_fields]
    columns += [f"u.{quote(f.column)}" for f in user_fields]
    # Only quoted model names go into the statement text; the values are bound.
    sql = (
        f"SELECT {', '.join(columns)} FROM {quote(UserSession._meta.db_table)} s "  # noqa: S608
        f"LEFT JOIN {quote(user_model._meta.db_table)} u "
        f"ON u.{quote(user_model._meta.pk.column)} = s.{quote('user_pk')} "
        f"WHERE s.{quote('session_key')} = %s AND s.{quote('expire_date')} > %s")
    return sql, session_fields, user_fields
