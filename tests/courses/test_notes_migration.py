"""Migration 0006: notes that hung off a shared reading become one note per lesson showing it."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("courses", "0005_reading_library")]
AFTER = [("courses", "0007_annotation_lesson_required")]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def test_each_note_moves_to_every_lesson_that_showed_it():
    old = _migrate(BEFORE)
    try:
        Course, Reading = old.get_model("courses", "Course"), old.get_model("courses", "Reading")
        Passage, Lesson = old.get_model("courses", "Passage"), old.get_model("courses", "Lesson")
        Annotation = old.get_model("courses", "Annotation")
        shared, alone, unused = (Reading.objects.create(title=t, content_hash=t)
                                 for t in ("shared", "alone", "unused"))
        passages = {r.title: Passage.objects.create(reading=r, order=1, text="The fox runs.")
                    for r in (shared, alone, unused)}
        a, b = (Course.objects.create(title=s, slug=s) for s in ("a", "b"))
        in_a = Lesson.objects.create(course=a, reading=shared, title="A", slug="l")
        in_b = Lesson.objects.create(course=b, reading=shared, title="B", slug="l")
        solo = Lesson.objects.create(course=b, reading=alone, title="Solo", slug="solo")
        for reading, body, audience in (("shared", "staff only", "instructors"),
                                        ("shared", "for all", "everyone"),
                                        ("alone", "solo note", "everyone"),
                                        ("unused", "never shown", "everyone")):
            Annotation.objects.create(passage=passages[reading], kind="glossary", body=body,
                                      quote="fox", start=4, end=7, audience=audience,
                                      needs_review=body == "for all")
        new = _migrate(AFTER)
        Note = new.get_model("courses", "Annotation")
        rows = sorted(Note.objects.values_list("lesson_id", "body", "audience", "quote",
                                               "start", "end", "needs_review",
                                               "passage__reading__title"))
        assert rows == sorted([
            (in_a.pk, "staff only", "instructors", "fox", 4, 7, False, "shared"),
            (in_a.pk, "for all", "everyone", "fox", 4, 7, True, "shared"),
            (in_b.pk, "staff only", "instructors", "fox", 4, 7, False, "shared"),
            (in_b.pk, "for all", "everyone", "fox", 4, 7, True, "shared"),
            (solo.pk, "solo note", "everyone", "fox", 4, 7, False, "alone"),
        ])
        # Back again: the reading keeps one set of notes, its first lesson's.
        back = _migrate(BEFORE)
        assert sorted(back.get_model("courses", "Annotation").objects.values_list(
            "body", flat=True)) == ["for all", "solo note", "staff only"]
    finally:
        _migrate(_latest())


def _latest():
    executor = MigrationExecutor(connection)
    return executor.loader.graph.leaf_nodes()
