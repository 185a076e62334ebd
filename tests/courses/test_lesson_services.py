"""The lesson services: create from a reading, change, reorder (positions stay 1..n, also
under concurrent moves), publish, delete only what no student's attempt uses; and making a
reading available to a course."""

from __future__ import annotations

import importlib
import random
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone

from courses.models import CourseReading, Lesson, Reading, ReadingProgress
from courses.services_lessons import (
    lesson_create,
    lesson_delete,
    lesson_move,
    lesson_set_published,
    lesson_update,
    reading_attach,
    reading_detach,
)
from courses.services_notes import passage_update, reading_new_version
from quizzes.taking import services as quiz_services
from tests.factories import (
    CourseFactory,
    LessonFactory,
    PassageFactory,
    QuestionFactory,
    QuizFactory,
    ReadingFactory,
)

pytestmark = pytest.mark.django_db


def _positions(course) -> list[tuple[str, int]]:
    return list(Lesson.objects.filter(course=course).order_by("position", "pk")
                .values_list("slug", "position"))


def _reading(title="A text"):
    reading = ReadingFactory(title=title)
    PassageFactory(reading=reading, order=1)
    return reading


# --- lesson_create ----------------------------------------------------------------------


def test_a_new_lesson_comes_last_with_an_address_made_from_its_title(lesson):
    created = lesson_create(course=lesson.course, reading=_reading(), title="  Why Empires Fall ",
                            objectives=["Name two causes.", "  ", "Weigh them."])
    assert (created.title, created.slug, created.position) == ("Why Empires Fall",
                                                               "why-empires-fall", 2)
    assert created.objectives == ["Name two causes.", "Weigh them."]
    assert created.is_published is False


def test_a_taken_address_gets_a_number_when_suggested_and_is_refused_when_chosen(lesson):
    suggested = lesson_create(course=lesson.course, reading=_reading(), title="The Fox")
    assert suggested.slug == "the-fox-2"
    with pytest.raises(ValidationError) as error:
        lesson_create(course=lesson.course, reading=_reading(), title="Other", slug="the-fox")
    assert error.value.message_dict["slug"] == [
        "Another lesson in this course already uses “the-fox”; “the-fox-3” is free."]
    assert Lesson.objects.filter(course=lesson.course).count() == 2


@pytest.mark.parametrize(("slug", "message"), [
    ("new", "“new” is kept for Lectio's own pages; choose another address."),
    ("Not A Slug", "Use lowercase letters, numbers and single hyphens between them, like "
                   "“the-new-silk-road”."),
    ("a" * 81, "Use at most 80 characters."),
])
def test_a_bad_address_is_refused_and_nothing_is_stored(course, slug, message):
    with pytest.raises(ValidationError) as error:
        lesson_create(course=course, reading=_reading(), title="T", slug=slug)
    assert error.value.message_dict["slug"] == [message]
    assert not Lesson.objects.exists()


def test_a_suggested_address_never_takes_a_reserved_one(course):
    assert lesson_create(course=course, reading=_reading(), title="New").slug == "new-2"


def test_a_lesson_needs_a_title(course):
    with pytest.raises(ValidationError) as error:
        lesson_create(course=course, reading=_reading(), title="   ")
    assert error.value.message_dict["title"] == ["A lesson needs a title."]


def test_a_lesson_is_made_from_the_current_version_of_a_reading_only(lesson):
    old = lesson.reading
    reading_new_version(reading=old)
    with pytest.raises(ValidationError) as error:
        lesson_create(course=lesson.course, reading=old, title="Old text")
    assert "newer version" in error.value.message_dict["reading"][0]


def test_creating_closes_gaps_left_by_older_imports(course):
    for position, slug in ((3, "c"), (7, "g"), (7, "h")):
        LessonFactory(course=course, slug=slug, position=position)
    created = lesson_create(course=course, reading=_reading(), title="Last")
    assert _positions(course) == [("c", 1), ("g", 2), ("h", 3), ("last", 4)]
    assert created.position == 4


# --- lesson_update ----------------------------------------------------------------------


