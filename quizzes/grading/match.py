"""Pure text and number matching helpers for quiz grading.

Standard library only (no Django): the short-answer and numeric types (``answers.py``) and the
open response's word count (``open_response.py``) use them.

Short-answer normalisation (``normalise_text``), applied identically to the student's answer and
to every accepted answer, so that only meaningful differences count:

1. Unicode NFKC (full-width letters, ligatures, non-breaking spaces become their plain forms).
2. Curly quotes become straight quotes; every Unicode dash becomes ``-``.
3. Case is folded (``str.casefold``) unless the question is case sensitive.
4. Whitespace, dashes/hyphens, slashes and underscores separate words: ``belt-and-road`` equals
   ``belt and road`` and ``and/or`` equals ``and or``.
5. Every other punctuation character (Unicode category P*: periods, commas, quotes, brackets,
   ``!?;:&#@``...) is dropped, so ``U.S.`` equals ``US`` and ``Xi's`` equals ``Xis``.
   Exception: a ``.`` between two digits is kept (``3.5`` must not equal ``35``); a ``,``
   between two digits is dropped (``1,000`` equals ``1000``).
6. Symbols (Unicode category S*: ``+ $ % ° =``...) are kept: ``C++`` is not ``C``.
7. Runs of whitespace collapse to one space; leading/trailing whitespace is removed.

In an accepted answer ``*`` is a wildcard matching any run of characters (including none).
Matching is done without regular expressions, so no other character is special and the
matcher runs in O(len(pattern) * len(answer)) time whatever the pattern.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Sequence

WILDCARD = "*"

# Curly/low/prime quotes -> straight; NFKC leaves these alone.
_QUOTES = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201a": "'",
        "\u201b": "'",
        "\u2032": "'",
        "\u00b4": "'",
        "`": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u201f": '"',
        "\u2033": '"',
        "\u00ab": '"',
        "\u00bb": '"',
        "\u2212": "-",  # minus sign
    }
)
_SEPARATORS = frozenset("-/\\_")


def _normalise_chars(text: str, case_sensitive: bool) -> str:
    """Apply steps 2-6 and collapse whitespace, WITHOUT stripping the ends.

    Not stripping lets the wildcard compiler keep the word boundary around a ``*``.
    Expects text already in NFKC.
    """
    text = text.translate(_QUOTES)
    if not case_sensitive:
        text = text.casefold()
    out: list[str] = []
    last = len(text) - 1
    for i, ch in enumerate(text):
        if ch.isspace() or ch in _SEPARATORS:
            out.append(" ")
            continue
        cat = unicodedata.category(ch)
        if cat == "Pd":
            out.append(" ")
        elif cat.startswith("P"):
            between_digits = 0 < i < last and text[i - 1].isdigit() and text[i + 1].isdigit()
            if ch == "." and between_digits:
                out.append(".")
            # any other punctuation (including "," inside numbers) is dropped
        else:
            out.append(ch)
    return re.sub(r" {2,}", " ", "".join(out))


def normalise_text(text: str, case_sensitive: bool = False) -> str:
    """Return the canonical comparison form of ``text`` (see the module docstring).

    Two strings "mean the same short answer" exactly when their normalised forms are equal.
    """
    return _normalise_chars(unicodedata.normalize("NFKC", text), case_sensitive).strip()


def compile_pattern(pattern: str, case_sensitive: bool = False) -> tuple[str, ...]:
    """Split an accepted answer into normalised literal segments around each ``*``.

    A pattern without ``*`` gives one segment (exact match).  Spaces next to a ``*`` are
    kept so ``"belt * road"`` needs a word between ``belt`` and ``road``.
    """
    raw_segments = unicodedata.normalize("NFKC", pattern).split(WILDCARD)
    segments = [_normalise_chars(seg, case_sensitive) for seg in raw_segments]
    segments[0] = segments[0].lstrip()
    segments[-1] = segments[-1].rstrip()
    return tuple(segments)


def pattern_matches(segments: Sequence[str], text: str) -> bool:
    """True when normalised ``text`` matches the compiled pattern ``segments``.

    Glob matching with ``*`` only: the first segment must be a prefix, the last a suffix,
    and the middle ones must appear in order in between.  Taking the leftmost occurrence
    of each middle segment is optimal, so no backtracking is needed.
    """
    if len(segments) == 1:
        return text == segments[0]
    first, last = segments[0], segments[-1]
    if len(text) < len(first) + len(last):
        return False
    if not (text.startswith(first) and text.endswith(last)):
        return False
    pos, end = len(first), len(text) - len(last)
    for seg in segments[1:-1]:
        found = text.find(seg, pos, end)
        if found < 0:
            return False
        pos = found + len(seg)
    return True


def pattern_can_match_something(segments: Sequence[str]) -> bool:
    """False for a pattern that normalises to nothing (e.g. ``"..."``): it could only match
    an empty answer, and empty answers count as unanswered."""
    return len(segments) > 1 or segments[0] != ""


# --- numbers ---------------------------------------------------------------------------------

# Optional sign, digits with optional proper thousands groups, optional decimals, optional
# exponent.  Linear-time: no nested quantifiers can overlap.
_NUMBER_RE = re.compile(r"[+-]?(?:(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")
MAX_NUMBER_TEXT = 100


class NumberError(ValueError):
    """Raised by ``parse_number`` with a message fit to show the student."""


def parse_number(raw: object) -> int | float | None:
    """Read a student's number.

    Accepts an int/float, or a string such as ``" 2007 "``, ``"1,000"``, ``"-3.5"``,
    ``"1e3"``, ``"45%"`` (a trailing ``%`` is ignored: the number is taken as written) or
    with a Unicode minus sign.  Commas are accepted only as thousands separators in proper
    groups of three (``"1,5"`` is rejected rather than guessed).  A blank string or ``None``
    gives ``None`` (unanswered).  Returns an ``int`` when the value is integral and exactly
    representable, else a ``float``; the result is always finite.  Raises ``NumberError``
    for anything else, including booleans, NaN and infinities.
    """
    if raw is None:
        return None
    if isinstance(raw, bool):
        raise NumberError("Enter a number.")
    if isinstance(raw, (int, float)):
        value = raw
    elif isinstance(raw, str):
        text = unicodedata.normalize("NFKC", raw).strip().replace("\u2212", "-")
        if not text:
            return None
        if len(text) > MAX_NUMBER_TEXT:
            raise NumberError("That number is too long.")
        if text.endswith("%"):
            text = text[:-1].rstrip()
        if not _NUMBER_RE.fullmatch(text):
            if re.fullmatch(r"[+-]?\d+,\d{1,2}", text):
                raise NumberError("Use a point, not a comma, for decimals (e.g. 3.5).")
            raise NumberError(f"“{raw.strip()[:40]}” is not a number.")
        value = float(text.replace(",", ""))
    else:
        raise NumberError("Enter a number.")
    try:
        as_float = float(value)
    except OverflowError:
        raise NumberError("That number is too large.") from None
    if not math.isfinite(as_float):
        raise NumberError("Enter a finite number.")
    if as_float.is_integer() and abs(as_float) < 2**53:
        return int(as_float)
    return as_float


def _eps(*values: float) -> float:
    # Absorb binary floating-point error (0.1 + 0.2 vs 0.3) without widening any real
    # tolerance noticeably: one part in a billion of the magnitudes involved.
    return 1e-9 * max(1.0, *(abs(v) for v in values))


def within_tolerance(x: float, value: float, tolerance: float) -> bool:
    """True when ``|x - value| <= tolerance`` (inclusive), up to float rounding error."""
    return abs(x - value) <= tolerance + _eps(x, value, tolerance)


def within_range(x: float, low: float, high: float) -> bool:
    """True when ``low <= x <= high`` (inclusive at both ends), up to float rounding error."""
    eps = _eps(x, low, high)
    return low - eps <= x <= high + eps


def format_number(value: float) -> str:
    """Plain rendering for review pages: ``2007`` not ``2007.0``, no thousands commas."""
    if float(value).is_integer() and abs(value) < 2**53:
        return str(int(value))
    return repr(float(value))


def word_count(text: str) -> int:
    """Number of whitespace-separated words in ``text``."""
    return len(text.split())
