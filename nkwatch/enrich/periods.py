"""The time a figure is about: a period phrase resolved against the article's date.

Reads a period phrase as the extractor wrote it ("in the summer", "last year", "since 2023",
"two years ago", "by the end of 2024", "between 2015 and 2020") and the article's publication
date, and returns the span of dates the claim covers. Calendar words (months, years, weekdays,
"last month", "N years ago") are read by dateparser (already a dependency through htmldate, and
the reference parser for relative English dates); what it does not read (decades, seasons,
"early/mid/late 2024", "the past three years", the word that says whether a span starts, ends or
contains the claim) is handled here. Rates ("per month", "annually", "year-on-year") describe a
unit, not a time, and resolve to nothing.
"""

from __future__ import annotations

import calendar
import logging
import re
from datetime import date, datetime, timedelta
from functools import lru_cache

from dateparser.date import DateDataParser

from nkwatch.lexicon import DATELINE, MONTH_NUMBERS, NUMBER_WORDS, WEEKDAYS, dateline_day

logger = logging.getLogger(__name__)

Span = tuple[date, date]

_NUMBERS = {"a": 1, "an": 1, **NUMBER_WORDS, "several": 3, "few": 3}
_SEASONS = {
    "spring": (3, 5),
    "summer": (6, 8),
    "autumn": (9, 11),
    "fall": (9, 11),
    "winter": (12, 2),
}
_RATE = re.compile(
    r"^(?:per|a|an|each|every)\s|^(?:monthly|annually|yearly|daily|weekly|overnight)$|"
    r"year[\s-](?:on|over)[\s-]year",
    re.IGNORECASE,
)
_LEAD = re.compile(
    r"^(?P<word>since|by|until|before|in|during|through|throughout|from|at|on|over|within|for|"
    r"so\s+far|so\s+far\s+in|so\s+far\s+this)?\s*(?P<rest>.*)$",
    re.IGNORECASE,
)
_BETWEEN = re.compile(r"^(?:between|from)\s+(\d{4})\s+(?:and|to|-|–)\s+(\d{4})$", re.IGNORECASE)
_DECADE = re.compile(r"^(?:the\s+)?(?:(early|late|mid)-?\s*)?(\d{3})0'?s$", re.IGNORECASE)
_OWN_YEAR = re.compile(
    r"(?<!\d)[12]\d{3}(?!\d)|\b(?:\d{1,2}(?:st|nd|rd|th)|[a-z]+th)\s+century\b", re.IGNORECASE
)
_FROM_PUBLISHED = re.compile(
    r"\b(?:since|so\s+far|until|through|last|next|this|past|previous|coming|ago|earlier|later|now)\b",
    re.IGNORECASE,
)
#: The day a phrase that names its own year is read against when the article has no date.
_NO_DATE = date(2999, 12, 31)
_CENTURY = re.compile(r"^(?:the\s+)?(?:(\d{1,2})(?:st|nd|rd|th)|([a-z-]+))\s+century$", re.I)
_ORDINALS = {
    word: number
    for number, word in enumerate(
        (
            *("first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth"),
            *("ninth", "tenth", "eleventh", "twelfth", "thirteenth", "fourteenth", "fifteenth"),
            *("sixteenth", "seventeenth", "eighteenth", "nineteenth", "twentieth"),
            *("twenty-first", "twenty-second"),
        ),
        1,
    )
}
_YEAR_ALONE = re.compile(r"^the\s+(\d{4})$", re.IGNORECASE)
#: A day of the week named by its place: "to begin the week" (Monday), "at the end of last week"
#: (Friday of the week before).
_WEEK_EDGE = re.compile(
    r"^(?:to\s+|the\s+)?(begin|start|open|end|close|beginning)(?:\s+of)?\s+(?:the\s+|this\s+|(last)\s+)?"
    r"week$",
    re.IGNORECASE,
)
_PART_YEAR = re.compile(r"^(?:the\s+)?(early|late|mid)-?\s*(\d{4})$", re.IGNORECASE)
_EDGE = re.compile(
    r"^(?:the\s+)?(end|start|beginning|middle|first\s+half|second\s+half|"
    r"(first|second|third|fourth|last)\s+quarter)(?:\s+of\s+(?:the\s+)?(.+))?$",
    re.IGNORECASE,
)
_SEASON = re.compile(
    r"^(?:(this|last|the|the\s+past|the\s+previous|next)\s+)?(spring|summer|autumn|fall|winter)"
    r"(?:\s+of\s+(\d{4}))?$",
    re.IGNORECASE,
)
_PAST_SPAN = re.compile(
    r"^(?:(?:the\s+)?(?:past|previous)|the\s+last)\s+(?:(\w+)\s+)?(day|week|month|year|decade)s?$"
    r"|^last\s+(\w+)\s+(day|week|month|year|decade)s$",
    re.IGNORECASE,
)
_AGO = re.compile(r"^(\w+)\s+(day|week|month|year|decade)s?\s+ago$", re.IGNORECASE)
_YEAR_BEFORE = re.compile(r"^the\s+(year|month|week|day)\s+(?:before|earlier)$", re.IGNORECASE)
_INNER_DATE = re.compile(
    r"(?:the\s+)?(?:spring|summer|autumn|fall|winter)\s+of\s+\d{4}\b"
    r"|(?:(?:early|mid|late)-?\s*)?\d{4}s?\b|(?:January|February|March|April|May|June|July|August|"
    r"September|October|November|December)(?:\s+\d{4})?",
)
_FIRST_MONTHS = re.compile(
    r"^the\s+(first|last|past)\s+(?:(\w+)\s+)?(month|quarter)s?\s+of\s+(?:the\s+|this\s+)?"
    r"(year|last\s+year|\d{4})$",
    re.IGNORECASE,
)
_MONTH_RANGE = re.compile(
    r"^(?:between|from)\s+([A-Za-z]+)(?:\s+(\d{4}))?\s+(?:and|to|-|–)\s+([A-Za-z]+)(?:\s+(\d{4}))?$",
    re.IGNORECASE,
)
_WEEKDAY = re.compile(
    r"^(?P<shift>last\s+|next\s+|this\s+past\s+)?(?:early\s+|late\s+)?"
    r"(?P<day>monday|tuesday|wednesday|thursday|friday|saturday|sunday)"
    r"(?:\s+(?:morning|afternoon|evening|night))?$",
    re.IGNORECASE,
)
_DAY_LAST_YEAR = re.compile(r"^([A-Za-z]+\.?)\s+(\d{1,2})(?:st|nd|rd|th)?\s+last\s+year$", re.I)
_QUARTERS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "last": 4}
#: Holidays on a fixed calendar day (month, day); movable feasts are not placed.
FIXED_HOLIDAYS = {
    "new year's day": (1, 1),
    "new year's eve": (12, 31),
    "valentine's day": (2, 14),
    "fourth of july": (7, 4),
    "bastille day": (7, 14),
    "halloween": (10, 31),
    "christmas eve": (12, 24),
    "christmas day": (12, 25),
    "boxing day": (12, 26),
}


