"""Admins upload readings: preview, confirm or cancel, duplicates, bad input, the command."""

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from courses.models import Lesson, PendingUpload, Reading

pytestmark = pytest.mark.django_db

SEED = Path(__file__).resolve().parents[2] / "fixtures" / "seed" / "article.txt"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def _upload(client, name, data, **extra):
    return client.post(reverse("courses:reading-upload"),
                       {"file": SimpleUploadedFile(name, data), **extra})


def test_admin_uploads_previews_and_confirms_the_seed(client, admin_user, course, media):
    client.force_login(admin_user)
    response = _upload(client, "article.txt", SEED.read_bytes(), course=course.pk,
                       publish="on", title="The seed")
    assert response["Location"] == reverse("courses:reading-upload-preview")
    preview = client.get(response["Location"]).content.decode()
    assert "10 passages" in preview and "[ad_1]" in preview and "Source link" in preview
    assert Reading.objects.count() == 0
    client.post(reverse("courses:reading-upload-confirm"))
    reading = Reading.objects.get()
    assert reading.title == "The seed" and reading.passages.count() == 10
    stored = Path(reading.original_file.path)
    assert stored.is_relative_to(media) and "article" not in stored.name
    assert stored.read_bytes() == SEED.read_bytes()
    assert Lesson.objects.get(reading=reading).is_published
    assert not PendingUpload.objects.exists()


def test_cancel_stores_nothing_and_deletes_the_staged_file(client, admin_user, media):
    client.force_login(admin_user)
    _upload(client, "article.txt", SEED.read_bytes())
    assert PendingUpload.objects.exists()
    client.post(reverse("courses:reading-upload-cancel"))
    assert Reading.objects.count() == 0
    assert not PendingUpload.objects.exists()


def test_pasted_text_works(client, admin_user):
    client.force_login(admin_user)
    text = "A title\n\nFirst paragraph of a pasted reading.\n\nSecond paragraph, also here."
    client.post(reverse("courses:reading-upload"), {"text": text})
    client.post(reverse("courses:reading-upload-confirm"))
    assert Reading.objects.get().passages.count() == 2


def test_duplicate_content_is_reported_with_a_link(client, admin_user):
    client.force_login(admin_user)
    _upload(client, "a.txt", SEED.read_bytes())
    client.post(reverse("courses:reading-upload-confirm"), {"title": "The seed"})
    again = _upload(client, "b.txt", SEED.read_bytes().replace(b"\n", b"\r\n"))
    page = again.content.decode()
    assert again.status_code == 200 and "Already in Lectio" in page
    reading = Reading.objects.get()
    assert reverse("admin:courses_reading_change", args=[reading.pk]) in page


@pytest.mark.parametrize(("name", "data", "message"), [
    ("empty.txt", b"", "empty"),
    ("paper.txt", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "PDF"),
    ("image.txt", b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, ""),
    ("noise.txt", bytes(range(256)) * 40, ""),
    ("page.html", b"<html><body><nav><a href='/'>Home</a></nav></body></html>", ""),
    ("long.txt", ("word " * 200_000).encode(), "100,000"),
])
def test_bad_input_gets_a_message_and_stores_nothing(client, admin_user, name, data, message):
    client.force_login(admin_user)
    response = _upload(client, name, data)
    assert response.status_code == 200
    page = response.content.decode()
    assert "alert" in page and message in page
    assert Reading.objects.count() == 0


def test_file_over_the_limit_is_refused(client, admin_user, settings):
    settings.LECTIO_UPLOAD_MAX_BYTES = 1000
    client.force_login(admin_user)
    response = _upload(client, "big.txt", b"word " * 400)
    assert "the limit is" in response.content.decode()
    assert Reading.objects.count() == 0


