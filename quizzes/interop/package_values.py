"""How a lesson package checks its values: each check returns what is wrong with a value
("must be text"), or "" when it is fine; `to_day` and `to_moment` read its dates. Pure."""

from __future__ import annotations

import math
from collections.abc import Callable
from datetime import date, datetime
from typing import Any

# A check returns why a value is unacceptable ("must be text"), or "" when it is fine.
Check = Callable[[Any], str]


def _or_null(check: Check) -> Check:
    """`check`, letting null through as well."""
    def checked(value: Any) -> str:
        message = "" if value is None else check(value)
        return message and f"{message}, or null"
    return checked


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _text(value: Any) -> str:
    return "" if isinstance(value, str) else "must be text"


def _nonblank(value: Any) -> str:
    return "" if isinstance(value, str) and value.strip() else "must be text that is not blank"


def _count(value: Any) -> str:
    return "" if _is_int(value) and value >= 0 else "must be a whole number of 0 or more"


def _order(value: Any) -> str:
    return "" if _is_int(value) and value >= 1 else "must be a passage number (1, 2, ...)"


def _percent(value: Any) -> str:
    return "" if _is_int(value) and 0 <= value <= 100 else "must be a whole number from 0 to 100"


def _number(value: Any) -> str:
    ok = isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)
    return "" if ok else "must be a number"


def _not_negative(value: Any) -> str:
    return _number(value) or ("" if value >= 0 else "must be 0 or more")


def _flag(value: Any) -> str:
    return "" if isinstance(value, bool) else "must be true or false"


def _texts(value: Any) -> str:
    ok = isinstance(value, list) and all(isinstance(v, str) for v in value)
    return "" if ok else "must be a list of texts"


def _orders(value: Any) -> str:
    ok = isinstance(value, list) and all(_is_int(v) and v >= 1 for v in value)
    return "" if ok else "must be a list of passage numbers (1, 2, ...)"


def _list(value: Any) -> str:
    return "" if isinstance(value, list) else "must be a list"


def _some(value: Any) -> str:
    return "" if isinstance(value, list) and value else "must be a list with at least one entry"


def _object(value: Any) -> str:
    return "" if isinstance(value, dict) else "must be an object ({...})"


def _hash(value: Any) -> str:
    ok = isinstance(value, str) and len(value) == 64 and all(c in "0123456789abcdef" for c in value)
    return "" if ok else "must be 64 lower-case hexadecimal characters (SHA-256)"


def to_day(value: str | None) -> date | None:
    """The date an ISO `YYYY-MM-DD` value names; None for None. ValueError when malformed."""
    return None if value is None else date.fromisoformat(value)


def to_moment(value: str | None) -> datetime | None:
    """The time-zone-aware time an ISO 8601 value names; None for None. ValueError when
    malformed or without a time zone."""
    if value is None:
        return None
    moment = datetime.fromisoformat(value)
    if moment.tzinfo is None:
        raise ValueError("no time zone")
    return moment


def _day(value: Any) -> str:
    return _parses(to_day, value, "must be a date such as 2021-01-31, or null")


def _moment(value: Any) -> str:
    return _parses(to_moment, value, "must be a time with its time zone such as "
                                     "2025-01-31T09:00:00+00:00, or null")


def _parses(parse: Callable[[Any], Any], value: Any, message: str) -> str:
    if value is not None and not isinstance(value, str):
        return message
    try:
        parse(value)
    except ValueError:
        return message
    return ""
