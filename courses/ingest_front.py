"""The top of a reading: section (kicker) line, headline, standfirst (dek), bylines and
dates, found by their shape rather than by any one publication's wording.

Pure: standard library only. Shared by every format (``courses.ingest_plain``,
``courses.ingest_html``).
"""

from __future__ import annotations

import re
from datetime import date

from courses.ingest_blocks import HEADING, PARAGRAPH, QUOTE, Block, Parsed, word_count

# ---------------------------------------------------------------- names

UPPER = "A-ZÀ-ÖØ-ÞĀĂĄĆČĎĐĒĖĘĚĞĪĮİĶĹĻĽŁŃŅŇŌŐŒŔŘŚŞŠŢŤŪŮŰŲŹŻŽ"
_PARTICLE = r"(?:de|da|di|du|del|della|van|von|der|den|la|le|bin|ibn|al|el|y|dos|das)"
_CAP_WORD = rf"[{UPPER}][\w’'.-]*"
NAME = rf"{_CAP_WORD}(?:\s+(?:{_CAP_WORD}|{_PARTICLE}\b)){{0,4}}"
HONORIFIC = r"(?:Dr|Prof|Professor|Mr|Mrs|Ms|Mx|Sir|Dame|Rev|Hon|Lord|Lady)\.?"
_NAME_SPLIT = re.compile(r"\s*(?:,|;|&|\band\b)\s*", re.IGNORECASE)
# Words that make a capitalised phrase a place, body or thing rather than a person.
_NOT_PERSON_WORDS = frozenset(
    [
        "university", "college", "institute", "school", "centre", "center", "department", "council",
        "party", "union", "bank", "company", "corporation", "inc", "ltd", "llc", "plc", "group",
        "foundation", "association", "agency", "ministry", "government", "republic", "kingdom",
        "states", "nations", "organization", "organisation", "society", "museum", "library",
        "press", "times", "news", "post", "review", "journal", "committee", "commission", "court",
        "army", "navy", "force", "church", "city", "county", "river", "sea", "ocean", "island",
        "mountain", "street", "road", "north", "south", "east", "west", "united", "european",
        "america", "american", "africa", "asia", "europe", "china", "russia", "india", "japan",
        "korea", "france", "germany", "britain", "england", "scotland", "wales", "ireland",
        "washington", "beijing", "moscow", "london", "paris", "brussels", "nato", "the", "this",
        "that", "these", "those", "it", "he", "she", "they", "there", "we", "you", "i", "his",
        "her", "their", "our", "its", "what", "when", "where", "why", "how", "who", "if", "in",
        "on", "at", "for", "after", "before", "while", "today", "yesterday", "tomorrow", "monday",
        "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "january", "february",
        "march", "april", "may", "june", "july", "august", "september", "october", "november",
        "december", "staff", "writer", "correspondent", "editor", "reporter", "contributor",
        "columnist"
    ]
)
ROLE_WORDS = re.compile(
    r"\b(?:staff|writer|correspondent|editor|reporter|contributor|columnist|bureau|chief|"
    r"special\s+to|senior|associate|photographer|agencies|wire)\b",
    re.IGNORECASE,
)


def is_person_name(name: str, *, single_ok: bool = False) -> bool:
    """Two to five capitalised words (particles allowed) that are not a place or body."""
    if not re.fullmatch(NAME, name):
        return False
    words = name.split()
    if len(words) < (1 if single_ok else 2) or any(c.isdigit() for c in name):
        return False
    return not any(w.strip(".’'").casefold() in _NOT_PERSON_WORDS for w in words)


def _tidy_name(name: str) -> str:
    name = re.sub(rf"^{HONORIFIC}\s+", "", name.strip()).strip(" .,")
    return name.title() if name.isupper() else name


def split_names(value: str) -> list[str]:
    """'Jane Doe, John Roe and Ann Lee' -> three names (honorifics dropped)."""
    names = []
    for part in _NAME_SPLIT.split(value):
        name = re.sub(rf"^{HONORIFIC}\s+", "", part.strip()).strip()
        if name:
            names.append(name)
    return names


