"""HTML pages and Word .docx files for :mod:`courses.ingest`.

HTML goes through trafilatura (main-content extraction); .docx goes through mammoth to
simple HTML. Both end up as plain-text blocks: no markup survives, so nothing in a passage
can execute. Pure: no Django. Library failures propagate; the caller wraps them.
"""

from __future__ import annotations

import io
import re

from lxml import etree
from lxml import html as lxml_html

from courses.ingest_blocks import HEADING, PARAGRAPH, QUOTE, Block, Parsed, clean_inline
from courses.ingest_end import apply_author_notes
from courses.ingest_front import apply_front_matter, drop_repeats, split_names
from courses.ingest_plain import finish_plain, is_artefact

_PARSER = lxml_html.HTMLParser(
    remove_comments=True,
    remove_pis=True,
    collect_ids=False,
    default_doctype=False,
    no_network=True,
)
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*>", re.IGNORECASE)
_HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
_LINE_BREAKS = frozenset({"br", "lb"})
_NEVER_TEXT = frozenset({"script", "style", "noscript", "template"})
_NOT_ARTICLE = _NEVER_TEXT | {
    "iframe",
    "svg",
    "nav",
    "header",
    "footer",
    "aside",
    "form",
    "button",
    "select",
    "textarea",
    "object",
    "embed",
    "canvas",
    "menu",
    "dialog",
}
_BLOCK_TAGS = _HEADINGS | {
    "p",
    "div",
    "section",
    "article",
    "main",
    "ul",
    "ol",
    "li",
    "blockquote",
    "pre",
    "table",
    "tbody",
    "thead",
    "tr",
    "td",
    "th",
    "dl",
    "dt",
    "dd",
    "figure",
    "figcaption",
    "hr",
}
# Page furniture that trafilatura does not always recognise; matched against whole
# class/id words so "head", "download" or "commentary" never match "ad"/"comment".
_JUNK_WORDS = frozenset(
    {
        "ad",
        "ads",
        "advert",
        "adverts",
        "advertisement",
        "advertising",
        "sponsor",
        "sponsored",
        "share",
        "sharing",
        "social",
        "comment",
        "comments",
        "newsletter",
        "related",
        "promo",
        "outbrain",
        "taboola",
        "disqus",
        "cookie",
        "cookies",
        "popup",
        "subscribe",
        "signup",
    }
)
_DEK_CLASS = re.compile(
    r"standfirst|subtitle|sub-?headline|strapline|(?:^|[\s_-])(?:dek|deck)(?:$|[\s_-])", re.I
)
_MAX_REMOVED_CHARS = 300


def _text(element: etree._Element, skip: frozenset[str] = frozenset()) -> str:
    """Visible text of an element; <br> counts as a space, scripts and comments as nothing."""
    parts = [element.text or ""]
    for child in element:
        tag = child.tag if isinstance(child.tag, str) else ""
        if tag in _LINE_BREAKS:
            parts.append(" ")
        elif tag in _BLOCK_TAGS and tag not in skip:
            # Block boundaries separate words even when the markup has no whitespace.
            parts.extend((" ", _text(child, skip), " "))
        elif tag and tag not in _NEVER_TEXT and tag not in skip:
            parts.append(_text(child, skip))
        parts.append(child.tail or "")
    return "".join(parts)


def parse_document(text: str) -> lxml_html.HtmlElement | None:
    """Parse HTML text leniently; None when there is no document at all."""
    text = _XML_DECLARATION.sub("", text, count=1)
    if not text.strip():
        return None
    try:
        return lxml_html.document_fromstring(text, parser=_PARSER)
    except etree.ParserError:
        return None


# ---------------------------------------------------------------- page metadata


def _meta(tree: lxml_html.HtmlElement, *names: str) -> str:
    for name in names:
        for node in tree.xpath("//meta[@property=$n or @name=$n]", n=name):
            value = clean_inline(node.get("content") or "")
            if value:
                return value
    return ""


def _page_title(tree: lxml_html.HtmlElement, fallback: str) -> str:
    """The article's <h1>: trafilatura's title is sometimes the dek or the <title> tag."""
    in_article = tree.xpath("//article//h1 | //main//h1")
    for nodes in (in_article, list(tree.iter("h1"))):
        candidates = [text for text in (clean_inline(_text(h)) for h in nodes) if text]
        if len(candidates) == 1:
            return candidates[0]
        if candidates:
            hint = fallback.casefold()
            matching = [c for c in candidates if c.casefold() in hint or hint in c.casefold()]
            return (matching or candidates)[0]
    return clean_inline(fallback)


