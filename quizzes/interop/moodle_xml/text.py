"""Moodle XML texts (``<questiontext format="html"><text>…</text><file …/></questiontext>``)
to and from Lectio's Markdown and plain choice texts. Pure."""

from __future__ import annotations

import base64
import binascii
import html
import re
from xml.etree.ElementTree import Comment, Element

import nh3

from courses.sanitise import sanitise_import_html

from ..aiken import markdown_to_plain, plain_to_markdown

PLUGINFILE = "@@PLUGINFILE@@/"
MAX_IMAGE_BYTES = 2 * 1024 * 1024
IMAGE_TYPES = {"png": "image/png", "jpg": "image/jpeg", "jpeg": "image/jpeg",
               "gif": "image/gif", "webp": "image/webp"}
_PLUGIN_SRC = re.compile(r"@@PLUGINFILE@@/([^\"'\s<>)]+)")
_DATA_SRC = re.compile(r"data:(image/(?:png|jpeg|gif|webp));base64,([A-Za-z0-9+/=]+)")
_HTML_TAG = re.compile(r"<[A-Za-z][^>]*>")
_EXTENSIONS = {"image/png": "png", "image/jpeg": "jpg", "image/gif": "gif",
               "image/webp": "webp"}


def child_text(parent: Element | None, name: str) -> str:
    """The ``<text>`` of ``parent``'s child ``name`` (or of ``parent`` itself for "")."""
    if parent is None:
        return ""
    node = parent.find(f"{name}/text" if name else "text")
    return (node.text or "") if node is not None else ""


def _data_url(name: str, files: dict[str, str]) -> str | None:
    """A data: URL for the embedded image file ``name``; None when it is missing, not an
    image or too large."""
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    encoded = files.get(name)
    if encoded is None or extension not in IMAGE_TYPES:
        return None
    try:
        raw = base64.b64decode(encoded, validate=True)
    except (binascii.Error, ValueError):
        return None
    if len(raw) > MAX_IMAGE_BYTES:
        return None
    return f"data:{IMAGE_TYPES[extension]};base64,{base64.b64encode(raw).decode()}"


def _files(element: Element) -> dict[str, str]:
    """The element's embedded ``<file name=… encoding="base64">`` contents, by name."""
    return {f.get("name", ""): re.sub(r"\s+", "", f.text or "")
            for f in element.findall("file") if f.get("encoding", "base64") == "base64"}


def resolve_files(text: str, element: Element, notes: list[str]) -> str:
    """``text`` with each ``@@PLUGINFILE@@/name`` image replaced by its embedded file as a
    data: URL; a file that is missing, not an image or too large is named in ``notes``."""
    if PLUGINFILE not in text:
        return text
    files = _files(element)

    def replace(match: re.Match) -> str:
        name = html.unescape(match[1])
        url = _data_url(name, files)
        if url is None:
            reason = ("is not in the file" if name not in files else
                      f"is not a picture Lectio shows (PNG, JPEG, GIF or WebP up to "
                      f"{MAX_IMAGE_BYTES // (1024 * 1024)} MB)")
            notes.append(f"The image “{name}” {reason}, so it will not show.")
            return match[0]
        return url

    return _PLUGIN_SRC.sub(replace, text)


def to_markdown(element: Element | None, notes: list[str]) -> str:
    """A Moodle text element (its ``format`` attribute and ``<text>``) as Lectio Markdown:
    HTML sanitised with its embedded images inlined, plain text escaped, Markdown kept."""
    if element is None:
        return ""
    fmt = element.get("format", "html")
    text = resolve_files(child_text(element, ""), element, notes).strip()
    if not text:
        return ""
    if fmt == "markdown":
        return text
    if fmt == "plain_text":
        return plain_to_markdown(text)
    if fmt == "moodle_auto_format" and not _HTML_TAG.search(text):
        # Moodle's auto-format turns line breaks into <br>; without tags it is plain text.
        return plain_to_markdown(text)
    return sanitise_import_html(text).strip()


def to_plain(element: Element | None, notes: list[str]) -> str:
    """A Moodle answer text as the literal text Lectio shows for a choice."""
    if element is None:
        return ""
    text = child_text(element, "")
    if element.get("format", "") in ("html", "moodle_auto_format") and _HTML_TAG.search(text):
        if "<img" in text.lower():
            notes.append("A picture in an answer is left out: Lectio shows answers as text.")
        text = html.unescape(nh3.clean(text, tags=set()))
    elif element.get("format", "") == "html":
        text = html.unescape(text)
    return text.strip()


# --- writing ---------------------------------------------------------------------------------


def xml_comment(text: str) -> Comment:
    """An XML comment holding ``text`` ("--" may not appear inside one)."""
    return Comment(" " + text.replace("--", "- -") + " ")


def number_text(value: float) -> str:
    """A number as XML text that reads back as the same int or float."""
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    value = float(value)
    return str(int(value)) if value.is_integer() else repr(value)


def from_markdown(text: str) -> tuple[str, str]:
    """(Moodle format, text) for a Lectio Markdown text, in the format it most likely came
    in, chosen so that `to_markdown` reads it back as ``text``: HTML an import stored,
    literal text, else Markdown."""
    text = text.strip()
    if _HTML_TAG.search(text) and sanitise_import_html(text).strip() == text:
        return "html", text
    plain = markdown_to_plain(text)
    if plain != text and plain_to_markdown(plain) == text:
        return "plain_text", plain
    return "markdown", text


def embed_images(text: str) -> tuple[str, list[tuple[str, str]]]:
    """``text`` with each inline data: image moved out to a ``@@PLUGINFILE@@/imageN.ext``
    file, as Moodle keeps them, and the (name, base64) files to write beside it."""
    files: list[tuple[str, str]] = []

    def replace(match: re.Match) -> str:
        name = f"image{len(files) + 1}.{_EXTENSIONS[match[1]]}"
        files.append((name, match[2]))
        return PLUGINFILE + name

    return _DATA_SRC.sub(replace, text), files
