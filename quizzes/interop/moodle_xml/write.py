"""Writing drafts as Moodle XML, naming in an XML comment what Moodle XML cannot hold."""

from __future__ import annotations

from collections.abc import Iterable
from xml.etree.ElementTree import Element, SubElement, indent, tostring

from ..drafts import Problem, QuestionDraft, draft_problems
from .read import name_for
from .text import embed_images, from_markdown, xml_comment
from .text import number_text as _number

_UNEXPORTABLE = {
    "evidence": "Moodle has no evidence (pick the passages) questions.",
    "twopart": "Moodle has no two-part questions.",
}


class _Unexpressible(Exception):
    """Moodle XML cannot hold this question; the message says why."""


def _percent(fraction: float) -> str:
    text = f"{round(float(fraction) * 100, 5):.5f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def _text(parent: Element, name: str, markdown: str, **attrs: str) -> Element:
    """``<name format=…><text>…</text><file …/></name>``: the text in the format it most
    likely came in, its inline images moved out to embedded files as Moodle keeps them."""
    fmt, body = from_markdown(markdown)
    body, files = embed_images(body)
    element = SubElement(parent, name, {**attrs, "format": fmt})
    SubElement(element, "text").text = body
    for file_name, data in files:
        SubElement(element, "file", {"name": file_name, "path": "/",
                                     "encoding": "base64"}).text = data
    return element


def _plain(parent: Element, name: str, text: str, **attrs: str) -> Element:
    element = SubElement(parent, name, {**attrs, "format": "plain_text"})
    SubElement(element, "text").text = text.strip()
    return element


def _value(parent: Element, name: str, text: str) -> None:
    SubElement(parent, name).text = text


def _answer(parent: Element, text: str, fraction: float, feedback: str = "") -> Element:
    answer = _plain(parent, "answer", text, fraction=_percent(fraction))
    _text(answer, "feedback", feedback)
    return answer


def _choices(q: Element, draft: QuestionDraft, notes: list[str]) -> None:
    _value(q, "single", "true" if draft.type == "single" else "false")
    _value(q, "shuffleanswers", "true" if draft.config.get("shuffle", True) else "false")
    _value(q, "answernumbering", "abc")
    for choice in draft.choices:
        _answer(q, choice.text, choice.fraction, choice.feedback)


def _truefalse(q: Element, draft: QuestionDraft, notes: list[str]) -> None:
    right = draft.config["answer"]
    for word, value in (("true", True), ("false", False)):
        _answer(q, word, 1.0 if value == right else 0.0,
                draft.config.get(f"feedback_{word}", ""))


def _short(q: Element, draft: QuestionDraft, notes: list[str]) -> None:
    _value(q, "usecase", "1" if draft.config.get("case_sensitive") else "0")
    for item in draft.config["answers"]:
        _answer(q, item["text"], item["fraction"], item.get("feedback", ""))


def _numeric(q: Element, draft: QuestionDraft, notes: list[str]) -> None:
    for item in draft.config["answers"]:
        if "value" in item:
            value, tolerance = item["value"], item.get("tolerance", 0)
        else:
            low, high = float(item["min"]), float(item["max"])
            value, tolerance = (low + high) / 2, (high - low) / 2
            notes.append(f"the range {_number(item['min'])} to {_number(item['max'])} is "
                         f"written as {_number(value)} ± {_number(tolerance)}")
        answer = _answer(q, _number(value), item["fraction"], item.get("feedback", ""))
        if "tolerance" in item or "min" in item:
            _value(answer, "tolerance", _number(tolerance))
    if draft.config.get("feedback_other"):
        _value(_answer(q, "*", 0.0, draft.config["feedback_other"]), "tolerance", "0")


def _matching(q: Element, draft: QuestionDraft, notes: list[str]) -> None:
    _value(q, "shuffleanswers", "true")
    rows = [(p["prompt"], p["answer"]) for p in draft.config["pairs"]]
    rows += [("", d) for d in draft.config.get("distractors", [])]
    for left, right in rows:
        sub = _plain(q, "subquestion", left)
        SubElement(SubElement(sub, "answer"), "text").text = right


def _open(q: Element, draft: QuestionDraft, notes: list[str]) -> None:
    for name, value in (("responseformat", "editor"), ("responserequired", "1"),
                        ("responsefieldlines", "15"), ("attachments", "0")):
        _value(q, name, value)
    for lectio, moodle in (("min_words", "minwordlimit"), ("max_words", "maxwordlimit")):
        if draft.config.get(lectio) is not None:
            _value(q, moodle, str(draft.config[lectio]))
    if draft.config.get("model_answer", "").strip():
        _text(q, "graderinfo", draft.config["model_answer"])
        notes.append("its model answer is written as information for graders, which "
                     "Moodle does not show to students")
    if draft.config.get("anchors"):
        notes.append("its anchor answers are not written: Moodle essays have none")


def _ordering(q: Element, draft: QuestionDraft, notes: list[str]) -> None:
    for name, value in (("layouttype", "VERTICAL"), ("selecttype", "ALL"),
                        ("selectcount", "0"), ("gradingtype", "RELATIVE_NEXT_EXCLUDE_LAST"),
                        ("showgrading", "SHOW")):
        _value(q, name, value)
    for n, item in enumerate(draft.config["items"], start=1):
        _plain(q, "answer", item, fraction=str(n))


_WRITERS = {"single": ("multichoice", _choices), "multiple": ("multichoice", _choices),
            "truefalse": ("truefalse", _truefalse), "short": ("shortanswer", _short),
            "numeric": ("numerical", _numeric), "matching": ("match", _matching),
            "open": ("essay", _open), "ordering": ("ordering", _ordering),
            "description": ("description", lambda q, d, n: None)}


def _question(draft: QuestionDraft, notes: list[str]) -> Element:
    if draft.type in _UNEXPORTABLE:
        raise _Unexpressible(_UNEXPORTABLE[draft.type])
    problems = draft_problems(draft)
    if problems:
        raise _Unexpressible(" ".join(problems))
    kind, write = _WRITERS[draft.type]
    q = Element("question", {"type": kind})
    SubElement(SubElement(q, "name"), "text").text = draft.title.strip() or name_for(
        draft.prompt)
    _text(q, "questiontext", draft.prompt)
    _text(q, "generalfeedback", draft.explanation)
    _value(q, "defaultgrade", _number(draft.points))
    _value(q, "penalty", "0")
    _value(q, "hidden", "0")
    write(q, draft, notes)
    return q


def export_moodle_xml(questions: Iterable[QuestionDraft], *,
                      category: str = "") -> tuple[str, list[Problem]]:
    """Moodle XML for every question it can hold, with a comment at the top naming each
    question left out (by its 1-based position) and each loss; the problems returned are
    those questions left out."""
    root = Element("quiz")
    problems: list[Problem] = []
    written: list[Element] = []
    losses: list[str] = []
    for position, draft in enumerate(questions, start=1):
        notes: list[str] = []
        try:
            written.append(_question(draft, notes))
        except _Unexpressible as reason:
            problems.append(Problem(position, str(reason), draft.title))
            continue
        losses.extend(f"Question {position}: {note}." for note in notes)
    for problem in problems:
        root.append(xml_comment(f"Not exported: {problem}"))
    for loss in losses:
        root.append(xml_comment(loss))
    if category:
        head = SubElement(root, "question", {"type": "category"})
        SubElement(SubElement(head, "category"), "text").text = f"$course$/top/{category}"
    root.extend(written)
    indent(root)
    return ('<?xml version="1.0" encoding="UTF-8"?>\n'
            + tostring(root, encoding="unicode") + "\n"), problems
