"""Reading GIFT's answer block ``{...}``: choices, short answers, pairs, numbers, true/false."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from ..drafts import ChoiceDraft
from .text import _markdown_part, _Marked, _plain_part, _Trouble

_TRUE_FALSE = {"T": True, "TRUE": True, "F": False, "FALSE": False}
_NUMBER_RE = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")
_INTEGER_RE = re.compile(r"[+-]?\d+")
_WEIGHT_RE = re.compile(r"%(-?\d+(?:\.\d*)?)%")


@dataclass
class _Answers:
    """What an answer block holds, ready to become a draft."""

    type: str
    config: dict = field(default_factory=dict)
    choices: tuple[ChoiceDraft, ...] = ()


def _numeric_literal(text: str) -> int | float:
    """A number as written in GIFT: ``int`` without a point or exponent, else ``float``."""
    text = text.strip()
    if not _NUMBER_RE.fullmatch(text):
        raise _Trouble(
            f"“{text}” is not a number. Write numerical answers like {{#2}}, {{#2:0.5}} "
            "(2 give or take 0.5) or {#1..5} (from 1 to 5)."
            if text
            else "A numerical answer is empty. Write it like {#2}, {#2:0.5} or {#1..5}."
        )
    value = int(text) if _INTEGER_RE.fullmatch(text) else float(text)
    if value in (float("inf"), float("-inf")):
        raise _Trouble(f"The number “{text}” is too large.")
    return value


def _weight(part: _Marked, default: float) -> tuple[float, _Marked]:
    """An answer's credit from a leading ``%50%`` (as a fraction, 7 decimals) and the rest."""
    match = _WEIGHT_RE.match(part.shape)
    if not match:
        return default, part
    return round(float(match[1]) / 100, 7), part[match.end() :].strip()


# More answers than any question needs; a block past this is refused before it is read.
MAX_ANSWERS = 100


@lru_cache(maxsize=8)
def _marker_re(markers: str) -> re.Pattern:
    return re.compile("[" + re.escape(markers) + "]")


def _split_at(part: _Marked, markers: str) -> tuple[_Marked, list[tuple[str, _Marked]]]:
    """The text before the first unescaped marker (one of ``markers``), and each marker
    with the stripped text up to the next one."""
    # A regular expression finds the markers at C speed; a loop over every character in
    # Python was most of a large file's parse time.
    starts = [m.start() for m in _marker_re(markers).finditer(part.shape)]
    if len(starts) > MAX_ANSWERS:
        raise _Trouble(f"This question has more than {MAX_ANSWERS} answers; Lectio takes at "
                       f"most {MAX_ANSWERS}. Split it, or write \\{markers[0]} for a "
                       f"“{markers[0]}” that is part of the text.")
    ends = [*starts[1:], len(part.text)] if starts else []
    lead = part[: starts[0]] if starts else part
    return lead, [
        (part.shape[s], part[s + 1 : e].strip()) for s, e in zip(starts, ends, strict=True)
    ]


def _items(answers: _Marked, markers: str) -> list[tuple[str, _Marked]]:
    """The answers of a block, each with the marker (one of ``markers``) it starts with."""
    lead, items = _split_at(answers, markers)
    if lead.strip() or not items:
        raise _Trouble(
            f"“{lead.text.strip()}” is not an answer: start each answer with "
            + " or ".join(markers)
            + ".",
            lead.strip().start,
        )
    return items


def _read_choices(answers: _Marked, fmt: str) -> _Answers:
    """Multiple choice: with an unescaped ``=`` one answer is right (type single), without
    one the weights say which to tick (type multiple), as in Moodle."""
    single = "=" in answers.shape
    choices = []
    for marker, item in _items(answers, "~="):
        # Moodle reads no weight after "=": the text is full credit, as written.
        fraction, item = (1.0, item) if marker == "=" else _weight(item, 0.0)
        text, feedback = item.cut("#")
        choices.append(
            ChoiceDraft(
                text=_plain_part(text, fmt),
                fraction=fraction,
                feedback=_markdown_part(feedback, fmt) if feedback is not None else "",
            )
        )
    if not single and not any(c.fraction > 0 for c in choices):
        raise _Trouble(
            "None of the answers is marked right: put = before the right answer, or give "
            "the right answers weights such as ~%50%."
        )
    return _Answers("single" if single else "multiple", choices=tuple(choices))


def _read_short(answers: _Marked, fmt: str) -> _Answers:
    """Short answer: only ``=`` answers, each optionally ``%weight%`` and ``#feedback``."""
    accepted = []
    for _, item in _items(answers, "="):
        fraction, item = _weight(item, 1.0)
        text, feedback = item.cut("#")
        entry: dict = {"text": _plain_part(text, fmt), "fraction": fraction}
        note = _markdown_part(feedback, fmt) if feedback is not None else ""
        if note:
            entry["feedback"] = note
        accepted.append(entry)
    return _Answers("short", config={"answers": accepted})


