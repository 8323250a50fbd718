"""OPML subscription lists as a source of feed URLs.

lxml parses the file with entity expansion, DTD loading and network access turned off, so a
hostile list cannot read local files or blow up in memory. Nested outlines become categories.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from urllib.parse import urlsplit

from lxml import etree

from nkwatch.errors import Reason, RejectedInput

__all__ = ["OpmlFeed", "parse_opml"]

logger = logging.getLogger(__name__)

#: Separator between nested category names, as OPML 2.0 writes category paths.
CATEGORY_SEPARATOR = "/"


@dataclass(frozen=True)
class OpmlFeed:
    """One feed subscription: its URL, its title and the outline path it sits under."""

    url: str
    title: str | None = None
    category: str | None = None


def _parser() -> etree.XMLParser:
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
    )


def _local_name(element: etree._Element) -> str:
    tag = element.tag
    if not isinstance(tag, str):
        return ""
    return str(etree.QName(tag).localname).lower()


def _attribute(element: etree._Element, name: str) -> str | None:
    """An attribute by case-insensitive name (lists in the wild write xmlUrl, xmlurl, XMLURL)."""
    wanted = name.lower()
    for key, value in element.attrib.items():
        if str(key).lower() == wanted:
            text = str(value).strip()
            return text or None
    return None


def _label(outline: etree._Element) -> str | None:
    return _attribute(outline, "title") or _attribute(outline, "text")


def parse_opml(content: bytes, *, location: str) -> list[OpmlFeed]:
    """The http(s) feeds listed in an OPML document; raise :class:`RejectedInput` if unreadable."""
    if not content.strip():
        raise RejectedInput(location, Reason.BAD_FEED, "the OPML file is empty")
    try:
        root = etree.fromstring(content, parser=_parser())
    except (etree.XMLSyntaxError, ValueError) as exc:
        raise RejectedInput(
            location, Reason.BAD_FEED, f"not well-formed XML ({exc}); export the list again"
        ) from exc
    if root is None or _local_name(root) != "opml":
        name = _local_name(root) if root is not None else "nothing"
        raise RejectedInput(
            location,
            Reason.BAD_FEED,
            f"the root element is <{name}>, not <opml>; give an OPML subscription list",
        )
    body = next((child for child in root if _local_name(child) == "body"), None)
    if body is None:
        raise RejectedInput(location, Reason.BAD_FEED, "the OPML document has no <body>")

    feeds: list[OpmlFeed] = []
    seen: set[str] = set()
    _collect(body, (), feeds, seen, location)
    if not feeds:
        logger.warning("%s: the OPML list names no http(s) feed", location)
    return feeds


def _collect(
    parent: etree._Element,
    path: tuple[str, ...],
    feeds: list[OpmlFeed],
    seen: set[str],
    location: str,
) -> None:
    for outline in parent:
        if _local_name(outline) != "outline":
            continue
        url = _attribute(outline, "xmlUrl")
        if url is None:
            label = _label(outline)
            _collect(outline, (*path, label) if label else path, feeds, seen, location)
            continue
        if urlsplit(url).scheme.lower() not in ("http", "https"):
            logger.warning(
                "%s: skipping feed %r: only http and https feeds are read", location, url
            )
            continue
        if url in seen:
            logger.debug("%s: feed %s is listed more than once", location, url)
            continue
        seen.add(url)
        category = CATEGORY_SEPARATOR.join(path) if path else None
        if category is None:
            listed = _attribute(outline, "category")
            category = listed.split(",", 1)[0].strip().strip(CATEGORY_SEPARATOR) if listed else None
        feeds.append(OpmlFeed(url=url, title=_label(outline), category=category or None))
