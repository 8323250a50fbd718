"""Extract the article from a page saved as plain text, with its site chrome still in it.

Reads the text a browser writes when a page is saved "as text": navigation lists, breadcrumbs,
share counters, "Latest Stories" blocks, cookie notices and footers around one story. Adds the
story's title, body paragraphs, publication date and author.

Lines are grouped into units (paragraphs) and each unit is classified in the manner of jusText:
by length, sentence punctuation and stop-word density, by a small table of chrome phrases, and by
membership in runs of short title-like lines (menus and headline lists). The body is the run of
good units after the headline, closed by the first end-of-article marker (tags, footer, related
stories, author bio).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone
from enum import Enum
from functools import lru_cache

import justext
import py3langid

from nkwatch.lexicon import MONTH_NUMBERS, WEEKDAYS

__all__ = [
    "FoundDate",
    "TextExtract",
    "extract_text_page",
    "find_dates",
    "is_metadata_line",
    "looks_like_headline",
]


@dataclass(frozen=True, slots=True)
class TextExtract:
    """What a plain-text page holds once its chrome is removed."""

    title: str | None
    text: str
    published: datetime | None = None
    author: str | None = None
    #: Lines above the body and just below it (not body): where credits and source URLs stand.
    head: tuple[str, ...] = ()
    tail: tuple[str, ...] = ()


class _Kind(Enum):
    CHROME = "chrome"  # never body, skipped when looking for the headline
    LIST = "list"  # heads a run of headline lines; closes the body when it follows it
    END = "end"  # closes the body when it follows it; chrome otherwise


@dataclass(frozen=True, slots=True)
class _ChromeRule:
    pattern: re.Pattern[str]
    kind: _Kind
    max_words: int = 12


def _rule(pattern: str, kind: _Kind = _Kind.CHROME, max_words: int = 12) -> _ChromeRule:
    return _ChromeRule(re.compile(pattern, re.IGNORECASE), kind, max_words)


_ARROWS = r"[\s»«›‹>→←|:.\-–—]*"

#: Phrases that are site chrome wherever they stand. Matched against a whole unit.
CHROME_RULES: tuple[_ChromeRule, ...] = (
    _rule(
        r"(home|menu|search|log ?in|sign ?in|sign ?up|register|subscribe|donate|about( us)?|"
        r"contact( us)?|skip to (main )?content|print( this)?( article| page)?|e-?mail|share|"
        r"share this( article| story| page)?|tweet|pin it|whatsapp|telegram|facebook|twitter|x|"
        r"linkedin|reddit|copy link|save|bookmark|listen( to this article)?|font size|"
        r"toggle navigation|back to top|loading\W*|close|more|less|english|한국어|"
        r"privacy( policy)?|terms( of (use|service))?|cookie (policy|settings|preferences)|"
        r"accept( all)?( cookies)?|reject( all)?|i agree|got it|ok|rss|newsletter|"
        r"advertisement|advertising|sponsored( content)?|ad|scroll to continue( with content)?|"
        r"show comments|hide comments|leave a comment|load more|view all|see all)" + _ARROWS,
        max_words=6,
    ),
    _rule(r"comments?\s*[(\[]?\s*\d*\s*[)\]]?|\d+\s+comments?", _Kind.CHROME, 3),
    _rule(r"(skip (to|navigation)\b[\w ]{0,30}?\s*[|·,/]?\s*)+", max_words=18),
    # "JANE DOE Views": a columnist's label or a view counter without its number.
    _rule(r"([\w.'’-]+\s+){1,4}views?", max_words=5),
    # A photo caption closes with its credit: "... last spring. (Photo: Pine Ridge Courier)".
    _rule(
        r".*[\[(]\s*(photo|image|picture|file photo|graphic|screenshot|video|captured)"
        r"(\s+(by|credit|courtesy( of)?))?\s*[:=/]?[^\[\]()]{0,80}[\])]\s*\.?",
        max_words=60,
    ),
    # A sign-off: the author's e-mail address alone or after the name ends the story.
    _rule(r"(by\s+)?([\w.'’-]+\s+){0,4}[\w.+-]+@[\w-]+(\.[\w-]+)+\s*", _Kind.END, 10),
    _rule(r"\d[\d,.]*\s*k?\s+(shares?|comments?|views?|likes?|reads?|reactions?)", max_words=3),
    _rule(r"(shares?|views?|likes?)\s*:?\s*\d[\d,.]*\s*k?", max_words=3),
    _rule(r"(«\s*)?(prev(ious)?|next)(\s+(article|post|story|page))?\s*[»›]?", max_words=3),
    _rule(r"(prev(ious)?|next)\s*[|/]?\s*(prev(ious)?|next)", max_words=3),
    _rule(r"(previous|next)\s+(article|post|story)\s*[:»›\-–—].*", max_words=25),
    _rule(
        r"(read (more|also|next)|see also|also read|recommended|watch|listen)\s*:.*", max_words=30
    ),
    _rule(r"related\s*:.+", max_words=30),
    _rule(r".*\b(subscribe|sign up)\b.*\bnewsletter\b.*", max_words=20),
    _rule(r".*\bnewsletter\b.*\b(subscribe|sign up|inbox)\b.*", max_words=20),
    _rule(r".*\b(we|this (web)?site|our (web)?site)\s+uses?\s+cookies\b.*", max_words=60),
    _rule(r".*\bcookies?\b.*\b(accept|consent|preferences|policy|settings)\b.*", max_words=40),
    _rule(r"follow us\b.*|like us on\b.*|share (this|on)\b.*|click here\b.*", max_words=15),
    _rule(r"(photo|image|picture|graphic|video)( credit)?\s*:.*|credit\s*:.*", max_words=20),
    _rule(r"(©|\(c\)|copyright\b).*", _Kind.END, 40),
    _rule(r".*\ball rights reserved\b.*", _Kind.END, 40),
    _rule(r"(tags?|topics?|filed under|categories|category|keywords)\s*:.*", _Kind.END, 40),
    _rule(r"about the authors?|author bio(graphy)?|more (articles |stories )?by\b.*", _Kind.END),
    _rule(
        r"(leave|post|add|write) a (reply|comment)|\d*\s*(comments|responses|replies)\s*"
        r"(on|to)\b.*|join the (conversation|discussion)",
        _Kind.END,
    ),
    _rule(
        r"((the )?(latest|top|popular|trending|recent|related|recommended|featured|editor'?s?|"
        r"must|also|more|most|other)\s*(stories|news|articles|posts|headlines|reads?|picks?|"
        r"coverage|read|popular|viewed|shared|commented|on this (topic|story)|in \w+( \w+)?)|"
        r"you (may|might) (also )?(like|be interested in)|don'?t miss|what to read next|"
        r"in other news|more from\b.*|more (stories|news|articles) (from|on|about)\b.*|"
        r"(related|recommended)( for you)?)" + _ARROWS,
        _Kind.LIST,
        8,
    ),
)

#: Author bios close an article: "<Name> is a reporter covering ..." after the story.
_BIO = re.compile(
    r"^(?:[A-Z][\w.'’-]+\s+){1,3}(?:is|was|covers|writes|reports)\b.{0,120}?"
    r"\b(correspondent|reporter|journalist|editor|writer|analyst|contributor|fellow|"
    r"researcher|columnist|author|freelancer)s?\b"
)

#: Common English function words; their density separates prose from lists of names.
_STOP_WORD_TEXT = """
    a about above after again against all also am an and any are as at be because been
    before being below between both but by can could did do does doing down during each few for
    from further had has have having he her here hers him his how i if in into is it its itself
    just may me might more most must my no nor not now of off on once only or other our out over
    own said same says she should so some such than that the their them then there these they
    this those through to too under until up very was we were what when where which while who
    whom why will with would you your"""
STOP_WORDS = frozenset(_STOP_WORD_TEXT.split())

_WORD = re.compile(r"[^\W_]+(?:['’\-][^\W_]+)*")
_TERMINAL = re.compile(r"[.!?…][\"”’')\]]*$")
_SENTENCE_BREAK = re.compile(r"[.!?][\"”’)]?\s+[\"“‘(]?[A-Z]")
# Starts only where a whitespace run starts, so a long run is scanned once, not once per space.
_BREADCRUMB_SEP = re.compile(r"(?<!\s)\s++(?:>|»|›|/|\||::|→)\s++")
_BYLINE = re.compile(
    r"^(?:written\s+)?by\s+(?P<name>[A-Z][\w.'’-]*(?:\s+(?:[A-Z][\w.'’-]*|de|van|von|bin|al|"
    r"and\s+[A-Z][\w.'’-]*))*)\s*(?:$|[|,·•–—\-(/]|\bin\b|\bon\b|\d)",
    re.IGNORECASE,
)
_AUTHOR_LABEL = re.compile(
    r"^(?:author|reporter|writer)s?\s*:\s*(?P<name>[A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*){0,4})",
    re.IGNORECASE,
)

# --- dates -------------------------------------------------------------------------------------

_MONTH = r"(?P<month>" + "|".join(sorted(MONTH_NUMBERS, key=len, reverse=True)) + r")\.?"
_TIME = (
    r"(?:,?\s*(?:at\s+)?(?P<hour>\d{1,2})[:.](?P<minute>\d{2})(?::(?P<second>\d{2}))?"
    r"\s*(?P<ampm>[ap]\.?m\.?)?(?:\s*(?P<tz>UTC|GMT|KST|JST|CST|EST|EDT|PST|PDT|Z|"
    r"[+-]\d{2}:?\d{2}))?)?"
)
_DATE_PATTERNS = tuple(
    re.compile(p, re.IGNORECASE)
    for p in (
        r"\b(?P<year>(?:19|20)\d{2})[-/.](?P<monthnum>\d{1,2})[-/.](?P<day>\d{1,2})"
        r"(?:T|\s+|,\s*)?" + _TIME,
        r"\b"
        + _MONTH
        + r"\s+(?P<day>\d{1,2})(?:st|nd|rd|th)?,?\s+(?P<year>(?:19|20)\d{2})\b"
        + _TIME,
        r"\b(?P<day>\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?"
        + _MONTH
        + r",?\s+(?P<year>(?:19|20)\d{2})\b"
        + _TIME,
    )
)
_TZ_OFFSETS = {"UTC": 0, "GMT": 0, "Z": 0, "KST": 9, "JST": 9, "CST": 8, "EST": -5, "EDT": -4}
_TZ_OFFSETS |= {"PST": -8, "PDT": -7}
_NOT_NAMES = frozenset(MONTH_NUMBERS) | frozenset(WEEKDAYS) | {"then", "now", "contrast", "far"}
_PUBLISHED_LABEL = re.compile(r"\b(published|posted|first published|date|dated)\b", re.I)
_UPDATED_LABEL = re.compile(r"\b(updated|last updated|modified|edited|revised)\b", re.I)


@dataclass(frozen=True, slots=True)
class FoundDate:
    """A date found in a line, with the label that stood before it."""

    value: datetime
    label: str  # "published", "updated" or "" when the line gave none


def _build_datetime(match: re.Match[str]) -> datetime | None:
    groups = match.groupdict()
    month = (
        int(groups["monthnum"])
        if groups.get("monthnum")
        else MONTH_NUMBERS.get((groups.get("month") or "").lower(), 0)
    )
    hour = int(groups["hour"]) if groups.get("hour") else 0
    minute = int(groups["minute"]) if groups.get("minute") else 0
    second = int(groups["second"]) if groups.get("second") else 0
    ampm = (groups.get("ampm") or "").replace(".", "").lower()
    if ampm == "pm" and hour < 12:
        hour += 12
    elif ampm == "am" and hour == 12:
        hour = 0
    tzinfo: timezone | None = None
    tz = groups.get("tz")
    if tz:
        tz_upper = tz.upper()
        if tz_upper in _TZ_OFFSETS:
            offset = _TZ_OFFSETS[tz_upper]
            tzinfo = UTC if offset == 0 else timezone(timedelta(hours=offset))
        else:
            sign = -1 if tz.startswith("-") else 1
            digits = tz[1:].replace(":", "")
            tzinfo = timezone(sign * timedelta(hours=int(digits[:2]), minutes=int(digits[2:])))
    try:
        return datetime(
            int(groups["year"]), month, int(groups["day"]), hour, minute, second, tzinfo=tzinfo
        )
    except ValueError:
        return None


def find_dates(line: str) -> list[FoundDate]:
    """Dates written in one line, each with the "published"/"updated" label before it."""
    found: list[tuple[int, FoundDate]] = []
    taken: list[tuple[int, int]] = []
    for pattern in _DATE_PATTERNS:
        for match in pattern.finditer(line):
            start, end = match.span()
            if any(start < t_end and t_start < end for t_start, t_end in taken):
                continue
            value = _build_datetime(match)
            if value is None:
                continue
            taken.append((start, end))
            found.append((start, FoundDate(value, "")))
    found.sort(key=lambda item: item[0])
    labelled: list[FoundDate] = []
    previous_end = 0
    for start, date in found:
        before = line[previous_end:start]
        label = ""
        if _UPDATED_LABEL.search(before):
            label = "updated"
        elif _PUBLISHED_LABEL.search(before):
            label = "published"
        labelled.append(FoundDate(date.value, label))
        previous_end = start + 1
    return labelled


# --- units and their classes -------------------------------------------------------------------


def _words(text: str) -> list[str]:
    return _WORD.findall(text)


def _chrome_rule(unit: str) -> _ChromeRule | None:
    words = len(_words(unit))
    terminal = bool(_TERMINAL.search(unit))
    for rule in CHROME_RULES:
        if rule.kind is _Kind.LIST and terminal:
            continue  # "More from the ministry came on Tuesday." is a sentence
        if words <= rule.max_words and rule.pattern.fullmatch(unit):
            return rule
    return None


def _is_breadcrumb(unit: str) -> bool:
    parts = _BREADCRUMB_SEP.split(unit)
    if len(parts) < 2 or _TERMINAL.search(unit):
        return False
    return all(0 < len(_words(part)) <= 4 for part in parts)


def _byline_author(unit: str) -> str | None:
    if len(_words(unit)) > 16 or (len(_words(unit)) > 8 and _TERMINAL.search(unit)):
        return None
    match = _BYLINE.match(unit) or _AUTHOR_LABEL.match(unit)
    if not match:
        return None
    name = match.group("name").strip()
    # "By Tuesday, the talks ..." is a sentence, not a byline.
    first = name.split()[0]
    if first.lower() in _NOT_NAMES or first.lower() in STOP_WORDS or len(_words(name)) > 8:
        return None
    return name


def is_metadata_line(line: str) -> bool:
    """True for a short line that is only a date, a byline or a dateline-like label."""
    words = _words(line)
    if not words or len(words) > 16:
        return False
    if _byline_author(line):
        return True
    dates = find_dates(line)
    if not dates:
        return False
    leftover = line
    for pattern in _DATE_PATTERNS:
        leftover = pattern.sub(" ", leftover)
    leftover = re.sub(
        r"\b(published|posted|first|updated|last|modified|edited|date|dated|on|at|am|pm|"
        r"mon|tue|wed|thu|fri|sat|sun)\w*\b",
        " ",
        leftover,
        flags=re.IGNORECASE,
    )
    return len(_words(leftover)) <= 4


#: A line may end in an abbreviation's full stop ("Laptop farms charged in the U.S.").
_ABBREVIATION_END = re.compile(r"(?:\b[A-Z]\.){2,}$")


def looks_like_headline(line: str) -> bool:
    """True for a line shaped like a headline: 3-30 words, capitalised, no closing full stop."""
    words = _words(line)
    if not 3 <= len(words) <= 30 or len(line) > 220:
        return False
    if line.rstrip("\"”’') ").endswith((".", ",", ";", ":")) and not _ABBREVIATION_END.search(line):
        return False
    first = line.lstrip("\"“‘'([ ")[:1]
    return bool(first) and (first.isupper() or first.isdigit())


def _title_case_ratio(line: str) -> float:
    long_words = [w for w in _words(line) if len(w) >= 4]
    if not long_words:
        return 0.0
    return sum(1 for w in long_words if w[0].isupper()) / len(long_words)


#: Languages whose words are not space-separated the English way: density says little there.
_UNSPACED = {"ko", "ja", "zh", "th"}
#: jusText stop lists by ISO 639-1 code, for pages in other languages than English.
_STOPLIST_NAMES = {
    "ru": "Russian",
    "uk": "Ukrainian",
    "de": "German",
    "fr": "French",
    "es": "Spanish",
    "it": "Italian",
    "pt": "Portuguese",
    "nl": "Dutch",
    "pl": "Polish",
    "tr": "Turkish",
    "cs": "Czech",
    "sv": "Swedish",
    "ro": "Romanian",
    "hu": "Hungarian",
    "id": "Indonesian",
}


@lru_cache(maxsize=32)
def _stoplist(language: str) -> frozenset[str] | None:
    """Stop words for a language: English built in, others from jusText; None where unfit."""
    if language == "en" or language not in _STOPLIST_NAMES:
        return None if language in _UNSPACED else STOP_WORDS
    return frozenset(w.lower() for w in justext.get_stoplist(_STOPLIST_NAMES[language]))


def _page_stoplist(text: str) -> frozenset[str] | None:
    code, _ = py3langid.classify(text[:5000])
    return _stoplist(str(code))


def _stop_density(words: list[str], stopwords: frozenset[str] | None = STOP_WORDS) -> float:
    if not words:
        return 0.0
    if stopwords is None:
        return 0.3  # unspaced scripts: length and sentence punctuation decide alone
    return sum(1 for w in words if w.lower() in stopwords) / len(words)


class _Class(Enum):
    GOOD = "good"  # prose paragraph
    NEAR = "near"  # short prose: a sentence or two
    SHORT = "short"  # a few words without sentence punctuation
    CHROME = "chrome"
    META = "meta"  # date, byline


@dataclass(slots=True)
class _Unit:
    text: str
    cls: _Class
    rule: _ChromeRule | None = None
    in_run: bool = False
    headline: bool = False


def _classify(text: str, stopwords: frozenset[str] | None = STOP_WORDS) -> _Unit:
    rule = _chrome_rule(text)
    if rule is not None:
        return _Unit(text, _Class.CHROME, rule)
    if is_metadata_line(text):
        return _Unit(text, _Class.META)
    if _is_breadcrumb(text):
        return _Unit(text, _Class.CHROME)
    words = _words(text)
    density = _stop_density(words, stopwords)
    terminal = bool(_TERMINAL.search(text)) or text.endswith(":")
    headline = looks_like_headline(text)
    if (len(text) >= 100 and terminal and density >= 0.2) or (len(text) >= 250 and density >= 0.25):
        cls = _Class.GOOD
    elif terminal and len(words) >= 4 and density >= 0.1:
        cls = _Class.NEAR
    else:
        cls = _Class.SHORT
    return _Unit(text, cls, headline=headline)


def _clean_line(line: str) -> str:
    line = line.replace("\u00a0", " ").replace("\u200b", "").replace("\ufeff", "")
    line = re.sub(r"^\s*(?:[*•·▪►▶]\s+)", "", line)
    return re.sub(r"\s+", " ", line).strip()


_MIN_WRAP_WIDTH, _MAX_WRAP_WIDTH = 60, 100
#: Words a headline never ends on; a line ending on one goes on in the next line.
_OPEN_ENDINGS = frozenset(
    [
        "a",
        "an",
        "the",
        "of",
        "at",
        "to",
        "in",
        "on",
        "for",
        "with",
        "by",
        "from",
        "and",
        "or",
        "but",
        "as",
        "into",
        "than",
        "that",
        "whose",
        "which",
    ]
)


def _opens_onward(line: str) -> bool:
    """True when a line stops mid-sentence: on an article, preposition or conjunction."""
    words = _words(line)
    return bool(words) and words[-1].lower() in _OPEN_ENDINGS and not _TERMINAL.search(line)


def _is_headline_list(block: list[str]) -> bool:
    """Lines that each open with a capital or a number and none ends mid-sentence: a list."""
    return (
        len(block) >= 2
        and all(
            line[:1].isupper() or line[:1].isdigit() or line[:1] in "[(\"“‘'" for line in block[1:]
        )
        and not any(_opens_onward(line) for line in block[:-1])
    )


def _split_units(text: str) -> list[str]:
    """Paragraph-sized units: blank-line blocks, split into lines unless hard-wrapped."""
    units: list[str] = []
    blocks: list[list[str]] = [[]]
    for raw in text.splitlines():
        line = _clean_line(raw)
        if line:
            blocks[-1].append(line)
        elif blocks[-1]:
            blocks.append([])
    for block in blocks:
        if not block:
            continue
        listed = _is_headline_list(block)
        widths = [len(line) for line in block[:-1]]
        if not listed and widths and min(widths) >= 50 and max(widths) - min(widths) <= 25:
            # A browser wrapped this paragraph at a fixed width.
            units.append(" ".join(block))
            continue
        # Lines as long as the block's widest one were wrapped by the browser, when that width
        # is a plausible wrap width; a line starting in lower case continues the one before.
        width = max(len(line) for line in block)
        current, last_line = block[0], block[0]
        for line in block[1:]:
            at_width = _MIN_WRAP_WIDTH <= width <= _MAX_WRAP_WIDTH and len(last_line) >= width - 15
            continues = (line[:1].islower() and len(last_line) >= 30) or _opens_onward(last_line)
            wrapped = not _TERMINAL.search(last_line) and ((at_width and not listed) or continues)
            if wrapped and _chrome_rule(last_line) is None and _chrome_rule(line) is None:
                current = f"{current} {line}"
            else:
                units.append(current)
                current = line
            last_line = line
        units.append(current)
    return _join_split_sentences(units)


def _join_split_sentences(units: list[str]) -> list[str]:
    """Re-join a sentence that a blank line cut in two (a lead paragraph's first line).

    The first part stops mid-sentence (no closing punctuation and either the next part starts
    in lower case or the first ends on an article or preposition).
    """
    joined: list[str] = []
    for unit in units:
        if joined:
            previous = joined[-1]
            cut = (
                not _TERMINAL.search(previous)
                and len(previous) >= 30
                and (unit[:1].islower() or _opens_onward(previous))
                and _chrome_rule(previous) is None
                and _chrome_rule(unit) is None
                and not is_metadata_line(previous)
            )
            if cut:
                joined[-1] = f"{previous} {unit}"
                continue
        joined.append(unit)
    return joined


_MENU_ITEM_WORDS = 5


def _mark_runs(units: list[_Unit]) -> None:
    """Mark headline lists after a list header, and menus: runs of three or more short lines."""
    i = 0
    while i < len(units):
        unit = units[i]
        if unit.rule is not None and unit.rule.kind is _Kind.LIST:
            j = i + 1
            while j < len(units):
                member = units[j]
                if member.cls is _Class.META and _byline_author(member.text):
                    break
                if member.rule is not None and member.rule.kind is _Kind.LIST:
                    break
                single_sentence = len(member.text) <= 180 and not _SENTENCE_BREAK.search(
                    member.text
                )
                if not single_sentence:
                    break
                member.in_run = True
                j += 1
            i = j
            continue
        i += 1
    # Menus: three or more short link-like lines in a row, chrome words among them (dates
    # between them do not break the run).
    run: list[int] = []
    for index, unit in enumerate([*units, _Unit("", _Class.GOOD)]):
        link_like = unit.cls is _Class.SHORT and len(_words(unit.text)) <= _MENU_ITEM_WORDS
        if link_like or (unit.cls is _Class.CHROME and unit.rule is not None):
            run.append(index)
        elif unit.cls is _Class.META and not _byline_author(unit.text) and run:
            continue
        else:
            if len(run) >= 3 and any(units[k].cls is _Class.SHORT for k in run):
                for k in run:
                    units[k].in_run = True
            run = []


def _find_title(units: list[_Unit], body_start: int) -> int | None:
    """Walk back from the body over meta lines to the nearest headline-shaped line."""
    candidates: list[int] = []
    for index in range(body_start - 1, max(-1, body_start - 12), -1):
        unit = units[index]
        if unit.rule is not None and unit.rule.kind is not _Kind.CHROME:
            break
        if unit.cls in (_Class.META, _Class.CHROME) and not (unit.in_run and unit.headline):
            continue
        if unit.headline and unit.cls is not _Class.GOOD:
            candidates.append(index)
            if unit.in_run or len(candidates) == 2:
                break
            continue
        if unit.cls is _Class.NEAR and not unit.in_run:
            continue
        break
    if not candidates:
        return None
    if len(candidates) == 2:
        near, far = candidates
        # A headline precedes its standfirst; the standfirst only wins when it is the one
        # written in title case.
        if _title_case_ratio(units[near].text) > _title_case_ratio(units[far].text) + 0.3:
            return near
        return far
    return candidates[0]


def _pick_date(units: list[_Unit], title: int | None, body_start: int) -> datetime | None:
    head_start = title if title is not None else max(0, body_start - 6)
    windows = (range(head_start, min(len(units), body_start + 3)), range(len(units)))
    for window in windows:
        dated: list[FoundDate] = []
        for index in window:
            unit = units[index]
            if unit.cls is _Class.GOOD or (unit.in_run and index < head_start):
                continue
            if len(_words(unit.text)) > 20:
                continue
            found = find_dates(unit.text)
            if unit.cls in (_Class.META, _Class.CHROME) or any(d.label for d in found):
                dated.extend(found)
        if dated:
            for label in ("published", ""):
                for date in dated:
                    if date.label == label:
                        return date.value
            return dated[0].value
    return None


#: A list item's number and section label: "1 BUSINESS", "02. WORLD", "[LATEST]".
_ITEM_PREFIX = re.compile(
    r"^(?:\(?\d{1,2}[.)]?\s+)?(?:\[[^\]]{1,24}\]\s*)?"
    r"(?:[A-Z][A-Z&/-]{2,}(?:\s+[A-Z][A-Z&/-]{2,})?\s+(?=[A-Z0-9\"“‘']))?"
)
_TEASER_CHARS = 200
_HEADER_WORDS = 6
#: This many headlines in a run, with nothing but list headers, one-sentence teasers and chrome
#: between them, make a headline list.
_MIN_HEADLINES = 3


def _is_list_item(unit: _Unit) -> bool:
    """A headline in a list: headline-shaped once its number and section label are off."""
    if unit.cls is _Class.GOOD or len(unit.text) > 220 or _SENTENCE_BREAK.search(unit.text):
        return False
    rest = _ITEM_PREFIX.sub("", unit.text, count=1)
    if looks_like_headline(rest):
        return True
    # "1. Why Market Traders Fear the New Rules." - numbered and in title case.
    numbered = rest != unit.text and unit.text[:1].isdigit()
    return numbered and len(_words(rest)) >= 3 and _title_case_ratio(rest) >= 0.6


def _headline_run(units: list[_Unit], start: int) -> int:
    """How many headlines the list starting at ``start`` holds (0 when none starts there).

    Structure decides, not the header's wording: list headers (a few words, no sentence
    ending), headlines with or without numbers and section labels, one-sentence teasers after
    a headline, and chrome lines, in any order, repeated or not.
    """
    headlines = 0
    after_headline = False
    for unit in units[start:]:
        if _is_list_item(unit):
            headlines += 1
            after_headline = True
            continue
        if unit.cls in (_Class.CHROME, _Class.META):
            after_headline = False
            continue
        words = _words(unit.text)
        if unit.cls is _Class.SHORT and len(words) <= _HEADER_WORDS:
            after_headline = False
            continue
        teaser = unit.cls is _Class.NEAR and len(unit.text) <= _TEASER_CHARS
        if teaser and after_headline and not _SENTENCE_BREAK.search(unit.text):
            after_headline = False
            continue
        break
    return headlines


def _closing_author(units: list[_Unit], end: int) -> str | None:
    """The author of an e-mail sign-off at or just after where the body ends."""
    for index in range(end, min(len(units), end + 3)):
        unit = units[index]
        if unit.rule is not None and unit.rule.kind is _Kind.END and "@" in unit.text:
            return _sign_off_author(units, index)
    return None


def _sign_off_author(units: list[_Unit], index: int) -> str | None:
    """The author an e-mail sign-off names: on its own line or on the line above."""
    unit = units[index]
    name = unit.text.split("@", 1)[0].rsplit(None, 1)[0] if " " in unit.text else ""
    name = re.sub(r"^by\s+", "", name, flags=re.IGNORECASE).strip()
    if not _looks_like_name(name) and index > 0:
        name = units[index - 1].text
    return name if _looks_like_name(name) else None


def _looks_like_name(text: str) -> bool:
    words = text.split()
    return (
        1 <= len(words) <= 4
        and len(text) <= 40
        and all(w[:1].isupper() for w in words)
        and not any(ch.isdigit() for ch in text)
        and not _TERMINAL.search(text)
    )


def _is_body_candidate(unit: _Unit) -> bool:
    return unit.cls in (_Class.GOOD, _Class.NEAR, _Class.SHORT) and not unit.in_run


def extract_text_page(text: str) -> TextExtract | None:
    """The article in a plain-text page, or None when no article body remains."""
    stopwords = _page_stoplist(text)
    units = [_classify(u, stopwords) for u in _split_units(text)]
    _mark_runs(units)
    goods = [i for i, u in enumerate(units) if u.cls is _Class.GOOD and not u.in_run]
    if not goods:
        return None
    body_start = goods[0]
    title_index = _find_title(units, body_start)
    if title_index is not None:
        for unit in units[title_index + 1 : body_start + 1]:
            unit.in_run = False
        # A short lede paragraph between the head and the first long paragraph is body too.
        first = title_index + 1
        while first < body_start and not _is_body_candidate(units[first]):
            first += 1
        for index in range(first, body_start):
            if units[index].cls is _Class.NEAR:
                body_start = index
                break

    author: str | None = None
    head_from = title_index if title_index is not None else max(0, body_start - 6)
    for unit in units[head_from : body_start + 1]:
        author = author or _byline_author(unit.text)

    body: list[str] = []
    pending_short: list[str] = []
    body_end = body_start
    for index in range(body_start, len(units)):
        unit = units[index]
        closing = unit.rule is not None and unit.rule.kind is not _Kind.CHROME
        if body and (closing or _headline_run(units, index) >= _MIN_HEADLINES):
            author = author or _closing_author(units, index)
            break
        if _is_author_bio(unit.text, author) and body:
            break
        if not _is_body_candidate(unit):
            continue
        if unit.cls is _Class.SHORT:
            # A subheading stays only when prose follows it.
            if len(_words(unit.text)) >= 2:
                pending_short.append(unit.text)
            continue
        body.extend(pending_short)
        pending_short = []
        body.append(unit.text)
        body_end = index + 1
    if not body:
        return None
    published = _pick_date(units, title_index, goods[0])
    title = units[title_index].text if title_index is not None else None
    kept = set(body)
    head = tuple(u.text for u in units[:body_start] if u.text != title and u.text not in kept)
    tail_units = units[body_end : body_end + _TAIL_UNITS]
    tail = tuple(u.text for u in tail_units if u.text not in kept)
    return TextExtract(
        title=title,
        text="\n\n".join(body),
        published=published,
        author=author,
        head=head,
        tail=tail,
    )


#: Units after the body that may still carry its credit line.
_TAIL_UNITS = 6


def _is_author_bio(text: str, author: str | None) -> bool:
    if len(text) > 600:
        return False
    if _BIO.match(text):
        return True
    if not author:
        return False
    return text.startswith(f"{author} ") and " is " in text[: len(author) + 8]
