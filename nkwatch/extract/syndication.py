"""Find who first published a syndicated re-post, and strip the credit line from its body.

Reads an article's text (and its HTML and own URL when known) and adds an
:class:`~nkwatch.record.Origin`: the outlet and/or URL that the re-post credits. Credit lines
("[Source: Daily NK]", "This article first appeared in ...", "Originally published by ...",
"Original article: <url>"), wire datelines ("SEOUL, Oct 12 (Yonhap) --") and page metadata
(``rel="original-source"``, ``syndication-source``, a canonical link to another site) are matched
by a table of patterns, strongest first. Attributions inside the story ("according to Yonhap", "a
source said") are not credits and do not match.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from lxml import etree
from lxml import html as lxml_html

from nkwatch.lexicon import DATELINE_HEAD
from nkwatch.record import Origin

__all__ = ["WIRE_AGENCIES", "find_origin", "strip_credit", "strip_reporting_credit"]

log = logging.getLogger(__name__)

#: News agencies whose names stand alone in datelines and sign-offs, by lower-case spelling.
WIRE_AGENCIES: dict[str, str] = {
    "yonhap": "Yonhap",
    "yonhap news agency": "Yonhap",
    "afp": "AFP",
    "agence france-presse": "AFP",
    "reuters": "Reuters",
    "ap": "AP",
    "associated press": "AP",
    "the associated press": "AP",
    "kcna": "KCNA",
    "korean central news agency": "KCNA",
    "kyodo": "Kyodo",
    "kyodo news": "Kyodo",
    "xinhua": "Xinhua",
    "tass": "TASS",
    "ria novosti": "RIA Novosti",
    "interfax": "Interfax",
    "upi": "UPI",
    "dpa": "dpa",
    "efe": "EFE",
    "ansa": "ANSA",
    "bloomberg": "Bloomberg",
    "bernama": "Bernama",
    "antara": "Antara",
    "pti": "PTI",
    "ani": "ANI",
    "anadolu": "Anadolu",
    "newsis": "Newsis",
    "news1": "News1",
    "연합뉴스": "Yonhap",
    "뉴스1": "News1",
    "뉴시스": "Newsis",
    "조선중앙통신": "KCNA",
}

_WIRE_NAMES = (
    "(?i:" + "|".join(re.escape(n) for n in sorted(WIRE_AGENCIES, key=len, reverse=True)) + ")"
)
#: An outlet name: capitalised words, with "of", "for", "&" and a leading "the" allowed.
_NAME = (
    r"(?:[Tt]he\s+)?[A-Z0-9][\w'’&.\-]*(?:\s+(?:(?:of|for|and|&|de|du)\s+)?"
    r"[A-Z0-9][\w'’&.\-]*){0,6}"
)
_DOMAIN = r"(?:www\.)?[a-z0-9\-]+(?:\.[a-z0-9\-]+)*\.[a-z]{2,}(?:/[^\s\])]*)?"
_URL = r"https?://[^\s<>\"'\])]+"
_SUBJECT = (
    r"(?i:(?:this|the)\s+(?:article|story|piece|report|post|op-ed|commentary|column|analysis|"
    r"interview|essay|feature|item|content|text))"
)
_PUBLISHED = r"(?i:(?:first|originally)\s+(?:appeared|published|ran|posted))"
_PREP = r"(?i:in|on|at|by|with|from)"
_REPUBLISHED = (
    r"(?i:(?:republished|reprinted|reposted|syndicated|cross-posted)\s+(?:here\s+)?"
    r"(?:with\s+(?:the\s+)?(?:kind\s+)?permission\s+)?(?:from|of|by))"
)
_WHERE = rf"(?:(?P<url>{_URL})|(?P<outlet>{_NAME})|(?P<domain>{_DOMAIN}))"


@dataclass(frozen=True, slots=True)
class _CreditRule:
    """One way of writing a credit; ``standalone`` lines of this kind are stripped."""

    name: str
    pattern: re.Pattern[str]
    strength: int
    #: Only a credit when nothing but a date or URL follows it on its line.
    alone: bool = False


def _credit(name: str, pattern: str, strength: int, *, alone: bool = False) -> _CreditRule:
    return _CreditRule(name, re.compile(pattern), strength, alone)


#: Credit forms, strongest first. Each matches at the start of a line (after brackets/emphasis)
#: so attributions inside sentences never match.
CREDIT_RULES: tuple[_CreditRule, ...] = (
    _credit(
        "first-published",
        rf"{_SUBJECT}\s+(?:(?:was|is|has\s+been|had\s+been)\s+)?(?:{_PUBLISHED})"
        rf"(?:\s+(?:online\s+)?{_PREP})?\s+{_WHERE}(?:\s+(?:at|on)\s+(?P<url2>{_URL}))?",
        100,
    ),
    _credit(
        "first-published-line",
        rf"(?:{_PUBLISHED})(?:\s+(?:online\s+)?{_PREP})?\s+{_WHERE}"
        rf"(?:\s+(?:at|on)\s+(?P<url2>{_URL}))?",
        100,
        alone=True,
    ),
    _credit(
        "republished",
        rf"{_SUBJECT}\s+(?:is|was|has\s+been)\s+{_REPUBLISHED}\s+{_WHERE}"
        rf"(?:\s+(?:at|on)\s+(?P<url2>{_URL}))?",
        95,
    ),
    _credit(
        "republished-line",
        rf"{_REPUBLISHED}\s+{_WHERE}(?:\s+(?:at|on)\s+(?P<url2>{_URL}))?",
        95,
        alone=True,
    ),
    _credit(
        "original-url",
        rf"(?i:original|originally\s+at|original\s+(?:article|story|post|report|source)|"
        rf"source\s+(?:url|link)|read\s+the\s+original(?:\s+(?:article|story))?)"
        rf"(?:\s+\w+)?\s*:?\s*(?P<url>{_URL})",
        90,
    ),
    _credit(
        "source-label",
        rf"(?i:sources?)\s*:\s*{_WHERE}(?:\s*[,|(\-–—]\s*(?P<url2>{_URL}))?",
        85,
        alone=True,
    ),
    _credit(
        "dateline",
        # "SEOUL", "SEOUL/WASHINGTON", "ERIE, Pa.", "RAMALLAH, West Bank", "ERIMO, Japan, Oct
        # 19", "SEOUL, 12 Oct 2024": the cities, up to two places after them, then a date.
        rf"{DATELINE_HEAD}\s*\((?P<outlet>{_NAME})\)\s*(?:-{{1,2}}|–|—)",
        70,
    ),
    _credit("wire-lead", rf"\((?P<outlet>{_WIRE_NAMES})\)\s*(?:-{{1,2}}|–|—)", 65),
    # A Korean agency's dateline: "(서울=연합뉴스) 김철수 기자 =", "[서울=뉴시스]"; only an
    # agency after the "=" ("[사진=JTBC]" credits a photo, "[엔터미디어=…]" names a column).
    _credit(
        "korean-dateline",
        rf"[\[(][가-힣]{{1,10}}(?:\s[가-힣]{{1,10}})?\s?=\s?(?P<outlet>{_WIRE_NAMES})[\])]",
        70,
    ),
    _credit(
        "wire-signoff",
        rf"(?:-{{1,2}}|–|—)\s*(?P<outlet>{_WIRE_NAMES})\s*\.?",
        60,
        alone=True,
    ),
    # "Copyright 2017 The Associated Press. All rights reserved.": an agency's own story.
    _credit(
        "wire-copyright",
        rf"(?i:copyright|\(c\)|©)\s*(?:©\s*)?\d{{4}}\s+(?P<outlet>{_WIRE_NAMES})\b\.?"
        rf"(?:\s+(?i:all\s+rights\s+reserved)\b.*)?",
        55,
        alone=True,
    ),
    _credit("via", rf"(?i:via|h/t|hat\s+tip)\s*:?\s+{_WHERE}", 40, alone=True),
)

#: Bracketed credits may close a paragraph: "... said on Tuesday. (Source: Yonhap)".
_BRACKETED = re.compile(
    r"[\[(](?P<inner>(?:sources?|via)\s*:?\s+[^\[\]()]{2,120})[\])][\s.]*$", re.IGNORECASE
)
_EMPHASIS = "*_> \t"
_TRAILING = re.compile(r"^[\s.;:,!*_\])]*$")
_NAME_TRAIL = re.compile(r"[\s.,;:!'’\-]+$")
#: Words that look like names at the start of a line but never name an outlet.
_NOT_OUTLETS = frozenset(
    {"a", "an", "the", "it", "this", "that", "he", "she", "they", "we", "i", "his", "her", "its"}
)


@dataclass(frozen=True, slots=True)
class _Credit:
    rule: _CreditRule
    outlet: str | None
    url: str | None
    standalone: bool


def _canonical_outlet(name: str | None) -> str | None:
    if not name:
        return None
    name = _NAME_TRAIL.sub("", name.strip()).removeprefix("the ")
    if not name or name.lower() in _NOT_OUTLETS or name.isdigit():
        return None
    return WIRE_AGENCIES.get(name.lower(), name)


def _match_line(line: str) -> _Credit | None:
    """The credit a line opens with (or a bracketed credit closing it), strongest rule first."""
    body = line.strip().strip(_EMPHASIS)
    if len(body) > 2 and (body[0], body[-1]) in (("[", "]"), ("(", ")")):
        body = body[1:-1].strip()
    candidates = [(body, True)]
    bracketed = _BRACKETED.search(line)
    if bracketed:
        # A bracketed credit is a credit even at the end of a paragraph.
        candidates.append((bracketed.group("inner") + ")", bracketed.start() == 0))
    for rule in CREDIT_RULES:
        for candidate, at_start in candidates:
            match = rule.pattern.match(candidate)
            if match is None:
                continue
            groups = match.groupdict()
            url = groups.get("url") or groups.get("url2")
            domain = groups.get("domain")
            if domain and not url:
                url = domain if "/" in domain else None
                outlet: str | None = domain.split("/")[0].removeprefix("www.")
            else:
                outlet = _canonical_outlet(groups.get("outlet"))
            if url:
                url = url.rstrip(".,;:")
            if outlet is None and url is None:
                continue
            rest = candidate[match.end() :]
            alone = _TRAILING.match(rest) is not None or _only_tail(rest)
            if rule.alone and not alone:
                continue
            return _Credit(rule, outlet, url, at_start and alone)
    return None


def _only_tail(rest: str) -> bool:
    """A credit line may go on with a date or a URL and still be only a credit."""
    rest = rest.strip()
    if len(rest.split()) > 8 or re.search(r"[.!?]\s+[A-Z]", rest):
        return False
    return bool(re.match(r"^(?:on|in|at|,|\(|–|—|-)", rest))


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def _host(url: str | None) -> str | None:
    if not url:
        return None
    try:
        host = urlsplit(url if "://" in url else f"https://{url}").hostname
    except ValueError:
        return None
    return host.lower() if host else None


#: Second-level labels under which a site's own name is the third label (``example.co.kr``).
_SECOND_LEVEL = frozenset({"co", "com", "or", "ne", "go", "ac", "org", "net", "gov", "edu"})


def _site(url: str | None) -> str | None:
    host = _host(url)
    if not host:
        return None
    labels = host.split(".")
    keep = 3 if len(labels) >= 3 and labels[-2] in _SECOND_LEVEL and len(labels[-1]) == 2 else 2
    return ".".join(labels[-keep:])


def _from_html(html: str, url: str | None, tree: etree._Element | None = None) -> str | None:
    """An original URL declared in the page's head, when it points to another site."""
    root = tree
    if root is None:
        if not html or not html.strip():
            return None
        try:
            root = lxml_html.document_fromstring(html)
        except (etree.ParserError, ValueError) as exc:
            log.debug("syndication: page does not parse as HTML: %s", exc)
            return None
    own = _site(url)
    declared: list[str] = []
    for element in root.iter("link", "meta"):
        rel = (element.get("rel") or "").lower().split()
        name = (element.get("name") or element.get("property") or "").lower()
        if "original-source" in rel or name in ("syndication-source", "original-source"):
            value = element.get("href") or element.get("content")
            if value:
                declared.append(value.strip())
    for value in declared:
        if own is None or _site(value) != own:
            return value
    if own is not None:
        for element in root.iter("link"):
            if "canonical" in (element.get("rel") or "").lower().split():
                href = (element.get("href") or "").strip()
                if href.startswith("http") and _site(href) not in (None, own):
                    return href
    return None


