"""Reading QTI 1.2 (a Canvas Classic Quizzes export, or any package in that shape) into
drafts: each ``<item>`` by its Canvas question type, or by its presentation when it has none."""

from __future__ import annotations

import re
from collections.abc import Callable
from xml.etree.ElementTree import Element

from ..drafts import ChoiceDraft, ParseResult, Problem, QuestionDraft, draft_problems
from ..moodle_xml.read import name_for
from ..sniff import ZIP_SIGNATURE
from ..xmlsafe import XMLTrouble, line_of, read_elements
from .package import PackageTrouble, open_package, resolve
from .text import as_imported, as_plain, inline_images
from .write import WEIGHTS_FIELD

MAX_BYTES = 20 * 1024 * 1024
MAX_QUESTIONS = 5_000
MAX_CHOICES = 100
_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")
_INTEGER = re.compile(r"[+-]?\d+")
_REFUSED = {
    "fill_in_multiple_blanks_question": "several blanks",
    "multiple_dropdowns_question": "several drop-down lists",
    "calculated_question": "formulas",
    "file_upload_question": "file uploads",
}
_TYPES = {"multiple_choice_question": "single", "multiple_answers_question": "multiple",
          "true_false_question": "truefalse", "short_answer_question": "short",
          "numerical_question": "numeric", "matching_question": "matching",
          "essay_question": "open", "text_only_question": "description"}


class _Refused(Exception):
    """This item cannot be imported; the message says why."""


def _number(text: str | None) -> int | float:
    text = (text or "").strip()
    if not _NUMBER.fullmatch(text):
        raise _Refused(f"“{text}” is not a number.")
    return int(text) if _INTEGER.fullmatch(text) else float(text)


