"""Shared fixtures: people in their course roles, and a lesson with passages."""

from __future__ import annotations

import pytest

from courses.models import Role
from tests.factories import (
    CourseFactory,
    EnrollmentFactory,
    LessonFactory,
    PassageFactory,
    ReadingFactory,
    UserFactory,
)


@pytest.fixture
def course(db):
    return CourseFactory(title="Politics 101", slug="politics")


@pytest.fixture
def other_course(db):
    return CourseFactory(title="Chemistry", slug="chemistry")


def _member(course, username: str, role: str):
    user = UserFactory(username=username)
    EnrollmentFactory(course=course, user=user, role=role)
    return user


@pytest.fixture
def student(course):
    return _member(course, "stu", Role.STUDENT)


@pytest.fixture
def classmate(course):
    return _member(course, "classmate", Role.STUDENT)


@pytest.fixture
def instructor(course):
    return _member(course, "prof", Role.INSTRUCTOR)


@pytest.fixture
def assistant(course):
    return _member(course, "ta", Role.ASSISTANT)


@pytest.fixture
def outsider(other_course):
    return _member(other_course, "outsider", Role.STUDENT)


@pytest.fixture
def admin_user(db):
    return UserFactory(username="root-admin", is_staff=True, is_superuser=True)


@pytest.fixture
def lesson(course):
    reading = ReadingFactory(title="The Fox", dek="A story about a fox.")
    for order in range(1, 4):
        PassageFactory(reading=reading, order=order, text=f"Passage {order}: the fox runs.")
    return LessonFactory(course=course, reading=reading, title="The Fox", slug="the-fox")


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache, so rendered pages never leak between tests."""
    from django.core.cache import caches

    for alias in ("default", "fragments"):
        caches[alias].clear()
    yield
    for alias in ("default", "fragments"):
        caches[alias].clear()


@pytest.fixture
def redis_url():
    """A Redis for the tests that need one (LECTIO_TEST_REDIS_URL, default database 9 of the
    local server, away from a developer's database 0); keys are prefixed per test by callers.

    CI starts Redis (.ci/run), so there a missing server fails; elsewhere the test is skipped
    with a message saying how to get one, as the browser tests are without Chromium."""
    import os

    import redis

    url = os.environ.get("LECTIO_TEST_REDIS_URL", "redis://127.0.0.1:6379/9")
    try:
        redis.Redis.from_url(url, socket_connect_timeout=1).ping()
    except redis.ConnectionError:
        if os.environ.get("CI") == "true":
            pytest.fail(f"No Redis at {url}: .ci/run starts one.")
        pytest.skip(f"No Redis at {url}: `apt-get install redis-server` or set "
                    "LECTIO_TEST_REDIS_URL.")
    return url


@pytest.fixture
def throwaway_redis(tmp_path):
    """A running Redis of this test's own (tests/redis_server.py), for outage tests: stop it,
    pause it, start it again. Needs `redis-server` on the PATH, which CI has (.ci/run); a
    missing one fails there and skips the test elsewhere, as `redis_url` does."""
    import os
    import shutil

    from tests.redis_server import ThrowawayRedis

    binary = shutil.which("redis-server")
    if binary is None:
        if os.environ.get("CI") == "true":
            pytest.fail("No redis-server on the PATH: .ci/run installs one.")
        pytest.skip("No redis-server on the PATH: `apt-get install redis-server`.")
    server = ThrowawayRedis(binary, tmp_path).start()
    yield server
    server.stop()
