"""Reading a Moodle XML question file into drafts: one reader per Moodle question type."""

from __future__ import annotations

import re
from collections.abc import Callable
from xml.etree.ElementTree import Element

from ..aiken import markdown_to_plain
from ..drafts import (
    ChoiceDraft,
    ParseResult,
    Problem,
    QuestionDraft,
    category_notice,
    draft_problems,
)
from ..xmlsafe import XMLTrouble, line_of, read_elements
from .text import child_text, to_markdown, to_plain

MAX_BYTES = 20 * 1024 * 1024
MAX_QUESTIONS = 5_000
MAX_ANSWERS = 100
_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")
_INTEGER = re.compile(r"[+-]?\d+")
_TRUE = ("1", "true", "yes")
_REFUSED = {
    "cloze": "Cloze (embedded answers) questions cannot be imported: Lectio has no question "
             "with several answer gaps. Split it into one question per gap.",
    "multianswer": "Cloze (embedded answers) questions cannot be imported: Lectio has no "
                   "question with several answer gaps. Split it into one question per gap.",
}


class _Refused(Exception):
    """This question cannot be imported; the message says why."""


def _number(text: str, what: str) -> int | float:
    text = (text or "").strip()
    if not _NUMBER.fullmatch(text):
        raise _Refused(f"{what} “{text}” is not a number.")
    return int(text) if _INTEGER.fullmatch(text) else float(text)


def _fraction(answer: Element) -> float:
    """An answer's credit: Moodle writes percents (100, 33.33333, -50)."""
    return round(float(_number(answer.get("fraction", "0"), "The credit")) / 100, 7)


def _flag(question: Element, name: str, default: bool) -> bool:
    node = question.find(name)
    if node is None or not (node.text or "").strip():
        return default
    return node.text.strip().lower() in _TRUE


def _answers(question: Element) -> list[Element]:
    found = question.findall("answer")
    if len(found) > MAX_ANSWERS:
        raise _Refused(f"This question has more than {MAX_ANSWERS} answers.")
    return found


def _multichoice(q: Element, notes: list[str]) -> dict:
    choices = tuple(ChoiceDraft(to_plain(a, notes), _fraction(a),
                                to_markdown(a.find("feedback"), notes))
                    for a in _answers(q))
    config = {} if _flag(q, "shuffleanswers", True) else {"shuffle": False}
    return {"type": "single" if _flag(q, "single", True) else "multiple",
            "choices": choices, "config": config}


def _truefalse(q: Element, notes: list[str]) -> dict:
    config: dict = {}
    answer = None
    for a in _answers(q):
        word = child_text(a, "").strip().lower()
        if word not in ("true", "false"):
            raise _Refused(f"A true/false answer must be “true” or “false”, not “{word}”.")
        if _fraction(a) >= 1:
            answer = word == "true"
        feedback = to_markdown(a.find("feedback"), notes)
        if feedback:
            config[f"feedback_{word}"] = feedback
    if answer is None:
        raise _Refused("Neither “true” nor “false” is marked right (fraction 100).")
    return {"type": "truefalse", "config": {"answer": answer, **dict(sorted(config.items()))}}


def _entry(a: Element, notes: list[str], text: str | int | float, key: str) -> dict:
    entry: dict = {key: text, "fraction": _fraction(a)}
    feedback = to_markdown(a.find("feedback"), notes)
    if feedback:
        entry["feedback"] = feedback
    return entry


def _shortanswer(q: Element, notes: list[str]) -> dict:
    answers = [_entry(a, notes, to_plain(a, notes), "text") for a in _answers(q)]
    config: dict = {"answers": answers}
    if _flag(q, "usecase", False):
        config["case_sensitive"] = True
    return {"type": "short", "config": config}


def _numerical(q: Element, notes: list[str]) -> dict:
    answers, config = [], {}
    for a in _answers(q):
        text = child_text(a, "").strip()
        if text == "*":  # Moodle's "any other answer"
            feedback = to_markdown(a.find("feedback"), notes)
            if feedback:
                config["feedback_other"] = feedback
            continue
        entry = _entry(a, notes, _number(text, "The answer"), "value")
        if a.find("tolerance") is not None:
            entry["tolerance"] = _number(a.findtext("tolerance") or "0", "The tolerance")
        answers.append(entry)
    if q.find("units/unit") is not None:
        notes.append("Its units are left out: Lectio compares the number only.")
    return {"type": "numeric", "config": {"answers": answers, **config}}


def _matching(q: Element, notes: list[str]) -> dict:
    pairs, distractors = [], []
    subquestions = q.findall("subquestion")
    if len(subquestions) > MAX_ANSWERS:
        raise _Refused(f"This question has more than {MAX_ANSWERS} pairs.")
    for sub in subquestions:
        left = to_plain(sub, notes)
        right = child_text(sub.find("answer"), "").strip()
        if left:
            pairs.append({"prompt": left, "answer": right})
        elif right:
            distractors.append(right)
    config: dict = {"pairs": pairs}
    if distractors:
        config["distractors"] = distractors
    return {"type": "matching", "config": config}


