"""Notes belong to a lesson, not to a reading that lessons of several courses may share.

Each existing note is moved to the lessons that showed it: a note on a reading used by N
lessons becomes N notes, one per lesson, with the same quote, offsets and review flag, so
each course's staff keep exactly what their students saw and edit it on their own. Notes on
a reading no lesson shows (an old version, whose notes the new version already copied) were
shown on no page and are dropped. 0007 then makes the lesson required.
"""

import django.db.models.deletion
from django.db import migrations, models

COPIED = ["passage_id", "kind", "title", "body", "quote", "start", "end", "audience",
          "needs_review", "author_id"]


def lessons_by_reading(Lesson):
    shown_by = {}
    for lesson_id, reading_id in Lesson.objects.order_by("pk").values_list("pk", "reading_id"):
        shown_by.setdefault(reading_id, []).append(lesson_id)
    return shown_by


def notes_to_lessons(apps, schema_editor):
    Annotation = apps.get_model("courses", "Annotation")
    Lesson = apps.get_model("courses", "Lesson")
    for reading_id, (first, *others) in lessons_by_reading(Lesson).items():
        notes = Annotation.objects.filter(passage__reading_id=reading_id, lesson__isnull=True)
        originals = list(notes.order_by("pk").values(*COPIED, "created_at")) if others else []
        Annotation.objects.filter(pk__in=notes.values("pk")).update(lesson_id=first)
        copies = [Annotation(lesson_id=other, **note) for other in others for note in originals]
        Annotation.objects.bulk_create(copies, batch_size=500)
    Annotation.objects.filter(lesson__isnull=True).delete()


def notes_to_readings(apps, schema_editor):
    # Going back, a reading holds one set of notes again: its first lesson's.
    Annotation = apps.get_model("courses", "Annotation")
    Lesson = apps.get_model("courses", "Lesson")
    for reading_id, (first, *others) in lessons_by_reading(Lesson).items():
        if others:
            Annotation.objects.filter(passage__reading_id=reading_id).exclude(
                lesson_id=first).delete()


class Migration(migrations.Migration):

    dependencies = [
        ("courses", "0005_reading_library"),
    ]

    operations = [
        migrations.AddField(
            model_name="annotation",
            name="lesson",
            # Constraint and index come in 0007: PostgreSQL would build them at the end of
            # this migration, and refuses to alter a table whose rows it has just changed.
            field=models.ForeignKey(
                null=True, db_constraint=False, db_index=False,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="annotations", to="courses.lesson", verbose_name="lesson"),
        ),
        migrations.RunPython(notes_to_lessons, notes_to_readings),
    ]
