"""QTI 1.2 import and export for Canvas (quizzes.interop.qti), on a package written in the
shape Canvas exports a Classic Quiz (tests/quizzes/files/canvas_quiz.xml). Pure."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

from courses.markdown import render_markdown
from quizzes.interop.drafts import ChoiceDraft, QuestionDraft
from quizzes.interop.gift import parse_gift
from quizzes.interop.qti import export_qti, parse_qti
from quizzes.interop.qti.package import MAX_MEMBERS

ASSESSMENT = (Path(__file__).parent / "files" / "canvas_quiz.xml").read_bytes()
PNG_B64 = ("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVR4nGP4z8AAAAMBAQDJ/pLvAAAAAElF"
           "TkSuQmCC")
MANIFEST = b"""<?xml version="1.0" encoding="UTF-8"?>
<manifest identifier="m1" xmlns="http://www.imsglobal.org/xsd/imsccv1p1/imscp_v1p1">
  <resources>
    <resource identifier="g1" type="imsqti_xmlv1p2/imscc_xmlv1p1/assessment" href="g1/g1.xml">
      <file href="g1/g1.xml"/>
    </resource>
    <resource identifier="f1" type="webcontent" href="Quiz Files/map.png"/>
  </resources>
</manifest>"""


def _zip(members: dict[str, bytes], compression=zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def _package() -> bytes:
    import base64
    return _zip({"imsmanifest.xml": MANIFEST, "g1/g1.xml": ASSESSMENT,
                 "Quiz Files/map.png": base64.b64decode(PNG_B64)})


@pytest.fixture(scope="module")
def canvas():
    return parse_qti(_package())


def _by_title(result, title: str) -> QuestionDraft:
    return next(q for q in result.questions if q.title == title)


def test_every_canvas_type_lectio_has_is_read_with_points(canvas):
    assert [(q.type, q.title, q.points) for q in canvas.questions] == [
        ("single", "Capital", 2.0), ("multiple", "Members", 3.0),
        ("truefalse", "Alliance", 1.0), ("short", "Initiative", 1.0),
        ("numeric", "Munich", 1.0), ("matching", "Systems", 2.0), ("open", "Argument", 5.0),
        ("description", "Read first", 0.0)]
    assert [(p.title, p.message) for p in canvas.problems] == [
        ("Blanks", "Canvas questions with several blanks cannot be imported: Lectio has no "
                   "such question type.")]


def test_keys_feedback_and_pictures_from_the_package(canvas):
    capital = _by_title(canvas, "Capital")
    assert capital.choices == (ChoiceDraft("Moscow", 1.0),
                               ChoiceDraft("Beijing", 0.0, "<p>That is China's.</p>"))
    assert capital.explanation == "<p>Moscow is the capital.</p>"
    shown = str(render_markdown(capital.prompt))
    assert f'<img src="data:image/png;base64,{PNG_B64}" alt="A map">' in shown
    assert [n.message for n in canvas.notices] == [
        "The picture “$IMS-CC-FILEBASE$/Quiz%20Files/gone.png” is not in the package, so it "
        "will not show."]
    # Canvas scores multiple answers: each right one 1/k, each wrong one ticked costs as much.
    assert [(c.text, c.fraction) for c in _by_title(canvas, "Members").choices] == [
        ("Russia", 0.5), ("China", 0.5), ("France", -0.5)]
    assert _by_title(canvas, "Alliance").config == {"answer": False}
    assert _by_title(canvas, "Initiative").config == {"answers": [
        {"text": "Belt and Road", "fraction": 1.0}, {"text": "BRI", "fraction": 1.0}]}
    assert _by_title(canvas, "Munich").config == {"answers": [
        {"value": 2007.0, "tolerance": 0.5, "fraction": 1.0},
        {"min": 2000.0, "max": 2010.0, "fraction": 1.0}]}
    assert _by_title(canvas, "Systems").config == {
        "pairs": [{"prompt": "S-400", "answer": "Russia"}, {"prompt": "J-20", "answer": "China"}],
        "distractors": ["United States"]}


def test_a_manifest_may_name_its_assessment_in_a_file_element_as_canvas_does():
    manifest = (b'<manifest><resources><resource identifier="g1" type="imsqti_xmlv1p2">'
                b'<file href="g1/g1.xml"/><dependency identifierref="m"/></resource>'
                b'<resource identifier="m" type="associatedcontent/imscc_xmlv1p1/learning-'
                b'application-resource" href="g1/assessment_meta.xml"/></resources></manifest>')
    result = parse_qti(_zip({"imsmanifest.xml": manifest, "g1/g1.xml": ASSESSMENT,
                             "g1/assessment_meta.xml": b"<quiz/>"}))
    assert len(result.questions) == 8


GENERIC = b"""<?xml version="1.0"?>
<questestinterop><assessment ident="a" title="Generic"><section ident="s">
<item ident="1" title="One"><presentation><material><mattext>Pick one.</mattext></material>
  <response_lid ident="r" rcardinality="Single"><render_choice>
  <response_label ident="a"><material><mattext>A</mattext></material></response_label>
  <response_label ident="b"><material><mattext>B</mattext></material></response_label>
  </render_choice></response_lid></presentation>
  <resprocessing><respcondition><conditionvar><varequal respident="r">b</varequal>
  </conditionvar><setvar action="Set">100</setvar></respcondition></resprocessing></item>