def test_settings_change_and_an_address_taken_by_another_lesson_changes_nothing(lesson):
    other = LessonFactory(course=lesson.course, slug="other", position=2)
    opens = timezone.now()
    lesson_update(lesson=lesson, title="Renamed", slug="renamed", summary=" S ",
                  objectives=["One"], available_from=opens, is_published=False)
    lesson.refresh_from_db()
    assert (lesson.title, lesson.slug, lesson.summary, lesson.objectives,
            lesson.available_from, lesson.is_published) == ("Renamed", "renamed", "S",
                                                            ["One"], opens, False)
    with pytest.raises(ValidationError):
        lesson_update(lesson=Lesson.objects.get(pk=lesson.pk), title="Again", slug="other")
    lesson.refresh_from_db()
    assert (lesson.title, lesson.slug) == ("Renamed", "renamed")
    assert Lesson.objects.get(pk=other.pk).slug == "other"


def test_keeping_its_own_address_is_fine(lesson):
    lesson_update(lesson=lesson, title="Same address", slug="the-fox")
    assert Lesson.objects.get(pk=lesson.pk).title == "Same address"


# --- lesson_move ------------------------------------------------------------------------


@pytest.fixture
def five(course):
    return [LessonFactory(course=course, slug=f"l{n}", title=f"L{n}", position=n)
            for n in range(1, 6)]


def test_moving_up_and_down_swaps_neighbours(course, five):
    order = lesson_move(lesson=five[2], direction="up")
    assert [lsn.slug for lsn in order] == ["l1", "l3", "l2", "l4", "l5"]
    assert five[2].position == 2
    lesson_move(lesson=five[0], direction="down")
    assert _positions(course) == [("l3", 1), ("l1", 2), ("l2", 3), ("l4", 4), ("l5", 5)]


def test_the_first_cannot_go_up_nor_the_last_down(course, five):
    lesson_move(lesson=five[0], direction="up")
    lesson_move(lesson=five[4], direction="down")
    assert [slug for slug, _ in _positions(course)] == ["l1", "l2", "l3", "l4", "l5"]


def test_an_unknown_direction_or_a_deleted_lesson_is_refused(five):
    with pytest.raises(ValidationError, match="up or down"):
        lesson_move(lesson=five[1], direction="sideways")
    gone = five[1]
    Lesson.objects.filter(pk=gone.pk).delete()
    with pytest.raises(ValidationError, match="deleted meanwhile"):
        lesson_move(lesson=gone, direction="up")


def test_a_move_renumbers_ties_and_gaps_into_one_sequence(course):
    for slug, position in (("a", 2), ("b", 2), ("c", 9)):
        LessonFactory(course=course, slug=slug, title=slug, position=position)
    lesson_move(lesson=Lesson.objects.get(slug="c"), direction="up")
    assert _positions(course) == [("a", 1), ("c", 2), ("b", 3)]


@pytest.mark.django_db(transaction=True)
def test_concurrent_moves_keep_positions_one_contiguous_sequence():
    course = CourseFactory()
    lessons = [LessonFactory(course=course, slug=f"c{n}", position=n) for n in range(1, 7)]
    barrier = threading.Barrier(8)
    errors = []

    def mover(seed: int):
        rng = random.Random(seed)
        try:
            barrier.wait()
            for _ in range(6):
                lesson_move(lesson=Lesson.objects.select_related("course")
                            .get(pk=rng.choice(lessons).pk),
                            direction=rng.choice(["up", "down"]))
        except Exception as exc:  # noqa: BLE001 - collected and asserted below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=mover, args=(seed,)) for seed in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    positions = sorted(Lesson.objects.filter(course=course).values_list("position", flat=True))
    assert positions == [1, 2, 3, 4, 5, 6]


# --- publish, delete --------------------------------------------------------------------


def test_publishing_and_unpublishing(lesson):
    lesson_set_published(lesson=lesson, published=False)
    assert Lesson.objects.get(pk=lesson.pk).is_published is False
    lesson_set_published(lesson=lesson, published=True)
    lesson_set_published(lesson=lesson, published=True)
    assert Lesson.objects.get(pk=lesson.pk).is_published is True


def test_deleting_an_unused_lesson_keeps_its_reading_and_closes_the_gap(lesson, student):
    later = LessonFactory(course=lesson.course, slug="later", position=2)
    ReadingProgress.objects.create(user=student, lesson=lesson, passages_seen=[1])
    QuizFactory(lesson=lesson)
    lesson_delete(lesson=lesson)
    assert not Lesson.objects.filter(pk=lesson.pk).exists()
    assert Reading.objects.filter(pk=lesson.reading_id).exists()
    assert not ReadingProgress.objects.exists()
    assert Lesson.objects.get(pk=later.pk).position == 1
    lesson_delete(lesson=lesson)  # already gone: nothing happens