def _person_names(value: str) -> list[str]:
    """The people in a byline's name part, dropping roles ("Staff Writer") and agencies.
    Empty when any remaining part is not a person's name."""
    value = re.sub(r"\s+in\s+[A-Z][\w’' -]*$", "", value.strip())  # "Jane Doe in Kyiv"
    names: list[str] = []
    for part in _NAME_SPLIT.split(value):
        part = _tidy_name(part)
        if not part:
            continue
        if ROLE_WORDS.search(part):
            if names:
                continue  # "Jane Doe, Staff Writer": the role, not a second person
            return []
        if not is_person_name(part):
            return []
        names.append(part)
    return names


# ---------------------------------------------------------------- dates

_MONTHS = {
    name: number
    for number, names in enumerate(
        [("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"),
         ("may",), ("june", "jun"), ("july", "jul"), ("august", "aug"),
         ("september", "sep", "sept"), ("october", "oct"), ("november", "nov"),
         ("december", "dec")],
        start=1,
    )
    for name in names
}
_MONTH = r"(?:" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")"
_WEEKDAY = r"(?:mon|tues?|wed(?:nes)?|thu(?:rs)?|fri|sat(?:ur)?|sun)(?:day)?\.?,?\s+"
DATE = (
    rf"(?:{_WEEKDAY})?(?:(?P<d1>\d{{1,2}})(?:st|nd|rd|th)?\s+(?P<m1>{_MONTH})\.?,?\s+"
    rf"(?P<y1>\d{{4}})|(?P<m2>{_MONTH})\.?\s+(?P<d2>\d{{1,2}})(?:st|nd|rd|th)?,?\s+"
    rf"(?P<y2>\d{{4}})|(?P<y3>\d{{4}})-(?P<m3>\d{{2}})-(?P<d3>\d{{2}}))"
    r"(?:,?\s*(?:at\s+)?\d{1,2}[:.]\d{2}\s*(?:[ap]\.?m\.?)?(?:\s*[A-Z]{2,4})?)?"
)
_DATE = re.compile(DATE, re.IGNORECASE)
_DATE_LINE = re.compile(
    rf"(?:(?:first\s+)?(?:published|posted|updated|dated?)(?:\s+on)?:?\s+)?{DATE}"
    rf"(?:\s*[|·•—–,;-]\s*(?:last\s+)?(?:updated|modified)?:?\s*.{{0,40}})?\.?",
    re.IGNORECASE,
)


def date_from(match: re.Match) -> str:
    """ISO date for a DATE match, or "" when it names no real day."""
    groups = match.groupdict()
    try:
        if groups.get("y3"):
            day = date(int(groups["y3"]), int(groups["m3"]), int(groups["d3"]))
        else:
            n = "1" if groups.get("y1") else "2"
            month = _MONTHS[groups[f"m{n}"].lower().rstrip(".")]
            day = date(int(groups[f"y{n}"]), month, int(groups[f"d{n}"]))
    except (ValueError, KeyError, TypeError):
        return ""
    return day.isoformat() if 1800 <= day.year <= 2200 else ""


def parse_date_line(text: str) -> str:
    """ISO date when the whole block is a dateline ("Published 4 March 2024"), else ""."""
    match = _DATE_LINE.fullmatch(text.strip()) if word_count(text) <= 14 else None
    return date_from(match) if match else ""


# ---------------------------------------------------------------- bylines

_BY = re.compile(
    r"^(?:(?:posted|published|written|words|story|text|interview|interviewed|reporting|"
    r"reported|compiled|edited|analysis|commentary)\s+)?"
    rf"(?:on\s+(?P<date>{DATE})\s+)?by[:\s]\s*(?P<names>.+?)\s*$",
    re.IGNORECASE,
)
_NAMES_THEN_DATE = re.compile(rf"^(?P<names>[^|·•]+?)\s*[|·•]\s*(?P<date>{DATE})\s*$", re.I)


