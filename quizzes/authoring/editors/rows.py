"""Rows of small forms (accepted answers, pairs, items, criteria, levels) edited without
JavaScript: every row is a Django form in a formset, and "add", "remove" and "move up/down"
are ordinary submit buttons named `<rows prefix>-add`, `<rows prefix>-remove-<i>` and
`<rows prefix>-move-<i>-up|down` (i is the 0-based row index, as in the field names).

`RowsEditor` is the TypeEditor base the families build on. When the POST carries one of its
buttons, the editor applies it and rebuilds itself UNBOUND from the posted values: the page
comes back with the rows rearranged, no error messages (the instructor was not saving yet),
`action` set so the view knows not to save, and `is_valid()` False as a second guard.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, ClassVar

from django import forms
from django.forms.utils import ErrorDict

from .base import TypeEditor

MAX_ROWS = 50


def raw_values(form: forms.Form) -> dict[str, Any]:
    """What `form` shows now: the posted values of a bound form, the initial ones otherwise."""
    return {name: form[name].value() for name in form.fields}


def is_empty(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip()) or value == []


def json_number(value: Decimal | float | int) -> int | float:
    """A form's number as JSON: whole numbers stay ints (so `3` is saved as 3, not 3.0)."""
    number = float(value)
    return int(number) if number.is_integer() and abs(number) < 2**53 else number


def percent(fraction: Any) -> str:
    """A 0-1 credit as the percentage the credit fields show (`1` -> "100", 1/3 -> "33.33333")."""
    try:
        value = round(float(fraction) * 100, 5)
    except (TypeError, ValueError):
        return ""
    return f"{value:.5f}".rstrip("0").rstrip(".")


def credit_field(**kwargs: Any) -> forms.DecimalField:
    """A credit typed as a percentage, 0 to 100, saved as a fraction of 1."""
    options = {
        "label": "Credit (%)", "required": False, "min_value": 0, "max_value": 100,
        "max_digits": 9, "decimal_places": 5, "initial": 100,
        "widget": forms.NumberInput(attrs={"step": "any"}),
        "error_messages": {"min_value": "The credit must be a percentage from 0 to 100.",
                           "max_value": "The credit must be a percentage from 0 to 100.",
                           "invalid": "Type the credit as a number from 0 to 100."},
    }
    options.update(kwargs)
    return forms.DecimalField(**options)


class RowForm(forms.Form):
    """One row. A row whose `blank_fields` are all empty is skipped: not validated, not saved
    (so blank rows offered for typing cost nothing). Every field is optional at the HTML level;
    `required_messages` says what a non-blank row must still have."""

    blank_fields: ClassVar[tuple[str, ...]] = ()
    required_messages: ClassVar[Mapping[str, str]] = {}
    # Bootstrap column class per field; the rest share the row.
    columns: ClassVar[Mapping[str, str]] = {}

    def is_blank(self) -> bool:
        return all(is_empty(self[name].value()) for name in self.blank_fields)

    def full_clean(self) -> None:
        if self.is_bound and self.is_blank():
            self._errors = ErrorDict(renderer=self.renderer)
            self.cleaned_data = {}
            return
        super().full_clean()

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        for name, message in self.required_messages.items():
            if name not in self.errors and is_empty(cleaned.get(name)):
                self.add_error(name, message)
        return cleaned

    def cells(self) -> list[tuple[forms.BoundField, str]]:
        return [(bf, self.columns.get(bf.name, "col-md")) for bf in self.visible_fields()]


@dataclass(frozen=True)
class RowSpec:
    """How one list of rows behaves: its form, what a row is called, its buttons."""

    form: type[RowForm]
    noun: str  # "accepted answer": used in legends, buttons and status messages
    movable: bool = False
    blank_rows: int = 1  # blank rows offered after the existing ones
    min_rows: int = 1  # rows shown at least (blank ones included)
    max_rows: int = MAX_ROWS
    child: tuple[str, RowSpec] | None = None  # (key, spec): rows nested in each row
    form_kwargs: Callable[[], dict[str, Any]] | None = None


@dataclass
class Action:
    kind: str  # "add" | "remove" | "up" | "down"
    index: int = -1


class Row:
    """One row as the template sees it: its form, number, button names, nested rows."""

    def __init__(self, rows: RowSet, index: int, form: RowForm, child: RowSet | None) -> None:
        self.rows, self.index, self.form, self.child = rows, index, form, child
        self.number = index + 1
        self.label = f"{rows.spec.noun.capitalize()} {self.number}"
        # Buttons name their row fully ("criterion 2, level 1"): a screen reader's list of
        # buttons has no legends around it.
        self.full_label = (f"{rows.owner_label}, {rows.spec.noun} {self.number}"
                           if rows.owner_label else self.label)
        self.remove_name = f"{rows.prefix}-remove-{index}"
        self.up_name = f"{rows.prefix}-move-{index}-up"
        self.down_name = f"{rows.prefix}-move-{index}-down"
        self.is_first = index == 0
        self.is_last = index == len(rows.forms) - 1


