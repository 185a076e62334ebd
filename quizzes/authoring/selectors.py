"""Reads for the authoring pages: a lesson's quizzes, a quiz's questions with what is wrong
with them, what uses a quiz or a question, and the quizzes a person may copy from.

Every read here runs a fixed number of queries, whatever the number of questions.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q

from courses import access
from courses.models import Course, Enrollment, Lesson, Passage

from ..interop.drafts import draft_problems
from ..interop.services import question_draft
from ..models import Attempt, Choice, Question, Quiz


def lesson_quizzes(lesson: Lesson) -> list[Quiz]:
    """The lesson's quizzes in order, each with `question_count` and `student_attempts`:
    one query."""
    quizzes = list(
        Quiz.objects.filter(lesson=lesson).order_by("position", "pk")
        .annotate(question_count=Count("questions", distinct=True),
                  student_attempts=Count("attempts", filter=Q(attempts__is_preview=False),
                                         distinct=True)))
    for quiz in quizzes:
        quiz.lesson = lesson
    return quizzes


def quiz_questions(quiz: Quiz) -> list[Question]:
    """The quiz's questions in order, numbered 1..n as `number`, with their choices and
    `answer_count` (responses in submitted student attempts): two queries."""
    questions = list(
        quiz.questions.order_by("position", "pk")
        .annotate(answer_count=Count("responses", filter=Q(
            responses__attempt__is_preview=False)
            & ~Q(responses__attempt__status="in_progress"), distinct=True))
        .prefetch_related(Prefetch("choices", queryset=Choice.objects.order_by("position",
                                                                               "pk"))))
    for number, question in enumerate(questions, start=1):
        question.number = number
        question.quiz = quiz
    return questions


def question_problems(question: Question) -> list[str]:
    """Why `question` could not be graded as it is stored ([] when it can): the checks an
    import makes. Uses the question's prefetched choices."""
    return draft_problems(question_draft(question))


@dataclass(frozen=True)
class PublishCheck:
    """Whether a quiz may be published, and if not, every reason, by question."""

    problems: tuple[str, ...]

    @property
    def ok(self) -> bool:
        return not self.problems


def quiz_publish_check(questions: list[Question]) -> PublishCheck:
    """A quiz may be published with at least one question, every one of them gradable."""
    if not questions:
        return PublishCheck(("Add at least one question first.",))
    problems = [f"Question {question.number}: {message}"
                for question in questions for message in question_problems(question)]
    return PublishCheck(tuple(problems))


def quiz_attempt_counts(quiz: Quiz) -> tuple[int, int]:
    """(student attempts, instructors' previews) at `quiz`: one query."""
    counts = Attempt.objects.filter(quiz=quiz).aggregate(
        students=Count("pk", filter=Q(is_preview=False)),
        previews=Count("pk", filter=Q(is_preview=True)))
    return counts["students"], counts["previews"]


def question_answer_count(question: Question) -> int:
    """How many students' attempts answered `question` (in progress or submitted)."""
    return (question.responses.filter(attempt__is_preview=False)
            .exclude(answer=None).count())


def reading_passages(lesson: Lesson) -> list[Passage]:
    """The passages of the lesson's reading, in order (what questions may cite)."""
    return list(Passage.objects.filter(reading_id=lesson.reading_id).order_by("order"))


def authoring_courses(user) -> list[Course]:
    """The courses whose quizzes `user` may copy questions from: every course for site
    staff, else those they teach as instructor."""
    courses = Course.objects.order_by("title", "pk")
    if not user.is_staff:
        courses = courses.filter(pk__in=Enrollment.objects.filter(
            user=user, role=access.INSTRUCTOR).values("course"))
    return list(courses)


def bank_quizzes(user, *, exclude: Quiz) -> list[Quiz]:
    """Every other quiz in the courses `user` authors in, with its questions (in order),
    lesson and course: three queries."""
    courses = authoring_courses(user)
    return list(
        Quiz.objects.filter(lesson__course__in=courses).exclude(pk=exclude.pk)
        .select_related("lesson__course")
        .order_by("lesson__course__title", "lesson__position", "position", "pk")
        .prefetch_related(Prefetch("questions",
                                   queryset=Question.objects.order_by("position", "pk")
                                   .only("pk", "quiz_id", "type", "title", "prompt",
                                         "position"))))
