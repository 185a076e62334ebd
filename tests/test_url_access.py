"""Access control as data: every URL pattern must have a declared rule, and the rules hold.

Adding a view without adding its rule here fails the suite, so no page can ship without a
decision about who may see it.
"""

from __future__ import annotations

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from quizzes.taking import services
from tests.factories import AnnotationFactory, QuestionFactory, QuizFactory

pytestmark = pytest.mark.django_db

PUBLIC = "public"            # anyone, logged in or not
LOGGED_IN = "logged-in"      # any signed-in person; shows only their own things
MEMBER = "course-member"     # people enrolled in the course (and admins)
OWNER = "attempt-owner"      # the attempt's student, or the course's teaching staff
STAFF = "site-staff"         # Django admin site and admin-only tools
TEACH = "course-teaching"    # the course's instructors and assistants (and admins)
LIBRARY = "teaching-staff"   # anyone who teaches a course (and admins); shows their readings

RULES = {
    "healthz": PUBLIC,
    "login": PUBLIC,
    "logout": LOGGED_IN,
    "password_change": LOGGED_IN,
    "password_change_done": LOGGED_IN,
    "password_reset": PUBLIC,
    "password_reset_done": PUBLIC,
    "password_reset_confirm": PUBLIC,
    "password_reset_complete": PUBLIC,
    "courses:course-list": LOGGED_IN,
    "courses:reading-upload": STAFF,
    "courses:reading-upload-preview": STAFF,
    "courses:reading-upload-confirm": STAFF,
    "courses:reading-upload-cancel": STAFF,
    "courses:reading-library": LIBRARY,
    "courses:reading-detail": LIBRARY,
    "courses:reading-new-lesson": LIBRARY,
    "courses:reading-attach": STAFF,
    "courses:reading-detach": STAFF,
    "courses:course-detail": MEMBER,
    "courses:lesson-manage": TEACH,
    "courses:lesson-create": TEACH,
    "courses:lesson-edit": TEACH,
    "courses:lesson-move": TEACH,
    "courses:lesson-publish": TEACH,
    "courses:lesson-delete": TEACH,
    "courses:lesson-detail": MEMBER,
    "courses:lesson-progress": MEMBER,
    "courses:lesson-progress-report": TEACH,
    "courses:note-create": TEACH,
    "courses:note-edit": TEACH,
    "quizzes:dashboard": LOGGED_IN,
    "quizzes:quiz-detail": MEMBER,
    "quizzes:attempt": OWNER,
    "quizzes:response-save": OWNER,
    "quizzes:attempt-submit": OWNER,
    "quizzes:attempt-result": OWNER,
    "quizzes:grading-queue": TEACH,
    "quizzes:gradebook": TEACH,
    "quizzes:gradebook-csv": TEACH,
    "quizzes:responses-csv": TEACH,
    "quizzes:audit-log": TEACH,
    "quizzes:accommodations": TEACH,
    "quizzes:student-report": TEACH,
    "quizzes:response-grade": TEACH,
    "quizzes:response-override": TEACH,
    "quizzes:question-regrade": TEACH,
    "quizzes:quiz-release": TEACH,
    "quizzes:item-analysis": TEACH,
    "quizzes:lesson-heatmap": TEACH,
    "quizzes:question-import": TEACH,
    "quizzes:question-import-preview": TEACH,
    "quizzes:quiz-export-gift": TEACH,
    "quizzes:quiz-export-moodle-xml": TEACH,
    "quizzes:quiz-export-qti": TEACH,
    "quizzes:lesson-export": TEACH,
    "quizzes:lesson-import": TEACH,
    # Authoring (issue 12): assistants read the lists and forms, instructors change them.
    "quizzes:quiz-list": TEACH,
    "quizzes:quiz-create": TEACH,
    "quizzes:quiz-edit": TEACH,
    "quizzes:quiz-questions": TEACH,
    "quizzes:quiz-delete": TEACH,
    "quizzes:quiz-duplicate": TEACH,
    "quizzes:quiz-publish": TEACH,
    "quizzes:markdown-preview": TEACH,
    "quizzes:question-add": TEACH,
    "quizzes:question-copy": TEACH,
    "quizzes:question-edit": TEACH,
    "quizzes:question-move": TEACH,
    "quizzes:question-delete": TEACH,
    "courses:people": TEACH,
    "courses:roster-preview": TEACH,
    "courses:enrollment-role": TEACH,
    "courses:enrollment-remove": TEACH,
    # LTI: what platforms call is public and verified cryptographically (tests/lti/).
    "lti:login": PUBLIC,
    "lti:login-registration": PUBLIC,
    "lti:launch": PUBLIC,
    "lti:jwks": PUBLIC,
    "lti:canvas-config": PUBLIC,
    # Pages that continue a launch: signed in, and they need the launch in the session.
    "lti:continue": LOGGED_IN,
    "lti:course-connect": LOGGED_IN,
    "lti:link-choose": LOGGED_IN,
    "lti:deep-link": LOGGED_IN,
    "lti:setup": STAFF,
    "lti:setup-rotate-key": STAFF,
    "lti:course-lms": TEACH,
    "lti:roster-sync": TEACH,
    "lti:quiz-passback": TEACH,
    "lti:quiz-passback-send": TEACH,
    # A background job's page, status and "Try again": its starter only (others get 404,
    # tests/jobs/).
    "jobs:job-detail": LOGGED_IN,
    "jobs:job-status": LOGGED_IN,
    "jobs:job-retry": LOGGED_IN,
}
# Teaching pages that change quizzes, keys or enrolment, hand out every key, release grades
# or regrade after a key change: assistants are refused. (Assistants grade, comment and
# override a score with a reason; those stay TEACH.)
INSTRUCTOR_ONLY = ("quizzes:quiz-release", "quizzes:question-regrade",
                   "quizzes:audit-log", "quizzes:accommodations", "quizzes:question-import",
                   "quizzes:question-import-preview", "quizzes:quiz-export-gift",
                   "quizzes:quiz-export-moodle-xml", "quizzes:quiz-export-qti",
                   "quizzes:lesson-export", "quizzes:lesson-import", "courses:people",
                   "courses:roster-preview", "courses:enrollment-role",
                   "courses:enrollment-remove", "courses:lesson-create", "courses:lesson-edit",
                   "courses:lesson-move", "courses:lesson-publish", "courses:lesson-delete",
                   "lti:course-lms", "lti:roster-sync", "lti:quiz-passback-send",
                   "quizzes:quiz-create", "quizzes:quiz-delete", "quizzes:quiz-duplicate",
                   "quizzes:quiz-publish", "quizzes:markdown-preview", "quizzes:question-add",
                   "quizzes:question-copy", "quizzes:question-move",
                   "quizzes:question-delete")
