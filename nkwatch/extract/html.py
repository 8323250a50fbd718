"""HTML extraction: the article body and its metadata from one web page.

Reads a page's HTML (already decoded to text) and, optionally, the URL it was fetched from.
Adds the article's title, body text, author, publication date and where that date came from,
canonical URL, site name, description and the page's declared language.

The body comes from trafilatura's recall-oriented mode (the page is parsed once and the tree is
shared by both passes). A second, precision-oriented pass only trims short lines at the head and
tail of the body that it does not keep itself, and a few general clean-up steps drop the repeated
headline, a leading dateline and "Read more:" promos. Each step is kept only because it earned
its place by cross-validation over the shared benchmark without costing recall (see
``bench/extraction.py --cv`` and ``bench/RESULTS.md``). Dates are looked
up in order of reliability: JSON-LD ``datePublished``, publication-date meta tags, a date in the
URL path, then htmldate's extensive search of the page. The crawl time is never used.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Iterator
from copy import copy
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any, Literal
from urllib.parse import urljoin, urlsplit

import trafilatura
from lxml import etree
from lxml.html import HtmlElement
from trafilatura.metadata import Document
from trafilatura.utils import load_html
from trafilatura.xml import xmltotxt

from nkwatch.errors import ExtractError, Reason

__all__ = ["CLEANUP", "Cleanup", "DateSource", "HtmlExtract", "extract_html", "parse_html"]

logger = logging.getLogger(__name__)

DateSource = Literal["json-ld", "meta", "url", "text", "none"]


@dataclass(frozen=True, slots=True)
class HtmlExtract:
    """What one page says about its article."""

    text: str
    title: str | None = None
    author: str | None = None
    published: datetime | None = None
    published_from: DateSource = "none"
    canonical_url: str | None = None
    site_name: str | None = None
    description: str | None = None
    language_hint: str | None = None


# Errors trafilatura, htmldate or lxml may let through on malformed input.
_DEPENDENCY_ERRORS = (ValueError, TypeError, LookupError, RecursionError, etree.LxmlError)


@dataclass(frozen=True, slots=True)
class Cleanup:
    """Which clean-up steps run on the extracted body.

    ``CLEANUP`` holds the set chosen by cross-validation (``bench/extraction.py --cv``); the
    benchmark toggles the others to measure them.
    """

    headline: bool = True  # drop first lines repeating the headline
    dateline: bool = True  # drop a leading dateline or reading-time line
    promo: bool = True  # drop short "Related:", "Read more:" lines
    tweet_button: bool = True  # strip a trailing "Click To Tweet"
    sign_off: bool = False  # drop trailing credits and copyright lines
    calls_to_action: bool = True  # drop trailing share, newsletter, comment and legal lines
    edge_trim: bool = True  # second, precision pass trims short head and tail lines
    short_lines: bool = True  # ... and short non-sentence lines it drops anywhere
    unkept_sign_offs: bool = True  # ... and sign-off lines it drops anywhere

    @classmethod
    def none(cls) -> Cleanup:
        """No clean-up at all: the recall pass's text as is."""
        return cls(**{name: False for name in cls.__dataclass_fields__})


CLEANUP = Cleanup()

# The precision pass only trims when the two passes roughly agree on the article's size; when
# they differ more than this factor it settled on another container.
_LENGTH_DISAGREEMENT = 2.0
# Lines longer than this (weighted characters) are prose and never trimmed at the edges.
_EDGE_LINE_CHARS = 200
# Inside the body only lines this short and without a sentence ending are dropped (teaser
# headlines, link labels); longer ones may be paragraphs the precision pass lost.
_SHORT_LINE_CHARS = 100
# Sentence endings across scripts: Latin, CJK full stops and brackets, Devanagari danda,
# Arabic and Urdu question mark and full stop, Armenian and Ethiopic full stops.
_SENTENCE_END = re.compile(
    r"[.!?:;\"”’»)\u3002\uff01\uff1f\uff0e\u2026\u300d\u300f\u0964\u0965\u061f\u06d4\u0589\u1362]\s*$"
)

_TOKEN = re.compile(r"\w+")