#: A wire dateline that gives the day the story was filed, at the start of a line: "SEOUL,
#: Oct 21 (Agency) -", "ERIMO, Japan, Oct. 19, 2017 (Agency) -", "PYONGYANG, March 3 -".
_FILED_RE = re.compile(rf"^(?:{DATELINE.pattern})[ ]", re.MULTILINE)
#: How far a dateline's day may lie from the page's time stamp: a day ahead (filed in a time
#: zone ahead of the stamp's), or up to a month behind (a page that re-posts an earlier report).
_FILED_AHEAD, _FILED_BEHIND = 1, 31


def filed_day(text: str, published: date | None) -> date | None:
    """The day a wire story was filed, from a dateline in its first lines, else ``published``.

    "SEOUL, Oct 21 (Agency) - ... on Wednesday" on a page stamped Oct 20 in UTC is about
    Wednesday Oct 21, not the Wednesday of the week before: relative days are read against the
    filing day. A dateline far from the time stamp, or one without a year on an undated page, is
    not trusted and the page's date stays.
    """
    filed_on = next(
        (given for found in _FILED_RE.finditer(text, 0, 600) if (given := dateline_day(found))),
        None,
    )
    if filed_on is None:
        return published
    month, day, stated_year = filed_on
    if stated_year is not None:
        years = [stated_year]
    elif published is not None:
        years = [published.year, published.year - 1, published.year + 1]
    else:
        return published
    for year in years:
        try:
            filed = date(year, month, day)
        except ValueError:
            continue
        if published is None or -_FILED_BEHIND <= (filed - published).days <= _FILED_AHEAD:
            return filed
    return published


