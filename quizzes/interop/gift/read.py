"""Reading a GIFT file: paragraphs, comments and points, each question's title, prompt and
answer block, into a ``ParseResult``."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, replace

from ..drafts import (
    ParseResult,
    Problem,
    QuestionDraft,
    category_notice,
    decode_upload,
    draft_problems,
)
from .answers import _NUMBER_RE, _read_answers
from .text import (
    BLANK,
    _as_markdown,
    _markdown_literal,
    _markdown_part,
    _Marked,
    _split_format,
    _Trouble,
    _unescape,
)

MAX_BYTES = 5 * 1024 * 1024
# Bounds on the work one file can ask for, checked before the text is read further: a
# 5 MB file of tiny questions, or of one question with 300,000 answers, otherwise kept a
# worker busy past its timeout. The largest real banks are well inside them.
MAX_QUESTIONS = 5_000
MAX_QUESTION_CHARS = 100_000
MAX_ANSWER_MARKS = 50_000  # "=" and "~" in the whole file, an upper bound on its answers
MAX_LINES = 200_000
PLUGINFILE = "@@PLUGINFILE@@"
PLUGINFILE_NOTICE = (
    "An image here points to @@PLUGINFILE@@, Moodle's own file store, which a GIFT file does "
    "not carry: it will not show. Export these questions from Moodle as Moodle XML, which "
    "carries the images, or put the image on the web and use its https address.")
_POINTS_RE = re.compile(r"//\s*points\s*:(.*)", re.IGNORECASE)
_BRACE_RE = re.compile(r"[{}]")


# --- one question ----------------------------------------------------------------------------


def _split_title(src: _Marked) -> tuple[str, _Marked]:
    """The ``::title::`` a question starts with (or "") and the rest of it."""
    if not src.shape.startswith("::"):
        return "", src
    end = src.find("::", 2)
    if end < 0:
        raise _Trouble("The title is not closed: write it as ::title:: before the question.")
    return src.text[2:end].strip(), src[end + 2 :].strip()


def _answer_block(body: _Marked, notes: list[tuple[int, str]]) -> tuple[int, int] | None:
    """Offsets in ``body`` of the answer block's ``{`` and ``}``; None for a description
    (no block). A second block is kept as text, as Moodle does, with a note in ``notes``."""
    blocks: list[tuple[int, int]] = []
    opened = None
    for brace in _BRACE_RE.finditer(body.shape):  # C speed, not a Python loop per character
        i, ch = brace.start(), brace[0]
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
        return None
    if len(blocks) > 1:
        notes.append((body.start + blocks[1][0], (
            f"This question has {len(blocks)} answer blocks {{…}}. As Moodle does, Lectio "
            "uses the first and keeps the others as text of the question. Start each "
            "question after a blank line, or write \\{ and \\} for braces that are part of "
            "the text.")))
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


def _read_question(body: _Marked, title: str,
                   notes: list[tuple[int, str]]) -> QuestionDraft:
    """The draft (points and line still to be set) of a question's text after its title;
    what the instructor should know about it goes into ``notes`` (offset, message)."""
    block = _answer_block(body, notes)
    if block is None:
        # Text without an answer block is a description item, as in Moodle.
        fmt, lead = _split_format(body, "moodle")
        return QuestionDraft(type="description", prompt=_as_markdown(fmt, lead.text.strip()),
                             title=title, points=0)
    start, end = block
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


# --- the file --------------------------------------------------------------------------------


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


def _read_paragraph(paragraph: _Paragraph, result: ParseResult) -> bool:
    """Add the paragraph's question, or its problems, to ``result``; False when it held
    only comments or a category."""
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
            # Lectio has no question categories: say so once, where the category starts.
            result.notices.append(category_notice(number, line[len("$CATEGORY:"):]))
            continue
        else:
            content.append((number, line))
    if not content:
        return False
    _read_content(content, points, points_error, result)
    return True


def _read_content(
    content: list[tuple[int, str]],
    points: float,
    points_error: Problem | None,
    result: ParseResult,
) -> None:
    """Read one question's lines and add its draft or its problems to ``result``."""
    first = content[0][0]
    if sum(len(line) + 1 for _, line in content) > MAX_QUESTION_CHARS:
        result.problems.append(Problem(first, f"This question is longer than "
                                              f"{MAX_QUESTION_CHARS:,} characters; Lectio "
                                              "does not import one this long."))
        return
    src = _unescape("\n".join(line for _, line in content))

    def line_of(at: int | None) -> int:
        return first if at is None else content[src.shape.count("\n", 0, at)][0]

    title = ""
    problems = []
    notes: list[tuple[int, str]] = []
    try:
        title, body = _split_title(src)
        draft = _read_question(body, title, notes)
    except _Trouble as trouble:
        problems.append(Problem(line_of(trouble.at), trouble.message, title))
    else:
        if draft.type != "description":  # a description is worth nothing, whatever it says
            draft = replace(draft, points=points)
        elif points_error:
            points_error = None
        draft = replace(draft, line=first)
        problems.extend(Problem(first, message, title) for message in draft_problems(draft))
    if points_error:
        problems.insert(0, replace(points_error, title=title))
    if problems:
        result.problems.extend(problems)
        return
    result.questions.append(draft)
    result.notices.extend(Problem(line_of(at), message, title) for at, message in notes)
    if PLUGINFILE in src.text:
        result.notices.append(Problem(first, PLUGINFILE_NOTICE, title))


def parse_gift(text: str) -> ParseResult:
    """Read GIFT text: every question Lectio can hold, and a Problem (with its line) for
    everything else.  A question with any problem is left out of ``questions``."""
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    result = ParseResult()
    if text.count("\n") >= MAX_LINES:
        result.problems.append(Problem(0, f"Too many lines (more than {MAX_LINES:,}): split "
                                          "it into smaller files and import them one by "
                                          "one."))
        return result
    if text.count("=") + text.count("~") > MAX_ANSWER_MARKS:
        result.problems.append(Problem(0, f"Too many answers (more than "
                                          f"{MAX_ANSWER_MARKS:,} = and ~ marks): split it "
                                          "into smaller files and import them one by one."))
        return result
    read = 0
    for paragraph in _paragraphs(text):
        if read >= MAX_QUESTIONS:
            result.problems.append(Problem(paragraph.lines[0][0], (
                f"The file holds more than {MAX_QUESTIONS:,} questions; nothing after this "
                "line was read. Split it into smaller files and import them one by one.")))
            break
        read += _read_paragraph(paragraph, result)
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
