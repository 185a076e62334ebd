"""A lesson's before-reading question and discussion prompts, and a reading's date and copy
notes: set by instructors, shown on the lesson page, filled into an earlier demo."""

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse

from courses.models import Lesson, Reading

pytestmark = pytest.mark.django_db


def _edit_url(lesson) -> str:
    return reverse("courses:lesson-edit", args=[lesson.course.slug, lesson.slug])


def test_instructors_set_the_before_reading_question_and_discussion_prompts(
        client, lesson, instructor, student):
    client.force_login(instructor)
    data = {"title": lesson.title, "slug": lesson.slug, "is_published": "on",
            "before_reading": "What do *foxes* eat?",
            "discussion": "Is the fox fast?\n\n  Why does it run?  \n"}
    assert client.post(_edit_url(lesson), data).status_code == 302
    lesson.refresh_from_db()
    assert lesson.before_reading == "What do *foxes* eat?"
    assert lesson.discussion == ["Is the fox fast?", "Why does it run?"]
    form = client.get(_edit_url(lesson)).context["form"]
    assert form.initial["discussion"] == "Is the fox fast?\nWhy does it run?"

    client.force_login(student)
    page = client.get(lesson.get_absolute_url()).content.decode()
    before, after = page.split('<div class="reading-body"')
    assert "Before you read" in before and "What do <em>foxes</em> eat?" in before
    assert '<h2 id="discussion-heading">Discuss</h2>' in after
    assert "Why does it run?" in after


def test_too_many_or_too_long_prompts_are_refused_and_change_nothing(client, lesson,
                                                                      instructor):
    client.force_login(instructor)
    data = {"title": lesson.title, "slug": lesson.slug, "discussion": "x" * 1001}
    response = client.post(_edit_url(lesson), data)
    assert response.status_code == 200 and "keep each to 1000" in response.content.decode()
    response = client.post(_edit_url(lesson), {**data, "discussion": "p\n" * 21})
    assert "Keep to 20 prompts" in response.content.decode()
    lesson.refresh_from_db()
    assert lesson.discussion == []


def test_the_page_says_what_is_known_of_the_date_and_of_the_copy(client, lesson, student):
    Reading.objects.filter(pk=lesson.reading_id).update(
        date_note="early 2021; the exact date is not known", copy_note="The links were lost.")
    client.force_login(student)
    page = client.get(lesson.get_absolute_url()).content.decode()
    assert '<span class="date-note">Published early 2021; the exact date is not known</span>' \
        in page
    assert "<strong>About this copy:</strong> The links were lost." in page
    assert "lesson-discussion" not in page and "Before you read" not in page


def test_the_seed_lesson_shows_its_date_copy_note_and_activities(client):
    call_command("load_demo")
    lesson = Lesson.objects.get(slug="sino-russian-relations")
    client.force_login(get_user_model().objects.get(username="student"))
    page = client.get(lesson.get_absolute_url()).content.decode()
    assert "Published early 2021; the exact date is not in the scraped copy" in page
    assert "The links in the original article were lost" in page
    assert "Before you read" in page and "Discuss" in page


def test_load_demo_fills_what_an_earlier_demo_left_empty_and_keeps_the_rest():
    call_command("load_demo")
    lesson = Lesson.objects.get(slug="sino-russian-relations")
    Lesson.objects.filter(pk=lesson.pk).update(before_reading="", discussion=[],
                                               summary="Our own summary.")
    Reading.objects.filter(pk=lesson.reading_id).update(date_note="", copy_note="")
    call_command("load_demo")
    lesson.refresh_from_db()
    assert lesson.before_reading and len(lesson.discussion) >= 3
    assert lesson.summary == "Our own summary."
    assert lesson.reading.date_note.startswith("early 2021") and lesson.reading.copy_note
