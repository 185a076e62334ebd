"""Moodle's Aiken format: multiple-choice questions with one right answer, as plain text.

Pure: no ORM. The format, as Moodle's ``qformat_aiken`` reads it::

    What is the capital of France?
    A. Lyon
    B) Paris
    ANSWER: B

The question text comes first (Lectio also accepts it spread over consecutive lines), then
one choice per line: a capital letter, ``.`` or ``)``, a space and the choice's text (after
``)`` the space may be left out, as Moodle allows: ``A)Text``); then
``ANSWER:`` and the right letter (Lectio also accepts ``Answer:`` and a lower-case letter).
Questions are separated by blank lines; a text line after a question's ``ANSWER:`` line starts
the next question even without one. Blank lines between a question's text, choices and answer
are ignored, except that a text line after a blank one starts a new question.

Aiken is plain text, so an imported prompt is the question's text with every Markdown
special escaped: it displays exactly as written, line breaks included. Choice texts are
stored as written, since choices are shown as plain text. Control characters other than tab
are dropped: they cannot be displayed, and PostgreSQL cannot store NUL.

What Aiken cannot hold, and ``export_aiken`` therefore reports rather than drops silently:
titles, explanations, per-choice feedback, points other than 1, partial credit, more than one
right answer, the "do not shuffle" setting, paragraph breaks in the question text, and every
question type other than multiple choice.
"""

from __future__ import annotations

import html
import html.entities
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from .drafts import (
    ChoiceDraft,
    ParseResult,
    Problem,
    QuestionDraft,
    decode_upload,
    draft_problems,
)

MAX_BYTES = 5 * 1024 * 1024
_TOO_BIG = f"The file is larger than {MAX_BYTES // (1024 * 1024)} MB; split it into smaller files."
LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"

_CHOICE = re.compile(r"([A-Z])[.)](?:[ \t]+(.*))?")
# "B)Correct": Moodle reads it as a choice, and so does Lectio once the question has text.
_SQUASHED_PAREN = re.compile(r"([A-Z])\)(\S.*)")
# "B.Correct" after a choice is meant as one too, but a question's text line such as
# "U.S. troops..." must not become a choice, so Lectio asks for the space instead.
_SQUASHED = re.compile(r"([A-Z])\.(\S.*)")
# Moodle wants "ANSWER:" in capitals; files from other tools write "Answer: B" too.
_ANSWER = re.compile(r"ANSWER[ \t]*:(.*)", re.IGNORECASE)
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")

# --- plain text <-> Markdown -----------------------------------------------------------------

# Inline specials are escaped wherever they stand. "<" becomes an entity because Python-Markdown
# passes raw HTML through (and "\<" is not one of its escapes); "&" only where a browser would
# read a character reference: numeric ones with or without ";", named ones with ";", and the
# legacy names HTML still decodes without one ("&#0" shows U+FFFD, "&copy" shows ©). Any
# other "&" stays as typed, so "AT&T" stays readable in the editor.
_INLINE = str.maketrans({**{c: "\\" + c for c in "\\`*_{}[]|"}, "<": "&lt;"})
_LEGACY_NAMES = sorted((name for name in html.entities.html5 if not name.endswith(";")),
                       key=len, reverse=True)
_ENTITY_LIKE = re.compile(r"&(?=#[0-9]|#[xX][0-9a-fA-F]|[A-Za-z][A-Za-z0-9]*;|(?:{}))".format(
    "|".join(map(re.escape, _LEGACY_NAMES))))
# Block syntax only counts at the start of a line: headings, quotes, lists, setext underlines,
# fenced code (~~~) and definition lists. Characters Python-Markdown cannot backslash-escape
# become numeric entities.
_LINE_START = {"#": "\\#", ">": "\\>", "+": "\\+", "-": "\\-",
               "=": "&#61;", "~": "&#126;", ":": "&#58;"}
