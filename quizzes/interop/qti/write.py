"""Writing drafts as a QTI 1.2 package in the shape Canvas Classic Quizzes exports and
imports (also read by Blackboard and D2L): imsmanifest.xml and one assessment file."""

from __future__ import annotations

from collections.abc import Iterable
from xml.etree.ElementTree import Element, SubElement, indent, tostring

from courses.markdown import render_markdown

from ..aiken import markdown_to_plain, plain_to_markdown
from ..drafts import Problem, QuestionDraft, draft_problems
from ..moodle_xml.read import name_for
from ..moodle_xml.text import from_markdown, xml_comment
from ..moodle_xml.text import number_text as _number
from .package import MANIFEST, write_package
from .text import as_imported

QTI_NS = "http://www.imsglobal.org/xsd/ims_qtiasiv1p2"
CANVAS_TYPES = {
    "single": "multiple_choice_question", "multiple": "multiple_answers_question",
    "truefalse": "true_false_question", "short": "short_answer_question",
    "numeric": "numerical_question", "matching": "matching_question",
    "open": "essay_question", "description": "text_only_question",
}
WEIGHTS_FIELD = "lectio_choice_weights"
_UNEXPORTABLE = {
    "ordering": "QTI 1.2 as Canvas reads it has no ordering questions.",
    "evidence": "QTI has no evidence (pick the passages) questions.",
    "twopart": "QTI has no two-part questions.",
}


def _score(fraction: float) -> str:
    return _number(round(float(fraction) * 100, 5))


def html_of(markdown: str) -> tuple[str, str]:
    """(texttype, text) for a Lectio Markdown text: HTML an import stored and literal text
    are written as they came; Markdown is written as the HTML students see."""
    fmt, body = from_markdown(markdown)
    if fmt == "html":
        return "text/html", body
    if fmt == "plain_text" or plain_to_markdown(markdown_to_plain(body)) == body:
        return "text/plain", markdown_to_plain(body)
    return "text/html", str(render_markdown(body))


def _mattext(parent: Element, markdown: str) -> Element:
    texttype, text = html_of(markdown)
    material = SubElement(parent, "material")
    SubElement(material, "mattext", {"texttype": texttype}).text = text
    return material


def _plain(parent: Element, text: str) -> None:
    SubElement(SubElement(parent, "material"), "mattext", {"texttype": "text/plain"}).text = text


def _field(meta: Element, label: str, entry: str) -> None:
    field = SubElement(meta, "qtimetadatafield")
    SubElement(field, "fieldlabel").text = label
    SubElement(field, "fieldentry").text = entry


class _Item:
    """One <item> being written: its presentation, conditions and feedback."""

    def __init__(self, draft: QuestionDraft, ident: str) -> None:
        self.draft, self.ident = draft, ident
        self.element = Element("item", {"ident": ident, "title": draft.title.strip()
                                        or name_for(as_imported(*html_of(draft.prompt)))})
        self.meta = SubElement(SubElement(self.element, "itemmetadata"), "qtimetadata")
        _field(self.meta, "question_type", CANVAS_TYPES[draft.type])
        _field(self.meta, "points_possible", _number(draft.points))
        self.presentation = SubElement(self.element, "presentation")
        _mattext(self.presentation, draft.prompt)
        self.processing = Element("resprocessing")
        outcomes = SubElement(self.processing, "outcomes")
        SubElement(outcomes, "decvar", {"maxvalue": "100", "minvalue": "0",
                                        "varname": "SCORE", "vartype": "Decimal"})
        self.feedback: list[tuple[str, str]] = []
        if draft.explanation.strip():
            self.show("general_fb", draft.explanation, self.condition(True), other=True)

    def condition(self, go_on: bool) -> Element:
        return SubElement(self.processing, "respcondition",
                          {"continue": "Yes" if go_on else "No"})

    def show(self, ident: str, markdown: str, condition: Element, other: bool = False) -> None:
        """Feedback ``ident`` shown when ``condition`` holds (always, with ``other``)."""
        if other:
            SubElement(SubElement(condition, "conditionvar"), "other")
        SubElement(condition, "displayfeedback", {"feedbacktype": "Response",
                                                  "linkrefid": ident})
        self.feedback.append((ident, markdown))

    def scored(self, conditionvar_children: list[Element], score: str,
               action: str = "Set") -> Element:
        condition = self.condition(False)
        conditionvar = SubElement(condition, "conditionvar")
        conditionvar.extend(conditionvar_children)
        SubElement(condition, "setvar", {"action": action, "varname": "SCORE"}).text = score
        return condition

    def finish(self) -> Element:
        self.element.append(self.processing)
        for ident, markdown in self.feedback:
            flow = SubElement(SubElement(self.element, "itemfeedback", {"ident": ident}),
                              "flow_mat")
            _mattext(flow, markdown)
        return self.element


