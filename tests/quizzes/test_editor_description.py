"""The description editor: nothing to fill in, and grading refuses points on it."""

from __future__ import annotations

from django.template.loader import render_to_string

from quizzes import grading
from quizzes.authoring.editors import editor_for


def test_description_editor_saves_no_settings_and_shows_grading_messages():
    editor = editor_for("description")({"type-anything": "x"})
    assert editor.is_valid() and editor.config() == {} and editor.choices() == []
    spec = grading.QuestionSpec("description", 2, (), editor.config())
    editor.add_problems(grading.check_config(spec))
    html = render_to_string(editor.template_name, {"editor": editor})
    assert "its points must be 0" in html
    assert "it asks nothing" in html
