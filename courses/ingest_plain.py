"""Plain-text and Markdown parsing for :mod:`courses.ingest`, plus the heuristics shared by
every format (artefact lines, front matter, bylines, trailing author bios).

Pure: standard library only. Nothing here raises; callers decide what is an error.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

PARAGRAPH, HEADING, QUOTE = "paragraph", "heading", "quote"

Block = tuple[str, str]  # (kind, text)


@dataclass
class Parsed:
    """A reading on its way to an IngestedReading: body blocks plus what was pulled out."""

    blocks: list[Block]
    title: str = ""
    dek: str = ""
    section: str = ""
    source: str = ""
    authors: list[str] = field(default_factory=list)
    author_notes: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)


# ---------------------------------------------------------------- normalisation

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


# ---------------------------------------------------------------- artefact lines

_ARTEFACT_LINE = re.compile(
    r"""\[\s*ad(?:[\s_-]*\d+)?\s*\]
      | source\s+link
      | share\s+this(?:\s+(?:article|story|post|page))?
      | share\s+on\s+(?:facebook|twitter|x|linkedin|whatsapp|email|reddit)
      | [-–—\s]*advertisements?[-–—\s]*
      | sponsored\s+content
      | (?:read\s+more|continue\s+reading)
      | \[\s*illustration(?:\s*:[^\]]*)?\]
    """,
    re.IGNORECASE | re.VERBOSE,
)
_RELATED_LINE = re.compile(
    r"(?:related\s+(?:posts?|articles?|stories|content|reading)|you\s+(?:may|might)\s+also\s+like)",
    re.IGNORECASE,
)
# A caption can wrap over several lines inside one blank-line block.
_ILLUSTRATION_BLOCK = re.compile(r"\[\s*illustration\b[^\]]*\]", re.IGNORECASE | re.DOTALL)
_TERMINAL = tuple('.!?;:"”’)')
_MAX_RELATED_LINKS = 8


def is_artefact(line: str) -> bool:
    """True when the whole line (not just part of it) is scraper debris."""
    stripped = line.strip().rstrip(":").strip()
    return bool(
        _ARTEFACT_LINE.fullmatch(stripped)
        or _RELATED_LINE.fullmatch(stripped)
        or _ILLUSTRATION_BLOCK.fullmatch(stripped)
    )


def _looks_like_link_line(line: str) -> bool:
    stripped = line.strip().lstrip("-*•+ ").strip()
    if re.fullmatch(r"https?://\S+|\[[^\]]+\]\([^)]*\)", stripped):
        return True
    return 0 < len(stripped.split()) <= 15 and not stripped.endswith(_TERMINAL)


def strip_artefact_lines(lines: list[str], removed: list[str]) -> list[str]:
    """Drop whole artefact lines, and the short run of link lines after 'Related posts'."""
    kept: list[str] = []
    links_left = 0
    for line in lines:
        if not line.strip():
            kept.append(line)
            continue
        if links_left and _looks_like_link_line(line):
            links_left -= 1
            removed.append(line.strip())
            continue
        links_left = 0
        if is_artefact(line):
            removed.append(line.strip())
            if _RELATED_LINE.fullmatch(line.strip().rstrip(":").strip()):
                links_left = _MAX_RELATED_LINKS
            continue
        kept.append(line)
    return kept


# ---------------------------------------------------------------- Project Gutenberg

_PG_START = re.compile(r"^\s*\*{3}\s*START OF (?:THE|THIS) PROJECT GUTENBERG", re.IGNORECASE)
_PG_END = re.compile(
    r"^\s*(?:\*{3}\s*END OF (?:THE|THIS) PROJECT GUTENBERG|End of (?:the )?Project Gutenberg)",
    re.IGNORECASE,
)


def strip_gutenberg(lines: list[str], parsed: Parsed) -> list[str]:
    """Remove the licence header/footer; keep the header's Title:/Author: as metadata."""
    start = next((i for i, line in enumerate(lines) if _PG_START.match(line)), None)
    if start is None:
        return lines
    end = next((i for i in range(start + 1, len(lines)) if _PG_END.match(lines[i])), len(lines))
    header, footer = lines[: start + 1], lines[end:]
    for line in header:
        key, _, value = line.partition(":")
        if key.strip().lower() == "title" and value.strip() and not parsed.title:
            parsed.title = value.strip()
        elif key.strip().lower() == "author" and value.strip():
            parsed.authors.extend(split_names(value.strip()))
    for chunk in (header, footer):
        text = "\n".join(chunk).strip()
        if text:
            parsed.removed.append(text)
    return lines[start + 1 : end]


