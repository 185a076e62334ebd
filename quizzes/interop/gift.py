"""Moodle GIFT: read a GIFT file into question drafts, and write drafts back as GIFT.

PURE module: no Django, no ORM.  It follows Moodle's own importer (qformat_gift,
question/format/gift/format.php) wherever Lectio can hold the result, and reports
everything else as a ``Problem`` with its line: a question with a problem is left out,
never quietly changed.

Lectio's choices where GIFT leaves room:

* Missing word: the answer block in mid-sentence becomes ``BLANK`` (five underscores, as
  Moodle shows it) in the prompt.  The exporter writes a prompt containing ``BLANK``
  (followed by more text) as a missing-word question, so it reads back the same.
* True/false: ``{T#wrong#right}`` as in Moodle: the first feedback is for a wrong answer,
  the second for a right one.  Config ``feedback_true`` is what a student who answered
  True sees, so for ``{T...}`` it is the *right* feedback and for ``{F...}`` the *wrong*
  one.  The exporter writes ``{TRUE...}`` / ``{FALSE...}``.
* Points: GIFT has none (Moodle gives every question 1).  A comment ``// points: 2.5`` on
  a comment line before a question's text sets them; the exporter writes one for points
  other than 1.  Other comments are ignored, as Moodle does.
* Text formats: a prompt, feedback or general feedback in ``[markdown]`` is kept as is;
  ``[html]`` is sanitised with nh3; ``[plain]``, ``[moodle]`` and untagged text (Moodle's
  default format is ``moodle``) get their Markdown characters escaped so they show as
  typed.  Choice, short-answer and matching texts are shown literally by Lectio, so only
  ``[html]`` changes them (tags removed, entities decoded).  The exporter writes prompts
  as ``[markdown]``.
* Canonical drafts, for which ``parse_gift(export_gift([d])[0]).questions == [d]``:
  texts without surrounding whitespace or carriage returns; fractions with at most 7
  decimals (read as weight / 100, rounded to 7 decimals); numbers read as ``int`` when
  written without a point or exponent, else ``float``; feedback keys (``feedback``,
  ``feedback_true``, ``feedback_false``) and ``distractors`` only when non-empty; no
  ``shuffle`` or ``case_sensitive`` setting.  The exporter writes a non-canonical but
  equivalent draft (``"shuffle": True``, empty feedback ...) in canonical form.

Not supported, because Lectio cannot hold it: description items (text without an answer
block), "feedback for any other number" in numerical questions (``{#2 ~#feedback}``), and
more than one answer block in a question.  The exporter leaves out what GIFT cannot
hold: ordering, evidence and two-part questions, choices that must keep their order,
case-sensitive short answers, open questions with word limits or a model answer, and
"->" in short answers or on the left of a matching pair (Moodle would read a matching
question).

Departures from Moodle: answers must start with ``=`` or ``~`` (Moodle silently takes
text before the first as an answer, and reads ``{cat}`` as a short answer; both are
reported here); ``true``/``false`` are recognised in any case; a ``$CATEGORY:`` line ends
at its line (Moodle swallows the rest of the paragraph into the category name); matching
needs 2 pairs, Lectio's minimum (Moodle asks for 3).
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace

import nh3

from .drafts import (
    ChoiceDraft,
    ParseResult,
    Problem,
    QuestionDraft,
    decode_upload,
    draft_problems,
)

BLANK = "_____"
MAX_BYTES = 5 * 1024 * 1024

_ESCAPABLE = "\\~=#{}:"
_ESCAPE_RE = re.compile(r"\\([\\~=#{}:n])")
_FORMATS = ("html", "markdown", "plain", "moodle")
_TRUE_FALSE = {"T": True, "TRUE": True, "F": False, "FALSE": False}
_NUMBER_RE = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")
_INTEGER_RE = re.compile(r"[+-]?\d+")
_WEIGHT_RE = re.compile(r"%(-?\d+(?:\.\d*)?)%")
_POINTS_RE = re.compile(r"//\s*points\s*:(.*)", re.IGNORECASE)
_UNEXPORTABLE = {
    "ordering": "GIFT has no ordering questions, so this question was not exported.",
    "evidence": "GIFT has no evidence (pick the passages) questions, so this question was "
    "not exported.",
    "twopart": "GIFT has no two-part questions, so this question was not exported.",
}


# --- reading: text with escapes ---------------------------------------------------------------


@dataclass(frozen=True)
class _Marked:
    """A stretch of GIFT source with its escapes resolved.

    ``text`` is what the author meant (``\\=`` is ``=``, ``\\n`` a newline).  ``shape`` has
    the same length and holds each character as written, except that escaped ones are NUL,
    so structure (braces, ``~``, ``#``...) is looked for in ``shape`` and content is read
    from ``text``.  ``start`` is the offset of this stretch in the question's source.
    """

    text: str
    shape: str
    start: int = 0

    def __getitem__(self, key: slice) -> _Marked:
        begin, _, _ = key.indices(len(self.text))
        return _Marked(self.text[key], self.shape[key], self.start + begin)

    def __bool__(self) -> bool:
        """True when the stretch holds any text."""
        return bool(self.text)

    def find(self, sub: str, begin: int = 0) -> int:
        """Offset of the first unescaped ``sub`` from ``begin``, -1 when there is none."""
        return self.shape.find(sub, begin)

    def lstrip(self) -> _Marked:
        """The stretch without leading whitespace (escaped newlines count too)."""
        return self[len(self.text) - len(self.text.lstrip()) :]

    def strip(self) -> _Marked:
        """The stretch without surrounding whitespace (escaped newlines count too)."""
        begin = len(self.text) - len(self.text.lstrip())
        return self[begin : max(begin, len(self.text.rstrip()))]

    def cut(self, sep: str) -> tuple[_Marked, _Marked | None]:
        """(before, after) the first unescaped ``sep``; (all, None) when there is none."""
        at = self.find(sep)
        if at < 0:
            return self, None
        return self[:at], self[at + len(sep) :]


def _unescape(raw: str) -> _Marked:
    """``raw`` with GIFT's escapes (``\\~ \\= \\# \\{ \\} \\: \\\\`` and ``\\n``) resolved.

    A backslash before any other character is kept as written, as Moodle does.
    """
    text: list[str] = []
    shape: list[str] = []
    done = 0
    for escape in _ESCAPE_RE.finditer(raw):
        text += [raw[done : escape.start()], "\n" if escape[1] == "n" else escape[1]]
        shape += [raw[done : escape.start()], "\0"]
        done = escape.end()
    text.append(raw[done:])
    shape.append(raw[done:])
    return _Marked("".join(text), "".join(shape))


class _Trouble(Exception):
    """A question cannot be read; ``at`` is an offset in its source, when one is known."""

    def __init__(self, message: str, at: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.at = at


# --- reading: text formats ------------------------------------------------------------------


def _split_format(part: _Marked, default: str) -> tuple[str, _Marked]:
    """The ``[format]`` a text starts with (else ``default``) and the text after it,
    without leading whitespace."""
    part = part.lstrip()
    if part.shape.startswith("["):
        end = part.find("]")
        if end > 0 and part.text[1:end] in _FORMATS:
            return part.text[1:end], part[end + 1 :].lstrip()
    return default, part


def _markdown_literal(text: str, line_start: bool = True) -> str:
    """Markdown that displays ``text`` as typed, line breaks included (indentation, which
    HTML would not show, is dropped).  ``line_start`` is False for text that continues a
    line, such as the text after a missing word."""
    for ch in "\\`*_[]{}|":
        text = text.replace(ch, "\\" + ch)
    text = text.replace("&", "&amp;").replace("<", "&lt;")
    start = "(?m)^" if line_start else "(?<=\n)"
    # Indentation would make a code block.
    text = re.sub(start + r"[ \t]+", "", text)
    # Characters that only mean something at the start of a line (headings, quotes,
    # lists, setext underlines, definition lists, fences) become character references.
    text = re.sub(start + r"[#>+\-=:~]", lambda m: f"&#{ord(m[0])};", text)
    text = re.sub(start + r"(\d+)\.", r"\1\\.", text)
    return text.replace("\n", "  \n")


def _as_markdown(fmt: str, text: str) -> str:
    """Text written in GIFT format ``fmt`` as Lectio Markdown (prompts and feedback)."""
    if fmt == "markdown":
        return text
    if fmt == "html":
        return nh3.clean(text).strip()
    return _markdown_literal(text)


def _as_plain(fmt: str, text: str) -> str:
    """Text written in GIFT format ``fmt`` as the literal text Lectio shows for choices."""
    if fmt == "html":
        return html.unescape(nh3.clean(text, tags=set())).strip()
    return text


def _markdown_part(part: _Marked, default: str) -> str:
    """A feedback-like part (own ``[format]`` or ``default``) as Lectio Markdown."""
    fmt, rest = _split_format(part, default)
    return _as_markdown(fmt, rest.text.strip())


def _plain_part(part: _Marked, default: str) -> str:
    """A choice-like part (own ``[format]`` or ``default``) as literal text."""
    fmt, rest = _split_format(part, default)
    return _as_plain(fmt, rest.text.strip())


# --- reading: the answer block --------------------------------------------------------------


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


def _split_at(part: _Marked, markers: str) -> tuple[_Marked, list[tuple[str, _Marked]]]:
    """The text before the first unescaped marker (one of ``markers``), and each marker
    with the stripped text up to the next one."""
    starts = [i for i, ch in enumerate(part.shape) if ch in markers]
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
    body = answers[1:].strip()
    if "~" in body.shape:
        raise _Trouble(
            "Lectio cannot give feedback for “any other number” (the ~ part of a "
            "numerical answer). Remove it, or give that feedback as general feedback "
            "after ####."
        )
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
    return _Answers("numeric", config={"answers": accepted})


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
    raise _Trouble(
        f"“{{{answers.text}}}” is not a GIFT question type. Mark answers with = (right) and "
        "~ (wrong), write {T} or {F} for true/false, {#2} for a number, or {} for an open "
        "response."
    )


# --- reading: one question ------------------------------------------------------------------


def _split_title(src: _Marked) -> tuple[str, _Marked]:
    """The ``::title::`` a question starts with (or "") and the rest of it."""
    if not src.shape.startswith("::"):
        return "", src
    end = src.find("::", 2)
    if end < 0:
        raise _Trouble("The title is not closed: write it as ::title:: before the question.")
    return src.text[2:end].strip(), src[end + 2 :].strip()


def _answer_block(body: _Marked) -> tuple[int, int]:
    """Offsets in ``body`` of the answer block's ``{`` and ``}``."""
    blocks: list[tuple[int, int]] = []
    opened = None
    for i, ch in enumerate(body.shape):
        if ch == "{" and opened is not None:
            raise _Trouble(
                "There is a { inside the answer block: close the block with } first, or "
                "write \\{ for a brace that is part of an answer.",
                body.start + i,
            )
        if ch == "{":
            opened = i
        elif ch == "}" and opened is None:
            raise _Trouble(
                "There is a } here without a { before it. (Write \\} for a brace that is "
                "part of the text.)",
                body.start + i,
            )
        elif ch == "}":
            blocks.append((opened, i))
            opened = None
    if opened is not None:
        raise _Trouble(
            "The answer block opened here with { is never closed with }. (Write \\{ for a "
            "brace that is part of the text.)",
            body.start + opened,
        )
    if not blocks:
        raise _Trouble(
            "Description items (text without an answer block) cannot be imported: Lectio "
            "has no description question."
        )
    if len(blocks) > 1:
        raise _Trouble(
            "A question can have only one answer block {…}: start the next question after "
            "a blank line, or write \\{ and \\} for braces that are part of the text.",
            body.start + blocks[1][0],
        )
    return blocks[0]


def _prompt(before: _Marked, after: _Marked) -> tuple[str, str]:
    """The question's format and its prompt in Markdown, with ``BLANK`` where the answer
    block stood when text follows it (Moodle's missing-word format)."""
    fmt, lead = _split_format(before, "moodle")
    tail = after.strip().text
    if not tail:
        return fmt, _as_markdown(fmt, lead.text.strip())
    if fmt in ("plain", "moodle"):
        # Escaping the halves keeps the blank's underscores as they are.
        text = _markdown_literal(lead.text) + BLANK + _markdown_literal(after.text.rstrip(), False)
    else:
        text = _as_markdown(fmt, lead.text + BLANK + after.text.rstrip())
    return fmt, text.strip()


def _read_question(body: _Marked, title: str) -> QuestionDraft:
    """The draft (points and line still to be set) of a question's text after its title."""
    start, end = _answer_block(body)
    fmt, prompt = _prompt(body[:start], body[end + 1 :])
    answers = body[start + 1 : end].strip()
    explanation = ""
    at = answers.shape.rfind("####")
    if at >= 0:
        # Moodle takes the last "####": feedback before it may hold "#" of its own.
        explanation = _markdown_part(answers[at + 4 :], fmt)
        answers = answers[:at].strip()
    read = _read_answers(answers, fmt)
    return QuestionDraft(
        type=read.type,
        prompt=prompt,
        title=title,
        explanation=explanation,
        config=read.config,
        choices=read.choices,
    )


# --- reading: the file ----------------------------------------------------------------------


@dataclass
class _Paragraph:
    """Lines between blank lines: a question, a category, or comments only."""

    lines: list[tuple[int, str]]  # (1-based line number, trimmed text)


def _paragraphs(text: str) -> Iterator[_Paragraph]:
    """The file's non-blank paragraphs; lines are trimmed, as Moodle does."""
    lines: list[tuple[int, str]] = []
    for number, line in enumerate(text.split("\n"), start=1):
        line = line.strip()
        if line:
            lines.append((number, line))
        elif lines:
            yield _Paragraph(lines)
            lines = []
    if lines:
        yield _Paragraph(lines)


def _points(comment: str) -> float | None:
    """Points from a ``// points: N`` comment, None for any other comment."""
    match = _POINTS_RE.fullmatch(comment)
    if not match:
        return None
    value = match[1].strip()
    if not _NUMBER_RE.fullmatch(value):
        raise _Trouble(
            f"“{comment}” should give the question's points as a number, e.g. // points: 2."
        )
    return float(value)


def _read_paragraph(paragraph: _Paragraph, result: ParseResult) -> None:
    """Add the paragraph's question, or its problems, to ``result``."""
    points, points_error = 1.0, None
    content: list[tuple[int, str]] = []
    for number, line in paragraph.lines:
        if line.startswith("//"):
            if content:
                continue  # a comment inside a question says nothing about it
            try:
                found = _points(line)
            except _Trouble as trouble:
                points_error = Problem(number, trouble.message)
            else:
                points = points if found is None else found
        elif not content and line.startswith("$CATEGORY:"):
            continue  # Lectio has no question categories; nothing to keep
        else:
            content.append((number, line))
    if not content:
        return
    _read_content(content, points, points_error, result)


def _read_content(
    content: list[tuple[int, str]],
    points: float,
    points_error: Problem | None,
    result: ParseResult,
) -> None:
    """Read one question's lines and add its draft or its problems to ``result``."""
    src = _unescape("\n".join(line for _, line in content))
    first = content[0][0]
    title = ""
    problems = []
    try:
        title, body = _split_title(src)
        draft = _read_question(body, title)
    except _Trouble as trouble:
        at = first if trouble.at is None else content[src.shape.count("\n", 0, trouble.at)][0]
        problems.append(Problem(at, trouble.message, title))
    else:
        draft = replace(draft, points=points, line=first)
        problems.extend(Problem(first, message, title) for message in draft_problems(draft))
    if points_error:
        problems.insert(0, replace(points_error, title=title))
    if problems:
        result.problems.extend(problems)
    else:
        result.questions.append(draft)


def parse_gift(text: str) -> ParseResult:
    """Read GIFT text: every question Lectio can hold, and a Problem (with its line) for
    everything else.  A question with any problem is left out of ``questions``."""
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    result = ParseResult()
    for paragraph in _paragraphs(text):
        _read_paragraph(paragraph, result)
    return result


def parse_gift_bytes(data: bytes) -> ParseResult:
    """Read a GIFT file's bytes (UTF-8, with or without a byte order mark).

    A file over ``MAX_BYTES`` or one that is not UTF-8 gives a single Problem and no
    questions.
    """
    text = decode_upload(
        data, max_bytes=MAX_BYTES,
        too_big=f"The file is larger than 5 MB (it is {len(data) / (1024 * 1024):.1f} MB). "
                "Split it into smaller files and import them one by one.",
        not_utf8="This line is not valid UTF-8 text, so the file may mix text encodings. "
                 "Save the file as UTF-8 and import it again.")
    return ParseResult(problems=[text]) if isinstance(text, Problem) else parse_gift(text)


# --- writing --------------------------------------------------------------------------------


class _Unexpressible(Exception):
    """GIFT cannot hold this question; the message says why."""


def _escape(text: str) -> str:
    """``text`` with GIFT's special characters escaped and line breaks written as ``\\n``."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    for ch in _ESCAPABLE:
        text = text.replace(ch, "\\" + ch)
    return text.replace("\n", "\\n")


def _text(text: str, tag: str) -> str:
    """An escaped answer or feedback text; one starting with "[" gets an explicit format
    ``tag`` so that it is not read as a format."""
    text = _escape(text.strip())
    return f"[{tag}]{text}" if text.startswith("[") else text


def _number(value: float) -> str:
    """A number as GIFT text that reads back as the same int or float."""
    if isinstance(value, bool):
        raise _Unexpressible("A numerical answer is not a number.")
    if isinstance(value, int):
        return str(value)
    return repr(float(value))


def _percent(fraction: float) -> str:
    """``%weight%`` for a fraction (5 decimals of a percent: 7 of the fraction)."""
    text = f"{round(float(fraction) * 100, 5):.5f}".rstrip("0").rstrip(".")
    return "%" + ("0" if text == "-0" else text) + "%"


def _feedback(note: str) -> str:
    """``#feedback`` for non-empty feedback, else nothing."""
    return "#" + _text(note, "markdown") if note.strip() else ""


def _choice_lines(draft: QuestionDraft) -> list[str]:
    """Answer lines of a single or multiple choice question."""
    if any(k != "shuffle" for k in draft.config) or draft.config.get("shuffle", True) is not True:
        raise _Unexpressible(
            "GIFT cannot say that the choices must stay in order, so this question was "
            "not exported."
        )
    lines, marked_right = [], False
    for choice in draft.choices:
        text = _text(choice.text, "plain")
        if draft.type == "single" and choice.fraction == 1 and not marked_right:
            # One "=" makes Moodle read a single-answer question; the rest use weights.
            marked_right = True
            mark = "="
        elif choice.fraction == 0 and not text.startswith("%"):
            mark = "~"
        else:
            mark = "~" + _percent(choice.fraction)
        lines.append(mark + text + _feedback(choice.feedback))
    return lines


def _no_arrow(text: str, what: str) -> None:
    """Refuse a text holding "->" where Moodle would take it for a matching pair."""
    if "->" in text:
        raise _Unexpressible(
            f"GIFT cannot hold “->” in {what} (Moodle would read a matching question), so "
            "this question was not exported."
        )


def _short_lines(draft: QuestionDraft) -> list[str]:
    """Answer lines of a short-answer question."""
    if draft.config.get("case_sensitive", False):
        raise _Unexpressible(
            "GIFT cannot mark a short answer as case-sensitive, so this question was not "
            "exported."
        )
    lines = []
    for item in draft.config["answers"]:
        note = item.get("feedback", "")
        _no_arrow(item["text"], "a short answer or its feedback")
        _no_arrow(note, "a short answer or its feedback")
        text = _text(item["text"], "plain")
        weight = "" if item["fraction"] == 1 and not text.startswith("%") else _percent(
            item["fraction"]
        )
        lines.append("=" + weight + text + _feedback(note))
    return lines


def _numeric_lines(draft: QuestionDraft) -> list[str]:
    """Answer lines of a numerical question (the block starts with ``#``)."""
    lines = []
    for item in draft.config["answers"]:
        if "value" in item:
            spec = _number(item["value"])
            if "tolerance" in item:
                spec += ":" + _number(item["tolerance"])
        else:
            spec = f"{_number(item['min'])}..{_number(item['max'])}"
        weight = "" if item["fraction"] == 1 else _percent(item["fraction"])
        lines.append("=" + weight + spec + _feedback(item.get("feedback", "")))
    return lines


def _matching_lines(draft: QuestionDraft) -> list[str]:
    """Answer lines of a matching question; distractors have an empty left side."""
    lines = []
    for pair in draft.config["pairs"]:
        _no_arrow(pair["prompt"], "the left side of a matching pair")
        lines.append(f"={_text(pair['prompt'], 'plain')} -> {_escape(pair['answer'].strip())}")
    lines += [f"= -> {_escape(d.strip())}" for d in draft.config.get("distractors", [])]
    return lines


def _true_false_block(draft: QuestionDraft) -> str:
    """``TRUE#wrong#right`` (or FALSE...), with empty feedback left out."""
    answer = draft.config["answer"]
    said_true = draft.config.get("feedback_true", "")
    said_false = draft.config.get("feedback_false", "")
    right, wrong = (said_true, said_false) if answer else (said_false, said_true)
    block = "TRUE" if answer else "FALSE"
    if right.strip():
        block += "#" + (_text(wrong, "markdown") if wrong.strip() else "") + _feedback(right)
    elif wrong.strip():
        block += _feedback(wrong)
    return block


def _block(draft: QuestionDraft) -> str:
    """The answer block, braces and general feedback included."""
    general = "####" + _text(draft.explanation, "markdown") if draft.explanation.strip() else ""
    if draft.type == "truefalse":
        return "{" + _true_false_block(draft) + general + "}"
    if draft.type == "open":
        if any(draft.config.get(k) for k in ("min_words", "max_words", "model_answer")):
            raise _Unexpressible(
                "GIFT essays cannot carry a word limit or a model answer, so this question "
                "was not exported."
            )
        return "{" + general + "}"
    readers = {
        "single": _choice_lines,
        "multiple": _choice_lines,
        "short": _short_lines,
        "numeric": _numeric_lines,
        "matching": _matching_lines,
    }
    lines = readers[draft.type](draft) + ([general] if general else [])
    opening = "{#" if draft.type == "numeric" else "{"
    return opening + "".join(f"\n\t{line}" for line in lines) + "\n}"


def _export_one(draft: QuestionDraft) -> str:
    """One question as GIFT, ending in a newline."""
    if draft.type in _UNEXPORTABLE:
        raise _Unexpressible(_UNEXPORTABLE[draft.type])
    problems = draft_problems(draft)
    if problems:
        raise _Unexpressible(" ".join(problems))
    head = []
    if float(draft.points) != 1:
        points = float(draft.points)
        head.append(f"// points: {int(points) if points.is_integer() else repr(points)}\n")
    if draft.title.strip():
        head.append(f"::{_escape(draft.title.strip())}::")
    prompt = draft.prompt.strip()
    before, after = prompt, ""
    at = prompt.find(BLANK)
    if at >= 0 and prompt[at + len(BLANK) :].strip():
        before, after = prompt[:at], prompt[at + len(BLANK) :]
    return "".join(head) + "[markdown]" + _escape(before) + _block(draft) + _escape(after) + "\n"


def export_gift(questions: Iterable[QuestionDraft]) -> tuple[str, list[Problem]]:
    """GIFT text for every question GIFT can hold, and a Problem for each one left out
    (its line is the question's 1-based position in ``questions``)."""
    parts: list[str] = []
    problems: list[Problem] = []
    for position, draft in enumerate(questions, start=1):
        try:
            parts.append(_export_one(draft))
        except _Unexpressible as reason:
            problems.append(Problem(position, str(reason), draft.title))
    return "\n".join(parts), problems
