"""The per-request reads in config/ and Django's parts they sit on: signing in, static URLs,
nav links."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse

from config.context_processors import nav
from config.storage import StaticStorage
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


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
