"""Writing drafts as GIFT, and saying which questions GIFT cannot hold."""

from __future__ import annotations

import re
from collections.abc import Iterable

from courses.sanitise import sanitise_import_html

from ..aiken import markdown_to_plain
from ..drafts import Problem, QuestionDraft, draft_problems
from .read import _prompt
from .text import _ESCAPABLE, BLANK, _markdown_part, _unescape

_HTML_TAG = re.compile(r"<[A-Za-z][^>]*>")

_UNEXPORTABLE = {
    "ordering": "GIFT has no ordering questions, so this question was not exported.",
    "evidence": "GIFT has no evidence (pick the passages) questions, so this question was "
    "not exported.",
    "twopart": "GIFT has no two-part questions, so this question was not exported.",
}


class _Unexpressible(Exception):
    """GIFT cannot hold this question; the message says why."""


def _escape(text: str) -> str:
    """``text`` with GIFT's special characters escaped and line breaks written as ``\\n``."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    for ch in _ESCAPABLE:
        text = text.replace(ch, "\\" + ch)
    return text.replace("\n", "\\n")


def _candidates(text: str) -> list[tuple[str, str]]:
    """(format, text as written in that format) for ``text`` (Lectio Markdown), the most
    likely original format first: HTML that an [html] import stored, literal text that a
    [plain] or [moodle] import stored, else Markdown. Each is only a candidate: callers keep
    the first that reads back as ``text``."""
    found = []
    if _HTML_TAG.search(text) and sanitise_import_html(text).strip() == text.strip():
        found.append(("html", text))
    plain = markdown_to_plain(text)
    if plain != text:
        found.append(("plain", plain))
    return [*found, ("markdown", text)]


def _formatted(note: str, question_format: str) -> str:
    """Feedback written in its original format; the ``[format]`` tag only where it differs
    from the question's (which the reader applies by default) or the text starts with "["."""
    note = note.strip()
    for fmt, body in _candidates(note):
        written = _escape(body.strip())
        if fmt != question_format or written.startswith("["):
            written = f"[{fmt}]{written}"
        if _markdown_part(_unescape(written), question_format) == note:
            return written
    return "[markdown]" + _escape(note)


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


def _feedback(note: str, fmt: str) -> str:
    """``#feedback`` for non-empty feedback, else nothing; ``fmt`` is the question's format."""
    return "#" + _formatted(note, fmt) if note.strip() else ""


def _choice_lines(draft: QuestionDraft, fmt: str) -> list[str]:
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
        lines.append(mark + text + _feedback(choice.feedback, fmt))
    return lines


def _no_arrow(text: str, what: str) -> None:
    """Refuse a text holding "->" where Moodle would take it for a matching pair."""
    if "->" in text:
        raise _Unexpressible(
            f"GIFT cannot hold “->” in {what} (Moodle would read a matching question), so "
            "this question was not exported."
        )


def _short_lines(draft: QuestionDraft, fmt: str) -> list[str]:
    """Answer lines of a short-answer question. One right answer holding "->" is written
    bare (``{a->b}``): with no "=" in the block, Moodle and other GIFT readers take it for
    the one right short answer, where ``{=a->b}`` would be read as a matching pair."""
    if draft.config.get("case_sensitive", False):
        raise _Unexpressible(
            "GIFT cannot mark a short answer as case-sensitive, so this question was not "
            "exported."
        )
    answers = draft.config["answers"]
    if (len(answers) == 1 and answers[0]["fraction"] == 1
            and "->" in answers[0]["text"] + answers[0].get("feedback", "")):
        text = _text(answers[0]["text"], "plain")
        if not text.startswith("%") and text.upper() not in ("T", "F", "TRUE", "FALSE"):
            return [text + _feedback(answers[0].get("feedback", ""), fmt)]
    lines = []
    for item in answers:
        note = item.get("feedback", "")
        _no_arrow(item["text"], "a short answer or its feedback")
        _no_arrow(note, "a short answer or its feedback")
        text = _text(item["text"], "plain")
        weight = "" if item["fraction"] == 1 and not text.startswith("%") else _percent(
            item["fraction"]
        )
        lines.append("=" + weight + text + _feedback(note, fmt))
    return lines


def _numeric_lines(draft: QuestionDraft, fmt: str) -> list[str]:
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
        lines.append("=" + weight + spec + _feedback(item.get("feedback", ""), fmt))
    if draft.config.get("feedback_other", "").strip():
        lines.append("~" + _feedback(draft.config["feedback_other"], fmt))
    return lines