<item ident="2" title="Many"><presentation><material><mattext>Pick two.</mattext></material>
  <response_lid ident="r" rcardinality="Multiple"><render_choice>
  <response_label ident="a"><material><mattext>A</mattext></material></response_label>
  <response_label ident="b"><material><mattext>B</mattext></material></response_label>
  <response_label ident="c"><material><mattext>C</mattext></material></response_label>
  </render_choice></response_lid></presentation>
  <resprocessing><respcondition><conditionvar><and><varequal respident="r">a</varequal>
  <varequal respident="r">c</varequal><not><varequal respident="r">b</varequal></not></and>
  </conditionvar><setvar action="Set">100</setvar></respcondition></resprocessing></item>
<item ident="3" title="TF"><presentation><material><mattext>Sky blue?</mattext></material>
  <response_lid ident="r" rcardinality="Single"><render_choice>
  <response_label ident="t"><material><mattext>true</mattext></material></response_label>
  <response_label ident="f"><material><mattext>false</mattext></material></response_label>
  </render_choice></response_lid></presentation>
  <resprocessing><respcondition><conditionvar><varequal respident="r">t</varequal>
  </conditionvar><setvar action="Set">100</setvar></respcondition></resprocessing></item>
<item ident="4" title="Word"><presentation><material><mattext>Capital?</mattext></material>
  <response_str ident="r"><render_fib/></response_str></presentation>
  <resprocessing><respcondition><conditionvar><varequal respident="r" case="Yes">Paris
  </varequal></conditionvar><setvar action="Set">100</setvar></respcondition></resprocessing>
</item>
<item ident="5" title="Num"><presentation><material><mattext>Two?</mattext></material>
  <response_str ident="r"><render_fib fibtype="Integer"/></response_str></presentation>
  <resprocessing><respcondition><conditionvar><varequal respident="r">2</varequal>
  </conditionvar><setvar action="Set">100</setvar></respcondition></resprocessing></item>
<item ident="6" title="Essay"><presentation><material><mattext>Why?</mattext></material>
  <response_str ident="r"><render_fib rows="10"/></response_str></presentation></item>
