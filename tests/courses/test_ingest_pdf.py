"""PDF readings, on PDFs generated here with fpdf2: two columns, running headers and
footers, page numbers, words hyphenated across lines, paragraphs over column and page
breaks, a scanned (image-only) PDF, and the limits on pages, time and inflated size.
Pure: no database."""

from __future__ import annotations

import io
import zlib

import pytest
from fpdf import FPDF
from PIL import Image

from courses.ingest import IngestError, PdfLimits, ingest

LEADING = 14
HEADER = "Journal of Example Studies · Vol. 3 (2024)"


class Article:
    """Lays out lines on A4 pages (points), two columns or one, with a running header and
    a page-number footer on every page."""

    def __init__(self, footer: str = "{n}") -> None:
        self.pdf = FPDF(format="A4", unit="pt")
        self.pdf.set_auto_page_break(False)
        self.footer = footer
        self.page = 0

    def new_page(self) -> None:
        self.pdf.add_page()
        self.page += 1
        self.pdf.set_font("Helvetica", size=8)
        self.pdf.text(56, 40, HEADER.replace("·", "-"))
        self.pdf.text(290, 810, self.footer.format(n=self.page))

    def line(self, x: float, y: float, text: str, size: float = 10.5, style: str = "") -> None:
        self.pdf.set_font("Times", style=style, size=size)
        self.pdf.text(x, y, text)

    def column(self, x: float, y: float, paragraphs: list[list[str]],
               gap: float = 7, continued: bool = False) -> float:
        """Paragraphs with an indented first line (not the first one when it ``continued``
        from the previous column or page) and a little space between them."""
        for index, lines in enumerate(paragraphs):
            for number, text in enumerate(lines):
                indent = number == 0 and not (continued and index == 0)
                self.line(x + (12 if indent else 0), y, text)
                y += LEADING
            y += gap
        return y

    def bytes(self) -> bytes:
        return bytes(self.pdf.output())


# Each paragraph as printed, one string per line; a line ending in "-" breaks a word.
P1 = ["Rivers have shaped the towns along their banks for",
      "as long as there have been towns, and the inter-",
      "national trade that followed them has shaped the",
      "rivers in return."]
P2 = ["The first surveys were well-",
      "known to every engineer of the period, yet local",
      "govern-",
      "ments rarely read them before building."]
P3 = ["A long-term view of the valley shows the same",
      "pattern again and again: a bend moves, a bank",
      "falls, and a market moves with it to the new"]
P3_RIGHT = ["landing further down the stream, where the",
            "water is slower and the boats can tie up."]
P4 = ["Historians of the Sino-",
      "Russian border describe the same long-",
      "term pattern on the Amur, where whole villages",
      "followed the river over a century."]
P5 = ["None of this was planned. It was the work of",
      "thousands of small decisions by people who",
      "needed to be near the water and could not"]
P5_NEXT_PAGE = ["afford to be far from it for long."]
P6 = ["Towns that understood the river prospered, and those that fought it",
      "spent their money on walls that the next flood carried away."]
BIO = ["Jane Doe is a lecturer in geography at Example University."]

TEXT_1 = ("Rivers have shaped the towns along their banks for as long as there have been "
          "towns, and the international trade that followed them has shaped the rivers in "
          "return.")
TEXT_2 = ("The first surveys were well-known to every engineer of the period, yet local "
          "governments rarely read them before building.")
TEXT_3 = ("A long-term view of the valley shows the same pattern again and again: a bend "
          "moves, a bank falls, and a market moves with it to the new landing further down "
          "the stream, where the water is slower and the boats can tie up.")
TEXT_4 = ("Historians of the Sino-Russian border describe the same long-term pattern on the "
          "Amur, where whole villages followed the river over a century.")
TEXT_5 = ("None of this was planned. It was the work of thousands of small decisions by "
          "people who needed to be near the water and could not afford to be far from it "
          "for long.")
TEXT_6 = ("Towns that understood the river prospered, and those that fought it spent their "
          "money on walls that the next flood carried away.")


def two_column_article(footer: str = "{n}") -> bytes:
    doc = Article(footer)
    doc.new_page()
    doc.line(56, 90, "How Rivers Move Towns", size=20, style="B")
    doc.line(56, 115, "By Jane Doe", size=10.5)
    left, right = 56, 310
    doc.column(left, 150, [P1, P2, P3])
    doc.column(right, 150, [P3_RIGHT, P4], continued=True)
    doc.new_page()
    doc.line(left, 90, "The long view", size=14, style="B")
    doc.column(left, 115, [P5])
    doc.new_page()
    doc.column(left, 90, [P5_NEXT_PAGE, P6, BIO], gap=10, continued=True)
    return doc.bytes()


@pytest.fixture(scope="module")
def article():
    return ingest(two_column_article(), filename="rivers.pdf")


def test_pdf_title_byline_and_bio(article):
    assert article.detected_type == "pdf"
    assert article.title == "How Rivers Move Towns"
    assert article.authors == ("Jane Doe",)
    assert article.author_notes == (BIO[0],)