class _Reader:
    """One item, with the package's pictures at hand."""

    def __init__(self, item: Element, resolve_src: Callable[[str], str | None]) -> None:
        self.item = item
        self.resolve = resolve_src
        self.notes: list[str] = []
        self.meta = {f.findtext("fieldlabel", "").strip(): f.findtext("fieldentry", "").strip()
                     for f in item.iter("qtimetadatafield")}
        self.presentation = item.find("presentation")
        if self.presentation is None:
            raise _Refused("This item has no presentation (no question text).")
        self.feedback = {f.get("ident", ""): f for f in item.findall("itemfeedback")}
        self.conditions = item.findall("resprocessing/respcondition")

    def text(self, holder: Element | None) -> str:
        """The Markdown of the first ``material/mattext`` directly in ``holder``."""
        node = None if holder is None else holder.find("material/mattext")
        if node is None:
            node = None if holder is None else holder.find("flow_mat/material/mattext")
        if node is None:
            return ""
        texttype = node.get("texttype", "")
        raw = node.text or ""
        if texttype == "text/html":
            raw = inline_images(raw, self.resolve, self.notes)
        return as_imported(texttype, raw)

    def plain(self, holder: Element) -> str:
        node = holder.find("material/mattext")
        return "" if node is None else as_plain(node.get("texttype", ""), node.text or "")

    def feedback_for(self, condition: Element) -> str:
        shown = [d.get("linkrefid", "") for d in condition.findall("displayfeedback")]
        return "\n\n".join(t for t in (self.text(self.feedback.get(i)) for i in shown) if t)

    def labels(self, lid: Element) -> list[tuple[str, str]]:
        found = [(label.get("ident", ""), self.plain(label))
                 for label in lid.iter("response_label")]
        if len(found) > MAX_CHOICES:
            raise _Refused(f"This item has more than {MAX_CHOICES} choices.")
        return found

    @staticmethod
    def score(condition: Element) -> float | None:
        setvar = condition.find("setvar")
        if setvar is None:
            return None
        return round(float(_number(setvar.text)) / 100, 7)

    @staticmethod
    def equals(conditionvar: Element | None) -> list[Element]:
        """The ``varequal`` tests of a condition that are not negated."""
        if conditionvar is None:
            return []
        negated = {id(e) for n in conditionvar.iter("not") for e in n.iter("varequal")}
        return [e for e in conditionvar.iter("varequal") if id(e) not in negated]

    # --- types ---------------------------------------------------------------------------

    def choices(self, kind: str) -> dict:
        lid = self.presentation.find("response_lid")
        labels = self.labels(lid)
        credit: dict[str, float] = {}
        notes: dict[str, str] = {}
        for condition in self.conditions:
            tested = [e.text.strip() for e in self.equals(condition.find("conditionvar"))
                      if e.text]
            score = self.score(condition)
            if kind == "single" and len(tested) == 1 and score is not None:
                credit[tested[0]] = max(credit.get(tested[0], 0.0), score)
            if kind == "multiple" and score is not None and score > 0:
                for ident in tested:
                    credit[ident] = 1.0
            text = self.feedback_for(condition)
            if len(tested) == 1 and text and not condition.findall("setvar"):
                notes[tested[0]] = text
        fractions = [credit.get(ident, 0.0) for ident, _ in labels]
        if kind == "multiple":
            fractions = self._weights(fractions)
        render = lid.find("render_choice")
        shuffle = render is None or render.get("shuffle", "Yes").lower() != "no"
        return {"type": kind, "config": {} if shuffle else {"shuffle": False},
                "choices": tuple(ChoiceDraft(text, fraction, notes.get(ident, ""))
                                 for (ident, text), fraction in zip(labels, fractions,
                                                                     strict=True))}

    def _weights(self, right: list[float]) -> list[float]:
        """Lectio's own weights when the file carries them; else Canvas's scoring: each
        right answer 1/k of the marks, each wrong one ticked costs as much."""
        written = self.meta.get(WEIGHTS_FIELD, "").split()
        if len(written) == len(right) and all(_NUMBER.fullmatch(w) for w in written):
            return [float(_number(w)) for w in written]
        k = sum(1 for r in right if r > 0) or 1
        return [round(1 / k, 7) if r > 0 else round(-1 / k, 7) for r in right]

    def truefalse(self) -> dict:
        lid = self.presentation.find("response_lid")
        words = {ident: text.strip().lower() for ident, text in self.labels(lid)}
        config: dict = {}
        for condition in self.conditions:
            tested = [e.text.strip() for e in self.equals(condition.find("conditionvar"))
                      if e.text]
            if len(tested) != 1 or words.get(tested[0]) not in ("true", "false"):
                continue
            word = words[tested[0]]
            if (self.score(condition) or 0) >= 1:
                config["answer"] = word == "true"
            text = self.feedback_for(condition)
            if text:
                config[f"feedback_{word}"] = text
        if "answer" not in config:
            raise _Refused("Neither True nor False is scored as the right answer.")
        return {"type": "truefalse", "config": config}

    def short(self) -> dict:
        answers, case = [], False
        for condition in self.conditions:
            score = self.score(condition)
            for test in self.equals(condition.find("conditionvar")):
                if score is None or test.text is None:
                    continue
                case = case or test.get("case", "No").lower() == "yes"
                entry = {"text": test.text.strip(), "fraction": score}
                text = self.feedback_for(condition)
                if text:
                    entry["feedback"] = text
                answers.append(entry)
        config: dict = {"answers": answers}
        if case:
            config["case_sensitive"] = True
        return {"type": "short", "config": config}

    def numeric(self) -> dict:
        answers, config = [], {}
        for condition in self.conditions:
            conditionvar = condition.find("conditionvar")
            score = self.score(condition)
            if conditionvar is None:
                continue
            if score is None:
                if conditionvar.find("other") is not None and "general_incorrect_fb" in [
                        d.get("linkrefid") for d in condition.findall("displayfeedback")]:
                    config["feedback_other"] = self.feedback_for(condition)
                continue
            entry = self._numeric_test(conditionvar)
            entry["fraction"] = score
            text = self.feedback_for(condition)
            if text:
                entry["feedback"] = text
            answers.append(entry)
        return {"type": "numeric", "config": {"answers": answers, **config}}

    @staticmethod
    def _numeric_test(conditionvar: Element) -> dict:
        equal = conditionvar.find(".//varequal")
        low, high = conditionvar.find(".//vargte"), conditionvar.find(".//varlte")
        if low is None or high is None:
            if equal is None:
                raise _Refused("A numeric answer gives neither a value nor a range.")
            return {"value": _number(equal.text)}
        low_value, high_value = _number(low.text), _number(high.text)
        if equal is None:
            return {"min": low_value, "max": high_value}
        value = _number(equal.text)
        tolerance = round(high_value - value, 10)
        if isinstance(value, int) and isinstance(high_value, int):
            tolerance = int(tolerance)
        return {"value": value, "tolerance": tolerance}

    def matching(self) -> dict:
        lids = self.presentation.findall("response_lid")
        options: dict[str, str] = {}
        prompts = []
        for lid in lids:
            prompts.append((lid.get("ident", ""), self.plain(lid)))
            options.update(self.labels(lid))
        chosen: dict[str, str] = {}
        for condition in self.conditions:
            for test in self.equals(condition.find("conditionvar")):
                if test.text and (self.score(condition) or 0) > 0:
                    chosen[test.get("respident", "")] = options.get(test.text.strip(), "")
        pairs = [{"prompt": text, "answer": chosen.get(ident, "")} for ident, text in prompts]
        used = {p["answer"] for p in pairs}
        config: dict = {"pairs": pairs}
        distractors = [text for text in options.values() if text not in used]
        if distractors:
            config["distractors"] = distractors
        return {"type": "matching", "config": config}

    def kind(self) -> str:
        canvas = self.meta.get("question_type", "")
        if canvas in _REFUSED:
            raise _Refused(f"Canvas questions with {_REFUSED[canvas]} cannot be imported: "
                           "Lectio has no such question type.")
        if canvas in _TYPES:
            return _TYPES[canvas]
        if canvas:
            raise _Refused(f"“{canvas}” questions cannot be imported: Lectio has no such "
                           "question type.")
        lids = self.presentation.findall("response_lid")
        if len(lids) > 1:
            return "matching"
        if lids:
            texts = sorted(text.strip().lower() for _, text in self.labels(lids[0]))
            if texts == ["false", "true"]:
                return "truefalse"
            return "multiple" if lids[0].get("rcardinality") == "Multiple" else "single"
        fib = self.presentation.find("response_str/render_fib")
        if fib is None:
            return "description"
        if fib.get("fibtype", "String") in ("Decimal", "Integer"):
            return "numeric"
        scored = any(c.find("setvar") is not None for c in self.conditions)
        return "short" if scored else "open"

    def draft(self) -> QuestionDraft:
        kind = self.kind()
        fields: dict = {"choices": (), "config": {}}
        if kind in ("single", "multiple"):
            fields.update(self.choices(kind))
        elif kind != "description" and kind != "open":
            fields.update(getattr(self, {"truefalse": "truefalse", "short": "short",
                                         "numeric": "numeric", "matching": "matching"}[kind])())
        fields["type"] = kind
        points = 0 if kind == "description" else _number(self.meta.get("points_possible")
                                                          or "1")
        prompt = self.text(self.presentation)
        title = self.item.get("title", "").strip()
        return QuestionDraft(prompt=prompt, points=float(points),
                             title="" if title in (name_for(prompt), "Question") else title,
                             explanation=self.text(self.feedback.get("general_fb")),
                             line=line_of(self.item), **fields)


