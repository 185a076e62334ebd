"""Who may do what in a course: one server-side decision used by every course view.

A person's role comes from their Enrollment; site staff act as admins everywhere.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime
from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import OuterRef, Subquery
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone

from .models import Course, Enrollment, Role

ADMIN = "admin"
STUDENT = Role.STUDENT.value
ASSISTANT = Role.ASSISTANT.value
INSTRUCTOR = Role.INSTRUCTOR.value
EVERYONE = (STUDENT, ASSISTANT, INSTRUCTOR, ADMIN)
TEACHING = (ASSISTANT, INSTRUCTOR, ADMIN)
# Who changes a course's content and people, releases its grades and regrades after a key
# change; assistants see it, grade, comment and override a score with a reason (audited).
AUTHORING = (INSTRUCTOR, ADMIN)


def course_role(user, course: Course) -> str | None:
    """The role `user` holds in `course`: "admin" for site staff, the enrolment role, or None."""
    if not user.is_authenticated:
        return None
    if user.is_staff:
        return ADMIN
    return (
        Enrollment.objects.filter(course=course, user=user).values_list("role", flat=True).first()
    )


def can_see_unpublished(role: str | None) -> bool:
    """Unpublished courses and lessons exist only for the people who teach them."""
    return role in TEACHING


def lesson_is_open(lesson, role: str | None, now: datetime) -> bool:
    """Whether `role` may open `lesson` at `now`: teaching staff always; everyone else once
    it is published and its opening time, if it has one, has come."""
    if can_see_unpublished(role):
        return True
    return lesson.is_published and (lesson.available_from is None
                                    or lesson.available_from <= now)


class LessonNotOpen(PermissionDenied):
    """A published lesson whose opening time has not come; `opens_at` says when it will."""

    def __init__(self, opens_at: datetime) -> None:
        super().__init__("This lesson is not open yet.")
        self.opens_at = opens_at


def check_lesson_open(lesson, role: str | None, now: datetime | None = None) -> None:
    """Raise LessonNotOpen when `role` may see that `lesson` exists but not open it yet."""
    if not lesson_is_open(lesson, role, now or timezone.now()) and lesson.is_published:
        raise LessonNotOpen(lesson.available_from)


def course_with_role(user, slug: str) -> Course:
    """The course with `slug` (404 if none) with the user's role attached as `role_of_user`,
    in one query."""
    courses = Course.objects.all()
    if user.is_authenticated and not user.is_staff:
        courses = courses.annotate(role_of_user=Subquery(
            Enrollment.objects.filter(course=OuterRef("pk"), user=user).values("role")[:1]))
    course = get_object_or_404(courses, slug=slug)
    return attach_role(course, user, getattr(course, "role_of_user", None))


def attach_role(course: Course, user, enrolment_role: str | None) -> Course:
    """Attach `user`'s role in `course`, read with the course by the caller, so that
    check_course_access needs no query: site staff are admins, others their enrolment."""
    course.role_of_user = ADMIN if user.is_staff else enrolment_role
    course.role_user_id = user.pk  # the attached role is only valid for this person
    return course


def check_course_access(user, course: Course, roles: Iterable[str]) -> str:
    """Return the user's role in `course` if it is one of `roles`; raise otherwise.

    An unpublished course is invisible (404) to its students; anybody without an allowed role
    gets PermissionDenied (403).
    """
    if user.is_authenticated and getattr(course, "role_user_id", None) == user.pk:
        role = getattr(course, "role_of_user", None)
    else:
        role = course_role(user, course)
    if role is not None and not course.is_published and not can_see_unpublished(role):
        raise Http404("No such course.")
    if role not in set(roles):
        raise PermissionDenied("You do not have access to this course.")
    return role


def course_view(*roles: str, slug_kwarg: str = "course_slug") -> Callable:
    """Decorate a view taking the course slug in `slug_kwarg`.

    The decorated view receives `course` and `role` keyword arguments instead of the slug;
    anonymous visitors are sent to the login page, others without one of `roles` get 403.
    """
    allowed = tuple(roles) or EVERYONE

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @login_required
        @wraps(view)
        def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            course = course_with_role(request.user, kwargs.pop(slug_kwarg))
            role = check_course_access(request.user, course, allowed)
            return view(request, *args, course=course, role=role, **kwargs)

        wrapper.course_roles = allowed  # read by the URL access audit in the tests
        return wrapper

    return decorator


def library_role(user) -> str | None:
    """What `user` may do in the reading library: "admin" (site staff: every reading, and
    make them available to courses), "instructor" (build lessons in the courses they teach
    as instructors), "assistant" (look only), or None (no access: the library is for
    teaching staff)."""
    if not user.is_authenticated:
        return None
    if user.is_staff:
        return ADMIN
    roles = set(Enrollment.objects.filter(user=user, role__in=(ASSISTANT, INSTRUCTOR))
                .values_list("role", flat=True).distinct())
    if INSTRUCTOR in roles:
        return INSTRUCTOR
    return ASSISTANT if roles else None


def library_view(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Decorate a reading-library view: anonymous visitors go to the login page, people who
    teach no course get 403, and the view receives `role` (see `library_role`)."""

    @login_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        role = library_role(request.user)
        if role is None:
            raise PermissionDenied("The reading library is for teaching staff.")
        return view(request, *args, role=role, **kwargs)

    return wrapper
