"""What `lti` adds to course pages: the LMS connection page for instructors."""

from __future__ import annotations

from django.urls import reverse

from courses import access


def course_links(course, user, role: str) -> list:
    from quizzes.hooks import LessonLink

    if role not in (access.INSTRUCTOR, access.ADMIN):
        return []
    return [LessonLink(reverse("lti:course-lms", args=[course.slug]),
                       "LMS connection (roster sync, grade passback)")]
