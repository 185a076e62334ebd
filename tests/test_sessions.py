"""Sessions are Django's cached_db engine on the shared cache: every server reads the same
session, a sign-out anywhere ends it everywhere, and the upgrade from courses.UserSession
signs nobody out."""

from __future__ import annotations

from datetime import timedelta
from importlib import import_module

import pytest
from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.models import Session
from django.core.cache import caches
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse
from django.utils import timezone

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _session_store():
    return import_module(settings.SESSION_ENGINE).SessionStore


def test_a_signed_in_page_reads_its_session_from_the_shared_cache_and_then_its_user(
        client, django_assert_num_queries):
    client.force_login(UserFactory(username="reader"))
    # The shared cache is the database cache table here (no REDIS_URL): one read for the
    # session, one for the user, none of the django_session table.
    with django_assert_num_queries(2) as queries:
        assert client.get(reverse("password_change")).status_code == 200
    assert not any("django_session" in q["sql"] for q in queries.captured_queries)


def test_a_session_survives_losing_the_cache(client):
    client.force_login(UserFactory(username="reader"))
    caches[settings.SESSION_CACHE_ALIAS].clear()
    assert client.get(reverse("courses:course-list")).status_code == 200


def test_signing_out_through_one_server_ends_the_session_on_every_other(client):
    user = UserFactory(username="reader")
    client.force_login(user)
    key = client.cookies[settings.SESSION_COOKIE_NAME].value
    assert Session.objects.filter(pk=key).exists()
    # What another server would do with the same cookie: a fresh store on the shared cache.
    assert _session_store()(key).load()[SESSION_KEY] == str(user.pk)
    client.post(reverse("logout"))
    assert _session_store()(key).load() == {}
    assert not Session.objects.filter(pk=key).exists()


def test_an_expired_session_signs_nobody_in(client):
    client.force_login(UserFactory(username="reader"))
    key = client.cookies[settings.SESSION_COOKIE_NAME].value
    Session.objects.filter(pk=key).update(expire_date=timezone.now() - timedelta(seconds=1))
    caches[settings.SESSION_CACHE_ALIAS].clear()
    assert client.get(reverse("courses:course-list")).status_code == 302


@pytest.mark.django_db(transaction=True)
def test_the_upgrade_copies_unexpired_sessions_into_django_sessions():
    before = [("courses", "0007_annotation_lesson_required")]
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    old = executor.loader.project_state(before).apps.get_model("courses", "UserSession")
    now = timezone.now()
    old.objects.create(session_key="a" * 32, session_data="kept",
                       expire_date=now + timedelta(days=1), user_pk=1)
    old.objects.create(session_key="b" * 32, session_data="stale",
                       expire_date=now - timedelta(days=1), user_pk=1)
    executor = MigrationExecutor(connection)
    # Forward to every app's latest migration, so the tests after this one find every table.
    executor.migrate(executor.loader.graph.leaf_nodes())
    assert list(Session.objects.values_list("session_key", "session_data")) == [
        ("a" * 32, "kept")]
