"""Teaching staff annotate; passage edits re-anchor notes or flag them; used readings version."""

import pytest
from django.urls import reverse
from django.utils import timezone

from courses.models import Annotation, Passage, Reading
from courses.services_notes import passage_update
from tests.factories import AnnotationFactory

pytestmark = pytest.mark.django_db


def _create_url(lesson):
    return reverse("courses:note-create", args=[lesson.course.slug, lesson.slug])


def test_instructor_adds_a_note_by_typing_the_exact_words(client, instructor, lesson):
    client.force_login(instructor)
    response = client.post(_create_url(lesson), {
        "passage": "2", "quote": "the fox", "occurrence": "1", "kind": "glossary",
        "title": "Fox", "body": "A *fox*.", "audience": "everyone"})
    note = Annotation.objects.get()
    assert response["Location"].endswith(f"#ref-{note.pk}")
    assert note.passage.order == 2 and note.passage.text[note.start:note.end] == "the fox"
    assert "<em>fox</em>" in client.get(lesson.get_absolute_url()).content.decode()


def test_wrong_words_are_refused_with_a_message(client, instructor, lesson):
    client.force_login(instructor)
    response = client.post(_create_url(lesson), {
        "passage": "2", "quote": "a wolf", "occurrence": "1", "kind": "glossary",
        "title": "", "body": "x", "audience": "everyone"}, follow=True)
    assert "does not appear in passage 2" in response.content.decode()
    assert not Annotation.objects.exists()


def test_students_cannot_add_or_edit_notes(client, student, lesson):
    note = AnnotationFactory(passage=lesson.reading.passages.get(order=1), quote="fox")
    client.force_login(student)
    assert client.post(_create_url(lesson), {"passage": "1"}).status_code == 403
    edit = reverse("courses:note-edit", args=[lesson.course.slug, lesson.slug, note.pk])
    assert client.post(edit, {"action": "delete"}).status_code == 403
    assert Annotation.objects.count() == 1


def test_instructor_edits_and_deletes_a_note(client, instructor, lesson):
    note = AnnotationFactory(passage=lesson.reading.passages.get(order=1), quote="fox")
    client.force_login(instructor)
    url = reverse("courses:note-edit", args=[lesson.course.slug, lesson.slug, note.pk])
    assert "Edit a note" in client.get(url).content.decode()
    client.post(url, {"quote": "runs", "occurrence": "1", "kind": "context", "title": "Runs",
                      "body": "Moves fast.", "audience": "instructors"})
    note.refresh_from_db()
    assert (note.quote, note.kind, note.audience) == ("runs", "context", "instructors")
    client.post(url, {"action": "delete"})
    assert not Annotation.objects.exists()


def test_passage_edit_reanchors_notes_and_flags_lost_ones(lesson):
    passage = lesson.reading.passages.get(order=1)
    kept = AnnotationFactory(passage=passage, quote="fox")
    lost = AnnotationFactory(passage=passage, quote="runs")
    edited, flagged = passage_update(passage=passage,
                                     text="New words first. Passage 1: the red fox sleeps.")
    kept.refresh_from_db()
    assert edited.text[kept.start:kept.end] == "fox" and not kept.needs_review
    assert flagged == [lost] and Annotation.objects.get(pk=lost.pk).needs_review


def test_a_reading_used_by_attempts_is_versioned_not_changed(lesson, student):
    from quizzes.taking import services
    from tests.factories import QuestionFactory, QuizFactory

    quiz = QuizFactory(lesson=lesson)
    QuestionFactory(quiz=quiz)
    services.attempt_start(quiz=quiz, user=student, now=timezone.now())
    old = lesson.reading
    AnnotationFactory(passage=old.passages.get(order=1), quote="fox")
    edited, _ = passage_update(passage=old.passages.get(order=1), text="Passage 1: a fox.")
    assert edited.reading != old and edited.reading.previous_version == old
    assert Passage.objects.get(reading=old, order=1).text == "Passage 1: the fox runs."
    lesson.refresh_from_db()
    assert lesson.reading == edited.reading
    assert Reading.objects.count() == 2
    assert edited.annotations.get().quote == "fox"


def test_admin_passage_edit_goes_through_reanchoring(client, admin_user, lesson):
    passage = lesson.reading.passages.get(order=1)
    note = AnnotationFactory(passage=passage, quote="fox")
    client.force_login(admin_user)
    url = reverse("admin:courses_passage_change", args=[passage.pk])
    page = client.get(url)
    assert page.status_code == 200
    client.post(url, {"reading": lesson.reading.pk, "order": 1, "kind": "paragraph",
                      "text": "Intro. Passage 1: the fox runs.",
                      "annotations-TOTAL_FORMS": "0", "annotations-INITIAL_FORMS": "0",
                      "annotations-MIN_NUM_FORMS": "0", "annotations-MAX_NUM_FORMS": "1000"})
    note.refresh_from_db()
    assert note.start == len("Intro. Passage 1: the ") and not note.needs_review


