"""QTI ``<mattext>`` to Lectio text. Pure."""

from __future__ import annotations

import html
import re

import nh3

from courses.sanitise import sanitise_import_html

from ..aiken import plain_to_markdown

_IMG_SRC = re.compile(r"(<img\b[^>]*?\bsrc\s*=\s*)([\"'])(.*?)\2", re.IGNORECASE | re.DOTALL)
_TAG = re.compile(r"<[A-Za-z][^>]*>")


def as_imported(texttype: str, text: str) -> str:
    """A prompt or feedback as Lectio stores it: HTML sanitised, plain text escaped."""
    text = (text or "").strip()
    if texttype == "text/html" or (not texttype and _TAG.search(text)):
        return sanitise_import_html(text).strip()
    return plain_to_markdown(text)


def as_plain(texttype: str, text: str) -> str:
    """A choice or answer text as the literal text Lectio shows."""
    text = (text or "").strip()
    if texttype == "text/html":
        return html.unescape(nh3.clean(text, tags=set())).strip()
    return text


def inline_images(text: str, resolve, notes: list[str]) -> str:
    """HTML ``text`` with each picture the package holds inlined by ``resolve(src)`` (a
    data: URL or None); a picture it does not hold is named in ``notes``."""

    def replace(match: re.Match) -> str:
        src = html.unescape(match[3])
        if src.startswith(("http://", "https://", "data:")):
            return match[0]
        url = resolve(src)
        if url is None:
            notes.append(f"The picture “{src}” is not in the package, so it will not show.")
            return match[0]
        return f"{match[1]}{match[2]}{url}{match[2]}"

    return _IMG_SRC.sub(replace, text)