_ORDERED = re.compile(r"(\d+)([.)])")
_HARD_BREAK = "  \n"
_UNESCAPE = re.compile(
    r"\\([\\`*_{}\[\]()>#+\-.!|])|&(?:#[0-9]+|#[xX][0-9a-fA-F]+|[A-Za-z][A-Za-z0-9]*);"
)


def plain_to_markdown(text: str) -> str:
    """Markdown that displays `text` literally, each of its lines on a line of its own."""
    return _HARD_BREAK.join(_escape_line(line) for line in text.split("\n"))


def _escape_line(line: str) -> str:
    line = _ENTITY_LIKE.sub("&amp;", line).translate(_INLINE)
    ordered = _ORDERED.match(line)
    if ordered:
        return f"{ordered[1]}\\{ordered[2]}{line[ordered.end():]}"
    if line[:1] in _LINE_START:
        return _LINE_START[line[0]] + line[1:]
    return line


def markdown_to_plain(markdown: str) -> str:
    """Undo `plain_to_markdown`: backslash escapes, entities and hard line breaks.

    Other Markdown is left as written: `**bold**` stays `**bold**`, which is how Aiken shows it.
    """
    lines = [line.rstrip(" ") for line in markdown.replace("\r\n", "\n").split("\n")]
    return "\n".join(_UNESCAPE.sub(_unescape_one, line) for line in lines)


def _unescape_one(match: re.Match) -> str:
    return match[1] if match[1] is not None else html.unescape(match[0])


# --- import ----------------------------------------------------------------------------------


def _lines(text: str) -> list[str]:
    # Only CR and LF end lines: str.splitlines() would also split on form feeds and U+2028,
    # which Moodle keeps inside a line, and the line numbers would drift.
    return text.replace("\r\n", "\n").replace("\r", "\n").split("\n")


def _excerpt(text: str, size: int = 60) -> str:
    return text if len(text) <= size else text[: size - 1].rstrip() + "…"


@dataclass
class _Open:
    """A question being read: its text lines, its choices (letter, text, line), what is
    wrong with it so far, and whether a blank line followed its text."""

    line: int
    text: list[str]
    choices: list[tuple[str, str, int]] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    gap: bool = False

    @property
    def title(self) -> str:
        return _excerpt(self.text[0])

    def problem(self, line: int, message: str) -> None:
        self.problems.append(Problem(line, message, self.title))


def parse_aiken(text: str) -> ParseResult:
    """Read Aiken text into single-choice drafts (1 point, fraction 1 for the answer letter).

    Never raises. Every malformed question is reported in `problems` (by line, with an
    excerpt of its text as title) and left out of `questions`; the others are kept.
    """
    if len(text) > MAX_BYTES or len(text.encode("utf-8", "surrogatepass")) > MAX_BYTES:
        return ParseResult(problems=[Problem(0, _TOO_BIG)])
    result = ParseResult()
    current: _Open | None = None
    orphaned = False  # inside a run of lines that belong to no question: report it once
    for number, raw in enumerate(_lines(text.removeprefix("\ufeff")), start=1):
        line = _CONTROL.sub("", raw).strip()
        if not line:
            if current is not None and not current.choices:
                current.gap = True
            continue
        answer = _ANSWER.fullmatch(line)
        choice = None if answer else _CHOICE.fullmatch(line)
        if choice is None and answer is None and current is not None:
            choice = _SQUASHED_PAREN.fullmatch(line)
        if choice is None and answer is None and current is not None and current.choices:
            choice = _SQUASHED.fullmatch(line)
            if choice is not None:
                current.problem(number, f"Put a space after “{line[:2]}” to make this line a "
                                        f"choice, as in “{line[0]}. Paris”.")
        if (answer or choice) and current is None:
            if not orphaned:
                what = "“ANSWER:” line" if answer else "choice"
                result.problems.append(Problem(number, f"This {what} comes before any question "
                                                       "text (question not started)."))
            orphaned = True
        elif answer:
            _finish(current, answer[1], number, result)
            current = None
        elif choice:
            _add_choice(current, choice[1], (choice[2] or "").strip(), number)
        elif current is not None and not current.choices and not current.gap:
            current.text.append(line)
        else:
            if current is not None:
                _unfinished(current, result)
            current, orphaned = _Open(number, [line]), False
    if current is not None:
        _unfinished(current, result)
    # A question's problems are known only at its end; the reader wants them in file order.
    result.problems.sort(key=lambda problem: problem.line)
    return result


