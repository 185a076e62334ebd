"""Roster sync (NRPS) against the simulator: on demand, by POST with CSRF, reporting what
changed; a role only rises; nothing changes when the platform cannot be read."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from lti_tool.models import LtiContext, LtiUser

from courses.models import Enrollment, Role
from lti.models import CourseLink
from tests.factories import EnrollmentFactory, UserFactory
from tests.lti.platform import INSTRUCTOR, LEARNER, MENTOR, TA, member

pytestmark = pytest.mark.django_db


@pytest.fixture
def link(registration, platform, course):
    context = LtiContext.objects.create(
        deployment=registration.deployments.get(), id_on_platform=platform.context_id,
        title="History 101", memberships_url=f"{platform.url}/nrps/{platform.context_id}")
    return CourseLink.objects.create(context=context, course=course)


def _sync(client, course, link):
    return client.post(f"/lti/course/{course.slug}/roster-sync/", {"link": link.pk},
                       follow=True)


def test_an_instructor_syncs_the_roster_and_sees_what_changed(client, platform, link, course,
                                                              instructor):
    platform.members = [member("s1"), member("s2"), member("ta1", roles=[TA]),
                        member("gone", status="Inactive"), member("parent", roles=[MENTOR])]
    platform.members_page_size = 2  # three pages, followed through the Link header
    client.force_login(instructor)
    response = _sync(client, course, link)
    text = response.content.decode()
    assert "3 enrolled (3 new accounts)" in text
    assert "1 inactive in the LMS, left as they are" in text
    assert "1 with no Lectio role (mentors, guests) skipped" in text
    roles = dict(Enrollment.objects.filter(course=course, user__lti_users__isnull=False)
                 .values_list("user__lti_users__sub", "role"))
    assert roles == {"s1": Role.STUDENT, "s2": Role.STUDENT, "ta1": Role.ASSISTANT}
    assert not LtiUser.objects.filter(sub__in=["gone", "parent"]).exists()
    link.refresh_from_db()
    assert link.roster_synced_at is not None
    nrps_calls = [r for r in platform.received if r.path.startswith("/nrps")]
    assert len(nrps_calls) == 3
    assert all(r.headers["Authorization"].startswith("Bearer token-") for r in nrps_calls)
    assert "contextmembership.readonly" in platform.tokens()[0].form()["scope"]


def test_a_second_sync_changes_nothing_and_a_role_only_rises(client, platform, link, course,
                                                             instructor):
    platform.members = [member("s1"), member("ta1", roles=[TA])]
    client.force_login(instructor)
    _sync(client, course, link)
    platform.members = [member("s1", roles=[INSTRUCTOR]), member("ta1", roles=[LEARNER])]
    text = _sync(client, course, link).content.decode()
    assert "0 enrolled (0 new accounts); 1 given a higher role; 1 unchanged" in text
    roles = dict(Enrollment.objects.filter(course=course, user__lti_users__isnull=False)
                 .values_list("user__lti_users__sub", "role"))
    assert roles == {"s1": Role.INSTRUCTOR, "ta1": Role.ASSISTANT}
    assert get_user_model().objects.filter(lti_users__isnull=False).count() == 2


def test_a_person_who_launched_before_keeps_their_account(client, platform, link, course,
                                                          instructor):
    launched = UserFactory(username="s1-account")
    LtiUser.objects.create(registration=link.context.deployment.registration, sub="s1",
                           auth_user=launched)
    platform.members = [member("s1")]
    client.force_login(instructor)
    assert "1 enrolled (0 new accounts)" in _sync(client, course, link).content.decode()
    assert Enrollment.objects.get(course=course, user=launched).role == Role.STUDENT


def test_an_unreachable_platform_changes_nothing(client, platform, link, course, instructor):
    link.context.memberships_url = f"{platform.url}/missing-nrps"
    link.context.save()
    platform.members = [member("s1")]
    client.force_login(instructor)
    users = get_user_model().objects.count()
    text = _sync(client, course, link).content.decode()
    assert "Nothing changed. The LMS did not send the roster: HTTP 404" in text
    assert get_user_model().objects.count() == users


def test_roster_sync_is_for_the_courses_instructors_and_needs_a_post(client, platform, link,
                                                                     course, assistant,
                                                                     student):
    url = f"/lti/course/{course.slug}/roster-sync/"
    for user in (assistant, student):
        client.force_login(user)
        assert client.post(url, {"link": link.pk}).status_code == 403
    EnrollmentFactory(course=course, user=UserFactory(username="prof2"), role=Role.INSTRUCTOR)
    client.force_login(get_user_model().objects.get(username="prof2"))
    assert client.get(url).status_code == 405
    assert not [r for r in platform.received if r.path.startswith("/nrps")]


def test_the_lms_page_lists_connections_with_a_sync_button(client, link, course, instructor):
    client.force_login(instructor)
    page = client.get(f"/lti/course/{course.slug}/").content.decode()
    assert "History 101" in page and "Sync roster" in page
    course_page = client.get(course.get_absolute_url()).content.decode()
    assert f"/lti/course/{course.slug}/" in course_page


def test_the_lms_page_reads_a_fixed_number_of_queries(client, link, course, instructor,
                                                      django_assert_max_num_queries,
                                                      registration):
    from lti_tool.models import LtiContext

    client.force_login(instructor)
    with django_assert_max_num_queries(8):
        assert client.get(f"/lti/course/{course.slug}/").status_code == 200
    for n in range(5):
        context = LtiContext.objects.create(deployment=registration.deployments.get(),
                                            id_on_platform=f"extra-{n}", title=f"Section {n}")
        CourseLink.objects.create(context=context, course=course)
    with django_assert_max_num_queries(8):
        assert client.get(f"/lti/course/{course.slug}/").status_code == 200
