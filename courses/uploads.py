"""Writes for uploaded readings: stage the bytes for the preview, then store the reading.

Nothing from the browser is trusted between the two steps: the bytes wait in the database
(courses.PendingUpload, seen by every app server) under a random token kept in the uploader's
session, and are cleaned again on confirm.
"""

from __future__ import annotations

import contextlib
import re
import secrets
import uuid
from dataclasses import dataclass
from datetime import date, timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from .ingest import IngestedReading, IngestError, PdfLimits, ingest
from .models import Course, Lesson, PendingUpload, Reading
from .selectors import lesson_free_slug
from .services import PassageInput, reading_create
from .url_fetch import Fetched, FetchRefused, fetch_url

STAGING_SECONDS = 3600
HOLD_SECONDS = 24 * 3600
TOKEN = re.compile(r"^[0-9a-f]{32}$")
EXTENSIONS = {"text": "txt", "markdown": "md", "html": "html", "docx": "docx", "pdf": "pdf"}


def upload_clean(*, data: bytes, filename: str) -> IngestedReading:
    """Clean an upload with the site's limits; raises IngestError with a human message."""
    return ingest(data, filename=filename, max_bytes=settings.LECTIO_UPLOAD_MAX_BYTES,
                  pdf=PdfLimits(max_pages=settings.LECTIO_PDF_MAX_PAGES,
                                max_seconds=settings.LECTIO_PDF_MAX_SECONDS,
                                max_inflated_bytes=settings.LECTIO_PDF_MAX_INFLATED_BYTES))


def upload_fetch(*, url: str) -> Fetched:
    """Fetch a reading from ``url`` with the site's limits (size, timeout, redirects, public
    addresses only); raises IngestError with a message for the admin."""
    try:
        return fetch_url(
            url, max_bytes=settings.LECTIO_UPLOAD_MAX_BYTES,
            timeout=settings.LECTIO_URL_FETCH_TIMEOUT,
            max_redirects=settings.LECTIO_URL_FETCH_MAX_REDIRECTS,
            allowed_networks=settings.LECTIO_URL_FETCH_ALLOWED_NETWORKS,
        )
    except FetchRefused as refused:
        raise IngestError(refused.message) from None


def upload_stage(*, data: bytes, filename: str, owner=None,
                 kind: str = PendingUpload.Kind.READING) -> str:
    """Keep the bytes for the preview step, in the database so the confirm may reach any app
    server; return the token naming them. Expired uploads are deleted on the way."""
    now = timezone.now()
    PendingUpload.objects.filter(expires_at__lte=now).delete()
    token = secrets.token_hex(16)
    PendingUpload.objects.create(
        token=token, owner=owner if owner is not None and owner.is_authenticated else None,
        kind=kind, filename=filename[:200], data=data,
        expires_at=now + timedelta(seconds=STAGING_SECONDS))
    return token


def upload_load(token: str, *, owner=None) -> tuple[bytes, str]:
    """The staged bytes and file name; IngestError when the token is unknown, expired, or
    (with `owner`) staged by someone else."""
    expired = IngestError("This upload has expired or was already handled. Upload it again.")
    if not TOKEN.match(token or ""):
        raise expired
    pending = PendingUpload.objects.filter(token=token, expires_at__gt=timezone.now())
    if owner is not None:
        pending = pending.filter(owner=owner)
    row = pending.values_list("data", "filename").first()
    if row is None:
        raise expired
    return bytes(row[0]), row[1]


def upload_discard(token: str) -> None:
    """Delete the staged upload (safe to call twice)."""
    if TOKEN.match(token or ""):
        PendingUpload.objects.filter(token=token).delete()


