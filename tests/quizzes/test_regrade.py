"""Regrading one question after a key change: each distinct answer is graded once, yet every
changed response gets its own score, feedback and audit row; overrides, in-progress attempts
and unchanged rows are left alone; attempts' totals and statuses follow; a second run changes
nothing; and a batch costs the same statements for 10 or 200 attempts."""

from __future__ import annotations

import math
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from courses.models import Enrollment
from quizzes import grading
from quizzes.models import Attempt, AttemptStatus, Response, ScoreChange
from quizzes.taking import services as taking
from quizzes.teaching import services as teaching
from tests.factories import ChoiceFactory, QuestionFactory, QuizFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def quiz(lesson):
    """A single-choice question worth 3 (A right, B and C wrong, each with feedback) and
    an open question graded by hand."""
    quiz = QuizFactory(lesson=lesson)
    question = QuestionFactory(quiz=quiz, position=1, type="single", config={}, points=3)
    for position, (text, fraction) in enumerate([("A", 1), ("B", 0), ("C", 0)], start=1):
        ChoiceFactory(question=question, text=text, fraction=fraction, position=position,
                      feedback=f"About {text}.")
    QuestionFactory(quiz=quiz, position=2, type="open", config={}, points=4, prompt="Why?")
    return quiz


def _question(quiz):
    return quiz.questions.get(position=1)


def _choice(quiz, text):
    return _question(quiz).choices.get(text=text)


def _sit(quiz, course, name: str, text: str, *, submit: bool = True) -> Attempt:
    student = UserFactory(username=name)
    Enrollment.objects.create(course=course, user=student)
    now = timezone.now()
    attempt = taking.attempt_start(quiz=quiz, user=student, now=now)
    taking.response_save(attempt=attempt, question_id=_question(quiz).pk,
                         raw_answer=str(_choice(quiz, text).pk), version=1, now=now)
    if submit:
        attempt = taking.attempt_submit(attempt=attempt, now=now)
    return attempt


def _new_key(quiz, fractions: dict[str, Decimal | int]) -> None:
    for text, fraction in fractions.items():
        choice = _choice(quiz, text)
        choice.fraction = fraction
        choice.save()


def _response(attempt, quiz) -> Response:
    return Response.objects.get(attempt=attempt, question=_question(quiz))


def _snapshot():
    return (sorted(Response.objects.values_list("pk", "score", "state", "feedback",
                                                "overridden")),
            sorted(Attempt.objects.values_list("pk", "score", "status")),
            ScoreChange.objects.count())


def test_identical_answers_are_graded_once_each_response_keeps_its_own_audit_row(
        quiz, course, instructor, monkeypatch):
    picks = ["B"] * 5 + ["A"] * 2 + ["C"]
    attempts = [_sit(quiz, course, f"s{n}", text) for n, text in enumerate(picks)]
    _new_key(quiz, {"A": 0, "B": 1, "C": Decimal("0.5")})
    single = grading.get_type("single")
    graded = []
    real_grade = single.grade

    def counting_grade(spec, answer):
        graded.append(answer)
        return real_grade(spec, answer)

    monkeypatch.setattr(single, "grade", counting_grade)
    now = timezone.now()
    assert teaching.question_regrade(question=_question(quiz), user=instructor,
                                     now=now) == len(picks)
    assert sorted(graded) == sorted({str(_choice(quiz, t).pk) for t in "ABC"})
    expected = {"A": (Decimal("3"), Decimal("0"), "incorrect"),
                "B": (Decimal("0"), Decimal("3"), "correct"),
                "C": (Decimal("0"), Decimal("1.5"), "partial")}
    for attempt, text in zip(attempts, picks, strict=True):
        old, new, state = expected[text]
        response = _response(attempt, quiz)
        assert (response.score, response.state, response.feedback) == (
            new, state, [f"About {text}."])
        change = ScoreChange.objects.get(response=response)
        assert (change.kind, change.old_score, change.new_score, change.changed_by,
                change.changed_at, change.reason) == (
            "regrade", old, new, instructor, now, "The question's key changed.")
        attempt.refresh_from_db()
        # The open question has no grade yet: the attempt still waits for a human.
        assert (attempt.score, attempt.status) == (new, AttemptStatus.NEEDS_GRADING)
    assert ScoreChange.objects.count() == len(picks)


@pytest.mark.parametrize("groups", [teaching.REGRADE_GROUPS, 0],
                         ids=["update-per-grade", "bulk-update"])