class RowSet:
    """A formset of `spec.form` rows under `prefix`, with its buttons and its messages."""

    def __init__(self, spec: RowSpec, *, prefix: str, data: Any = None,
                 initial: Sequence[Mapping[str, Any]] = (), owner_label: str = "",
                 exact: bool = False) -> None:
        """`exact`: show exactly the `initial` rows (after a button), no blank ones added."""
        self.spec, self.prefix, self.data, self.exact = spec, prefix, data, exact
        self.owner_label = owner_label  # the row these rows belong to ("Criterion 2")
        self.errors: list[str] = []  # messages about the list as a whole
        formset_class = forms.formset_factory(
            spec.form, extra=0, max_num=spec.max_rows, absolute_max=spec.max_rows,
            validate_max=True)
        kwargs = {"form_kwargs": spec.form_kwargs()} if spec.form_kwargs else {}
        if data is not None:
            self.formset = formset_class(data, prefix=prefix, **kwargs)
            child_initial: list[Sequence[Mapping[str, Any]]] = [() for _ in self.formset.forms]
        else:
            rows = [dict(r) for r in initial][: spec.max_rows]
            if not exact:
                rows += [{} for _ in range(spec.blank_rows)]
                rows += [{} for _ in range(spec.min_rows - len(rows))]
            rows = rows[: spec.max_rows]
            self.formset = formset_class(initial=rows, prefix=prefix, **kwargs)
            child_initial = [r.get(spec.child[0], ()) if spec.child else () for r in rows]
        self.forms: list[RowForm] = list(self.formset.forms)
        self.rows = [
            Row(self, i, form, self._child(i, child_initial[i]) if spec.child else None)
            for i, form in enumerate(self.forms)
        ]
        self.add_name = f"{prefix}-add"
        self.can_add = len(self.forms) < spec.max_rows
        self.errors_id = f"{prefix}-errors"

    def _child(self, index: int, initial: Sequence[Mapping[str, Any]]) -> RowSet:
        key, spec = self.spec.child  # type: ignore[misc]
        return RowSet(spec, prefix=f"{self.prefix}-{index}-{key}", data=self.data,
                      initial=initial, owner_label=f"{self.spec.noun.capitalize()} {index + 1}",
                      exact=self.exact)

    # buttons

    def action(self) -> Action | None:
        """This list's own button in the POST, if any (nested rows answer for theirs)."""
        if self.data is None:
            return None
        if self.add_name in self.data:
            return Action("add")
        for i in range(len(self.forms)):
            for kind, name in (("remove", f"{self.prefix}-remove-{i}"),
                               ("up", f"{self.prefix}-move-{i}-up"),
                               ("down", f"{self.prefix}-move-{i}-down")):
                if name in self.data:
                    return Action(kind, i)
        return None

    def has_action(self) -> bool:
        return self.action() is not None or any(r.child and r.child.has_action()
                                                for r in self.rows)

    def values(self) -> list[dict[str, Any]]:
        """Every row's current values (nested rows under their key), buttons applied."""
        values = []
        for row in self.rows:
            value = raw_values(row.form)
            if row.child:
                value[self.spec.child[0]] = row.child.values()  # type: ignore[index]
            values.append(value)
        return values

    def apply(self, values: list[dict[str, Any]]) -> tuple[list[dict[str, Any]], str, str]:
        """`values` with this list's button applied, the button or field to focus next and a
        status sentence for screen readers. Applying nothing gives (values, "", "")."""
        action, noun = self.action(), self.spec.noun
        if action is None:
            return values, "", ""
        i = action.index
        if action.kind == "add" and len(values) < self.spec.max_rows:
            # A new row comes with its own blank nested rows (a criterion with its levels).
            key, child = self.spec.child or ("", None)
            values.append({key: [{} for _ in range(child.min_rows)]} if child else {})
            first = next(iter(self.spec.form.base_fields))
            return values, f"id_{self.prefix}-{len(values) - 1}-{first}", \
                f"Added {noun} {len(values)}."
        if action.kind == "remove":
            del values[i]
            if not values:
                values.append({})
            return values, self.add_name, f"Removed {noun} {i + 1}."
        if action.kind == "up" and i > 0:
            values[i - 1], values[i] = values[i], values[i - 1]
            to = i - 1
            focus = f"{self.prefix}-move-{to}-{'up' if to > 0 else 'down'}"
            return values, focus, f"Moved {noun} {i + 1} up to position {to + 1}."
        if action.kind == "down" and i < len(values) - 1:
            values[i], values[i + 1] = values[i + 1], values[i]
            to = i + 1
            last = to == len(values) - 1
            focus = f"{self.prefix}-move-{to}-{'up' if last else 'down'}"
            return values, focus, f"Moved {noun} {i + 1} down to position {to + 1}."
        return values, "", ""

    def rearranged(self) -> tuple[list[dict[str, Any]], str, str]:
        """Current values with the pressed button applied, here or in a nested list."""
        values = self.values()
        if self.action() is not None:
            return self.apply(values)
        for row in self.rows:
            if row.child and row.child.has_action():
                child_values, focus, status = row.child.rearranged()
                values[row.index][self.spec.child[0]] = child_values  # type: ignore[index]
                return values, focus, f"{row.label}: {status}"
        return values, "", ""

    # validation

    def is_valid(self) -> bool:
        valid = self.formset.is_valid()
        children = [row.child.is_valid() for row in self.rows if row.child]
        return valid and all(children) and not self.errors

    def filled(self) -> list[Row]:
        """The rows that are not blank, in order: what config() saves."""
        return [row for row in self.rows if not row.form.is_blank()]

    def messages(self) -> list[str]:
        return [*self.formset.non_form_errors(), *self.errors]

    def add_row_error(self, number: int, field: str | None, message: str) -> None:
        """Attach `message` to the `number`-th (1-based) FILLED row, or to the list."""
        filled = self.filled()
        if 1 <= number <= len(filled):
            filled[number - 1].form.add_error(field, message)
        else:
            self.errors.append(message)


