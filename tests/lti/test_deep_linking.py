"""Deep linking against the simulator: an instructor picks Lectio content in the platform,
Lectio returns signed LtiResourceLink content items, and the platform's new links open it."""

from __future__ import annotations

import re

import jwt
import pytest
import requests
from jwcrypto.jwk import JWK
from lti_tool.models import Key, LtiContext, LtiUser

from lti.models import CourseLink
from tests.factories import QuestionFactory, QuizFactory
from tests.lti.conftest import launch
from tests.lti.platform import INSTRUCTOR, LEARNER

pytestmark = pytest.mark.django_db
DL = "LtiDeepLinkingRequest"
ITEMS = "https://purl.imsglobal.org/spec/lti-dl/claim/content_items"


@pytest.fixture
def connected(registration, platform, lesson):
    context = LtiContext.objects.create(deployment=registration.deployments.get(),
                                        id_on_platform=platform.context_id, title="History 101")
    return CourseLink.objects.create(context=context, course=lesson.course)


def _decode(token: str, platform) -> dict:
    header = jwt.get_unverified_header(token)
    key = next(k for k in Key.objects.active() if k.as_jwk()["kid"] == header["kid"])
    public = JWK.from_pem(key.public_key.encode()).export_to_pem()
    return jwt.decode(token, public, algorithms=["RS256"], audience=platform.issuer)


def test_an_instructor_returns_a_quiz_with_a_line_item_and_a_lesson(client, platform,
                                                                    connected, lesson):
    quiz = QuizFactory(lesson=lesson, title="Fox facts")
    QuestionFactory(quiz=quiz, points=3)
    QuestionFactory(quiz=quiz, points=2)
    response = launch(client, platform, sub="prof-1", roles=[INSTRUCTOR], message_type=DL)
    assert response["Location"] == "/lti/deep-link/"
    page = client.get("/lti/deep-link/").content.decode()
    assert "Add Lectio content to your course" in page
    assert f"quiz-{quiz.pk}" in page and f"lesson-{lesson.pk}" in page
    returned = client.post("/lti/deep-link/", {"items": [f"quiz-{quiz.pk}",
                                                         f"lesson-{lesson.pk}"]})
    assert returned.status_code == 200
    body = returned.content.decode()
    assert f'action="{platform.url}/deep-link-return"' in body
    assert platform.url in returned["Content-Security-Policy"].split("form-action")[1]
    token = re.search(r'name="JWT" value="([^"]+)"', body).group(1)
    claims = _decode(token, platform)
    assert claims["iss"] == platform.client_id
    assert claims["https://purl.imsglobal.org/spec/lti/claim/message_type"] == \
        "LtiDeepLinkingResponse"
    assert claims["https://purl.imsglobal.org/spec/lti/claim/deployment_id"] == \
        platform.deployment_id
    assert claims["https://purl.imsglobal.org/spec/lti-dl/claim/data"] == "platform-opaque-data"
    quiz_item, lesson_item = claims[ITEMS]
    assert quiz_item["type"] == "ltiResourceLink"
    assert quiz_item["url"] == "http://testserver/lti/launch/"
    assert quiz_item["custom"] == {"lectio_quiz": str(quiz.pk)}
    assert quiz_item["lineItem"] == {"scoreMaximum": 5.0, "label": "Fox facts",
                                     "resourceId": f"lectio-quiz-{quiz.pk}",
                                     "tag": "lectio-quiz"}
    assert lesson_item["custom"] == {"lectio_lesson": str(lesson.pk)} and \
        "lineItem" not in lesson_item
    # The platform receives it over HTTP, as a browser form post would deliver it.
    requests.post(f"{platform.url}/deep-link-return", data={"JWT": token}, timeout=5)
    assert platform.received[-1].form()["JWT"] == token
    # A student following the platform's new link lands on the quiz; its line item is known.
    client.logout()
    onward = launch(client, platform, sub="learner-1", resource_link="new-link",
                    custom=quiz_item["custom"], lineitem=platform.lineitem_url(7))
    assert onward["Location"] == quiz.get_absolute_url()
    assert quiz.lti_line_items.get().line_item.url == platform.lineitem_url(7)


def test_a_learner_cannot_deep_link_and_gets_no_account(client, platform, connected):
    response = launch(client, platform, sub="learner-1", roles=[LEARNER], message_type=DL)
    assert response.status_code == 403
    assert b"Only instructors choose Lectio content" in response.content
    assert not LtiUser.objects.exists()


def test_deep_linking_in_an_unconnected_course_connects_it_first(client, registration,
                                                                 platform):
    response = launch(client, platform, sub="prof-1", roles=[INSTRUCTOR], message_type=DL)
    assert response["Location"] == "/lti/connect/"
    client.post("/lti/connect/", {"course": "new", "title": "History 101"})
    assert client.get("/lti/continue/")["Location"] == "/lti/deep-link/"
    page = client.get("/lti/deep-link/")
    assert b"has no lessons yet" in page.content


def test_choosing_nothing_gets_a_message_and_returns_nothing(client, platform, connected):
    launch(client, platform, sub="prof-1", roles=[INSTRUCTOR], message_type=DL)
    response = client.post("/lti/deep-link/", {})
    assert response.status_code == 200
    assert b"Choose at least one lesson or quiz." in response.content
    assert b'name="JWT"' not in response.content


def test_the_picker_refuses_a_session_without_a_deep_linking_launch(client, platform,
                                                                    connected):
    launch(client, platform, sub="prof-1", roles=[INSTRUCTOR])  # a resource link launch
    assert client.get("/lti/deep-link/").status_code == 400