_PROMO = re.compile(
    r"^\W*(related( stories| articles| posts?| coverage)?|read more|read next|see more|see also"
    r"|more|also|also on [\w.]+|you may also like|you might also like|recommended( for you)?"
    r"|most read( in [\w ]+)?|don'?t miss|trending|more from [\w ]+|more on this)\b\s*(:|\W*$)",
    re.IGNORECASE,
)
_PROMO_MAX_TOKENS = 20
# The footer blog software appends to every feed entry ("The post X appeared first on Y.").
_FEED_FOOTER = re.compile(r"^\W*the post\b.{1,300}?\bappeared first on\b", re.IGNORECASE)

_CREDIT_LINE = re.compile(
    r"^source:|contributed (to )?(this|the) report|contributed reporting"
    r"|^\(?(additional )?reporting by\b|^\(?(writing|editing) by\b"
    r"|^(copyright|©)|all rights reserved"
    # a site's disclaimer: "External links are provided for reference purposes. … is not
    # responsible for the content of external Internet sites."
    r"|^external links are provided\b|\bnot responsible for the content of external\b"
    r"|^this material may not be published\b",
    re.IGNORECASE,
)
_CALL_TO_ACTION = re.compile(
    r"^\W*(\d+\s+)?comments?\W*$|^tags?\W*$|^filed under\b|^share (this|on)\b|share it with"
    r"|^follow\b.{0,80}\b(on|at) (twitter|facebook|instagram)|^follow (us|him|her|them)\b"
    r"|\bnewsletter\b|^subscribe\b|^sign up\b|^click here\b|^tell us what you think"
    r"|^like this story|^(log|sign) in to comment|\bterms of (use|service)\b.{0,40}\bprivacy\b"
    r"|^chat with us\b",
    re.IGNORECASE,
)
_SIGN_OFF = re.compile(f"{_CREDIT_LINE.pattern}|{_CALL_TO_ACTION.pattern}", re.IGNORECASE)
_SIGN_OFF_MAX_TOKENS = 40

_DATELINE = re.compile(r"\b(1[89]|20)\d\d\b|\b\d{1,2}:\d\d\b|\b\d{1,2}/\d{1,2}/\d{2,4}\b")
_READING_TIME = re.compile(
    r"\b(\d+\s*(min|minutes?|minutos?)\s*(read|de leitura)?|reading time|tempo de leitura)\b",
    re.IGNORECASE,
)
_DATELINE_MAX_TOKENS = 12
# An article has some sentences: this many characters in lines long enough to be prose
# (counted in characters, not words, so that Chinese and Japanese text counts too).
_PROSE_LINE_CHARS = 40
_MIN_PROSE_CHARS = 150
_TWEET_BUTTON = re.compile(r"\s*Click To Tweet\s*$")

_TITLE_SEPARATOR = re.compile(r"\s+[|\-–—:·»]\s+")
#: Words of a section's or a front page's name, which some pages give as their title.
_SECTION_NAMES = """
    world news home homepage latest top stories story politics business sport sports tech
    technology opinion breaking live updates headlines international national local us uk asia
    europe africa americas middle east science health entertainment culture video videos photos
    page front section and the of in
"""
_SECTION_WORDS = frozenset(_SECTION_NAMES.split())

_ARTICLE_TYPES = {
    "article",
    "newsarticle",
    "reportagenewsarticle",
    "analysisnewsarticle",
    "opinionnewsarticle",
    "blogposting",
    "liveblogposting",
    "techarticle",
    "scholarlyarticle",
    "report",
    "webpage",
}

_DATE_META = {
    "article:published_time",
    "og:published_time",
    "og:article:published_time",
    "article:published",
    "article.published",
    "published_time",
    "published-date",
    "published_date",
    "publishdate",
    "publish-date",
    "publish_date",
    "pubdate",
    "date",
    "datepublished",
    "dc.date",
    "dc.date.issued",
    "dc.date.created",
    "dcterms.date",
    "dcterms.issued",
    "dcterms.created",
    "sailthru.date",
    "parsely-pub-date",
    "original-publish-date",
    "cxenseparse:recs:publishtime",
}

