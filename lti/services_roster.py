"""Names and Role Provisioning: bring a platform course's roster into its Lectio course.

The platform's list is read first, outside any transaction (it is a network call); then
one transaction creates the missing accounts and enrolments. People are matched by the
platform's issuer and subject, as at launch. A role is only ever raised (lti/roles.py).
People the platform marks inactive, and people with no Lectio role (mentors, guests), are
reported and left as they are: removing someone is a decision for the People page.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

import requests
from django.db import transaction
from lti_tool.models import LtiUser
from pylti1p3.exception import LtiException
from pylti1p3.names_roles import NamesRolesProvisioningService

from . import roles, tool
from .models import CourseLink
from .services import account_for, enrollment_from_platform


class RosterSyncError(Exception):
    """The platform's roster could not be read; nothing was changed."""


@dataclass
class RosterReport:
    new_accounts: list[str] = field(default_factory=list)
    enrolled: list[str] = field(default_factory=list)
    promoted: list[str] = field(default_factory=list)
    unchanged: int = 0
    inactive: list[str] = field(default_factory=list)
    no_role: list[str] = field(default_factory=list)

    @property
    def changes(self) -> int:
        return len(self.enrolled) + len(self.promoted)

    def summary(self) -> str:
        parts = [f"{len(self.enrolled)} enrolled ({len(self.new_accounts)} new accounts)",
                 f"{len(self.promoted)} given a higher role", f"{self.unchanged} unchanged"]
        if self.inactive:
            parts.append(f"{len(self.inactive)} inactive in the LMS, left as they are")
        if self.no_role:
            parts.append(f"{len(self.no_role)} with no Lectio role (mentors, guests) skipped")
        return "; ".join(parts) + "."


def roster_fetch(*, link: CourseLink) -> list[dict]:
    """Every member the platform lists for the linked course (all pages)."""
    context = link.context
    if not context.memberships_url:
        raise RosterSyncError("The LMS has not offered its roster service (Names and Role "
                              "Provisioning) for this course. Check that the tool's "
                              "registration in the LMS allows it, then open Lectio from the "
                              "course once.")
    service = NamesRolesProvisioningService(
        tool.service_connector(context.deployment.registration),
        {"context_memberships_url": context.memberships_url})
    try:
        return list(service.get_members())
    except (LtiException, requests.RequestException, ValueError, KeyError) as exc:
        raise RosterSyncError(f"The LMS did not send the roster: {_describe(exc)}") from exc


def _describe(exc: Exception) -> str:
    response = getattr(exc, "response", None)
    if response is not None and getattr(response, "status_code", None):
        return f"HTTP {response.status_code} from {response.url}"
    return str(exc)[:300] or exc.__class__.__name__


def _display(member: dict) -> str:
    return (member.get("name") or " ".join(filter(None, [member.get("given_name"),
                                                         member.get("family_name")]))
            or member.get("email") or str(member.get("user_id")))


@transaction.atomic
def roster_apply(*, link: CourseLink, members: list[dict], now: datetime) -> RosterReport:
    """Enrol the listed members in the linked course; see the module's docstring."""
    report = RosterReport()
    registration = link.context.deployment.registration
    known = {u.sub: u for u in LtiUser.objects.filter(
        registration=registration, sub__in=[str(m.get("user_id")) for m in members])}
    for member in members:
        sub = str(member.get("user_id") or "")
        if not sub:
            continue
        name = _display(member)
        if member.get("status", "Active") != "Active":
            report.inactive.append(name)
            continue
        role = roles.lectio_role(member.get("roles"))
        if role is None:
            report.no_role.append(name)
            continue
        profile = {k: member.get(k) for k in ("given_name", "family_name", "name", "email")}
        lti_user = known.get(sub)
        if lti_user is None:
            lti_user = LtiUser.objects.create(
                registration=registration, sub=sub,
                **{k: (v or "")[:254 if k == "email" else 500] for k, v in profile.items()})
        had_account = lti_user.auth_user_id is not None or LtiUser.objects.filter(
            registration__issuer=registration.issuer, sub=sub,
            auth_user__isnull=False).exists()
        user = account_for(lti_user=lti_user, claims=profile)
        if not had_account:
            report.new_accounts.append(name)
        _, outcome = enrollment_from_platform(course=link.course, user=user, role=role)
        if outcome == "enrolled":
            report.enrolled.append(name)
        elif outcome == "promoted":
            report.promoted.append(name)
        else:
            report.unchanged += 1
    link.roster_synced_at = now
    link.save(update_fields=["roster_synced_at"])
    return report


def roster_sync(*, link: CourseLink, now: datetime) -> RosterReport:
    """Read the platform's roster, then apply it; raises RosterSyncError, changing
    nothing, when the platform cannot be read."""
    members = roster_fetch(link=link)
    return roster_apply(link=link, members=members, now=now)
