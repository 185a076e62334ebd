"""Reads for quiz pages. What reaches the browser is decided here, by the review policy."""

from __future__ import annotations

import json
import random
import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.core.exceptions import ObjectDoesNotExist
from django.db import connection
from django.db.models import Count, Prefetch, Q
from django.utils import timezone

from courses import access
from courses.hooks import PageColumn
from courses.models import Lesson, ReadingProgress
from courses.selectors import course_list_for_user, course_roles_for_user

from .. import grading
from ..grading.match import word_count
from ..models import Attempt, AttemptStatus, Question, Quiz, QuizExtension, ReviewWhen
from .services import accommodation_for, question_spec, quiz_grade


@dataclass(frozen=True)
class ReviewPolicy:
    score: bool = False
    correctness: bool = False
    answers: bool = False
    explanations: bool = False

    @property
    def anything(self) -> bool:
        return self.score or self.correctness or self.answers or self.explanations


def quiz_closed_for_everyone(quiz: Quiz, now: datetime) -> bool:
    """True once no one may still answer the quiz: past its closing time, past every
    personal extension, and no attempt still being written (deadline plus grace). A quiz
    with no closing time never closes. Two indexed reads at most."""
    if quiz.closes_at is None or now < quiz.closes_at:
        return False
    if QuizExtension.objects.filter(quiz=quiz, closes_at__gt=now).exists():
        return False
    still_writing = Attempt.objects.filter(
        Q(deadline__isnull=True) | Q(deadline__gt=now - timedelta(seconds=quiz.grace_seconds)),
        quiz=quiz, status=AttemptStatus.IN_PROGRESS, is_preview=False)
    return not still_writing.exists()


def _no_attempts_left(quiz: Quiz, user) -> bool:
    if quiz.attempts_allowed is None:
        return False
    allowed = quiz.attempts_allowed + accommodation_for(quiz, user).extra_attempts
    attempts = Attempt.objects.filter(quiz=quiz, user=user, is_preview=False)
    return (attempts.count() >= allowed
            and not attempts.filter(status=AttemptStatus.IN_PROGRESS).exists())


def review_policy(quiz: Quiz, attempt: Attempt, now: datetime, role: str) -> ReviewPolicy:
    """What the viewer may see of a closed attempt's grading: the one place that decides it.

    Teaching staff see everything; a student sees what the quiz's review policy releases,
    and nothing while the attempt is open. "After the quiz closes" means closed for everyone
    (quiz_closed_for_everyone), so a classmate's extension keeps the key back from all; "after
    the last attempt" shows the score after each attempt and the rest once the student has
    no attempt left (or the quiz has closed for everyone). Whoever is
    shown the right answers may not start another attempt (services.attempt_start refuses;
    the caller records it with services.attempt_key_shown)."""
    if role in access.TEACHING:
        return ReviewPolicy(True, True, True, True)
    if attempt.status == AttemptStatus.IN_PROGRESS or quiz.review_when == ReviewWhen.NEVER:
        return ReviewPolicy()
    if quiz.review_when == ReviewWhen.AFTER_CLOSE and not quiz_closed_for_everyone(quiz, now):
        return ReviewPolicy()
    if quiz.review_when == ReviewWhen.AFTER_LAST_ATTEMPT and not (
            _no_attempts_left(quiz, attempt.user) or quiz_closed_for_everyone(quiz, now)):
        # The score after each attempt tells the student whether to try again; which
        # answers were right, the key and the explanations would answer the next attempt.
        return ReviewPolicy(score=quiz.review_score)
    return ReviewPolicy(quiz.review_score, quiz.review_correctness, quiz.review_answers,
                        quiz.review_explanations)


def _questions(attempt: Attempt) -> list[Question]:
    questions = {
        q.pk: q for q in Question.objects.filter(quiz=attempt.quiz_id)
        .prefetch_related("choices", Prefetch("cites"), "rubric__criteria__levels")
    }
    return [questions[pk] for pk in attempt.question_order if pk in questions]


def numbered_questions(questions: list[Question]) -> list[tuple[int, Question]]:
    """Each question with its number as students see it; a description (text only, nothing
    to answer) gets 0 and does not take a number from the questions after it."""
    numbered, number = [], 0
    for question in questions:
        scored = grading.get_type(question.type).scored
        number += scored
        numbered.append((number if scored else 0, question))
    return numbered


# "passage 2", "Passages 3 and 5", "passages 4, 6 or 9", "passages 2–4" (each number named).
_PASSAGE_MENTION = re.compile(
    r"\bpassages?\s+(\d+(?:\s*(?:,|and|or|&|–|-)\s*\d+)*)", re.IGNORECASE)


