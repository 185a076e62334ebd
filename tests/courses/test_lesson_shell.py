"""The lesson page is rendered once per version and filled in per reader (courses/shell.py).

Whatever belongs to one reader (name, CSRF token, progress, quiz links, messages) must never
reach another, and a page served from the shell must equal a freshly rendered one.
"""

from __future__ import annotations

import re

import pytest
from django.core.cache import caches
from django.test import Client

from courses import shell
from courses.models import ReadingProgress, Role
from tests.factories import AnnotationFactory, EnrollmentFactory, UserFactory

pytestmark = pytest.mark.django_db

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def _reader(course, username, *, first_name="", staff=False):
    user = UserFactory(username=username, first_name=first_name, last_name="",
                       is_staff=staff)
    EnrollmentFactory(course=course, user=user, role=Role.STUDENT)
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    return user, client


def _templates(response) -> set[str]:
    return {t.name for t in response.templates}


def test_the_second_reader_gets_the_shell_with_their_own_values(course, lesson):
    ann, ann_client = _reader(course, "ann", first_name="Annabel")
    bob, bob_client = _reader(course, "bob", first_name="Bob")
    ReadingProgress.objects.create(user=bob, lesson=lesson, passages_seen=[1])

    first = ann_client.get(lesson.get_absolute_url())
    second = bob_client.get(lesson.get_absolute_url())
    assert "courses/lesson_detail.html" in _templates(first)
    assert "courses/lesson_detail.html" not in _templates(second)  # served from the shell

    ann_page, bob_page = first.content.decode(), second.content.decode()
    assert "Signed in as <strong>Annabel</strong>" in ann_page
    assert "Signed in as <strong>Bob</strong>" in bob_page
    assert "Annabel" not in bob_page
    assert '<span id="progress-text">0% read</span>' in ann_page
    assert '<span id="progress-text">33% read</span>' in bob_page
    assert "lectio-slot-" not in ann_page + bob_page


def test_a_shell_page_equals_a_fresh_rendering_but_for_the_csrf_token(course, lesson, student):
    client = Client()
    client.force_login(student)
    fresh = client.get(lesson.get_absolute_url()).content.decode()
    served = client.get(lesson.get_absolute_url()).content.decode()
    assert TOKEN.sub("", fresh) == TOKEN.sub("", served)
    caches["fragments"].clear()
    again = client.get(lesson.get_absolute_url()).content.decode()
    assert TOKEN.sub("", again) == TOKEN.sub("", served)


def test_each_reader_gets_a_csrf_token_that_works_for_them(course, lesson):
    _, ann_client = _reader(course, "ann")
    bob, bob_client = _reader(course, "bob")
    ann_client.get(lesson.get_absolute_url())
    page = bob_client.get(lesson.get_absolute_url()).content.decode()
    token = TOKEN.search(page).group(1)
    progress_url = f"{lesson.get_absolute_url()}progress/"
    response = bob_client.post(progress_url, {"upto": "3", "csrfmiddlewaretoken": token})
    assert response.status_code == 302
    assert ReadingProgress.objects.get(user=bob).completed_at is not None
    # The message it left is shown once, on the next page, then gone.
    shown = bob_client.get(lesson.get_absolute_url()).content.decode()
    assert "Progress saved." in shown
    assert '<span id="progress-text">complete</span>' in shown
    assert "Progress saved." not in bob_client.get(lesson.get_absolute_url()).content.decode()


def test_staff_and_other_readers_get_their_own_navigation(course, lesson):
    _, staff_client = _reader(course, "editor", staff=True)
    _, member_client = _reader(course, "member")
    assert "Upload a reading" in staff_client.get(lesson.get_absolute_url()).content.decode()
    assert "Upload a reading" not in member_client.get(
        lesson.get_absolute_url()).content.decode()
    assert "Upload a reading" in staff_client.get(lesson.get_absolute_url()).content.decode()


def test_slot_values_are_escaped(course, lesson):
    _reader(course, "first")[1].get(lesson.get_absolute_url())
    _, client = _reader(course, "mallory", first_name="<script>alert(1)</script>")
    page = client.get(lesson.get_absolute_url()).content.decode()
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_text_that_looks_like_a_slot_marker_stays_text(course, lesson, student):
    passage = lesson.reading.passages.get(order=1)
    AnnotationFactory(passage=passage, quote="fox", title="lectio-slot-0000-user_name",
                      body="lectio-slot-abc-progress")
    client = Client()
    client.force_login(student)
    client.get(lesson.get_absolute_url())
    page = client.get(lesson.get_absolute_url()).content.decode()
    assert "lectio-slot-0000-user_name" in page
    assert "lectio-slot-abc-progress" in page


def test_display_name_matches_the_navigation_rule():
    assert shell.display_name(UserFactory.build(username="u", first_name="A",
                                                last_name="B")) == "A B"
    assert shell.display_name(UserFactory.build(username="u", first_name="",
                                                last_name="")) == "u"


def test_lesson_next_html_escapes_every_part_and_is_empty_without_links():
    from types import SimpleNamespace

    from courses.rendering import lesson_next_html

    assert lesson_next_html([]) == ""
    html = lesson_next_html([
        SimpleNamespace(url="/q/1/?a=1&b=2", label="<b>Quiz</b>", detail=""),
        SimpleNamespace(url="/q/2/", label="Second", detail="2 attempts <made>"),
    ])
    assert ('<a class="btn btn-primary" href="/q/1/?a=1&amp;b=2">'
            '&lt;b&gt;Quiz&lt;/b&gt;</a></li>') in html
    assert '<span class="ms-2">2 attempts &lt;made&gt;</span>' in html
    assert html.count("<li ") == 2
    assert html.startswith('<section class="lesson-next" aria-labelledby="next-heading">')