class RowsEditor(TypeEditor):
    """A TypeEditor made of an optional settings form and named lists of rows.

    Subclasses set `settings_form` and `row_specs`, and implement `initial_values()` (the
    saved question as {"settings": {...}, "<rows name>": [{...}, ...]}) and `config()`.
    """

    settings_form: ClassVar[type[forms.Form] | None] = None
    row_specs: ClassVar[Mapping[str, RowSpec]] = {}

    def __init__(self, data: Any = None, *, question: Any = None,
                 passages: Sequence[Any] = (), prefix: str = "type") -> None:
        super().__init__(data, question=question, passages=passages, prefix=prefix)
        self.action = ""  # the row button the POST carried: not a save
        self.focus = ""  # id or name of what should have focus after that button
        self.status = ""  # what the button did, for the aria-live region
        self._build(data, self.initial_values() if question is not None else {})
        if data is not None:
            for name, rows in self.rowsets.items():
                if rows.has_action():
                    values, self.focus, self.status = rows.rearranged()
                    current = self._current_values()
                    current[name] = values
                    self.action = name
                    self._build(None, current, exact=True)
                    self._autofocus()
                    break

    def settings_kwargs(self) -> dict[str, Any]:
        return {}

    def _build(self, data: Any, values: Mapping[str, Any], exact: bool = False) -> None:
        self.settings = (
            self.settings_form(data, initial=values.get("settings", {}), prefix=self.prefix,
                               **self.settings_kwargs())
            if self.settings_form else None
        )
        self.rowsets = {
            name: RowSet(spec, prefix=f"{self.prefix}-{name}", data=data,
                         initial=values.get(name, ()), exact=exact)
            for name, spec in self.row_specs.items()
        }

    def _current_values(self) -> dict[str, Any]:
        current: dict[str, Any] = {name: rows.values() for name, rows in self.rowsets.items()}
        if self.settings is not None:
            current["settings"] = raw_values(self.settings)
        return current

    def _autofocus(self) -> None:
        # A new row's first field takes focus; buttons get it through the template.
        for rows in self._all_rowsets():
            for form in rows.forms:
                for bf in form:
                    if bf.auto_id == self.focus:
                        bf.field.widget.attrs["autofocus"] = True

    def _all_rowsets(self) -> list[RowSet]:
        pending, found = list(self.rowsets.values()), []
        while pending:
            rows = pending.pop(0)
            found.append(rows)
            pending.extend(r.child for r in rows.rows if r.child)
        return found

    def initial_values(self) -> dict[str, Any]:
        return {}

    def clean(self) -> None:
        """Cross-row checks a subclass adds (messages via `self.problems` or rows)."""

    def is_valid(self) -> bool:
        if not self.is_bound or self.action:
            return False
        valid = self.settings.is_valid() if self.settings is not None else True
        # Every list is validated (no short-circuit), so all its messages show at once.
        results = [rows.is_valid() for rows in self.rowsets.values()]
        valid = all(results) and valid
        if valid:
            self.clean()
            valid = not self.problems and all(r.is_valid() for r in self.rowsets.values())
        return valid

    @property
    def cleaned(self) -> dict[str, Any]:
        return self.settings.cleaned_data if self.settings is not None else {}

    def settings_error(self, field: str | None, message: str) -> None:
        if self.settings is not None and field in self.settings.fields:
            self.settings.add_error(field, message)
        else:
            self.problems.append(message)
