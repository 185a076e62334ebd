"""Word files are ZIP archives: a small upload that unpacks to a huge XML document (a
"zip bomb") is refused before anything parses it, in bounded memory. Pure: no database."""

from __future__ import annotations

import io
import struct
import tracemalloc
import zipfile

import docx
import pytest

from courses.ingest import IngestError, ingest
from courses.ingest_decode import MAX_DOCX_XML_BYTES, Unreadable, check_docx_size

PARAGRAPH = "<w:p><w:r><w:t>The harbour was quiet and the boats came home.</w:t></w:r></w:p>"


def _base_docx() -> bytes:
    document = docx.Document()
    document.add_paragraph("A short and ordinary paragraph of a reading.")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def docx_with_body(xml_body: bytes) -> bytes:
    """A real .docx whose word/document.xml is replaced by ``xml_body``."""
    source = zipfile.ZipFile(io.BytesIO(_base_docx()))
    head = source.read("word/document.xml").split(b"<w:body>")[0] + b"<w:body>"
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as target:
        for info in source.infolist():
            if info.filename == "word/document.xml":
                target.writestr(info.filename, head + xml_body + b"</w:body></w:document>")
            else:
                target.writestr(info, source.read(info.filename))
    return out.getvalue()


def _peak_while(call) -> tuple[int, Exception | None]:
    tracemalloc.start()
    caught = None
    try:
        call()
    except Exception as error:  # the refusal is what we measure
        caught = error
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak, caught


@pytest.fixture(scope="module")
def bomb() -> bytes:
    # 60 MB of XML, as in the probe's 214 KB file.
    body = PARAGRAPH.encode() * (60 * 1024 * 1024 // len(PARAGRAPH))
    data = docx_with_body(body)
    assert len(data) < 1024 * 1024 and len(body) >= 59 * 1024 * 1024
    return data


def test_small_docx_holding_sixty_mb_of_xml_is_refused_in_bounded_memory(bomb):
    peak, error = _peak_while(lambda: ingest(bomb, filename="bomb.docx"))
    assert isinstance(error, IngestError)
    assert "unpacks to" in error.message and "limit is 20 MB" in error.message
    # The archive's directory and a few chunks, never the XML: measured ~0.1 MB.
    assert peak < 4 * 1024 * 1024, f"peak {peak / 1e6:.1f} MB"


def test_docx_that_compresses_a_thousand_times_is_refused_as_a_bomb():
    body = PARAGRAPH.encode() * (8 * 1024 * 1024 // len(PARAGRAPH))  # under the size limit
    peak, error = _peak_while(lambda: ingest(docx_with_body(body), filename="bomb.docx"))
    assert isinstance(error, IngestError)
    assert "far more than its size suggests" in error.message


def _lie_about_sizes(data: bytes, name: bytes, size: int) -> bytes:
    """Rewrite one part's declared uncompressed size in the local and central headers."""
    patched = bytearray(data)
    for signature, offset in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):
        name_at = {b"PK\x03\x04": 30, b"PK\x01\x02": 46}[signature]
        start = 0
        while (start := patched.find(signature, start)) != -1:
            if patched[start + name_at:start + name_at + len(name)] == name:
                struct.pack_into("<I", patched, start + offset, size)
            start += 4
    return bytes(patched)


def test_docx_whose_headers_understate_its_xml_is_refused_without_inflating_it(bomb):
    liar = _lie_about_sizes(bomb, b"word/document.xml", 4096)
    peak, error = _peak_while(lambda: ingest(liar, filename="liar.docx"))
    assert isinstance(error, IngestError) and "damaged" in error.message
    assert peak < 4 * 1024 * 1024, f"peak {peak / 1e6:.1f} MB"


def test_docx_with_too_much_ordinary_xml_names_the_limit():
    import random

    rng = random.Random(3)
    words = ["river", "harbour", "council", "bridge", "winter", "station", "garden"]
    # Varied text compresses like a real document (well under the bomb ratio).
    paragraphs = [
        "<w:p><w:r><w:t>" + " ".join(rng.choice(words) + str(rng.randrange(999))
                                     for _ in range(40)) + "</w:t></w:r></w:p>"
        for _ in range(4000)
    ]
    data = docx_with_body("".join(paragraphs).encode())
    with pytest.raises(Unreadable, match=r"unpacks to 2\.5 MB .*limit is 1 MB"):
        check_docx_size(data, max_xml_bytes=1024 * 1024)
    check_docx_size(data, max_xml_bytes=MAX_DOCX_XML_BYTES)  # the site's limit passes it


def test_an_ordinary_docx_still_reads():
    body = PARAGRAPH.encode() * 50
    reading = ingest(docx_with_body(body), filename="fine.docx")
    assert reading.detected_type == "docx"
    assert len(reading.passages) == 50
