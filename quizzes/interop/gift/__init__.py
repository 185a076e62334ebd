"""Moodle GIFT: read a GIFT file into question drafts, and write drafts back as GIFT.

PURE package: no Django, no ORM.  It follows Moodle's own importer (qformat_gift,
question/format/gift/format.php) wherever Lectio can hold the result, and reports
everything else as a ``Problem`` with its line: a question with a problem is left out,
never quietly changed.

Lectio's choices where GIFT leaves room:

* Missing word: the answer block in mid-sentence becomes ``BLANK`` (five underscores, as
  Moodle shows it) in the prompt.  The exporter writes a prompt containing ``BLANK``
  (followed by more text) as a missing-word question, so it reads back the same.
* True/false: ``{T#wrong#right}`` as in Moodle: the first feedback is for a wrong answer,
  the second for a right one.  Config ``feedback_true`` is what a student who answered
  True sees, so for ``{T...}`` it is the *right* feedback and for ``{F...}`` the *wrong*
  one.  The exporter writes ``{TRUE...}`` / ``{FALSE...}``.
* Points: GIFT has none (Moodle gives every question 1).  A comment ``// points: 2.5`` on
  a comment line before a question's text sets them; the exporter writes one for points
  other than 1.  Other comments are ignored, as Moodle does.
* Text formats: a prompt, feedback or general feedback in ``[markdown]`` is kept as is;
  ``[html]`` is sanitised with nh3; ``[plain]``, ``[moodle]`` and untagged text (Moodle's
  default format is ``moodle``) get their Markdown characters escaped so they show as
  typed.  Choice, short-answer and matching texts are shown literally by Lectio, so only
  ``[html]`` changes them (tags removed, entities decoded).  The exporter writes each
  text in the format it most likely came in (HTML an ``[html]`` import stored as
  ``[html]``, literal text as ``[plain]``, the rest as ``[markdown]``), choosing only a
  format that reads back as the same text; a prompt that starts with its blank gets no
  tag before ``{`` when it can do without, since other GIFT readers want text there.
* Canonical drafts, for which ``parse_gift(export_gift([d])[0]).questions == [d]``:
  texts without surrounding whitespace or carriage returns; fractions with at most 7
  decimals (read as weight / 100, rounded to 7 decimals); numbers read as ``int`` when
  written without a point or exponent, else ``float``; feedback keys (``feedback``,
  ``feedback_true``, ``feedback_false``) and ``distractors`` only when non-empty; no
  ``shuffle`` or ``case_sensitive`` setting.  The exporter writes a non-canonical but
  equivalent draft (``"shuffle": True``, empty feedback ...) in canonical form.

As Moodle reads them: text without an answer block is a description item (type
``description``, 0 points); ``~#feedback`` after a numerical block's answers is the feedback
for any other number (config ``feedback_other``); a bare ``{answer}`` is the one right short
answer; a second answer block in a question is kept as text and reported in
``ParseResult.notices``, as is an ``[html]`` image in Moodle's file store (``@@PLUGINFILE@@``),
which a GIFT file cannot carry.  Images with an http(s) or inline ``data:`` address are kept.

The exporter leaves out what GIFT cannot hold: ordering, evidence and two-part questions,
choices that must keep their order, case-sensitive short answers, open questions with word
limits or a model answer, and "->" on the left of a matching pair (Moodle would read a
matching question).

Departures from Moodle: answers must start with ``=`` or ``~`` (Moodle silently takes
text before the first as an answer; reported here); ``true``/``false`` are recognised in
any case; a ``$CATEGORY:`` line ends at its line (Moodle swallows the rest of the
paragraph into the category name); matching needs 2 pairs, Lectio's minimum (Moodle asks
for 3).

``text`` resolves escapes and text formats, ``answers`` reads an answer block, ``read`` a
file, ``write`` writes one.
"""

from .read import MAX_BYTES, parse_gift, parse_gift_bytes
from .text import BLANK
from .write import export_gift

__all__ = ["BLANK", "MAX_BYTES", "export_gift", "parse_gift", "parse_gift_bytes"]
