"""While Redis (sessions, limits, LTI state, page parts with REDIS_URL) is unreachable, every
request answers 503 with Retry-After, never a 500, and nothing is acknowledged that was not
stored; when Redis answers again, with its data or without, no session it held contradicts
the table (config/sessions.py)."""

from __future__ import annotations

import json
from importlib import import_module
from unittest import mock

import pytest
import redis
from django.conf import settings
from django.contrib.auth import SESSION_KEY, user_logged_out
from django.contrib.auth.tokens import default_token_generator
from django.contrib.sessions.models import Session
from django.core import mail
from django.core.cache.backends.redis import RedisCache
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from config.cache_version import caches_setting
from quizzes.models import Response
from quizzes.taking import services
from quizzes.teaching.views import ANON_KEY
from tests.factories import PASSWORD
from tests.lti.conftest import platform, registration  # noqa: F401
from tests.quizzes.conftest import quiz  # noqa: F401

pytestmark = pytest.mark.django_db


@pytest.fixture
def on_throwaway(throwaway_redis):
    """Every cache on the test's own Redis, as with REDIS_URL in production."""
    with override_settings(CACHES=caches_setting(redis_url=throwaway_redis.url,
                                                 version="v1")):
        yield throwaway_redis


class AfterView:
    """Just inside the session middleware: runs `AfterView.hook` once the view has answered
    and before the session is saved, where Redis going away used to be a 500."""

    hook = None

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if AfterView.hook is not None:
            AfterView.hook()
        return response


@pytest.fixture
def after_view():
    middleware = list(settings.MIDDLEWARE)
    middleware.insert(middleware.index("config.middleware.SessionMiddleware") + 1,
                      f"{__name__}.AfterView")
    with override_settings(MIDDLEWARE=middleware):
        yield AfterView
    AfterView.hook = None


