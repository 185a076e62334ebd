"""Every grading type has exactly one type editor, and every editor is for a grading type."""

from __future__ import annotations

from quizzes import grading
from quizzes.authoring.editors import EDITORS, editor_for


def test_every_grading_type_has_an_editor_and_every_editor_is_for_a_grading_type():
    assert set(EDITORS) == set(grading.TYPE_KEYS)
    for key in grading.TYPE_KEYS:
        editor = editor_for(key)
        assert editor.type_key == key
        assert editor.template_name == f"quizzes/authoring/editors/{key}.html"
