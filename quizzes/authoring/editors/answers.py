"""Editors for typed answers: short answer (accepted answers with credit) and numeric
(graded answers, each a value with a tolerance or a range). Forms only: no ORM writes."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from django import forms

from ...grading import SHORT_MAX_CHARS
from .base import register
from .rows import RowForm, RowsEditor, RowSpec, credit_field, json_number, percent

FEEDBACK_MAX = 5000

# grading.answers words its messages "Accepted answer <n>...": n is the n-th saved answer.
_ANSWER_N = re.compile(r"^Accepted answer (\d+)\b")


def _feedback_field() -> forms.CharField:
    return forms.CharField(
        label="Feedback (Markdown)", required=False, max_length=FEEDBACK_MAX,
        widget=forms.Textarea(attrs={"rows": 1}),
        help_text="Shown to a student whose answer matched this one, at review.")


def _answer_field(message: str) -> str | None:
    """Which row field a grading message about one accepted answer concerns."""
    if "credit" in message:
        return "credit"
    if "feedback" in message:
        return "feedback"
    if "tolerance" in message:
        return "tolerance"
    if "min and max" in message or "min is larger" in message:
        return "max" if "larger" in message else "min"
    if "value must" in message:
        return "value"
    if "text" in message or "longer than" in message or "punctuation" in message:
        return "text"
    return None


class _AnswersEditor(RowsEditor):
    """Shared by both: add_problems puts "Accepted answer n" messages on row n."""

    def add_problems(self, messages: Sequence[str]) -> None:
        rows = self.rowsets["answers"]
        for message in messages:
            match = _ANSWER_N.match(message)
            if match:
                rows.add_row_error(int(match.group(1)), _answer_field(message), message)
            elif "case_sensitive" in message:
                self.settings_error("case_sensitive", message)
            elif "any other number" in message:
                self.settings_error("feedback_other", message)
            elif "accepted answer" in message or "full credit" in message:
                rows.errors.append(message)
            else:
                self.problems.append(message)


class ShortAnswerRow(RowForm):
    blank_fields = ("text", "feedback")
    required_messages = {"text": "Type the accepted answer, or empty the whole row."}
    columns = {"text": "col-md-5", "credit": "col-md-2", "feedback": "col-md-5"}

    text = forms.CharField(
        label="Accepted answer", required=False, max_length=SHORT_MAX_CHARS,
        help_text="A * matches any run of characters: “*road” accepts “belt and road”.")
    credit = credit_field()
    feedback = _feedback_field()


class ShortAnswerSettings(forms.Form):
    case_sensitive = forms.BooleanField(
        label="Case sensitive", required=False,
        help_text="Off: “Putin” and “putin” are the same answer. Punctuation, curly quotes "
                  "and extra spaces never count.")


@register
class ShortAnswerEditor(_AnswersEditor):
    """Accepted answers as rows (text, credit %, feedback) and case sensitivity."""

    type_key = "short"
    template_name = "quizzes/authoring/editors/short.html"
    settings_form = ShortAnswerSettings
    row_specs = {"answers": RowSpec(ShortAnswerRow, "accepted answer", min_rows=2)}

    def initial_values(self) -> dict[str, Any]:
        config = self.question.config or {}
        return {
            "settings": {"case_sensitive": bool(config.get("case_sensitive", False))},
            "answers": [{"text": a.get("text", ""), "credit": percent(a.get("fraction")),
                         "feedback": a.get("feedback", "")}
                        for a in config.get("answers", ()) if isinstance(a, dict)],
        }

    def config(self) -> dict[str, Any]:
        answers = []
        for row in self.rowsets["answers"].filled():
            data = row.form.cleaned_data
            credit = data["credit"] if data["credit"] is not None else 100
            answer: dict[str, Any] = {"text": data["text"].strip(),
                                      "fraction": float(credit / 100)}
            if data["feedback"].strip():
                answer["feedback"] = data["feedback"].strip()
            answers.append(answer)
        return {"answers": answers, "case_sensitive": self.cleaned["case_sensitive"]}


class NumericRow(RowForm):
    MODES = [("value", "Value ± tolerance"), ("range", "Range from min to max")]

    blank_fields = ("value", "tolerance", "min", "max")
    columns = {"mode": "col-md-3", "value": "col-md-2", "tolerance": "col-md-2",
               "min": "col-md-2", "max": "col-md-2", "credit": "col-md-1",
               "feedback": "col-md-12"}

    mode = forms.ChoiceField(
        label="Match", choices=MODES, initial="value",
        help_text="A value with an allowed error, or every number between two bounds.")
    value = forms.FloatField(label="Value", required=False)
    tolerance = forms.FloatField(
        label="Tolerance (±)", required=False,
        help_text="Empty or 0: exactly the value.")
    min = forms.FloatField(label="Min", required=False, help_text="Inclusive.")
    max = forms.FloatField(label="Max", required=False, help_text="Inclusive.")
    credit = credit_field()
    feedback = _feedback_field()

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if cleaned.get("mode") == "range":
            for name in ("min", "max"):
                if cleaned.get(name) is None and name not in self.errors:
                    self.add_error(name, f"Give the range's {name}, or choose a value match.")
            if cleaned.get("value") is not None or cleaned.get("tolerance") is not None:
                self.add_error("value", "A range uses min and max: empty the value and "
                                        "tolerance, or choose “Value ± tolerance”.")
        elif cleaned.get("mode") == "value":
            if cleaned.get("value") is None and "value" not in self.errors:
                self.add_error("value", "Give the value, or choose a range.")
            if cleaned.get("min") is not None or cleaned.get("max") is not None:
                self.add_error("min", "A value match uses value and tolerance: empty min and "
                                      "max, or choose “Range from min to max”.")
        return cleaned


class NumericSettings(forms.Form):
    feedback_other = forms.CharField(
        label="Feedback for any other number (Markdown)", required=False,
        max_length=FEEDBACK_MAX, widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Shown at review to a student whose number matched no graded answer.")


@register
class NumericEditor(_AnswersEditor):
    """Several graded answers, each a value ± tolerance or a range, with credit and feedback;
    and feedback for a number that matches none."""

    type_key = "numeric"
    template_name = "quizzes/authoring/editors/numeric.html"
    settings_form = NumericSettings
    row_specs = {"answers": RowSpec(NumericRow, "graded answer", blank_rows=1)}

    def initial_values(self) -> dict[str, Any]:
        feedback_other = (self.question.config or {}).get("feedback_other", "")
        rows = []
        for a in (self.question.config or {}).get("answers", ()):
            if not isinstance(a, dict):
                continue
            mode = "range" if "min" in a or "max" in a else "value"
            rows.append({"mode": mode, "value": a.get("value"), "tolerance": a.get("tolerance"),
                         "min": a.get("min"), "max": a.get("max"),
                         "credit": percent(a.get("fraction")),
                         "feedback": a.get("feedback", "")})
        return {"answers": rows, "settings": {"feedback_other": feedback_other}}

    def config(self) -> dict[str, Any]:
        answers = []
        for row in self.rowsets["answers"].filled():
            data = row.form.cleaned_data
            if data["mode"] == "range":
                answer: dict[str, Any] = {"min": json_number(data["min"]),
                                          "max": json_number(data["max"])}
            else:
                answer = {"value": json_number(data["value"])}
                if data["tolerance"]:
                    answer["tolerance"] = json_number(data["tolerance"])
            credit = data["credit"] if data["credit"] is not None else 100
            answer["fraction"] = float(credit / 100)
            if data["feedback"].strip():
                answer["feedback"] = data["feedback"].strip()
            answers.append(answer)
        config: dict[str, Any] = {"answers": answers}
        if self.cleaned["feedback_other"].strip():
            config["feedback_other"] = self.cleaned["feedback_other"].strip()
        return config