@dataclass
class QuestionView:
    number: int
    question: Question
    public: dict[str, Any]
    answer: Any
    version: int
    response: Any
    error: str = ""        # why the server refused what the student sent, if it did

    @property
    def pk_str(self) -> str:
        return str(self.question.pk)

    @property
    def display_items(self) -> list[str]:
        """Ordering: the item texts in the student's saved order, else as presented.

        Saved answers are indices into the author's (correct) order, so they are turned
        back into texts here and never reach the page as numbers."""
        items = self.question.config.get("items", [])
        if isinstance(self.answer, list) and sorted(self.answer) == list(range(len(items))):
            return [items[i] for i in self.answer]
        shown = [item["text"] for item in self.public.get("items", [])]
        if isinstance(self.answer, list) and sorted(map(str, self.answer)) == sorted(shown):
            return list(self.answer)  # a refused form post, re-shown as the student left it
        return shown

    @property
    def matching_rows(self) -> list[tuple[dict, str]]:
        chosen = self.answer if isinstance(self.answer, dict) else {}
        return [(p, chosen.get(str(p["index"]), "")) for p in self.public.get("prompts", [])]

    @property
    def template(self) -> str:
        return f"quizzes/includes/q_{self.question.type}.html"

    @property
    def answered(self) -> bool:
        return self.answer not in (None, "", [], {})

    @property
    def rubric(self):
        """The open question's rubric (criteria and levels), shown while the student writes."""
        try:
            return self.question.rubric
        except ObjectDoesNotExist:
            return None

    @property
    def mentioned_passages(self) -> list[int]:
        """Passage numbers the question's own public text names ("passage 2", "passages 3
        and 5"), for the inline "show passage N" toggles. Only what the student already
        reads: never the passages the question cites, which for evidence questions are
        the key."""
        texts = [self.question.prompt, self.public.get("claim") or "",
                 (self.public.get("part_b") or {}).get("prompt", "")]
        numbers: list[int] = []
        for match in _PASSAGE_MENTION.finditer(" ".join(texts)):
            for number in re.findall(r"\d+", match.group(1)):
                if int(number) not in numbers:
                    numbers.append(int(number))
        return numbers

    @property
    def word_count(self) -> int:
        """Words in an open answer, counted as the server's word limit counts them."""
        return word_count(self.answer) if isinstance(self.answer, str) else 0

    @property
    def under_minimum(self) -> bool:
        """An open answer begun but shorter than the advised minimum (still submittable)."""
        low = self.public.get("min_words")
        return bool(low) and self.answered and self.word_count < low

    @property
    def over_maximum(self) -> bool:
        high = self.public.get("max_words")
        return high is not None and self.word_count > high


def attempt_for_taking(attempt: Attempt) -> list[QuestionView]:
    """The questions of an open attempt in its fixed order, with public data only (no keys,
    no weights) and the saved answers, in four queries."""
    responses = {r.question_id: r for r in attempt.responses.all()}
    views = []
    for number, question in numbered_questions(_questions(attempt)):
        spec = question_spec(question)
        rng = random.Random(f"{attempt.seed}:{question.pk}") if attempt.quiz.shuffle_choices \
            else None
        public = grading.get_type(spec.type).public_data(spec, rng)
        response = responses.get(question.pk)
        views.append(QuestionView(number, question, public,
                                  response.answer if response else None,
                                  response.version if response else 0, response))
    return views


def _quiz_states_sql(vendor: str) -> str:
    # One JSON array of [id, kind, title, position, open attempts, closed attempts] per
    # published quiz of the lesson row `l`; PostgreSQL and SQLite name the JSON functions
    # differently. Order is restored in Python, so neither database needs to keep it inside
    # the aggregate. SQL rather than a queryset: it is on every lesson page, the most
    # visited page, and as a Subquery of a JSONArray aggregate it was about a fifth of the
    # ORM page read's 7.4 ms of Python (issue 18; figures next to courses.selectors._PAGE_SQL).
    aggregate, array = (("json_agg", "json_build_array") if vendor == "postgresql"
                        else ("json_group_array", "json_array"))
    attempts = ("SELECT COUNT(*) FROM quizzes_attempt a WHERE a.quiz_id = q.id "
                "AND a.user_id = %s AND a.is_preview = %s AND a.status {} %s")
    return (f"SELECT {aggregate}({array}(q.id, q.kind, q.title, q.position, "  # noqa: S608
            f"({attempts.format('=')}), ({attempts.format('<>')}))) "
            "FROM quizzes_quiz q WHERE q.lesson_id = l.id AND q.is_published = %s")


