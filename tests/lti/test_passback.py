"""Grade passback (AGS) against the simulator: released grades go to the line item by the
quiz's grading method, with retries, idempotently, and again after a regrade or override."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import jwt
import pytest
from django.urls import reverse
from django.utils import timezone
from jwcrypto.jwk import JWK
from lti_tool.models import Key, LtiContext, LtiLineItem, LtiUser

from courses.models import Role
from lti.models import CourseLink, GradePassback, QuizLineItem
from lti.services_passback import passback_send, passback_send_due
from quizzes.models import Response, Rubric, RubricCriterion, RubricLevel
from quizzes.taking import services
from quizzes.teaching import services as services_grading
from tests.factories import EnrollmentFactory, QuestionFactory, QuizFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup(registration, platform, lesson, instructor):
    context = LtiContext.objects.create(
        deployment=registration.deployments.get(), id_on_platform=platform.context_id,
        title="History 101", lineitems_url=f"{platform.url}/lineitems",
        can_publish_scores=True, can_manage_lineitems=True)
    CourseLink.objects.create(context=context, course=lesson.course)
    quiz = QuizFactory(lesson=lesson, title="Fox facts", grading_method="average")
    question = QuestionFactory(quiz=quiz, points=2)
    QuestionFactory(quiz=quiz, points=2)
    line_item = LtiLineItem.objects.create(context=context, url=platform.lineitem_url(1),
                                           maximum_score=4, label="Fox facts")
    QuizLineItem.objects.create(line_item=line_item, quiz=quiz)
    students = []
    for n in (1, 2):
        user = UserFactory(username=f"lms-student-{n}")
        EnrollmentFactory(course=lesson.course, user=user, role=Role.STUDENT)
        LtiUser.objects.create(registration=registration, sub=f"sub-{n}", auth_user=user)
        students.append(user)
    local = UserFactory(username="local-student")  # not known to the platform
    EnrollmentFactory(course=lesson.course, user=local, role=Role.STUDENT)
    return {"quiz": quiz, "question": question, "students": students, "local": local,
            "line_item": line_item, "instructor": instructor}


def _sit(quiz, user, answer: str):
    """One real attempt: start, answer the first question, submit."""
    now = timezone.now()
    attempt = services.attempt_start(quiz=quiz, user=user, now=now)
    first = attempt.responses.order_by("question__position").first()
    services.response_save(attempt=attempt, question_id=first.question_id,
                           raw_answer=answer, version=1, now=now, user=user)
    return services.attempt_submit(attempt=attempt, now=now)


def _scores_by_user(platform) -> dict:
    return {r.json()["userId"]: r.json() for r in platform.scores()}


def test_nothing_is_sent_before_grades_are_released(setup, platform,
                                                   django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        _sit(setup["quiz"], setup["students"][0], "ZQX-fox")
    assert platform.scores() == []
    assert not GradePassback.objects.exists()


def test_released_grades_reach_the_line_item_by_the_grading_method(
        setup, platform, django_capture_on_commit_callbacks):
    quiz, (ada, bob) = setup["quiz"], setup["students"]
    _sit(quiz, ada, "ZQX-fox")       # 2 of 4
    _sit(quiz, ada, "wrong")         # 0 of 4: the average is 1
    _sit(quiz, bob, "ZQX-fox")       # 2 of 4
    _sit(quiz, setup["local"], "ZQX-fox")
    with django_capture_on_commit_callbacks(execute=True):
        services_grading.quiz_release_grades(quiz=quiz, now=timezone.now())
    scores = _scores_by_user(platform)
    assert set(scores) == {"sub-1", "sub-2"}  # the local student is not in the platform
    assert scores["sub-1"]["scoreGiven"] == 1.0 and scores["sub-1"]["scoreMaximum"] == 4.0
    assert scores["sub-2"]["scoreGiven"] == 2.0
    assert scores["sub-1"]["gradingProgress"] == "FullyGraded"
    assert scores["sub-1"]["activityProgress"] == "Completed"
    request = platform.scores()[0]
    assert request.path == "/lineitems/1/scores"
    assert request.headers["Content-Type"] == "application/vnd.ims.lis.v1.score+json"
    assert request.headers["Authorization"].startswith("Bearer token-")
    # The token request is signed with Lectio's key, for the token endpoint.
    assertion = platform.tokens()[0].form()
    assert assertion["grant_type"] == "client_credentials"
    assert "lti-ags/scope/score" in assertion["scope"]
    header = jwt.get_unverified_header(assertion["client_assertion"])
    key = next(k for k in Key.objects.active() if k.as_jwk()["kid"] == header["kid"])
    claims = jwt.decode(assertion["client_assertion"],
                        JWK.from_pem(key.public_key.encode()).export_to_pem(),
                        algorithms=["RS256"], audience=f"{platform.url}/token")
    assert claims["iss"] == claims["sub"] == platform.client_id
    rows = {p.user: p for p in GradePassback.objects.all()}
    assert rows[ada].status == "sent" and rows[ada].sent_score == Decimal("1")
    assert rows[bob].attempts == 1


def test_an_override_posts_that_students_grade_again(setup, platform,
                                                     django_capture_on_commit_callbacks):
    quiz, (ada, bob) = setup["quiz"], setup["students"]
    attempt = _sit(quiz, ada, "wrong")
    _sit(quiz, bob, "ZQX-fox")
    with django_capture_on_commit_callbacks(execute=True):
        services_grading.quiz_release_grades(quiz=quiz, now=timezone.now())
    assert len(platform.scores()) == 2
    response = attempt.responses.order_by("question__position").first()
    with django_capture_on_commit_callbacks(execute=True):
        services_grading.response_override(response=response, score=Decimal("1.5"),
                                           reason="Accepted a synonym", user=setup["instructor"],
                                           now=timezone.now())
    assert len(platform.scores()) == 3
    last = platform.scores()[-1].json()
    assert last["userId"] == "sub-1" and last["scoreGiven"] == 1.5
    first_timestamp = platform.scores()[0].json()["timestamp"]
    assert last["timestamp"] > first_timestamp  # the platform keeps the newer result


def test_a_regrade_posts_the_changed_grades_again(setup, platform,
                                                  django_capture_on_commit_callbacks):
    quiz, (ada, bob), question = setup["quiz"], setup["students"], setup["question"]
    _sit(quiz, ada, "vixen")
    _sit(quiz, bob, "ZQX-fox")
    with django_capture_on_commit_callbacks(execute=True):
        services_grading.quiz_release_grades(quiz=quiz, now=timezone.now())
    question.config = {"answers": [{"text": "ZQX-fox", "fraction": 1.0},
                                   {"text": "vixen", "fraction": 1.0}], "case_sensitive": False}
    question.save()
    with django_capture_on_commit_callbacks(execute=True):
        changed = services_grading.question_regrade(question=question, user=setup["instructor"],
                                                    now=timezone.now())
    assert changed == 1
    assert len(platform.scores()) == 3
    assert platform.scores()[-1].json() | {"timestamp": None} == {
        **platform.scores()[-1].json(), "timestamp": None, "userId": "sub-1", "scoreGiven": 2.0}


def test_a_new_attempt_after_release_is_sent(setup, platform,
                                             django_capture_on_commit_callbacks):
    quiz, (ada, _) = setup["quiz"], setup["students"]
    with django_capture_on_commit_callbacks(execute=True):
        services_grading.quiz_release_grades(quiz=quiz, now=timezone.now())
    assert platform.scores() == []  # nobody had a grade yet
    with django_capture_on_commit_callbacks(execute=True):
        _sit(quiz, ada, "ZQX-fox")
    assert [s.json()["scoreGiven"] for s in platform.scores()] == [2.0]


def test_failures_are_retried_with_backoff_then_succeed(setup, platform, settings,
                                                        django_capture_on_commit_callbacks):
    platform.score_failures = 2
    quiz, (ada, _) = setup["quiz"], setup["students"]
    _sit(quiz, ada, "ZQX-fox")
    start = timezone.now()
    with django_capture_on_commit_callbacks(execute=True):
        services_grading.quiz_release_grades(quiz=quiz, now=start)
    row = GradePassback.objects.get(user=ada)
    assert row.status == "pending" and row.attempts == 1
    assert "HTTP 500" in row.last_error
    first_wait = row.next_try_at - row.last_tried_at
    assert first_wait == timedelta(seconds=settings.LECTIO_LTI_PASSBACK_BACKOFF_SECONDS)
    # Not due yet: nothing is sent.
    assert passback_send_due(now=row.last_tried_at + timedelta(seconds=1)) == {}
    later = row.next_try_at + timedelta(seconds=1)
    assert passback_send_due(now=later) == {"pending": 1}
    row.refresh_from_db()
    assert row.attempts == 2 and row.next_try_at - later == 2 * first_wait  # doubling
    assert passback_send_due(now=row.next_try_at) == {"sent": 1}
    row.refresh_from_db()
    assert row.status == "sent" and row.last_error == "" and row.sent_score == Decimal("2")
    assert len(platform.scores()) == 3


def test_retries_are_bounded_and_an_instructor_can_send_again(
        setup, platform, settings, client, django_capture_on_commit_callbacks):
    settings.LECTIO_LTI_PASSBACK_MAX_TRIES = 2
    platform.score_failures = 2
    quiz, (ada, _) = setup["quiz"], setup["students"]
    _sit(quiz, ada, "ZQX-fox")
    with django_capture_on_commit_callbacks(execute=True):
        services_grading.quiz_release_grades(quiz=quiz, now=timezone.now())
    row = GradePassback.objects.get(user=ada)
    passback_send_due(now=row.next_try_at)
    row.refresh_from_db()
    assert row.status == "failed" and row.attempts == 2 and row.next_try_at is None
    assert passback_send_due(now=timezone.now() + timedelta(days=1)) == {}  # gave up
    client.force_login(setup["instructor"])
    page = client.get(f"/lti/quiz/{quiz.pk}/grades/").content.decode()
    assert "Failed" in page and "HTTP 500" in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/lti/quiz/{quiz.pk}/grades/send/")
    assert response.status_code == 302
    row.refresh_from_db()
    assert row.status == "sent"


def test_sending_twice_posts_once(setup, platform, django_capture_on_commit_callbacks):
    quiz, (ada, _) = setup["quiz"], setup["students"]
    _sit(quiz, ada, "ZQX-fox")
    with django_capture_on_commit_callbacks(execute=True):
        services_grading.quiz_release_grades(quiz=quiz, now=timezone.now())
    row = GradePassback.objects.get(user=ada)
    assert passback_send(passback_id=row.pk, now=timezone.now()) == "sent"
    with django_capture_on_commit_callbacks(execute=True):
        services_grading.quiz_release_grades(quiz=quiz, now=timezone.now())  # released again
    assert len(platform.scores()) == 1  # the same grade is not sent again


def test_a_context_without_the_score_scope_fails_with_a_reason(
        setup, platform, django_capture_on_commit_callbacks):
    setup["line_item"].context.__class__.objects.update(can_publish_scores=False)
    quiz, (ada, _) = setup["quiz"], setup["students"]
    _sit(quiz, ada, "ZQX-fox")
    with django_capture_on_commit_callbacks(execute=True):
        services_grading.quiz_release_grades(quiz=quiz, now=timezone.now())
    row = GradePassback.objects.get(user=ada)
    assert "has not allowed Lectio to send scores" in row.last_error
    assert platform.scores() == []


def test_the_status_page_is_for_teaching_staff(setup, client, assistant, student):
    quiz = setup["quiz"]
    client.force_login(student)
    assert client.get(f"/lti/quiz/{quiz.pk}/grades/").status_code == 403
    client.force_login(assistant)
    page = client.get(f"/lti/quiz/{quiz.pk}/grades/")
    assert page.status_code == 200 and b"Send grades again" not in page.content
    assert client.post(f"/lti/quiz/{quiz.pk}/grades/send/").status_code == 403


def test_the_status_page_reads_a_fixed_number_of_queries(
        setup, client, lesson, registration, django_assert_max_num_queries,
        django_capture_on_commit_callbacks):
    quiz = setup["quiz"]
    client.force_login(setup["instructor"])
    with django_assert_max_num_queries(14):
        assert client.get(f"/lti/quiz/{quiz.pk}/grades/").status_code == 200
    for n in range(3, 13):
        user = UserFactory(username=f"more-{n}")
        EnrollmentFactory(course=lesson.course, user=user, role=Role.STUDENT)
        LtiUser.objects.create(registration=registration, sub=f"sub-{n}", auth_user=user)
        _sit(quiz, user, "ZQX-fox")
    with django_capture_on_commit_callbacks(execute=True):
        services_grading.quiz_release_grades(quiz=quiz, now=timezone.now())
    with django_assert_max_num_queries(14):
        page = client.get(f"/lti/quiz/{quiz.pk}/grades/")
    assert page.content.decode().count(">Sent<") == 10


@pytest.mark.django_db(transaction=True)
def test_with_the_database_backend_the_worker_sends_and_the_request_does_not(
        setup, platform, settings):
    from django.core.management import call_command
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    quiz, (ada, _) = setup["quiz"], setup["students"]
    _sit(quiz, ada, "ZQX-fox")
    services_grading.quiz_release_grades(quiz=quiz, now=timezone.now())  # commits at once
    assert platform.scores() == []  # the release did not wait for the LMS
    assert DBTaskResult.objects.get().task_path == "lti.tasks.passback_send_task"
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)
    assert set(_scores_by_user(platform)) == {"sub-1"}
    assert GradePassback.objects.get(user=ada).status == "sent"


def test_release_and_a_hand_grade_from_the_pages_post_to_the_line_item(
        setup, platform, client, django_capture_on_commit_callbacks):
    """Through the instructor's own requests: the release button sends the grades there are
    (an attempt still waiting for a grader sends none), and grading its open answer
    afterwards sends that student's grade."""
    quiz, (ada, bob) = setup["quiz"], setup["students"]
    _sit(quiz, bob, "ZQX-fox")  # before the essay question existed: machine-graded at once
    essay = QuestionFactory(quiz=quiz, position=99, type="open", config={}, points=4)
    criterion = RubricCriterion.objects.create(rubric=Rubric.objects.create(question=essay),
                                               position=1, name="Argument")
    levels = [RubricLevel.objects.create(criterion=criterion, position=p, label=f"L{p}",
                                         points=p) for p in range(5)]
    now = timezone.now()
    attempt = services.attempt_start(quiz=quiz, user=ada, now=now)
    services.response_save(attempt=attempt, question_id=setup["question"].pk,
                           raw_answer="ZQX-fox", version=1, now=now, user=ada)
    services.response_save(attempt=attempt, question_id=essay.pk, raw_answer="An essay.",
                           version=1, now=now, user=ada)
    services.attempt_submit(attempt=attempt, now=now)
    client.force_login(setup["instructor"])
    with django_capture_on_commit_callbacks(execute=True):
        released = client.post(reverse("quizzes:quiz-release", args=[quiz.pk]))
    assert released.status_code == 302
    sent_at_release = [s.json() for s in platform.scores()]
    assert [(s["userId"], s["scoreGiven"], s["scoreMaximum"]) for s in sent_at_release] == [
        ("sub-2", 2.0, 4.0)]
    assert not GradePassback.objects.filter(user=ada).exists()
    essay_response = Response.objects.get(attempt=attempt, question=essay)
    with django_capture_on_commit_callbacks(execute=True):
        graded = client.post(reverse("quizzes:response-grade", args=[essay_response.pk]),
                             {f"criterion-{criterion.pk}": levels[3].pk, "comment": "Good."})
    assert graded.status_code == 302
    last = platform.scores()[-1].json()
    assert len(platform.scores()) == 2
    assert (last["userId"], last["scoreGiven"], last["gradingProgress"]) == (
        "sub-1", 5.0, "FullyGraded")
    row = GradePassback.objects.get(user=ada)
    assert row.status == "sent" and row.sent_score == Decimal("5")
