"""JSON from the outside, parsed only within stated bounds.

`json.loads` recurses once per nesting level (100,000 levels raised RecursionError, a 500), and
reads `Infinity`, `NaN` and `1e400` as floats that no column or grade can hold. `loads_bounded`
refuses oversized text and too many objects and lists before parsing (counting brackets is a
C-speed scan that allocates nothing, so a million `{}` cost no million dicts), parses with
non-finite numbers refused and the parser's own recursion guard turned into a message, then
checks the depth of what it built without recursing. Pure: no Django, no ORM.
"""

from __future__ import annotations

import json
import math


class JSONInputError(ValueError):
    """The input is not JSON within the bounds; `str(error)` is a message for the sender."""


def _finite_float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise JSONInputError(f"The number {text[:20]} is too large.")
    return value


# Integers past 64 bits fit no column, and converting them to floats raises OverflowError.
MAX_INT_DIGITS = 19


def _bounded_int(text: str) -> int:
    if len(text.lstrip("-")) > MAX_INT_DIGITS:
        raise JSONInputError(f"The number {text[:20]}... is too large.")
    return int(text)


def _no_constant(name: str):
    raise JSONInputError(f"{name} is not a number JSON allows here.")


def depth_of(value) -> int:
    """How deeply lists and dicts nest in `value` (a scalar is 0), without recursion."""
    deepest, stack = 0, [(value, 1)]
    while stack:
        node, level = stack.pop()
        children = node.values() if isinstance(node, dict) else node
        deepest = max(deepest, level)
        stack.extend((c, level + 1) for c in children if isinstance(c, dict | list))
    return deepest if isinstance(value, dict | list) else 0


def loads_bounded(data: bytes | str, *, max_bytes: int, max_depth: int,
                  max_containers: int | None = None, what: str = "The request"):
    """Parse `data` as JSON if it is at most `max_bytes` long, nests at most `max_depth`
    levels and holds at most `max_containers` objects and lists; numbers must be finite
    and integers fit in 64 bits.
    Raises JSONInputError (a ValueError) with a message otherwise."""
    if len(data) > max_bytes:
        raise JSONInputError(f"{what} is larger than {max_bytes:,} bytes.")
    # Brackets inside strings count too: an over-estimate, never an under-estimate. Counted
    # before decoding, so refusing costs no copy of the text.
    brackets = ("{", "[") if isinstance(data, str) else (b"{", b"[")
    if max_containers is not None and sum(map(data.count, brackets)) > max_containers:
        raise JSONInputError(f"{what} holds more than {max_containers:,} JSON objects and "
                             "lists.")
    if isinstance(data, bytes):
        try:
            data = data.decode("utf-8")
        except UnicodeDecodeError as error:
            raise JSONInputError(f"{what} is not UTF-8 text.") from error
    too_deep = JSONInputError(f"{what} is JSON nested more than {max_depth} levels deep.")
    try:
        value = json.loads(data, parse_float=_finite_float, parse_int=_bounded_int,
                           parse_constant=_no_constant)
    except JSONInputError:
        raise
    except RecursionError:
        raise too_deep from None
    except json.JSONDecodeError as error:
        raise JSONInputError(f"{what} is not valid JSON (line {error.lineno}, column "
                             f"{error.colno}: {error.msg}).") from error
    except ValueError as error:
        # Integers past Python's 4,300-digit limit.
        raise JSONInputError(f"{what} is not valid JSON.") from error
    if depth_of(value) > max_depth:
        raise too_deep
    return value
