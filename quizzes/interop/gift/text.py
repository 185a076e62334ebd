"""Reading GIFT text: escapes resolved (``_Marked``) and text formats turned into Markdown or
plain text."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

import nh3

from courses.sanitise import sanitise_import_html

BLANK = "_____"
_ESCAPABLE = "\\~=#{}:"
_ESCAPE_RE = re.compile(r"\\([\\~=#{}:n])")
_FORMATS = ("html", "markdown", "plain", "moodle")


@dataclass(frozen=True)
class _Marked:
    """A stretch of GIFT source with its escapes resolved.

    ``text`` is what the author meant (``\\=`` is ``=``, ``\\n`` a newline).  ``shape`` has
    the same length and holds each character as written, except that escaped ones are NUL,
    so structure (braces, ``~``, ``#``...) is looked for in ``shape`` and content is read
    from ``text``.  ``start`` is the offset of this stretch in the question's source.
    """

    text: str
    shape: str
    start: int = 0

    def __getitem__(self, key: slice) -> _Marked:
        begin, _, _ = key.indices(len(self.text))
        return _Marked(self.text[key], self.shape[key], self.start + begin)

    def __bool__(self) -> bool:
        """True when the stretch holds any text."""
        return bool(self.text)

    def find(self, sub: str, begin: int = 0) -> int:
        """Offset of the first unescaped ``sub`` from ``begin``, -1 when there is none."""
        return self.shape.find(sub, begin)

    def lstrip(self) -> _Marked:
        """The stretch without leading whitespace (escaped newlines count too)."""
        return self[len(self.text) - len(self.text.lstrip()) :]

    def strip(self) -> _Marked:
        """The stretch without surrounding whitespace (escaped newlines count too)."""
        begin = len(self.text) - len(self.text.lstrip())
        return self[begin : max(begin, len(self.text.rstrip()))]

    def cut(self, sep: str) -> tuple[_Marked, _Marked | None]:
        """(before, after) the first unescaped ``sep``; (all, None) when there is none."""
        at = self.find(sep)
        if at < 0:
            return self, None
        return self[:at], self[at + len(sep) :]


def _unescape(raw: str) -> _Marked:
    """``raw`` with GIFT's escapes (``\\~ \\= \\# \\{ \\} \\: \\\\`` and ``\\n``) resolved.

    A backslash before any other character is kept as written, as Moodle does.
    """
    text: list[str] = []
    shape: list[str] = []
    done = 0
    for escape in _ESCAPE_RE.finditer(raw):
        text += [raw[done : escape.start()], "\n" if escape[1] == "n" else escape[1]]
        shape += [raw[done : escape.start()], "\0"]
        done = escape.end()
    text.append(raw[done:])
    shape.append(raw[done:])
    return _Marked("".join(text), "".join(shape))


class _Trouble(Exception):
    """A question cannot be read; ``at`` is an offset in its source, when one is known."""

    def __init__(self, message: str, at: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.at = at


# --- text formats ----------------------------------------------------------------------------


def _split_format(part: _Marked, default: str) -> tuple[str, _Marked]:
    """The ``[format]`` a text starts with (else ``default``) and the text after it,
    without leading whitespace."""
    part = part.lstrip()
    if part.shape.startswith("["):
        end = part.find("]")
        if end > 0 and part.text[1:end] in _FORMATS:
            return part.text[1:end], part[end + 1 :].lstrip()
    return default, part


def _markdown_literal(text: str, line_start: bool = True) -> str:
    """Markdown that displays ``text`` as typed, line breaks included (indentation, which
    HTML would not show, is dropped).  ``line_start`` is False for text that continues a
    line, such as the text after a missing word."""
    for ch in "\\`*_[]{}|":
        text = text.replace(ch, "\\" + ch)
    text = text.replace("&", "&amp;").replace("<", "&lt;")
    start = "(?m)^" if line_start else "(?<=\n)"
    # Indentation would make a code block.
    text = re.sub(start + r"[ \t]+", "", text)
    # Characters that only mean something at the start of a line (headings, quotes,
    # lists, setext underlines, definition lists, fences) become character references.
    text = re.sub(start + r"[#>+\-=:~]", lambda m: f"&#{ord(m[0])};", text)
    text = re.sub(start + r"(\d+)\.", r"\1\\.", text)
    return text.replace("\n", "  \n")


def _as_markdown(fmt: str, text: str) -> str:
    """Text written in GIFT format ``fmt`` as Lectio Markdown (prompts and feedback)."""
    if fmt == "markdown":
        return text
    if fmt == "html":
        return sanitise_import_html(text).strip()
    return _markdown_literal(text)


def _as_plain(fmt: str, text: str) -> str:
    """Text written in GIFT format ``fmt`` as the literal text Lectio shows for choices."""
    if fmt == "html":
        return html.unescape(nh3.clean(text, tags=set())).strip()
    return text


def _markdown_part(part: _Marked, default: str) -> str:
    """A feedback-like part (own ``[format]`` or ``default``) as Lectio Markdown."""
    fmt, rest = _split_format(part, default)
    return _as_markdown(fmt, rest.text.strip())


def _plain_part(part: _Marked, default: str) -> str:
    """A choice-like part (own ``[format]`` or ``default``) as literal text."""
    fmt, rest = _split_format(part, default)
    return _as_plain(fmt, rest.text.strip())