# ---------------------------------------------------------------- plain text

# Hard-wrapped prose rarely runs past ~80 characters a line; longer lines in a block mean
# the author put one paragraph per line even though blank lines also appear.
_HARD_WRAP_WIDTH = 100


def parse_plain(text: str) -> Parsed:
    """Split plain text into paragraph blocks.

    With blank lines between paragraphs, each blank-line block is a paragraph and its wrapped
    lines are joined with a space (unless its lines are too long to be hard-wrapped, in which
    case each line is a paragraph). Without blank lines, each line is a paragraph.
    """
    parsed = Parsed(blocks=[])
    lines = strip_gutenberg(text.split("\n"), parsed)
    lines = strip_artefact_lines(lines, parsed.removed)
    groups: list[list[str]] = [[]]
    for line in lines:
        if line.strip():
            groups[-1].append(line.strip())
        elif groups[-1]:
            groups.append([])
    groups = [g for g in groups if g]
    blank_separated = len(groups) > 1
    for group in groups:
        if not blank_separated or max(map(len, group)) > _HARD_WRAP_WIDTH:
            paragraphs = group
        else:
            paragraphs = [" ".join(group)]
        for paragraph in paragraphs:
            paragraph = clean_inline(paragraph)
            if _ILLUSTRATION_BLOCK.fullmatch(paragraph):
                parsed.removed.append(paragraph)
            elif paragraph:
                parsed.blocks.append((PARAGRAPH, paragraph))
    drop_repeats(parsed)
    apply_front_matter(parsed, title_from_first_line=blank_separated)
    apply_author_notes(parsed)
    return parsed


# ---------------------------------------------------------------- Markdown

_ATX = re.compile(r"^ {0,3}(#{1,6})[ \t]+(.*?)(?:[ \t]+#+)?[ \t]*$|^ {0,3}(#{1,6})[ \t]*$")
_SETEXT = re.compile(r"^ {0,3}(=+|-+)[ \t]*$")
_RULE = re.compile(r"^ {0,3}(?:(?:-[ \t]*){3,}|(?:\*[ \t]*){3,}|(?:_[ \t]*){3,})$")
_QUOTE = re.compile(r"^ {0,3}>[ ]?(.*)$")
_LIST_ITEM = re.compile(r"^\s*(?:[-*+]|\d{1,9}[.)])\s+\S")
_FENCE = re.compile(r"^ {0,3}(```|~~~)")
_FRONT_KEY = re.compile(r"^([A-Za-z_-]+)\s*:\s*(.*)$")


def looks_like_markdown(text: str) -> bool:
    """Clear ATX headings: the first line is one, or at least two lines are."""
    lines = [line for line in text.split("\n", 400)[:400] if line.strip()]
    headings = [line for line in lines if re.match(r"^#{1,6} \S", line)]
    return bool(lines) and (lines[0] in headings[:1] or len(headings) >= 2)


def _yaml_front_matter(lines: list[str], parsed: Parsed) -> list[str]:
    """Read title/author/subtitle from simple ``---`` YAML front matter and drop it.

    Only flat ``key: value`` lines and ``- item`` lists are understood; anything else means
    the ``---`` was not front matter and the lines are left alone.
    """
    if not lines or lines[0].strip() != "---":
        return lines
    end = next((i for i in range(1, min(len(lines), 60)) if lines[i].strip() in ("---", "...")), 0)
    values: dict[str, list[str]] = {}
    key = ""
    for line in lines[1:end]:
        field_ = _FRONT_KEY.match(line)
        if field_:
            key = field_.group(1).lower()
            values[key] = [field_.group(2).strip()]
        elif key and line.strip().startswith("- "):
            values[key].append(line.strip()[2:])
        elif line.strip():
            return lines
    if not end or not values:
        return lines

    def first(*keys: str) -> str:
        found = [v.strip().strip("'\"") for k in keys for v in values.get(k, []) if v.strip()]
        return found[0] if found else ""

    parsed.title = first("title")
    parsed.dek = first("subtitle", "dek", "description")
    for value in values.get("author", []) + values.get("authors", []):
        parsed.authors.extend(split_names(value.strip("[]").replace('"', "").replace("'", "")))
    parsed.removed.append("\n".join(lines[: end + 1]))
    return lines[end + 1 :]