def test_a_lesson_a_student_attempted_cannot_be_deleted(lesson, student):
    quiz = QuizFactory(lesson=lesson, title="Check")
    QuestionFactory(quiz=quiz)
    quiz_services.attempt_start(quiz=quiz, user=student, now=timezone.now())
    with pytest.raises(ValidationError) as error:
        lesson_delete(lesson=lesson)
    assert error.value.messages == [
        "“The Fox” cannot be deleted: 1 student attempt at “Check” would be lost. "
        "Unpublish it instead to hide it from students; their grades stay."]
    assert Lesson.objects.filter(pk=lesson.pk).exists()
    assert quiz.attempts.count() == 1


def test_an_instructors_previews_do_not_keep_a_lesson(lesson, instructor):
    quiz = QuizFactory(lesson=lesson)
    QuestionFactory(quiz=quiz)
    quiz_services.attempt_start(quiz=quiz, user=instructor, now=timezone.now(), preview=True)
    lesson_delete(lesson=lesson)
    assert not Lesson.objects.filter(pk=lesson.pk).exists()


# --- versions and the library -----------------------------------------------------------


def test_every_version_names_the_first_one(lesson):
    first = lesson.reading
    second = reading_new_version(reading=first)
    third = reading_new_version(reading=second)
    assert (second.first_version_id, third.first_version_id) == (first.pk, first.pk)
    assert {first.family_id, second.family_id, third.family_id} == {first.pk}


def test_a_passage_edit_on_an_attempted_reading_makes_a_version_of_the_same_text(lesson,
                                                                                  student):
    quiz = QuizFactory(lesson=lesson)
    QuestionFactory(quiz=quiz)
    quiz_services.attempt_start(quiz=quiz, user=student, now=timezone.now())
    passage, _ = passage_update(passage=lesson.reading.passages.get(order=1), text="Changed.")
    assert passage.reading.first_version_id == lesson.reading_id


def test_the_migration_names_first_versions_of_existing_chains(db):
    from django.apps import apps

    migration = importlib.import_module("courses.migrations.0005_reading_library")
    first = ReadingFactory()
    second = ReadingFactory(previous_version=first)
    third = ReadingFactory(previous_version=second)
    alone = ReadingFactory()
    migration.name_first_versions(apps, None)
    got = dict(Reading.objects.values_list("pk", "first_version_id"))
    assert got == {first.pk: None, second.pk: first.pk, third.pk: first.pk, alone.pk: None}


def test_attaching_a_reading_twice_or_another_version_of_it_keeps_one_link(course, lesson):
    reading = _reading()
    link, created = reading_attach(reading=reading, course=course)
    assert created and link.reading == reading
    again, created = reading_attach(reading=reading, course=course)
    assert (again, created) == (link, False)
    newer = reading_new_version(reading=reading)
    with pytest.raises(ValidationError, match="newer version"):
        reading_attach(reading=reading, course=CourseFactory())
    assert reading_attach(reading=newer, course=course) == (link, False)
    assert CourseReading.objects.count() == 1


def test_withdrawing_removes_every_version_s_link_and_keeps_the_lessons(course):
    reading = _reading()
    reading_attach(reading=reading, course=course)
    made = lesson_create(course=course, reading=reading, title="Made from it")
    assert reading_detach(reading=reading, course=course) == 1
    assert reading_detach(reading=reading, course=course) == 0
    assert Lesson.objects.filter(pk=made.pk).exists()


def test_deleting_first_locks_the_lessons_quizzes_and_nothing_else(lesson):
    from django.test.utils import CaptureQueriesContext

    QuizFactory(lesson=lesson)
    with CaptureQueriesContext(connection) as queries:
        lesson_delete(lesson=lesson)
    quiz_reads = [q["sql"] for q in queries.captured_queries
                  if q["sql"].startswith("SELECT") and 'FROM "quizzes_quiz"' in q["sql"]]
    # The first read of the quizzes takes their row locks (where the database has them),
    # so no attempt can start between the check and the delete; without a join, so no
    # shared lesson or course row is locked with them.
    assert quiz_reads and "JOIN" not in quiz_reads[0]
    assert ("FOR UPDATE" in quiz_reads[0]) == connection.features.has_select_for_update
