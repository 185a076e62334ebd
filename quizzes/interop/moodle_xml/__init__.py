"""Moodle XML: read a question file into drafts, and write drafts back as one.

PURE package: no ORM. XML is parsed only with defusedxml (no DTD, no entities), streamed one
``<question>`` at a time, and bounded by size, depth, element count and question count
(``quizzes/interop/xmlsafe.py``).

Read: ``multichoice`` (single and multiple answers, with credit, feedback and shuffling),
``truefalse``, ``shortanswer`` (case sensitivity), ``numerical`` (tolerance; the ``*``
answer is the feedback for any other number), ``match`` (an empty subquestion is a
distractor), ``essay`` (word limits), ``ordering`` (the plugin's items in their right order)
and ``description``; marks (``defaultgrade``) become points; names become titles, unless a
name is just the start of the question's text, which is what Lectio (and Moodle, for an
untitled GIFT question) writes when there is no title. Texts keep their format: HTML is
sanitised and its ``@@PLUGINFILE@@`` images are inlined from the embedded ``<file>`` as
``data:`` URLs (pictures only, bounded in size); plain text is escaped; Markdown is kept.
Cloze and other types Lectio does not have are refused per question, with a message.
Categories, penalties, units, hints, overall feedback and information for graders have no
place in Lectio: they are named in ``ParseResult.notices``.

Written: every Lectio type except evidence and two-part questions; a category named after
the quiz; texts in the format they most likely came in, inline images as embedded files;
numeric ranges as value ± tolerance and model answers as information for graders, each
named in a comment at the top, with the questions left out.
"""

from .read import MAX_BYTES, parse_moodle_xml
from .write import export_moodle_xml

__all__ = ["MAX_BYTES", "export_moodle_xml", "parse_moodle_xml"]
