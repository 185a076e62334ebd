"""Writes for LTI launches: who the platform's user is in Lectio, their enrolment, and
which Lectio course and lesson or quiz a platform course and link open.

Identity is the platform's issuer and subject (`sub`), never an email address: an address
can be typed by anyone into a platform profile, a signed subject cannot.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.text import slugify
from lti_tool.models import LtiContext, LtiLaunch, LtiResourceLink, LtiUser
from lti_tool.utils import sync_data_from_launch
from pylti1p3.exception import LtiException

from courses.models import Course, Enrollment, Lesson
from quizzes.models import Quiz

from . import roles
from .models import CourseLink, PlacedResource, QuizLineItem, UsedNonce

AGS_ENDPOINT = "https://purl.imsglobal.org/spec/lti-ags/claim/endpoint"


def _username_for(claims: dict) -> str:
    """A readable, free username: the email's local part or the name, else "lms-user"."""
    email = claims.get("email") or ""
    base = email.split("@", 1)[0] if "@" in email else (claims.get("name") or "")
    base = re.sub(r"[^\w.+-]", "", slugify(base).replace("-", ".")) or "lms-user"
    base = base[:120]
    user_model = get_user_model()
    candidate, n = base, 1
    while user_model.objects.filter(username__iexact=candidate).exists():
        n += 1
        candidate = f"{base}{n}"
    return candidate


def _names(claims: dict) -> tuple[str, str]:
    first = (claims.get("given_name") or "").strip()
    last = (claims.get("family_name") or "").strip()
    if not first and not last and claims.get("name"):
        first, _, last = str(claims["name"]).strip().rpartition(" ")
        first, last = (first, last) if first else (last, "")
    return first[:150], last[:150]


def account_for(*, lti_user: LtiUser, claims: dict):
    """The Lectio account of a platform user, created on first sight.

    An account already tied to the same issuer and subject through another registration
    (a second client id on the same platform) is reused. Accounts Lectio made for the
    platform (no password) follow the platform's name and email at each launch.
    """
    user_model = get_user_model()
    user = lti_user.auth_user
    if user is None:
        sibling = (LtiUser.objects.filter(registration__issuer=lti_user.registration.issuer,
                                          sub=lti_user.sub, auth_user__isnull=False)
                   .exclude(pk=lti_user.pk).select_related("auth_user").first())
        user = sibling.auth_user if sibling else None
    first, last = _names(claims)
    email = (claims.get("email") or "")[:254]
    if user is None:
        user = user_model(username=_username_for(claims), first_name=first, last_name=last,
                          email=email)
        user.set_unusable_password()
        user.save()
    elif not user.has_usable_password():
        changed = [f for f, v in (("first_name", first), ("last_name", last),
                                  ("email", email)) if v and getattr(user, f) != v]
        for field in changed:
            setattr(user, field, {"first_name": first, "last_name": last,
                                  "email": email}[field])
        if changed:
            user.save(update_fields=changed)
    if lti_user.auth_user_id != user.pk:
        lti_user.auth_user = user
        lti_user.save(update_fields=["auth_user"])
    return user


def enrollment_from_platform(*, course: Course, user, role: str) -> tuple[Enrollment, str]:
    """Enrol `user` in `course` with `role`, or raise their role to it; never lower it.

    Returns the enrolment and what happened: "enrolled", "promoted" or "unchanged".
    """
    enrolment = Enrollment.objects.select_for_update().filter(course=course, user=user).first()
    if enrolment is None:
        try:
            with transaction.atomic():
                return Enrollment.objects.create(course=course, user=user, role=role), \
                    "enrolled"
        except IntegrityError:  # a second launch enrolled them meanwhile
            enrolment = Enrollment.objects.select_for_update().get(course=course, user=user)
    kept = roles.combined_role(enrolment.role, role)
    if kept != enrolment.role:
        enrolment.role = kept
        enrolment.save(update_fields=["role"])
        return enrolment, "promoted"
    return enrolment, "unchanged"


def _nonce_consume(*, issuer: str, nonce: str, now: datetime) -> None:
    try:
        with transaction.atomic():
            UsedNonce.objects.create(issuer=issuer, nonce=nonce, used_at=now)
    except IntegrityError:
        raise LtiException("Nonce already used") from None
    # Tokens live minutes and launch state a day: older nonces can never be replayed.
    UsedNonce.objects.filter(used_at__lt=now - timedelta(days=2)).delete()


def _line_item_record(*, lti_launch: LtiLaunch, context: LtiContext,
                      resource_link: LtiResourceLink, quiz: Quiz) -> None:
    """Remember the line item the platform names for a quiz's link (AGS claim)."""
    from lti_tool.models import LtiLineItem

    url = (lti_launch.get_claim(AGS_ENDPOINT) or {}).get("lineitem")
    if not url:
        return
    line_item, _ = LtiLineItem.objects.update_or_create(
        url=url, defaults={"context": context, "resource_link": resource_link,
                           "maximum_score": float(quiz_points(quiz)), "label": quiz.title[:255],
                           "resource_id": quiz_resource_id(quiz)})
    QuizLineItem.objects.update_or_create(line_item=line_item, defaults={"quiz": quiz})


