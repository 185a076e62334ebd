"""The reading library: who sees which readings, versions with the lessons using each,
search, filters and pages; admins make a reading available to a course, whose instructors
then build lessons from it."""

from __future__ import annotations

import pytest
from django.urls import reverse

from courses.models import CourseReading, Role
from courses.services_notes import reading_new_version
from tests.factories import (
    CourseFactory,
    EnrollmentFactory,
    LessonFactory,
    PassageFactory,
    ReadingFactory,
)

pytestmark = pytest.mark.django_db

LIBRARY = reverse("courses:reading-library")


def _titles(response) -> list[str]:
    return [entry.reading.title for entry in response.context["entries"]]


@pytest.fixture
def shelf(lesson, other_course, admin_user):
    """The Fox (used by the course), an essay attached to it, one used only by another
    course, and one nobody uses."""
    essay = ReadingFactory(title="An Essay", source="The Review", authors=["Jo March"])
    CourseReading.objects.create(course=lesson.course, reading=essay, attached_by=admin_user)
    chem = LessonFactory(course=other_course, slug="chem", title="Chem lesson",
                         reading=ReadingFactory(title="Chemistry text"))
    loose = ReadingFactory(title="Unused text")
    return {"fox": lesson.reading, "essay": essay, "chem": chem.reading, "loose": loose}


def test_instructors_see_their_courses_readings_and_those_given_to_them(client, shelf,
                                                                        instructor):
    client.force_login(instructor)
    response = client.get(LIBRARY)
    assert _titles(response) == ["An Essay", "The Fox"]
    assert response.context["scope"].authoring == [response.context["scope"].courses[0]]


def test_site_admins_see_every_reading(client, shelf, admin_user):
    client.force_login(admin_user)
    assert _titles(client.get(LIBRARY)) == ["An Essay", "Chemistry text", "The Fox",
                                            "Unused text"]


def test_assistants_look_but_get_no_lesson_controls(client, shelf, assistant):
    client.force_login(assistant)
    response = client.get(LIBRARY)
    assert _titles(response) == ["An Essay", "The Fox"]
    assert b"Make a lesson" not in response.content
    assert b"Make available" not in response.content


def test_search_course_and_use_filters(client, shelf, admin_user, lesson):
    client.force_login(admin_user)
    assert _titles(client.get(LIBRARY, {"q": "march"})) == ["An Essay"]
    assert _titles(client.get(LIBRARY, {"q": "review"})) == ["An Essay"]
    assert _titles(client.get(LIBRARY, {"course": "chemistry"})) == ["Chemistry text"]
    assert _titles(client.get(LIBRARY, {"course": "politics"})) == ["An Essay", "The Fox"]
    assert _titles(client.get(LIBRARY, {"use": "unused"})) == ["An Essay", "Unused text"]
    assert _titles(client.get(LIBRARY, {"use": "used"})) == ["Chemistry text", "The Fox"]
    assert _titles(client.get(LIBRARY, {"sort": "newest"}))[0] == "Unused text"


def test_an_instructor_cannot_filter_by_a_course_they_do_not_teach(client, shelf, instructor):
    client.force_login(instructor)
    response = client.get(LIBRARY, {"course": "chemistry"})
    assert response.status_code == 200
    assert "Choose one of your courses." in response.content.decode()
    assert "Chemistry text" not in _titles(response)


def test_versions_are_listed_with_the_lessons_using_them(client, lesson, instructor):
    old = lesson.reading
    current = reading_new_version(reading=old)
    LessonFactory(course=CourseFactory(title="Elsewhere"), reading=current, slug="x")
    client.force_login(instructor)
    [entry] = client.get(LIBRARY).context["entries"]
    assert entry.reading == current
    assert [(v.number, v.reading, [lsn.title for lsn in v.lessons], v.other_lessons)
            for v in entry.versions] == [(2, current, ["The Fox"], 1), (1, old, [], 0)]
    page = client.get(reverse("courses:reading-detail", args=[old.pk])).content.decode()
    assert "an earlier version of the text" in page
    assert "1 in other courses" in page and "Elsewhere" not in page


def test_the_library_pages_twenty_readings_at_a_time(client, admin_user):
    for n in range(45):
        ReadingFactory(title=f"Text {n:02d}")
    client.force_login(admin_user)
    first = client.get(LIBRARY)
    assert len(first.context["entries"]) == 20 and "page 1 of 3" in first.content.decode()
    last = client.get(LIBRARY, {"page": "3", "q": "text"})
    assert _titles(last) == [f"Text {n}" for n in range(40, 45)]
    assert client.get(LIBRARY, {"page": "many"}).status_code == 200