def _read_matching(answers: _Marked, fmt: str) -> _Answers:
    """Matching: ``=left -> right`` pairs; an empty left side makes a distractor."""
    pairs, distractors = [], []
    for _, item in _items(answers, "="):
        left, right = item.cut("->")
        if right is None:
            raise _Trouble(
                f"“{item.text}” has no “->”. In a matching question every answer is a "
                "pair written =left -> right (= -> text adds a wrong option).",
                item.start,
            )
        prompt = _plain_part(left, fmt)
        if prompt:
            pairs.append({"prompt": prompt, "answer": right.strip().text})
        else:
            distractors.append(right.strip().text)
    config: dict = {"pairs": pairs}
    if distractors:
        config["distractors"] = distractors
    return _Answers("matching", config=config)


def _read_numeric(answers: _Marked, fmt: str) -> _Answers:
    """Numerical: ``{#2}``, ``{#2:0.5}``, ``{#1..5}`` or several ``=%weight%`` answers."""
    body, other = answers[1:].strip().cut("~")
    config: dict = {}
    if other is not None:
        config.update(_other_number(other, fmt))
        body = body.strip()
    accepted = []
    for item in _numeric_items(body):
        fraction, item = _weight(item, 1.0)
        spec, feedback = item.cut("#")
        entry = _numeric_spec(spec.strip())
        entry["fraction"] = fraction
        note = _markdown_part(feedback, fmt) if feedback is not None else ""
        if note:
            entry["feedback"] = note
        accepted.append(entry)
    return _Answers("numeric", config={"answers": accepted, **config})


def _other_number(other: _Marked, fmt: str) -> dict:
    """``~#feedback`` after a numerical block's answers: what any other number gets (0
    credit, as in Moodle), as config ``feedback_other``."""
    other = other.strip()
    if "~" in other.shape or (other and not other.shape.startswith("#")):
        raise _Trouble(
            "After ~ a numerical answer takes only the feedback for any other number, "
            "written ~#feedback, once, after the right answers."
        )
    note = _markdown_part(other[1:], fmt) if other else ""
    return {"feedback_other": note} if note else {}


def _numeric_items(body: _Marked) -> list[_Marked]:
    """The answers of a numerical block; the first needs no ``=`` (``{#2}``)."""
    lead, items = _split_at(body, "=")
    answers = ([lead.strip()] if lead.strip() else []) + [item for _, item in items]
    if not answers:
        raise _Trouble("The numerical answer is missing: write it after #, e.g. {#2}.")
    return answers


def _numeric_spec(spec: _Marked) -> dict:
    """``value``, ``value:tolerance`` or ``min..max`` as Lectio numeric-answer keys."""
    if spec.find("..") > 0:
        low, high = spec.cut("..")
        return {"min": _numeric_literal(low.text), "max": _numeric_literal(high.text)}
    if spec.find(":") > 0:
        value, tolerance = spec.cut(":")
        return {
            "value": _numeric_literal(value.text),
            "tolerance": _numeric_literal(tolerance.text),
        }
    return {"value": _numeric_literal(spec.text)}


def _read_true_false(answers: _Marked, fmt: str) -> _Answers:
    """``{T}``/``{F}`` (or TRUE/FALSE) with ``#feedback for a wrong answer#for a right one``."""
    word, rest = answers.cut("#")
    wrong, right = rest.cut("#") if rest is not None else (None, None)
    answer = _TRUE_FALSE[word.strip().text.upper()]
    wrong_text = _markdown_part(wrong, fmt) if wrong is not None else ""
    right_text = _markdown_part(right, fmt) if right is not None else ""
    said_true, said_false = (right_text, wrong_text) if answer else (wrong_text, right_text)
    config: dict = {"answer": answer}
    if said_true:
        config["feedback_true"] = said_true
    if said_false:
        config["feedback_false"] = said_false
    return _Answers("truefalse", config=config)


def _read_answers(answers: _Marked, fmt: str) -> _Answers:
    """Tell the question type from the answer block, in Moodle's order, and read it."""
    if not answers:
        return _Answers("open")
    if answers.shape.startswith("#"):
        return _read_numeric(answers, fmt)
    if "~" in answers.shape:
        return _read_choices(answers, fmt)
    if "=" in answers.shape and "->" in answers.shape:
        return _read_matching(answers, fmt)
    if answers.cut("#")[0].strip().text.upper() in _TRUE_FALSE:
        return _read_true_false(answers, fmt)
    if answers.shape.startswith("="):
        return _read_short(answers, fmt)
    if "=" not in answers.shape:
        # "{One}": Moodle reads a bare answer as the one right short answer.
        return _read_short(_Marked("=" + answers.text, "=" + answers.shape,
                                   answers.start - 1), fmt)
    raise _Trouble(
        f"“{{{answers.text}}}” is not a GIFT question type. Mark answers with = (right) and "
        "~ (wrong), write {T} or {F} for true/false, {#2} for a number, or {} for an open "
        "response."
    )