def resolve(phrase: str | None, published: date | None) -> Span | None:
    """The ``(start, end)`` dates ``phrase`` covers, read against ``published``; or ``None``."""
    if not phrase:
        return None
    if published is None:
        # With no publication date only a phrase that names its own year can be placed ("in
        # 2016", "the 1300s"), never one read from the article's day ("since 2015", "last May").
        if not _OWN_YEAR.search(phrase) or _FROM_PUBLISHED.search(phrase):
            return None
        published = _NO_DATE
    if isinstance(published, datetime):
        published = published.date()
    try:
        # "fourth-quarter net income" is the fourth quarter.
        words = " ".join(phrase.split())
        return _resolve(re.sub(r"-(?=quarter\b)", " ", words, flags=re.IGNORECASE), published)
    except (OverflowError, ValueError):
        # A date near the calendar's ends ("last week" of year 1, a season of year 0): the
        # period cannot be placed, and the figure keeps its words without dates.
        return None


@lru_cache(maxsize=4096)
def _resolve(phrase: str, published: date) -> Span | None:
    if _RATE.search(phrase):
        return None
    months = _MONTH_RANGE.match(phrase)
    if months:
        return _month_range(months, published)
    between = _BETWEEN.match(phrase)
    if between:
        first, last = int(between.group(1)), int(between.group(2))
        return (date(first, 1, 1), date(last, 12, 31)) if first <= last else None
    lead = _LEAD.match(phrase)
    word = (lead.group("word") or "").lower() if lead else ""
    rest = lead.group("rest").strip() if lead else phrase
    span = _calendar_span(rest, published)
    if span is None:
        # "since the first units arrived in late 2024": the date inside the clause.
        inner = _INNER_DATE.findall(rest)
        span = _calendar_span(inner[-1], published) if inner else None
    if span is None:
        return None
    start, end = span
    if word == "since":
        return start, max(start, published)
    if word.startswith("so"):
        # "so far this year" is a running total up to the article's date, as "since" is.
        return start, max(start, min(end, published))
    if word in {"until", "before"} and not rest.lower().startswith("the past"):
        return end, end
    if word == "within":
        return published, published
    return start, end