def test_regrade_keeps_overrides_in_progress_and_unchanged_rows_and_runs_once(
        quiz, course, instructor, monkeypatch, groups):
    monkeypatch.setattr(teaching, "REGRADE_GROUPS", groups)
    right_before = _sit(quiz, course, "right_before", "A")
    overridden = _sit(quiz, course, "overridden", "B")
    still_wrong = _sit(quiz, course, "still_wrong", "C")
    wrong_before = _sit(quiz, course, "wrong_before", "B")
    in_progress = _sit(quiz, course, "in_progress", "B", submit=False)
    now = timezone.now()
    teaching.response_override(response=_response(overridden, quiz), score=Decimal("1"),
                               reason="Ambiguous wording", user=instructor, now=now)
    # wrong_before's open answer is graded by hand, so that attempt is complete.
    essay = Response.objects.get(attempt=wrong_before, question__position=2)
    teaching.response_override(response=essay, score=Decimal("4"), reason="Full marks",
                               user=instructor, now=now)
    in_progress_before = (_response(in_progress, quiz).score,
                          Attempt.objects.get(pk=in_progress.pk).score)
    logged = ScoreChange.objects.count()
    _new_key(quiz, {"A": 0, "B": 1})

    assert teaching.question_regrade(question=_question(quiz), user=instructor,
                                     now=now) == 2
    regraded = ScoreChange.objects.filter(kind="regrade")
    assert sorted(regraded.values_list("response__attempt__user__username", "old_score",
                                       "new_score")) == [
        ("right_before", Decimal("3"), Decimal("0")),
        ("wrong_before", Decimal("0"), Decimal("3"))]
    assert ScoreChange.objects.count() == logged + 2
    assert (_response(right_before, quiz).state, _response(right_before, quiz).feedback) == (
        "incorrect", ["About A."])
    assert _response(overridden, quiz).score == Decimal("1")
    assert (_response(still_wrong, quiz).score, _response(still_wrong, quiz).state) == (
        Decimal("0"), "incorrect")
    assert (_response(in_progress, quiz).score,
            Attempt.objects.get(pk=in_progress.pk).score) == in_progress_before
    statuses = dict(Attempt.objects.values_list("user__username", "status"))
    scores = dict(Attempt.objects.values_list("user__username", "score"))
    assert statuses == {"right_before": "needs_grading", "overridden": "needs_grading",
                        "still_wrong": "needs_grading", "wrong_before": "graded",
                        "in_progress": "in_progress"}
    assert (scores["right_before"], scores["wrong_before"], scores["overridden"]) == (
        Decimal("0"), Decimal("7"), Decimal("1"))

    before = _snapshot()
    assert teaching.question_regrade(question=_question(quiz), user=instructor,
                                     now=timezone.now()) == 0
    assert _snapshot() == before


def test_attempt_total_is_the_exact_sum_of_partial_scores(lesson, course, instructor):
    """Thirds of a point add up in the database as they did in Python (no float drift on
    SQLite): 1.3333 + 1.3333 is 2.6666 and the attempt is graded."""
    quiz = QuizFactory(lesson=lesson)
    for position in (1, 2):
        question = QuestionFactory(quiz=quiz, position=position, type="single", config={},
                                   points=4)
        ChoiceFactory(question=question, text="A", fraction=1, position=1)
        ChoiceFactory(question=question, text="B", fraction=0, position=2)
    student = UserFactory(username="thirds")
    Enrollment.objects.create(course=course, user=student)
    now = timezone.now()
    attempt = taking.attempt_start(quiz=quiz, user=student, now=now)
    for question in quiz.questions.all():
        taking.response_save(attempt=attempt, question_id=question.pk,
                             raw_answer=str(question.choices.get(text="B").pk),
                             version=1, now=now)
    taking.attempt_submit(attempt=attempt, now=now)
    for question in quiz.questions.all():
        question.choices.filter(text="B").update(fraction=Decimal("0.33333"))
        assert teaching.question_regrade(question=question, user=instructor, now=now) == 1
    attempt.refresh_from_db()
    assert (attempt.score, attempt.status) == (Decimal("2.6666"), AttemptStatus.GRADED)


# The question and its choices, the list of responses, then within the one batch: its
# savepoint and release, the rows' read, one UPDATE per distinct new grade (two here), the
# audit INSERT, the attempts' lock and their one UPDATE. The INSERT is one statement on
# PostgreSQL; SQLite's 999-parameter limit makes Django split it into chunks of 142 rows
# (at most 4 for a batch of 500), which is why the bound asks the backend.
@pytest.mark.parametrize("students", [10, 200])
def test_a_regrade_costs_the_same_statements_for_10_or_200_attempts(
        quiz, course, instructor, students, django_assert_max_num_queries):
    for n in range(students):
        _sit(quiz, course, f"s{n}", "AB"[n % 2])
    _new_key(quiz, {"A": 0, "B": 1})
    question, now = _question(quiz), timezone.now()
    assert students <= teaching.REGRADE_BATCH
    audit_fields = [f for f in ScoreChange._meta.concrete_fields if not f.primary_key]
    inserts = math.ceil(students / connection.ops.bulk_batch_size(audit_fields,
                                                                   [None] * students))
    with django_assert_max_num_queries(10 + inserts):
        changed = teaching.question_regrade(question=question, user=instructor, now=now)
    assert changed == students
    assert ScoreChange.objects.filter(kind="regrade").count() == students


def test_the_responses_to_regrade_are_listed_without_joining_every_attempt(
        quiz, course, instructor):
    """The list reads the question's responses and only the in-progress attempts (by their
    status index): a join on `status <> 'in_progress'` made PostgreSQL read every attempt
    of every course (bench/bench_scale.py), yet an in-progress answer is still left alone."""
    done = _sit(quiz, course, "done", "A")
    pending = _sit(quiz, course, "pending", "A", submit=False)
    pending_before = _response(pending, quiz).score
    _new_key(quiz, {"A": 0, "B": 1})
    with CaptureQueriesContext(connection) as ctx:
        assert teaching.question_regrade(question=_question(quiz), user=instructor,
                                         now=timezone.now()) == 1
    listing = [q["sql"] for q in ctx.captured_queries
               if q["sql"].startswith('SELECT "quizzes_response"."id"')
               and '"quizzes_response"."question_id" =' in q["sql"]]
    assert len(listing) == 1 and "JOIN" not in listing[0]
    assert '"quizzes_attempt"."status"' not in listing[0]
    assert (_response(done, quiz).score, _response(pending, quiz).score) == (
        Decimal("0"), pending_before)
