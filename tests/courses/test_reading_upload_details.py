"""The upload preview lets an admin correct the title, dek, authors, date and source; the
server validates them, and bad values store nothing."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from courses.models import Reading

pytestmark = pytest.mark.django_db

OPED = Path(__file__).resolve().parent / "readings" / "oped.txt"
SEED = Path(__file__).resolve().parents[2] / "fixtures" / "seed" / "article.txt"
CONFIRM = "courses:reading-upload-confirm"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def staged(client, admin_user):
    client.force_login(admin_user)
    client.post(reverse("courses:reading-upload"),
                {"file": SimpleUploadedFile("oped.txt", OPED.read_bytes())})
    return client


def test_preview_form_is_filled_with_what_the_cleaning_found(staged):
    page = staged.get(reverse("courses:reading-upload-preview")).content.decode()
    assert 'value="Cities Should Stop Paying for Empty Parking"' in page
    assert "Priya Natarajan\nOwen Fletcher</textarea>" in page
    assert 'value="2024-03-04"' in page
    assert "Free kerbside parking is a subsidy" in page


def test_confirm_stores_the_corrected_values(staged):
    staged.post(reverse(CONFIRM), {
        "title": "  Stop Paying for Empty Parking ", "dek": "A shorter dek.",
        "authors": "Priya Natarajan\n\nOwen Fletcher; Ann Lee", "published_on": "2024-03-05",
        "source": "The Ledger", "source_url": "https://ledger.example/parking",
    })
    reading = Reading.objects.get()
    assert reading.title == "Stop Paying for Empty Parking"
    assert reading.dek == "A shorter dek."
    assert reading.authors == ["Priya Natarajan", "Owen Fletcher", "Ann Lee"]
    assert reading.published_on == datetime.date(2024, 3, 5)
    assert (reading.source, reading.source_url) == ("The Ledger",
                                                     "https://ledger.example/parking")
    assert reading.author_notes[0].startswith("Priya Natarajan, a former transport planner")


def test_confirm_stores_what_is_known_of_the_date_and_a_note_about_the_copy(staged):
    """A scraped copy with no exact day: the admin says so at upload, not only in the
    Django admin, and the lesson page shows both notes."""
    page = staged.get(reverse("courses:reading-upload-preview")).content.decode()
    assert 'name="date_note"' in page and 'name="copy_note"' in page
    staged.post(reverse(CONFIRM), {
        "published_on": "", "date_note": " early 2024; the exact day is not in this copy ",
        "copy_note": "Scraped from the web: the original's links were lost.",
    })
    reading = Reading.objects.get()
    assert reading.published_on is None
    assert reading.date_note == "early 2024; the exact day is not in this copy"
    assert reading.copy_note == "Scraped from the web: the original's links were lost."


def test_confirm_without_corrections_stores_what_was_found(staged):
    staged.post(reverse(CONFIRM))
    reading = Reading.objects.get()
    assert reading.title == "Cities Should Stop Paying for Empty Parking"
    assert reading.published_on == datetime.date(2024, 3, 4)
    assert reading.authors == ["Priya Natarajan", "Owen Fletcher"]


@pytest.mark.parametrize(("field", "value", "message"), [
    ("title", "   ", "Give the reading a title"),
    ("title", "x" * 301, "at most 300 characters"),
    ("published_on", "2024-02-30", "Enter a valid date"),
    ("published_on", "next tuesday", "Enter a valid date"),
    ("published_on", "0999-01-01", "Give the year in full"),
    ("source_url", "javascript:alert(1)", "Enter a valid URL"),
    ("source_url", "ftp://files.example/a", "must start with http"),
    ("authors", "\n".join(f"Author {n}" for n in range(21)), "at most 20 authors"),
    ("dek", "bad\x07bell", "control characters"),
    ("source", "nul\x00byte", "Null characters are not allowed"),
    ("date_note", "x" * 201, "at most 200 characters"),
    ("copy_note", "bad\x07bell", "control characters"),
])
def test_bad_values_re_render_with_a_message_and_store_nothing(staged, field, value, message):
    response = staged.post(reverse(CONFIRM), {field: value})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert Reading.objects.count() == 0
    # Still staged: a corrected confirm goes through.
    staged.post(reverse(CONFIRM), {"title": "Fixed"})
    assert Reading.objects.get().title == "Fixed"


def test_a_date_in_the_future_is_refused(staged):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    response = staged.post(reverse(CONFIRM), {"published_on": tomorrow.isoformat()})
    assert "cannot be in the future" in response.content.decode()
    assert Reading.objects.count() == 0


def test_a_reading_without_a_found_title_needs_one_before_it_is_stored(client, admin_user):
    """The seed has no headline: instead of storing 'Untitled reading', the preview asks."""
    client.force_login(admin_user)
    client.post(reverse("courses:reading-upload"),
                {"file": SimpleUploadedFile("article.txt", SEED.read_bytes())})
    response = client.post(reverse(CONFIRM))
    assert "Give the reading a title" in response.content.decode()
    assert Reading.objects.count() == 0
    client.post(reverse(CONFIRM), {"title": "Anti-Americanism and Its Limits"})
    assert Reading.objects.get().title == "Anti-Americanism and Its Limits"