def _read_assessment(name: str, data: bytes, images: dict[str, str], result: ParseResult,
                     count: list[int]) -> None:
    def take(item: Element) -> None:
        count[0] += 1
        line = line_of(item)
        if count[0] > MAX_QUESTIONS:
            if count[0] == MAX_QUESTIONS + 1:
                result.problems.append(Problem(line, (
                    f"The file holds more than {MAX_QUESTIONS:,} questions; nothing from "
                    "here on was read.")))
            return
        title = item.get("title", "")
        try:
            reader = _Reader(item, lambda src: resolve(src, name, images))
            draft = reader.draft()
        except _Refused as refused:
            result.problems.append(Problem(line, str(refused), title))
            return
        if draft.type == "description":
            draft = QuestionDraft(**{**draft.__dict__, "points": 0})
        problems = draft_problems(draft)
        if problems:
            result.problems.extend(Problem(line, p, title) for p in problems)
            return
        result.questions.append(draft)
        result.notices.extend(Problem(line, note, title) for note in reader.notes)

    root = read_elements(data, record="item", on_record=take)
    if root != "questestinterop":
        raise XMLTrouble(f"“{name}” starts with <{root}>, not <questestinterop>, so it is "
                         "not a QTI assessment.")


def parse_qti(data: bytes) -> ParseResult:
    """Read a QTI package (zip) or a bare QTI assessment file: every item Lectio can hold,
    a Problem (with its line and title) for every other. Several assessments in one package
    are read in the manifest's order; a problem's line is in its own file."""
    if len(data) > MAX_BYTES:
        return ParseResult(problems=[Problem(0, (
            f"The file is larger than {MAX_BYTES // (1024 * 1024)} MB; split it."))])
    result = ParseResult()
    try:
        if data.startswith(ZIP_SIGNATURE):
            assessments, images = open_package(data)
        else:
            assessments, images = [("assessment.xml", data)], {}
        count = [0]
        for name, xml in assessments:
            _read_assessment(name, xml, images, result, count)
    except PackageTrouble as trouble:
        return ParseResult(problems=[Problem(0, str(trouble))])
    except XMLTrouble as trouble:
        return ParseResult(problems=[Problem(trouble.line, trouble.message)])
    if not result.questions and not result.problems:
        result.problems.append(Problem(0, "The file holds no questions."))
    return result