def upload_claim(token: str, *, owner, kind: str) -> PendingUpload:
    """The staged upload of `kind`, locked for the caller's transaction (so two confirms of
    one upload take turns); IngestError as upload_load when it is not waiting for `owner`."""
    row = None
    if TOKEN.match(token or ""):
        # No select_related("job"): when the lock was waited for, PostgreSQL re-reads the
        # locked row but not the rows joined to it, so a job the other confirm just linked
        # would come back as none. `row.job` reads it afresh, after the lock.
        row = (PendingUpload.objects.select_for_update()
               .filter(token=token, owner=owner, kind=kind, expires_at__gt=timezone.now())
               .defer("data").first())
    if row is None:
        raise IngestError("This upload has expired or was already handled. Upload it again.")
    return row


def upload_hold(token: str, *, job) -> None:
    """Keep the staged upload for the background `job` importing it, for up to
    HOLD_SECONDS: long enough for a busy worker to reach it, or for a failed import to be
    started again."""
    PendingUpload.objects.filter(token=token).update(
        job=job, expires_at=timezone.now() + timedelta(seconds=HOLD_SECONDS))


def upload_consume(token: str, *, owner) -> bool:
    """Delete the staged upload as part of the caller's transaction (the one storing what it
    held); False when it was no longer there, so a second import of it stores nothing."""
    if not TOKEN.match(token or ""):
        return False
    deleted, _ = PendingUpload.objects.filter(token=token, owner=owner).delete()
    return deleted > 0


def reading_find_duplicate(content_hash: str) -> Reading | None:
    """An existing reading with the same cleaned text, if any."""
    return Reading.objects.filter(content_hash=content_hash).order_by("pk").first()


@dataclass(frozen=True)
class ReadingDetails:
    """The metadata stored with an upload: what ingest found, as the admin corrected it."""

    title: str
    dek: str = ""
    authors: tuple[str, ...] = ()
    published_on: date | None = None
    source: str = ""
    source_url: str = ""
    date_note: str = ""
    copy_note: str = ""


def details_found(cleaned: IngestedReading, *, title: str = "",
                  source_url: str = "") -> ReadingDetails:
    """What ingest found, with the uploader's title and the fetched URL when given."""
    published = None
    if cleaned.published:
        with contextlib.suppress(ValueError):
            published = date.fromisoformat(cleaned.published)
    source = cleaned.source or (urlsplit(source_url).hostname or "").removeprefix("www.")
    return ReadingDetails(
        title=title.strip() or cleaned.title, dek=cleaned.dek, authors=cleaned.authors,
        published_on=published, source=source, source_url=source_url,
    )


def reading_publish_upload(
    *, cleaned: IngestedReading, data: bytes, details: ReadingDetails,
    course: Course | None = None, publish: bool = False, user=None,
) -> Reading:
    """Store the cleaned reading with ``details``, its passages and the original bytes
    (under a generated name, never the uploader's) and, with a course, a lesson: all in
    one transaction, or nothing."""
    with transaction.atomic():
        reading = reading_create(
            title=details.title.strip() or "Untitled reading",
            passages=[PassageInput(p.kind, p.text) for p in cleaned.passages],
            content_hash=cleaned.content_hash, word_count=cleaned.word_count,
            reading_minutes=cleaned.reading_minutes,
            readability_grade=cleaned.readability_grade, dek=details.dek,
            section=cleaned.section, authors=details.authors,
            author_notes=cleaned.author_notes, source=details.source,
            source_url=details.source_url, published_on=details.published_on,
            date_note=details.date_note, copy_note=details.copy_note, created_by=user,
        )
        name = f"{uuid.uuid4().hex}.{EXTENSIONS.get(cleaned.detected_type, 'bin')}"
        reading.original_file.save(name, ContentFile(data), save=True)
        try:
            if course is not None:
                Lesson.objects.create(course=course, reading=reading, title=reading.title,
                                      slug=lesson_free_slug(
                                          course, slugify(reading.title)[:70] or "reading"),
                                      is_published=publish,
                                      position=course.lessons.count() + 1)
        except Exception:
            reading.original_file.delete(save=False)
            raise
    return reading
