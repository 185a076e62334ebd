"""The shapes every ingest module shares: a reading's blocks on their way to an
IngestedReading, and the text normalisation applied to all of them.

Pure: standard library only.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

PARAGRAPH, HEADING, QUOTE = "paragraph", "heading", "quote"

Block = tuple[str, str]  # (kind, text)


@dataclass
class Parsed:
    """A reading on its way to an IngestedReading: body blocks plus what was pulled out.

    ``published`` is an ISO date ("2024-03-04") or "".
    """

    blocks: list[Block]
    title: str = ""
    dek: str = ""
    section: str = ""
    source: str = ""
    published: str = ""
    authors: list[str] = field(default_factory=list)
    author_notes: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)


# Invisible characters that only ever arrive as copy/paste or CMS debris. ZWJ/ZWNJ and the
# bidi marks are deliberately absent: they change how Persian, Indic and emoji text renders.
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u2060\ufeff\u00ad\u180e"), None)
_LINE_BREAKS = re.compile("\r\n|[\r\u2028\u2029\x0b\x0c\x1c\x1d\x1e\x85]")
# Other C0/C1 controls carry no text; tabs and newlines survive.
_CONTROLS = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x9f]")
_SPACES = re.compile(r"[ \t\n\r\f\v]+")


def normalise(text: str) -> str:
    """LF newlines, NFC, no zero-width/control debris; words and punctuation untouched."""
    text = _LINE_BREAKS.sub("\n", text)
    text = _CONTROLS.sub("", text.translate(_INVISIBLE))
    return unicodedata.normalize("NFC", text)


def clean_inline(text: str) -> str:
    """Collapse runs of ordinary whitespace (not NBSP, which is intentional) to one space."""
    return _SPACES.sub(" ", normalise(text)).strip()


def word_count(text: str) -> int:
    return len(text.split())


# Closing marks that end a sentence, with the quotes and brackets that may follow them.
SENTENCE_END = re.compile(r"[.!?…;:,][\"”’')\]]*$")
