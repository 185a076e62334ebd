"""Lectio's own 404 and 500 pages while debugging (config/errors.py), as under `make run`."""

from __future__ import annotations

import logging

import pytest
from django.http import Http404
from django.test import Client, RequestFactory

from config.errors import FriendlyErrorsMiddleware

pytestmark = pytest.mark.django_db


@pytest.fixture
def debugging(settings):
    settings.DEBUG = True
    common = settings.MIDDLEWARE.index("django.middleware.common.CommonMiddleware")
    settings.MIDDLEWARE = [*settings.MIDDLEWARE[:common + 1],
                           "config.errors.FriendlyErrorsMiddleware",
                           *settings.MIDDLEWARE[common + 1:]]
    return Client()


def test_an_unknown_address_gets_lectios_page_not_found_while_debugging(debugging):
    response = debugging.get("/no/such/page/")
    assert response.status_code == 404
    page = response.content.decode()
    assert "<h1>Page not found</h1>" in page and "DEBUG = True" not in page


def test_a_missing_trailing_slash_still_redirects_while_debugging(debugging):
    response = debugging.get("/accounts/login")
    assert response.status_code == 301 and response["Location"] == "/accounts/login/"


def test_a_views_404_gets_lectios_page_while_debugging(debugging, student):
    debugging.force_login(student)
    response = debugging.get("/courses/no-such-course/")
    assert response.status_code == 404
    assert b"<h1>Page not found</h1>" in response.content
    assert b"technical" not in response.content.lower()


def test_a_crash_gets_lectios_500_page_and_the_traceback_is_logged(caplog):
    middleware = FriendlyErrorsMiddleware(lambda request: None)
    request = RequestFactory().get("/courses/")
    with caplog.at_level(logging.ERROR, logger="django.request"):
        response = middleware.process_exception(request, RuntimeError("boom"))
    assert response.status_code == 500
    assert b"Something went wrong" in response.content
    assert any(record.exc_info and "boom" in str(record.exc_info[1])
               for record in caplog.records)


@pytest.mark.urls("tests.accounts.crash_urls")
def test_a_crashing_view_answers_lectios_500_page_while_debugging(debugging, student, caplog):
    debugging.force_login(student)
    with caplog.at_level(logging.ERROR, logger="django.request"):
        response = debugging.get("/crash/")
    assert response.status_code == 500
    page = response.content.decode()
    assert "<h1>Something went wrong</h1>" in page and "Traceback" not in page
    assert any(record.exc_info and "boom in a view" in str(record.exc_info[1])
               for record in caplog.records)


@pytest.mark.urls("tests.accounts.crash_urls")
def test_without_debugging_a_crash_and_an_unknown_address_get_lectios_pages(settings):
    settings.DEBUG = False
    assert "config.errors.FriendlyErrorsMiddleware" not in settings.MIDDLEWARE
    client = Client(raise_request_exception=False)
    crashed, missing = client.get("/crash/"), client.get("/no/such/page/")
    assert crashed.status_code == 500 and b"<h1>Something went wrong</h1>" in crashed.content
    assert missing.status_code == 404 and b"<h1>Page not found</h1>" in missing.content


def test_permission_denied_and_not_found_are_told_apart():
    from django.core.exceptions import PermissionDenied

    middleware = FriendlyErrorsMiddleware(lambda request: None)
    request = RequestFactory().get("/courses/")
    assert middleware.process_exception(request, PermissionDenied()) is None
    assert middleware.process_exception(request, Http404()).status_code == 404


def test_the_middleware_is_installed_only_when_debugging():
    import os
    import subprocess
    import sys

    code = ("import django; from django.conf import settings; django.setup(); "
            "print('config.errors.FriendlyErrorsMiddleware' in settings.MIDDLEWARE)")
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env["DJANGO_SETTINGS_MODULE"] = "config.settings.base"
    out = {}
    for label, extra in (("debug", {"DJANGO_DEBUG": "1"}),
                         ("debug-pages", {"DJANGO_DEBUG": "1", "LECTIO_DJANGO_DEBUG_PAGES": "1"}),
                         ("production", {"DJANGO_SECRET_KEY": "x" * 60})):
        result = subprocess.run([sys.executable, "-c", code], env={**env, **extra},
                                capture_output=True, text=True, timeout=120, check=True)
        out[label] = result.stdout.strip()
    assert out == {"debug": "True", "debug-pages": "False", "production": "False"}