def _quiz_states_params(user) -> list:
    in_progress = AttemptStatus.IN_PROGRESS.value
    return [user.pk, False, in_progress, user.pk, False, in_progress, True]


# Registered in QuizzesConfig.ready(): the lesson page reads the reader's quiz states in its
# own statement (courses.hooks.PageColumn), so the links after the reading cost no query.
QUIZ_STATES_COLUMN = PageColumn("quiz_states", _quiz_states_sql, _quiz_states_params)


def quizzes_for_lesson(lesson, user) -> list[Quiz]:
    """Published quizzes of a lesson (id, kind, title only), each with `open_now` and
    `attempts_done` for `user` (previews do not count), in one query: the lesson page's
    quiz-states column, run on its own."""
    sql = (f"SELECT ({_quiz_states_sql(connection.vendor)}) "  # noqa: S608
           "FROM courses_lesson l WHERE l.id = %s")
    with connection.cursor() as cursor:
        cursor.execute(sql, [*_quiz_states_params(user), lesson.pk])
        row = cursor.fetchone()
    return quizzes_from_page_column(lesson, row[0] if row else None)


def quizzes_from_page_column(lesson, value) -> list[Quiz]:
    """The quizzes of the lesson page's `quiz_states` column, in position order, each with
    `open_now` and `attempts_done`."""
    if isinstance(value, str):
        value = json.loads(value)
    quizzes = []
    for quiz_id, kind, title, _position, open_now, done in sorted(
            value or [], key=lambda item: (item[3], item[0])):
        quiz = Quiz(pk=quiz_id, lesson_id=lesson.pk, kind=kind, title=title)
        quiz.open_now, quiz.attempts_done = bool(open_now), done
        quizzes.append(quiz)
    return quizzes


@dataclass
class QuizState:
    quiz: Quiz
    label: str            # not started | in progress | awaiting grading | graded
    open_attempt: Attempt | None
    grade_percent: int | None
    best_percent: int | None
    attempts_made: int


def _percent(score, maximum) -> int | None:
    if score is None or not maximum:
        return None
    return round(100 * float(score) / float(maximum))


def quiz_state(quiz: Quiz, attempts: list[Attempt]) -> QuizState:
    """Summarise one student's attempts at `quiz` (oldest first) for the dashboard."""
    open_attempt = next((a for a in attempts if a.is_open), None)
    closed = [a for a in attempts if not a.is_open]
    graded = [a for a in closed if a.status == AttemptStatus.GRADED]
    if open_attempt:
        label = "In progress"
    elif any(a.status == AttemptStatus.NEEDS_GRADING for a in closed):
        label = "Awaiting grading"
    elif graded:
        label = "Graded"
    else:
        label = "Not started"
    percents = [_percent(a.score, a.max_score) for a in graded]
    grade = quiz_grade(quiz.grading_method, [a.score for a in graded])
    maximum = graded[0].max_score if graded else None
    return QuizState(quiz, label, open_attempt, _percent(grade, maximum),
                     max((p for p in percents if p is not None), default=None), len(closed))


def student_dashboard(user) -> list[dict[str, Any]]:
    """For each of the user's courses: its visible lessons with reading progress and, for
    each quiz, its state, grade and best score. Five queries however much there is."""
    courses = list(course_list_for_user(user))
    roles = course_roles_for_user(user, courses)
    lessons = list(
        Lesson.objects.filter(course__in=courses).select_related("reading")
        .annotate(passage_count=Count("reading__passages")).order_by("position", "title")
    )
    progress = {p.lesson_id: p for p in ReadingProgress.objects.filter(user=user)}
    quizzes = list(Quiz.objects.filter(lesson__in=lessons).order_by("position", "pk"))
    attempts: dict[int, list[Attempt]] = {}
    for attempt in Attempt.objects.filter(user=user, is_preview=False,
                                          quiz__in=quizzes).order_by("number"):
        attempts.setdefault(attempt.quiz_id, []).append(attempt)
    by_lesson: dict[int, list[QuizState]] = {}
    for quiz in quizzes:
        lesson_quizzes = by_lesson.setdefault(quiz.lesson_id, [])
        if quiz.is_published:
            lesson_quizzes.append(quiz_state(quiz, attempts.get(quiz.pk, [])))
    result = []
    now = timezone.now()
    for course in courses:
        role = roles.get(course.pk)
        visible = [
            lesson for lesson in lessons if lesson.course_id == course.pk
            and access.lesson_is_open(lesson, role, now)
        ]
        result.append({"course": course, "lessons": [
            {"lesson": lesson, "progress": progress.get(lesson.pk),
             "quizzes": by_lesson.get(lesson.pk, [])}
            for lesson in visible
        ]})
    return result
