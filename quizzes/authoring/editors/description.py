"""The editor for a description (text only): it has no settings of its own."""

from __future__ import annotations

from typing import Any

from .base import TypeEditor, register


@register
class DescriptionEditor(TypeEditor):
    """Nothing to fill in: the prompt is the description, and its points must be 0 (grading's
    check_config says so, and `add_problems` shows that message above the editor)."""

    type_key = "description"
    template_name = "quizzes/authoring/editors/description.html"

    def is_valid(self) -> bool:
        """Always True: there is no field that could be malformed."""
        return True

    def config(self) -> dict[str, Any]:
        """A description has no settings."""
        return {}