def _add_choice(question: _Open, letter: str, text: str, line: int) -> None:
    first = next((n for (seen, _, n) in question.choices if seen == letter), None)
    if first is not None:
        question.problem(line, f"The letter {letter} is used twice in this question "
                               f"(first on line {first}).")
    question.choices.append((letter, text, line))


def _unfinished(question: _Open, result: ParseResult) -> None:
    if question.choices:
        last = question.choices[-1][2]
        message = (f"The “ANSWER:” line is missing after this question's last choice (line "
                   f"{last}): add one such as “ANSWER: A”.")
    else:
        message = (f"No choices and no “ANSWER:” line found after the question on line "
                   f"{question.line}: write each choice on its own line as “A) text”, then "
                   "“ANSWER:” and the right letter.")
    result.problems.extend([*question.problems, Problem(question.line, message, question.title)])


def _finish(question: _Open, value: str, line: int, result: ParseResult) -> None:
    letters = [letter for letter, _, _ in question.choices]
    if not letters:
        question.problem(question.line, f"No choices found after the question on line "
                                        f"{question.line}: write each choice on its own line "
                                        "as “A) text” before the “ANSWER:” line.")
    elif len(letters) < 2:
        question.problem(question.line, f"Only one choice ({letters[0]}, line "
                                        f"{question.choices[0][2]}) found after the question "
                                        f"on line {question.line}: a question needs at least "
                                        "two.")
    value = value.strip()
    if not re.fullmatch(r"[A-Za-z]", value):
        found = f"“{_excerpt(value, 20)}”" if value else "nothing"
        question.problem(line, f"“ANSWER:” must be followed by one choice letter, as in "
                               f"“ANSWER: B”; it is followed by {found}.")
    elif letters and value.upper() not in letters:
        question.problem(line, f"The answer {value.upper()} is not one of this question's "
                               f"choices ({', '.join(dict.fromkeys(letters))}).")
    if question.problems:
        result.problems.extend(question.problems)
        return
    draft = QuestionDraft(
        type="single",
        prompt=plain_to_markdown("\n".join(question.text)),
        points=1.0,
        choices=tuple(ChoiceDraft(text, 1.0 if letter == value.upper() else 0.0)
                      for letter, text, _ in question.choices),
        line=question.line,
    )
    errors = draft_problems(draft)
    if errors:
        result.problems.extend(Problem(question.line, e, question.title) for e in errors)
    else:
        result.questions.append(draft)


def parse_aiken_bytes(data: bytes) -> ParseResult:
    """`parse_aiken` for an uploaded file: UTF-8 with or without a byte order mark.

    A file over 5 MB or not valid UTF-8 gives one problem (the latter with its line) and no
    questions.
    """
    text = decode_upload(
        data, max_bytes=MAX_BYTES, too_big=_TOO_BIG,
        not_utf8="This file is not UTF-8 text. Save it with the UTF-8 encoding and try again.")
    return ParseResult(problems=[text]) if isinstance(text, Problem) else parse_aiken(text)


# --- export ----------------------------------------------------------------------------------


