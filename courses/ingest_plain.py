"""Plain-text and Markdown parsing for :mod:`courses.ingest`, plus the artefact lines and
body headings shared with Word files. The top and the end of a reading (headline, dek,
bylines, bios) are found by ``courses.ingest_front`` and ``courses.ingest_end``.

Pure: standard library only. Nothing here raises; callers decide what is an error.
"""

from __future__ import annotations

import re

from courses.ingest_blocks import (  # noqa: F401  (re-exported for courses.ingest)
    HEADING,
    PARAGRAPH,
    QUOTE,
    SENTENCE_END,
    Block,
    Parsed,
    clean_inline,
    normalise,
    word_count,
)
from courses.ingest_end import apply_author_notes
from courses.ingest_front import (  # noqa: F401  (re-exported)
    apply_front_matter,
    drop_repeats,
    is_person_name,
    prose_follows,
    split_names,
)

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
      | like\s+this | like\s+loading(?:\.{3}|…)? | leave\s+a\s+(?:comment|reply)
      | \d{1,5}\s+(?:comments?|responses?|replies) | (?:no|add\s+a)\s+comments?
      | (?:tags?|tagged(?:\s+with)?|categories|category|filed\s+under|posted\s+in|key\s*words)
        \s*:\s*[^.!?]{0,200}
      | (?:posted\s+in|filed\s+under)\s+[^.!?]{1,80}
      | print\s+(?:this\s+)?(?:article|page) | email\s+this(?:\s+article)?
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


def _is_list_line(line: str) -> bool:
    return bool(_LIST_ITEM.match(line) or re.match(r"^\s*[•·▪–]\s+\S", line))


def _split_group(group: list[str], blank_separated: bool, near_end: bool) -> list[str]:
    """The paragraphs of one blank-line block: its lines joined, unless they are list
    items, one long paragraph per line, or a closing signature (name line, role lines)."""
    if not blank_separated or max(map(len, group)) > _HARD_WRAP_WIDTH:
        return group
    if len(group) > 1 and sum(map(_is_list_line, group)) >= len(group) - 1 \
            and _is_list_line(group[-1]):
        return group
    if near_end and 1 < len(group) <= 5 and is_person_name(group[0].lstrip("—–- ")) \
            and all(word_count(line) <= 14 for line in group):
        return group
    return [" ".join(group)]


def parse_plain(text: str) -> Parsed:
    """Split plain text into paragraph and heading blocks.

    With blank lines between paragraphs, each blank-line block is a paragraph and its wrapped
    lines are joined with a space (unless its lines are too long to be hard-wrapped, in which
    case each line is a paragraph, or they are list items). Without blank lines, each line is
    a paragraph. Short unpunctuated lines between paragraphs become headings.
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
    for index, group in enumerate(groups):
        for paragraph in _split_group(group, blank_separated, index >= len(groups) - 2):
            paragraph = clean_inline(paragraph)
            if _ILLUSTRATION_BLOCK.fullmatch(paragraph):
                parsed.removed.append(paragraph)
            elif paragraph:
                parsed.blocks.append((PARAGRAPH, paragraph))
    finish_plain(parsed, title_needs_prose=not blank_separated)
    return parsed


_CHAPTER_HEADING = re.compile(
    r"(?:chapter|part|book|section|appendix)\s+(?:\d+|[ivxlcdm]+|[a-z]+)\b[.:]?"
    r"(?:\s+[^.!?]{1,80})?|[IVXLC]+\.\s+[^.!?]{1,80}|(?:abstract|introduction|conclusions?|"
    r"references|bibliography|notes|acknowledg(?:e)?ments|summary|methods?|results|"
    r"discussion|contents|preface|foreword|epilogue|prologue|afterword)\.?",
    re.IGNORECASE,
)
_SPEAKER = re.compile(r"^(?:q|a|[A-Z][\w’'.-]*(?:\s+[A-Z][\w’'.-]*)?)\s*:", re.IGNORECASE)


def _is_heading(blocks: list[Block], index: int) -> bool:
    kind, text = blocks[index]
    if kind != PARAGRAPH or index == len(blocks) - 1 or word_count(text) > 12:
        return False
    if not prose_follows(blocks[index + 1 :], limit=1):
        return False
    if _CHAPTER_HEADING.fullmatch(text):
        return True
    if _SPEAKER.match(text) or re.match(r"^[-*+•·▪–\[(]", text):
        return False
    if SENTENCE_END.search(text) and not (text.endswith("?") and word_count(text) <= 8):
        return False
    # A short line between two paragraphs; the last of a run of short list-like lines
    # (a numbered list of short items) is not a heading.
    before_kind, before = blocks[index - 1] if index else (HEADING, "")
    return word_count(before) >= 12 or before_kind == HEADING \
        or bool(re.match(r"^[-*+•·▪–]\s", before))


def mark_headings(parsed: Parsed) -> None:
    """Turn short unpunctuated paragraphs that introduce prose into headings."""
    blocks = parsed.blocks
    marked = [index for index in range(len(blocks)) if _is_heading(blocks, index)]
    for index in marked:
        blocks[index] = (HEADING, blocks[index][1])


def finish_plain(
    parsed: Parsed, *, title_from_first_line: bool = True, title_needs_prose: bool = True
) -> None:
    """Shared ending for plain text and Word files: repeats, front matter, bios, headings."""
    drop_repeats(parsed)
    apply_front_matter(parsed, title_from_first_line=title_from_first_line,
                       title_needs_prose=title_needs_prose)
    apply_author_notes(parsed)
    mark_headings(parsed)


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