# Teaching URLs that are actions (POST only), or that send you back to the upload form when
# nothing is staged: their behaviour is tested with their features.
NOT_A_PAGE = ("courses:note-create", "quizzes:response-override", "quizzes:question-regrade",
              "quizzes:quiz-release", "quizzes:question-import-preview",
              "courses:roster-preview", "courses:enrollment-role", "courses:enrollment-remove",
              "courses:lesson-move", "courses:lesson-publish", "lti:roster-sync",
              "lti:quiz-passback-send", "quizzes:quiz-duplicate", "quizzes:quiz-publish",
              "quizzes:markdown-preview", "quizzes:question-move")
# JSON endpoints that refuse a malformed body before reading the session.
BODY_FIRST = ("quizzes:response-save",)
UNNAMED_OK = {""}  # the root redirect to the course list


def _patterns(resolver: URLResolver, namespace: str = "", prefix: str = ""):
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            ns = entry.namespace or ""
            if ns == "admin":
                yield "admin:*", prefix + str(entry.pattern)
                continue
            yield from _patterns(entry, f"{namespace}{ns}:" if ns else namespace,
                                 prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            name = f"{namespace}{entry.name}" if entry.name else ""
            yield name, prefix + str(entry.pattern)


def test_every_url_pattern_has_a_declared_access_rule():
    missing = [
        (name, route) for name, route in _patterns(get_resolver())
        if name not in RULES and name != "admin:*" and route not in UNNAMED_OK
        and not name.startswith("bench-")
    ]
    assert missing == [], f"Declare an access rule in RULES for: {missing}"


def test_admin_site_is_for_staff_only(client, student):
    client.force_login(student)
    response = client.get("/admin/")
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


@pytest.fixture
def objects(lesson, student):
    quiz = QuizFactory(lesson=lesson)
    question = QuestionFactory(quiz=quiz)
    attempt = services.attempt_start(quiz=quiz, user=student, now=timezone.now())
    response = attempt.responses.get()
    note = AnnotationFactory(passage=lesson.reading.passages.get(order=1), quote="fox")
    course = lesson.course
    return {
        "quizzes:grading-queue": [course.slug],
        "quizzes:gradebook": [course.slug],
        "quizzes:gradebook-csv": [course.slug],
        "quizzes:responses-csv": [course.slug],
        "quizzes:audit-log": [course.slug],
        "quizzes:accommodations": [course.slug],
        "quizzes:student-report": [course.slug, student.pk],
        "quizzes:response-grade": [response.pk],
        "quizzes:response-override": [response.pk],
        "quizzes:question-regrade": [question.pk],
        "quizzes:quiz-release": [quiz.pk],
        "quizzes:item-analysis": [quiz.pk],
        "quizzes:lesson-heatmap": [course.slug, lesson.slug],
        "quizzes:question-import": [quiz.pk],
        "quizzes:question-import-preview": [quiz.pk],
        "quizzes:quiz-export-gift": [quiz.pk],
        "quizzes:quiz-export-moodle-xml": [quiz.pk],
        "quizzes:quiz-export-qti": [quiz.pk],
        "quizzes:lesson-export": [course.slug, lesson.slug],
        "quizzes:lesson-import": [course.slug],
        "quizzes:quiz-list": [course.slug, lesson.slug],
        "quizzes:quiz-create": [course.slug, lesson.slug],
        "quizzes:quiz-edit": [quiz.pk],
        "quizzes:quiz-questions": [quiz.pk],
        "quizzes:quiz-delete": [quiz.pk],
        "quizzes:quiz-duplicate": [quiz.pk],
        "quizzes:quiz-publish": [quiz.pk],
        "quizzes:markdown-preview": [quiz.pk],
        "quizzes:question-add": [quiz.pk],
        "quizzes:question-copy": [quiz.pk],
        "quizzes:question-edit": [question.pk],
        "quizzes:question-move": [question.pk],
        "quizzes:question-delete": [question.pk],
        "courses:people": [course.slug],
        "courses:roster-preview": [course.slug],
        "courses:enrollment-role": [course.slug, student.enrollments.get().pk],
        "courses:enrollment-remove": [course.slug, student.enrollments.get().pk],
        "courses:course-detail": [course.slug],
        "courses:lesson-manage": [course.slug],
        "courses:lesson-create": [course.slug],
        "courses:lesson-edit": [course.slug, lesson.slug],
        "courses:lesson-move": [course.slug, lesson.slug],
        "courses:lesson-publish": [course.slug, lesson.slug],
        "courses:lesson-delete": [course.slug, lesson.slug],
        "courses:reading-library": [],
        "courses:reading-detail": [lesson.reading_id],
        "courses:reading-new-lesson": [lesson.reading_id],
        "courses:reading-attach": [lesson.reading_id],
        "courses:reading-detach": [lesson.reading_id, course.slug],
        "courses:lesson-detail": [course.slug, lesson.slug],
        "courses:lesson-progress": [course.slug, lesson.slug],
        "courses:lesson-progress-report": [course.slug, lesson.slug],
        "courses:note-create": [course.slug, lesson.slug],
        "courses:note-edit": [course.slug, lesson.slug, note.pk],
        "quizzes:quiz-detail": [quiz.pk],
        "quizzes:attempt": [attempt.pk],
        "quizzes:response-save": [attempt.pk],
        "quizzes:attempt-submit": [attempt.pk],
        "quizzes:attempt-result": [attempt.pk],
        "lti:course-lms": [course.slug],
        "lti:roster-sync": [course.slug],
        "lti:quiz-passback": [quiz.pk],
        "lti:quiz-passback-send": [quiz.pk],
    }


@pytest.mark.parametrize("name", [n for n, rule in RULES.items()
                                  if rule in (MEMBER, OWNER, TEACH)])
def test_outsiders_and_anonymous_are_refused(client, objects, outsider, name):
    url = reverse(name, args=objects[name])
    for method in (client.get, client.post):
        anonymous = method(url)
        # The autosave checks its body's shape before asking who is sending it (an empty
        # body is a 400 for anyone, and says nothing about the attempt).
        allowed = (302, 403, 405, 400) if name in BODY_FIRST else (302, 403, 405)
        assert anonymous.status_code in allowed
        assert b"ZQX" not in anonymous.content
        if anonymous.status_code == 302:
            assert anonymous["Location"].startswith(reverse("login"))
    client.force_login(outsider)
    for method in (client.get, client.post):
        assert method(url).status_code in ((400, 403, 404, 405) if name in BODY_FIRST
                                           else (403, 404, 405))
    if name in BODY_FIRST:
        body = '{"question": 1, "answer": "x", "version": 1}'
        for who in (None, outsider):
            client.logout()
            if who:
                client.force_login(who)
            refused = client.post(url, body, content_type="application/json")
            assert refused.status_code in (302, 403, 404)


@pytest.mark.parametrize("name", [n for n, rule in RULES.items() if rule == OWNER])
def test_classmates_cannot_reach_another_students_attempt(client, objects, classmate, name):
    client.force_login(classmate)
    url = reverse(name, args=objects[name])
    for method in (client.get, client.post):
        response = method(url)
        assert response.status_code in ((400, 403, 404, 405) if name in BODY_FIRST
                                        else (403, 404, 405))
        assert b"ZQX-fox" not in response.content
    if name in BODY_FIRST:
        question = objects["quizzes:question-regrade"][0]
        refused = client.post(url, f'{{"question": {question}, "answer": "x", "version": 9}}',
                              content_type="application/json")
        assert refused.status_code == 404 and b"ZQX" not in refused.content


@pytest.mark.parametrize("name", [n for n, rule in RULES.items() if rule == OWNER])
def test_instructor_of_another_course_cannot_reach_an_attempt(client, objects, other_course,
                                                              name):
    from courses.models import Role
    from tests.factories import EnrollmentFactory, UserFactory

    stranger = UserFactory(username="other-prof")
    EnrollmentFactory(course=other_course, user=stranger, role=Role.INSTRUCTOR)
    client.force_login(stranger)
    url = reverse(name, args=objects[name])
    assert client.get(url).status_code in (403, 404, 405)


@pytest.mark.parametrize("name", [n for n, rule in RULES.items() if rule == TEACH])
def test_students_of_the_course_cannot_reach_teaching_pages(client, objects, student, name):
    client.force_login(student)
    url = reverse(name, args=objects[name])
    for method in (client.get, client.post):
        assert method(url).status_code in (403, 404, 405)


@pytest.mark.parametrize("name", [n for n, rule in RULES.items() if rule == TEACH
                                  and n not in NOT_A_PAGE])
def test_instructors_and_assistants_reach_teaching_pages(client, objects, instructor,
                                                         assistant, name):
    for user in (instructor, assistant):
        client.force_login(user)
        expected = 403 if (name in INSTRUCTOR_ONLY and user == assistant) else 200
        assert client.get(reverse(name, args=objects[name])).status_code == expected


@pytest.mark.parametrize("name", INSTRUCTOR_ONLY)
def test_assistants_are_refused_every_instructor_only_url(client, objects, assistant, name):
    from quizzes.models import Attempt, Quiz, Response, ScoreChange

    def state():
        return (list(Quiz.objects.values_list("grades_released_at", flat=True)),
                list(Response.objects.values_list("score", "graded_at")),
                ScoreChange.objects.count(), Attempt.objects.count())

    before = state()
    client.force_login(assistant)
    url = reverse(name, args=objects[name])
    responses = [client.get(url).status_code, client.post(url).status_code]
    assert all(code in (403, 405) for code in responses) and 403 in responses
    assert state() == before


@pytest.mark.parametrize("name", [n for n, rule in RULES.items() if rule == TEACH])
def test_instructors_of_another_course_cannot_reach_teaching_pages(client, objects,
                                                                   other_course, name):
    from tests.factories import EnrollmentFactory, UserFactory

    stranger = UserFactory(username="other-prof")
    EnrollmentFactory(course=other_course, user=stranger, role="instructor")
    client.force_login(stranger)
    url = reverse(name, args=objects[name])
    for method in (client.get, client.post):
        response = method(url)
        assert response.status_code in (403, 404, 405)
        assert b"ZQX-fox" not in response.content


@pytest.mark.parametrize("name", [n for n, rule in RULES.items() if rule == TEACH
                                  and n not in NOT_A_PAGE])
def test_site_admins_reach_every_teaching_page(client, objects, admin_user, name):
    client.force_login(admin_user)
    assert client.get(reverse(name, args=objects[name])).status_code == 200


@pytest.mark.parametrize("name", [n for n, rule in RULES.items() if rule == STAFF])
def test_site_staff_pages_refuse_everyone_else(client, objects, student, instructor, name):
    url = reverse(name, args=objects.get(name, []))
    anonymous = client.post(url)
    assert anonymous.status_code == 302 and anonymous["Location"].startswith(reverse("login"))
    for user in (student, instructor):
        client.force_login(user)
        assert client.get(url).status_code in (403, 405)
        assert client.post(url).status_code == 403


# The library is not a course page: whoever teaches some course (as instructor or assistant)
# reaches it and sees the readings of their own courses; students and outsiders never do.
LIBRARY_PAGES = ("courses:reading-library", "courses:reading-detail")


@pytest.mark.parametrize("name", [n for n, rule in RULES.items() if rule == LIBRARY])
def test_library_refuses_anonymous_students_and_outsiders(client, objects, student, outsider,
                                                          name):
    url = reverse(name, args=objects[name])
    for method in (client.get, client.post):
        anonymous = method(url)
        assert anonymous.status_code in (302, 405)
        if anonymous.status_code == 302:
            assert anonymous["Location"].startswith(reverse("login"))
    for user in (student, outsider):
        client.force_login(user)
        for method in (client.get, client.post):
            assert method(url).status_code in (403, 405)


@pytest.mark.parametrize("name", LIBRARY_PAGES)
def test_teaching_staff_and_admins_reach_the_library(client, objects, instructor, assistant,
                                                     admin_user, name):
    for user in (instructor, assistant, admin_user):
        client.force_login(user)
        assert client.get(reverse(name, args=objects[name])).status_code == 200


def test_instructor_of_another_course_cannot_see_this_courses_reading(client, objects,
                                                                      other_course):
    from tests.factories import EnrollmentFactory, UserFactory

    stranger = UserFactory(username="other-prof")
    EnrollmentFactory(course=other_course, user=stranger, role="instructor")
    client.force_login(stranger)
    for name in ("courses:reading-detail", "courses:reading-new-lesson"):
        assert client.get(reverse(name, args=objects[name])).status_code == 404
    assert b"The Fox" not in client.get(reverse("courses:reading-library")).content


# Two courses, one reading: the objects' lesson and a lesson of another course on the same
# reading, each with its own staff. Notes belong to a lesson, so nothing reached through the
# other course's URLs may show, change or delete this course's notes.
SHARED_SECRETS = ("ZQX-politics-note-for-everyone", "ZQX-politics-note-for-staff")


@pytest.fixture
def shared_reading(objects, lesson, other_course):
    from courses.models import Annotation, Role
    from tests.factories import EnrollmentFactory, LessonFactory, UserFactory

    Annotation.objects.filter(lesson=lesson).update(body=SHARED_SECRETS[0])
    AnnotationFactory(lesson=lesson, passage=lesson.reading.passages.get(order=2),
                      quote="fox", body=SHARED_SECRETS[1], audience="instructors")
    other_lesson = LessonFactory(course=other_course, reading=lesson.reading, slug="shared")
    people = []
    for username, role in (("other-prof", Role.INSTRUCTOR), ("other-ta", Role.ASSISTANT),
                           ("other-stu", Role.STUDENT)):
        person = UserFactory(username=username)
        EnrollmentFactory(course=other_course, user=person, role=role)
        people.append(person)
    return other_lesson, people


def _shared_args(args, lesson, other_lesson):
    swap = {lesson.course.slug: other_lesson.course.slug, lesson.slug: other_lesson.slug}
    return [swap.get(arg, arg) for arg in args]


def _lesson_scoped():
    """Every URL under a course's lesson (`.../lessons/<slug>/...`)."""
    return sorted(name for name, route in _patterns(get_resolver())
                  if "<slug:course_slug>/lessons/<slug:slug>/" in route)


@pytest.mark.parametrize("name", _lesson_scoped())
def test_the_other_course_on_a_shared_reading_never_reaches_this_courses_notes(
        client, objects, lesson, shared_reading, name):
    from courses.models import Annotation

    assert objects[name][:2] == [lesson.course.slug, lesson.slug]
    other_lesson, people = shared_reading
    before = sorted(Annotation.objects.filter(lesson=lesson).values_list("pk", "body"))
    url = reverse(name, args=_shared_args(objects[name], lesson, other_lesson))
    for person in people:
        client.force_login(person)
        for method, data in ((client.get, {}), (client.post, {"action": "delete"})):
            response = method(url, data)
            assert response.status_code < 500
            assert not any(s.encode() in response.content for s in SHARED_SECRETS), (
                name, person.username, method)
            if name == "courses:note-edit":
                # This course's note, addressed through the other course's lesson.
                assert response.status_code in (403, 404)
    assert sorted(Annotation.objects.filter(lesson=lesson).values_list("pk", "body")) == before