def _equal(ident: str, value: str, **attrs: str) -> Element:
    element = Element("varequal", {"respident": ident, **attrs})
    element.text = value
    return element


def _choice_item(item: _Item, losses: list[str]) -> None:
    draft = item.draft
    kind = "Multiple" if draft.type == "multiple" else "Single"
    lid = SubElement(item.presentation, "response_lid", {"ident": "response1",
                                                         "rcardinality": kind})
    render = SubElement(lid, "render_choice",
                        {"shuffle": "No" if draft.config.get("shuffle") is False else "Yes"})
    labels = []
    for n, choice in enumerate(draft.choices, start=1):
        label = f"{item.ident}_{n}"
        labels.append(label)
        _plain(SubElement(render, "response_label", {"ident": label}), choice.text)
        if choice.feedback.strip():
            condition = item.condition(True)
            SubElement(condition, "conditionvar").append(_equal("response1", label))
            item.show(f"{label}_fb", choice.feedback, condition)
    if draft.type == "single":
        for label, choice in zip(labels, draft.choices, strict=True):
            if choice.fraction > 0:
                item.scored([_equal("response1", label)], _score(choice.fraction))
        return
    both = Element("and")
    for label, choice in zip(labels, draft.choices, strict=True):
        if choice.fraction > 0:
            both.append(_equal("response1", label))
        else:
            SubElement(both, "not").append(_equal("response1", label))
    item.scored([both], "100")
    # Canvas scores multiple answers its own way; the weights ride along for Lectio.
    _field(item.meta, WEIGHTS_FIELD, " ".join(_number(c.fraction) for c in draft.choices))


def _truefalse_item(item: _Item, losses: list[str]) -> None:
    config = item.draft.config
    lid = SubElement(item.presentation, "response_lid", {"ident": "response1",
                                                         "rcardinality": "Single"})
    render = SubElement(lid, "render_choice")
    for word in ("true", "false"):
        label = f"{item.ident}_{word}"
        _plain(SubElement(render, "response_label", {"ident": label}), word.capitalize())
        if config.get(f"feedback_{word}", "").strip():
            condition = item.condition(True)
            SubElement(condition, "conditionvar").append(_equal("response1", label))
            item.show(f"{label}_fb", config[f"feedback_{word}"], condition)
    right = "true" if config["answer"] else "false"
    item.scored([_equal("response1", f"{item.ident}_{right}")], "100")


def _fib(item: _Item, fibtype: str, **attrs: str) -> None:
    response = SubElement(item.presentation, "response_str", {"ident": "response1",
                                                              "rcardinality": "Single"})
    SubElement(response, "render_fib", {"fibtype": fibtype, **attrs})


def _short_item(item: _Item, losses: list[str]) -> None:
    _fib(item, "String")
    case = "Yes" if item.draft.config.get("case_sensitive") else "No"
    for n, answer in enumerate(item.draft.config["answers"], start=1):
        condition = item.scored([_equal("response1", answer["text"], case=case)],
                                _score(answer["fraction"]))
        if answer.get("feedback", "").strip():
            item.show(f"{item.ident}_a{n}_fb", answer["feedback"], condition)


def _between(low: str, high: str) -> Element:
    both = Element("and")
    SubElement(both, "vargte", {"respident": "response1"}).text = low
    SubElement(both, "varlte", {"respident": "response1"}).text = high
    return both


def _numeric_item(item: _Item, losses: list[str]) -> None:
    _fib(item, "Decimal")
    for n, answer in enumerate(item.draft.config["answers"], start=1):
        if "value" not in answer:
            test = _between(_number(answer["min"]), _number(answer["max"]))
        elif "tolerance" in answer:
            value, tolerance = answer["value"], answer["tolerance"]
            test = Element("or")
            test.append(_equal("response1", _number(value)))
            test.append(_between(_number(value - tolerance), _number(value + tolerance)))
        else:
            test = _equal("response1", _number(answer["value"]))
        condition = item.scored([test], _score(answer["fraction"]))
        if answer.get("feedback", "").strip():
            item.show(f"{item.ident}_a{n}_fb", answer["feedback"], condition)
    if item.draft.config.get("feedback_other", "").strip():
        item.show("general_incorrect_fb", item.draft.config["feedback_other"],
                  item.condition(True), other=True)


