"""Reads for the LTI pages."""

from __future__ import annotations

from django.db.models import Prefetch

from courses.models import Course, Enrollment, Lesson
from quizzes.models import Quiz

from . import roles


def courses_taught(user) -> list[Course]:
    """The Lectio courses `user` may connect a platform course to: those they teach, or all
    for site staff."""
    if user.is_staff:
        return list(Course.objects.order_by("title"))
    return list(Course.objects.filter(
        enrollments__user=user, enrollments__role=roles.INSTRUCTOR).order_by("title"))


def placeable_items(course: Course) -> list[tuple[str, dict]]:
    """Every lesson of `course` and each of its quizzes, in course order, as
    (form key, item) pairs; an item has `kind`, `object`, `label` and `title`. Two queries."""
    lessons = (Lesson.objects.filter(course=course).order_by("position", "title")
               .prefetch_related(Prefetch("quizzes", queryset=Quiz.objects.order_by(
                   "position", "pk"))))
    items: list[tuple[str, dict]] = []
    for lesson in lessons:
        draft = "" if lesson.is_published else " (not published yet)"
        items.append((f"lesson-{lesson.pk}", {
            "kind": "lesson", "object": lesson, "title": lesson.title,
            "label": f"Lesson: {lesson.title}{draft}"}))
        for quiz in lesson.quizzes.all():
            quiz_draft = "" if quiz.is_published else " (not published yet)"
            items.append((f"quiz-{quiz.pk}", {
                "kind": "quiz", "object": quiz, "title": quiz.title,
                "label": f"{quiz.get_kind_display()} quiz: {quiz.title} "
                         f"(in “{lesson.title}”){quiz_draft}"}))
    return items


def is_course_instructor(user, course: Course) -> bool:
    return user.is_staff or Enrollment.objects.filter(
        course=course, user=user, role=roles.INSTRUCTOR).exists()


def course_lms_links(course: Course) -> list:
    """The platform courses that open `course`, with their platform. One query."""
    from .models import CourseLink

    return list(CourseLink.objects.filter(course=course).select_related(
        "context__deployment__registration", "linked_by").order_by("pk"))


def course_line_item_quizzes(course: Course) -> list[Quiz]:
    """The quizzes of `course` that have a platform gradebook column. One query."""
    return list(Quiz.objects.filter(lesson__course=course, lti_line_items__isnull=False)
                .select_related("lesson").distinct().order_by("lesson__position", "position",
                                                              "pk"))


def quiz_passback_rows(quiz: Quiz) -> dict:
    """For the quiz's passback page: its line items and, per student of the course, their
    current grade, whether the platform knows them, and each line item's passback row.
    Five queries however many students."""
    from lti_tool.models import LtiLineItem, LtiUser

    from .models import GradePassback
    from .services_passback import quiz_grades

    line_items = list(LtiLineItem.objects.filter(lectio_quiz__quiz=quiz)
                      .select_related("context__deployment__registration").order_by("pk"))
    students = list(Enrollment.objects.filter(course_id=quiz.lesson.course_id,
                                              role=roles.STUDENT)
                    .select_related("user").order_by("user__last_name", "user__first_name",
                                                     "user__username"))
    user_ids = [e.user_id for e in students]
    registrations = {li.context.deployment.registration_id for li in line_items}
    known = {(u.registration_id, u.auth_user_id) for u in LtiUser.objects.filter(
        registration_id__in=registrations, auth_user_id__in=user_ids)}
    passbacks = {(p.line_item_id, p.user_id): p for p in GradePassback.objects.filter(
        line_item__in=line_items, user_id__in=user_ids)}
    grades = quiz_grades(quiz, user_ids)
    rows = []
    for enrolment in students:
        user = enrolment.user
        cells = []
        for line_item in line_items:
            linked = (line_item.context.deployment.registration_id, user.pk) in known
            cells.append({"linked": linked,
                          "passback": passbacks.get((line_item.pk, user.pk))})
        rows.append({"user": user, "grade": grades.get(user.pk), "cells": cells})
    return {"line_items": line_items, "rows": rows}
