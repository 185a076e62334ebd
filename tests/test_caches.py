"""Caches: REDIS_URL puts every cache in Redis, and fragment keys carry the code's version,
so a deploy never serves a fragment rendered by the code it replaced."""

from __future__ import annotations

import uuid

import pytest
import redis
from django.conf import settings
from django.contrib.sessions.models import Session
from django.core.cache import caches
from django.test import override_settings

from config.cache_version import caches_setting, code_version

pytestmark = pytest.mark.django_db


def _tree(root, template_text: str):
    (root / "templates").mkdir(exist_ok=True)
    (root / "templates" / "page.html").write_text(template_text)
    (root / "courses").mkdir(exist_ok=True)
    (root / "courses" / "views.py").write_text("VIEW = 1\n")
    return root


def test_the_code_version_changes_with_a_template_and_only_then(tmp_path):
    root = _tree(tmp_path, "<p>one</p>")
    first = code_version(root)
    assert code_version(root) == first
    (root / "README.md").write_text("not a page's source")
    assert code_version(root) == first
    _tree(root, "<p>two</p>")
    assert code_version(root) != first


def test_a_build_id_names_the_version_whatever_the_files(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    one, two = _tree(tmp_path / "a", "x"), _tree(tmp_path / "b", "y")
    assert code_version(one, "abc123") == code_version(two, "abc123")
    assert code_version(one, "abc123") != code_version(one, "abc124")


def test_without_redis_fragments_stay_in_each_process_and_sessions_in_the_database():
    setting = caches_setting(redis_url="", version="v1")
    for alias in ("default", "fragments"):
        assert setting[alias]["BACKEND"].endswith("LocMemCache")
        assert setting[alias]["KEY_PREFIX"] == "lectio:v1"
    assert setting["shared"]["BACKEND"].endswith("DatabaseCache")


def test_redis_url_puts_every_cache_in_redis_and_only_fragments_carry_the_version():
    setting = caches_setting(redis_url="redis://cache:6379/2", version="v1")
    for alias in ("default", "shared"):
        assert setting[alias]["BACKEND"] == "django.core.cache.backends.redis.RedisCache"
    for alias in ("default", "fragments", "shared"):
        assert setting[alias]["LOCATION"] == "redis://cache:6379/2"
    assert setting["default"]["KEY_PREFIX"] == setting["fragments"]["KEY_PREFIX"] == "lectio:v1"
    assert "v1" not in setting["shared"]["KEY_PREFIX"]


@pytest.fixture
def on_redis(redis_url):
    """Point both caches at the test Redis under a prefix of this test's own."""
    prefix = f"lectio-test-{uuid.uuid4().hex[:12]}"

    def use(version: str):
        return override_settings(CACHES=caches_setting(redis_url=redis_url, version=version,
                                                       prefix=prefix))

    yield use, prefix
    client = redis.Redis.from_url(redis_url)
    for key in client.scan_iter(f"{prefix}*"):
        client.delete(key)


def _keys(redis_url: str, pattern: str) -> list[str]:
    return sorted(k.decode() for k in redis.Redis.from_url(redis_url).scan_iter(pattern))


def test_on_redis_the_lesson_page_parts_and_the_session_are_in_redis(
        client, student, lesson, on_redis, redis_url, django_assert_max_num_queries):
    use, prefix = on_redis
    with use("v1"):
        client.force_login(student)
        assert client.get(lesson.get_absolute_url()).status_code == 200
        assert _keys(redis_url, f"{prefix}:v1:*lectio:lesson:{lesson.pk}:*")
        assert _keys(redis_url, f"{prefix}-shared:*django.contrib.sessions.cached_db*")
        key = client.cookies[settings.SESSION_COOKIE_NAME].value
        assert Session.objects.filter(pk=key).exists()  # and in the table, for a lost Redis
        # Served from Redis: the page's own read only (its user and lesson row), no render
        # and no session query.
        with django_assert_max_num_queries(2) as queries:
            assert client.get(lesson.get_absolute_url()).status_code == 200
        assert not any("lectio_shared_cache" in q["sql"] or "django_session" in q["sql"]
                       for q in queries.captured_queries)


def test_a_new_version_never_serves_the_old_versions_fragments(
        client, student, lesson, on_redis, redis_url):
    use, prefix = on_redis
    with use("v1"):
        client.force_login(student)
        client.get(lesson.get_absolute_url())
        # Stale fragments, as yesterday's templates might have rendered them: the lesson's
        # parts and the page shell around them.
        for found in _keys(redis_url, f"{prefix}:v1:*"):
            key = found.split(":", 3)[3]  # less Django's "<prefix>:<VERSION>:"
            stale = caches["fragments"].get(key)
            if key.startswith("lectio:lesson:"):
                stale["parts"] = dict.fromkeys(stale["parts"], "STALE")
            else:
                stale[0] = "STALE" + stale[0]
            caches["fragments"].set(key, stale)
        assert "STALE" in client.get(lesson.get_absolute_url()).content.decode()
    with use("v2"):
        page = client.get(lesson.get_absolute_url())
        assert page.status_code == 200  # the session is unversioned: still signed in
        assert "STALE" not in page.content.decode()
        assert "Passage 2: the fox runs." in page.content.decode()
        assert _keys(redis_url, f"{prefix}:v2:*lectio:lesson:*")


def test_while_redis_is_unreachable_a_page_answers_503_not_500(client, student, lesson,
                                                               free_port):
    client.force_login(student)
    with override_settings(CACHES=caches_setting(
            redis_url=f"redis://127.0.0.1:{free_port}/0", version="v1")):
        page = client.get(lesson.get_absolute_url())
    assert page.status_code == 503
    assert page["Retry-After"] == "5"


@pytest.fixture
def free_port():
    import socket

    with socket.socket() as sock:  # bound then closed: nothing listens there
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_fragments_come_from_this_processs_memory_once_read_from_redis(on_redis, redis_url):
    use, prefix = on_redis
    with use("v1"):
        fragments = caches["fragments"]
        fragments.set("lectio:lesson:1:k", {"parts": "one"})
        client = redis.Redis.from_url(redis_url)
        assert client.exists(f"{prefix}:v1:1:lectio:lesson:1:k")
        client.delete(f"{prefix}:v1:1:lectio:lesson:1:k")
        # Under a content-addressed key the copy in memory is the same value: no round trip.
        assert fragments.get("lectio:lesson:1:k") == {"parts": "one"}
    with use("v1"):
        # Another process (a new cache instance with an empty memory) reads Redis.
        caches["fragments"]._local.clear()
        assert caches["fragments"].get("lectio:lesson:1:k") is None
        caches["default"].set("elsewhere", 1)
        assert caches["fragments"].get("elsewhere") == 1  # one Redis, one key space
