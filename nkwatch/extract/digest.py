"""Split a digest page into its summary items.

Reads a page (HTML or plain text) and, when it is a digest -- several one-paragraph summaries,
each closed by a "Read more" / "Continue reading" / "Full story" link -- adds one
:class:`DigestItem` per summary with its headline, text and link. Anything else yields ``[]``.

In HTML the read-more anchors are found first (outside navigation, sidebars and footers); each
anchor's item is the largest element around it holding no other read-more anchor, or, when the
items are flat siblings without wrappers, the siblings since the previous read-more link. In
text an item is the paragraph(s) before a read-more line.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Sequence
from copy import copy
from dataclasses import dataclass
from urllib.parse import urljoin

from lxml import etree
from lxml import html as lxml_html

from nkwatch.extract.text import is_metadata_line, looks_like_headline

__all__ = [
    "DigestItem",
    "is_digest_html",
    "is_digest_text",
    "split_digest_html",
    "split_digest_text",
]

log = logging.getLogger(__name__)

#: Fewer read-more-closed items than this and the page is not a digest.
MIN_ITEMS = 2
#: Prose outside the items this many times larger than an average item marks an article with a
#: teaser list under it, not a digest.
ARTICLE_DOMINANCE = 4.0
ARTICLE_MIN_CHARS = 600


@dataclass(frozen=True, slots=True)
class DigestItem:
    """One summary on a digest page."""

    title: str | None
    text: str
    link: str | None
    index: int


_READ_MORE_WORDS = (
    r"read\s+(?:the\s+)?(?:more|full\s+(?:story|article|report|text|piece)|on|the\s+rest)|"
    r"continue\s+reading|keep\s+reading|full\s+(?:story|article|report)|view\s+(?:more|"
    r"full\s+(?:story|article))|see\s+more|more\s*(?=[»›→>]|&raquo;)|learn\s+more"
)
# Possessive: decoration is never given back, so long runs of it cannot backtrack.
_DECOR = r"[\s\[\](){}<>»«›‹→…:.\-–—|]*+"
_LEAD_CHARS = " \t[](){}<>»«›‹→:-–—|"
#: A link whose whole text is a read-more phrase (WordPress adds the title after it).
READ_MORE_LINK = re.compile(
    rf"{_DECOR}(?:{_READ_MORE_WORDS})(?:\s+[^\n]{{0,120}})?{_DECOR}", re.IGNORECASE
)
_READ_MORE_EXACT = re.compile(rf"{_DECOR}(?:{_READ_MORE_WORDS}){_DECOR}", re.IGNORECASE)
_URL = r"(?:https?://|www\.|/)[^\s<>\"'\])]+"
_READ_MORE_PHRASE = re.compile(rf"\b(?:{_READ_MORE_WORDS})", re.IGNORECASE)
#: What may follow a read-more phrase at the end of a text line: arrows, then a link.
_READ_MORE_REST = re.compile(rf"{_DECOR}(?P<url>{_URL})?[\s\])]*+", re.IGNORECASE)


def _read_more_line(line: str) -> tuple[str, str | None] | None:
    """For a line that ends in a read-more phrase: the text before it and the URL after it."""
    for match in reversed(list(_READ_MORE_PHRASE.finditer(line))):
        rest = _READ_MORE_REST.fullmatch(line, match.end())
        if rest is not None:
            return line[: match.start()].rstrip(_LEAD_CHARS), rest.group("url")
    return None


_BARE_URL = re.compile(rf"^[<(\[]?(?P<url>{_URL})[>)\]]?$", re.IGNORECASE)

#: Elements and class/id words that hold site chrome; anchors inside them are never items.
CHROME_TAGS = frozenset({"nav", "aside", "footer", "header", "form", "menu"})
CHROME_WORDS = frozenset(
    {
        "nav",
        "navbar",
        "navigation",
        "menu",
        "sidebar",
        "widget",
        "footer",
        "masthead",
        "breadcrumb",
        "breadcrumbs",
        "related",
        "recommended",
        "popular",
        "trending",
        "most-read",
        "mostread",
        "comments",
        "comment",
        "cookie",
        "cookies",
        "share",
        "social",
        "newsletter",
        "advert",
        "ad",
        "ads",
        "promo",
    }
)
_NOISE_TAGS = ("script", "style", "noscript", "template", "svg", "iframe", "button", "select")
_HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
_BLOCKS = frozenset(
    {"p", "div", "section", "article", "li", "blockquote", "ul", "ol", "dd", "dt", "td", "figure"}
    | _HEADINGS
)
_CLASS_SPLIT = re.compile(r"[\s_\-]+")
_SPACE = re.compile(r"\s+")


def _clean(text: str) -> str:
    return _SPACE.sub(" ", text.replace("\u00a0", " ")).strip()


# --- shared item building ----------------------------------------------------------------------


@dataclass(slots=True)
class _Block:
    text: str
    heading: bool
    link: str | None = None


def _build_item(blocks: Sequence[_Block], link: str | None, index: int) -> DigestItem | None:
    """An item from the blocks before a read-more link (its headline, then its summary)."""
    blocks = [b for b in blocks if b.text and not is_metadata_line(b.text)]
    heading_at = max((i for i, b in enumerate(blocks) if b.heading), default=None)
    title: str | None = None
    heading_link: str | None = None
    if heading_at is not None and heading_at < len(blocks) - 1:
        title = blocks[heading_at].text
        heading_link = blocks[heading_at].link
        body = [b.text for b in blocks[heading_at + 1 :] if not b.heading]
    else:
        # No headline: the summary is the prose right before the link.
        body = []
        for block in reversed(blocks):
            if block.heading or not _is_prose(block.text):
                break
            body.insert(0, block.text)
    text = "\n\n".join(body).strip()
    if not text:
        return None
    if title:
        title = _ENUMERATION.sub("", title).strip() or title
    return DigestItem(title=title, text=text, link=link or heading_link, index=index)


#: "1. ", "2) ", "#3 " before a digest item's headline: numbering, not part of the title.
_ENUMERATION = re.compile(r"^\s*(?:#\s*)?\d{1,2}\s*[.)]\s+")


def _is_prose(text: str) -> bool:
    words = len(text.split())
    return words >= 12 or (words >= 4 and text.rstrip("\"”’') ").endswith((".", "!", "?", "…")))


def _reindex(items: Iterable[DigestItem]) -> list[DigestItem]:
    return [
        DigestItem(title=item.title, text=item.text, link=item.link, index=i)
        for i, item in enumerate(items)
    ]


def _dominated_by_article(items: Sequence[DigestItem], outside_prose: int) -> bool:
    if not items:
        return False
    average = sum(len(item.text) for item in items) / len(items)
    return outside_prose >= ARTICLE_MIN_CHARS and outside_prose >= ARTICLE_DOMINANCE * average


# --- HTML --------------------------------------------------------------------------------------


def _is_chrome(element: etree._Element) -> bool:
    ancestors = [a for a in element.iterancestors() if a.tag not in ("html", "body")]
    for position, node in enumerate(ancestors):
        tag = node.tag if isinstance(node.tag, str) else ""
        if tag in ("header", "footer") and any(a.tag == "article" for a in ancestors[position:]):
            continue  # an item's own header or footer
        if tag in CHROME_TAGS:
            return True
        names = f"{node.get('class', '')} {node.get('id', '')} {node.get('role', '')}".lower()
        words = set(_CLASS_SPLIT.split(names))
        if words & CHROME_WORDS or "most-read" in names or "navigation" in names:
            return True
    return False


def _resolve(href: str | None, base_url: str | None) -> str | None:
    if not href:
        return None
    href = href.strip()
    if not href or href.startswith(("#", "javascript:", "mailto:")):
        return None
    return urljoin(base_url, href) if base_url else href


def _read_more_anchors(root: etree._Element) -> list[etree._Element]:
    anchors = []
    for anchor in root.iter("a"):
        label = _clean(anchor.text_content())
        if not label or len(label) > 160 or not READ_MORE_LINK.fullmatch(label):
            continue
        if not _READ_MORE_EXACT.fullmatch(label) and not label.lower().startswith("continue"):
            continue
        if _is_chrome(anchor):
            continue
        anchors.append(anchor)
    return anchors


def _container(anchor: etree._Element, anchors: set[etree._Element]) -> etree._Element:
    """The largest element around ``anchor`` that holds no other read-more anchor."""
    best = anchor
    for node in anchor.iterancestors():
        if any(other in anchors and other is not anchor for other in node.iter("a")):
            break
        best = node
    return best


def _text_without(element: etree._Element, skip: set[etree._Element]) -> str:
    parts: list[str] = []

    def walk(node: etree._Element) -> None:
        if node in skip:
            if node.tail:
                parts.append(node.tail)
            return
        if node.text and isinstance(node.tag, str):
            parts.append(node.text)
        for child in node:
            walk(child)
        if node.tail and node is not element:
            parts.append(node.tail)

    walk(element)
    return _clean(" ".join(parts))


def _heading_link(element: etree._Element, base_url: str | None) -> str | None:
    for anchor in element.iter("a"):
        link = _resolve(anchor.get("href"), base_url)
        if link:
            return link
    return None


def _is_heading_element(element: etree._Element) -> bool:
    tag = element.tag if isinstance(element.tag, str) else ""
    if tag in _HEADINGS:
        return True
    if tag in ("strong", "b"):
        return True
    # A paragraph or div that only holds a bold link or a bold line works as a headline.
    children = [c for c in element if isinstance(c.tag, str)]
    own_text = _clean((element.text or "") + "".join(c.tail or "" for c in children))
    if own_text or len(children) != 1:
        return False
    child = children[0]
    if child.tag in ("strong", "b"):
        return True
    return child.tag == "a" and any(
        g.tag in ("strong", "b") for g in child if isinstance(g.tag, str)
    )


def _blocks_of(
    elements: Iterable[etree._Element], skip: set[etree._Element], base_url: str | None
) -> list[_Block]:
    """Text blocks (headlines and paragraphs) in document order."""
    blocks: list[_Block] = []

    def visit(element: etree._Element) -> None:
        if not isinstance(element.tag, str) or element in skip:
            return
        if _is_heading_element(element):
            text = _text_without(element, skip)
            if text and len(text.split()) <= 30:
                blocks.append(_Block(text, True, _heading_link(element, base_url)))
                return
        block_children = [c for c in element if isinstance(c.tag, str) and c.tag in _BLOCKS]
        inline_text = _clean(
            (element.text or "") + "".join(c.tail or "" for c in element if isinstance(c.tag, str))
        )
        heading_children = [
            c
            for c in element
            if isinstance(c.tag, str)
            and (c.tag in _BLOCKS or not inline_text)
            and _is_heading_element(c)
        ]
        if not block_children and not heading_children:
            text = _text_without(element, skip)
            if text:
                blocks.append(_Block(text, False))
            return
        if element.text and _clean(element.text):
            blocks.append(_Block(_clean(element.text), False))
        for child in element:
            visit(child)
            if child.tail and _clean(child.tail) and child.tag in _BLOCKS:
                blocks.append(_Block(_clean(child.tail), False))

    for element in elements:
        visit(element)
    return blocks


def _item_siblings(
    container: etree._Element, stop: set[etree._Element], *, has_prose: bool
) -> list[etree._Element]:
    """Flat layouts: the siblings before a read-more link back to its headline.

    Without a headline the item is the paragraph right before the link, unless the link's own
    element already holds the summary.
    """
    collected: list[etree._Element] = []
    previous = container.getprevious()
    if has_prose:
        # The summary is already inside; only a headline right above it belongs to the item.
        while previous is not None and previous not in stop and _is_chrome_block(previous):
            previous = previous.getprevious()
        if previous is not None and previous not in stop and _has_heading(previous):
            return [previous]
        return []
    while previous is not None and previous not in stop:
        if not _is_chrome_block(previous):
            collected.insert(0, previous)
            if _has_heading(previous):
                return collected
        previous = previous.getprevious()
    return collected[-1:]


def _has_heading(element: etree._Element) -> bool:
    if _is_heading_element(element):
        return True
    return any(isinstance(e.tag, str) and e.tag in _HEADINGS for e in element.iterdescendants())


def _parse(html: str, tree: etree._Element | None = None) -> etree._Element | None:
    if tree is not None:
        root = copy(tree)  # noise is dropped below; the caller's tree stays whole
    else:
        if not html or not html.strip():
            return None
        try:
            root = lxml_html.document_fromstring(html)
        except (etree.ParserError, ValueError) as exc:
            log.debug("digest: page does not parse as HTML: %s", exc)
            return None
    for element in list(root.iter(*_NOISE_TAGS)):
        parent = element.getparent()
        if parent is not None:
            element.drop_tree()
    return root


def split_digest_html(
    html: str, *, base_url: str | None = None, tree: etree._Element | None = None
) -> list[DigestItem]:
    """The summary items of a digest page, or ``[]`` when the page is not a digest.

    ``tree`` is the page's parsed HTML when the caller has it (copied, never changed).
    """
    root = _parse(html, tree)
    if root is None:
        return []
    base_tag = root.find(".//base[@href]")
    if base_tag is not None:
        base_url = urljoin(base_url or "", base_tag.get("href", "")) or base_url
    anchors = _read_more_anchors(root)
    if len(anchors) < MIN_ITEMS:
        return []
    anchor_set = set(anchors)
    containers = [_container(a, anchor_set) for a in anchors]
    container_set = set(containers)
    items: list[DigestItem] = []
    used: set[etree._Element] = set()
    for anchor, container in zip(anchors, containers, strict=True):
        link = _resolve(anchor.get("href"), base_url)
        parent = container.getparent()
        if parent is None:
            continue
        own_blocks = _blocks_of([container], {anchor}, base_url)
        siblings: list[etree._Element] = []
        if not any(b.heading for b in own_blocks):
            has_prose = any(_is_prose(b.text) for b in own_blocks)
            siblings = _item_siblings(container, used | container_set, has_prose=has_prose)
        used.update(siblings)
        used.add(container)
        blocks = _blocks_of(siblings, {anchor}, base_url) + own_blocks
        item = _build_item(blocks, link, len(items))
        if item is not None:
            items.append(item)
    if len(items) < MIN_ITEMS:
        return []
    outside = _outside_prose(root, used)
    if _dominated_by_article(items, outside):
        return []
    return _reindex(items)


def _is_chrome_block(element: etree._Element) -> bool:
    if not isinstance(element.tag, str):
        return True
    if element.tag in CHROME_TAGS:
        return True
    names = f"{element.get('class', '')} {element.get('id', '')}".lower()
    return bool(set(_CLASS_SPLIT.split(names)) & CHROME_WORDS)


def _outside_prose(root: etree._Element, used: set[etree._Element]) -> int:
    """Characters of paragraph prose on the page outside the items and outside chrome."""
    total = 0
    for paragraph in root.iter("p"):
        if any(node in used for node in (paragraph, *paragraph.iterancestors())):
            continue
        if _is_chrome(paragraph):
            continue
        text = _clean(paragraph.text_content())
        if _is_prose(text):
            total += len(text)
    return total


def is_digest_html(html: str) -> bool:
    """True when an HTML page is a digest of read-more-closed summaries."""
    return bool(split_digest_html(html))


# --- text --------------------------------------------------------------------------------------


def _text_paragraphs(text: str) -> list[str]:
    """Paragraphs: blank-line blocks, with each short line of a block kept on its own."""
    paragraphs: list[str] = []
    for block in re.split(r"\n\s*\n", text.replace("\r\n", "\n").replace("\r", "\n")):
        lines = [_clean(line) for line in block.split("\n") if _clean(line)]
        current: list[str] = []
        for line in lines:
            short = len(line) < 60 and not _is_prose(line)
            if short or _read_more_line(line) or _BARE_URL.match(line):
                if current:
                    paragraphs.append(" ".join(current))
                    current = []
                paragraphs.append(line)
            else:
                current.append(line)
        if current:
            paragraphs.append(" ".join(current))
    return paragraphs


def split_digest_text(text: str, *, base_url: str | None = None) -> list[DigestItem]:
    """The summary items of a plain-text digest, or ``[]`` when the text is not a digest."""
    paragraphs = _text_paragraphs(text)
    items: list[DigestItem] = []
    pending: list[_Block] = []
    outside = 0
    i = 0
    while i < len(paragraphs):
        line = paragraphs[i]
        match = _read_more_line(line)
        if match is None:
            pending.append(_Block(line, heading=looks_like_headline(line)))
            i += 1
            continue
        before, url = match
        if url is None and i + 1 < len(paragraphs):
            bare = _BARE_URL.match(paragraphs[i + 1])
            if bare:
                url = bare.group("url")
                i += 1
        link = _resolve(_with_scheme(url), base_url) if url else None
        before = _clean(before)
        if before:
            pending.append(_Block(before, heading=False))
        item = _build_item(pending, link, len(items))
        if item is None:
            outside += sum(len(b.text) for b in pending if _is_prose(b.text))
        else:
            used = len(item.text) + len(item.title or "")
            outside += max(0, sum(len(b.text) for b in pending if _is_prose(b.text)) - used)
            items.append(item)
        pending = []
        i += 1
    if len(items) < MIN_ITEMS or _dominated_by_article(items, outside):
        return []
    return _reindex(items)


def _with_scheme(url: str) -> str:
    return url if "://" in url else f"https://{url}"


def is_digest_text(text: str) -> bool:
    """True when a plain text is a digest of read-more-closed summaries."""
    return bool(split_digest_text(text))
