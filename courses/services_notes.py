"""Writes for instructors' notes and admins' passage edits.

Editing a passage re-anchors its notes by their quoted words; a note whose words are gone
is flagged for review instead of pointing at the wrong text. A reading that attempts have
used is never changed in place: the edit goes into a new version.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction

from .hooks import reading_in_use
from .models import Annotation, AnnotationKind, Audience, NoteDepth, Passage, Reading
from .rendering import find_occurrence, reanchor


def annotation_update(*, annotation: Annotation, quote: str, occurrence: int, kind: str,
                      title: str, body: str, audience: str,
                      depth: str = NoteDepth.CORE) -> Annotation:
    """Change a note (and its span); ValidationError, changing nothing, when the quote is not
    in the passage or a value is unknown. A corrected note is no longer flagged."""
    if (kind not in AnnotationKind.values or audience not in Audience.values
            or depth not in NoteDepth.values):
        raise ValidationError("Choose a known kind, audience and depth.")
    if not body.strip():
        raise ValidationError("A note needs a body.")
    start = find_occurrence(annotation.passage.text, quote, occurrence)
    if start < 0:
        raise ValidationError(f"“{quote}” does not appear in passage "
                              f"{annotation.passage.order}.")
    annotation.quote, annotation.start, annotation.end = quote, start, start + len(quote)
    annotation.kind, annotation.title, annotation.body = kind, title, body
    annotation.audience, annotation.depth, annotation.needs_review = audience, depth, False
    annotation.save()
    return annotation


def reading_new_version(*, reading: Reading) -> Reading:
    """Copy a reading with its passages as a new version, and move its lessons, with each
    lesson's notes, to the copy; the original's text stays as attempts answered it.

    Notes belong to lessons, and every lesson of the reading moves, so the notes move with
    them (to the same passage of the copy) rather than being copied: a copy left behind on
    the old version would be a second set of the same lesson's notes.
    """
    with transaction.atomic():
        passages = list(reading.passages.order_by("order"))
        copy = Reading.objects.get(pk=reading.pk)
        copy.pk = None
        copy.previous_version = reading
        copy.first_version_id = reading.family_id
        copy.original_file = reading.original_file.name
        copy.save()
        moved = {}
        for passage in passages:
            old_pk = passage.pk
            passage.pk, passage.reading = None, copy
            passage.save()
            moved[old_pk] = passage.pk
        notes = list(Annotation.objects.filter(passage__reading=reading).only("pk", "passage"))
        for note in notes:
            note.passage_id = moved[note.passage_id]
        Annotation.objects.bulk_update(notes, ["passage"], batch_size=500)
        reading.lessons.update(reading=copy)
        return copy


def passage_update(*, passage: Passage, text: str) -> tuple[Passage, list[Annotation]]:
    """Replace a passage's text, re-anchoring its notes; return the edited passage (in a new
    reading version when attempts used this one) and the notes flagged for review."""
    if not text.strip():
        raise ValidationError("A passage cannot be empty.")
    with transaction.atomic():
        if any(reading_in_use(passage.reading, None, "")):
            new_reading = reading_new_version(reading=passage.reading)
            passage = new_reading.passages.get(order=passage.order)
        old_text = passage.text
        passage.text = text
        passage.save()
        flagged = []
        for note in passage.annotations.all():
            start = reanchor(old_text, text, note.quote, note.start)
            if start < 0:
                # Keep the old offsets' length consistent with the quote, and flag it.
                note.start, note.end = 0, len(note.quote)
                note.needs_review = True
                flagged.append(note)
            else:
                note.start, note.end = start, start + len(note.quote)
            note.save(update_fields=["start", "end", "needs_review"])
        return passage, flagged