def test_uploaded_html_never_keeps_script_handlers_or_javascript_urls(client, admin_user):
    page = (b"<html><head><title>T</title><script>alert(1)</script></head><body><article>"
            b"<h1>Real title</h1><p onclick='alert(2)'>A first long paragraph of the article "
            b"that has enough words to count as real text for the extractor.</p>"
            b"<p>A second paragraph with a <a href='javascript:alert(3)'>link</a> in it and "
            b"more words so that it is kept as article text.</p></article></body></html>")
    client.force_login(admin_user)
    _upload(client, "page.html", page)
    preview = client.get(reverse("courses:reading-upload-preview")).content.decode()
    client.post(reverse("courses:reading-upload-confirm"))
    texts = " ".join(Reading.objects.get().passages.values_list("text", flat=True))
    for bad in ("alert(", "onclick", "javascript:"):
        assert bad not in texts and bad not in preview


@pytest.mark.parametrize("who", ["student", "instructor"])
def test_only_site_admins_can_upload(client, request, who):
    client.force_login(request.getfixturevalue(who))
    for name in ("reading-upload", "reading-upload-preview"):
        assert client.get(reverse(f"courses:{name}")).status_code == 403
    for name in ("reading-upload-confirm", "reading-upload-cancel"):
        assert client.post(reverse(f"courses:{name}")).status_code == 403


def test_confirm_without_a_staged_upload_stores_nothing(client, admin_user):
    client.force_login(admin_user)
    client.post(reverse("courses:reading-upload-confirm"))
    assert Reading.objects.count() == 0


def test_import_reading_command(course, tmp_path, capsys):
    call_command("import_reading", str(SEED), "--course", course.slug, "--publish")
    assert "with 10 passages" in capsys.readouterr().out
    assert Lesson.objects.get().is_published
    with pytest.raises(CommandError, match="already in Lectio"):
        call_command("import_reading", str(SEED))
    bad = tmp_path / "fake.txt"
    bad.write_bytes(b"%PDF-1.4 not text")
    with pytest.raises(CommandError, match="PDF"):
        call_command("import_reading", str(bad))
    assert Reading.objects.count() == 1


def test_a_paste_above_django_default_form_limit_gets_a_clear_message(client, admin_user):
    """Django refuses form bodies over 2.5 MB by default with a bare 400; a paste under the
    upload limit (5 MB) must reach the form and get its message (here: too many words)."""
    client.force_login(admin_user)
    paragraph = "Pasted paragraph number {n} with enough words to be a real passage. "
    text = "A long paste\n\n" + "\n\n".join(paragraph.format(n=n) * 4 for n in range(10_000))
    assert 2.5 * 1024 * 1024 < len(text.encode()) < 5 * 1024 * 1024
    response = client.post(reverse("courses:reading-upload"), {"text": text})
    assert response.status_code == 200
    assert "the limit is 100,000 words" in response.content.decode()
    assert Reading.objects.count() == 0


def test_admin_uploads_a_pdf_and_the_original_is_kept_as_pdf(client, admin_user, media):
    from tests.courses.test_ingest_pdf import two_column_article

    client.force_login(admin_user)
    data = two_column_article()
    _upload(client, "rivers.pdf", data)
    preview = client.get(reverse("courses:reading-upload-preview")).content.decode()
    assert "How Rivers Move Towns" in preview and "pdf" in preview
    client.post(reverse("courses:reading-upload-confirm"))
    reading = Reading.objects.get()
    assert reading.title == "How Rivers Move Towns" and reading.passages.count() == 7
    assert reading.original_file.name.endswith(".pdf")
    assert Path(reading.original_file.path).read_bytes() == data


def test_pdf_page_limit_comes_from_settings(client, admin_user, settings):
    from tests.courses.test_ingest_pdf import two_column_article

    settings.LECTIO_PDF_MAX_PAGES = 2
    client.force_login(admin_user)
    response = _upload(client, "rivers.pdf", two_column_article())
    assert "This PDF has 3 pages; the limit is 2" in response.content.decode()
    assert Reading.objects.count() == 0