def _matching_item(item: _Item, losses: list[str]) -> None:
    config = item.draft.config
    pairs = config["pairs"]
    options = list(dict.fromkeys([p["answer"] for p in pairs] + config.get("distractors", [])))
    labels = {text: f"{item.ident}_o{n}" for n, text in enumerate(options, start=1)}
    share = _score(1 / len(pairs))
    for n, pair in enumerate(pairs, start=1):
        lid = SubElement(item.presentation, "response_lid", {"ident": f"response_{n}"})
        _plain(lid, pair["prompt"])
        render = SubElement(lid, "render_choice")
        for text, label in labels.items():
            _plain(SubElement(render, "response_label", {"ident": label}), text)
        item.scored([_equal(f"response_{n}", labels[pair["answer"]])], share, action="Add")


def _open_item(item: _Item, losses: list[str]) -> None:
    _fib(item, "String", rows="15")
    config = item.draft.config
    if config.get("min_words") is not None or config.get("max_words") is not None:
        losses.append("its word limits are not written: QTI essays have none")
    if config.get("model_answer", "").strip():
        losses.append("its model answer is not written: QTI essays have none")
    if config.get("anchors"):
        losses.append("its anchor answers are not written: QTI essays have none")


_WRITERS = {"single": _choice_item, "multiple": _choice_item, "truefalse": _truefalse_item,
            "short": _short_item, "numeric": _numeric_item, "matching": _matching_item,
            "open": _open_item, "description": lambda item, losses: None}


def assessment_xml(questions: Iterable[QuestionDraft], *, title: str,
                   ident: str) -> tuple[str, list[Problem]]:
    """The QTI assessment file for every question QTI can hold, a comment at its top naming
    each question left out and each loss, and the questions left out as problems."""
    root = Element("questestinterop", {"xmlns": QTI_NS})
    assessment = Element("assessment", {"ident": ident, "title": title})
    section = SubElement(assessment, "section", {"ident": "root_section"})
    problems: list[Problem] = []
    losses: list[str] = []
    for position, draft in enumerate(questions, start=1):
        reason = _UNEXPORTABLE.get(draft.type) or " ".join(draft_problems(draft))
        if reason:
            problems.append(Problem(position, reason, draft.title))
            continue
        item = _Item(draft, f"{ident}_q{position}")
        notes: list[str] = []
        _WRITERS[draft.type](item, notes)
        section.append(item.finish())
        losses.extend(f"Question {position}: {note}." for note in notes)
    for problem in problems:
        root.append(xml_comment(f"Not exported: {problem}"))
    for loss in losses:
        root.append(xml_comment(loss))
    root.append(assessment)
    indent(root)
    return ('<?xml version="1.0" encoding="UTF-8"?>\n' + tostring(root, encoding="unicode")
            + "\n"), problems


def _manifest(ident: str, href: str) -> str:
    manifest = Element("manifest", {
        "identifier": f"{ident}_manifest",
        "xmlns": "http://www.imsglobal.org/xsd/imsccv1p1/imscp_v1p1"})
    metadata = SubElement(manifest, "metadata")
    SubElement(metadata, "schema").text = "IMS Content"
    SubElement(metadata, "schemaversion").text = "1.1.3"
    SubElement(manifest, "organizations")
    resources = SubElement(manifest, "resources")
    resource = SubElement(resources, "resource", {"identifier": ident, "type": "imsqti_xmlv1p2",
                                                  "href": href})
    SubElement(resource, "file", {"href": href})
    indent(manifest)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + tostring(manifest, encoding="unicode")


def export_qti(questions: Iterable[QuestionDraft], *, title: str,
               ident: str = "lectio_quiz") -> tuple[bytes, list[Problem]]:
    """A QTI 1.2 zip (imsmanifest.xml and ``<ident>/<ident>.xml``) of the questions, and
    those left out."""
    href = f"{ident}/{ident}.xml"
    xml, problems = assessment_xml(questions, title=title, ident=ident)
    return write_package([(MANIFEST, _manifest(ident, href)), (href, xml)]), problems