def find_origin(
    text: str,
    *,
    html: str | None = None,
    url: str | None = None,
    tree: etree._Element | None = None,
) -> Origin | None:
    """The outlet and/or URL a re-post credits as the original, or None when it credits none.

    ``tree`` is the page's parsed HTML when the caller has it (read, never changed).
    """
    credits = [c for c in (_match_line(line) for line in _lines(text)) if c is not None]
    credits.sort(key=lambda c: c.rule.strength, reverse=True)
    own = _site(url)
    outlet = next((c.outlet for c in credits if c.outlet), None)
    origin_url = _from_html(html or "", url, tree) if html or tree is not None else None
    if origin_url is None:
        for credit in credits:
            if credit.url and (own is None or _site(credit.url) != own):
                origin_url = credit.url
                break
    if origin_url is None:
        origin_url = _bare_url_near_top(text, own)
        if origin_url is not None and outlet is None:
            outlet = (_host(origin_url) or "").removeprefix("www.") or None
    if outlet is None and origin_url is None:
        return None
    return Origin(outlet=outlet, url=origin_url)


#: A source URL a re-post pastes above its story stands within this many lines of the top.
_TOP_LINES = 6
_BARE_URL = re.compile(rf"^<?(?P<url>{_URL})>?$")


#: Social networks and video sites: a bare link to one is a "follow us" prompt or an embed,
#: never the news outlet a story is re-posted from.
_SOCIAL_SITES = frozenset(
    (  # noqa: SIM905 (a table reads best as words)
        "facebook.com fb.com twitter.com x.com t.co instagram.com youtube.com youtu.be t.me "
        "telegram.me tiktok.com linkedin.com vk.com weibo.com pinterest.com reddit.com "
        "threads.net"
    ).split()
)