def _essay(q: Element, notes: list[str]) -> dict:
    config: dict = {}
    for moodle, lectio in (("minwordlimit", "min_words"), ("maxwordlimit", "max_words")):
        value = (q.findtext(moodle) or "").strip()
        if value and value != "0":
            config[lectio] = int(_number(value, "The word limit"))
    if child_text(q, "graderinfo").strip():
        notes.append("Its information for graders is left out: Lectio would show a model "
                     "answer to students at review.")
    return {"type": "open", "config": config}


def _ordering(q: Element, notes: list[str]) -> dict:
    ranked = sorted(enumerate(_answers(q)), key=lambda pair: (_fraction(pair[1]), pair[0]))
    return {"type": "ordering", "config": {"items": [to_plain(a, notes) for _, a in ranked]}}


def _description(q: Element, notes: list[str]) -> dict:
    return {"type": "description", "points": 0}


READERS: dict[str, Callable[[Element, list[str]], dict]] = {
    "multichoice": _multichoice, "truefalse": _truefalse, "shortanswer": _shortanswer,
    "numerical": _numerical, "match": _matching, "essay": _essay, "ordering": _ordering,
    "description": _description,
}


def _overall_feedback(q: Element) -> bool:
    return any(child_text(q, name).strip() for name in
               ("correctfeedback", "partiallycorrectfeedback", "incorrectfeedback"))


def read_question(q: Element, notes: list[str]) -> QuestionDraft:
    """The draft of one ``<question>``; raises _Refused for what Lectio cannot hold."""
    kind = q.get("type", "")
    if kind in _REFUSED:
        raise _Refused(_REFUSED[kind])
    if kind not in READERS:
        raise _Refused(f"Moodle's “{kind or 'untyped'}” questions cannot be imported: Lectio "
                       "has no such question type.")
    prompt = to_markdown(q.find("questiontext"), notes)
    fields = {"points": 1.0, "choices": (), "config": {}, **READERS[kind](q, notes)}
    if kind != "description":
        grade = (q.findtext("defaultgrade") or "1").strip()
        fields["points"] = float(_number(grade, "The mark"))
    if _overall_feedback(q):
        notes.append("Its overall feedback for right, partly right and wrong answers is left "
                     "out: Lectio gives feedback per answer and general feedback.")
    if q.find("hint") is not None and child_text(q, "hint").strip():
        notes.append("Its hints are left out: Lectio grades each attempt once, with no "
                     "further tries.")
    title = child_text(q, "name").strip()
    return QuestionDraft(prompt=prompt, title=title if title != name_for(prompt) else "",
                         explanation=to_markdown(q.find("generalfeedback"), notes),
                         line=line_of(q), **fields)


def name_for(prompt: str) -> str:
    """The name Lectio's export gives a question without a title (the start of its text),
    which the import therefore does not keep as a title."""
    words = " ".join(re.sub(r"<[^>]*>", " ", markdown_to_plain(prompt)).split())
    return words[:60].rstrip() or "Question"


class _File:
    """What the reader has seen so far: the result, the questions, whether any has a
    penalty."""

    def __init__(self) -> None:
        self.result = ParseResult()
        self.penalties = False
        self.count = 0

    def take(self, q: Element) -> None:
        line = line_of(q)
        if q.get("type") == "category":
            self.result.notices.append(category_notice(line, child_text(q, "category")))
            return
        self.count += 1
        if self.count > MAX_QUESTIONS:
            if self.count == MAX_QUESTIONS + 1:
                self.result.problems.append(Problem(line, (
                    f"The file holds more than {MAX_QUESTIONS:,} questions; nothing from "
                    "here on was read. Split it and import the parts one by one.")))
            return
        title = child_text(q, "name").strip()
        notes: list[str] = []
        try:
            draft = read_question(q, notes)
        except _Refused as refused:
            self.result.problems.append(Problem(line, str(refused), title))
            return
        penalty = (q.findtext("penalty") or "0").strip()
        if _NUMBER.fullmatch(penalty) and float(penalty) > 0:
            self.penalties = True
        problems = draft_problems(draft)
        if problems:
            self.result.problems.extend(Problem(line, p, title) for p in problems)
            return
        self.result.questions.append(draft)
        self.result.notices.extend(Problem(line, note, title) for note in notes)


def parse_moodle_xml(data: bytes) -> ParseResult:
    """Read Moodle XML: every question Lectio can hold, a Problem (with its line and name)
    for every other, and notices for what is left out of the questions that are kept."""
    if len(data) > MAX_BYTES:
        return ParseResult(problems=[Problem(0, (
            f"The file is larger than {MAX_BYTES // (1024 * 1024)} MB; split it into smaller "
            "files."))])
    file = _File()
    try:
        root = read_elements(data, record="question", on_record=file.take)
    except XMLTrouble as trouble:
        return ParseResult(problems=[Problem(trouble.line, trouble.message)])
    if root != "quiz":
        return ParseResult(problems=[Problem(1, (
            f"This XML file starts with <{root}>, not <quiz>, so it is not a Moodle XML "
            "question file."))])
    if file.penalties:
        file.result.notices.insert(0, Problem(0, (
            "Moodle's penalties for each extra try do not apply: Lectio grades each attempt "
            "once.")))
    if not file.result.questions and not file.result.problems:
        file.result.problems.append(Problem(0, "The file holds no questions."))
    return file.result
