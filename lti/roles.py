"""Which Lectio role a platform's roles claim gives, and how it combines with a role held
already. Pure: no ORM.

LTI roles are URIs (or, in LTI 1.3, their short context names). Context (membership) roles
decide: Learner → student, Instructor#TeachingAssistant → assistant, Instructor or
Administrator → instructor. Institution and system roles are ignored: being an
administrator of the school does not make someone an instructor of this course.
A launch only ever raises a role: someone who is instructor in Lectio stays instructor when
the platform calls them a learner, because demoting is a decision for the course's People
page, not a side effect of a click.
"""

from __future__ import annotations

MEMBERSHIP = "http://purl.imsglobal.org/vocab/lis/v2/membership#"
TA = "http://purl.imsglobal.org/vocab/lis/v2/membership/Instructor#TeachingAssistant"

STUDENT, ASSISTANT, INSTRUCTOR = "student", "assistant", "instructor"
RANK = {STUDENT: 0, ASSISTANT: 1, INSTRUCTOR: 2}


def _normalise(role: str) -> str:
    role = role.strip()
    if role and "/" not in role and "#" not in role:
        return MEMBERSHIP + role  # a short context role name ("Learner")
    return role


def lectio_role(roles: list[str] | None) -> str | None:
    """The Lectio role a launch's roles claim gives, or None when it gives none (a mentor,
    a guest, or only institution roles)."""
    names = {_normalise(r) for r in (roles or []) if isinstance(r, str)}
    if MEMBERSHIP + "Instructor" in names or MEMBERSHIP + "Administrator" in names:
        return INSTRUCTOR
    if TA in names:
        return ASSISTANT
    if MEMBERSHIP + "Learner" in names:
        return STUDENT
    return None


def teaches(roles: list[str] | None) -> bool:
    """True when the claim makes its holder an instructor of the platform's course."""
    return lectio_role(roles) == INSTRUCTOR


def combined_role(held: str | None, launched: str) -> str:
    """The role to keep when someone holding `held` arrives with `launched`: the higher."""
    if held is None or RANK.get(launched, 0) > RANK.get(held, 0):
        return launched
    return held