def parse_markdown(text: str) -> Parsed:
    """Split Markdown into heading, quote and paragraph blocks.

    Only structure markers are interpreted: ``#`` headings (and ``===``/``---`` underlines)
    lose their markers, ``>`` quotes lose theirs, horizontal rules are dropped. Inline
    markup (emphasis, links, list bullets) stays exactly as written. A ``# H1`` at the top
    becomes the title; YAML front matter supplies title/author when present.
    """
    parsed = Parsed(blocks=[])
    lines = _yaml_front_matter(strip_gutenberg(text.split("\n"), parsed), parsed)
    lines = strip_artefact_lines(lines, parsed.removed)
    current: list[str] = []
    current_kind = PARAGRAPH
    h1_first = in_fence = first_is_one_line = False

    def flush() -> None:
        nonlocal first_is_one_line
        paragraph = clean_inline(" ".join(current))
        if paragraph:
            if not parsed.blocks:
                first_is_one_line = len(current) == 1
            parsed.blocks.append((current_kind, paragraph))
        current.clear()

    for line in lines:
        if _FENCE.match(line):
            in_fence = not in_fence
            continue
        if in_fence:
            current.append(line)
            continue
        quote = _QUOTE.match(line)
        if quote:
            if current_kind != QUOTE:
                flush()
                current_kind = QUOTE
            if quote.group(1).strip():
                current.append(quote.group(1))
            else:
                flush()
            continue
        if current_kind == QUOTE:
            flush()
            current_kind = PARAGRAPH
        if not line.strip():
            flush()
            continue
        heading = _ATX.match(line)
        if heading:
            flush()
            heading_text = clean_inline(heading.group(2) or "")
            if heading_text:
                if heading.group(1) == "#" and not parsed.blocks and not parsed.title:
                    h1_first = True
                parsed.blocks.append((HEADING, heading_text))
            continue
        if _SETEXT.match(line) and len(current) == 1:
            level_one = line.strip().startswith("=")
            if level_one and not parsed.blocks and not parsed.title:
                h1_first = True
            current_kind = HEADING
            flush()
            current_kind = PARAGRAPH
            continue
        if _RULE.match(line):
            flush()
            continue
        if _LIST_ITEM.match(line):
            flush()
        current.append(line.strip())
    flush()
    if h1_first:
        parsed.title = parsed.blocks.pop(0)[1]
    drop_repeats(parsed)
    apply_front_matter(parsed, title_from_first_line=first_is_one_line and not parsed.title)
    apply_author_notes(parsed)
    return parsed


# ---------------------------------------------------------------- front matter

_NAME_WORD = r"(?:[A-Z][\w’'.-]*|(?:de|da|di|du|van|von|der|den|la|le|bin|ibn|al)\b)"
_NAME = rf"[A-Z][\w’'.-]*(?:\s+{_NAME_WORD}){{0,4}}"
_HONORIFIC = r"(?:Dr|Prof|Professor|Mr|Mrs|Ms|Mx|Sir|Dame|Rev|Hon)\.?"
_BYLINE = re.compile(r"^by[:\s]\s*(.+?)\s*$", re.IGNORECASE)
_NAME_SPLIT = re.compile(r"\s*(?:,|;|&|\band\b)\s*")
_SECTION_SEPARATORS = (" | ", " › ", " » ")
_MAX_FRONT_BLOCKS = 5


def split_names(value: str) -> list[str]:
    """'Jane Doe, John Roe and Ann Lee' -> three names (honorifics dropped)."""
    names = []
    for part in _NAME_SPLIT.split(value):
        name = re.sub(rf"^{_HONORIFIC}\s+", "", part.strip()).strip()
        if name:
            names.append(name)
    return names


def _byline_names(text: str) -> list[str]:
    match = _BYLINE.match(text)
    if not match or len(text.split()) > 14:
        return []
    names = split_names(match.group(1))
    if names and all(re.fullmatch(_NAME, name) for name in names):
        return names
    return []


def _is_section(text: str) -> bool:
    return (
        len(text.split()) <= 8
        and any(sep in text for sep in _SECTION_SEPARATORS)
        and not text.endswith(".")
    )


