"""Lesson packages: one lesson with its reading and quizzes as a portable JSON document.

Pure: no ORM. This module is the document's definition: the field tables below are what
`package_services.lesson_export` writes and `lesson_import` reads, and `package_problems`
says, with JSON paths, everything wrong with a loaded document before anything is stored.

Layout (version 1); ids, the course and who wrote what are never included::

    {"format": "lectio-lesson", "version": 1, "exported_at": "2025-01-31T09:00:00+00:00",
     "lesson": {title, slug, summary, objectives, available_from, before_reading,
                discussion},
     "reading": {title, dek, section, authors, author_notes, source, source_url,
                 published_on, date_note, licence, copy_note, content_hash, word_count,
                 reading_minutes, readability_grade},
     "passages": [{order, kind, text}],                   # order 1, 2, 3, ... in sequence
     "annotations": [{passage, kind, title, body, quote, start, end, audience, depth,
                      needs_review}],                     # passage = the passage's order
     "quizzes": [{kind, title, instructions, position, is_published, opens_at, closes_at,
                  time_limit_minutes, grace_seconds, attempts_allowed, grading_method,
                  shuffle_questions, shuffle_choices, review_when, review_score,
                  review_correctness, review_answers, review_explanations, pass_mark,
                  "questions": [{position, type, title, prompt, points, explanation, config,
                                 cites,                   # passage orders
                                 "choices": [{text, fraction, feedback}],
                                 "rubric": null | {title, "criteria": [{name, description,
                                     "levels": [{label, points, description}]}]}}]}]}

Passages are referred to by their order everywhere (annotations, cites, and the passage
numbers in evidence and two-part question settings, as `grading` reads them), so the
passages must be numbered 1, 2, 3, ... as Lectio numbers a reading's passages. Dates are ISO
8601 (`published_on` a date, the others times with a time zone). Decimal values are JSON
numbers. A field the tables below do not mark REQUIRED takes the model's default when absent.

What only the models know (the kinds, grading methods and audiences they accept, lengths,
URLs, decimal places) is checked by `lesson_import` running the models' own validation, so
those rules are written once.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from config.jsoninput import depth_of, loads_bounded

from .drafts import ChoiceDraft, QuestionDraft, draft_problems
from .package_values import (
    Check,
    _count,
    _day,
    _flag,
    _hash,
    _is_int,
    _list,
    _moment,
    _nonblank,
    _not_negative,
    _number,
    _object,
    _or_null,
    _order,
    _orders,
    _percent,
    _some,
    _text,
    _texts,
    to_moment,
)

PACKAGE_FORMAT = "lectio-lesson"
PACKAGE_VERSION = 1

# Field tables: name -> (check, required). Their keys, in order, are the document's keys;
# the export writes exactly these and the import accepts nothing else.
Fields = Mapping[str, tuple[Check, bool]]
REQUIRED, OPTIONAL = True, False

DOCUMENT: Fields = {
    "format": (_nonblank, REQUIRED), "version": (_count, REQUIRED),
    "exported_at": (_moment, OPTIONAL), "lesson": (_object, REQUIRED),
    "reading": (_object, REQUIRED), "passages": (_some, REQUIRED),
    "annotations": (_list, OPTIONAL), "quizzes": (_list, OPTIONAL),
}
LESSON: Fields = {
    "title": (_nonblank, REQUIRED), "slug": (_nonblank, REQUIRED), "summary": (_text, OPTIONAL),
    "objectives": (_texts, OPTIONAL), "available_from": (_moment, OPTIONAL),
    "before_reading": (_text, OPTIONAL), "discussion": (_texts, OPTIONAL),
}
READING: Fields = {
    "title": (_nonblank, REQUIRED), "dek": (_text, OPTIONAL), "section": (_text, OPTIONAL),
    "authors": (_texts, OPTIONAL), "author_notes": (_texts, OPTIONAL),
    "source": (_text, OPTIONAL), "source_url": (_text, OPTIONAL),
    "published_on": (_day, OPTIONAL), "date_note": (_text, OPTIONAL),
    "licence": (_text, OPTIONAL), "copy_note": (_text, OPTIONAL),
    "content_hash": (_hash, OPTIONAL), "word_count": (_count, OPTIONAL),
    "reading_minutes": (_count, OPTIONAL), "readability_grade": (_or_null(_number), OPTIONAL),
}
PASSAGE: Fields = {
    "order": (_order, REQUIRED), "kind": (_nonblank, OPTIONAL), "text": (_nonblank, REQUIRED),
}
ANNOTATION: Fields = {
    "passage": (_order, REQUIRED), "kind": (_nonblank, REQUIRED), "title": (_text, OPTIONAL),
    "body": (_nonblank, REQUIRED), "quote": (_nonblank, REQUIRED), "start": (_count, REQUIRED),
    "end": (_count, REQUIRED), "audience": (_nonblank, OPTIONAL),
    "depth": (_nonblank, OPTIONAL), "needs_review": (_flag, OPTIONAL),
}
QUIZ: Fields = {
    "kind": (_nonblank, REQUIRED), "title": (_nonblank, REQUIRED),
    "instructions": (_text, OPTIONAL), "position": (_count, OPTIONAL),
    "is_published": (_flag, OPTIONAL), "opens_at": (_moment, OPTIONAL),
    "closes_at": (_moment, OPTIONAL), "time_limit_minutes": (_or_null(_count), OPTIONAL),
    "grace_seconds": (_count, OPTIONAL), "attempts_allowed": (_or_null(_count), OPTIONAL),
    "grading_method": (_nonblank, OPTIONAL), "shuffle_questions": (_flag, OPTIONAL),
    "shuffle_choices": (_flag, OPTIONAL), "review_when": (_nonblank, OPTIONAL),
    "review_score": (_flag, OPTIONAL), "review_correctness": (_flag, OPTIONAL),
    "review_answers": (_flag, OPTIONAL), "review_explanations": (_flag, OPTIONAL),
    "pass_mark": (_percent, OPTIONAL), "questions": (_list, REQUIRED),
}
QUESTION: Fields = {
    "position": (_count, OPTIONAL), "type": (_nonblank, REQUIRED), "title": (_text, OPTIONAL),
    "prompt": (_nonblank, REQUIRED), "points": (_number, OPTIONAL),
    "explanation": (_text, OPTIONAL), "config": (_object, OPTIONAL),
    "cites": (_orders, OPTIONAL), "choices": (_list, OPTIONAL),
    "rubric": (_or_null(_object), OPTIONAL),
}
CHOICE: Fields = {
    "text": (_text, REQUIRED), "fraction": (_number, OPTIONAL), "feedback": (_text, OPTIONAL),
}
RUBRIC: Fields = {"title": (_text, OPTIONAL), "criteria": (_some, REQUIRED)}
CRITERION: Fields = {
    "name": (_nonblank, REQUIRED), "description": (_text, OPTIONAL), "levels": (_some, REQUIRED),
}
LEVEL: Fields = {
    "label": (_nonblank, REQUIRED), "points": (_not_negative, REQUIRED),
    "description": (_text, OPTIONAL),
}
# Keys that hold nested objects or passage references rather than a column of the row.
NESTED = frozenset({"passage", "questions", "cites", "choices", "rubric", "criteria", "levels"})


def _at(path: str, name: str) -> str:
    return f"{path}.{name}" if path else name


def _fields(obj: Any, fields: Fields, path: str, out: list[str]) -> bool:
    """Check `obj` against `fields`, adding a message per problem; True when all is well."""
    if not isinstance(obj, dict):
        out.append(f"{path}: must be an object ({{...}}).")
        return False
    before = len(out)
    where = path or "The document"
    for name, (check, required) in fields.items():
        if name not in obj:
            if required:
                out.append(f"{where}: “{name}” is missing.")
        elif message := check(obj[name]):
            out.append(f"{_at(path, name)}: {message}.")
    out.extend(f"{where}: unknown field “{name}”." for name in obj if name not in fields)
    return len(out) == before


# Bounds on what one package may ask the server to build, checked on the text and then on
# the loaded document before anything is looked at item by item: a package nested 5,000
# levels deep, or holding a million notes, once took a worker down. A real lesson is far
# inside them (the seed lesson: 64 passages, 36 notes, 2 quizzes, 26 questions, depth 9).
MAX_DEPTH = 20
MAX_CONTAINERS = 200_000
MAX_ITEMS = {"passages": 5_000, "annotations": 10_000, "quizzes": 100}
MAX_QUESTIONS = 2_000  # over all quizzes
MAX_CHOICES = 100  # per question; also the most rubric criteria, and levels per criterion


def package_loads(data: bytes, *, max_bytes: int) -> Any:
    """The JSON document in `data` (UTF-8, a byte order mark allowed), parsed only within
    the bounds above: raises JSONInputError (a ValueError) with a message otherwise."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    return loads_bounded(data, max_bytes=max_bytes, max_depth=MAX_DEPTH,
                         max_containers=MAX_CONTAINERS, what="The file")


