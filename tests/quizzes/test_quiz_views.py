"""Quiz pages over HTTP: access, autosave API, no answer key before review, results."""

import json

import pytest
from django.urls import reverse

from quizzes.models import Attempt, Response

pytestmark = pytest.mark.django_db


def _start(client, quiz):
    response = client.post(reverse("quizzes:quiz-detail", args=[quiz.pk]))
    assert response.status_code == 302
    return Attempt.objects.latest("pk")


def _save(client, attempt, question, answer, version):
    return client.post(
        reverse("quizzes:response-save", args=[attempt.pk]),
        json.dumps({"question": getattr(question, "pk", question), "answer": answer,
                    "version": version}),
        content_type="application/json",
    )


def test_answer_key_never_reaches_the_browser_while_in_progress(client, student, quiz):
    client.force_login(student)
    attempt = _start(client, quiz)
    short, single = quiz.questions.order_by("position")
    page = client.get(attempt.get_absolute_url()).content.decode()
    save = _save(client, attempt, short, "a guess", 1).content.decode()
    submit_page = client.get(reverse("quizzes:attempt-submit", args=[attempt.pk])).content
    for text in (page, save, submit_page.decode()):
        assert "ZQX-fox" not in text
        assert "ZQX-right-feedback" not in text
        assert "fraction" not in text


def test_autosave_stores_answer_and_reload_shows_it(client, student, quiz):
    client.force_login(student)
    attempt = _start(client, quiz)
    short, _ = quiz.questions.order_by("position")
    assert _save(client, attempt, short, "my saved words", 1).status_code == 200
    assert "my saved words" in client.get(attempt.get_absolute_url()).content.decode()


def test_stale_save_gets_409_and_keeps_the_newer_answer(client, student, quiz):
    client.force_login(student)
    attempt = _start(client, quiz)
    short, _ = quiz.questions.order_by("position")
    _save(client, attempt, short, "newer", 3)
    stale = _save(client, attempt, short, "older", 2)
    assert stale.status_code == 409
    assert stale.json()["version"] == 3
    assert Response.objects.get(attempt=attempt, question=short).answer == "newer"


def test_the_same_save_sent_again_is_acknowledged_and_a_different_one_is_not(
        client, student, quiz):
    """A retry whose reply was lost (a server died after storing it) is not a conflict."""
    client.force_login(student)
    attempt = _start(client, quiz)
    short, _ = quiz.questions.order_by("position")
    assert _save(client, attempt, short, "fox", 2).status_code == 200
    again = _save(client, attempt, short, "fox", 2)
    assert again.status_code == 200 and again.json()["version"] == 2
    other = _save(client, attempt, short, "hound", 2)
    assert other.status_code == 409
    assert Response.objects.get(attempt=attempt, question=short).answer == "fox"


def test_malformed_save_gets_400(client, student, quiz):
    client.force_login(student)
    attempt = _start(client, quiz)
    _, single = quiz.questions.order_by("position")
    assert _save(client, attempt, single, "no-such-choice", 1).status_code == 400
    bad = client.post(reverse("quizzes:response-save", args=[attempt.pk]), "{",
                      content_type="application/json")
    assert bad.status_code == 400


def test_save_after_submit_gets_410(client, student, quiz):
    client.force_login(student)
    attempt = _start(client, quiz)
    short, _ = quiz.questions.order_by("position")
    client.post(reverse("quizzes:attempt-submit", args=[attempt.pk]))
    assert _save(client, attempt, short, "late", 5).status_code == 410


def test_classmate_cannot_see_or_write_another_students_attempt(client, student, classmate,
                                                                quiz):
    client.force_login(student)
    attempt = _start(client, quiz)
    short, _ = quiz.questions.order_by("position")
    client.force_login(classmate)
    assert client.get(attempt.get_absolute_url()).status_code == 404
    assert _save(client, attempt, short, "sabotage", 9).status_code == 404
    assert client.get(reverse("quizzes:attempt-result", args=[attempt.pk])).status_code == 404


def test_outsider_gets_403_on_the_quiz(client, outsider, quiz):
    client.force_login(outsider)
    assert client.get(reverse("quizzes:quiz-detail", args=[quiz.pk])).status_code == 403


def test_submit_page_lists_unanswered_and_results_show_feedback_and_passage_link(
    client, student, quiz
):
    client.force_login(student)
    attempt = _start(client, quiz)
    short, single = quiz.questions.order_by("position")
    short.cites.set([quiz.lesson.reading.passages.get(order=2)])
    _save(client, attempt, short, "zqx-fox", 1)
    confirm = client.get(reverse("quizzes:attempt-submit", args=[attempt.pk])).content.decode()
    assert "1 of 2 questions unanswered" in confirm
    response = client.post(reverse("quizzes:attempt-submit", args=[attempt.pk]))
    result = client.get(response["Location"]).content.decode()
    assert "Score: 2 / 3" in result
    assert "Review passage 2" in result
    assert f"{quiz.lesson.get_absolute_url()}#p-2" in result


def test_review_policy_never_hides_answers_and_score(client, student, quiz):
    quiz.review_when = "never"
    quiz.save()
    client.force_login(student)
    attempt = _start(client, quiz)
    client.post(reverse("quizzes:attempt-submit", args=[attempt.pk]))
    result = client.get(reverse("quizzes:attempt-result", args=[attempt.pk])).content.decode()
    assert "ZQX-fox" not in result and "Score:" not in result


