"""Core and go-deeper notes: what the lesson page shows first, the editor, and load_demo
bringing an earlier demo's notes up to date without undoing staff edits."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from courses.models import Annotation, Lesson
from tests.factories import AnnotationFactory

pytestmark = pytest.mark.django_db


def _page(client, user, lesson) -> str:
    client.force_login(user)
    return client.get(lesson.get_absolute_url()).content.decode()


def test_core_notes_are_marked_and_go_deeper_ones_wait_behind_the_toggle(client, student,
                                                                         lesson):
    first = lesson.reading.passages.get(order=1)
    core = AnnotationFactory(passage=first, quote="fox", title="Core fox")
    deeper = AnnotationFactory(passage=first, quote="runs", title="Deeper runs",
                               kind="context", depth="deeper")
    html = _page(client, student, lesson)
    assert f'href="#note-{core.pk}" id="ref-{core.pk}" class="anno anno-glossary"' in html
    # The go-deeper note is plain text in the passage, with a target for "Back to the text".
    assert f'<span class="deeper-span" id="ref-{deeper.pk}"' in html
    assert f'href="#note-{deeper.pk}"' not in html
    notes, deeper_list = html.split('<details class="go-deeper" id="deeper-notes">')
    assert f'id="note-{core.pk}"' in notes and f'id="note-{deeper.pk}"' not in notes
    assert "Go deeper: 1 more note on background and history</summary>" in deeper_list
    assert f'id="note-{deeper.pk}"' in deeper_list
    # The go-deeper list numbers on from the core notes.
    assert '<ol class="notes" start="2">' in deeper_list
    assert 'id="deeper-toggle" aria-pressed="false" hidden' in html


def test_a_lesson_without_go_deeper_notes_has_no_toggle(client, student, lesson):
    AnnotationFactory(passage=lesson.reading.passages.get(order=1), quote="fox")
    html = _page(client, student, lesson)
    assert "deeper-toggle" not in html and "go-deeper" not in html


def test_instructors_choose_the_depth_when_adding_and_editing(client, instructor, lesson):
    client.force_login(instructor)
    url = reverse("courses:note-create", args=[lesson.course.slug, lesson.slug])
    client.post(url, {"passage": "1", "quote": "fox", "occurrence": "1", "kind": "context",
                      "title": "", "body": "Background.", "audience": "everyone",
                      "depth": "deeper"})
    note = Annotation.objects.get()
    assert note.depth == "deeper"
    edit = reverse("courses:note-edit", args=[lesson.course.slug, lesson.slug, note.pk])
    client.post(edit, {"quote": "fox", "occurrence": "1", "kind": "context", "title": "",
                       "body": "Background.", "audience": "everyone", "depth": "core"})
    note.refresh_from_db()
    assert note.depth == "core"
    response = client.post(url, {"passage": "1", "quote": "fox", "occurrence": "1",
                                 "kind": "context", "body": "x", "audience": "everyone",
                                 "depth": "sideways"}, follow=True)
    assert "not one of the available choices" in response.content.decode()
    assert Annotation.objects.count() == 1


def _seed_note(title: str) -> Annotation:
    return Annotation.objects.get(lesson__slug="sino-russian-relations", title=title)


def _as_if_loaded_long_ago(*notes: Annotation) -> None:
    past = timezone.now() - timedelta(days=30)
    Annotation.objects.filter(pk__in=[n.pk for n in notes]).update(created_at=past,
                                                                  updated_at=past)


def test_load_demo_updates_untouched_seed_notes_and_keeps_edited_ones(capsys):
    call_command("load_demo")
    count = Annotation.objects.count()
    rand, council = _seed_note("RAND"), _seed_note("The U.N. Human Rights Council")
    # An earlier seed's wording, loaded a month ago; staff then rewrote the council note.
    Annotation.objects.filter(pk=rand.pk).update(body="An earlier seed's RAND note.",
                                                 depth="core")
    Annotation.objects.filter(pk=council.pk).update(body="Our own council note.")
    _as_if_loaded_long_ago(rand, council)
    Annotation.objects.filter(pk=council.pk).update(updated_at=timezone.now())
    # A note from an earlier seed that this seed no longer has, and one the seed added since.
    gone = Annotation.objects.create(
        lesson=rand.lesson, passage=rand.passage, kind="context", body="Dropped.",
        quote="A RAND", start=0, end=6)
    _as_if_loaded_long_ago(gone)
    _seed_note("Vocabulary: opprobrium").delete()

    call_command("load_demo")
    rand.refresh_from_db()
    council.refresh_from_db()
    assert "Dobbins, Shatz and Wyne" in rand.body
    assert council.body == "Our own council note."
    assert not Annotation.objects.filter(pk=gone.pk).exists()
    assert _seed_note("Vocabulary: opprobrium").depth == "core"
    assert Annotation.objects.count() == count
    call_command("load_demo")
    assert Annotation.objects.count() == count
    assert _seed_note("RAND").body == rand.body


def test_staff_notes_survive_load_demo(instructor):
    call_command("load_demo")
    lesson = Lesson.objects.get(slug="sino-russian-relations")
    ours = AnnotationFactory(passage=lesson.reading.passages.get(order=1), lesson=lesson,
                             quote="White House", author=instructor, body="Ours.")
    call_command("load_demo")
    assert Annotation.objects.filter(pk=ours.pk, body="Ours.").exists()