def package_question_count(doc: Any) -> int:
    """How many questions the document's quizzes hold, before anything else is checked."""
    if not isinstance(doc, dict):
        return 0
    return sum(len(_items(quiz, "questions")) for quiz in _items(doc, "quizzes")
               if isinstance(quiz, dict))


def _too_much(doc: dict) -> list[str]:
    """Counts past the bounds, found without looking at any item's contents."""
    out = [f"“{name}” holds {len(doc[name]):,} items; a package holds at most {limit:,}."
           for name, limit in MAX_ITEMS.items()
           if isinstance(doc.get(name), list) and len(doc[name]) > limit]
    quizzes = [q for q in _items(doc, "quizzes") if isinstance(q, dict)]
    questions = [q for quiz in quizzes for q in _items(quiz, "questions")
                 if isinstance(q, dict)]
    if len(questions) > MAX_QUESTIONS:
        out.append(f"The quizzes hold {len(questions):,} questions; a package holds at most "
                   f"{MAX_QUESTIONS:,}.")
    for question in questions:
        rubric = question.get("rubric") if isinstance(question.get("rubric"), dict) else {}
        criteria = [c for c in _items(rubric, "criteria") if isinstance(c, dict)]
        sizes = [len(_items(question, "choices")), len(criteria),
                 *(len(_items(c, "levels")) for c in criteria)]
        if max(sizes) > MAX_CHOICES:
            out.append(f"A question holds more than {MAX_CHOICES} choices, rubric criteria "
                       "or levels.")
            break
    return out


