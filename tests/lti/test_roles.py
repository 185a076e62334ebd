"""lti/roles.py: the platform's roles claim to Lectio's role, without the database."""

from lti import roles
from tests.lti.platform import INSTRUCTOR, LEARNER, MENTOR, TA

ADMIN = "http://purl.imsglobal.org/vocab/lis/v2/membership#Administrator"
SCHOOL_ADMIN = "http://purl.imsglobal.org/vocab/lis/v2/institution/person#Administrator"


def test_context_roles_map_to_lectio_roles():
    assert roles.lectio_role([LEARNER]) == "student"
    assert roles.lectio_role([TA]) == "assistant"
    assert roles.lectio_role([INSTRUCTOR]) == "instructor"
    assert roles.lectio_role([ADMIN]) == "instructor"


def test_short_role_names_count_as_context_roles():
    assert roles.lectio_role(["Learner"]) == "student"
    assert roles.lectio_role(["Instructor"]) == "instructor"


def test_the_highest_context_role_wins():
    assert roles.lectio_role([LEARNER, TA]) == "assistant"
    assert roles.lectio_role([TA, INSTRUCTOR]) == "instructor"


def test_institution_roles_and_mentors_give_no_lectio_role():
    assert roles.lectio_role([SCHOOL_ADMIN]) is None
    assert roles.lectio_role([MENTOR]) is None
    assert roles.lectio_role([]) is None
    assert roles.lectio_role(None) is None


def test_a_launch_never_lowers_a_role():
    assert roles.combined_role(None, "student") == "student"
    assert roles.combined_role("student", "instructor") == "instructor"
    assert roles.combined_role("instructor", "student") == "instructor"
    assert roles.combined_role("assistant", "student") == "assistant"
