"""Django's cached_db sessions, written so that the cache can never hold a session the
database has changed or deleted.

Django's engine writes the `django_session` row first and the cache second, and swallows a
failed cache write: while Redis is unreachable (or hangs past its socket timeout) a save or
a sign-out is reported as done, yet Redis keeps the old copy, and every server reads
sessions from Redis first. When Redis answers again with its data (a network partition, a
paused or failed-over server) that copy comes back: a signed-out session is signed in
again, an upload's staged token or a message is gone. Its read also swallows a failed cache
read and then fails on the cache write that follows, so the request ends in a 500 when that
happens outside the view (a first session saved by the middleware).

Here a change first removes the cached copy: if the cache cannot be reached the change is
refused before anything is written (the caller answers 503, config/middleware.py), and
once it is removed every reader falls back to the table, so the table is the truth whether
or not the new copy is cached afterwards. A failed cache write after a stored change is
therefore harmless and is only logged. Reads do not fall back to the table while the cache
is unreachable: the same request's writes could not be made safely, so the whole request
answers 503 and the client tries again in a few seconds.
"""

from __future__ import annotations

import logging

from asgiref.sync import sync_to_async
from django.contrib.sessions.backends import cached_db
from django.contrib.sessions.backends.db import SessionStore as DBStore

logger = logging.getLogger("django.contrib.sessions")


class SessionStore(cached_db.SessionStore):
    def load(self):
        # Unlike Django's, a cache that cannot be reached raises (a 503) rather than being
        # taken for a miss.
        data = self._cache.get(self.cache_key)
        if data is not None:
            return data
        row = self._get_session_from_db()
        if not row:
            return {}
        data = self.decode(row.session_data)
        # add, not set: a request that read the table just before another one saved a
        # change must not put its older copy over the newer one that save cached.
        self._cache.add(self.cache_key, data, self.get_expiry_age(expiry=row.expire_date))
        return data

    def save(self, must_create=False):
        if not must_create and self.session_key is not None:
            # Raises while the cache is unreachable, before the table is touched.
            self._cache.delete(self.cache_key)
        DBStore.save(self, must_create)
        try:
            self._cache.set(self.cache_key, self._session, self.get_expiry_age())
        except Exception:  # noqa: BLE001
            # Stored, and no cached copy is left to contradict it: readers use the table.
            logger.warning("Session saved; caching it failed (%s)", self._cache, exc_info=True)

    def delete(self, session_key=None):
        if session_key is None:
            if self.session_key is None:
                return
            session_key = self.session_key
        # The cached copy first: were the row deleted and the copy kept, the session would
        # be signed in again as soon as the cache answers.
        self._cache.delete(self.cache_key_prefix + session_key)
        DBStore.delete(self, session_key)

    # Django's async methods follow its own order; these keep this one's under ASGI too.
    async def aload(self):
        return await sync_to_async(self.load)()

    async def asave(self, must_create=False):
        await sync_to_async(self.save)(must_create)

    async def adelete(self, session_key=None):
        await sync_to_async(self.delete)(session_key)
