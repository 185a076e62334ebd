"""The end of a reading: author bios, sign-offs, "first published in" notes and a press
release's end mark, found by their shape rather than by one publication's wording.

Pure: standard library only. Shared by every format.
"""

from __future__ import annotations

import re

from courses.ingest_blocks import HEADING, PARAGRAPH, SENTENCE_END, Parsed, word_count
from courses.ingest_front import DATE, HONORIFIC, NAME, is_person_name

_NAME_LIST = rf"{NAME}(?:(?:\s*,\s*|\s+and\s+|\s*&\s*)(?:{HONORIFIC}\s+)?{NAME}){{0,3}}"
# What people do, in a bio's opening: "is a", "teaches", "has written", "covers".
_BIO_VERB = (
    r"(?:is|are|was|were|has\s+been|have\s+been|serves|served|works|worked|teaches|taught|"
    r"writes|wrote|covers|covered|reports|reported|edits|edited|researches|studies|"
    r"studied|lectures|leads|led|directs|directed|heads|runs|ran|lives|holds|blogs|hosts|"
    r"founded|co-founded|chairs|advises|has\s+written|has\s+taught|has\s+reported|"
    r"has\s+worked|has\s+published)"
)
_BIO = re.compile(
    rf"^(?:{HONORIFIC}\s+)?(?P<names>{_NAME_LIST})(?:,\s+(?:PhD|MD|OBE|MBE|CBE|Jr\.?|Sr\.?))?"
    r"(?:,\s+(?P<appositive>[^,]{3,120}),)?(?:\s+\((?:@\w+|[^)]{1,60})\))?"
    rf"\s+(?P<verb>{_BIO_VERB})\b\s*(?P<rest>.*)$",
    re.DOTALL,
)
_ABOUT = re.compile(
    r"^(?:about|more\s+about|meet)\s+the\s+(?:authors?|writers?|contributors?)\s*:?\s*",
    re.IGNORECASE,
)
_THE_AUTHOR = re.compile(
    rf"^the\s+(?:authors?|writers?|interviewee)\s+{_BIO_VERB}\b", re.IGNORECASE
)
_SPLIT_NAMES = re.compile(rf"\s*(?:,|\band\b|&)\s*(?:{HONORIFIC}\s+)?")
# Words that say a sentence is about a person's work, study or affiliation.
_BIO_CLUES = re.compile(
    r"\b(?:lecturer|professor|fellow|research(?:er)?|author|writer|journalist|editor|"
    r"correspondent|analyst|director|student|scholar|reporter|contributor|columnist|"
    r"(?:co-?)?founder|historian|scientist|economist|novelist|poet|teacher|candidate|chair|"
    r"university|college|institute|school|centre|center|department|faculty|diplomat|"
    r"ambassador|minister|lawyer|attorney|doctor|physician|nurse|engineer|consultant|"
    r"advis[eo]r|partner|executive|ceo|president|manager|officer|member|associate|"
    r"assistant|emeritus|ph\.?d|host|producer|podcast|blogger|designer|artist|"
    r"photographer|coach|translator|illustrator|activist|organi[sz]er|campaigner|"
    r"practitioner|veteran|former|retired|specialist|expert|visiting|adjunct|based|"
    r"gardener|librarian|curator|critic|playwright|filmmaker|composer|musician|"
    r"entrepreneur|investor|biologist|physicist|chemist|psychologist|sociologist|"
    r"anthropologist|philosopher|lawmaker|senator|councillor|mayor|graduate|alumn[ai]|"
    r"postdoctoral|doctoral|books?|essays|newsletter|contributing|staff|head|lead)\b",
    re.IGNORECASE,
)
_HANDLE_OR_EMAIL = re.compile(r"@\w{2,}|\b[\w.+-]+@[\w-]+\.[\w.]+\b")
_SIGN_OFF = re.compile(rf"^[—–-]+\s*(?P<name>{NAME})(?:\s*,\s*(?P<role>.+))?$")
_REPUBLISHED = re.compile(
    r"^(?:a\s+version\s+of\s+)?(?:this|the)\s+(?:article|essay|post|piece|story|interview|"
    r"column|review|text)\s+(?:was\s+|is\s+|has\s+been\s+)?(?:first|originally)?\s*"
    r"(?:appeared|published|republished|reproduced)\s+(?:with\s+permission\s+)?"
    r"(?:in|on|at|by|from)\s+(?P<source>[^.]+?)"
    rf"(?:\s*,?\s+on\s+{DATE})?\s*(?:\.\s*(?:read\s+the\s+original.*)?)?$",
    re.IGNORECASE,
)
_END_MARK = re.compile(r"#{3}|-\s*30\s*-|[-–—]?\s*ends?\s*[-–—]?", re.IGNORECASE)
_SCENE_BREAK = re.compile(r"(?:[*·•⁂#~=_-]\s*){1,7}")


def _names_of(found: str, honorific: bool) -> list[str] | None:
    names = [n.strip() for n in _SPLIT_NAMES.split(found) if n.strip()]
    if not names or not all(is_person_name(n, single_ok=honorific) for n in names):
        return None
    return names