def quiz_points(quiz: Quiz):
    from django.db.models import Sum

    return quiz.questions.aggregate(total=Sum("points"))["total"] or 0


def quiz_resource_id(quiz: Quiz) -> str:
    return f"lectio-quiz-{quiz.pk}"


def launch_accept(*, lti_launch: LtiLaunch, now: datetime):
    """Record a validated launch: use its nonce up, sync django-lti's records (deployment,
    user, context, membership, resource link), and match or create the Lectio account.

    Everything happens in one transaction, so a replayed launch leaves nothing behind.
    Returns the Lectio account.
    """
    with transaction.atomic():
        _nonce_consume(issuer=lti_launch.get_claim("iss"), nonce=lti_launch.get_claim("nonce"),
                       now=now)
        sync_data_from_launch(lti_launch)
        return account_for(lti_user=lti_launch.user, claims=lti_launch.get_launch_data())


@transaction.atomic
def launch_route(*, lti_launch: LtiLaunch, user) -> dict:
    """Where an accepted launch leads: the Lectio course of its platform course (enrolling
    the user with the launch's role, never lowering one), and for a resource link the lesson
    or quiz it opens. Safe to run again for the same launch (after connecting a course).

    Returns `context`, `role`, `course` (None while the platform course is not connected),
    `resource_link` (None for deep linking) and `target` (None while the link opens nothing).
    """
    context = lti_launch.context
    result = {"context": context, "role": roles.lectio_role(lti_launch.roles_claim),
              "course": None, "resource_link": None, "target": None}
    link = CourseLink.objects.filter(context=context).select_related("course").first()
    if link is not None:
        result["course"] = link.course
        if result["role"] is not None:
            enrollment_from_platform(course=link.course, user=user, role=result["role"])
    if lti_launch.is_resource_launch:
        resource_link = lti_launch.resource_link
        result["resource_link"] = resource_link
        if link is not None:
            result["target"] = _target_for(lti_launch, link.course, resource_link)
    return result


def _target_for(lti_launch: LtiLaunch, course: Course, resource_link: LtiResourceLink):
    """The lesson or quiz this link opens: placed already, or named by the custom
    parameters Lectio put in the link when it was chosen (deep linking)."""
    placed = PlacedResource.objects.filter(resource_link=resource_link).select_related(
        "lesson", "quiz", "quiz__lesson").first()
    if placed is None:
        quiz_id = lti_launch.get_custom_claim("lectio_quiz")
        lesson_id = lti_launch.get_custom_claim("lectio_lesson")
        quiz = (Quiz.objects.filter(pk=quiz_id, lesson__course=course).select_related("lesson")
                .first() if str(quiz_id or "").isdigit() else None)
        lesson = (Lesson.objects.filter(pk=lesson_id, course=course).first()
                  if quiz is None and str(lesson_id or "").isdigit() else None)
        if quiz is None and lesson is None:
            return None
        placed = PlacedResource.objects.create(resource_link=resource_link, quiz=quiz,
                                               lesson=lesson)
    if placed.quiz is not None:
        _line_item_record(lti_launch=lti_launch, context=resource_link.context,
                          resource_link=resource_link, quiz=placed.quiz)
    return placed.target


@transaction.atomic
def course_link_create(*, context: LtiContext, course: Course | None, title: str, user,
                       role: str) -> CourseLink:
    """Open `context` on `course`, or on a new course titled `title` when `course` is None,
    and make `user` (an instructor on the platform) its instructor.

    Raises ValidationError, changing nothing, when the context is linked already or the
    user does not teach the chosen Lectio course.
    """
    if role != roles.INSTRUCTOR:
        raise ValidationError("Only an instructor of the course can connect it to Lectio.")
    if CourseLink.objects.filter(context=context).exists():
        raise ValidationError("This course is connected to Lectio already.")
    if course is None:
        title = title.strip()[:200]
        if not title:
            raise ValidationError("Give the new Lectio course a title.")
        base = slugify(title)[:70] or "course"
        slug, n = base, 1
        while Course.objects.filter(slug=slug).exists():
            n += 1
            slug = f"{base}-{n}"
        course = Course.objects.create(title=title, slug=slug, is_published=True,
                                       description=f"Opened from {context.title or 'an LMS'}.")
    elif not (user.is_staff or Enrollment.objects.filter(course=course, user=user,
                                                         role=roles.INSTRUCTOR).exists()):
        raise ValidationError("You can only connect a Lectio course you teach.")
    link = CourseLink.objects.create(context=context, course=course, linked_by=user)
    enrollment_from_platform(course=course, user=user, role=roles.INSTRUCTOR)
    return link


@transaction.atomic
def resource_place(*, resource_link: LtiResourceLink, course: Course, lesson: Lesson | None,
                   quiz: Quiz | None) -> PlacedResource:
    """Make a platform link open `lesson` or `quiz` of `course` (for links placed without
    deep linking). Raises ValidationError when the target is not in the course."""
    target_course = quiz.lesson.course_id if quiz else (lesson.course_id if lesson else None)
    if target_course != course.pk:
        raise ValidationError("Choose a lesson or quiz of this course.")
    placed, _ = PlacedResource.objects.update_or_create(
        resource_link=resource_link, defaults={"quiz": quiz, "lesson": None if quiz else lesson})
    return placed
