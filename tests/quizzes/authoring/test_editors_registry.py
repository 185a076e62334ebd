"""Every grading type has exactly one type editor, and every editor is for a grading type."""

from __future__ import annotations

from quizzes import grading
from quizzes.authoring.editors import EDITORS, editor_for

# The qtypes half's editors; the choice editors (single, multiple, truefalse) come from the
# authoring half. Until those are registered this checks these types only.
QTYPES = {"short", "numeric", "matching", "ordering", "evidence", "twopart", "open"}


def test_every_editor_is_for_a_grading_type_and_names_its_template():
    assert set(EDITORS) <= set(grading.TYPE_KEYS)
    for key, editor in EDITORS.items():
        assert editor.type_key == key
        assert editor.template_name == f"quizzes/authoring/editors/{key}.html"


def test_the_answer_arrange_evidence_and_open_types_have_editors():
    assert set(EDITORS) >= QTYPES
    for key in QTYPES:
        assert editor_for(key).type_key == key