def _is_title(text: str) -> bool:
    return (
        0 < len(text.split()) <= 15
        and not text.endswith((".", ",", ";", ":", "!"))
        and not re.match(r"[-*+•\[!(]|\d+[.)]\s", text)
    )


def _is_dek(parsed: Parsed, index: int) -> bool:
    """A standfirst: one line of 8-39 words ending in a full stop, right after a section
    line (as scraped news pages have) or, more cautiously, after a title."""
    kind, text = parsed.blocks[index]
    words = len(text.split())
    rest = [len(t.split()) for k, t in parsed.blocks[index + 1 :] if k == PARAGRAPH]
    if kind != PARAGRAPH or not text.endswith(".") or not 8 <= words < 40 or len(rest) < 2:
        return False
    if parsed.section:
        return True
    # With only a title above it, a short opening paragraph is far more common than a dek,
    # so demand a clearly longer body and a dek well under its typical paragraph.
    median = sorted(rest)[len(rest) // 2]
    return bool(parsed.title) and len(rest) >= 3 and words <= 30 and words < 0.6 * median


def drop_repeats(parsed: Parsed) -> None:
    """Drop a top block that repeats the title or dek (a page's <h1>, a Gutenberg title,
    a Markdown H1 under front matter)."""
    for value in (parsed.title, parsed.dek):
        for index, (_, text) in enumerate(parsed.blocks[:4] if value else ()):
            if text.casefold() == value.casefold():
                del parsed.blocks[index]
                break


def apply_front_matter(parsed: Parsed, *, title_from_first_line: bool) -> None:
    """Pull a section line, title, byline and dek off the top of the blocks, in any order.

    Stops at the first block that is none of these, so ordinary opening paragraphs stay.
    """
    for _ in range(_MAX_FRONT_BLOCKS):
        if not parsed.blocks or parsed.blocks[0][0] != PARAGRAPH:
            return
        text = parsed.blocks[0][1]
        names = _byline_names(text)
        if names:
            parsed.authors.extend(names)
            parsed.removed.append(text)
        elif len(parsed.blocks) == 1:
            return  # the last block is the body, whatever it looks like
        elif not parsed.section and _is_section(text):
            parsed.section = text
        elif title_from_first_line and not (parsed.title or parsed.dek) and _is_title(text):
            parsed.title = text
        elif not parsed.dek and _is_dek(parsed, 0):
            parsed.dek = text
        else:
            return
        del parsed.blocks[0]


# ---------------------------------------------------------------- trailing author bios

_BIO = re.compile(
    rf"^(?:{_HONORIFIC}\s+)?(?P<name>{_NAME})\s+"
    r"(?:is\s+(?:(?:also|currently|now)\s+)?(?:a|an|the)\b|was\b)"
)
_BIO_CLUES = re.compile(
    r"\b(?:lecturer|professor|fellow|research(?:er)?|author|writer|journalist|editor|"
    r"correspondent|analyst|director|student|scholar|reporter|contributor|columnist|founder|"
    r"historian|scientist|economist|novelist|poet|teacher|candidate|chair|university|"
    r"college|institute|school|centre|center|department|faculty)\b",
    re.IGNORECASE,
)
_NOT_NAMES = {"The", "This", "That", "These", "Those", "It", "He", "She", "They", "There"}


def _bio_name(text: str) -> str:
    match = _BIO.match(text.strip("*_ "))
    if not match or len(text.split()) >= 80:
        return ""
    name = match.group("name")
    honorific = re.match(_HONORIFIC + r"\s", text.strip("*_ "))
    if name.split()[0] in _NOT_NAMES or len(name.split()) < 2:
        return ""
    return name if honorific or _BIO_CLUES.search(text) else ""


def apply_author_notes(parsed: Parsed) -> None:
    """Move consecutive final "<Name> is a <role> ..." paragraphs into author_notes."""
    notes: list[str] = []
    names: list[str] = []
    while len(parsed.blocks) > 1:
        kind, text = parsed.blocks[-1]
        name = _bio_name(text) if kind == PARAGRAPH else ""
        if not name:
            break
        notes.insert(0, text)
        names.insert(0, name)
        parsed.blocks.pop()
    parsed.author_notes.extend(notes)
    parsed.authors.extend(names)
