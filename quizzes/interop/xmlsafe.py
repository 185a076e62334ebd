"""Reading untrusted XML question files: defusedxml only, streamed, bounded.

Pure: no Django, no ORM. `read_elements` feeds the bytes to defusedxml's parser (no DTD, no
entities, no external references) and hands each record (a Moodle ``<question>``, a QTI
``<item>``) to a callback as soon as it is complete, then drops it, so a file's peak
memory is one record, not the whole tree.
Every element carries the line it starts on (`line_of`), for problems by line.
"""

from __future__ import annotations

from collections.abc import Callable
from xml.etree.ElementTree import Element

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import DefusedXMLParser, ParseError

MAX_DEPTH = 32
MAX_ELEMENTS = 1_000_000


class XMLTrouble(Exception):
    """The file is not XML Lectio will read; the message says why, with its line."""

    def __init__(self, message: str, line: int = 0) -> None:
        super().__init__(message)
        self.message = message
        self.line = line


def _local(tag: str) -> str:
    """A tag without its namespace: QTI files may or may not declare one."""
    return tag.rsplit("}", 1)[-1]


def line_of(element: Element) -> int:
    """The line an element started on (0 when unknown)."""
    return int(element.get("\0line", 0))


class _Builder:
    """A parser target that builds one record at a time under the root."""

    def __init__(self, record: str, on_record: Callable[[Element], None]) -> None:
        self.record = record
        self.on_record = on_record
        self.stack: list[Element] = []
        self.texts: list[list[str]] = []
        self.root: Element | None = None
        self.count = 0
        self.line = lambda: 0

    def start(self, tag: str, attrs: dict[str, str]) -> None:
        tag = _local(tag)
        self.count += 1
        if len(self.stack) >= MAX_DEPTH or self.count > MAX_ELEMENTS:
            raise XMLTrouble("The file nests its elements too deeply or has too many of "
                             "them to be a question file.", self.line())
        element = Element(tag, attrs)
        # The line rides along as an attribute no XML file can hold (NUL is not XML).
        element.set("\0line", str(self.line()))
        if self.stack:
            self.stack[-1].append(element)
        else:
            self.root = element
        self.stack.append(element)
        self.texts.append([])

    def data(self, text: str) -> None:
        if self.texts:
            self.texts[-1].append(text)

    def end(self, tag: str) -> Element:
        element = self.stack.pop()
        element.text = "".join(self.texts.pop())
        if self.stack and element.tag == self.record:
            # A finished record is handed on and dropped: memory holds one at a time.
            self.on_record(element)
            self.stack[-1].remove(element)
        return element

    def close(self) -> Element | None:
        return self.root


def read_elements(data: bytes, *, record: str, on_record: Callable[[Element], None]) -> str:
    """Parse `data`, calling `on_record` with each complete element named `record` below
    the root (tags without namespaces); return the root's tag. Raises XMLTrouble for a
    file that is not well-formed XML, declares a DTD or entities, or nests too deeply."""
    builder = _Builder(record, on_record)
    parser = DefusedXMLParser(target=builder, forbid_dtd=True, forbid_entities=True,
                              forbid_external=True)
    builder.line = lambda: parser.parser.CurrentLineNumber
    try:
        parser.feed(data)
        root = parser.close()
    except DefusedXmlException:
        raise XMLTrouble("The file declares a document type or entities, which question "
                         "files never need; Lectio does not read such XML.") from None
    except ParseError as error:
        line = error.position[0] if getattr(error, "position", None) else 0
        raise XMLTrouble(f"This is not well-formed XML ({_reason(error)}).", line) from None
    if root is None:
        raise XMLTrouble("The file holds no XML elements.")
    return root.tag


def _reason(error: ParseError) -> str:
    text = str(error)
    return text.split(":", 1)[0] if ":" in text else text
