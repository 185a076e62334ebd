"""QTI 1.2, as Canvas Classic Quizzes exports and imports it (also read by Blackboard and
D2L): a zip with ``imsmanifest.xml`` and an assessment file of ``<item>``s.

PURE package: no ORM. The zip is opened with zipfile under bounds on its member count,
inflated size and compression ratio before anything in it is parsed (``package``); XML is
parsed only with defusedxml, one item at a time (``quizzes/interop/xmlsafe.py``).

Types, by Canvas's ``question_type`` metadata (or, without it, by the item's presentation):
multiple choice (partial credit per choice as ``setvar`` scores), multiple answers (Canvas
marks which are right; Lectio's own weights ride along in a ``lectio_choice_weights``
metadata field, and without them each right answer is worth 1/k and each wrong one ticked
costs as much, as Canvas scores), true/false, short answer (case sensitivity), numerical
(exact, with a margin, or a range; Canvas's "general incorrect" feedback is the feedback for
any other number), matching (unused options are distractors), essay and text only
(a description). Per-choice and general feedback are kept; pictures in the package are
inlined as data: URLs. Markdown is written as the HTML students see, so a question read back
shows the same although its source is then HTML. Not written: ordering, evidence and
two-part questions, and essays' word limits and model answers (named in a comment).
"""

from .read import MAX_BYTES, parse_qti
from .write import export_qti

__all__ = ["MAX_BYTES", "export_qti", "parse_qti"]