def _calendar_span(text: str, published: date) -> Span | None:
    lowered = text.lower()
    if lowered in {"year-to-date", "year to date"}:
        return date(published.year, 1, 1), published
    if lowered.startswith(("this ", "so far this ")) and lowered.split()[-1] in {"year", "month"}:
        if lowered.split()[-1] == "year":
            return date(published.year, 1, 1), date(published.year, 12, 31)
        return published.replace(day=1), _month_end(published.year, published.month)
    found = _WEEKDAY.match(text)
    if found:
        # A bare day is the latest such day on or before the article's date. News names a day
        # of the article's own week bare, so "last Tuesday" is the previous week's Tuesday,
        # "this past Sunday" the latest one before the article, "next Tuesday" the first after.
        named = WEEKDAYS.index(found.group("day").lower())
        shift = (found.group("shift") or "").split()
        word = shift[0].lower() if shift else ""
        if word == "next":
            weekday = published + timedelta(days=(named - published.weekday()) % 7 or 7)
        elif word == "last":
            weekday = published - timedelta(days=published.weekday() + 7 - named)
        else:
            weekday = published - timedelta(
                days=(published.weekday() - named) % 7 or (7 if word else 0)
            )
        return weekday, weekday
    if lowered in {"today", "tonight"}:
        return published, published
    holiday = FIXED_HOLIDAYS.get(lowered.replace("’", "'").removeprefix("the "))
    if holiday is not None:
        # The latest such day on or before the article's date.
        year = published.year if holiday <= (published.month, published.day) else published.year - 1
        day = date(year, *holiday)
        return day, day
    if lowered == "yesterday":
        return published - timedelta(days=1), published - timedelta(days=1)
    found = _DAY_LAST_YEAR.match(text)
    if found:
        month = MONTH_NUMBERS.get(found.group(1).lower().rstrip("."))
        day_number = int(found.group(2))
        if month is None or day_number > calendar.monthrange(published.year - 1, month)[1]:
            return None
        day = date(published.year - 1, month, day_number)
        return day, day
    if lowered in {"next week", "next month", "next year"}:
        # The coming calendar week, month or year after the article's date.
        if lowered == "next week":
            monday = published + timedelta(days=7 - published.weekday())
            return monday, monday + timedelta(days=6)
        if lowered == "next month":
            year, month = divmod(published.year * 12 + published.month, 12)
            return date(year, month + 1, 1), _month_end(year, month + 1)
        return date(published.year + 1, 1, 1), date(published.year + 1, 12, 31)
    if lowered == "this week":
        return published - timedelta(days=published.weekday()), published
    if lowered in {"the weekend", "weekend"}:
        saturday = published - timedelta(days=(published.weekday() - 5) % 7)
        return saturday, saturday + timedelta(days=1)
    found = _FIRST_MONTHS.match(text)
    if found:
        which = found.group(4).lower()
        year = (
            int(which)
            if which.isdigit()
            else published.year - (1 if which.startswith("last") else 0)
        )
        count = _count(found.group(2) or "one")
        if count is None:
            return None
        months = count * (3 if found.group(3).lower() == "quarter" else 1)
        if months < 1 or months > 12:
            return None
        if found.group(1).lower() == "first":
            return date(year, 1, 1), _month_end(year, months)
        return date(year, 13 - months, 1), date(year, 12, 31)
    found = _CENTURY.match(text)
    if found:
        # "the 14th century", "the fourteenth century": 1300 to 1399.
        count = int(found.group(1)) if found.group(1) else _ORDINALS.get(found.group(2).lower())
        if count is None or not 1 <= count <= 30:
            return None
        return date((count - 1) * 100 or 1, 1, 1), date((count - 1) * 100 + 99, 12, 31)
    found = _YEAR_ALONE.match(text)
    if found:
        # "during the 2018 flu season": the year the phrase names.
        year = int(found.group(1))
        return date(year, 1, 1), date(year, 12, 31)
    found = _WEEK_EDGE.match(text)
    if found:
        monday = published - timedelta(days=published.weekday())
        if found.group(2):
            monday -= timedelta(days=7)
        if found.group(1).lower() not in {"begin", "beginning", "start", "open"}:
            monday += timedelta(days=4)  # the end of a working week: its Friday
        return monday, monday
    found = _DECADE.match(text)
    if found:
        first = int(found.group(2)) * 10
        part = (found.group(1) or "").lower()
        if first % 100 == 0 and first < 2000 and not part:
            # "the 1300s", "the 1800s": a century; "the 2000s" is read as its first decade.
            return date(first, 1, 1), date(first + 99, 12, 31)
        low, high = {"early": (0, 3), "mid": (3, 6), "late": (6, 9)}.get(part, (0, 9))
        return date(first + low, 1, 1), date(first + high, 12, 31)
    found = _PART_YEAR.match(text)
    if found:
        year = int(found.group(2))
        first_month, last_month = {"early": (1, 4), "mid": (5, 8), "late": (9, 12)}[
            found.group(1).lower()
        ]
        return date(year, first_month, 1), _month_end(year, last_month)
    found = _EDGE.match(text)
    if found:
        return _edge_span(found, published)
    found = _SEASON.match(text)
    if found:
        return _season_span(found, published)
    found = _PAST_SPAN.match(text)
    if found:
        count = _count(found.group(1) or found.group(3) or "one")
        if count is None:
            return None
        unit = (found.group(2) or found.group(4)).lower()
        return _shift(published, unit, count), published
    found = _YEAR_BEFORE.match(text)
    if found:
        back = _shift(published, found.group(1).lower(), 1)
        return back, back
    found = _AGO.match(text)
    if found:
        count = _count(found.group(1))
        if count is None:
            return None
        back = _shift(published, found.group(2).lower(), count)
        return back, back
    return _dateparser_span(text, published)