def bio_names(text: str) -> list[str] | None:
    """The people a bio is about ("Jane Doe is a lecturer at …", "Jane Doe and Jo Roe
    teach …", "The author is …" gives []); None when ``text`` is not a bio."""
    body = _ABOUT.sub("", text.strip().strip("*_ ").lstrip("—–-> ").strip())
    if not body or word_count(body) >= 90:
        return None
    if _THE_AUTHOR.match(body):
        return []
    match = _BIO.match(body)
    if not match:
        return None
    honorific = bool(re.match(HONORIFIC + r"\s", body))
    names = _names_of(match.group("names"), honorific)
    if names is None:
        return None
    verb, rest = match.group("verb"), match.group("rest")
    if verb in ("is", "are", "was", "were", "has been", "have been"):
        clue = honorific or _BIO_CLUES.search(match.group(0)) or _HANDLE_OR_EMAIL.search(body)
    else:
        # "John Roe writes that the war…" reports what someone said; a bio never does.
        clue = not re.match(r"(?:that|to|of|in\s+response)\b", rest, re.IGNORECASE)
    return names if clue else None


def _is_name_line(text: str) -> str:
    name = text.strip().strip("*_ ").lstrip("—–- ").strip()
    return name if word_count(name) <= 5 and is_person_name(name) else ""


def _is_role_line(text: str) -> bool:
    return (
        word_count(text) <= 14
        and (not SENTENCE_END.search(text) or bool(_HANDLE_OR_EMAIL.search(text)))
        and bool(_BIO_CLUES.search(text) or _HANDLE_OR_EMAIL.search(text))
    )


def _sign_off(blocks: list) -> tuple[int, str, str] | None:
    """(blocks taken, name, note) for a closing signature: "— Jane Doe, professor of
    history" in one block, or a name line followed by one to three role lines."""
    kind, text = blocks[-1]
    match = _SIGN_OFF.match(text.strip())
    if kind == PARAGRAPH and match and is_person_name(match.group("name")) \
            and word_count(text) <= 25 and (not match.group("role")
                                            or _BIO_CLUES.search(match.group("role"))):
        return 1, match.group("name"), text.strip().lstrip("—–- ")
    for size in (1, 2, 3):
        if len(blocks) < size + 2:
            break
        lines = [t for _, t in blocks[-size:]]
        name = _is_name_line(blocks[-size - 1][1])
        if name and blocks[-size - 1][0] == PARAGRAPH and _is_role_line(lines[0]) and all(
            word_count(line) <= 14 and not line.rstrip().endswith(".") for line in lines
        ):
            return size + 1, name, ", ".join([name, *(line.strip() for line in lines)])
    return None


def _cut_after_end_mark(parsed: Parsed) -> None:
    """A press release ends at "###" (or "-ends-"); contacts and notes after it go."""
    for index, (_, text) in enumerate(parsed.blocks):
        if index and _END_MARK.fullmatch(text.strip()):
            tail = [t for _, t in parsed.blocks[index:]]
            parsed.removed.append("\n".join(tail))
            del parsed.blocks[index:]
            return


def drop_scene_breaks(parsed: Parsed) -> None:
    """Lines of asterisks or dashes between sections carry no text."""
    kept = []
    for kind, text in parsed.blocks:
        if kind != HEADING and _SCENE_BREAK.fullmatch(text.strip()) and not text.strip() \
                .startswith("#" * 3):
            parsed.removed.append(text)
        else:
            kept.append((kind, text))
    parsed.blocks = kept


def apply_author_notes(parsed: Parsed) -> None:
    """Move the closing bios, sign-offs and "first published in" notes out of the body:
    bios and sign-offs into ``author_notes`` (their people into ``authors``), the rest into
    ``removed`` (a republication note also names the ``source``)."""
    _cut_after_end_mark(parsed)
    drop_scene_breaks(parsed)
    notes: list[str] = []
    names: list[str] = []
    blocks = parsed.blocks
    while len(blocks) > 1:
        kind, text = blocks[-1]
        found = bio_names(text) if kind == PARAGRAPH else None
        republished = _REPUBLISHED.match(text.strip()) if kind == PARAGRAPH else None
        if found is not None:
            notes.insert(0, text)
            names[:0] = found
            blocks.pop()
        elif republished:
            parsed.source = parsed.source or republished.group("source").strip()
            parsed.removed.append(text)
            blocks.pop()
        elif (signature := _sign_off(blocks)) is not None:
            taken, name, note = signature
            notes.insert(0, note)
            names.insert(0, name)
            del blocks[-taken:]
        elif notes and _ABOUT.fullmatch(text.strip()):
            parsed.removed.append(text)
            blocks.pop()
        else:
            break
    parsed.author_notes.extend(notes)
    # A byline says who wrote the piece; bios then may be of others too (an interviewee).
    if not parsed.authors:
        parsed.authors.extend(names)
