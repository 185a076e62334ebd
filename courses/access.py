"""Who may do what in a course: one server-side decision used by every course view.

A person's role comes from their Enrollment; site staff act as admins everywhere.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404

from .models import Course, Enrollment, Role

ADMIN = "admin"
STUDENT = Role.STUDENT.value
ASSISTANT = Role.ASSISTANT.value
INSTRUCTOR = Role.INSTRUCTOR.value
EVERYONE = (STUDENT, ASSISTANT, INSTRUCTOR, ADMIN)
TEACHING = (ASSISTANT, INSTRUCTOR, ADMIN)


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


def check_course_access(user, course: Course, roles: Iterable[str]) -> str:
    """Return the user's role in `course` if it is one of `roles`; raise otherwise.

    An unpublished course is invisible (404) to its students; anybody without an allowed role
    gets PermissionDenied (403).
    """
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
            course = get_object_or_404(Course, slug=kwargs.pop(slug_kwarg))
            role = check_course_access(request.user, course, allowed)
            return view(request, *args, course=course, role=role, **kwargs)

        wrapper.course_roles = allowed  # read by the URL access audit in the tests
        return wrapper

    return decorator
