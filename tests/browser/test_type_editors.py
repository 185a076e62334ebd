"""The type editors in a real browser: axe finds nothing in any editor, blank, with every
kind of error showing, and after a row button, with the site's own CSS; and on the real
question page, by keyboard alone, a row moves with its button keeping focus, and evidence is
ticked on the reading.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from playwright.sync_api import expect

from courses.models import Role
from quizzes import grading
from quizzes.authoring.editors import editor_for
from tests.factories import (
    PASSWORD,
    EnrollmentFactory,
    LessonFactory,
    PassageFactory,
    QuestionFactory,
    QuizFactory,
    ReadingFactory,
    UserFactory,
)
from tests.quizzes.authoring.editor_form import posted, spec_of

from .conftest import assert_accessible, log_in

pytestmark = pytest.mark.django_db

QTYPES = ("short", "numeric", "matching", "ordering", "evidence", "twopart", "open")


def _page(editor) -> str:
    css = "".join(Path(finders.find(name)).read_text()
                  for name in ("bootstrap/css/bootstrap.min.css", "css/lectio.css"))
    body = render_to_string(editor.template_name, {"editor": editor})
    return (f'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Edit '
            f'question</title><style>{css}</style></head><body><main class="container">'
            f'<h1>Edit question</h1><form method="post">{body}<button type="submit">Save'
            f'</button></form></main></body></html>')


@pytest.fixture
def passages():
    reading = ReadingFactory()
    return [PassageFactory(reading=reading, order=n, text=f"Passage text {n}.")
            for n in range(1, 4)]


def _states(key, passages):
    editor_class = editor_for(key)
    blank = editor_class(passages=passages)
    yield "blank", blank
    # Saving an empty form: grading's messages show, mapped to fields, lists or the top.
    saved = editor_class(posted(blank), passages=passages)
    assert saved.is_valid()
    saved.add_problems([*grading.check_config(spec_of(saved)), "A message for no field."])
    yield "grading messages", saved
    # Malformed fields: the first row's first field is too long and the others hold junk,
    # so number, choice and length errors all show; so do the number settings'.
    junk = {name: "!!" for name in (saved.settings.fields if saved.settings else ())
            if name.endswith(("words", "picks", "weight"))}
    junk = {f"{blank.prefix}-{name}": value for name, value in junk.items()}
    rows = next(iter(blank.rowsets.values()), None)
    if rows is not None:
        form = rows.rows[0].form
        junk.update({form.add_prefix(name): "!!" for name in list(form.fields)[1:]})
        junk[form.add_prefix(next(iter(form.fields)))] = "x" * 6000  # longer than any limit
    bad = editor_class(posted(blank, **junk), passages=passages)
    assert not bad.is_valid()
    yield "field errors", bad
    if rows is not None:
        yield "after a button", editor_class(posted(blank, rows.add_name), passages=passages)


@pytest.mark.parametrize("key", QTYPES)
def test_type_editor_has_no_axe_violations_in_any_state(browser, passages, key):
    context = browser.new_context()
    try:
        page = context.new_page()
        for state, editor in _states(key, passages):
            page.set_content(_page(editor))
            try:
                assert_accessible(page)
            except AssertionError as exc:
                raise AssertionError(f"{key} editor, {state}: {exc}") from None
    finally:
        context.close()


def _question(passages, **fields):
    """A question in a quiz of a lesson on `passages`' reading, and its instructor."""
    lesson = LessonFactory(reading=passages[0].reading)
    instructor = UserFactory(username="author")
    EnrollmentFactory(course=lesson.course, user=instructor, role=Role.INSTRUCTOR)
    return QuestionFactory(quiz=QuizFactory(lesson=lesson), **fields), instructor


def _press(page, key: str, target=None) -> None:
    """Focus `target` (if given) and press `key`, waiting for the page the POST returns."""
    if target is not None:
        target.focus()
    with page.expect_navigation():
        page.keyboard.press(key)


def _focused(page, attribute: str) -> str:
    return page.evaluate(f"document.activeElement.getAttribute('{attribute}')") or ""


@pytest.mark.django_db(transaction=True)
def test_keyboard_moves_an_ordering_item_and_focus_stays_on_it(page, passages):
    question, instructor = _question(passages, type="ordering",
                                     config={"items": ["first", "second", "third"]})
    log_in(page, instructor.username, PASSWORD, check=False)
    page.goto(f"/quizzes/questions/{question.pk}/")
    assert_accessible(page)
    _press(page, "Enter", page.get_by_role("button", name="Move down item 1"))
    expect(page.get_by_label("Item").first).to_have_value("second")
    # The moved item (now item 2) keeps focus, on the same kind of button.
    assert _focused(page, "name") == "type-items-move-1-down"
    assert_accessible(page)
    page.keyboard.press("Shift+Tab")  # from "Move down item 2" back to "Move up item 2"
    assert _focused(page, "name") == "type-items-move-1-up"
    _press(page, "Enter")
    assert _focused(page, "name") == "type-items-move-0-down"  # item 1 has no "up"
    _press(page, "Enter", page.get_by_role("button", name="Move down item 2"))
    _press(page, "Enter", page.get_by_role("button", name="Save the question"))
    assert f"/quizzes/{question.quiz_id}/questions/" in page.url  # saved: back to the list
    question.refresh_from_db()
    assert question.config == {"items": ["first", "third", "second"]}


@pytest.mark.django_db(transaction=True)
def test_keyboard_ticks_key_passages_on_the_reading(page, passages):
    question, instructor = _question(passages, type="evidence", config={"key": [1]})
    log_in(page, instructor.username, PASSWORD, check=False)
    page.goto(f"/quizzes/questions/{question.pk}/")
    assert_accessible(page)
    passage_3 = page.get_by_role("group", name="Passage 3")
    expect(passage_3).to_contain_text("Passage text 3.")
    for name in ("In the key (passage 1)", "In the key (passage 3)"):
        page.get_by_role("checkbox", name=name).focus()
        page.keyboard.press("Space")
    expect(page.get_by_role("checkbox", name="In the key (passage 3)")).to_be_checked()
    page.get_by_label("Most passages a student may pick").focus()
    page.keyboard.type("2")
    _press(page, "Enter")  # Enter in a field saves: the form's first button is Save
    assert f"/quizzes/{question.quiz_id}/questions/" in page.url
    question.refresh_from_db()
    assert question.config == {"key": [3], "max_picks": 2}
