"""Editors for arranging questions: matching (prompt -> answer pairs plus distractors) and
ordering (the items in their right order, moved with up/down buttons). Forms only."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from django import forms

from .base import register
from .rows import RowForm, RowsEditor, RowSpec

TEXT_MAX = 500
_PAIR_N = re.compile(r"^Pair (\d+)\b")


class PairRow(RowForm):
    blank_fields = ("prompt", "answer")
    required_messages = {"prompt": "Give the prompt for this answer, or empty the row.",
                         "answer": "Give the answer for this prompt, or empty the row."}
    columns = {"prompt": "col-md-6", "answer": "col-md-6"}

    prompt = forms.CharField(label="Prompt", required=False, max_length=TEXT_MAX,
                             help_text="What the student sees on the left.")
    answer = forms.CharField(label="Matching answer", required=False, max_length=TEXT_MAX,
                             help_text="The one answer that belongs to this prompt.")


class DistractorRow(RowForm):
    blank_fields = ("text",)

    text = forms.CharField(label="Wrong answer", required=False, max_length=TEXT_MAX,
                           help_text="Offered with the answers, matches no prompt.")


@register
class MatchingEditor(RowsEditor):
    """Pairs (prompt -> answer) as rows, plus distractor answers that match nothing."""

    type_key = "matching"
    template_name = "quizzes/authoring/editors/matching.html"
    row_specs = {
        "pairs": RowSpec(PairRow, "pair", min_rows=3),
        "distractors": RowSpec(DistractorRow, "distractor", min_rows=1),
    }

    def initial_values(self) -> dict[str, Any]:
        config = self.question.config or {}
        return {
            "pairs": [{"prompt": p.get("prompt", ""), "answer": p.get("answer", "")}
                      for p in config.get("pairs", ()) if isinstance(p, dict)],
            "distractors": [{"text": d} for d in config.get("distractors", ())
                            if isinstance(d, str)],
        }

    def config(self) -> dict[str, Any]:
        pairs = [{"prompt": r.form.cleaned_data["prompt"].strip(),
                  "answer": r.form.cleaned_data["answer"].strip()}
                 for r in self.rowsets["pairs"].filled()]
        config: dict[str, Any] = {"pairs": pairs}
        distractors = [r.form.cleaned_data["text"].strip()
                       for r in self.rowsets["distractors"].filled()]
        if distractors:
            config["distractors"] = distractors
        return config

    def add_problems(self, messages: Sequence[str]) -> None:
        for message in messages:
            match = _PAIR_N.match(message)
            if match:
                field = "prompt" if "repeats the prompt" in message else None
                self.rowsets["pairs"].add_row_error(int(match.group(1)), field, message)
            elif "pairs" in message:
                self.rowsets["pairs"].errors.append(message)
            elif "Distractors" in message:
                self.rowsets["distractors"].errors.append(message)
            else:
                self.problems.append(message)


class ItemRow(RowForm):
    blank_fields = ("text",)

    text = forms.CharField(label="Item", required=False, max_length=TEXT_MAX)


@register
class OrderingEditor(RowsEditor):
    """The items in their right order; students see them shuffled."""

    type_key = "ordering"
    template_name = "quizzes/authoring/editors/ordering.html"
    row_specs = {"items": RowSpec(ItemRow, "item", movable=True, min_rows=4)}

    def initial_values(self) -> dict[str, Any]:
        items = (self.question.config or {}).get("items", ())
        return {"items": [{"text": i} for i in items if isinstance(i, str)]}

    def config(self) -> dict[str, Any]:
        return {"items": [r.form.cleaned_data["text"].strip()
                          for r in self.rowsets["items"].filled()]}

    def add_problems(self, messages: Sequence[str]) -> None:
        items = self.rowsets["items"]
        for message in messages:
            if "same text" in message:
                self._mark_duplicates(message)
            elif "item" in message:
                items.errors.append(message)
            else:
                self.problems.append(message)

    def _mark_duplicates(self, message: str) -> None:
        # Grading says two items collide, not which: name the rows so they can be found.
        seen: dict[str, int] = {}
        for row in self.rowsets["items"].filled():
            text = row.form.cleaned_data["text"].strip()
            if text in seen:
                row.form.add_error("text", f"Same text as item {seen[text]}: {message}")
            else:
                seen[text] = row.number
