"""Instructors enrol a CSV roster through a preview (all or nothing), change roles and remove
people, whose grades are kept."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from courses.models import Enrollment, PendingUpload, Role
from courses.roster import RosterRow, roster_parse
from courses.services_people import roster_apply
from quizzes.taking import services
from tests.factories import QuestionFactory, QuizFactory, UserFactory

CLEAN = (
    "username,email,name,section\n"
    "ada,ada@example.org,Ada Lovelace,A\n"
    "Alan,alan@example.org,Alan Mathison Turing,B\n"
    "\n"
)


# --- the pure parser --------------------------------------------------------------------


def test_a_clean_roster_reads_every_row_with_its_line():
    roster = roster_parse(CLEAN.encode())
    assert roster.problems == []
    assert roster.rows == [
        RosterRow(2, "ada", "ada@example.org", "Ada Lovelace", "A"),
        RosterRow(3, "Alan", "alan@example.org", "Alan Mathison Turing", "B"),
    ]


def test_columns_in_any_order_semicolons_bom_and_extra_columns():
    text = "\ufeffSection;Email;Username;Student ID\r\nB;bo@example.org;bo;123\r\n"
    roster = roster_parse(text.encode("utf-8"))
    assert roster.rows == [RosterRow(2, "bo", "bo@example.org", "", "B")]


def test_quoted_cells_keep_their_commas_and_doubled_quotes():
    text = 'username,email,name\nq,q@example.org,"Quinn, ""Q"" Jones"\n'
    assert roster_parse(text.encode()).rows[0].name == 'Quinn, "Q" Jones'


def test_a_spreadsheet_in_windows_1252_is_read():
    text = "username,email,name\nzoe,zoe@example.org,Zoë Brontë Café\n"
    roster = roster_parse(text.encode("cp1252"))
    assert roster.rows[0].name == "Zoë Brontë Café"


def test_every_bad_line_is_reported_by_number():
    text = ("username,email,name,section\n"
            "ok,ok@example.org,Fine,A\n"
            ",nobody@example.org,,\n"
            "bad name,bad@example.org,,\n"
            "mail,not-an-email,,\n"
            "OK,ok2@example.org,,\n"
            f"long,long@example.org,,{'S' * 51}\n")
    roster = roster_parse(text.encode())
    assert roster.problems == [
        "Line 3: the username is empty.",
        "Line 4: “bad name” is not a valid username (letters, digits and @ . + - _ only).",
        "Line 5: “not-an-email” is not a valid email address.",
        "Line 6: “OK” is already on line 2.",
        "Line 7: the section is longer than 50 characters.",
    ]
    assert [r.username for r in roster.rows] == ["ok"]


@pytest.mark.parametrize(("data", "message"), [
    (b"", "The file is empty"),
    (b"name,section\nAda,A\n", "missing: username, email"),
    (b"\x00\x01\x02\xff" * 100, "not text"),
    (b"username,email\n" + b"x" * (1024 * 1024 + 1), "larger than 1 MB"),
])
def test_files_that_are_not_rosters_get_one_clear_message(data, message):
    roster = roster_parse(data)
    assert roster.rows == [] and len(roster.problems) == 1
    assert message in roster.problems[0]


# --- the service ------------------------------------------------------------------------


@pytest.mark.django_db
def test_roster_creates_accounts_enrols_and_updates_sections(course):
    existing = UserFactory(username="ada", email="ADA@example.org")
    Enrollment.objects.create(course=course, user=UserFactory(username="cy",
                                                               email="cy@example.org"),
                              role=Role.STUDENT, section="old")
    text = CLEAN + "cy,cy@example.org,,new\n"
    plan = roster_apply(course=course, roster=roster_parse(text.encode()))
    assert [r.username for r in plan.new_accounts] == ["Alan"]
    assert [r.username for r in plan.enrolments] == ["ada"]
    assert [r.username for r in plan.section_changes] == ["cy"]
    alan = get_user_model().objects.get(username="Alan")
    assert (alan.first_name, alan.last_name, alan.email) == (
        "Alan Mathison", "Turing", "alan@example.org")
    assert not alan.has_usable_password()
    sections = dict(Enrollment.objects.filter(course=course, role=Role.STUDENT)
                    .values_list("user__username", "section"))
    assert sections == {"ada": "A", "Alan": "B", "cy": "new"}
    assert existing.first_name == get_user_model().objects.get(pk=existing.pk).first_name
    # Applying the same file again changes nothing and fails nothing.
    again = roster_apply(course=course, roster=roster_parse(text.encode()))
    assert again.changes == 0 and len(again.unchanged) == 3


@pytest.mark.django_db
def test_a_roster_with_any_problem_enrols_nobody(course, instructor):
    UserFactory(username="mallory", email="mallory@example.org")
    text = CLEAN + "mallory,someone-else@example.org,,\nprof,prof@example.com,,\n"
    with pytest.raises(Exception) as error:
        roster_apply(course=course, roster=roster_parse(text.encode()))
    messages = error.value.messages
    assert messages[0].startswith("Line 5: “mallory” is an existing account with a "
                                  "different email address")
    assert messages[1].startswith("Line 6: “prof” is instructor of this course")
    assert not get_user_model().objects.filter(username__in=["ada", "Alan"]).exists()
    assert Enrollment.objects.filter(course=course).count() == 1


# --- the pages --------------------------------------------------------------------------


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def _upload(client, course, text: str):
    return client.post(reverse("courses:people", args=[course.slug]),
                       {"file": SimpleUploadedFile("roster.csv", text.encode())})


@pytest.mark.django_db
def test_instructor_previews_then_confirms_a_roster(client, course, instructor, media):
    client.force_login(instructor)
    response = _upload(client, course, CLEAN)
    assert response["Location"] == reverse("courses:roster-preview", args=[course.slug])
    preview = client.get(response["Location"]).content.decode()
    assert "2 new accounts" in preview and "Ada Lovelace" in preview
    assert not get_user_model().objects.filter(username="ada").exists()
    done = client.post(response["Location"], {"action": "confirm"})
    assert done["Location"] == reverse("courses:people", args=[course.slug])
    assert Enrollment.objects.filter(course=course, user__username__in=["ada", "Alan"]) \
        .count() == 2
    page = client.get(done["Location"]).content.decode()
    assert "Enrolled 2 student(s), 2 of them new accounts" in page
    assert not PendingUpload.objects.exists()


@pytest.mark.django_db
def test_a_roster_with_problems_cannot_be_confirmed(client, course, instructor, media):
    client.force_login(instructor)
    _upload(client, course, CLEAN + "bad name,x@example.org,,\n")
    url = reverse("courses:roster-preview", args=[course.slug])
    page = client.get(url).content.decode()
    assert "Line 5:" in page and "nothing will be enrolled" in page
    assert "Enrol 2" not in page
    client.post(url, {"action": "confirm"})
    assert not get_user_model().objects.filter(username="ada").exists()


@pytest.mark.django_db
def test_roles_change_and_removal_keeps_grades(client, course, instructor, student, lesson):
    quiz = QuizFactory(lesson=lesson)
    QuestionFactory(quiz=quiz)
    attempt = services.attempt_start(quiz=quiz, user=student, now=timezone.now())
    services.attempt_submit(attempt=attempt, now=timezone.now())
    enrolment = Enrollment.objects.get(course=course, user=student)
    client.force_login(instructor)
    client.post(reverse("courses:enrollment-role", args=[course.slug, enrolment.pk]),
                {"role": "assistant"})
    enrolment.refresh_from_db()
    assert enrolment.role == Role.ASSISTANT
    client.post(reverse("courses:enrollment-remove", args=[course.slug, enrolment.pk]))
    assert not Enrollment.objects.filter(pk=enrolment.pk).exists()
    assert student.quiz_attempts.get().status == "graded"
    # A second click (another tab) is answered calmly.
    again = client.post(reverse("courses:enrollment-remove", args=[course.slug, enrolment.pk]))
    assert again.status_code == 302


@pytest.mark.django_db
def test_the_last_instructor_cannot_leave_or_step_down(client, course, instructor):
    mine = Enrollment.objects.get(course=course, user=instructor)
    client.force_login(instructor)
    client.post(reverse("courses:enrollment-role", args=[course.slug, mine.pk]),
                {"role": "student"})
    client.post(reverse("courses:enrollment-remove", args=[course.slug, mine.pk]))
    mine.refresh_from_db()
    assert mine.role == Role.INSTRUCTOR
    page = client.get(reverse("courses:people", args=[course.slug])).content.decode()
    assert "at least one instructor" in page


@pytest.mark.django_db
def test_an_unknown_role_changes_nothing(client, course, instructor, student):
    enrolment = Enrollment.objects.get(course=course, user=student)
    client.force_login(instructor)
    client.post(reverse("courses:enrollment-role", args=[course.slug, enrolment.pk]),
                {"role": "owner"})
    enrolment.refresh_from_db()
    assert enrolment.role == Role.STUDENT


@pytest.mark.django_db
@pytest.mark.parametrize("size", [10, 300])
def test_checking_a_roster_takes_the_same_queries_at_any_size(course,
                                                             django_assert_max_num_queries,
                                                             size):
    from courses.services_people import roster_plan

    text = "username,email\n" + "".join(f"u{n},u{n}@example.org\n" for n in range(size))
    UserFactory(username="u1", email="u1@example.org")
    with django_assert_max_num_queries(2):
        plan = roster_plan(course=course, roster=roster_parse(text.encode()))
    assert len(plan.new_accounts) == size - 1


@pytest.mark.django_db
def test_assistants_and_students_cannot_change_enrolment(client, course, assistant, student,
                                                         media):
    enrolment = Enrollment.objects.get(course=course, user=student)
    for person in (assistant, student):
        client.force_login(person)
        assert client.post(reverse("courses:enrollment-role", args=[course.slug, enrolment.pk]),
                           {"role": "instructor"}).status_code == 403
        assert client.post(reverse("courses:enrollment-remove",
                                   args=[course.slug, enrolment.pk])).status_code == 403
        assert _upload(client, course, CLEAN).status_code == 403
    enrolment.refresh_from_db()
    assert enrolment.role == Role.STUDENT
    assert not get_user_model().objects.filter(username="ada").exists()