_URL_DATE = re.compile(
    r"(?<!\d)((?:19|20)\d\d)[/_-](0?[1-9]|1[0-2])[/_-](0?[1-9]|[12]\d|3[01])(?!\d)"
)


def extract_html(
    html: str,
    *,
    url: str | None = None,
    cleanup: Cleanup = CLEANUP,
    tree: HtmlElement | None = None,
) -> HtmlExtract | None:
    """The article on an HTML page, or None when the page holds no article text.

    ``tree`` is the page already parsed by :func:`parse_html` (so that the other readers of the
    page share one parse); it is not changed. Raises :class:`ExtractError` (``not-an-article``)
    when the page cannot be parsed at all.
    """
    source = url or "<html>"
    try:
        tree = parse_html(html) if tree is None else tree
        if tree is None:
            return None
        second_pass = cleanup.edge_trim or cleanup.short_lines or cleanup.unkept_sign_offs
        passes = _run_passes(tree, url, second_pass=second_pass)
    except _DEPENDENCY_ERRORS as exc:
        raise ExtractError(source, Reason.NOT_AN_ARTICLE, f"unparsable HTML: {exc}") from exc

    document, page = passes.document, passes.page
    title = passes.title
    text = finish_body(passes, cleanup)
    if not _is_prose(text) or _only_chrome(text):
        logger.debug("no article text on %s", source)
        return None

    found_date = _plausible_text_date(document.date if document else None, html)
    published, published_from = _find_date(page, url, found_date)
    return HtmlExtract(
        text=text,
        title=title,
        author=(document.author if document else None) or None,
        published=published,
        published_from=published_from,
        canonical_url=page.canonical_url,
        site_name=page.site_name or ((document.sitename or None) if document else None),
        description=page.description or ((document.description or None) if document else None),
        language_hint=page.language,
    )


@dataclass(frozen=True, slots=True)
class Passes:
    """What the extraction passes found on one page, before any clean-up."""

    page: _Page
    document: Document | None
    title: str | None
    recalled: str
    precise: str | None


def parse_html(html: str) -> HtmlElement | None:
    """The page's element tree (None for an empty page), parsed once for every reader."""
    try:
        return load_html(html) if html.strip() else None
    except _DEPENDENCY_ERRORS:
        return None


def _run_passes(tree: HtmlElement, url: str | None, *, second_pass: bool) -> Passes:
    """Both trafilatura passes over one parsed tree (each works on its own copy)."""
    page = _read_page(tree, url)
    cards = _cards_in_paragraphs(tree)
    if cards or any(_is_layout_table(table) for table in tree.iter("table")):
        tree = copy(tree)  # the caller's tree stays as parsed
        _unwrap_layout_tables(tree)
        for card in _cards_in_paragraphs(tree):
            _drop_keeping_tail(card)
    document = _bare_extraction(
        tree,
        url=url,
        favor_recall=True,
        fast=True,
        include_comments=False,
        with_metadata=True,
    )
    if isinstance(document, dict):  # bare_extraction's dict form, never asked for here
        raise TypeError("bare_extraction returned a dict")
    precise: str | None = None
    if second_pass:
        precise_document = _bare_extraction(
            tree,
            url=url,
            favor_precision=True,
            include_comments=False,
            # trafilatura's fallback (jusText) compares each short paragraph with its
            # neighbours, quadratic in a run of them: a page of thousands of blocks skips it
            fast=_block_count(tree) > _FALLBACK_BLOCKS,
        )
        if isinstance(precise_document, dict):
            raise TypeError("bare_extraction returned a dict")
        precise = _document_text(precise_document)
    title = _clean_title((document.title if document else None) or page.title, page.site_name, url)
    return Passes(page, document, title, _document_text(document), precise)


#: Block elements past which the precision pass does without trafilatura's fallback extractors:
#: six times the most any of the 181 real pages of the extraction benchmark has (845).
_FALLBACK_BLOCKS = 5_000
_BLOCKS = ("p", "li", "td", "div", "br", "h1", "h2", "h3", "h4", "h5", "h6")