def test_no_js_form_saves_every_answer(client, student, quiz):
    client.force_login(student)
    attempt = _start(client, quiz)
    short, single = quiz.questions.order_by("position")
    right = single.choices.get(text="Right")
    client.post(attempt.get_absolute_url(), {f"q-{short.pk}": "typed", f"q-{single.pk}":
                                             str(right.pk), "next": "save"})
    answers = dict(Response.objects.filter(attempt=attempt)
                   .values_list("question_id", "answer"))
    assert answers == {short.pk: "typed", single.pk: str(right.pk)}


def test_lesson_page_links_to_its_quizzes(client, student, quiz):
    client.force_login(student)
    page = client.get(quiz.lesson.get_absolute_url()).content.decode()
    assert reverse("quizzes:quiz-detail", args=[quiz.pk]) in page


def test_dashboard_shows_progress_quiz_state_and_best_score(
    client, student, quiz, django_assert_max_num_queries
):
    from django.utils import timezone

    from quizzes.taking import services

    now = timezone.now()
    short, _ = quiz.questions.order_by("position")
    attempt = services.attempt_start(quiz=quiz, user=student, now=now)
    services.response_save(attempt=attempt, question_id=short.pk, raw_answer="zqx-fox",
                           version=1, now=now)
    services.attempt_submit(attempt=attempt, now=now)
    client.force_login(student)
    with django_assert_max_num_queries(10):
        page = client.get(reverse("quizzes:dashboard")).content.decode()
    assert quiz.title in page
    assert "Graded" in page
    assert "67%" in page  # 2 of 3 points


@pytest.mark.parametrize("kind", ["comprehension", "critical"])
def test_seed_quiz_pages_and_saves_never_carry_keys_feedback_or_explanations(client, kind):
    from django.core.management import call_command

    from quizzes.models import Quiz

    call_command("load_demo")
    quiz = Quiz.objects.get(kind=kind)
    client.post(reverse("login"), {"username": "student", "password": "lectio-student"})
    attempt = _start(client, quiz)
    page = client.get(attempt.get_absolute_url()).content.decode()
    first = quiz.questions.order_by("position").first()
    page += _save(client, attempt, first, None, 1).content.decode()
    page += client.get(reverse("quizzes:attempt-submit", args=[attempt.pk])).content.decode()
    secrets = []
    for question in quiz.questions.prefetch_related("choices"):
        secrets.append(question.explanation[:60])
        secrets += [c.feedback[:60] for c in question.choices.all() if c.feedback]
        config = question.config
        secrets += [str(config.get(k))[:60] for k in ("feedback_true", "feedback_false")
                    if config.get(k)]
        for answer in config.get("answers", []):
            text = str(answer.get("text", ""))
            if text and text.casefold() not in question.prompt.casefold():
                secrets.append(text)
    # The reading itself is public (evidence questions quote it), so a key that is also a
    # phrase of the reading proves nothing either way.
    reading = " ".join(quiz.lesson.reading.passages.values_list("text", flat=True))
    secrets = [s for s in secrets if s.strip() and s not in reading]
    assert len(secrets) >= 5
    leaked = [s for s in secrets if s in page]
    assert leaked == []
    assert '"fraction"' not in page and '"key"' not in page


def test_only_the_attempts_student_can_save_to_it(client, student, classmate, instructor,
                                                  outsider, quiz):
    """A well-formed save is checked in the same read that fetches the answer."""
    client.force_login(student)
    attempt = _start(client, quiz)
    short, _ = quiz.questions.order_by("position")
    for person, status in ((classmate, 404), (outsider, 403), (instructor, 403)):
        client.force_login(person)
        refused = _save(client, attempt, short, "not mine", 5)
        assert refused.status_code == status, person
        assert "ZQX" not in refused.content.decode()
    assert _save(client, attempt, 999_999, "x", 6).status_code == 403  # instructor, bad q
    client.force_login(classmate)
    assert _save(client, attempt, 999_999, "x", 6).status_code == 404
    assert client.post(reverse("quizzes:response-save", args=[999_999]),
                       json.dumps({"question": short.pk, "answer": "x", "version": 1}),
                       content_type="application/json").status_code == 404
    assert Response.objects.get(attempt=attempt, question=short).version == 0


def test_a_student_removed_from_the_course_can_no_longer_save(client, student, quiz):
    client.force_login(student)
    attempt = _start(client, quiz)
    short, _ = quiz.questions.order_by("position")
    student.enrollments.all().delete()
    assert _save(client, attempt, short, "after removal", 1).status_code == 403
    assert Response.objects.get(attempt=attempt, question=short).answer is None


def test_unknown_question_in_own_attempt_gets_400(client, student, quiz):
    client.force_login(student)
    attempt = _start(client, quiz)
    other = type(quiz.questions.first()).objects.exclude(quiz=quiz).first()
    missing = other if other is not None else 999_999
    response = _save(client, attempt, missing, "x", 1)
    assert response.status_code == 400
    assert "not part of the attempt" in response.json()["error"]


@pytest.mark.parametrize("extra_questions", [0, 40])
def test_an_autosave_runs_a_fixed_handful_of_queries(client, student, quiz,
                                                     django_assert_max_num_queries,
                                                     extra_questions):
    from tests.factories import QuestionFactory
    for n in range(extra_questions):
        QuestionFactory(quiz=quiz, position=10 + n)
    client.force_login(student)
    attempt = _start(client, quiz)
    _, single = quiz.questions.order_by("position")[:2]
    choice = single.choices.first()
    # session with its user, the read, the choices on SQLite, the conditional update
    with django_assert_max_num_queries(7):
        assert _save(client, attempt, single, str(choice.pk), 1).status_code == 200