def _iso_date(value: str) -> str:
    match = re.match(r"(\d{4})-(\d{2})-(\d{2})", value)
    return "-".join(match.groups()) if match else ""


def _page_dek(tree: lxml_html.HtmlElement) -> str:
    for node in tree.xpath("//*[@class or @itemprop]"):
        marker = f"{node.get('class', '')} {node.get('itemprop', '')}"
        if _DEK_CLASS.search(marker) or "alternativeheadline" in marker.lower():
            text = clean_inline(_text(node))
            if 5 <= len(text.split()) <= 60:
                return text
    return ""


# ---------------------------------------------------------------- page furniture


def _is_junk(node: lxml_html.HtmlElement) -> bool:
    if node.tag in ("html", "body", "main", "article"):
        return False
    words = re.split(r"[\s_-]+", f"{node.get('class', '')} {node.get('id', '')}".lower())
    return any(word in _JUNK_WORDS for word in words)


def _prune_furniture(tree: lxml_html.HtmlElement, removed: list[str]) -> None:
    """Drop ad/share/comment/related containers, recording their text for the preview."""
    body_chars = len(clean_inline(_text(tree))) or 1
    candidates = [n for n in tree.iter() if isinstance(n.tag, str) and _is_junk(n)]
    dropped: set[etree._Element] = set()
    for node in candidates:
        if node.getparent() is None or any(a in dropped for a in node.iterancestors()):
            continue
        text = clean_inline(_text(node))
        # A "has-comments" class on the article wrapper must not take the article with it.
        if node.xpath(".//h1 | .//article | .//main") or len(text) > 0.3 * body_chars:
            continue
        if text:
            cut = text[:_MAX_REMOVED_CHARS]
            removed.append(cut + ("…" if len(text) > len(cut) else ""))
        dropped.add(node)
        node.drop_tree()


# ---------------------------------------------------------------- blocks from trees


def _emit(out: list[Block], kind: str, raw: str) -> None:
    text = clean_inline(raw)
    if text:
        out.append((kind, text))


def _trafilatura_blocks(element: etree._Element, out: list[Block], quote: bool = False) -> None:
    """trafilatura's XML: <head>, <p>, <quote>, <list>/<item>; the root's own text is
    navigation residue (it returns a bare <nav> when a page has no article)."""
    for child in element:
        tag = child.tag if isinstance(child.tag, str) else ""
        kind = QUOTE if quote else PARAGRAPH
        if tag == "head":
            _emit(out, HEADING, _text(child))
        elif tag == "quote":
            if any(c.tag in ("p", "list", "quote", "head") for c in child):
                _emit(out, QUOTE, child.text or "")
                _trafilatura_blocks(child, out, quote=True)
            else:
                _emit(out, QUOTE, _text(child))
        elif tag == "item":
            _emit(out, kind, _text(child, skip=frozenset({"list"})))
            _trafilatura_blocks(child, out, quote)
        elif tag in ("p", "code"):
            _emit(out, kind, _text(child))
        elif tag in ("list", "div", "section", "body", "article", "main"):
            _trafilatura_blocks(child, out, quote)


def _has_block_child(element: etree._Element) -> bool:
    return any(isinstance(c.tag, str) and c.tag in _BLOCK_TAGS for c in element.iterdescendants())


def html_blocks(element: etree._Element, out: list[Block], quote: bool = False) -> None:
    """Our own walk over ordinary HTML (mammoth output, or a page trafilatura rejected)."""
    _emit(out, QUOTE if quote else PARAGRAPH, element.text or "")
    for child in element:
        tag = child.tag if isinstance(child.tag, str) else ""
        kind = QUOTE if quote else PARAGRAPH
        if not tag or tag in _NOT_ARTICLE:
            pass
        elif tag in _HEADINGS:
            _emit(out, HEADING, _text(child))
        elif tag == "blockquote":
            html_blocks(child, out, quote=True)
        elif tag == "li":
            _emit(out, kind, _text(child, skip=frozenset({"ul", "ol"})))
            for sub in child:
                if sub.tag in ("ul", "ol"):
                    html_blocks(sub, out, quote)
        elif tag in ("p", "pre", "dt", "dd", "figcaption") or not _has_block_child(child):
            _emit(out, kind, _text(child))
        else:
            html_blocks(child, out, quote)
        _emit(out, kind, child.tail or "")


def has_article_text(blocks: list[Block]) -> bool:
    """At least one real sentence, not just menu words or a login prompt."""
    for kind, text in blocks:
        words = len(text.split())
        if kind != HEADING and (words >= 12 or (words >= 6 and text.endswith(tuple('.!?…"”')))):
            return True
    return False


