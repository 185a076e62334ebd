"""Which question-file format a file is, from its bytes. Pure.

Used twice: to choose a reader when the instructor lets Lectio find out, and to refuse a
file of another format by name ("this looks like Moodle XML") instead of reading it with the
wrong reader, which would report errors that have nothing to do with the file.
"""

from __future__ import annotations

import re

ZIP_SIGNATURE = b"PK\x03\x04"
_HEAD = 64 * 1024
_AIKEN_ANSWER = re.compile(rb"^\s*ANSWER\s*:\s*[A-Za-z]\s*$", re.MULTILINE)
_GIFT_BLOCK = re.compile(rb"\{[^{}]*(?:[=~#]|\bT\b|\bF\b|\bTRUE\b|\bFALSE\b)[^{}]*\}")
_GIFT_TITLE = re.compile(rb"^\s*::[^\n]+::", re.MULTILINE)
_XML_ROOT = re.compile(rb"<([A-Za-z_][\w.:-]*)")
_DOCUMENT = re.compile(rb"<\?xml|<!DOCTYPE|<html\b", re.IGNORECASE)


def _xml_root(head: bytes) -> bytes | None:
    """The first element name of an XML document, skipping its declaration and comments."""
    text = re.sub(rb"<\?.*?\?>|<!--.*?-->|<!DOCTYPE[^>]*>", b"", head, flags=re.DOTALL)
    match = _XML_ROOT.search(text)
    return match[1].split(b":")[-1].lower() if match else None


def looks_like(data: bytes) -> str | None:
    """"gift", "aiken", "moodle_xml", "qti" or "xml" (some other XML) when the bytes show
    which format the file is; None when they do not say."""
    if data.startswith(ZIP_SIGNATURE):
        return "qti"
    head = data[:_HEAD].lstrip(b"\xef\xbb\xbf \t\r\n")
    text_format = _text_format(head)
    if head.startswith(b"<"):
        root = _xml_root(head)
        if root == b"quiz":
            return "moodle_xml"
        if root == b"questestinterop":
            return "qti"
        # A GIFT or Aiken file whose first question opens with HTML ("<p>Which…") is
        # still that format; only a file that declares itself a document is some XML.
        if text_format and not _DOCUMENT.match(head):
            return text_format
        return "xml"
    return text_format


def _text_format(head: bytes) -> str | None:
    if _AIKEN_ANSWER.search(head) and b"{" not in head:
        return "aiken"
    if _GIFT_BLOCK.search(head) or _GIFT_TITLE.search(head):
        return "gift"
    return None