def _month_range(found: re.Match[str], published: date) -> Span | None:
    first = MONTH_NUMBERS.get(found.group(1).lower())
    last = MONTH_NUMBERS.get(found.group(3).lower())
    if first is None or last is None:
        return None
    end_year = int(found.group(4) or found.group(2) or 0) or (
        published.year if last <= published.month else published.year - 1
    )
    start_year = int(found.group(2)) if found.group(2) else end_year - (1 if first > last else 0)
    return date(start_year, first, 1), _month_end(end_year, last)


def _edge_span(found: re.Match[str], published: date) -> Span | None:
    of = (found.group(3) or "").lower().strip()
    month = _MONTH_OF.match(of)
    if month:
        return _month_edge(found.group(1).lower(), month, published)
    if of in {"", "year", "this year"}:
        year = published.year
    elif of == "last year":
        year = published.year - 1
    elif of.isdigit() and len(of) == 4:
        year = int(of)
    else:
        return None
    edge = found.group(1).lower()
    if found.group(2):
        quarter = _QUARTERS[found.group(2).lower()]
        return date(year, 3 * quarter - 2, 1), _month_end(year, 3 * quarter)
    if edge == "end":
        return date(year, 12, 31), date(year, 12, 31)
    if edge in {"start", "beginning"}:
        return date(year, 1, 1), date(year, 1, 31)
    if edge == "first half":
        return date(year, 1, 1), date(year, 6, 30)
    if edge == "second half":
        return date(year, 7, 1), date(year, 12, 31)
    return date(year, 6, 1), date(year, 7, 31)


_MONTH_OF = re.compile(
    r"(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?(?:\s+(\d{4}))?$"
)
_MONTH_NUMBER = {
    name: number
    for number, name in enumerate(
        ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), 1
    )
}


def _month_edge(edge: str, month: re.Match[str], published: date) -> Span | None:
    """ "the start of September", "the second half of October 2025": part of one month, the
    latest such month on or before the article when no year is given."""
    number = _MONTH_NUMBER[month.group(1)]
    if month.group(2):
        year = int(month.group(2))
    else:
        year = published.year if number <= published.month else published.year - 1
    last = _month_end(year, number).day
    parts = {
        "start": (1, 10),
        "beginning": (1, 10),
        "middle": (11, 20),
        "end": (21, last),
        "first half": (1, 15),
        "second half": (16, last),
    }
    part = parts.get(" ".join(edge.split()))
    if part is None:
        return None  # "the third quarter of May" means nothing
    return date(year, number, part[0]), date(year, number, part[1])


