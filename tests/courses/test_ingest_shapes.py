"""Readings of ten shapes the seed never showed: each gets its section line, headline, dek,
byline, date, bios and body right, as UTF-8 text, as cp1252 text and as a Word file.

The readings live in tests/courses/readings/ (test data written for these tests, not demo
content). Word files are built here with python-docx, paragraph by paragraph, the way a
person types a reading into Word: Normal style throughout, or with Word's Title, Subtitle
and Heading styles.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from pathlib import Path

import docx
import pytest

from courses.ingest import IngestedReading, ingest

READINGS = Path(__file__).resolve().parent / "readings"


@dataclass(frozen=True)
class Shape:
    file: str
    title: str
    dek: str = ""
    section: str = ""
    authors: tuple[str, ...] = ()
    published: str = ""
    notes: tuple[str, ...] = ()
    headings: tuple[str, ...] = ()
    passages: int = 0
    first: str = ""
    last: str = ""
    removed: tuple[str, ...] = ()
    docx: bool = True  # Gutenberg texts come as .txt, never as Word files
    never_in_body: tuple[str, ...] = field(default=())


SHAPES = [
    Shape(
        "news_analysis.txt",
        section="World | Energy",
        title="The Pipeline Nobody Wants to Finish",
        dek="Europe’s last big gas project is stalled by money, not politics – and that may "
            "outlast the war.",
        authors=("Sarah Lindqvist", "Tomás Herrera"),
        notes=("Sarah Lindqvist is an energy analyst at the Nordic Policy Centre in Oslo.",
               "Tomás Herrera writes about climate diplomacy and is the author of The Cold "
               "Pipeline (2019)."),
        passages=5, first="When the consortium behind the Baltic link",
        last="What happens next will depend less on diplomats",
        removed=("[ad_1]", "[ad_2]", "Source link"),
    ),
    Shape(
        "essay.txt",
        title="The Uses of Boredom",
        dek="Why the quiet hours matter more than we think",
        authors=("Margaret Okafor",),
        notes=("Margaret Okafor teaches philosophy at Dunmore College. Her essays have "
               "appeared in several literary magazines.",),
        passages=4, first="There was a time, not long ago, when waiting for a bus meant "
                          "standing still and looking at the street.",
        last="None of this requires a retreat to the mountains.",
        removed=("By Margaret Okafor", "* * *"),
    ),
    Shape(
        "blog_post.txt",
        title="What Six Months of Compost Taught Me",
        authors=("Daniel Reyes",), published="2023-05-12",
        notes=("Daniel Reyes is a community gardener and former primary school teacher who "
               "blogs about growing food in small city spaces.",),
        passages=4, first="I started my first compost heap last November",
        last="By April I had my first wheelbarrow",
        removed=("Posted on 12 May 2023 by Daniel Reyes", "Tags: gardening, compost, soil",
                 "Share this:", "Like this:", "Leave a comment", "About the author"),
    ),
    Shape(
        "oped.txt",
        section="Opinion",
        title="Cities Should Stop Paying for Empty Parking",
        dek="Free kerbside parking is a subsidy for the few, paid for by everyone who walks, "
            "cycles or takes the bus.",
        authors=("Priya Natarajan", "Owen Fletcher"), published="2024-03-04",
        notes=("Priya Natarajan, a former transport planner for the city of Leeds, is a "
               "senior fellow at the Urban Futures Institute.",
               "Owen Fletcher (@owenfletcher) covers local government for The Ledger."),
        passages=4, first="Every city council in the country faces the same arithmetic",
        last="Councils that have tried it report shorter searches",
        removed=("By Priya Natarajan and Owen Fletcher", "March 4, 2024"),
    ),
    Shape(
        "chapter.txt",
        section="Chapter 4",
        title="The River Towns",
        headings=("Mills and Markets", "The Flood of 1887"),
        passages=7,
        first="The towns along the lower river grew up around a single fact: the water was "
              "the only road that never needed mending.",
        last="The rebuilding that followed changed the towns for good",
    ),
    Shape(
        "gutenberg.txt",
        title="The Lamplighter's Daughter",
        authors=("Eliza Montgomery",),
        headings=("CHAPTER I.", "CHAPTER II."),
        passages=5, first="CHAPTER I.", last="When the gas company came to the town",
        removed=("[Illustration: Thomas Hale and his ladder]", "by Eliza Montgomery"),
        docx=False,
        never_in_body=("Project Gutenberg", "Release date", "Updated editions"),
    ),
    Shape(
        "interview.txt",
        section="Interview",
        title="‘We measure what matters’: a conversation with Lena Fischer",
        dek="The open-data pioneer on why cities should publish everything, and what "
            "happens when they do.",
        # The interviewer wrote it; the closing bio is the interviewee's.
        authors=("Tom Baker",),
        notes=("Lena Fischer is the director of the Open Data Lab at Halden University.",),
        passages=6, first="Lena Fischer has spent a decade",
        last="This interview has been edited for length and clarity.",
        removed=("Interview by Tom Baker",),
    ),
    Shape(
        "explainer.txt",
        section="Explainer",
        title="Five things to know about the new bus fares",
        dek="Prices change on 1 May, and not everyone will pay more.",
        authors=("Ravi Shah",),
        notes=("Ravi Shah, Transport correspondent",),
        headings=("1. Single fares rise by 20 pence", "2. Children still travel free",
                  "3. Weekly tickets get cheaper"),
        passages=10, first="The regional transport authority has published",
        last="Anyone who travels more than four days a week",
    ),
    Shape(
        "abstract.txt",
        section="Working Paper No. 12",
        title="Measuring Civic Trust in Small Towns: Evidence from Ten Surveys",
        authors=("Anna Kowalska", "Jun Park"),
        notes=("Anna Kowalska is a reader in public policy at the University of Bristol.",
               "Jun Park is an assistant professor of sociology at Seoul National University."),
        headings=("Abstract", "1. Introduction", "2. Data and methods"),
        passages=6, first="Abstract", last="We combine ten surveys",
        removed=("Keywords: civic trust; local government; surveys", "About the authors"),
    ),
    Shape(
        "press_release.txt",
        section="FOR IMMEDIATE RELEASE",
        title="Northwind Energy Opens Its First Tidal Power Plant",
        dek="New plant will supply 40,000 homes from 2026",
        headings=("About Northwind Energy",),
        passages=5, first="LEEDS, 3 June 2024 — Northwind Energy today opened",
        last="Northwind Energy is an independent renewable generator",
        never_in_body=("###", "Media contact", "press@northwind.example"),
    ),
]
IDS = [shape.file.removesuffix(".txt") for shape in SHAPES]


def _source(shape: Shape) -> str:
    return (READINGS / shape.file).read_text(encoding="utf-8")


def docx_paragraphs(text: str) -> list[str]:
    """What a person would type as Word paragraphs: one per blank-line block (its wrapped
    lines joined), one per line when the text has no blank lines or the block is a list
    or a signature."""
    blocks = [block.splitlines() for block in text.strip().split("\n\n")]
    if len(blocks) == 1:
        return [line for line in blocks[0] if line.strip()]
    paragraphs = []
    for lines in blocks:
        wrapped = len(lines) > 1 and all(len(line) >= 50 for line in lines[:-1])
        paragraphs.extend([" ".join(lines)] if wrapped else lines)
    return paragraphs


def make_docx(paragraphs: list[tuple[str, str]]) -> bytes:
    """A .docx with (style, text) paragraphs."""
    document = docx.Document()
    for style, text in paragraphs:
        document.add_paragraph(text, style=style)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _encoded(shape: Shape, form: str) -> bytes:
    text = _source(shape)
    if form == "utf-8":
        return text.encode("utf-8")
    if form == "cp1252":
        return text.replace("\n", "\r\n").encode("cp1252")
    return make_docx([("Normal", p) for p in docx_paragraphs(text)])


def check(reading: IngestedReading, shape: Shape) -> None:
    assert reading.title == shape.title
    assert reading.dek == shape.dek
    assert reading.section == shape.section
    assert reading.authors == shape.authors
    assert reading.published == shape.published
    assert reading.author_notes == shape.notes
    texts = [p.text for p in reading.passages]
    assert len(texts) == shape.passages, texts
    assert texts[0].startswith(shape.first)
    assert texts[-1].startswith(shape.last)
    assert tuple(p.text for p in reading.passages if p.kind == "heading") == shape.headings
    body = "\n".join(texts)
    for kept_out in (shape.title, shape.dek, *shape.notes, *shape.never_in_body):
        assert not kept_out or kept_out not in body
    for removed in shape.removed:
        assert removed in reading.removed_lines


CASES = [
    pytest.param(shape, form, id=f"{name}-{form}")
    for shape, name in zip(SHAPES, IDS, strict=True)
    for form in ("utf-8", "cp1252", "docx")
    if form != "docx" or shape.docx
]


@pytest.mark.parametrize(("shape", "form"), CASES)
def test_reading_shape_front_matter_bios_and_body(shape, form):
    extension = ".docx" if form == "docx" else ".txt"
    reading = ingest(_encoded(shape, form), filename=shape.file.replace(".txt", extension))
    assert reading.detected_type == ("docx" if form == "docx" else "text")
    if form == "cp1252" and not _source(shape).isascii():
        assert reading.encoding == "cp1252"
    check(reading, shape)


STYLED = {"essay.txt": ("Title", "Subtitle", None), "chapter.txt": (None, "Title", None),
          "explainer.txt": (None, "Title", "Subtitle"), "oped.txt": (None, "Title", None)}


@pytest.mark.parametrize("shape", [s for s in SHAPES if s.file in STYLED],
                         ids=[i for s, i in zip(SHAPES, IDS, strict=True) if s.file in STYLED])
def test_word_styles_for_title_subtitle_and_headings_give_the_same_reading(shape):
    """The same readings typed with Word's Title, Subtitle and Heading 2 styles."""
    paragraphs = docx_paragraphs(_source(shape))
    styles = dict(enumerate(STYLED[shape.file]))
    typed = []
    for index, text in enumerate(paragraphs):
        style = styles.get(index) or ("Heading 2" if text in shape.headings else "Normal")
        typed.append((style, text))
    check(ingest(make_docx(typed), filename="styled.docx"), shape)


def test_the_ten_shapes_are_all_different_files():
    assert len({shape.file for shape in SHAPES}) == len(SHAPES) >= 10
    assert all((READINGS / shape.file).is_file() for shape in SHAPES)