def _bare_url_near_top(text: str, own: str | None) -> str | None:
    """A URL of another site standing alone on a line near the top: the re-post's source (a
    link to a social network or video site is none)."""
    for line in _lines(text)[:_TOP_LINES]:
        match = _BARE_URL.match(line)
        if match is None:
            continue
        url = match.group("url").rstrip(".,;:")
        site = _site(url)
        if site is not None and site != own and site not in _SOCIAL_SITES:
            return url
    return None


#: Credits that open a story's first paragraph and belong to it.
_INLINE_RULES = frozenset({"dateline", "wire-lead", "korean-dateline"})


def strip_credit(text: str) -> str:
    """The text without lines that are only a credit; datelines inside paragraphs stay."""
    kept: list[str] = []
    for line in text.splitlines():
        credit = _match_line(line.strip()) if line.strip() else None
        if credit is not None and credit.standalone and credit.rule.name not in _INLINE_RULES:
            continue
        kept.append(line)
    return re.sub(r"\n{3,}", "\n\n", "\n".join(kept)).strip("\n")


#: A wire-style staff credit on a line of its own: "(Reporting by A; Editing by B)".
_REPORTING_CREDIT = re.compile(
    r"^\(?\s*(?:additional\s+)?(?:reporting|writing)\s+by\s+(?P<names>[^;()\n]{2,120}?)"
    r"\s*(?:;[^()\n]{0,200})?\)?\s*\.?\s*$",
    re.IGNORECASE,
)


def strip_reporting_credit(text: str) -> tuple[str, str | None]:
    """The text without standalone staff-credit lines, and the reporters the first one names.

    Like a syndication credit, the line is metadata about the story (who reported it), not part
    of it: the names go to the article's author instead of being read as people in the news.
    """
    kept: list[str] = []
    reporters: str | None = None
    for line in text.splitlines():
        match = _REPORTING_CREDIT.match(line.strip())
        if match is None:
            kept.append(line)
            continue
        reporters = reporters or match.group("names").strip(" .,")
    return re.sub(r"\n{3,}", "\n\n", "\n".join(kept)).strip("\n"), reporters