def _block_count(tree: HtmlElement) -> int:
    return sum(1 for _ in tree.iter(*_BLOCKS))


def page_passes(html: str, url: str | None = None) -> Passes | None:
    """Both passes over a page, for the benchmark to try clean-up sets without re-extracting."""
    tree = parse_html(html)
    return _run_passes(tree, url, second_pass=True) if tree is not None else None


def finish_body(passes: Passes, cleanup: Cleanup = CLEANUP) -> str:
    """The body text after the clean-up steps ``cleanup`` turns on."""
    # A page titled by its section ("World news - RT International") has no headline, but its
    # text may still open with that title, which is no part of the story either.
    title = (
        passes.title or (passes.document.title if passes.document else None) or passes.page.title
    )
    text = _clean_text(passes.recalled, title, cleanup)
    if not passes.precise or not (
        cleanup.edge_trim or cleanup.short_lines or cleanup.unkept_sign_offs
    ):
        return text
    precise = _clean_text(passes.precise, title, cleanup)
    ratio = len(_tokens(precise)) / max(1, len(_tokens(text)))
    if ratio < 1 / _LENGTH_DISAGREEMENT or ratio > _LENGTH_DISAGREEMENT:
        return text
    kept = {_line_key(line) for line in precise.split("\n")}
    kept.discard("")
    if cleanup.edge_trim:
        text = _trim_edges(text, kept)
    if cleanup.short_lines:
        text = _drop_short_lines(text, kept)
    if cleanup.unkept_sign_offs:
        text = _drop_unkept_sign_offs(text, kept)
    return text


def _document_text(document: Document | None) -> str:
    if document is None or document.body is None:
        return ""
    return xmltotxt(document.body, include_formatting=False)


@dataclass(frozen=True, slots=True)
class _Page:
    """Metadata read straight from the page's markup."""

    title: str | None
    canonical_url: str | None
    site_name: str | None
    description: str | None
    language: str | None
    json_ld_date: str | None
    meta_date: str | None


_LAYOUT_CELL_WORDS = 60


def _is_layout_table(table: HtmlElement) -> bool:
    """A table used to lay out a page (old CMSs), not to show data.

    Nested tables, paragraphs inside cells, ``role="presentation"`` or a cell holding a long run
    of prose mark layout; header cells and captions without those mark a data table.
    """
    if table.get("role", "").lower() in ("presentation", "none"):
        return True
    if table.find(".//table") is not None:
        return True
    for cell in table.iter("td", "th"):
        if cell.find(".//p") is not None or cell.find(".//div") is not None:
            return True
        if len(" ".join(cell.itertext()).split()) > _LAYOUT_CELL_WORDS:
            return True
    return False


def _cards_in_paragraphs(tree: HtmlElement) -> list[HtmlElement]:
    """Inline elements inside a paragraph that hold a picture and a link: a card shown when a
    name is hovered (the person's photo, name and latest headlines), not the paragraph's prose.
    Each is the innermost such element, so the prose around the card stays."""
    found = []
    for paragraph in tree.iter("p"):
        if paragraph.find(".//img") is None:
            continue  # most paragraphs: no picture, no card
        for span in paragraph.iter("span"):
            if (
                span.find(".//img") is not None
                and span.find(".//a") is not None
                and not any(
                    inner.find(".//img") is not None and inner.find(".//a") is not None
                    for inner in span.iterdescendants("span")
                )
            ):
                found.append(span)
    return found


def _drop_keeping_tail(element: HtmlElement) -> None:
    """Remove ``element`` and its content; the text after it stays in place.

    Unlike lxml's ``drop_tree``, the element before it (or its parent) is given a text even when
    the tail is empty: trafilatura's precision pass prunes an element left with no text and no
    children together with the prose that follows it ("... signed by Kim Yo Jong" would lose
    ", the leader's sister, ...").
    """
    parent = element.getparent()
    if parent is None:
        return
    tail = element.tail or ""
    previous = element.getprevious()
    if previous is not None:
        previous.tail = (previous.tail or "") + tail
    else:
        parent.text = (parent.text or "") + tail
    parent.remove(element)


