"""Sniffing and decoding for :mod:`courses.ingest`: what the bytes really are, and which
characters they spell.

Pure: standard library plus charset-normalizer. Problems raise :class:`Unreadable`, whose
message is meant for the uploader; ``courses.ingest`` turns it into an IngestError.
"""

from __future__ import annotations

import codecs
import io
import re
import unicodedata
import zipfile

ACCEPTED = "Upload .txt, .md, .html, .docx or .pdf."
UNDECODABLE = (
    "We couldn't read this file as text: its characters aren't in an encoding we recognise. "
    "Save it as UTF-8 text and try again."
)
# Word files are ZIP archives, so a small upload can unpack to far more XML than it looks
# (a 214 KB file holding 60 MB of XML took mammoth to 1.7 GB). A 100,000-word reading in
# Word is about 15 MB of XML; past these limits the file is refused before it is parsed.
MAX_DOCX_XML_BYTES = 20 * 1024 * 1024
# XML in real Word files compresses 5-30 times; a part that claims far more is a bomb.
_MAX_XML_RATIO = 100
_RATIO_FROM_BYTES = 1024 * 1024
_MAX_ZIP_ENTRIES = 2000
_READ_CHUNK = 64 * 1024
_TOO_BIG_DOCX = (
    "This Word file unpacks to {size} of text and markup; the limit is {limit}. "
    "Split it into shorter readings, or save it as plain text (.txt)."
)
_DOCX_BOMB = (
    "This Word file unpacks to far more than its size suggests ({size} from {packed}), "
    "so it was not opened. Re-save it from Word, or paste its text instead."
)


class Unreadable(Exception):
    """Bytes we will not read; ``message`` says why, for the uploader."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


_SIGNATURES = (
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
ZIP_SIGNATURES = (b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")
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


def _not_text(what: str) -> Unreadable:
    return Unreadable(f"This file looks like {what}, not text. {ACCEPTED}")


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


def is_pdf(data: bytes) -> bool:
    """PDF by content: the "%PDF-" header, after any whitespace."""
    return data.lstrip(b" \t\r\n\x0c\x00")[:5] == b"%PDF-"


def zip_kind(data: bytes) -> str:
    """'docx' for a Word file; raise Unreadable for any other ZIP-based file."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = archive.infolist()
            mimetype = archive.read("mimetype")[:100] if "mimetype" in archive.namelist() else b""
    except Exception as exc:  # zipfile raises a zoo of types for damaged archives
        raise Unreadable(
            "This file looks like a damaged ZIP or .docx file. Re-save it and try again."
        ) from exc
    names = {info.filename for info in infos}
    if "word/document.xml" in names:
        check_docx_size(data)
        return "docx"
    if b"opendocument" in mimetype:
        raise Unreadable(
            "This file looks like an OpenDocument (.odt) file. Save it as .docx and upload that."
        )
    if "META-INF/container.xml" in names:
        raise _not_text("an EPUB e-book")
    if any(name.startswith("xl/") for name in names):
        raise _not_text("an Excel spreadsheet")
    if any(name.startswith("ppt/") for name in names):
        raise _not_text("a PowerPoint presentation")
    raise _not_text("a ZIP archive")


def _mb(size: int) -> str:
    return f"{size / (1024 * 1024):.1f}".removesuffix(".0") + " MB"


def check_docx_size(data: bytes, max_xml_bytes: int = MAX_DOCX_XML_BYTES) -> None:
    """Refuse a Word file whose XML would unpack past ``max_xml_bytes``, or whose parts
    claim a compression ratio no real document has, before anything parses it.

    Declared sizes are checked first; then every XML part is actually inflated in 64 KB
    chunks and thrown away, so a file whose headers lie fails here (as damaged) with
    bounded memory rather than inside mammoth.
    """
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = archive.infolist()
            if len(infos) > _MAX_ZIP_ENTRIES:
                raise Unreadable(f"This Word file holds {len(infos):,} parts; real documents "
                                 "hold a few dozen. It was not opened.")
            xml = [i for i in infos if i.filename.endswith((".xml", ".rels"))]
            declared = sum(i.file_size for i in xml)
            if declared > max_xml_bytes:
                raise Unreadable(_TOO_BIG_DOCX.format(size=_mb(declared),
                                                      limit=_mb(max_xml_bytes)))
            for info in xml:
                if info.file_size > _RATIO_FROM_BYTES \
                        and info.file_size > _MAX_XML_RATIO * max(info.compress_size, 1):
                    raise Unreadable(_DOCX_BOMB.format(size=_mb(info.file_size),
                                                       packed=_mb(info.compress_size)))
            # zipfile never inflates a part past its declared size, and a part whose data
            # runs past it fails the CRC check: so reading every part here, in chunks that
            # are thrown away, bounds the real unpacked size by the checked declared sizes.
            for info in xml:
                with archive.open(info) as member:
                    while member.read(_READ_CHUNK):
                        pass
    except Unreadable:
        raise
    except Exception as exc:  # zipfile raises a zoo of types for damaged archives
        raise Unreadable(
            "This file looks like a damaged ZIP or .docx file. Re-save it and try again."
        ) from exc


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
        raise Unreadable(UNDECODABLE)
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


def decode(data: bytes) -> tuple[str, str]:
    """Return (text, encoding name). Raise Unreadable for binary or undecodable bytes."""
    for bom, name in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(_CODECS[name]), name
            except UnicodeDecodeError as exc:
                raise Unreadable(UNDECODABLE) from exc
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


def check_not_garbage(text: str) -> None:
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
        raise Unreadable(UNDECODABLE)


_HTML_START = re.compile(r"\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body)\b", re.I | re.S)
_HTML_TAG = re.compile(
    r"<(?:html|head|body|article|main|section|div|p|h[1-6]|br|span|table|ul|ol|li|blockquote"
    r"|meta|title)\b[^>]*>",
    re.I,
)


def looks_like_html(text: str, extension: str) -> bool:
    """HTML by content: a doctype/<html>/<body>, or markup at the very start, or any common
    tag in a file named .html/.htm. A .html file with no tags at all is read as text."""
    head = re.sub(r"^\s*<\?xml[^>]*>", "", text[:8192], count=1, flags=re.I)
    if _HTML_START.match(head) or re.search(r"<(?:html|body)\b[^>]*>", head, re.I):
        return True
    tags = len(_HTML_TAG.findall(head))
    return tags > 0 and (head.lstrip().startswith("<") or extension in (".html", ".htm"))
