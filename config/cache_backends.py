"""Django's Redis cache with each process's memory in front, for fragments that never change
under their key.

A lesson's rendered parts and its page shell are cached under keys that name the code
version and a stamp of every row they show (courses/selectors.py, courses/shell.py): a new
value always comes under a new key. So a copy in the process's memory can never be stale,
and only a process's first request for a key reads Redis; each later one would otherwise
fetch some hundred kilobytes from Redis per page (on the benchmark machine the lesson page
fell from 0.55 to 0.25 of a bare read, bench/bench_lesson.py with REDIS_URL). Redis still
lets a new process, or another server, start from fragments rendered elsewhere.

Only for such content-addressed keys: a value changed or deleted under the same key would
stay in other processes' memory until it expires there.
"""

from __future__ import annotations

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache

_MISSING = object()


class ProcessFirstRedisCache(RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        # Named by the key prefix (which carries the code version): every thread of a
        # process shares one memory, and a new version starts an empty one. Django's
        # default 300 entries, as the per-process cache has without Redis: a lesson's
        # parts and shell are some hundred kilobytes each.
        self._local = LocMemCache(f"process-first:{self.key_prefix}",
                                  {"TIMEOUT": params.get("TIMEOUT", DEFAULT_TIMEOUT)})

    def get(self, key, default=None, version=None):
        value = self._local.get(key, _MISSING, version=version)
        if value is _MISSING:
            value = super().get(key, _MISSING, version=version)
            if value is _MISSING:
                return default
            self._local.set(key, value, version=version)
        return value

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        super().set(key, value, timeout=timeout, version=version)
        self._local.set(key, value, timeout=timeout, version=version)

    def delete(self, key, version=None):
        self._local.delete(key, version=version)
        return super().delete(key, version=version)

    def clear(self):
        self._local.clear()
        return super().clear()