def _unwrap_layout_tables(tree: HtmlElement) -> None:
    """Turn layout tables into plain blocks so that the article is read as prose, not cells."""
    for table in reversed(list(tree.iter("table"))):  # innermost first
        if not _is_layout_table(table):
            continue
        for element in table.iter("table", "thead", "tbody", "tfoot", "tr", "td", "th"):
            element.tag = "div"
            for attribute in ("colspan", "rowspan", "width", "valign", "align", "cellpadding"):
                element.attrib.pop(attribute, None)


def _read_page(tree: HtmlElement, url: str | None) -> _Page:
    meta: dict[str, str] = {}
    for element in tree.iter("meta"):
        key = element.get("property") or element.get("name") or element.get("itemprop")
        content = (element.get("content") or "").strip()
        if key and content:
            meta.setdefault(key.strip().lower(), content)

    canonical = None
    for link in tree.iter("link"):
        if "canonical" in (link.get("rel") or "").lower().split() and link.get("href"):
            canonical = link.get("href", "").strip()
            break
    canonical = canonical or meta.get("og:url")
    if canonical:
        canonical = urljoin(url, canonical) if url else canonical
        if not urlsplit(canonical).scheme.startswith("http"):
            canonical = None

    title_element = tree.find(".//title")
    title = _squash(title_element.text_content()) if title_element is not None else None
    language = (tree.get("lang") or tree.get("xml:lang") or meta.get("og:locale") or "").strip()
    return _Page(
        title=title or None,
        canonical_url=canonical,
        site_name=meta.get("og:site_name") or meta.get("application-name"),
        description=meta.get("description") or meta.get("og:description"),
        language=language or None,
        json_ld_date=_json_ld_date(tree),
        meta_date=_meta_date(tree, meta),
    )


def _json_ld_date(tree: HtmlElement) -> str | None:
    """``datePublished`` of the page's JSON-LD, from an article-typed object first."""
    fallback = None
    for script in tree.xpath('//script[@type="application/ld+json"]'):
        try:
            data = json.loads(script.text_content())
        except ValueError:
            continue
        for item in _json_objects(data):
            value = item.get("datePublished")
            if not isinstance(value, str) or not value.strip():
                continue
            types = item.get("@type")
            type_names = types if isinstance(types, list) else [types]
            if any(isinstance(t, str) and t.lower() in _ARTICLE_TYPES for t in type_names):
                return value.strip()
            fallback = fallback or value.strip()
    return fallback


def _json_objects(data: Any) -> Iterator[dict[str, Any]]:
    stack = [data]
    while stack:
        item = stack.pop()
        if isinstance(item, list):
            stack.extend(reversed(item))
        elif isinstance(item, dict):
            yield item
            stack.extend(v for v in item.values() if isinstance(v, list | dict))


def _meta_date(tree: HtmlElement, meta: dict[str, str]) -> str | None:
    for key, value in meta.items():
        if key in _DATE_META:
            return value
    for element in tree.xpath('//*[@itemprop="datePublished"]'):
        value = element.get("datetime") or element.get("content")
        if value and value.strip():
            return value.strip()
    return None


def _plausible_text_date(value: str | None, html: str) -> str | None:
    """Drop a bare year read as 1 January ("the 2010s" is not a publication date)."""
    if not value or not value.endswith("-01-01"):
        return value
    year = value[:4]
    spelled = (
        rf"(?:January|Jan\.?)\s+0?1(?:st)?,?\s+{year}|0?1(?:st)?\s+(?:January|Jan\.?),?\s+{year}"
        rf"|{year}[-/.]0?1[-/.]0?1\b|\b0?1[-/.]0?1[-/.]{year}"
    )
    return value if re.search(spelled, html, re.IGNORECASE) else None


def _find_date(
    page: _Page, url: str | None, text_date: str | None
) -> tuple[datetime | None, DateSource]:
    candidates: list[tuple[str | None, DateSource]] = [
        (page.json_ld_date, "json-ld"),
        (page.meta_date, "meta"),
        (_url_date(url), "url"),
        (_url_date(page.canonical_url), "url"),
        (text_date, "text"),
    ]
    for value, origin in candidates:
        parsed = _parse_date(value) if value else None
        if parsed is not None:
            return parsed, origin
    return None, "none"


