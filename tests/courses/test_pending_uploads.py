"""Uploads waiting for confirm are rows in the database, so any app server can confirm them."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from courses import uploads
from courses.ingest import IngestError
from courses.models import PendingUpload, Reading
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

SEED = Path(__file__).resolve().parents[2] / "fixtures" / "seed" / "article.txt"


def test_staged_bytes_come_back_once_for_their_owner_only():
    ann, bob = UserFactory(username="ann"), UserFactory(username="bob")
    token = uploads.upload_stage(data=b"\x00bytes\xff", filename="bank.gift", owner=ann,
                                 kind=PendingUpload.Kind.QUESTIONS)
    row = PendingUpload.objects.get()
    assert (row.owner, row.kind, row.filename) == (ann, "questions", "bank.gift")
    assert uploads.upload_load(token, owner=ann) == (b"\x00bytes\xff", "bank.gift")
    with pytest.raises(IngestError, match="expired or was already handled"):
        uploads.upload_load(token, owner=bob)
    uploads.upload_discard(token)
    uploads.upload_discard(token)  # twice is fine
    with pytest.raises(IngestError):
        uploads.upload_load(token, owner=ann)


def test_an_expired_upload_is_refused_and_deleted_by_the_next_one():
    token = uploads.upload_stage(data=b"old", filename="a.txt")
    PendingUpload.objects.filter(token=token).update(
        expires_at=timezone.now() - timedelta(seconds=1))
    with pytest.raises(IngestError):
        uploads.upload_load(token)
    fresh = uploads.upload_stage(data=b"new", filename="b.txt")
    assert list(PendingUpload.objects.values_list("token", flat=True)) == [fresh]


@pytest.mark.parametrize("token", ["", "../../etc/passwd", "A" * 32, "0" * 31])
def test_a_malformed_token_finds_nothing(token):
    uploads.upload_stage(data=b"x", filename="a.txt")
    with pytest.raises(IngestError):
        uploads.upload_load(token)


def test_a_reading_previewed_on_one_server_is_confirmed_on_another(
        client, admin_user, settings, tmp_path):
    """The second server has its own, empty, local folder: only the database is shared."""
    settings.MEDIA_ROOT = tmp_path / "server-a"
    client.force_login(admin_user)
    client.post(reverse("courses:reading-upload"),
                {"file": SimpleUploadedFile("article.txt", SEED.read_bytes()), "title": "The seed"})
    assert PendingUpload.objects.filter(kind="reading", owner=admin_user).exists()
    assert not (tmp_path / "server-a").exists()  # nothing was written to a local folder
    settings.MEDIA_ROOT = tmp_path / "server-b"
    client.post(reverse("courses:reading-upload-confirm"))
    reading = Reading.objects.get()
    assert reading.passages.count() == 10
    assert not PendingUpload.objects.exists()
