"""Question banks in and out of a quiz: GIFT and Aiken files, read as drafts, stored whole.

Parsing is pure (`gift.py`, `aiken.py`); this module decides which parser reads
a file, turns a quiz's questions into drafts for export, and stores drafts in one
transaction so an import is never half done.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from decimal import Decimal

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max

from courses.uploads import STAGING_SECONDS

from .. import grading
from ..models import Choice, Question, Quiz
from . import aiken, gift, moodle_xml, qti, sniff
from .drafts import ChoiceDraft, ParseResult, Problem, QuestionDraft, draft_problems

FORMATS = {"gift": "Moodle GIFT", "aiken": "Aiken", "moodle_xml": "Moodle XML",
           "qti": "QTI 1.2 (Canvas, Blackboard, D2L)"}
_NAMES = {**FORMATS, "qti": "a QTI package (Canvas, Blackboard, D2L)",
          "xml": "an XML file of another kind"}


def format_guess(data: bytes, filename: str = "") -> str:
    """The format key of an uploaded question file: what its bytes show (sniff.looks_like),
    else its name's extension, else GIFT."""
    found = sniff.looks_like(data)
    if found in FORMATS:
        return found
    return "moodle_xml" if filename.lower().endswith(".xml") else "gift"


def question_file_parse(*, data: bytes, format: str) -> ParseResult:
    """Every question of the file as a draft, and every problem by line. A file that is
    plainly of another format is refused with that format's name, unread."""
    found = sniff.looks_like(data)
    if found is not None and found != format:
        advice = (f"choose “{FORMATS[found]}” as the format, or “Find out from the file”"
                  if found in FORMATS else "export the questions as Moodle XML, GIFT or Aiken")
        return ParseResult(problems=[Problem(0, (
            f"This looks like {_NAMES[found]}, not {FORMATS[format]}: {advice}."))])
    if format == "aiken":
        return aiken.parse_aiken_bytes(data)
    if format == "moodle_xml":
        return moodle_xml.parse_moodle_xml(data)
    if format == "qti":
        return qti.parse_qti(data)
    return gift.parse_gift_bytes(data)


def staged_file_parse(*, token: str, data: bytes, format: str) -> ParseResult:
    """question_file_parse of the staged upload `token` (whose bytes are `data`), kept in
    the cache while the upload waits: its bytes never change, so the preview's pages and
    its confirm parse a file once. The cache's keys carry the code version, so a deploy
    with another parser parses again."""
    key = f"lectio-question-file:{token}:{format}"
    parsed = cache.get(key)
    if parsed is None:
        parsed = question_file_parse(data=data, format=format)
        cache.set(key, parsed, STAGING_SECONDS)
    return parsed


def question_type_counts(drafts: Sequence[QuestionDraft]) -> list[tuple[str, int]]:
    """How many of `drafts` are of each question type, by the type's label, the most
    common first (ties in the order the types first appear)."""
    counts = Counter(d.type for d in drafts)
    return [(grading.TYPES[key].label, count) for key, count in counts.most_common()]


def question_draft(question: Question) -> QuestionDraft:
    """The draft a stored question exports as (uses prefetched choices when present)."""
    return QuestionDraft(
        type=question.type,
        title=question.title,
        prompt=question.prompt,
        points=_plain_number(question.points),
        explanation=question.explanation,
        config=dict(question.config or {}),
        choices=tuple(ChoiceDraft(text=c.text, fraction=_plain_number(c.fraction),
                                  feedback=c.feedback)
                      for c in question.choices.all()),
    )


def quiz_drafts(quiz: Quiz) -> list[QuestionDraft]:
    """The quiz's questions in order, as drafts: two queries whatever the size."""
    questions = quiz.questions.order_by("position", "pk").prefetch_related("choices")
    return [question_draft(q) for q in questions]


def quiz_export_gift(quiz: Quiz) -> tuple[str, list[Problem]]:
    """The quiz as GIFT text, and the questions GIFT cannot express (left out, by number)."""
    drafts = quiz_drafts(quiz)
    text, problems = gift.export_gift(drafts)
    header = f"// {quiz.title}: exported from Lectio\n"
    left_out = {p.line for p in problems}
    if any(d.points != 1 for n, d in enumerate(drafts, start=1)
           if n not in left_out and d.type != "description"):
        header += ("// Points: GIFT has none. A question worth other than 1 point has a "
                   "\"// points: N\" line\n// before it, which Lectio reads back; Moodle "
                   "ignores it and gives every question its\n// default mark of 1, so set "
                   "those marks in Moodle after importing (or use Moodle XML).\n")
    if problems:
        # Say in the file itself what is missing, so nobody mistakes it for the whole quiz.
        header += "".join(f"// Not exported: {p}\n" for p in problems)
    return header + "\n" + text, problems


def quiz_export_moodle_xml(quiz: Quiz) -> tuple[str, list[Problem]]:
    """The quiz as Moodle XML in a category named after it; what Moodle XML cannot express
    is named in a comment at the top of the file."""
    return moodle_xml.export_moodle_xml(quiz_drafts(quiz), category=quiz.title)


def quiz_export_qti(quiz: Quiz) -> tuple[bytes, list[Problem]]:
    """The quiz as a QTI 1.2 zip for Canvas Classic Quizzes (and Blackboard, D2L); what QTI
    cannot express is named in a comment in its assessment file."""
    return qti.export_qti(quiz_drafts(quiz), title=quiz.title, ident=f"lectio_quiz_{quiz.pk}")


def questions_import(*, quiz: Quiz, drafts: Sequence[QuestionDraft]) -> list[Question]:
    """Append `drafts` to the end of `quiz`, all of them or none.

    Raises ValidationError listing every draft Lectio cannot store (by its source line);
    nothing is written then.
    """
    problems = [str(Problem(d.line, message, d.title))
                for d in drafts for message in draft_problems(d)]
    if problems:
        raise ValidationError(problems)
    if not drafts:
        raise ValidationError("There are no questions to import.")
    with transaction.atomic():
        start = quiz.questions.aggregate(last=Max("position"))["last"] or 0
        questions = Question.objects.bulk_create(
            Question(quiz=quiz, position=start + n, type=d.type, title=d.title[:255],
                     prompt=d.prompt, points=Decimal(str(d.points)),
                     explanation=d.explanation, config=d.config)
            for n, d in enumerate(drafts, start=1)
        )
        Choice.objects.bulk_create(
            Choice(question=question, position=n, text=c.text,
                   fraction=Decimal(str(c.fraction)), feedback=c.feedback)
            for question, d in zip(questions, drafts, strict=True)
            for n, c in enumerate(d.choices, start=1)
        )
    return questions


def _plain_number(value: Decimal) -> float | int:
    """A stored decimal as the number a draft holds: 2 rather than 2.00, 0.5 as 0.5."""
    number = float(value)
    return int(number) if number.is_integer() else number
