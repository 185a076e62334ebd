"""Editors for passage picks: evidence (the key passages, picked on the reading itself) and
two-part (Part A a single choice with its choices, Part B evidence for it). Forms only.

The instructor ticks passages on a view of the reading: one fieldset per passage with its
number and full text and real checkboxes ("in the key", "students may pick it"), so the
picker works by keyboard and screen reader. grading.evidence picks whole passages only, so
there is no sentence picker (it would need a grading setting first).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django import forms

from ...grading.evidence import DEPENDENCIES, part_b_dependency
from .base import register
from .choice import ChoiceRow, _ChoiceEditor
from .choice import _value as credit_value
from .rows import RowsEditor, RowSpec, json_number, percent

TEXT_MAX = 5000
WEIGHT_DEFAULT = 0.5
DEPENDENCY_LABELS = {
    "none": "Score the parts separately",
    "a_right": "Part B counts only when Part A is right",
    "a_credit": "Part B is scaled by Part A's credit",
}
assert set(DEPENDENCY_LABELS) == set(DEPENDENCIES)  # grading's settings, every one labelled


class PicksForm(forms.Form):
    """Which passages are the key, which students may pick, and how many they may pick."""

    key = forms.TypedMultipleChoiceField(
        label="Key passages", required=False, coerce=int, widget=forms.CheckboxSelectMultiple,
        help_text="Tick every passage that holds the evidence.")
    offered = forms.TypedMultipleChoiceField(
        label="Passages students may pick", required=False, coerce=int,
        widget=forms.CheckboxSelectMultiple,
        help_text="Untick passages that should not be offered (headings, say). All ticked: "
                  "every passage can be picked.")
    max_picks = forms.IntegerField(
        label="Most passages a student may pick", required=False, min_value=1,
        help_text="Empty: no limit. Picking more passages than the key holds lowers the "
                  "credit anyway; a limit at least as large as the key is fairest.")

    def __init__(self, *args: Any, passages: Sequence[Any] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [(p.order, f"Passage {p.order}") for p in passages]
        for name in ("key", "offered"):
            self.fields[name].choices = choices
            self.fields[name].widget.attrs["class"] = "form-check-input"
        self.numbers = [p.order for p in passages]

    def picks_config(self) -> dict[str, Any]:
        data = self.cleaned_data
        config: dict[str, Any] = {"key": sorted(data["key"])}
        if set(data["offered"]) != set(self.numbers):
            config["passages"] = sorted(data["offered"])
        if data["max_picks"] is not None:
            config["max_picks"] = data["max_picks"]
        return config


def picks_initial(config: dict[str, Any], numbers: Sequence[int]) -> dict[str, Any]:
    offered = config.get("passages")
    return {"key": [n for n in config.get("key", ()) if n in numbers],
            "offered": list(numbers) if offered is None else
            [n for n in offered if n in numbers],
            "max_picks": config.get("max_picks")}


def picks_field(message: str) -> str | None:
    """The PicksForm field a grading message about the picks concerns."""
    if "maximum number of picks" in message:
        return "max_picks"
    if "key passage" in message:  # a key passage is not offered: untick or offer it
        return "key"
    if "allowed passages" in message:
        return "offered"
    if "key" in message:
        return "key"
    return None


@dataclass
class PassagePick:
    """One passage of the reading as the picker shows it, with its two checkboxes."""

    passage: Any
    key: forms.BoundWidget
    offered: forms.BoundWidget


class _PicksEditor(RowsEditor):
    def settings_kwargs(self) -> dict[str, Any]:
        return {"passages": self.passages}

    @property
    def passage_picks(self) -> list[PassagePick]:
        keys, offered = self.settings["key"].subwidgets, self.settings["offered"].subwidgets
        return [PassagePick(p, k, o) for p, k, o in zip(self.passages, keys, offered,
                                                        strict=True)]

    def _picks_initial(self, config: dict[str, Any]) -> dict[str, Any]:
        numbers = [p.order for p in self.passages]
        lost = sorted(n for n in config.get("key", ()) if n not in numbers)
        if lost and self.data is None:
            # The reading no longer has them (a shorter new version): say so, rather than
            # silently saving a smaller key.
            self.problems.append(
                f"The saved key lists passage{'s' if len(lost) > 1 else ''} "
                f"{', '.join(map(str, lost))}, which this reading does not have; tick the "
                "key passages again.")
        return picks_initial(config, numbers)

    def _picks_problem(self, message: str) -> bool:
        field = picks_field(message)
        if field is None:
            return False
        self.settings_error(field, message)
        return True


class EvidenceForm(PicksForm):
    claim = forms.CharField(
        label="Claim", required=False, max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="The statement students find evidence for, shown above the passages. "
                  "Optional when the prompt says it.")

    field_order = ["claim", "key", "offered", "max_picks"]


@register
class EvidenceEditor(_PicksEditor):
    """The claim, the key passages ticked on the reading, the passages offered, max picks."""

    type_key = "evidence"
    template_name = "quizzes/authoring/editors/evidence.html"
    settings_form = EvidenceForm

    def initial_values(self) -> dict[str, Any]:
        config = self.question.config or {}
        return {"settings": {"claim": config.get("claim", ""), **self._picks_initial(config)}}

    def _build(self, data: Any, values: Any, exact: bool = False) -> None:
        values = values or {"settings": {"offered": [p.order for p in self.passages]}}
        super()._build(data, values, exact)

    def config(self) -> dict[str, Any]:
        config = self.settings.picks_config()
        if self.cleaned["claim"].strip():
            config = {"claim": self.cleaned["claim"].strip(), **config}
        return config

    def add_problems(self, messages: Sequence[str]) -> None:
        for message in messages:
            if "claim" in message:
                self.settings_error("claim", message)
            elif not self._picks_problem(message):
                self.problems.append(message)


class TwoPartForm(PicksForm):
    part_b_prompt = forms.CharField(
        label="Part B prompt", required=False, max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
        initial="Which passages best support your answer to Part A?",
        help_text="What Part B asks, e.g. “Which passages support your answer to Part A?”")
    part_a_weight = forms.DecimalField(
        label="Part A's share of the points (%)", required=False, min_value=1, max_value=99,
        max_digits=7, decimal_places=4, initial=50,
        widget=forms.NumberInput(attrs={"step": "any"}),
        help_text="Part B gets the rest. 50: the parts are worth the same.",
        error_messages={"min_value": "Give Part A a share from 1 to 99 percent.",
                        "max_value": "Give Part A a share from 1 to 99 percent."})
    part_b_depends = forms.ChoiceField(
        label="How Part B depends on Part A", choices=list(DEPENDENCY_LABELS.items()),
        initial="none",
        help_text="Evidence for a wrong answer is not evidence: tie Part B to Part A if "
                  "you want that to count.")
    shuffle = forms.BooleanField(label="Shuffle Part A's choices", required=False,
                                 initial=True)

    field_order = ["part_b_prompt", "key", "offered", "max_picks", "part_a_weight",
                   "part_b_depends", "shuffle"]


@register
class TwoPartEditor(_PicksEditor):
    """Part A: a single-choice question (the single editor's choice rows: text, credit from
    the standard list, feedback). Part B: its
    prompt and the key passages picked on the reading. Weight and dependency of the parts."""

    type_key = "twopart"
    template_name = "quizzes/authoring/editors/twopart.html"
    settings_form = TwoPartForm
    row_specs = {"choices": RowSpec(ChoiceRow, "choice", movable=True, min_rows=4)}

    def initial_values(self) -> dict[str, Any]:
        config = self.question.config or {}
        part_b = config.get("part_b") or {}
        weight = config.get("part_a_weight", WEIGHT_DEFAULT)
        return {
            "settings": {"part_b_prompt": part_b.get("prompt", ""),
                         **self._picks_initial(part_b),
                         "part_a_weight": percent(weight),
                         "part_b_depends": part_b_dependency(config),
                         "shuffle": config.get("shuffle", True)},
            "choices": [{"text": c.text, "credit": credit_value(c.fraction),
                         "feedback": c.feedback}
                        for c in self.question.choices.all()],
        }

    def _build(self, data: Any, values: Any, exact: bool = False) -> None:
        values = values or {"settings": {"offered": [p.order for p in self.passages]},
                            "choices": [{"credit": credit_value(1)}]}
        super()._build(data, values, exact)

    def config(self) -> dict[str, Any]:
        data = self.cleaned
        config: dict[str, Any] = {
            "part_b": {"prompt": data["part_b_prompt"].strip(),
                       **self.settings.picks_config()}}
        weight = data["part_a_weight"]
        if weight is not None and float(weight) != WEIGHT_DEFAULT * 100:
            config["part_a_weight"] = json_number(weight / 100)
        if data["part_b_depends"] != "none":
            config["part_b_depends"] = data["part_b_depends"]
        if not data["shuffle"]:
            config["shuffle"] = False
        return config

    # Part A's rows are the single-choice editor's rows, so they become drafts the same way.
    choices = _ChoiceEditor.choices

    def add_problems(self, messages: Sequence[str]) -> None:
        choices = self.rowsets["choices"]
        for message in messages:
            if message.startswith("Part A: Choice "):
                number = int(message.split()[3].rstrip(":"))
                field = ("credit" if "credit" in message else
                         "feedback" if "feedback" in message else
                         "text" if "no text" in message else None)
                choices.add_row_error(number, field, message)
            elif message.startswith("Part A: "):
                choices.errors.append(message)
            elif message.startswith("Part B needs a prompt"):
                self.settings_error("part_b_prompt", message)
            elif message.startswith("Part B: ") and self._picks_problem(message):
                continue
            elif "weight" in message:
                self.settings_error("part_a_weight", message)
            elif "part_b_depends" in message or "b_requires_a" in message:
                self.settings_error("part_b_depends", message)
            elif "shuffle" in message:
                self.settings_error("shuffle", message)
            else:
                self.problems.append(message)
