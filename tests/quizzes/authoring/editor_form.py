"""Helpers for the type-editor tests: render an editor, then post what a browser would.

`posted()` reads the rendered template (so a field the template forgets cannot be posted),
like a browser submitting the form unchanged, then applies the test's edits.
"""

from __future__ import annotations

from html.parser import HTMLParser
from typing import Any

from django.http import QueryDict
from django.template.loader import render_to_string

from quizzes import grading
from quizzes.authoring.editors import editor_for


def render(editor) -> str:
    return render_to_string(editor.template_name, {"editor": editor})


class _Fields(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.data = QueryDict(mutable=True)
        self.buttons: dict[str, dict[str, Any]] = {}
        self._select: str | None = None
        self._textarea: str | None = None
        self._text = ""

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        name = a.get("name")
        if tag == "input" and name:
            kind = a.get("type", "text")
            if kind in ("checkbox", "radio"):
                if "checked" in a:
                    self.data.appendlist(name, a.get("value", "on"))
            elif kind not in ("submit", "button"):
                self.data.appendlist(name, a.get("value") or "")
        elif tag == "button" and name:
            self.buttons[name] = a
        elif tag == "select" and name:
            self._select = name
        elif tag == "option" and self._select and "selected" in a:
            self.data.appendlist(self._select, a.get("value", ""))
        elif tag == "textarea" and name:
            self._textarea, self._text = name, ""

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "textarea" and self._textarea:
            self.data.appendlist(self._textarea, self._text.removeprefix("\n"))
            self._textarea = None

    def handle_data(self, data):
        if self._textarea:
            self._text += data


def parse(html: str) -> _Fields:
    parser = _Fields()
    parser.feed(html)
    return parser


def posted(editor, press: str | None = None, **fields: Any) -> QueryDict:
    """The POST of `editor`'s rendered form with `fields` changed (a list sets several
    values, None removes the field) and the button `press` pressed."""
    parsed = parse(render(editor))
    data = parsed.data
    for name, value in fields.items():
        name = name.replace("__", "-")
        if value is None:
            data.pop(name, None)
        elif isinstance(value, (list, tuple)):
            data.setlist(name, [str(v) for v in value])
        else:
            data[name] = str(value)
    if press:
        assert press in parsed.buttons, f"no button {press!r} in {sorted(parsed.buttons)}"
        assert "disabled" not in parsed.buttons[press], f"{press} is disabled"
        data[press] = "1"
    return data


def bind(editor, press: str | None = None, **fields: Any):
    """A new editor of the same type bound to `posted(editor, ...)`."""
    data = posted(editor, press, **fields)
    return editor_for(editor.type_key)(data, question=editor.question,
                                       passages=editor.passages, prefix=editor.prefix)


def spec_of(editor, points: float = 1) -> grading.QuestionSpec:
    """The QuestionSpec the save service would check; choice ids are 1-based positions."""
    return grading.QuestionSpec(
        type=editor.type_key, points=points, config=editor.config(),
        choices=tuple(grading.ChoiceSpec(id=str(n), text=c.text, fraction=c.fraction,
                                         feedback=c.feedback)
                      for n, c in enumerate(editor.choices(), start=1)))


def errors(form, field: str | None = None) -> list[str]:
    return list(form.errors.get(field or "__all__", []))
