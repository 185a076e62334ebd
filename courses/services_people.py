"""Writes for a course's people: enrol a roster, change a role, remove someone.

A roster is all or nothing: it is checked against the accounts and enrolments that exist,
and stored in one transaction only when no line has a problem. Removing a person deletes
their enrolment only: their attempts and grades belong to their account and stay.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models.functions import Lower

from .models import Course, Enrollment, Role
from .roster import Roster, RosterRow


@dataclass
class RosterPlan:
    """What confirming a roster would do, and why it cannot when `problems` is not empty."""

    new_accounts: list[RosterRow] = field(default_factory=list)
    enrolments: list[RosterRow] = field(default_factory=list)  # existing accounts
    section_changes: list[RosterRow] = field(default_factory=list)  # already students
    unchanged: list[RosterRow] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    @property
    def joining(self) -> int:
        return len(self.new_accounts) + len(self.enrolments)

    @property
    def changes(self) -> int:
        return self.joining + len(self.section_changes)


def roster_plan(*, course: Course, roster: Roster) -> RosterPlan:
    """Sort the roster's rows by what they would do; two queries whatever its length."""
    plan = RosterPlan(problems=list(roster.problems))
    # Usernames are compared without case, as people type them ("Ada" is "ada").
    accounts = {u.username.lower(): u for u in get_user_model().objects
                .annotate(lowered=Lower("username"))
                .filter(lowered__in=[row.username.lower() for row in roster.rows])}
    enrolled = {e.user_id: e for e in Enrollment.objects.filter(
        course=course, user__in=[u.pk for u in accounts.values()])}
    for row in roster.rows:
        user = accounts.get(row.username.lower())
        if user is None:
            plan.new_accounts.append(row)
            continue
        if user.email and user.email.casefold() != row.email.casefold():
            plan.problems.append(
                f"Line {row.line}: “{row.username}” is an existing account with a different "
                "email address. Check the username, or ask an admin to correct the account.")
            continue
        enrolment = enrolled.get(user.pk)
        if enrolment is None:
            plan.enrolments.append(row)
        elif enrolment.role != Role.STUDENT:
            plan.problems.append(
                f"Line {row.line}: “{row.username}” is {enrolment.get_role_display().lower()} "
                "of this course; change their role on the People page instead.")
        elif enrolment.section != row.section:
            plan.section_changes.append(row)
        else:
            plan.unchanged.append(row)
    plan.problems.sort(key=_line_of)
    return plan


def roster_apply(*, course: Course, roster: Roster) -> RosterPlan:
    """Create the missing accounts and enrol every row as a student, all or nothing.

    Raises ValidationError with every problem when any line has one; nothing is written
    then. New accounts have no usable password until an admin sets one (or single sign-on
    matches them by username).
    """
    with transaction.atomic():
        plan = roster_plan(course=course, roster=roster)
        if plan.problems:
            raise ValidationError(plan.problems)
        user_model = get_user_model()
        created = []
        for row in plan.new_accounts:
            first, _, last = row.name.rpartition(" ")
            user = user_model(username=row.username, email=row.email,
                              first_name=(first or last)[:150], last_name=last[:150]
                              if first else "")
            user.set_unusable_password()
            created.append(user)
        user_model.objects.bulk_create(created)
        joining = plan.new_accounts + plan.enrolments
        by_name = {u.username.lower(): u for u in user_model.objects
                   .annotate(lowered=Lower("username"))
                   .filter(lowered__in=[r.username.lower() for r in joining])}
        Enrollment.objects.bulk_create(
            Enrollment(course=course, user=by_name[row.username.lower()], role=Role.STUDENT,
                       section=row.section)
            for row in joining)
        for row in plan.section_changes:
            Enrollment.objects.filter(course=course, user__username__iexact=row.username) \
                .update(section=row.section)
    return plan


def _last_instructor(enrollment: Enrollment) -> bool:
    return (enrollment.role == Role.INSTRUCTOR and not Enrollment.objects
            .filter(course_id=enrollment.course_id, role=Role.INSTRUCTOR)
            .exclude(pk=enrollment.pk).exists())


def enrollment_set_role(*, enrollment: Enrollment, role: str) -> Enrollment:
    """Give the person another role in the course; a course keeps at least one instructor."""
    if role not in Role.values:
        raise ValidationError("Choose student, assistant or instructor.")
    with transaction.atomic():
        locked = Enrollment.objects.select_for_update().get(pk=enrollment.pk)
        if role != Role.INSTRUCTOR and _last_instructor(locked):
            raise ValidationError("A course needs at least one instructor: make someone else "
                                  "instructor first.")
        locked.role = role
        locked.save(update_fields=["role"])
    return locked


def enrollment_remove(*, enrollment: Enrollment) -> None:
    """Take the person out of the course; their attempts and grades are kept."""
    with transaction.atomic():
        locked = Enrollment.objects.select_for_update().filter(pk=enrollment.pk).first()
        if locked is None:
            return  # already removed (a second click, another tab)
        if _last_instructor(locked):
            raise ValidationError("A course needs at least one instructor: make someone else "
                                  "instructor before removing this one.")
        locked.delete()


def _line_of(problem: str) -> int:
    head = problem.split(":", 1)[0]
    return int(head[5:]) if head.startswith("Line ") and head[5:].isdigit() else 0
