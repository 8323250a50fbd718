"""The record types that flow through the pipeline.

``RawDocument`` is what a source hands over (bytes and what the source knows about them);
``Article`` is the one record every later stage reads and enriches.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any
from urllib.parse import urlsplit

#: Where an article's publication date came from.
DATE_SOURCES = ("json-ld", "meta", "url", "text", "feed", "none")


@dataclass(frozen=True, slots=True)
class FeedHints:
    """What a feed entry said about the article it links to."""

    title: str | None = None
    published: datetime | None = None
    author: str | None = None
    summary: str | None = None
    full_text: str | None = None
    feed_url: str | None = None
    feed_title: str | None = None


@dataclass(frozen=True, slots=True)
class RawDocument:
    """Bytes as a source delivered them, before extraction.

    ``location`` names the input for people (a URL, a file path, ``archive.warc.gz#record-3``);
    ``url`` is the document's web address when it has one.
    """

    location: str
    content: bytes
    url: str | None = None
    content_type: str | None = None
    charset: str | None = None
    fetched_at: datetime = field(default_factory=lambda: datetime.now(UTC).replace(microsecond=0))
    feed: FeedHints | None = None
    outlet: str | None = None


@dataclass(frozen=True, slots=True)
class Origin:
    """The outlet a syndicated re-post credits as the original."""

    outlet: str | None
    url: str | None

    def as_dict(self) -> dict[str, str | None]:
        """Plain mapping, as exported."""
        return {"outlet": self.outlet, "url": self.url}


@dataclass(slots=True)
class Article:
    """One story as extracted from a page, a feed entry, a file or one item of a digest page."""

    text: str
    title: str | None = None
    url: str | None = None
    canonical_url: str | None = None
    outlet: str | None = None
    author: str | None = None
    published: datetime | None = None
    published_from: str = "none"
    language: str | None = None
    origin: Origin | None = None
    fetched_at: datetime = field(default_factory=lambda: datetime.now(UTC).replace(microsecond=0))
    #: Where the article came from, as a person would name it (URL, file path, archive record).
    source: str = ""
    #: Identity for idempotent ingest: the same key with the same content is the same article.
    source_key: str = ""
    #: Index of this item within its digest page, for items split from one.
    item_index: int | None = None
    #: The digest page an item came from (set when the page itself is stored).
    parent_id: int | None = None
    #: The page's own key while it is not stored yet (its content hash).
    parent_hash: str | None = None
    is_digest_page: bool = False
    #: The earliest stored copy of this text (set by the de-duplication stage).
    duplicate_of: int | None = None
    #: ``exact``, ``near``, ``paragraph`` or ``syndicated``.
    duplicate_kind: str | None = None
    #: The story (event) the article reports (set by the clustering stage).
    story_id: int | None = None
    id: int | None = None

    @property
    def content_hash(self) -> str:
        """Hash of the normalised title and text: the identity used for idempotent ingest."""
        return content_hash(self.title or "", self.text)

    def to_export(self) -> dict[str, Any]:
        """The stable export object (see docs/export-schema.md)."""
        return {
            "id": self.id,
            "url": self.url,
            "canonical_url": self.canonical_url,
            "outlet": self.outlet,
            "origin": self.origin.as_dict() if self.origin else None,
            "parent_id": self.parent_id,
            "title": self.title,
            "text": self.text,
            "published": self.published.isoformat() if self.published else None,
            "published_from": self.published_from,
            "language": self.language,
            "fetched_at": self.fetched_at.isoformat(),
            "content_hash": self.content_hash,
            "kind": self.kind,
            "author": self.author,
            "duplicate_of": self.duplicate_of,
            "duplicate_kind": self.duplicate_kind,
            "story_id": self.story_id,
            "source": self.source,
        }

    @property
    def kind(self) -> str:
        """``article``, ``digest-page`` or ``digest-item``."""
        if self.is_digest_page:
            return "digest-page"
        return "digest-item" if self.item_index is not None else "article"


_SPACE = re.compile(r"\s+")


def normalise_text(text: str) -> str:
    """NFKC, case-folded, whitespace-collapsed text: what 'the same content' compares."""
    return _SPACE.sub(" ", unicodedata.normalize("NFKC", text)).strip().casefold()


def same_outlet(first: str | None, second: str | None) -> bool:
    """Outlet names equal but for case, spacing and punctuation ("N.K. News" = "NK News")."""
    if not first or not second:
        return False
    return re.sub(r"\W+", "", first).casefold() == re.sub(r"\W+", "", second).casefold()


#: An outlet known only by its host name ("africa.chinadaily.com.cn").
_HOST_NAME = re.compile(r"[a-z0-9-]+(?:\.[a-z0-9-]+)+")


@lru_cache(maxsize=4096)
def site_of(host: str) -> str:
    """The site a host belongs to, by the public suffix list (courlan, trafilatura's own URL
    library): regional editions and sections of one site are one outlet
    ("europe.chinadaily.com.cn", "uk.reuters.com"), while the blogs of one host are not
    ("a.blogspot.com")."""
    from courlan import extract_domain

    host = host.removeprefix("www.")
    try:
        site = extract_domain(f"https://{host}/")
    except ValueError:
        site = None
    return site or host


def outlet_key(outlet: str | None, source: str) -> str:
    """An outlet's name folded for comparison; without one, the site of the URL or the file.
    An outlet named by its host is its site."""
    if outlet and outlet.strip():
        folded = " ".join(outlet.casefold().split())
        if _HOST_NAME.fullmatch(folded):
            return "host:" + site_of(folded)
        return "outlet:" + folded
    location = source.split("#", 1)[0]
    host = urlsplit(location).hostname if "://" in location else None
    if host:
        return "host:" + site_of(host)
    return "file:" + location


def content_hash(title: str, text: str) -> str:
    """SHA-256 over the normalised text (and title when there is one)."""
    payload = normalise_text(text) + "\x00" + normalise_text(title)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()
