"""What `quizzes` adds to the lesson page: links to the lesson's quizzes and their state."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count
from django.urls import reverse

from courses import access

from .models import Attempt, Quiz
from .taking.selectors import quizzes_for_lesson, quizzes_from_page_column


@dataclass(frozen=True)
class LessonLink:
    url: str
    label: str
    detail: str = ""


def quiz_links(lesson, user, role: str) -> list[LessonLink]:
    links = []
    if role in access.TEACHING:
        links.append(LessonLink(
            reverse("quizzes:lesson-heatmap", args=[lesson.course.slug, lesson.slug]),
            "Where the class struggled (heatmap)"))
    if role in (access.INSTRUCTOR, access.ADMIN):
        links.append(LessonLink(
            reverse("quizzes:lesson-export", args=[lesson.course.slug, lesson.slug]),
            "Export this lesson as a package",
            "the reading, notes and quizzes as one file for another course or server"))
    page_columns = getattr(lesson, "page_columns", {})
    quizzes = (quizzes_from_page_column(lesson, page_columns["quiz_states"])
               if "quiz_states" in page_columns else quizzes_for_lesson(lesson, user))
    for quiz in quizzes:
        done = quiz.attempts_done
        detail = "In progress" if quiz.open_now else (
            f"{done} attempt{'s' if done != 1 else ''} made" if done else "Not started")
        links.append(LessonLink(quiz.get_absolute_url(),
                                f"{quiz.get_kind_display()} quiz: {quiz.title}", detail))
    return links


def course_links(course, user, role: str) -> list[LessonLink]:
    """Teaching staff get the grading queue and gradebook; everyone their progress page."""
    links = [LessonLink(reverse("quizzes:dashboard"), "My progress")]
    if role in access.TEACHING:
        links += [
            LessonLink(reverse("quizzes:grading-queue", args=[course.slug]), "Grading queue"),
            LessonLink(reverse("quizzes:gradebook", args=[course.slug]), "Gradebook"),
        ]
    if role in (access.INSTRUCTOR, access.ADMIN):
        links += [
            LessonLink(reverse("quizzes:accommodations", args=[course.slug]),
                       "Accommodations"),
            LessonLink(reverse("quizzes:lesson-import", args=[course.slug]),
                       "Import a lesson package"),
        ]
    return links


def reading_used_by_attempts(reading, user, role: str) -> list[bool]:
    """A reading is in use once any attempt answered a quiz of a lesson built on it."""
    return [Attempt.objects.filter(quiz__lesson__reading=reading).exists()]


def lesson_used_by_attempts(lesson, user, role: str) -> list[str]:
    """The students' attempts at the lesson's quizzes, one phrase per quiz that has some.

    The quiz rows are locked first (no join, so nothing else is), so no attempt can start
    at them until the caller's transaction ends. An instructor's previews are not uses:
    they are deleted with the lesson.
    """
    quizzes = list(Quiz.objects.select_for_update().filter(lesson=lesson).order_by("pk")
                   .values_list("pk", "title"))
    counts = dict(Attempt.objects.filter(quiz__in=[pk for pk, _ in quizzes], is_preview=False)
                  .values("quiz").annotate(n=Count("pk")).values_list("quiz", "n"))
    return [f"{counts[pk]} student attempt{'s' if counts[pk] != 1 else ''} at “{title}”"
            for pk, title in quizzes if counts.get(pk)]


def lesson_quiz_links(lessons, user, role: str) -> list[tuple[int, LessonLink]]:
    """Each lesson's quizzes, for its course's Lessons page, after a link to the lesson's
    quiz authoring page: one query for all lessons."""
    quizzes = (Quiz.objects.filter(lesson__in=[lesson.pk for lesson in lessons])
               .order_by("lesson_id", "position", "pk")
               .only("pk", "lesson_id", "kind", "title", "is_published"))
    authoring = [(lesson.pk, LessonLink(
                    reverse("quizzes:quiz-list", args=[lesson.course.slug, lesson.slug]),
                    "Build and change quizzes" if role in access.AUTHORING
                    else "Quizzes and questions"))
                 for lesson in lessons] if role in access.TEACHING else []
    return authoring + [(quiz.lesson_id, LessonLink(
                quiz.get_absolute_url(), f"{quiz.get_kind_display()}: {quiz.title}",
                "" if quiz.is_published else "not published"))
            for quiz in quizzes]