def package_problems(doc: Any) -> list[str]:
    """Everything wrong with a loaded package document, each with its JSON path; [] when
    `lesson_import` can store it. A document of another format or a newer version gives
    that one problem and is not looked at further. Never raises."""
    if not isinstance(doc, dict):
        return ["The document must be a JSON object ({...})."]
    if doc.get("format") != PACKAGE_FORMAT:
        return [f"This is not a Lectio lesson package: its “format” is not “{PACKAGE_FORMAT}”."]
    version = doc.get("version")
    if not _is_int(version) or version < 1:
        return [f"“version” must be a whole number such as {PACKAGE_VERSION}."]
    if version > PACKAGE_VERSION:
        return [f"This package is format version {version}, written by a newer Lectio; this "
                f"site reads version {PACKAGE_VERSION}. Update Lectio to import it."]
    if depth_of(doc) > MAX_DEPTH:
        return [f"The document is nested more than {MAX_DEPTH} levels deep; a lesson "
                "package is not."]
    out = _too_much(doc)
    if out:
        return out  # nothing is checked item by item in a document this large
    _unstorable(doc, "", out)
    if out:
        return out  # the other messages could quote the bad text back
    _fields(doc, DOCUMENT, "", out)
    if isinstance(doc.get("lesson"), dict):
        _fields(doc["lesson"], LESSON, "lesson", out)
    if isinstance(doc.get("reading"), dict):
        _fields(doc["reading"], READING, "reading", out)
    texts = _passages(doc.get("passages"), out)
    for n, note in enumerate(_items(doc, "annotations")):
        _annotation(note, f"annotations[{n}]", texts, out)
    for n, quiz in enumerate(_items(doc, "quizzes")):
        _quiz(quiz, f"quizzes[{n}]", texts, out)
    return out


def _unstorable(value: Any, path: str, out: list[str]) -> None:
    """Report texts no database can hold: PostgreSQL refuses NUL, and JSON's "\\ud800"
    escapes give lone surrogates that cannot even be printed in a message."""
    if isinstance(value, str) and not _storable(value):
        out.append(f"{path or 'The document'}: holds a NUL character or a lone surrogate, "
                   "which cannot be stored.")
    elif isinstance(value, dict):
        for key, item in value.items():
            if _storable(key):
                _unstorable(item, _at(path, key), out)
            else:
                _unstorable(key, path, out)
    elif isinstance(value, list):
        for n, item in enumerate(value):
            _unstorable(item, f"{path}[{n}]", out)


def _storable(text: Any) -> bool:
    if not isinstance(text, str):
        return True  # only a document built in Python has other keys; the checks name them
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return "\x00" not in text


def _items(obj: dict, name: str) -> list:
    value = obj.get(name)
    return value if isinstance(value, list) else []


