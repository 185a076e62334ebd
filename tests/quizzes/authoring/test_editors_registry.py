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


# What each of the qtypes half's editors writes, per grading setting (twopart's older
# b_requires_a is read, and written as part_b_depends). When grading gains a setting, this
# fails until the editor can express it: otherwise saving an imported question would drop it.
EXPRESSED = {
    "short": {"answers", "case_sensitive"},
    "numeric": {"answers", "feedback_other"},
    "matching": {"pairs", "distractors"},
    "ordering": {"items"},
    "evidence": {"claim", "key", "max_picks", "passages"},
    "twopart": {"part_b", "part_a_weight", "part_b_depends", "b_requires_a", "shuffle"},
    "open": {"min_words", "max_words", "model_answer", "anchors"},
}


def test_the_editors_express_every_setting_their_grading_type_reads():
    for key, settings in EXPRESSED.items():
        assert grading.TYPES[key].config_keys == settings, key