@pytest.fixture
def shared(lesson, instructor, student, other_course):
    """The lesson's reading in a lesson of another course too, with that course's people."""
    from courses.models import Role
    from tests.factories import EnrollmentFactory, LessonFactory, UserFactory

    other = LessonFactory(course=other_course, reading=lesson.reading, slug="also-fox")
    prof, reader = UserFactory(username="chem-prof"), UserFactory(username="chem-stu")
    EnrollmentFactory(course=other_course, user=prof, role=Role.INSTRUCTOR)
    EnrollmentFactory(course=other_course, user=reader, role=Role.STUDENT)
    passage = lesson.reading.passages.get(order=1)
    mine = AnnotationFactory(lesson=lesson, passage=passage, quote="fox", body="ZQX-mine")
    secret = AnnotationFactory(lesson=lesson, passage=passage, quote="runs",
                               body="ZQX-staff", audience="instructors")
    return other, prof, reader, mine, secret


def test_another_course_on_the_same_reading_cannot_edit_or_delete_these_notes(client, shared):
    other, prof, _, mine, secret = shared
    client.force_login(prof)
    for note in (mine, secret):
        url = reverse("courses:note-edit", args=[other.course.slug, other.slug, note.pk])
        assert client.get(url).status_code == 404
        assert client.post(url, {"action": "delete"}).status_code == 404
        assert client.post(url, {"quote": "fox", "occurrence": "1", "kind": "context",
                                 "body": "hijacked", "audience": "everyone"}).status_code == 404
    assert sorted(Annotation.objects.values_list("body", flat=True)) == ["ZQX-mine", "ZQX-staff"]


def test_each_lesson_on_a_shared_reading_shows_only_its_own_notes(client, lesson, instructor,
                                                                  shared):
    other, prof, reader, _, _ = shared
    for person in (prof, reader):
        client.force_login(person)
        page = client.get(other.get_absolute_url()).content.decode()
        assert "ZQX-mine" not in page and "ZQX-staff" not in page
    client.force_login(prof)
    client.post(_create_url(other), {"passage": "2", "quote": "fox", "occurrence": "1",
                                     "kind": "glossary", "title": "", "body": "ZQX-chem",
                                     "audience": "everyone"})
    assert Annotation.objects.get(body="ZQX-chem").lesson == other
    client.force_login(instructor)
    page = client.get(lesson.get_absolute_url()).content.decode()
    assert "ZQX-mine" in page and "ZQX-staff" in page and "ZQX-chem" not in page


def test_a_note_cannot_be_made_for_a_passage_of_another_reading(lesson, other_course):
    from django.core.exceptions import ValidationError

    from courses.services import annotation_create
    from tests.factories import LessonFactory

    elsewhere = LessonFactory(course=other_course)
    with pytest.raises(ValidationError):
        annotation_create(lesson=elsewhere, passage=lesson.reading.passages.get(order=1),
                          quote="fox", kind="glossary", body="x")
    assert not Annotation.objects.exists()


def test_a_new_reading_version_moves_each_lessons_notes_with_it(lesson, student, shared):
    from quizzes.taking import services
    from tests.factories import QuestionFactory, QuizFactory

    other, *_ = shared
    theirs = AnnotationFactory(lesson=other, passage=lesson.reading.passages.get(order=1),
                               quote="fox", body="ZQX-chem")
    quiz = QuizFactory(lesson=lesson)
    QuestionFactory(quiz=quiz)
    services.attempt_start(quiz=quiz, user=student, now=timezone.now())
    old = lesson.reading
    edited, _ = passage_update(passage=old.passages.get(order=1),
                               text="New start. Passage 1: the fox runs.")
    lesson.refresh_from_db()
    other.refresh_from_db()
    assert lesson.reading == other.reading == edited.reading
    assert not Annotation.objects.filter(passage__reading=old).exists()
    assert sorted(lesson.annotations.values_list("body", flat=True)) == ["ZQX-mine",
                                                                        "ZQX-staff"]
    moved = Annotation.objects.get(pk=theirs.pk)
    assert moved.lesson == other and moved.passage == edited
    assert edited.text[moved.start:moved.end] == "fox"
