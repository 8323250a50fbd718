"""Feeds as a source: sniff and parse RSS 0.9x/1.0/2.0 and Atom into entries.

feedparser does the parsing (it is the reference parser and tolerates the broken feeds news sites
serve). Each entry becomes :class:`~nkwatch.record.FeedHints` for the page it links to, and, when
the feed carries the whole article, a :class:`~nkwatch.record.RawDocument` that needs no fetch.
"""

from __future__ import annotations

import html
import io
import logging
import re
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import feedparser

from nkwatch.errors import Reason, RejectedInput
from nkwatch.record import FeedHints, RawDocument

__all__ = ["FeedEntry", "ParsedFeed", "looks_like_feed", "parse_feed"]

logger = logging.getLogger(__name__)

#: Text characters an entry's content needs before it counts as the full article.
FULL_TEXT_MIN_CHARS = 400
#: Root elements of RSS 0.9x/2.0, Atom and RSS 1.0 (RDF), compared without prefix or case.
FEED_ROOTS = frozenset({"rss", "feed", "rdf"})
#: How far into a document the sniffer looks for the root element.
SNIFF_BYTES = 8192

_LEADING_SPACE = re.compile(r"\s*")
_START_TAG = re.compile(r"<([A-Za-z_][\w.:-]*)")
_DOCTYPE_NAME = re.compile(r"<!DOCTYPE\s+([A-Za-z_][\w.:-]*)", re.IGNORECASE)
_TAG = re.compile(r"<[^>]*>")
_SPACES = re.compile(r"\s+")
_FEED_MEDIA_HINTS = ("rss", "atom", "rdf")
_HTML_ROOTS = frozenset({"html", "head", "body"})
_HTML_TAG = re.compile(r"<html[\s>]", re.IGNORECASE)


def _sniff_text(content: bytes) -> str:
    head = content[:SNIFF_BYTES]
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return head.decode("utf-16", "ignore")
    if head.startswith(b"<\x00"):
        return head.decode("utf-16-le", "ignore")
    if head.startswith(b"\x00<"):
        return head.decode("utf-16-be", "ignore")
    return head.decode("utf-8", "ignore").lstrip("\ufeff")


def _root_name(content: bytes) -> str | None:
    """Local name of the document's first element (or its DOCTYPE), lower-cased."""
    text = _sniff_text(content)
    pos = 0
    while True:
        match = _LEADING_SPACE.match(text, pos)
        pos = match.end() if match else pos
        if text.startswith("<?", pos):
            end = text.find("?>", pos)
            if end < 0:
                return None
            pos = end + 2
        elif text.startswith("<!--", pos):
            end = text.find("-->", pos)
            if end < 0:
                return None
            pos = end + 3
        elif text.startswith("<!", pos):
            doctype = _DOCTYPE_NAME.match(text, pos)
            if doctype:
                return doctype.group(1).rsplit(":", 1)[-1].lower()
            end = text.find(">", pos)
            if end < 0:
                return None
            pos = end + 1
        else:
            tag = _START_TAG.match(text, pos)
            return tag.group(1).rsplit(":", 1)[-1].lower() if tag else None


def looks_like_feed(content: bytes, content_type: str | None = None) -> bool:
    """True when ``content`` is an RSS, RDF or Atom document rather than an HTML page."""
    root = _root_name(content)
    if root is not None:
        return root in FEED_ROOTS
    media = (content_type or "").lower()
    return any(hint in media for hint in _FEED_MEDIA_HINTS)


def _is_html(content: bytes) -> bool:
    root = _root_name(content)
    if root is not None:
        return root in _HTML_ROOTS
    return _HTML_TAG.search(_sniff_text(content)) is not None


def _text_length(markup: str | None) -> int:
    if not markup:
        return 0
    return len(_SPACES.sub(" ", html.unescape(_TAG.sub(" ", markup))).strip())


def _as_html(value: str, media_type: str) -> str:
    if "html" in media_type:
        return value
    paragraphs = (part.strip() for part in re.split(r"\n\s*\n", value))
    return "".join(f"<p>{html.escape(part)}</p>" for part in paragraphs if part)


def _utc(parsed: time.struct_time | None) -> datetime | None:
    if parsed is None:
        return None
    try:
        return datetime(*parsed[:6], tzinfo=UTC)
    except (TypeError, ValueError, OverflowError):
        return None


def _field(mapping: object, key: str) -> Any:
    """A stored value of a feedparser mapping.

    ``dict.get`` skips feedparser's key aliases, which emit deprecation warnings on lookup.
    """
    return dict.get(mapping, key) if isinstance(mapping, dict) else None


def _clean(value: object) -> str | None:
    if not isinstance(value, str):
        return None
    value = value.strip()
    return value or None


