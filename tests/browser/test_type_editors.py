"""The type editors' markup in a real browser: axe finds nothing in any editor, blank, with
every kind of error showing, and after a row button, with the site's own CSS.

The editors are parts of the question page (the authoring views place them in a form); the
page test drives them end to end, this one checks each editor's states on its own.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string

from quizzes import grading
from quizzes.authoring.editors import editor_for
from tests.factories import PassageFactory, ReadingFactory
from tests.quizzes.authoring.editor_form import posted, spec_of

from .conftest import assert_accessible

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
