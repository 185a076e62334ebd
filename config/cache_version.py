"""The version that every rendered fragment's cache key carries, so a deploy never serves a
fragment rendered by the code or templates it replaced.

With one shared cache (Redis) for every server, a page part cached by yesterday's templates
would otherwise be served by today's code until it expired.
"""

from __future__ import annotations

import hashlib
from importlib import metadata
from pathlib import Path

# What a rendered fragment depends on: Lectio's Python, its templates and its static files
# (pages name hashed static URLs). Test code and benchmarks are left out.
_SOURCES = ("config", "courses", "quizzes", "lti", "templates", "static")
_SUFFIXES = {".py", ".html", ".txt", ".css", ".js", ".svg", ".json"}


def code_version(root: Path, build_id: str = "") -> str:
    """A short hash of `build_id` when one is given (a release's git commit, say), else of
    every source file under `root` that a page can depend on and of the installed packages'
    names and versions (a Django or crispy-forms upgrade changes their templates). The same
    checkout gives the same value in every process and on every server."""
    digest = hashlib.blake2b(digest_size=8)
    if build_id:
        digest.update(build_id.encode())
        return digest.hexdigest()
    for folder in _SOURCES:
        for path in sorted((root / folder).rglob("*")):
            if path.suffix in _SUFFIXES and "migrations" not in path.parts and path.is_file():
                digest.update(str(path.relative_to(root)).encode() + b"\0")
                digest.update(path.read_bytes() + b"\0")
    packages = sorted(f"{dist.metadata['Name']}=={dist.version}"
                      for dist in metadata.distributions())
    digest.update("\n".join(packages).encode())
    return digest.hexdigest()


def caches_setting(*, redis_url: str, version: str, prefix: str = "lectio") -> dict:
    """Django's CACHES for these environment values.

    "fragments" holds rendered lesson parts and page shells, whose keys name their content
    (config/cache_backends.py); it and "default" (anything else, django-lti's for one) carry
    `version`. "shared" holds what every server must agree on (sessions, rate-limit counts,
    LTI launch state), which a deploy must not throw away, so its keys carry no code
    version. With `redis_url` all three are that Redis, told apart by their key prefixes,
    with each process's memory in front for fragments; without it "default" and
    "fragments" are each process's memory and "shared" a table in the database. `prefix`
    starts every key (two sites on one Redis, or a test run, keep apart by it).
    """
    if redis_url:
        redis = "django.core.cache.backends.redis.RedisCache"
        # A Redis that stops answering fails the request in two seconds (a 503, see
        # config/middleware.py) instead of holding a server's worker indefinitely.
        options = {"socket_connect_timeout": 2, "socket_timeout": 2}
        return {
            "default": {"BACKEND": redis, "LOCATION": redis_url, "OPTIONS": options,
                        "KEY_PREFIX": f"{prefix}:{version}", "TIMEOUT": 24 * 3600},
            "fragments": {"BACKEND": "config.cache_backends.ProcessFirstRedisCache",
                          "LOCATION": redis_url, "OPTIONS": dict(options),
                          "KEY_PREFIX": f"{prefix}:{version}", "TIMEOUT": 24 * 3600},
            "shared": {"BACKEND": redis, "LOCATION": redis_url, "OPTIONS": options,
                       "KEY_PREFIX": f"{prefix}-shared", "TIMEOUT": 24 * 3600},
        }
    locmem = "django.core.cache.backends.locmem.LocMemCache"
    return {
        "default": {"BACKEND": locmem, "KEY_PREFIX": f"{prefix}:{version}"},
        "fragments": {"BACKEND": locmem, "LOCATION": "fragments",
                      "KEY_PREFIX": f"{prefix}:{version}"},
        "shared": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "lectio_shared_cache",
            "TIMEOUT": 24 * 3600,
            # Sessions live here too: at Django's default of 300 entries every sign-in past
            # the 300th would cull a third of the signed-in sessions back to the table read.
            "OPTIONS": {"MAX_ENTRIES": 200_000},
        },
    }