def test_pdf_columns_paragraphs_and_hyphenation_come_out_in_reading_order(article):
    assert [(p.kind, p.text) for p in article.passages] == [
        ("paragraph", TEXT_1),
        ("paragraph", TEXT_2),
        ("paragraph", TEXT_3),
        ("paragraph", TEXT_4),
        ("heading", "The long view"),
        ("paragraph", TEXT_5),
        ("paragraph", TEXT_6),
    ]


def test_pdf_running_header_and_page_numbers_are_removed_and_listed(article):
    body = " ".join(p.text for p in article.passages)
    assert "Journal of Example Studies" not in body
    assert HEADER.replace("·", "-") in article.removed_lines
    assert {"1", "2", "3"} <= set(article.removed_lines)


@pytest.mark.parametrize("footer", ["Page {n}", "- {n} -", "{n} of 3", "Rivers · {n}"])
def test_pdf_footers_of_other_shapes_are_removed(footer):
    reading = ingest(two_column_article(footer.replace("·", "-")), filename="rivers.pdf")
    assert [p.text for p in reading.passages][-1] == TEXT_6
    body = " ".join(p.text for p in reading.passages)
    assert "Page" not in body and "Rivers - " not in body


def _image_only_pdf() -> bytes:
    pdf = FPDF(format="A4", unit="pt")
    scan = Image.new("L", (400, 560), color=235)
    for y in range(40, 520, 14):  # grey bars standing in for scanned lines of text
        scan.paste(40, (40, y, 360, y + 6))
    buffer = io.BytesIO()
    scan.save(buffer, format="PNG")
    for _ in range(2):
        pdf.add_page()
        pdf.image(io.BytesIO(buffer.getvalue()), x=40, y=40, w=500)
    return bytes(pdf.output())


def test_scanned_pdf_without_a_text_layer_is_refused_clearly():
    with pytest.raises(IngestError, match="no text layer.*OCR"):
        ingest(_image_only_pdf(), filename="scan.pdf")


def test_pdf_with_more_pages_than_the_limit_is_refused():
    with pytest.raises(IngestError, match="This PDF has 3 pages; the limit is 2"):
        ingest(two_column_article(), filename="rivers.pdf", pdf=PdfLimits(max_pages=2))
    assert ingest(two_column_article(), pdf=PdfLimits(max_pages=3)).detected_type == "pdf"


def test_pdf_that_takes_longer_than_the_limit_is_stopped_after_a_page():
    with pytest.raises(IngestError, match="took more than 0 seconds.*stopped at page 1"):
        ingest(two_column_article(), filename="rivers.pdf", pdf=PdfLimits(max_seconds=0))


def _pdf_with_stream(content: bytes) -> bytes:
    """A one-page PDF, built by hand, whose content stream is ``content`` (deflated)."""
    packed = zlib.compress(content, 9)
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(packed) + packed
        + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Times-Roman >>",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n"
              % (len(objects) + 1, xref))
    return out.getvalue()


def test_pdf_whose_stream_inflates_past_the_limit_is_refused_before_parsing():
    # 40 MB of page-drawing operators packed into about 40 KB.
    bomb = _pdf_with_stream(b"0 0 m 1 1 l S\n" * (40 * 1024 * 1024 // 14))
    assert len(bomb) < 100_000
    with pytest.raises(IngestError, match="unpacks to more than 10 MB"):
        ingest(bomb, filename="bomb.pdf", pdf=PdfLimits(max_inflated_bytes=10 * 1024 * 1024))


def test_hand_built_text_pdf_reads():
    text = b" ".join(b"(%s) Tj 0 -14 Td" % line.encode() for line in P1 + P2)
    reading = ingest(_pdf_with_stream(b"BT /F1 11 Tf 56 760 Td 14 TL " + text + b" ET"))
    assert [p.text for p in reading.passages] == [TEXT_1, TEXT_2]


@pytest.mark.parametrize("data", [
    b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj",
    b"%PDF-1.4 not text",
    b"%PDF-1.4\n" + bytes(range(256)) * 4,
])
def test_damaged_pdf_gets_a_clear_message(data):
    with pytest.raises(IngestError, match="This PDF couldn't be read"):
        ingest(data, filename="paper.pdf")


def test_images_do_not_count_towards_the_inflated_size_limit():
    """Layout analysis never unpacks image data, so a text PDF with large pictures is not
    refused for them; its text still counts."""
    doc = Article()
    doc.new_page()
    doc.column(56, 300, [P1, P2])
    picture = Image.new("RGB", (1500, 1500), color=(200, 220, 240))
    buffer = io.BytesIO()
    picture.save(buffer, format="PNG")
    doc.pdf.image(io.BytesIO(buffer.getvalue()), x=56, y=450, w=200)
    reading = ingest(doc.bytes(), pdf=PdfLimits(max_inflated_bytes=1024 * 1024))
    assert [p.text for p in reading.passages] == [TEXT_1, TEXT_2]
