"""Editors for choice questions: one answer (single), all that apply (multiple, with
penalties) and true/false. Forms only: no ORM writes.

Credit is chosen from the standard fractions (100 %, 50 %, 33.33 %...) rather than typed, so
that the weights of a multiple-response question can add up to exactly 100 %; a stored
credit outside the list (from an import) is offered too, so editing never changes it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from decimal import Decimal
from fractions import Fraction
from typing import Any

from django import forms

from ...interop.drafts import ChoiceDraft
from .base import register
from .rows import RowForm, RowsEditor, RowSpec

TEXT_MAX = 2000
FEEDBACK_MAX = 5000
PLACES = Decimal("0.0000001")  # as Choice.fraction stores it
STANDARD = [Fraction(1), Fraction(9, 10), Fraction(5, 6), Fraction(4, 5), Fraction(3, 4),
            Fraction(7, 10), Fraction(2, 3), Fraction(3, 5), Fraction(1, 2), Fraction(2, 5),
            Fraction(1, 3), Fraction(3, 10), Fraction(1, 4), Fraction(1, 5), Fraction(1, 6),
            Fraction(1, 7), Fraction(1, 8), Fraction(1, 9), Fraction(1, 10), Fraction(1, 20)]

# grading.choice words its messages "Choice <n>...": n is the n-th saved (filled) row.
_CHOICE_N = re.compile(r"^Choice (\d+)\b")


def _value(fraction: Fraction | Decimal | float) -> str:
    """A credit as the select's value: the fraction with Choice.fraction's 7 places."""
    return str(Decimal(str(float(fraction))).quantize(PLACES).normalize() + 0)


def _label(fraction: Fraction | Decimal | float) -> str:
    percent = float(fraction) * 100
    text = f"{abs(percent):.2f}".rstrip("0").rstrip(".")
    return f"−{text} % (penalty)" if percent < 0 else f"{text} %"


def _fraction(value: Any) -> Decimal | None:
    """`value` as a credit Choice.fraction can store (-1 to 1, 7 places), else None."""
    try:
        number = Decimal(str(value))
    except (ArithmeticError, ValueError):
        return None
    if not number.is_finite() or abs(number) > 1 or number != number.quantize(PLACES):
        return None
    return number


def credit_choices(*, penalties: bool) -> list[tuple[str, str]]:
    positive = [(_value(f), _label(f)) for f in STANDARD]
    zero = [(_value(0), "0 % (wrong)")]
    negative = [(_value(-f), _label(-f)) for f in reversed(STANDARD)] if penalties else []
    return positive + zero + negative


class ChoiceRow(RowForm):
    """One option: its text, its credit and the feedback a student who picks it sees."""

    penalties = False
    blank_fields = ("text", "feedback")
    required_messages = {"text": "Type the choice, or empty the whole row."}
    columns = {"text": "col-md-5", "credit": "col-md-2", "feedback": "col-md-5"}

    text = forms.CharField(label="Choice", required=False, max_length=TEXT_MAX,
                           widget=forms.Textarea(attrs={"rows": 1}))
    credit = forms.ChoiceField(label="Credit", required=False)
    feedback = forms.CharField(
        label="Feedback (Markdown)", required=False, max_length=FEEDBACK_MAX,
        widget=forms.Textarea(attrs={"rows": 1}),
        help_text="Shown at review to a student who chose it.")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = credit_choices(penalties=self.penalties)
        current = (self.data.get(self.add_prefix("credit")) if self.is_bound
                   else self.initial.get("credit"))
        if _fraction(current) is not None and current not in dict(choices):
            # A credit from an import: offered as it is, so saving the form keeps it
            # (grading still checks its range for the question's type).
            choices.append((current, f"{_label(Decimal(current))} (as imported)"))
        self.fields["credit"].choices = choices
        self.fields["credit"].initial = _value(0)
        self.fields["credit"].help_text = (
            "Of the question's points. A wrong choice is 0 %." if not self.penalties else
            "Right choices' credits add up to 100 %; a penalty takes points off.")
        self.fields["credit"].error_messages["invalid_choice"] = (
            "Choose a credit from the list.")


class MultipleChoiceRow(ChoiceRow):
    penalties = True


class ShuffleSettings(forms.Form):
    shuffle = forms.BooleanField(
        label="Shuffle the choices", required=False, initial=True,
        help_text="Each student sees the choices in their own order (when the quiz "
                  "shuffles choices). Untick for “All of the above” and the like.")


class _ChoiceEditor(RowsEditor):
    """Choices as rows (text, credit, feedback) and whether to shuffle them."""

    settings_form = ShuffleSettings
    row_form: type[ChoiceRow] = ChoiceRow

    def initial_values(self) -> dict[str, Any]:
        return {
            "settings": {"shuffle": bool((self.question.config or {}).get("shuffle", True))},
            "choices": [{"text": c.text, "credit": _value(c.fraction),
                         "feedback": c.feedback}
                        for c in self.question.choices.order_by("position", "pk")],
        }

    def config(self) -> dict[str, Any]:
        return {"shuffle": self.cleaned["shuffle"]}

    def choices(self) -> list[ChoiceDraft]:
        drafts = []
        for row in self.rowsets["choices"].filled():
            data = row.form.cleaned_data
            drafts.append(ChoiceDraft(text=data["text"].strip(),
                                      fraction=float(Decimal(data["credit"] or "0")),
                                      feedback=data["feedback"].strip()))
        return drafts

    def add_problems(self, messages: Sequence[str]) -> None:
        rows = self.rowsets["choices"]
        for message in messages:
            match = _CHOICE_N.match(message)
            if match:
                field = ("credit" if "credit" in message else
                         "feedback" if "feedback" in message else "text")
                rows.add_row_error(int(match.group(1)), field, message)
            elif "shuffle" in message:
                self.settings_error("shuffle", message)
            elif "choice" in message or "weight" in message:
                rows.errors.append(message)
            else:
                self.problems.append(message)


@register
class SingleChoiceEditor(_ChoiceEditor):
    type_key = "single"
    template_name = "quizzes/authoring/editors/single.html"
    row_specs = {"choices": RowSpec(ChoiceRow, "choice", blank_rows=2, min_rows=4)}


@register
class MultipleResponseEditor(_ChoiceEditor):
    type_key = "multiple"
    template_name = "quizzes/authoring/editors/multiple.html"
    row_specs = {"choices": RowSpec(MultipleChoiceRow, "choice", blank_rows=2, min_rows=4)}


class TrueFalseSettings(forms.Form):
    answer = forms.TypedChoiceField(
        label="The statement is", widget=forms.RadioSelect, required=False,
        choices=[("true", "True"), ("false", "False")],
        coerce=lambda value: value == "true", empty_value=None)
    feedback_true = forms.CharField(
        label="Feedback for “True” (Markdown)", required=False, max_length=FEEDBACK_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Shown at review to a student who answered True.")
    feedback_false = forms.CharField(
        label="Feedback for “False” (Markdown)", required=False, max_length=FEEDBACK_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Shown at review to a student who answered False.")


@register
class TrueFalseEditor(RowsEditor):
    """The right answer, and feedback for each answer."""

    type_key = "truefalse"
    template_name = "quizzes/authoring/editors/truefalse.html"
    settings_form = TrueFalseSettings

    def initial_values(self) -> dict[str, Any]:
        config = self.question.config or {}
        answer = config.get("answer")
        return {"settings": {
            "answer": "" if not isinstance(answer, bool) else "true" if answer else "false",
            "feedback_true": config.get("feedback_true", ""),
            "feedback_false": config.get("feedback_false", ""),
        }}

    def config(self) -> dict[str, Any]:
        config: dict[str, Any] = {"answer": self.cleaned["answer"]}
        for name in ("feedback_true", "feedback_false"):
            if self.cleaned[name].strip():
                config[name] = self.cleaned[name].strip()
        return config

    def add_problems(self, messages: Sequence[str]) -> None:
        for message in messages:
            field = ("answer" if "true or false" in message else
                     "feedback_true" if "feedback_true" in message else
                     "feedback_false" if "feedback_false" in message else None)
            self.settings_error(field, message)