def test_an_admin_makes_a_reading_available_and_withdraws_it(client, shelf, admin_user,
                                                              lesson):
    client.force_login(admin_user)
    url = reverse("courses:reading-attach", args=[shelf["loose"].pk])
    response = client.post(url, {"course": "politics", "next": f"{LIBRARY}?q=unused"})
    assert response.status_code == 302 and response["Location"] == f"{LIBRARY}?q=unused"
    assert CourseReading.objects.filter(course=lesson.course, reading=shelf["loose"]).exists()
    again = client.post(url, {"course": "politics"}, follow=True)
    assert "was already available" in again.content.decode()
    bad = client.post(url, {"course": "no-such-course", "next": "https://evil.example/"})
    assert bad["Location"] == LIBRARY
    detach = reverse("courses:reading-detach", args=[shelf["loose"].pk, "politics"])
    response = client.post(detach, follow=True)
    assert "no longer offered" in response.content.decode()
    assert not CourseReading.objects.filter(reading=shelf["loose"]).exists()


def test_instructors_cannot_make_readings_available(client, shelf, instructor):
    client.force_login(instructor)
    url = reverse("courses:reading-attach", args=[shelf["fox"].pk])
    assert client.post(url, {"course": "politics"}).status_code == 403
    assert not CourseReading.objects.filter(reading=shelf["fox"]).exists()


def test_make_a_lesson_in_goes_to_the_chosen_courses_form(client, shelf, instructor):
    second = CourseFactory(slug="second")
    EnrollmentFactory(course=second, user=instructor, role=Role.INSTRUCTOR)
    client.force_login(instructor)
    essay = shelf["essay"]
    url = reverse("courses:reading-new-lesson", args=[essay.pk])
    response = client.get(url, {"course": "second"})
    assert response["Location"] == (reverse("courses:lesson-create", args=["second"])
                                    + f"?reading={essay.pk}")
    refused = client.get(url, {"course": "chemistry"}, follow=True)
    assert "Choose one of the courses listed." in refused.content.decode()


def test_an_old_version_cannot_start_a_lesson(client, lesson, instructor):
    old = lesson.reading
    reading_new_version(reading=old)
    client.force_login(instructor)
    url = reverse("courses:reading-new-lesson", args=[old.pk])
    response = client.get(url, {"course": "politics"}, follow=True)
    assert "corrected since" in response.content.decode()


def _fill(size: int, course, admin_user):
    for n in range(size):
        reading = ReadingFactory(title=f"R{n}")
        PassageFactory(reading=reading, order=1)
        newer = reading_new_version(reading=reading)
        LessonFactory(course=course, reading=newer, slug=f"r{n}", position=n + 2)
        LessonFactory(course=CourseFactory(), reading=newer, slug=f"o{n}")
        CourseReading.objects.create(course=course, reading=newer, attached_by=admin_user)


@pytest.mark.parametrize("size", [3, 18])
@pytest.mark.parametrize("who", ["instructor", "admin_user"])
def test_the_library_runs_a_fixed_number_of_queries(client, course, instructor, admin_user,
                                                    who, size, django_assert_max_num_queries):
    _fill(size, course, admin_user)
    client.force_login({"instructor": instructor, "admin_user": admin_user}[who])
    # The signed-in session is read from the shared cache (cached_db sessions): one query on
    # the database cache table here, none with Redis; the user is a second.
    with django_assert_max_num_queries(9):
        response = client.get(LIBRARY, {"q": "R", "use": "used"})
    assert len(response.context["entries"]) == size
    assert all(len(entry.versions) == 2 for entry in response.context["entries"])


@pytest.mark.parametrize("size", [2, 40])
def test_a_readings_page_runs_a_fixed_number_of_queries(client, lesson, instructor, size,
                                                        django_assert_max_num_queries):
    for order in range(4, 4 + size):
        PassageFactory(reading=lesson.reading, order=order)
    client.force_login(instructor)
    # The signed-in session is read from the shared cache (cached_db sessions): one query on
    # the database cache table here, none with Redis; the user is a second.
    with django_assert_max_num_queries(9):
        response = client.get(reverse("courses:reading-detail", args=[lesson.reading_id]))
    assert response.content.decode().count('class="passage"') == size + 3