def _url_date(url: str | None) -> str | None:
    if not url:
        return None
    match = _URL_DATE.search(urlsplit(url).path)
    if not match:
        return None
    year, month, day = (int(part) for part in match.groups())
    return f"{year:04d}-{month:02d}-{day:02d}"


#: Publication years taken as real: pages fill an unset date with year 1 or 9999, and date
#: arithmetic on those (a week before year 1) leaves the calendar.
PLAUSIBLE_YEARS = (1800, 2999)


def _parse_date(value: str) -> datetime | None:
    """An ISO 8601 or RFC 2822 date; aware values in UTC, date-only values at midnight UTC."""
    value = value.strip()
    parsed: datetime | None = None
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        try:
            parsed = parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError):
            return None
    if not PLAUSIBLE_YEARS[0] <= parsed.year <= PLAUSIBLE_YEARS[1]:
        return None  # a placeholder ("0001-01-01": an unset date in Go or .NET), not a date
    if len(value) <= len("2019-11-19") and parsed.time() == datetime.min.time():
        return datetime.combine(parsed.date(), datetime.min.time(), tzinfo=UTC)
    if parsed.tzinfo is not None:
        return parsed.astimezone(UTC)
    return parsed


def _clean_text(text: str, title: str | None, cleanup: Cleanup) -> str:
    """Drop the repeated headline, a leading dateline, promo lines and trailing sign-offs."""
    lines = text.split("\n")
    if cleanup.headline and title:
        title_tokens = _tokens(title)
        while lines and lines[0].strip() and _tokens(lines[0]) == title_tokens:
            lines.pop(0)
    if cleanup.dateline:
        for _ in range(2):
            if lines and _is_dateline(lines[0]):
                lines.pop(0)
    if cleanup.promo:
        lines = [
            line
            for line in lines
            if not (_PROMO.match(line) and len(_tokens(line)) <= _PROMO_MAX_TOKENS)
            and not _FEED_FOOTER.match(line)
        ]
    if cleanup.tweet_button:
        lines = [_TWEET_BUTTON.sub("", line) for line in lines]
    trailing = [
        pattern
        for pattern, on in (
            (_CREDIT_LINE, cleanup.sign_off),
            (_CALL_TO_ACTION, cleanup.calls_to_action),
        )
        if on
    ]
    while (
        trailing and lines and (not lines[-1].strip() or _is_trailing_chrome(lines[-1], trailing))
    ):
        lines.pop()
    return "\n".join(lines).strip()


def _only_chrome(text: str) -> bool:
    """Whether every line of ``text`` is a credit, a disclaimer or a call to action: a page
    that kept its site's footer and lost its story ("External links are provided for reference
    purposes. …", "Copyright © 2018 …")."""
    lines = [line for line in text.split("\n") if line.strip()]
    return bool(lines) and all(_is_trailing_chrome(line, [_SIGN_OFF]) for line in lines)


def _is_trailing_chrome(line: str, patterns: list[re.Pattern[str]]) -> bool:
    return len(_tokens(line)) <= _SIGN_OFF_MAX_TOKENS and any(p.search(line) for p in patterns)


def _trim_edges(recalled: str, kept: set[str]) -> str:
    """Drop short lines before the first and after the last line both passes kept.

    Lines longer than ``_EDGE_LINE_CHARS`` are prose and stay wherever they are.
    """
    lines = recalled.split("\n")
    shared = [i for i, line in enumerate(lines) if _line_key(line) in kept]
    if not shared:
        return recalled
    first, last = shared[0], shared[-1]
    return "\n".join(
        line
        for i, line in enumerate(lines)
        if first <= i <= last or _weighted_len(line.strip()) > _EDGE_LINE_CHARS
    ).strip()


