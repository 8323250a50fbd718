"""Extraction: from a raw document to one or more articles.

Reads a :class:`~nkwatch.record.RawDocument` (bytes plus what its source knew) and returns
:class:`~nkwatch.record.Article` records with title, body, date (and where the date came from),
author, canonical URL, outlet, language and the origin a syndicated re-post credits. A digest page
yields the page itself plus one article per summary item, tied to the page.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import datetime
from html import unescape
from typing import Any
from urllib.parse import urlsplit

from nkwatch.errors import ExtractError, Reason
from nkwatch.extract.decode import decode_bytes
from nkwatch.extract.digest import DigestItem, split_digest_html, split_digest_text
from nkwatch.extract.html import extract_html, parse_html
from nkwatch.extract.language import detect_language
from nkwatch.extract.syndication import (
    WIRE_AGENCIES,
    find_origin,
    strip_credit,
    strip_reporting_credit,
)
from nkwatch.extract.text import extract_text_page
from nkwatch.record import Article, Origin, RawDocument, same_outlet

__all__ = ["ExtractOptions", "extract_document", "extract_record", "looks_like_html"]

_HTML_SNIFF = re.compile(
    r"<(?:!doctype\s+html|html|head|body|article|div|p|title|meta)\b", re.IGNORECASE
)
# Sources whose dates are structured data outrank a feed's date; the rest do not.
_STRUCTURED_DATES = {"json-ld", "meta"}


@dataclass(frozen=True, slots=True)
class ExtractOptions:
    """Knobs the extraction stage reads."""

    min_text_chars: int = 120
    outlets: tuple[tuple[str, str], ...] = ()


def looks_like_html(text: str, content_type: str | None = None) -> bool:
    """True when a document is HTML (by its declared type, else by its first tags)."""
    if content_type and ("html" in content_type.lower()):
        return True
    return bool(_HTML_SNIFF.search(text[:2048]))


#: The news agencies' own names, as credits give them.
_AGENCIES = frozenset(WIRE_AGENCIES.values())


def host_of(url: str | None) -> str | None:
    """Lower-case host name without a leading ``www.``."""
    if not url:
        return None
    host = (urlsplit(url).hostname or "").lower()
    return host.removeprefix("www.") or None


def extract_document(raw: RawDocument, *, options: ExtractOptions | None = None) -> list[Article]:
    """Extract every article a raw document holds; raises ``ExtractError`` when it holds none."""
    options = options or ExtractOptions()
    text = decode_bytes(raw.content, source=raw.location, declared=raw.charset)
    if looks_like_html(text, raw.content_type):
        return _from_html(raw, text, options)
    return _from_text(raw, text, options)


def _from_html(raw: RawDocument, html: str, options: ExtractOptions) -> list[Article]:
    tree = parse_html(html)  # one parse, shared by every reader of the page
    page = extract_html(html, url=raw.url, tree=tree)
    base_url = raw.url or (page.canonical_url if page else None)
    items = split_digest_html(html, base_url=base_url, tree=tree)
    if page is None and not items:
        raise ExtractError(raw.location, Reason.NOT_AN_ARTICLE, "no article text found on the page")
    body = page.text if page else "\n\n".join(item.text for item in items)
    article = Article(
        text=body,
        title=(page.title if page else None) or (raw.feed.title if raw.feed else None),
        url=raw.url,
        canonical_url=page.canonical_url if page else None,
        author=(page.author if page else None) or (raw.feed.author if raw.feed else None),
        fetched_at=raw.fetched_at,
        source=raw.location,
    )
    _set_date(
        article, page.published if page else None, page.published_from if page else "none", raw
    )
    footer = copyright_holder(unescape(_TAG.sub("\n", _INLINE_TAG.sub(" ", html[-20_000:]))))
    article.outlet = _outlet(
        raw, page.site_name if page else None, article, options, footer_outlet=footer
    )
    hint = page.language_hint if page else None
    return _finish(raw, article, items, options, html=html, language_hint=hint, tree=tree)


def extract_record(article: Article, *, options: ExtractOptions | None = None) -> Article:
    """Finish an article that arrived as structured data (a JSON export): credit and language."""
    options = options or ExtractOptions()
    raw = RawDocument(location=article.source, content=b"", url=article.url)
    if not article.source_key:
        article.source_key = article.url or article.source
    known = dict(options.outlets)
    host = host_of(article.canonical_url) or host_of(article.url)
    if host and host in known and not article.outlet:
        article.outlet = known[host]
    return _finish(raw, article, [], options, html=None, language_hint=None)[0]


def _from_text(raw: RawDocument, text: str, options: ExtractOptions) -> list[Article]:
    page = extract_text_page(text)
    items = split_digest_text(text, base_url=raw.url)
    if page is None and not items:
        raise ExtractError(
            raw.location, Reason.NOT_AN_ARTICLE, "no article text found in the document"
        )
    article = Article(
        text=page.text if page else "\n\n".join(item.text for item in items),
        title=(page.title if page else None) or (raw.feed.title if raw.feed else None),
        url=raw.url,
        author=(page.author if page else None) or (raw.feed.author if raw.feed else None),
        fetched_at=raw.fetched_at,
        source=raw.location,
    )
    if article.title and "://" in article.title:
        # A newsletter's "view in browser" line is no headline: its first line names it.
        article.title = next(line.strip() for line in text.splitlines() if line.strip())
    published = page.published if page else None
    _set_date(article, published, "text" if published else "none", raw)
    article.outlet = _outlet(raw, None, article, options, footer_outlet=copyright_holder(text))
    around = (page.head, page.tail) if page else ((), ())
    return _finish(raw, article, items, options, html=None, language_hint=None, around=around)


def _finish(
    raw: RawDocument,
    article: Article,
    items: list[DigestItem],
    options: ExtractOptions,
    *,
    html: str | None,
    language_hint: str | None,
    tree: Any = None,
    around: tuple[tuple[str, ...], tuple[str, ...]] = ((), ()),
) -> list[Article]:
    article.source_key = raw.url or raw.location
    if len(items) >= 2:
        return _digest(raw, article, items, language_hint)
    # Lines a text page keeps out of the body (above it and just below) may hold its credit.
    head, tail = around
    credited = "\n".join((*head, article.text, *tail))
    origin = find_origin(credited, html=html, url=raw.url or article.canonical_url, tree=tree)
    if origin is not None and not _own_credit(origin, article):
        article.origin = origin
        article.text = strip_credit(article.text)
    article.text, reporters = strip_reporting_credit(article.text)
    article.author = article.author or reporters
    article.text = article.text.strip()
    # A news agency's one-sentence bulletin, whose credit line was the rest of its page, is
    # still news: a text credited to an agency needs half the length.
    agency = article.origin is not None and article.origin.outlet in _AGENCIES
    minimum = options.min_text_chars // 2 if agency else options.min_text_chars
    if len(article.text) < minimum:
        raise ExtractError(
            raw.location,
            Reason.NOT_AN_ARTICLE,
            f"only {len(article.text)} characters of text remain after removing page chrome "
            f"(at least {minimum} make an article)",
        )
    if not article.title:
        article.title = _first_sentence(article.text)
    article.language = detect_language(f"{article.title}\n{article.text}", hint=language_hint)
    return [article]


def _own_credit(origin: Origin, article: Article) -> bool:
    """A wire's dateline on the wire's own page credits nobody else."""
    if same_outlet(origin.outlet, article.outlet):
        return True
    own = host_of(article.canonical_url) or host_of(article.url)
    return bool(origin.url and own and host_of(origin.url) == own and not origin.outlet)


def _digest(
    raw: RawDocument, page: Article, items: list[DigestItem], language_hint: str | None
) -> list[Article]:
    page.is_digest_page = True
    page.text = "\n\n".join(
        f"{item.title}\n{item.text}" if item.title else item.text for item in items
    )
    page.language = detect_language(page.text, hint=language_hint)
    out = [page]
    for item in items:
        key = hashlib.sha256(f"{item.title or ''}\x00{item.text}".encode()).hexdigest()[:16]
        child = Article(
            text=item.text,
            title=item.title or _first_sentence(item.text),
            url=item.link,
            outlet=page.outlet,
            published=page.published,
            published_from=page.published_from,
            fetched_at=page.fetched_at,
            source=f"{raw.location}#item-{item.index + 1}",
            source_key=f"{page.source_key}#item:{key}",
            item_index=item.index,
            parent_hash=page.content_hash,
        )
        origin = find_origin(item.text)
        if origin is not None:
            child.origin = origin
            child.text = strip_credit(child.text)
        child.language = detect_language(f"{child.title}\n{child.text}", hint=page.language)
        out.append(child)
    return out


def _set_date(
    article: Article, published: datetime | None, published_from: str, raw: RawDocument
) -> None:
    feed_date = raw.feed.published if raw.feed else None
    if published is not None and (published_from in _STRUCTURED_DATES or feed_date is None):
        article.published, article.published_from = published, published_from
    elif feed_date is not None:
        article.published, article.published_from = feed_date, "feed"
    else:
        article.published, article.published_from = None, "none"


def _outlet(
    raw: RawDocument,
    site_name: str | None,
    article: Article,
    options: ExtractOptions,
    *,
    footer_outlet: str | None = None,
) -> str | None:
    if raw.outlet:
        return raw.outlet
    known = dict(options.outlets)
    for url in (article.canonical_url, raw.url):
        host = host_of(url)
        if host and host in known:
            return known[host]
    if site_name and _plausible_site_name(site_name, article.title):
        return site_name
    if site_name and _HOST_NAME.fullmatch(site_name.strip()):
        # "www.example.org" as the site's name: the site names itself by its host, so every
        # page of it gets that name, whether or not a page also has a copyright footer
        return site_name.strip().lower().removeprefix("www.")
    if raw.feed and raw.feed.feed_title:
        return _SECTION_SUFFIX.split(raw.feed.feed_title, maxsplit=1)[0].strip()
    found = footer_outlet or host_of(article.canonical_url) or host_of(raw.url)
    return found or f"unknown outlet ({_file_name(raw.location)})"


def _file_name(location: str) -> str:
    """The last part of a local path (or of whatever names the input)."""
    return re.split(r"[\\/]", location.rstrip("/\\"))[-1] or location


_HOST_NAME = re.compile(r"(?:[A-Za-z0-9-]+\.)+[A-Za-z]{2,}")
#: "North Star Daily - Korea", "Korea Frontier Report » Culture": a feed's title with its section.
_TAG = re.compile(r"<[^>]+>")
#: Tags inside a line of text ("&copy; <span>2026</span> <a>Yalu Border Lines</a>"): they part
#: words, not lines.
_INLINE_TAG = re.compile(
    r"</?(?:a|abbr|b|em|font|i|small|span|strong|sub|sup|time|u)\b[^>]*>", re.IGNORECASE
)
_SECTION_SUFFIX = re.compile(r"\s+[-–—|»:]\s+")
#: A copyright notice and the name it gives, on one line: a "Copyright" link in a menu is
#: followed by the next link on a line of its own ("Copyright / Advertise With Us / Media Kit").
_LINE_SPACE = r"[ \t\u00a0]"
_COPYRIGHT = re.compile(
    # "©", "(c)", "Copyright", or two of them ("© Copyright 2019 …", "Copyright © 2026 …")
    rf"^(?:(?:©|\(c\)|copyright\b){_LINE_SPACE}*){{1,2}}"
    rf"(?:\d{{4}}(?:{_LINE_SPACE}*[-–]{_LINE_SPACE}*\d{{4}})?)?{_LINE_SPACE}*,?{_LINE_SPACE}*"
    rf"(?!copyright\b)(?P<name>[A-Z][\w'&.-]*(?:{_LINE_SPACE}+[A-Z][\w'&.-]*){{0,5}})",
    re.IGNORECASE | re.MULTILINE,
)


def _plausible_site_name(name: str, title: str | None) -> bool:
    """A site name, not a host name or the headline that some pages put in its place, nor the
    text of page furniture read as one ("Advertise With Us\n\nMedia Kit", "Copyright 2014", a
    social handle such as "@newsdesk" or "Wday_")."""
    if "." in name and " " not in name.strip():
        return False
    if _NOT_A_NAME.search(name.strip()):
        return False
    if title:
        name_words = set(re.findall(r"\w+", name.lower()))
        title_words = set(re.findall(r"\w+", title.lower()))
        if name_words and len(name_words & title_words) / len(name_words) > 0.5:
            return False
    return len(name) <= 80


#: What no outlet's name holds: a line break or a tab, a run of spaces, a handle's "@" or "_",
#: or a copyright notice at its start.
_NOT_A_NAME = re.compile(r"[\n\r\t]| {2}|^@|_|^(?:©|\(c\)|copyright\b)", re.IGNORECASE)


def copyright_holder(text: str) -> str | None:
    """The outlet named in a copyright footer ("© 2026 Yalu Border Lines"), if any."""
    matches = list(_COPYRIGHT.finditer(text))
    if not matches:
        return None
    match = matches[-1]  # the last copyright line is the page's own footer
    name = re.split(r"\.\s|\s+(?:all rights|inc\b|ltd\b)", match.group("name"), flags=re.I)[0]
    return name.strip(" .,") or None


_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")


def _first_sentence(text: str, limit: int = 120) -> str:
    first = _SENTENCE_END.split(text.strip(), maxsplit=1)[0]
    return first if len(first) <= limit else first[: limit - 1].rsplit(" ", 1)[0] + "…"