def _passages(passages: Any, out: list[str]) -> dict[int, str]:
    """Check the passages; return their texts by order (only those that are sound)."""
    texts: dict[int, str] = {}
    if not isinstance(passages, list):
        return texts
    for n, passage in enumerate(passages):
        if _fields(passage, PASSAGE, f"passages[{n}]", out):
            texts[passage["order"]] = passage["text"]
    orders = [p.get("order") if isinstance(p, dict) else None for p in passages]
    if all(map(_is_int, orders)) and orders != list(range(1, len(passages) + 1)):
        # reading_create numbers passages 1, 2, 3...; any other numbering would silently
        # re-point every annotation, cite and evidence key.
        out.append("passages: the passages must be numbered 1, 2, 3, ... in order.")
    return texts


def _where(number: int, texts: dict[int, str]) -> str:
    if not texts:
        return f"there is no passage {number}"
    return f"there is no passage {number}; the reading has passages 1 to {max(texts)}"


def _annotation(note: Any, path: str, texts: dict[int, str], out: list[str]) -> None:
    if not _fields(note, ANNOTATION, path, out):
        return
    text = texts.get(note["passage"])
    start, end, quote = note["start"], note["end"], note["quote"]
    if text is None:
        out.append(f"{path}.passage: {_where(note['passage'], texts)}.")
    elif end != start + len(quote):
        out.append(f"{path}: “end” must be “start” plus the length of the quote "
                   f"({start} + {len(quote)} = {start + len(quote)}).")
    elif not note.get("needs_review", False) and text[start:end] != quote:
        # A note flagged for review lost its quote when the passage was edited; its offsets
        # are kept as they were, for the instructor to fix.
        out.append(f"{path}: the quote is not at characters {start} to {end} of passage "
                   f"{note['passage']}.")


def _quiz(quiz: Any, path: str, texts: dict[int, str], out: list[str]) -> None:
    if _fields(quiz, QUIZ, path, out) and quiz.get("opens_at") and quiz.get("closes_at") \
            and to_moment(quiz["closes_at"]) <= to_moment(quiz["opens_at"]):
        out.append(f"{path}.closes_at: must be later than “opens_at”.")
    for n, question in enumerate(_items(quiz, "questions") if isinstance(quiz, dict) else []):
        _question(question, f"{path}.questions[{n}]", texts, out)


def _question(question: Any, path: str, texts: dict[int, str], out: list[str]) -> None:
    if not _fields(question, QUESTION, path, out):
        return
    # Every choice is checked, not just up to the first bad one: all problems are listed.
    sound = [_fields(c, CHOICE, f"{path}.choices[{n}]", out)
             for n, c in enumerate(question.get("choices", []))]
    ok = all(sound)
    if question.get("rubric") is not None:
        ok = _rubric(question["rubric"], f"{path}.rubric", out) and ok
    for number in question.get("cites", []):
        if number not in texts:
            out.append(f"{path}.cites: {_where(number, texts)}.")
    _picked_passages(question, path, texts, out)
    if ok:
        out.extend(f"{path}: {message}" for message in draft_problems(question_draft(question)))


def _rubric(rubric: Any, path: str, out: list[str]) -> bool:
    ok = _fields(rubric, RUBRIC, path, out)
    for n, criterion in enumerate(_items(rubric, "criteria") if isinstance(rubric, dict) else []):
        where = f"{path}.criteria[{n}]"
        if not _fields(criterion, CRITERION, where, out):
            ok = False
            continue
        levels = [_fields(level, LEVEL, f"{where}.levels[{m}]", out)
                  for m, level in enumerate(criterion["levels"])]
        ok = ok and all(levels)
    return ok


def _picked_passages(question: dict, path: str, texts: dict[int, str], out: list[str]) -> None:
    """Passage numbers in evidence and two-part settings must name passages of the reading."""
    config = question.get("config") or {}
    blocks = {"evidence": ("config", config), "twopart": ("config.part_b", config.get("part_b"))}
    where, block = blocks.get(question["type"], ("", None))
    if not isinstance(block, dict):
        return
    for key in ("key", "passages"):
        numbers = block.get(key)
        for number in numbers if isinstance(numbers, list) else []:
            if _is_int(number) and number >= 1 and number not in texts:
                out.append(f"{path}.{where}.{key}: {_where(number, texts)}.")


def question_draft(question: dict) -> QuestionDraft:
    """The draft of a package question whose fields passed their checks."""
    return QuestionDraft(
        type=question["type"],
        prompt=question["prompt"],
        points=float(question.get("points", 1)),
        title=question.get("title", ""),
        explanation=question.get("explanation", ""),
        config=question.get("config", {}),
        choices=tuple(ChoiceDraft(c["text"], float(c.get("fraction", 0)), c.get("feedback", ""))
                      for c in question.get("choices", [])),
    )