def _drop_short_lines(recalled: str, kept: set[str]) -> str:
    """Drop short lines without a sentence ending that the precision pass left out."""
    return "\n".join(
        line
        for line in recalled.split("\n")
        if not (
            (key := _line_key(line))
            and key not in kept
            and _weighted_len(line.strip()) <= _SHORT_LINE_CHARS
            and not _SENTENCE_END.search(line)
        )
    ).strip()


def _drop_unkept_sign_offs(recalled: str, kept: set[str]) -> str:
    """Drop sign-off lines (credits, newsletter, share calls) the precision pass left out."""
    return "\n".join(
        line
        for line in recalled.split("\n")
        if not (
            _line_key(line) not in kept
            and _SIGN_OFF.search(line)
            and len(_tokens(line)) <= _SIGN_OFF_MAX_TOKENS
        )
    ).strip()


def _line_key(line: str) -> str:
    return " ".join(_tokens(line)).casefold()


def _is_dateline(line: str) -> bool:
    return (
        len(_tokens(line)) <= _DATELINE_MAX_TOKENS
        and bool(_DATELINE.search(line) or _READING_TIME.search(line))
        and not line.rstrip().endswith(".")
    )


_DENSE_SCRIPT = re.compile(r"[\u1100-\u11ff\u3040-\u30ff\u3130-\u318f\u4e00-\u9fff\uac00-\ud7a3]")


def _weighted_len(line: str) -> int:
    """Characters, with Hangul and CJK counted twice: one syllable carries about two letters."""
    return len(line) + len(_DENSE_SCRIPT.findall(line))


def _is_prose(text: str) -> bool:
    """True when the text holds sentences, not only headings, link labels or an error notice."""
    lengths = (_weighted_len(line.strip()) for line in text.split("\n"))
    return sum(n for n in lengths if n >= _PROSE_LINE_CHARS) >= _MIN_PROSE_CHARS


def _clean_title(title: str | None, site_name: str | None, url: str | None) -> str | None:
    """The headline without trailing " | Site" parts that name the site."""
    if not title:
        return None
    title = _squash(title)
    names = {_name_key(site_name or "")}
    host = urlsplit(url).hostname if url else None
    if host:
        host = host.removeprefix("www.")
        names |= {_name_key(host), _name_key(host.split(".")[0])}
    names.discard("")
    # the host's first label ("rt" of rt.com), from the URL or a site name written as a host
    hostlike = host or (
        site_name if site_name and re.fullmatch(r"[\w-]+(?:\.[\w-]+)+", site_name) else ""
    )
    label = hostlike.removeprefix("www.").split(".")[0].casefold() if hostlike else ""
    while separators := list(_TITLE_SEPARATOR.finditer(title)):
        last = separators[-1]
        part = _tokens(title[last.end() :])
        # "… - RT International" on rt.com: the site's name starts with its host's label
        named = bool(label) and 0 < len(part) <= 4 and part[0].casefold() == label
        if _name_key(title[last.end() :]) not in names and not named:
            break
        title = title[: last.start()].strip()
    if all(token.casefold() in _SECTION_WORDS for token in _tokens(title)):
        return None  # "World news", "Home": the section's name, not the article's headline
    return title or None


def _name_key(name: str) -> str:
    return "".join(_tokens(name)).casefold()


def _tokens(text: str) -> list[str]:
    return _TOKEN.findall(text)


def _squash(text: str) -> str:
    return " ".join(text.split())


def _bare_extraction(tree: HtmlElement, **options: Any) -> Document | dict[str, Any] | None:
    """trafilatura's extraction, kept alive when its metadata readers trip on a broken tree.

    htmldate and lxml raise assertion and index errors on some malformed pages while looking
    for the date; the body must not be lost for that, so the page is read again without
    metadata (the date then comes from the page's own tags).
    """
    try:
        return trafilatura.bare_extraction(tree, **options)
    except _DEPENDENCY_ERRORS:
        raise
    except Exception as exc:  # a dependency's internal failure on this page, not ours
        if not options.get("with_metadata"):
            raise
        logger.info(
            "metadata extraction failed (%s: %s); reading the body alone", type(exc).__name__, exc
        )
        return trafilatura.bare_extraction(tree, **{**options, "with_metadata": False})
