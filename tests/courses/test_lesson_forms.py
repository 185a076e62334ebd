"""The lesson and library forms: what they accept, and each refusal with its message."""

from __future__ import annotations

from datetime import datetime

import pytest
from django.utils import timezone

from courses.forms_lessons import CourseChoiceForm, LessonForm, LibraryFilterForm
from courses.models import Reading
from tests.factories import CourseFactory, LessonFactory, ReadingFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def reading(db):
    return ReadingFactory(title="The Long Telegram")


def _create_form(course, chosen, **data):
    values = {"reading": chosen.pk, "title": "The Long Telegram", "slug": "", "summary": "",
              "objectives": "", "available_from": ""}
    values.update(data)
    return LessonForm(values, course=course, readings=Reading.objects.all())


def test_a_complete_new_lesson_is_valid(course, reading):
    form = _create_form(course, reading, slug="telegram", summary="Kennan, 1946.",
                        objectives="Explain containment.\n\n  Name its critics. \n",
                        available_from="2025-09-01T08:00", is_published="on")
    assert form.is_valid(), form.errors
    assert form.cleaned_data["reading"] == reading
    assert form.settings() == {
        "title": "The Long Telegram", "slug": "telegram", "summary": "Kennan, 1946.",
        "objectives": ["Explain containment.", "Name its critics."],
        "before_reading": "", "discussion": [],
        "available_from": timezone.make_aware(datetime(2025, 9, 1, 8, 0)),
        "is_published": True}


def test_an_empty_address_is_suggested_from_the_title(lesson, reading):
    form = _create_form(lesson.course, reading, title="The Fox")
    assert form.is_valid(), form.errors
    assert form.cleaned_data["slug"] == "the-fox-2"


def test_capitals_in_an_address_are_lowered(course, reading):
    form = _create_form(course, reading, slug=" The-Telegram ")
    assert form.is_valid(), form.errors
    assert form.cleaned_data["slug"] == "the-telegram"


@pytest.mark.parametrize(("data", "field", "message"), [
    ({"reading": ""}, "reading", "Choose the reading this lesson teaches."),
    ({"title": ""}, "title", "A lesson needs a title."),
    ({"title": "x" * 301}, "title", "Ensure this value has at most 300 characters (it has 301)."),
    ({"slug": "new"}, "slug", "“new” is kept for Lectio's own pages; choose another address."),
    ({"slug": "two  words"}, "slug", "Use lowercase letters, numbers and single hyphens "
                                     "between them, like “the-new-silk-road”."),
    ({"slug": "ends-"}, "slug", "Use lowercase letters, numbers and single hyphens "
                                "between them, like “the-new-silk-road”."),
    ({"slug": "a" * 81}, "slug", "Ensure this value has at most 80 characters (it has 81)."),
    ({"summary": "s" * 2001}, "summary",
     "Ensure this value has at most 2000 characters (it has 2001)."),
    ({"objectives": "\n".join(f"Objective {n}" for n in range(21))}, "objectives",
     "Keep to 20 objectives; this has 21."),
    ({"objectives": "Fine\n" + "o" * 301}, "objectives",
     "Objective 2 is 301 characters long; keep each to 300."),
    ({"available_from": "next tuesday"}, "available_from",
     "Enter a date and time, like 2025-09-01 08:00."),
])
def test_each_bad_value_is_refused_with_its_message(course, reading, data, field, message):
    form = _create_form(course, reading, **data)
    assert not form.is_valid()
    assert form.errors[field] == [message]


def test_an_address_another_lesson_uses_is_refused_naming_a_free_one(lesson, reading):
    form = _create_form(lesson.course, reading, slug="the-fox")
    assert not form.is_valid()
    assert form.errors["slug"] == [
        "Another lesson in this course already uses “the-fox”; “the-fox-2” is free."]


def test_the_same_address_in_another_course_is_fine(lesson, reading):
    form = _create_form(CourseFactory(), reading, slug="the-fox")
    assert form.is_valid(), form.errors


def test_a_reading_outside_the_persons_library_is_refused(course, reading):
    other = ReadingFactory()
    form = LessonForm({"reading": other.pk, "title": "T"}, course=course,
                      readings=Reading.objects.filter(pk=reading.pk))
    assert not form.is_valid()
    assert form.errors["reading"] == ["Choose a reading from your library; that one is not "
                                      "in it (or has a newer version)."]


def test_the_settings_form_keeps_the_lessons_own_address_and_requires_one(lesson):
    other = LessonFactory(course=lesson.course, slug="other", position=2)
    initial = LessonForm.initial_for(lesson)
    assert initial["objectives"] == "Understand the text."
    form = LessonForm({**initial, "is_published": "on"}, course=lesson.course, lesson=lesson)
    assert "reading" not in form.fields
    assert form.is_valid(), form.errors
    form = LessonForm({**initial, "slug": ""}, course=lesson.course, lesson=lesson)
    assert not form.is_valid()
    assert form.errors["slug"] == ["Give the lesson an address."]
    form = LessonForm({**initial, "slug": "other"}, course=lesson.course, lesson=lesson)
    assert not form.is_valid()
    assert form.errors["slug"] == [
        "Another lesson in this course already uses “other”; “other-2” is free."]
    assert other.slug == "other"


# --- the library's forms ----------------------------------------------------------------


def test_library_filters_read_a_course_by_its_address(course, other_course):
    form = LibraryFilterForm({"q": "  fox ", "course": "politics", "use": "unused",
                              "sort": "newest"}, courses=[course, other_course])
    assert form.is_valid(), form.errors
    assert form.filters() == {"q": "fox", "course": course, "use": "unused", "sort": "newest"}
    empty = LibraryFilterForm({}, courses=[course])
    assert empty.is_valid()
    assert empty.filters() == {"q": "", "course": None, "use": "", "sort": "title"}


@pytest.mark.parametrize(("data", "field", "message"), [
    ({"course": "chemistry"}, "course", "Choose one of your courses."),
    ({"use": "sometimes"}, "use",
     "Select a valid choice. sometimes is not one of the available choices."),
    ({"sort": "random"}, "sort",
     "Select a valid choice. random is not one of the available choices."),
    ({"q": "q" * 201}, "q", "Ensure this value has at most 200 characters (it has 201)."),
])
def test_bad_library_filters_are_refused_with_their_message(course, data, field, message):
    form = LibraryFilterForm(data, courses=[course])
    assert not form.is_valid()
    assert form.errors[field] == [message]


def test_a_course_choice_must_be_one_of_those_offered(course, other_course):
    form = CourseChoiceForm({"course": "politics"}, courses=[course])
    assert form.is_valid() and form.cleaned_data["course"] == course
    missing = CourseChoiceForm({}, courses=[course])
    assert not missing.is_valid() and missing.errors["course"] == ["Choose a course."]
    other = CourseChoiceForm({"course": "chemistry"}, courses=[course])
    assert not other.is_valid()
    assert other.errors["course"] == ["Choose one of the courses listed."]