def parse_byline(text: str) -> tuple[list[str], str] | None:
    """(names, ISO date or "") for a byline block: "By Jane Doe and John Roe", "Posted on
    3 May 2023 by Jane Doe", "By JANE DOE, Staff Writer | March 4, 2024", "Jane Doe | 4 March
    2024". None when the block is not one."""
    if word_count(text) > 24:
        return None
    match = _BY.match(text.strip())
    published = ""
    if match:
        names_part = match.group("names")
        if match.group("date"):
            published = date_from(_DATE.search(match.group("date")))
        found = _DATE.search(names_part)
        if found:
            published = published or date_from(found)
            names_part = names_part[: found.start()]
            names_part = re.sub(r"(?:\s*[|·•—–,;-]\s*|\s+on\s*)+$", "", names_part)
    else:
        match = _NAMES_THEN_DATE.match(text.strip())
        if not match:
            return None
        names_part = match.group("names")
        published = date_from(_DATE.search(match.group("date")))
    names = _person_names(names_part)
    return (names, published) if names else None


def _affiliated_names(text: str) -> list[str]:
    """An author line under an academic title: "Ann Lee (Bristol) and Jun Park¹"."""
    stripped = re.sub(r"\([^)]{2,120}\)|[¹²³⁴⁵⁶⁷⁸⁹⁰*†‡§]|\[\d+\]", "", text)
    if stripped == text or word_count(text) > 40:
        return []
    return _person_names(stripped)


# ---------------------------------------------------------------- section, title, dek

_SECTION_SEPARATORS = (" | ", " › ", " » ", " / ")
_KICKERS = frozenset(
    [
        "analysis", "opinion", "comment", "commentary", "editorial", "op-ed", "essay", "feature",
        "features", "explainer", "interview", "q&a", "review", "reviews", "news", "world",
        "politics", "business", "science", "culture", "sport", "sports", "health", "technology",
        "tech", "education", "environment", "climate", "economy", "economics", "books", "podcast",
        "blog", "letter", "letters", "obituary", "profile", "briefing", "column", "investigation",
        "report", "research", "lecture", "transcript", "diplomacy", "security", "asia", "europe",
        "africa", "americas", "middle-east", "long-read", "the-long-read", "guest-post",
        "press-release",
        "for-immediate-release", "news-release", "media-release", "policy-brief", "case-study",
        "perspective", "viewpoint", "dispatch"
    ]
)
_KICKER_PATTERN = re.compile(
    r"(?:chapter|part|book|lecture|unit|section|lesson|week)\s+(?:\d+|[ivxlc]+|one|two|three|"
    r"four|five|six|seven|eight|nine|ten|eleven|twelve)|(?:working|discussion|policy)\s+"
    r"paper(?:\s+(?:no\.?|number|series))?\s*\d*",
    re.IGNORECASE,
)
_TITLE_END = re.compile(r"[.,;:!…][\"”’')\]]*$")
_LIST_START = re.compile(r"[-*+•\[!(]|\d+[.)]\s")
_MAX_FRONT_BLOCKS = 7


def _is_title(text: str) -> bool:
    return (
        0 < word_count(text) <= 20
        and not _TITLE_END.search(text)
        and not _LIST_START.match(text)
    )


def _is_kicker(text: str, rest: list[Block]) -> bool:
    text = text.strip().rstrip(":")
    if word_count(text) <= 8 and any(s in text for s in _SECTION_SEPARATORS) \
            and not text.endswith("."):
        return True
    if word_count(text) > 5 or not rest:
        return False
    follows = rest[0][1]
    title_next = _is_title(follows) or bool(parse_date_line(follows))
    key = re.sub(r"\s+", "-", text.casefold())
    if key in _KICKERS:
        return True
    if _KICKER_PATTERN.fullmatch(text):
        return title_next
    return text.isupper() and len(text) > 3 and title_next


def prose_follows(blocks: list[Block], limit: int = 8) -> bool:
    """A real paragraph (15+ words) among the next few blocks: the body has begun."""
    return any(kind in (PARAGRAPH, QUOTE) and word_count(text) >= 15
               for kind, text in blocks[:limit])


