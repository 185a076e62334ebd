"""The HTML Lectio lets through, in one place: pure (nh3 only), so importers use it too.

Images are allowed because imported questions often need their picture to be answerable:
only with an ``http(s)`` address or an inline ``data:`` PNG, JPEG, GIF or WebP (never SVG,
which can carry script), so an ``<img>`` can neither run code nor point at a relative
address such as Moodle's unresolvable ``@@PLUGINFILE@@``.
"""

from __future__ import annotations

import re

import nh3

ALLOWED_TAGS = {
    "p", "br", "hr", "em", "strong", "code", "pre", "blockquote", "ul", "ol", "li",
    "a", "h3", "h4", "h5", "h6", "sup", "sub", "abbr", "cite", "q", "dl", "dt", "dd", "img",
}
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"}, "abbr": {"title"},
    "img": {"src", "alt", "title", "width", "height"},
}
_DATA_IMAGE = re.compile(r"data:image/(?:png|jpeg|jpg|gif|webp);base64,[A-Za-z0-9+/=\s]*\Z",
                         re.IGNORECASE)
# What a browser ignores inside a URL's scheme: "da\tta:" is still "data:".
_IGNORED_IN_SCHEME = re.compile(r"[\x00-\x20]")


def _scheme(value: str) -> str:
    head = _IGNORED_IN_SCHEME.sub("", value).lower()
    return head.split(":", 1)[0] if ":" in head else ""


def _attribute_filter(tag: str, attribute: str, value: str) -> str | None:
    """Keep an image's address only when it is http(s) or an inline raster image; keep a
    link's only when it is not a data: URL (which nh3 must allow for images)."""
    if tag == "img" and attribute == "src":
        if _scheme(value) in ("http", "https") or _DATA_IMAGE.match(value.strip()):
            return value
        return None
    if tag == "img" and attribute in ("width", "height"):
        return value if value.isdigit() and len(value) <= 4 else None
    if tag == "a" and attribute == "href" and _scheme(value) == "data":
        return None
    return value


def sanitise_html(html: str) -> str:
    """Strip everything that could run or restyle the page: scripts, handlers, `javascript:`,
    data: links, images from anywhere but http(s) or an inline raster image."""
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        attribute_filter=_attribute_filter,
        url_schemes={"http", "https", "mailto", "data"},
        link_rel="noopener noreferrer nofollow",
    )


# Phrasing content only, for Markdown shown inside a label or legend (a block there is
# invalid HTML and breaks the control's name): paragraphs and lists collapse to their text.
INLINE_TAGS = {"em", "strong", "code", "sup", "sub", "abbr", "cite", "q"}


def sanitise_inline_html(html: str) -> str:
    """Keep only inline emphasis and code: no blocks, links, images or attributes but
    an abbreviation's title."""
    return nh3.clean(html, tags=INLINE_TAGS, attributes={"abbr": {"title"}}).strip()


def sanitise_import_html(html: str) -> str:
    """HTML from an imported file made safe to store: nh3's default tags (more than Lectio
    shows, so a later change to the display policy need not re-import), and the same rules
    for images and links as `sanitise_html`."""
    return nh3.clean(html, attribute_filter=_attribute_filter,
                     url_schemes=nh3.ALLOWED_URL_SCHEMES | {"data"})