@dataclass(frozen=True)
class FeedEntry:
    """One item of a feed; ``full_text`` is set only when the feed carries the whole article."""

    link: str | None
    title: str | None
    published: datetime | None
    author: str | None
    summary: str | None
    full_text: str | None
    id: str | None = None

    def to_hints(self, feed: ParsedFeed) -> FeedHints:
        """What this entry says about the article it links to."""
        return FeedHints(
            title=self.title,
            published=self.published,
            author=self.author,
            summary=self.summary,
            full_text=self.full_text,
            feed_url=feed.url,
            feed_title=feed.title,
        )

    def to_raw_document(
        self,
        feed: ParsedFeed,
        *,
        outlet: str | None = None,
        fetched_at: datetime | None = None,
    ) -> RawDocument | None:
        """The full article as an HTML document for extraction, or None without full text."""
        if self.full_text is None:
            return None
        title = html.escape(self.title or "")
        page = (
            '<!DOCTYPE html>\n<html><head><meta charset="utf-8">'
            f"<title>{title}</title></head>"
            f"<body><article>{self.full_text}</article></body></html>"
        )
        anchor = self.id or self.title or "entry"
        return RawDocument(
            location=self.link or f"{feed.location}#{anchor}",
            content=page.encode("utf-8"),
            url=self.link,
            content_type="text/html",
            charset="utf-8",
            fetched_at=fetched_at or datetime.now(UTC),
            feed=self.to_hints(feed),
            outlet=outlet,
        )


@dataclass(frozen=True)
class ParsedFeed:
    """A feed's own title and link, and its entries in document order."""

    title: str | None
    link: str | None
    entries: list[FeedEntry] = field(default_factory=list)
    url: str | None = None
    location: str = ""
    version: str = ""


def _full_text(entry: feedparser.FeedParserDict, summary: str | None) -> str | None:
    best: str | None = None
    best_length = 0
    for content in _field(entry, "content") or []:
        value = _field(content, "value")
        if not isinstance(value, str):
            continue
        markup = _as_html(value, str(_field(content, "type") or "text/html"))
        length = _text_length(markup)
        if length > best_length:
            best, best_length = markup, length
    # Equal lengths count: feeds that repeat the whole article as the summary still carry it.
    if best is None or best_length < FULL_TEXT_MIN_CHARS or best_length < _text_length(summary):
        return None
    return best


def _entry(entry: feedparser.FeedParserDict) -> FeedEntry | None:
    summary = _clean(_field(entry, "summary"))
    published = _utc(
        _field(entry, "published_parsed")
        or _field(entry, "updated_parsed")
        or _field(entry, "created_parsed")
    )
    item = FeedEntry(
        link=_clean(_field(entry, "link")),
        title=_clean(_field(entry, "title")),
        published=published,
        author=_clean(_field(entry, "author")),
        summary=summary,
        full_text=_full_text(entry, summary),
        id=_clean(_field(entry, "id")),
    )
    if item.link is None and item.title is None and item.summary is None and not item.full_text:
        return None
    return item


def parse_feed(content: bytes, *, location: str, url: str | None = None) -> ParsedFeed:
    """Parse an RSS/RDF/Atom document; raise :class:`RejectedInput` when it is not a usable feed.

    ``location`` names the input in messages; ``url`` is where the feed lives, used to resolve
    relative links.
    """
    if not content.strip():
        raise RejectedInput(location, Reason.BAD_FEED, "the document is empty; check the feed URL")
    if _is_html(content):
        raise RejectedInput(
            location,
            Reason.BAD_FEED,
            f"{location} is an HTML page, not a feed; pass it as a page or give the feed URL",
        )
    headers = {"content-type": "application/xml"}
    if url:
        headers["content-location"] = url
    try:
        parsed = feedparser.parse(io.BytesIO(content), response_headers=headers)
    except Exception as exc:  # feedparser on untrusted bytes: any failure means a bad feed
        raise RejectedInput(
            location, Reason.BAD_FEED, f"the feed parser failed: {type(exc).__name__}: {exc}"
        ) from exc

    version = str(_field(parsed, "version") or "")
    problem = _field(parsed, "bozo_exception") if _field(parsed, "bozo") else None
    raw_entries = _field(parsed, "entries") or []
    if not version and not raw_entries:
        raise RejectedInput(
            location,
            Reason.BAD_FEED,
            "not an RSS or Atom feed"
            + (f" ({problem})" if problem else "")
            + "; check that the URL points at the feed itself",
        )
    entries = [item for item in map(_entry, raw_entries) if item is not None]
    if not entries:
        if problem is not None:
            raise RejectedInput(
                location,
                Reason.BAD_FEED,
                f"the feed is malformed and no entry could be read ({problem})",
            )
        raise RejectedInput(
            location, Reason.EMPTY_FEED, "the feed is valid but has no entries right now"
        )
    if problem is not None:
        logger.warning(
            "%s: malformed feed, read %d entries anyway (%s)", location, len(entries), problem
        )

    channel = _field(parsed, "feed")
    return ParsedFeed(
        title=_clean(_field(channel, "title")),
        link=_clean(_field(channel, "link")),
        entries=entries,
        url=url,
        location=location,
        version=version,
    )
