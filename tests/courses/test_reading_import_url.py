"""Admins import a reading from a web address, on the upload page and with import_reading;
against a local server that only the test settings allow. Refusals store nothing."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from courses.models import Reading
from tests.courses.reading_server import ReadingServer

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def server():
    with ReadingServer() as running:
        yield running


@pytest.fixture(autouse=True)
def allow_the_test_server(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.LECTIO_URL_FETCH_ALLOWED_NETWORKS = ("127.0.0.1/32",)
    settings.LECTIO_URL_FETCH_TIMEOUT = 2.0


def _import(client, url: str, **extra):
    return client.post(reverse("courses:reading-upload"), {"url": url, **extra})


def test_admin_imports_an_article_page_by_url_and_its_source_is_recorded(
        client, admin_user, server):
    client.force_login(admin_user)
    response = _import(client, server.url("/to/2"))
    assert response["Location"] == reverse("courses:reading-upload-preview")
    preview = client.get(response["Location"]).content.decode()
    assert 'value="The Bridges That Moved the Towns"' in preview
    assert server.url("/article") in preview
    assert Reading.objects.count() == 0
    client.post(reverse("courses:reading-upload-confirm"))
    reading = Reading.objects.get()
    # The page's <h1>, not the <title> tag or the dek.
    assert reading.title == "The Bridges That Moved the Towns"
    assert reading.dek == "A short history of the bridges that changed the northern towns."
    assert reading.source_url == server.url("/article")  # after the redirects
    assert reading.source == "The Example Review"
    assert reading.passages.count() == 3
    assert reading.original_file.name.endswith(".html")
    assert "FOOTER-TEXT" not in " ".join(reading.passages.values_list("text", flat=True))


@pytest.mark.parametrize(("path", "message"), [
    ("/redirect?where=http://169.254.169.254/latest/meta-data/", "not a public internet"),
    ("/redirect?where=http://10.0.0.7/", "not a public internet"),
    ("/loop", "redirected more than"),
    ("/big", "larger than the upload limit"),
    ("/image", "not a web page"),
    ("/slow?s=3", "took too long"),
])
def test_refused_imports_show_the_reason_and_store_nothing(
        client, admin_user, server, path, message, settings):
    settings.LECTIO_UPLOAD_MAX_BYTES = 1024 * 1024
    settings.LECTIO_URL_FETCH_TIMEOUT = 0.5
    client.force_login(admin_user)
    response = _import(client, server.url(path))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert Reading.objects.count() == 0
    assert "lectio_reading_upload" not in client.session


def test_without_the_test_allowance_the_local_server_is_refused(client, admin_user, server,
                                                                 settings):
    settings.LECTIO_URL_FETCH_ALLOWED_NETWORKS = ()
    client.force_login(admin_user)
    before = len(server.requests)
    response = _import(client, server.url("/article"))
    assert "not a public internet address" in response.content.decode()
    assert len(server.requests) == before
    assert Reading.objects.count() == 0


@pytest.mark.parametrize("url", ["ftp://example.org/a.txt", "javascript:alert(1)",
                                 "file:///etc/passwd"])
def test_the_form_refuses_other_schemes(client, admin_user, url):
    client.force_login(admin_user)
    response = _import(client, url)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Enter a valid URL" in page or "Only http:// and https://" in page
    assert Reading.objects.count() == 0


def test_a_url_and_a_file_together_are_refused(client, admin_user, server):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(admin_user)
    response = client.post(reverse("courses:reading-upload"), {
        "url": server.url("/article"), "file": SimpleUploadedFile("a.txt", b"Some text.")})
    assert "one of the three" in response.content.decode()


def test_import_reading_accepts_a_url(server, capsys):
    call_command("import_reading", server.url("/text"))
    assert "Stored reading" in capsys.readouterr().out
    reading = Reading.objects.get()
    assert reading.title == "The Quiet Valley"
    assert reading.source_url == server.url("/text") and reading.source == "127.0.0.1"
    with pytest.raises(CommandError, match="not a web page"):
        call_command("import_reading", server.url("/json"))
    assert Reading.objects.count() == 1


def test_production_settings_allow_no_private_network_and_the_deploy_check_says_so():
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE"))}
    env.update(DJANGO_SETTINGS_MODULE="config.settings.base", DJANGO_DEBUG="0",
               DJANGO_SECRET_KEY="x" * 60, DJANGO_ALLOWED_HOSTS="lectio.example.org",
               # The environment cannot switch it on.
               LECTIO_URL_FETCH_ALLOWED_NETWORKS="127.0.0.1/32")
    code = ("import json, django; from django.conf import settings; django.setup(); "
            "from courses.checks import url_fetch_allows_no_private_networks as c; "
            "print(json.dumps([list(settings.LECTIO_URL_FETCH_ALLOWED_NETWORKS), len(c(None))]))")
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == [[], 0]


def test_the_deploy_check_fails_when_the_allowance_is_set(settings):
    from courses.checks import url_fetch_allows_no_private_networks

    settings.LECTIO_URL_FETCH_ALLOWED_NETWORKS = ("127.0.0.1/32",)
    errors = url_fetch_allows_no_private_networks(None)
    assert [error.id for error in errors] == ["courses.E001"]