def drop_artefact_blocks(parsed: Parsed) -> None:
    """Move body blocks that are whole artefact lines ("Advertisement") to removed."""
    kept = []
    for kind, text in parsed.blocks:
        if kind != HEADING and is_artefact(text):
            parsed.removed.append(text)
        else:
            kept.append((kind, text))
    parsed.blocks = kept


def _finish(parsed: Parsed) -> Parsed:
    drop_artefact_blocks(parsed)
    drop_repeats(parsed)
    apply_front_matter(parsed, title_from_first_line=False)
    apply_author_notes(parsed)
    return parsed


# ---------------------------------------------------------------- entry points


def parse_html(text: str) -> Parsed:
    """Main article of an HTML page as blocks, with title/dek/section/authors/site name.

    Returns a Parsed with no blocks when the page holds no article text.
    """
    # Imported here: trafilatura takes ~0.2 s to import and most requests never need it.
    import trafilatura

    parsed = Parsed(blocks=[])
    tree = parse_document(text)
    if tree is None:
        return parsed
    dek = _page_dek(tree)
    section = _meta(tree, "article:section", "section")
    _prune_furniture(tree, parsed.removed)
    document = trafilatura.bare_extraction(
        tree,
        include_comments=False,
        include_tables=False,
        include_images=False,
        include_links=False,
        include_formatting=False,
        with_metadata=True,
        date_extraction_params={"extensive_search": False},
    )
    if document is not None and document.body is not None:
        _trafilatura_blocks(document.body, parsed.blocks)
    if not has_article_text(parsed.blocks):
        # trafilatura gives up on short pages and fragments; fall back to a plain walk.
        parsed.blocks = []
        body = tree.find("body")
        html_blocks(body if body is not None else tree, parsed.blocks)
    if not has_article_text(parsed.blocks):
        parsed.blocks = []
        return parsed
    meta_title = (document.title if document is not None else "") or ""
    parsed.title = _page_title(tree, meta_title)
    parsed.section = section or clean_inline(
        (document.categories or [""])[0] if document is not None else ""
    )
    if document is not None:
        parsed.source = clean_inline(document.sitename or "")
        parsed.published = _iso_date(document.date or "")
        parsed.authors = split_names(clean_inline(document.author or ""))
        description = clean_inline(document.description or "")
        # The meta description only counts as a dek when the page also shows it.
        if not dek and any(description == t for _, t in parsed.blocks[:3]):
            dek = description
    parsed.dek = dek if dek.casefold() != parsed.title.casefold() else ""
    return _finish(parsed)


_DOCX_STYLE_MAP = """
p[style-name='Title'] => h1.title:fresh
p[style-name='Subtitle'] => p.subtitle:fresh
p[style-name='Quote'] => blockquote > p:fresh
p[style-name='Intense Quote'] => blockquote > p:fresh
"""


def parse_docx(data: bytes) -> Parsed:
    """Headings, paragraphs, list items and quotes of a Word file, in order.

    The 'Title' style (or an opening Heading 1) becomes the title and 'Subtitle' the dek.
    """
    import mammoth

    result = mammoth.convert_to_html(
        io.BytesIO(data),
        style_map=_DOCX_STYLE_MAP,
        # Skip image bytes entirely: the default inlines them as base64 into the HTML.
        convert_image=mammoth.images.img_element(lambda image: {}),
    )
    root = lxml_html.fragment_fromstring(result.value or "", create_parent="div")
    parsed = Parsed(blocks=[])
    first = next((c for c in root if isinstance(c.tag, str) and clean_inline(_text(c))), None)
    titles = root.xpath("./h1[contains(concat(' ', @class, ' '), ' title ')]")
    if titles or (first is not None and first.tag == "h1"):
        parsed.title = clean_inline(_text(titles[0] if titles else first))
    subtitles = root.xpath("./p[contains(concat(' ', @class, ' '), ' subtitle ')]")
    if subtitles:
        parsed.dek = clean_inline(_text(subtitles[0]))
    html_blocks(root, parsed.blocks)
    drop_artefact_blocks(parsed)
    if parsed.title and len(parsed.blocks) > 2 and parsed.blocks[1] == (HEADING, parsed.title) \
            and len(parsed.blocks[0][1].split()) <= 8:
        # One short line typed above the Title-styled headline is its section (kicker).
        parsed.section = parsed.blocks.pop(0)[1]
    # Word files typed in the Normal style throughout read like plain text: find the
    # headline and subheadings by their shape.
    finish_plain(parsed, title_from_first_line=not parsed.title)
    return parsed