def _season_span(found: re.Match[str], published: date) -> Span:
    first, last = _SEASONS[found.group(2).lower()]
    if found.group(3):
        year = int(found.group(3))
    else:
        # The season most recently begun before the article ("in the summer", in October, is
        # this year's); "last summer" when that season is still running is the year before.
        year = published.year if published.month >= first else published.year - 1
        which = (found.group(1) or "").lower()
        if which in {"last", "the past", "the previous"} and published.month in range(
            first, (last if last > first else 12) + 1
        ):
            year -= 1
        if which == "next":
            year += 1
    end_year = year + 1 if last < first else year
    return date(year, first, 1), _month_end(end_year, last)


def _dateparser_span(text: str, published: date) -> Span | None:
    if not re.search(
        r"\d{4}|january|february|march|april|may|june|july|august|september|october|"
        r"november|december|jan|feb|mar|apr|jun|jul|aug|sept?|oct|nov|dec|monday|tuesday|"
        r"wednesday|thursday|friday|saturday|sunday|yesterday|today|last\s+\w+|ago",
        text,
        re.IGNORECASE,
    ):
        return None
    parsed = _parser(published).get_date_data(text)
    if parsed.date_obj is None:
        return None
    day = _year_of_day(text, parsed.date_obj.date(), published) if parsed.period == "day" else None
    day = day or parsed.date_obj.date()
    if parsed.period == "year":
        if re.search(r"\bago\b", text, re.IGNORECASE):
            return day, day
        return date(day.year, 1, 1), date(day.year, 12, 31)
    if parsed.period == "month":
        if re.search(r"\bago\b", text, re.IGNORECASE):
            return day, day
        return day.replace(day=1), _month_end(day.year, day.month)
    if parsed.period == "week":
        return day - timedelta(days=day.weekday()), day - timedelta(days=day.weekday()) + timedelta(
            6
        )
    return day, day


#: How far after the article's date a day named without a year may lie and still be read in the
#: article's year: a dateline a time zone ahead ("SEOUL, Oct 21" on a page stamped Oct 20 UTC),
#: a meeting set for the coming weeks.
_AHEAD_DAYS = 45
_NAMES_YEAR_RE = re.compile(r"\b\d{4}\b|\b(?:ago|last|next|this|yesterday|tomorrow)\b", re.I)


def _year_of_day(text: str, day: date, published: date) -> date | None:
    """A calendar day named without its year ("Oct 21", "on March 3") lies in the article's year
    when that puts it at most ``_AHEAD_DAYS`` after the article; dateparser, told to prefer the
    past, would move a dateline one day ahead of its page's time stamp back a whole year."""
    if _NAMES_YEAR_RE.search(text) or day >= published:
        return None
    if day.month == 2 and day.day == 29 and not calendar.isleap(published.year):
        return None
    this_year = day.replace(year=published.year)
    if 0 <= (this_year - published).days <= _AHEAD_DAYS:
        return this_year
    return None


@lru_cache(maxsize=64)
def _parser(published: date) -> DateDataParser:
    base = datetime(published.year, published.month, published.day)
    return DateDataParser(
        languages=["en"], settings={"PREFER_DATES_FROM": "past", "RELATIVE_BASE": base}
    )


def _count(word: str) -> int | None:
    word = word.lower()
    if word.isdigit():
        return int(word) if int(word) <= 1000 else None
    return _NUMBERS.get(word)


def _shift(day: date, unit: str, count: int) -> date:
    if unit == "day":
        return day - timedelta(days=count)
    if unit == "week":
        return day - timedelta(weeks=count)
    months = count * {"month": 1, "year": 12, "decade": 120}[unit]
    index = day.year * 12 + day.month - 1 - months
    year, month = divmod(index, 12)
    if year < 1:
        return date(1, 1, 1)
    month += 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def overlaps(first: Span, second: Span) -> bool:
    """Whether two spans share a day."""
    return first[0] <= second[1] and second[0] <= first[1]
