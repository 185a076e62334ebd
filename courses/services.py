"""Writes for courses, readings, annotations and reading progress."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from .models import (
    Annotation,
    AnnotationKind,
    Audience,
    Lesson,
    NoteDepth,
    Passage,
    PassageKind,
    Reading,
    ReadingProgress,
)
from .rendering import find_occurrence

# One beacon may report at most this much reading time: a tab left open overnight, or a
# forged request, cannot add hours at once.
MAX_SECONDS_PER_REPORT = 300


@dataclass(frozen=True)
class PassageInput:
    kind: str
    text: str


@transaction.atomic
def reading_create(
    *,
    title: str,
    passages: Sequence[PassageInput],
    content_hash: str,
    word_count: int,
    reading_minutes: int,
    readability_grade: float | None = None,
    dek: str = "",
    section: str = "",
    authors: Iterable[str] = (),
    author_notes: Iterable[str] = (),
    source: str = "",
    source_url: str = "",
    published_on=None,
    licence: str = "",
    date_note: str = "",
    copy_note: str = "",
    created_by=None,
) -> Reading:
    """Store a reading and all its passages in one transaction, or nothing at all."""
    if not passages:
        raise ValidationError("A reading needs at least one passage.")
    reading = Reading.objects.create(
        title=title.strip() or "Untitled reading",
        dek=dek,
        section=section,
        authors=list(authors),
        author_notes=list(author_notes),
        source=source,
        source_url=source_url,
        published_on=published_on,
        licence=licence,
        date_note=date_note,
        copy_note=copy_note,
        content_hash=content_hash,
        word_count=word_count,
        reading_minutes=reading_minutes,
        readability_grade=readability_grade,
        created_by=created_by,
    )
    Passage.objects.bulk_create(
        Passage(
            reading=reading,
            order=order,
            kind=p.kind if p.kind in PassageKind.values else PassageKind.PARAGRAPH,
            text=p.text,
        )
        for order, p in enumerate(passages, start=1)
    )
    return reading


def annotation_create(
    *,
    lesson: Lesson,
    passage: Passage,
    quote: str,
    kind: str,
    body: str,
    title: str = "",
    occurrence: int = 1,
    audience: str = Audience.EVERYONE,
    depth: str = NoteDepth.CORE,
    author=None,
) -> Annotation:
    """Attach a note for `lesson` to the `occurrence`-th appearance of `quote` in `passage`.

    Raises ValidationError, storing nothing, when the passage is not in the lesson's reading,
    the quote is not in the passage or the kind, audience or depth is unknown.
    """
    if passage.reading_id != lesson.reading_id:
        raise ValidationError("The passage is not part of this lesson's reading.")
    if kind not in AnnotationKind.values:
        raise ValidationError(f"Unknown annotation kind {kind!r}.")
    if audience not in Audience.values:
        raise ValidationError(f"Unknown audience {audience!r}.")
    if depth not in NoteDepth.values:
        raise ValidationError(f"Unknown depth {depth!r}.")
    if not body.strip():
        raise ValidationError("A note needs a body.")
    start = find_occurrence(passage.text, quote, occurrence)
    if start < 0:
        raise ValidationError(f"“{quote}” does not appear in passage {passage.order}.")
    return Annotation.objects.create(
        lesson=lesson,
        passage=passage,
        kind=kind,
        title=title,
        body=body,
        quote=quote,
        start=start,
        end=start + len(quote),
        audience=audience,
        depth=depth,
        author=author,
    )


def lesson_passage_orders(lesson: Lesson) -> list[int]:
    return list(lesson.reading.passages.order_by("order").values_list("order", flat=True))


def reading_progress_record(
    *, user, lesson: Lesson, seen: Iterable[int], seconds: int = 0, upto: int | None = None,
    now: datetime | None = None,
) -> ReadingProgress:
    """Merge a report of passages reached and time spent into the user's progress.

    Reports only add: passages already seen stay seen, and time only grows, so reports that
    arrive late or twice (a beacon retried, two tabs) never move progress backwards. `upto`
    marks every passage up to that number (bounded by the passages the reading has). The
    lesson is complete once its last passage was reached.
    """
    now = now or timezone.now()
    orders = lesson_passage_orders(lesson)
    valid = set(orders)
    reported = {int(o) for o in seen if (isinstance(o, int) and not isinstance(o, bool))
                or (isinstance(o, str) and o.isascii() and o.isdigit())} & valid
    if upto:
        reported.update(o for o in orders if o <= upto)
    seconds = max(0, min(int(seconds or 0), MAX_SECONDS_PER_REPORT))
    for _attempt in range(2):
        try:
            with transaction.atomic():
                progress, _ = ReadingProgress.objects.select_for_update().get_or_create(
                    user=user, lesson=lesson
                )
                merged = sorted(set(progress.passages_seen) | reported)
                progress.passages_seen = merged
                progress.furthest_passage = max(merged, default=0)
                progress.seconds_spent += seconds
                if orders and orders[-1] in merged and progress.completed_at is None:
                    progress.completed_at = now
                progress.save()
                return progress
        except IntegrityError:
            # Two first reports raced to create the row; the loser retries as an update.
            continue
    raise RuntimeError("Could not record reading progress.")