def _opens_body(blocks: list[Block]) -> bool:
    return bool(blocks) and (
        parse_byline(blocks[0][1]) is not None or bool(parse_date_line(blocks[0][1]))
    )


def _is_dek(parsed: Parsed, previous: str) -> bool:
    """A standfirst: one block between the headline (or section line) and the body."""
    kind, text = parsed.blocks[0]
    words, rest = word_count(text), parsed.blocks[1:]
    paragraphs = [word_count(t) for k, t in rest if k == PARAGRAPH and word_count(t) >= 15]
    if kind != PARAGRAPH or not paragraphs:
        return False
    byline_next = _opens_body(rest)
    if not _TITLE_END.search(text) or text.endswith("?"):
        # A subtitle without a full stop, right under the headline.
        return previous == "title" and 4 <= words <= 30 and (
            byline_next or (words >= 6 and prose_follows(rest)))
    if not text.rstrip("”’\"'").endswith((".", "?")) or not 8 <= words < 40:
        return False
    if previous == "title" and byline_next or (
            previous == "section" and not parsed.title and len(paragraphs) >= 2):
        return True  # right under the section line, as scraped news pages have it
    if len(paragraphs) < 2:
        return False
    median = sorted(paragraphs)[len(paragraphs) // 2]
    if parsed.section and previous == "title":
        return words <= 30 and words < 0.8 * median
    # With only a title above it, a short opening paragraph is far more common than a dek,
    # so demand a clearly longer body and a dek well under its typical paragraph.
    return bool(parsed.title) and len(paragraphs) >= 3 and words <= 30 and words < 0.6 * median


def drop_repeats(parsed: Parsed) -> None:
    """Drop a top block that repeats the title or dek (a page's <h1>, a Gutenberg title,
    a Markdown H1 under front matter)."""
    for value in (parsed.title, parsed.dek):
        for index, (_, text) in enumerate(parsed.blocks[:4] if value else ()):
            if text.casefold() == value.casefold():
                del parsed.blocks[index]
                break


def apply_front_matter(
    parsed: Parsed, *, title_from_first_line: bool, title_needs_prose: bool = True
) -> None:
    """Pull a section line, headline, byline, dateline and dek off the top of the blocks,
    in any order. With ``title_from_first_line`` (plain text, Word files without a Title
    style) the headline is found by shape; otherwise the caller has set it.

    Stops at the first block that is none of these, so ordinary opening paragraphs stay.
    """
    previous = ""
    for _ in range(_MAX_FRONT_BLOCKS):
        if not parsed.blocks or parsed.blocks[0][0] not in (PARAGRAPH, HEADING):
            return
        kind, text = parsed.blocks[0]
        rest = parsed.blocks[1:]
        byline = parse_byline(text) if kind == PARAGRAPH else None
        published = parse_date_line(text) if byline is None else ""
        if byline is not None:
            parsed.authors.extend(byline[0])
            parsed.published = parsed.published or byline[1]
            parsed.removed.append(text)
            previous = "byline"
        elif published and not parsed.published:
            parsed.published = published
            parsed.removed.append(text)
            previous = "date"
        elif not rest:
            return  # the last block is the body, whatever it looks like
        elif not parsed.section and (not previous or not (parsed.title or parsed.dek)) \
                and _is_kicker(text, rest):
            parsed.section = text.strip().rstrip(":")
            previous = "section"
        elif (title_from_first_line and not (parsed.title or parsed.dek) and _is_title(text)
              and (not title_needs_prose or prose_follows(rest))):
            parsed.title = text
            previous = "title"
        elif kind == HEADING:
            return
        elif previous == "title" and not parsed.authors and _affiliated_names(text):
            parsed.authors.extend(_affiliated_names(text))
            parsed.removed.append(text)
            previous = "byline"
        elif not parsed.dek and _is_dek(parsed, previous):
            parsed.dek = text
            previous = "dek"
        else:
            return
        del parsed.blocks[0]
