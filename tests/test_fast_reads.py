"""The per-request reads in config/: session store, auth backend, static URLs, nav links.

Each must give exactly what Django's own component gives, on SQLite and on PostgreSQL.
"""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.contrib.auth import SESSION_KEY, get_user_model
from django.urls import reverse
from django.utils import timezone

from config.backends import ModelBackend
from config.context_processors import nav
from config.rows import fetch_one
from config.sessions import SessionStore
from config.storage import StaticStorage
from courses.models import UserSession
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_fetch_one_loads_a_row_exactly_as_the_orm_does():
    user = UserFactory(username="ada", is_staff=True, last_login=timezone.now())
    fetched = fetch_one(get_user_model(), [("id", "=", user.pk)])
    orm = get_user_model().objects.get(pk=user.pk)
    for field in get_user_model()._meta.concrete_fields:
        assert getattr(fetched, field.attname) == getattr(orm, field.attname), field.name
        assert type(getattr(fetched, field.attname)) is type(getattr(orm, field.attname))
    assert fetched.get_deferred_fields() == set()
    assert fetch_one(get_user_model(), [("id", "=", user.pk + 1000)]) is None


def test_fetch_one_refuses_operators_it_does_not_know():
    with pytest.raises(ValueError, match="unsupported operator"):
        fetch_one(get_user_model(), [("id", "<", 1)])


def test_session_store_loads_what_it_saved_and_records_whose_session_it_is():
    user = UserFactory(username="owner")
    store = SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store["answer"] = {"q": [1, 2]}
    store.save()
    assert UserSession.objects.get(pk=store.session_key).user_pk == user.pk
    loaded = SessionStore(store.session_key)
    assert loaded.load() == {SESSION_KEY: str(user.pk), "answer": {"q": [1, 2]}}
    assert loaded.session_key == store.session_key


def test_session_store_forgets_an_expired_or_unknown_key():
    store = SessionStore()
    store["x"] = 1
    store.save()
    assert UserSession.objects.get(pk=store.session_key).user_pk is None
    UserSession.objects.filter(pk=store.session_key).update(
        expire_date=timezone.now() - timedelta(seconds=1))
    expired = SessionStore(store.session_key)
    assert expired.load() == {}
    assert expired.session_key is None
    unknown = SessionStore("a" * 32)
    assert unknown.load() == {}
    assert unknown.session_key is None


def _signed_in_session(user) -> str:
    store = SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store.save()
    return store.session_key


def test_the_session_read_brings_its_user_for_the_backend_once(django_assert_num_queries):
    user = UserFactory(username="reader", first_name="Rea")
    key = _signed_in_session(user)
    with django_assert_num_queries(1):
        SessionStore(key).load()
        fetched = ModelBackend().get_user(str(user.pk))
    assert fetched == user
    assert fetched.first_name == "Rea"
    assert fetched.get_deferred_fields() == set()
    with django_assert_num_queries(1):  # taken once: a second ask reads the user again
        assert ModelBackend().get_user(user.pk) == user


def test_the_backend_never_takes_another_users_row(django_assert_num_queries):
    ann, bob = UserFactory(username="ann"), UserFactory(username="bob")
    SessionStore(_signed_in_session(ann)).load()
    with django_assert_num_queries(1):
        assert ModelBackend().get_user(bob.pk) == bob


def test_a_session_of_a_deleted_or_inactive_user_signs_nobody_in():
    gone, idle = UserFactory(username="gone"), UserFactory(username="idle", is_active=False)
    gone_key, idle_key = _signed_in_session(gone), _signed_in_session(idle)
    gone_pk = gone.pk
    gone.delete()
    assert SessionStore(gone_key).load() == {SESSION_KEY: str(gone_pk)}
    assert ModelBackend().get_user(gone_pk) is None
    SessionStore(idle_key).load()
    assert ModelBackend().get_user(idle.pk) is None


def test_a_signed_in_page_reads_session_and_user_in_one_statement(
        client, django_assert_num_queries):
    client.force_login(UserFactory(username="reader"))
    with django_assert_num_queries(1):
        assert client.get(reverse("password_change")).status_code == 200


def test_backend_returns_active_users_only():
    active = UserFactory(username="on")
    inactive = UserFactory(username="off", is_active=False)
    backend = ModelBackend()
    assert backend.get_user(active.pk) == active
    assert backend.get_user(str(active.pk)) == active  # as it comes out of the session
    assert backend.get_user(inactive.pk) is None
    assert backend.get_user(active.pk + 1000) is None


def test_a_signed_in_client_is_the_user_and_signing_out_ends_it(client):
    user = UserFactory(username="reader", first_name="Rea", last_name="Der")
    client.force_login(user)
    page = client.get(reverse("courses:course-list"))
    assert page.status_code == 200
    assert "Rea Der" in page.content.decode()
    client.post(reverse("logout"))
    assert client.get(reverse("courses:course-list")).status_code == 302


def test_changing_the_password_signs_out_other_sessions(client):
    user = UserFactory(username="reader")
    client.force_login(user)
    user.set_password("a-new-password-9")
    user.save()
    assert client.get(reverse("courses:course-list")).status_code == 302


def test_static_storage_computes_each_url_once(tmp_path, settings):
    (tmp_path / "staticfiles.json").write_text(json.dumps(
        {"version": "1.1", "paths": {"css/site.css": "css/site.abc123.css"}}))
    settings.STATIC_URL = "/static/"
    storage = StaticStorage(location=str(tmp_path), base_url="/static/")
    assert storage.url("css/site.css") == "/static/css/site.abc123.css"
    storage.hashed_files["css/site.css"] = "css/site.changed.css"
    assert storage.url("css/site.css") == "/static/css/site.abc123.css"
    assert storage.url("css/site.css", force=True) == "/static/css/site.changed.css"


def test_nav_links_are_the_reversed_urls(rf):
    links = nav(rf.get("/"))["nav"]
    assert links["course_list"] == reverse("courses:course-list")
    assert links["dashboard"] == reverse("quizzes:dashboard")
    assert links["logout"] == reverse("logout")


def test_fetch_one_loads_fields_named_in_any_order():
    user = UserFactory(username="grace", email="grace@example.com", first_name="Grace")
    fetched = fetch_one(get_user_model(), [("id", "=", user.pk)],
                        fields=["email", "id", "first_name", "username"])
    assert (fetched.username, fetched.email, fetched.first_name) == (
        "grace", "grace@example.com", "Grace")