def export_aiken(questions: Iterable[QuestionDraft]) -> tuple[str, list[Problem]]:
    """Aiken text for the single-choice drafts among `questions`, and what it could not say.

    A question Aiken cannot hold at all (another type, an invalid draft, over 26 choices, a
    line of text that would read as a choice) is left out with a problem. A question that
    loses something on the way (see the module docstring) is written, with one problem per
    loss, at the line where it starts in the returned text. Reading the text back with
    `parse_aiken` gives the written questions as they were, less what was reported lost.
    """
    blocks: list[str] = []
    problems: list[Problem] = []
    next_line = 1
    for number, draft in enumerate(questions, start=1):
        text, paragraphs = _text_lines(draft.prompt)
        title = draft.title or _excerpt(text[0] if text else "")
        reason = _unwritable(draft, text)
        if reason:
            problems.append(Problem(0, f"Question {number} was left out: {reason}", title))
            continue
        problems.extend(Problem(next_line, loss, title) for loss in _losses(draft, paragraphs))
        right = next(n for n, choice in enumerate(draft.choices) if _is_right(choice))
        lines = [*text,
                 *(f"{LETTERS[n]}) {_one_line(c.text)}" for n, c in enumerate(draft.choices)),
                 f"ANSWER: {LETTERS[right]}"]
        blocks.append("\n".join(lines))
        next_line += len(lines) + 1
    return ("\n\n".join(blocks) + "\n" if blocks else ""), problems


def _text_lines(prompt: str) -> tuple[list[str], bool]:
    """The question text's non-blank lines, and whether blank lines stood between them."""
    lines = [line.strip() for line in markdown_to_plain(prompt).split("\n")]
    kept = [n for n, line in enumerate(lines) if line]
    return [lines[n] for n in kept], bool(kept) and kept[-1] - kept[0] + 1 != len(kept)


def _one_line(text: str) -> str:
    return " ".join(line.strip() for line in text.strip().split("\n") if line.strip())


def _is_right(choice: ChoiceDraft) -> bool:
    # The same threshold as grading's full credit, so the right answer is the one it pays.
    return choice.fraction >= 1 - 1e-9


def _unwritable(draft: QuestionDraft, text: list[str]) -> str:
    """Why `draft` cannot be written as Aiken at all; "" when it can."""
    if draft.type != "single":
        return "Aiken holds only multiple-choice questions with one right answer."
    errors = draft_problems(draft)
    if errors:
        return " ".join(errors)
    if len(draft.choices) > len(LETTERS):
        return f"Aiken letters its choices A to Z, so it holds at most {len(LETTERS)}."
    if any(_ANSWER.fullmatch(line) or _CHOICE.fullmatch(line) for line in text):
        return ("a line of its text starts like a choice or an “ANSWER:” line, so it would be "
                "read back as one.")
    return ""


def _losses(draft: QuestionDraft, paragraphs: bool) -> list[str]:
    """What writing `draft` as Aiken leaves behind, one sentence each."""
    losses = []
    if draft.title:
        losses.append("Its title is not written: Aiken has no titles.")
    if paragraphs:
        losses.append("Its blank lines are not written: a blank line ends an Aiken question.")
    if draft.explanation.strip():
        losses.append("Its explanation is not written: Aiken has no explanations.")
    if draft.points != 1:
        losses.append(f"Its points ({draft.points:g}) are not written: Aiken questions are "
                      "worth 1 point.")
    if draft.config.get("shuffle", True) is False:
        losses.append("Its “do not shuffle the choices” setting is not written.")
    right = [n for n, choice in enumerate(draft.choices) if _is_right(choice)]
    for n, choice in enumerate(draft.choices):
        letter = LETTERS[n]
        if choice.feedback.strip():
            losses.append(f"The feedback on choice {letter} is not written: Aiken has no "
                          "feedback.")
        if choice.fraction > 0 and n != right[0]:
            losses.append(f"Choice {letter} earns credit here but will read back as wrong: "
                          "Aiken marks exactly one choice right.")
        if "\n" in choice.text.strip():
            losses.append(f"Choice {letter} is written on one line: Aiken choices cannot "
                          "span lines.")
    return losses