class RedisGoneAfterView:
    """Just inside the session middleware: meets the outage itself after the view, as a
    middleware writing messages or a session would."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        self.get_response(request)
        raise redis.ConnectionError("Error 111 connecting to 127.0.0.1:6379.")


def _client() -> Client:
    return Client(raise_request_exception=False)


def _stored(key: str) -> dict:
    """The session as the next request on any server reads it: the cache, else the table."""
    return import_module(settings.SESSION_ENGINE).SessionStore(key).load()


def _table(key: str) -> dict:
    row = Session.objects.filter(pk=key).first()
    return row.get_decoded() if row else {}


def _assert_unavailable(response, *, json_body: bool = False):
    assert response.status_code == 503, response.content[:300]
    assert response["Retry-After"] == "5"
    if json_body:
        assert response["Content-Type"] == "application/json"
        assert response.json()["error"]
    else:
        assert b"briefly unavailable" in response.content
    assert settings.SESSION_COOKIE_NAME not in response.cookies


def test_a_login_while_redis_is_down_answers_503_and_signs_nobody_in(on_throwaway, student):
    client = _client()
    on_throwaway.stop()
    _assert_unavailable(client.post(reverse("login"),
                                    {"username": "stu", "password": PASSWORD}))
    assert not Session.objects.exists()
    on_throwaway.start()  # back, empty
    assert client.post(reverse("login"),
                       {"username": "stu", "password": PASSWORD}).status_code == 302
    key = client.cookies[settings.SESSION_COOKIE_NAME].value
    assert _stored(key)[SESSION_KEY] == str(student.pk) == _table(key)[SESSION_KEY]


def test_a_reset_link_opened_while_redis_is_down_answers_503_not_500(on_throwaway, student):
    # The visitor's first session is created by the session middleware after the view: the
    # save met the outage outside the view's error handling, and that was a 500.
    link = reverse("password_reset_confirm", args=[
        urlsafe_base64_encode(force_bytes(student.pk)),
        default_token_generator.make_token(student)])
    client = _client()
    on_throwaway.stop()
    _assert_unavailable(client.get(link))
    assert not Session.objects.exists()
    on_throwaway.start()
    response = client.get(link)
    assert response.status_code == 302 and response["Location"].endswith("/set-password/")


def test_a_session_change_when_redis_stops_after_the_view_is_refused(
        on_throwaway, after_view, instructor, course):
    client = _client()
    client.force_login(instructor)
    key = client.cookies[settings.SESSION_COOKIE_NAME].value
    toggle = reverse("quizzes:grading-queue", args=[course.slug])
    after_view.hook = on_throwaway.stop
    _assert_unavailable(client.post(toggle, {"anonymous": "on"}))
    after_view.hook = None
    assert ANON_KEY not in _table(key)
    on_throwaway.start()  # back, empty: the table is read
    assert ANON_KEY not in _stored(key)
    assert client.post(toggle, {"anonymous": "on"}).status_code == 302
    assert _stored(key)[ANON_KEY] is True and _table(key)[ANON_KEY] is True


def test_a_session_change_while_redis_hangs_is_refused_and_still_undone_when_it_answers(
        on_throwaway, after_view, instructor, course):
    # Paused longer than the client's 2-second timeout, then answering with every key kept:
    # Django's engine wrote the table and kept the old copy in Redis, which came back.
    client = _client()
    client.force_login(instructor)
    key = client.cookies[settings.SESSION_COOKIE_NAME].value
    toggle = reverse("quizzes:grading-queue", args=[course.slug])
    after_view.hook = lambda: on_throwaway.pause(3000)
    _assert_unavailable(client.post(toggle, {"anonymous": "on"}))
    after_view.hook = None
    on_throwaway.wait_until_answering()
    assert ANON_KEY not in _stored(key) and ANON_KEY not in _table(key)
    assert client.post(toggle, {"anonymous": "on"}).status_code == 302
    assert _stored(key)[ANON_KEY] is True and _table(key)[ANON_KEY] is True


def test_a_sign_out_while_redis_hangs_is_refused_and_a_later_one_ends_the_session(
        on_throwaway, student):
    client = _client()
    client.force_login(student)
    key = client.cookies[settings.SESSION_COOKIE_NAME].value

    def hang(**kwargs):  # after the session is read, before it is deleted
        on_throwaway.pause(3000)

    user_logged_out.connect(hang)
    try:
        _assert_unavailable(client.post(reverse("logout")))
    finally:
        user_logged_out.disconnect(hang)
    on_throwaway.wait_until_answering()
    # Refused, so still signed in, in the table and in Redis alike.
    assert _stored(key)[SESSION_KEY] == str(student.pk) == _table(key)[SESSION_KEY]
    assert client.get(reverse("courses:course-list")).status_code == 200
    assert client.post(reverse("logout")).status_code == 302
    assert _stored(key) == {} and not Session.objects.filter(pk=key).exists()
    assert not on_throwaway.keys(f"*{key}*")
    assert client.get(reverse("courses:course-list")).status_code == 302  # not brought back


def test_a_session_change_stored_when_only_caching_it_fails_is_read_from_the_table(
        on_throwaway, instructor, course):
    client = _client()
    client.force_login(instructor)
    key = client.cookies[settings.SESSION_COOKIE_NAME].value
    with mock.patch.object(RedisCache, "set", side_effect=redis.ConnectionError("gone")):
        response = client.post(reverse("quizzes:grading-queue", args=[course.slug]),
                               {"anonymous": "on"})
    assert response.status_code == 302  # acknowledged: it is in the table ...
    assert _table(key)[ANON_KEY] is True
    assert not on_throwaway.keys(f"*{key}*")  # ... and no older copy in Redis hides it
    assert _stored(key)[ANON_KEY] is True


def test_an_autosave_while_redis_is_down_answers_json_503_and_stores_nothing(
        on_throwaway, student, quiz):  # noqa: F811
    attempt = services.attempt_start(quiz=quiz, user=student, now=timezone.now())
    question = attempt.question_order[0]
    client = _client()
    client.force_login(student)

    def save():
        return client.post(reverse("quizzes:response-save", args=[attempt.pk]),
                           json.dumps({"question": question, "answer": "fox", "version": 1}),
                           content_type="application/json")

    on_throwaway.stop()
    _assert_unavailable(save(), json_body=True)
    assert Response.objects.get(attempt=attempt, question_id=question).version == 0
    on_throwaway.start()
    assert save().status_code == 200
    stored = Response.objects.get(attempt=attempt, question_id=question)
    assert (stored.version, stored.answer) == (1, "fox")


def test_a_reset_request_while_redis_is_down_answers_503_and_sends_nothing(on_throwaway,
                                                                         student):
    # The limit cannot be counted, so no mail goes out uncounted.
    on_throwaway.stop()
    _assert_unavailable(_client().post(reverse("password_reset"), {"email": student.email}))
    assert mail.outbox == []


def test_an_lti_login_while_redis_is_down_answers_503(on_throwaway, platform,  # noqa: F811
                                                     registration):  # noqa: F811
    on_throwaway.stop()
    _assert_unavailable(_client().get("/lti/login/", {
        "iss": platform.issuer, "login_hint": "hint", "client_id": platform.client_id,
        "target_link_uri": platform.tool_launch_url,
        "lti_deployment_id": platform.deployment_id}))


def test_a_lesson_page_while_redis_is_down_answers_503(on_throwaway, student, lesson):
    client = _client()
    client.force_login(student)
    assert client.get(lesson.get_absolute_url()).status_code == 200
    on_throwaway.stop()
    _assert_unavailable(client.get(lesson.get_absolute_url()))


@pytest.mark.parametrize("json_body", [False, True])
def test_an_outage_any_middleware_meets_after_the_view_answers_503(student, quiz,  # noqa: F811
                                                                  json_body):
    attempt = services.attempt_start(quiz=quiz, user=student, now=timezone.now())
    client = _client()
    client.force_login(student)
    middleware = list(settings.MIDDLEWARE)
    middleware.insert(middleware.index("config.middleware.SessionMiddleware") + 1,
                      f"{__name__}.RedisGoneAfterView")
    with override_settings(MIDDLEWARE=middleware):
        if json_body:
            response = client.post(
                reverse("quizzes:response-save", args=[attempt.pk]),
                json.dumps({"question": attempt.question_order[0], "answer": "fox",
                            "version": 1}), content_type="application/json")
        else:
            response = client.get(reverse("courses:course-list"))
    _assert_unavailable(response, json_body=json_body)


def test_under_asgi_a_sign_out_while_redis_is_down_is_refused_too(on_throwaway, student):
    from asgiref.sync import async_to_sync

    client = _client()
    client.force_login(student)
    key = client.cookies[settings.SESSION_COOKIE_NAME].value
    store = import_module(settings.SESSION_ENGINE).SessionStore(key)
    on_throwaway.stop()
    with pytest.raises(redis.ConnectionError):
        async_to_sync(store.adelete)()
    assert _table(key)[SESSION_KEY] == str(student.pk)