def _matching_lines(draft: QuestionDraft, fmt: str) -> list[str]:
    """Answer lines of a matching question; distractors have an empty left side."""
    lines = []
    for pair in draft.config["pairs"]:
        _no_arrow(pair["prompt"], "the left side of a matching pair")
        lines.append(f"={_text(pair['prompt'], 'plain')} -> {_escape(pair['answer'].strip())}")
    lines += [f"= -> {_escape(d.strip())}" for d in draft.config.get("distractors", [])]
    return lines


def _true_false_block(draft: QuestionDraft, fmt: str) -> str:
    """``TRUE#wrong#right`` (or FALSE...), with empty feedback left out."""
    answer = draft.config["answer"]
    said_true = draft.config.get("feedback_true", "")
    said_false = draft.config.get("feedback_false", "")
    right, wrong = (said_true, said_false) if answer else (said_false, said_true)
    block = "TRUE" if answer else "FALSE"
    if right.strip():
        block += "#" + (_formatted(wrong, fmt) if wrong.strip() else "") + _feedback(right, fmt)
    elif wrong.strip():
        block += _feedback(wrong, fmt)
    return block


def _block(draft: QuestionDraft, fmt: str) -> str:
    """The answer block, braces and general feedback included; ``fmt`` is the format the
    question's text is written in."""
    general = "####" + _formatted(draft.explanation, fmt) if draft.explanation.strip() else ""
    if draft.type == "truefalse":
        return "{" + _true_false_block(draft, fmt) + general + "}"
    if draft.type == "open":
        if any(draft.config.get(k) for k in ("min_words", "max_words", "model_answer",
                                               "anchors")):
            raise _Unexpressible(
                "GIFT essays cannot carry a word limit, a model answer or anchor answers, so "
                "this question was not exported."
            )
        return "{" + general + "}"
    readers = {
        "single": _choice_lines,
        "multiple": _choice_lines,
        "short": _short_lines,
        "numeric": _numeric_lines,
        "matching": _matching_lines,
    }
    lines = readers[draft.type](draft, fmt) + ([general] if general else [])
    opening = "{#" if draft.type == "numeric" else "{"
    return opening + "".join(f"\n\t{line}" for line in lines) + "\n}"


def _question_text(prompt: str) -> tuple[str, str, str]:
    """The question's format and its text before and after the answer block, as written.

    The format is the one the text most likely came in (see ``_candidates``) and always reads
    back as ``prompt``. A prompt that starts with its blank is written without a format tag
    when it can be (GIFT readers other than Moodle's want text, not a lone ``[format]``,
    before ``{``), else with one.
    """
    before, after = prompt, ""
    at = prompt.find(BLANK)
    if at >= 0 and prompt[at + len(BLANK) :].strip():
        before, after = prompt[:at], prompt[at + len(BLANK) :]
    tries = []
    if after and not before.strip():
        tries.append(("moodle", "", "", markdown_to_plain(after)))
    for fmt, _ in _candidates(prompt):
        if fmt == "plain" and after:
            tries.append((fmt, f"[{fmt}]", markdown_to_plain(before), markdown_to_plain(after)))
        elif fmt != "plain":
            tries.append((fmt, f"[{fmt}]", before, after))
        else:
            tries.append((fmt, f"[{fmt}]", markdown_to_plain(before), ""))
    for fmt, tag, lead, tail in tries:
        written = (tag + _escape(lead), _escape(tail))
        if _prompt(_unescape(written[0]), _unescape(written[1]))[1] == prompt:
            return fmt, *written
    return "markdown", "[markdown]" + _escape(before), _escape(after)


def _export_one(draft: QuestionDraft) -> str:
    """One question as GIFT, ending in a newline."""
    if draft.type in _UNEXPORTABLE:
        raise _Unexpressible(_UNEXPORTABLE[draft.type])
    problems = draft_problems(draft)
    if problems:
        raise _Unexpressible(" ".join(problems))
    head = []
    title = f"::{_escape(draft.title.strip())}::" if draft.title.strip() else ""
    if draft.type == "description":
        # Text without an answer block: Moodle's description item, worth nothing.
        fmt, text = next((fmt, body) for fmt, body in _candidates(draft.prompt.strip())
                         if _markdown_part(_unescape(f"[{fmt}]" + _escape(body.strip())),
                                           "moodle") == draft.prompt.strip())
        return title + f"[{fmt}]" + _escape(text.strip()) + "\n"
    if float(draft.points) != 1:
        points = float(draft.points)
        head.append(f"// points: {int(points) if points.is_integer() else repr(points)}\n")
    fmt, before, after = _question_text(draft.prompt.strip())
    return "".join(head) + title + before + _block(draft, fmt) + after + "\n"


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