<item ident="7" title="Pairs"><presentation><material><mattext>Match.</mattext></material>
  <response_lid ident="p1"><material><mattext>Paris</mattext></material><render_choice>
  <response_label ident="x"><material><mattext>France</mattext></material></response_label>
  <response_label ident="y"><material><mattext>Spain</mattext></material></response_label>
  </render_choice></response_lid>
  <response_lid ident="p2"><material><mattext>Madrid</mattext></material><render_choice>
  <response_label ident="x"><material><mattext>France</mattext></material></response_label>
  <response_label ident="y"><material><mattext>Spain</mattext></material></response_label>
  </render_choice></response_lid></presentation>
  <resprocessing><respcondition><conditionvar><varequal respident="p1">x</varequal>
  </conditionvar><setvar action="Add">50</setvar></respcondition><respcondition>
  <conditionvar><varequal respident="p2">y</varequal></conditionvar>
  <setvar action="Add">50</setvar></respcondition></resprocessing></item>
<item ident="8" title="Note"><presentation><material><mattext>Read this.</mattext>
  </material></presentation></item>
</section></assessment></questestinterop>"""


def test_items_without_canvas_metadata_are_read_by_their_presentation():
    result = parse_qti(GENERIC)
    assert result.problems == []
    assert [(q.type, q.title) for q in result.questions] == [
        ("single", "One"), ("multiple", "Many"), ("truefalse", "TF"), ("short", "Word"),
        ("numeric", "Num"), ("open", "Essay"), ("matching", "Pairs"), ("description", "Note")]
    one, many, tf, word, num, _, pairs, note = result.questions
    assert [c.fraction for c in one.choices] == [0.0, 1.0]
    assert [c.fraction for c in many.choices] == [0.5, -0.5, 0.5]
    assert tf.config == {"answer": True}
    assert word.config == {"answers": [{"text": "Paris", "fraction": 1.0}],
                           "case_sensitive": True}
    assert num.config == {"answers": [{"value": 2, "fraction": 1.0}]}
    assert pairs.config == {"pairs": [{"prompt": "Paris", "answer": "France"},
                                      {"prompt": "Madrid", "answer": "Spain"}]}
    assert (note.points, note.prompt) == (0, "Read this.")


def test_a_bare_assessment_file_is_read_too():
    result = parse_qti(ASSESSMENT)
    assert len(result.questions) == 8
    assert "not in the package" in result.notices[0].message  # no package: no pictures


@pytest.mark.parametrize(("members", "message"), [
    ({"g1/g1.xml": ASSESSMENT}, "The zip has no imsmanifest.xml"),
    ({"imsmanifest.xml": b"<manifest><resources/></manifest>"}, "Its imsmanifest.xml names no"),
    ({"imsmanifest.xml": MANIFEST}, "Its imsmanifest.xml names “g1/g1.xml”, which is not"),
    ({"imsmanifest.xml": MANIFEST, "g1/g1.xml": b"<quiz/>"}, "“g1/g1.xml” starts with <quiz>"),
    ({f"f{n}.txt": b"x" for n in range(MAX_MEMBERS + 1)}, "The zip holds more than 500 files."),
    ({"imsmanifest.xml": b"<!DOCTYPE m [<!ENTITY a 'b'>]><manifest>&a;</manifest>"},
     "Its imsmanifest.xml cannot be read: The file declares a document type"),
])
def test_packages_that_are_not_qti_are_refused_with_a_reason(members, message):
    result = parse_qti(_zip(members))
    assert result.questions == []
    assert result.problems[0].message.startswith(message)


def test_a_zip_bomb_is_refused_before_it_is_inflated():
    bomb = _zip({"imsmanifest.xml": MANIFEST, "g1/g1.xml": b" " * (30 * 1024 * 1024)})
    assert parse_qti(bomb).problems[0].message == (
        "The zip claims an impossible compression ratio.")
    assert parse_qti(b"PK\x03\x04 not really a zip").problems[0].message.startswith(
        "The zip cannot be opened")


# --- export and round trips ------------------------------------------------------------------

ROUND_TRIP_GIFT = """// points: 2
::Pick one:: Which **city**? {=Right#Yes. ~%50%Half#Partly. ~Wrong#No.####Because.}

::Pick many:: Which ones? {~%50%A ~%50%B ~%-100%C#Never C.}

::TF:: The sky is green. {F#Look again.#Indeed.}

::Short:: Name the author. {=Kuhrt =%50%Kaczmarski#Co-author.}

::Number:: What year? {#=2007:0#Munich. =%50%2003:5 =2.5:0.1 =1..3 =2010 ~#Too far.}

::Read first:: [html]<p>The map:</p><img src="data:image/png;base64,PNG" alt="Map">

What is bare? {Moscow}

::Match:: Match them. {=Moscow -> Russia =Beijing -> China = -> Japan}

// points: 5
::Essay:: [plain]Explain *the* authors' claim. {}
""".replace("PNG", PNG_B64)


def _shown(draft: QuestionDraft) -> QuestionDraft:
    """The draft as students see it: Markdown is written to QTI as the HTML it renders to,
    so a text comes back as that HTML."""
    def show(text: str) -> str:
        return str(render_markdown(text))

    config = {key: show(value) if key.startswith("feedback") else value
              for key, value in draft.config.items()}
    for key in ("answers",):
        if key in config:
            config[key] = [{k: show(v) if k == "feedback" else v for k, v in a.items()}
                           for a in config[key]]
    return QuestionDraft(type=draft.type, prompt=show(draft.prompt), points=draft.points,
                         title=draft.title, explanation=show(draft.explanation), config=config,
                         choices=tuple(ChoiceDraft(c.text, c.fraction, show(c.feedback))
                                       for c in draft.choices))


def test_exported_and_imported_again_gives_the_same_questions_points_and_keys():
    drafts = parse_gift(ROUND_TRIP_GIFT).questions
    drafts.append(QuestionDraft(type="single", prompt="Fixed?", config={"shuffle": False},
                                choices=(ChoiceDraft("x", 1.0), ChoiceDraft("y", 0.0))))
    data, left_out = export_qti(drafts, title="Quiz")
    assert left_out == []
    again = parse_qti(data)
    assert again.problems == [] and again.notices == []
    assert [_shown(d) for d in again.questions] == [_shown(d) for d in drafts]
    # Texts without Markdown come back exactly; weights of multiple answers too.
    assert again.questions[2].prompt == "The sky is green."
    assert again.questions[1].choices == drafts[1].choices
    assert again.questions[5] == drafts[5]  # HTML with an inline picture


def test_the_package_has_a_manifest_naming_its_assessment():
    data, _ = export_qti([QuestionDraft(type="truefalse", prompt="T?", config={"answer": True})],
                         title="Quiz", ident="lectio_quiz_7")
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert archive.namelist() == ["imsmanifest.xml", "lectio_quiz_7/lectio_quiz_7.xml"]
        manifest = archive.read("imsmanifest.xml").decode()
    assert 'type="imsqti_xmlv1p2" href="lectio_quiz_7/lectio_quiz_7.xml"' in manifest
    assert export_qti([], title="Quiz")[0] == export_qti([], title="Quiz")[0]  # reproducible


def test_export_names_what_qti_cannot_hold():
    drafts = [QuestionDraft(type="ordering", title="Order", prompt="Order.",
                            config={"items": ["a", "b"]}),
              QuestionDraft(type="open", prompt="Write.", config={
                  "max_words": 50, "model_answer": "Two.",
                  "anchors": [{"label": "Good", "answer": "Both."}]})]
    data, left_out = export_qti(drafts, title="Quiz")
    assert [(p.line, p.title) for p in left_out] == [(1, "Order")]
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        xml = archive.read("lectio_quiz/lectio_quiz.xml").decode()
    assert "<!-- Not exported: Line 1 (question “Order”): QTI 1.2 as Canvas reads it" in xml
    assert "<!-- Question 2: its word limits are not written" in xml
    assert "<!-- Question 2: its model answer is not written" in xml
    assert "<!-- Question 2: its anchor answers are not written" in xml


def test_a_package_over_its_inflated_size_is_refused_unread(monkeypatch):
    from quizzes.interop.qti import package

    monkeypatch.setattr(package, "MAX_INFLATED", 1000)
    assert parse_qti(_package()).problems[0].message == "The zip unpacks to more than 0 MB."
