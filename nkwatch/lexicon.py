"""Number, month and weekday words, the shape of a web address and of a wire dateline, shared by
the stages that read them in text."""

from __future__ import annotations

import re

#: A web address written out in text ("https://…", "www.…"), up to a space, a quote or markup.
WEB_ADDRESS = re.compile(r"(?:https?://|www\.)[^\s<>\"]+", re.IGNORECASE)

_MONTH_WORDS = (
    ("january", "jan"),
    ("february", "feb"),
    ("march", "mar"),
    ("april", "apr"),
    ("may",),
    ("june", "jun"),
    ("july", "jul"),
    ("august", "aug"),
    ("september", "sep", "sept"),
    ("october", "oct"),
    ("november", "nov"),
    ("december", "dec"),
)
#: Month names and their abbreviations ("sept" too), lower-case, to the month's number.
MONTH_NUMBERS: dict[str, int] = {
    name: number for number, names in enumerate(_MONTH_WORDS, start=1) for name in names
}
#: The months' full names, lower-case, January first.
MONTH_NAMES = tuple(names[0] for names in _MONTH_WORDS)
#: Weekday names, lower-case, Monday first (the order of ``date.weekday()``).
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")

#: English number words from zero to ninety (the tens above nineteen only).
NUMBER_WORDS: dict[str, int] = {
    "zero": 0,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
}


_MONTH = "|".join(sorted((name.capitalize() for name in MONTH_NUMBERS), key=len, reverse=True))
#: A wire dateline's places and date, the part every stage reads the same way: the cities in
#: capitals ("SEOUL", "SEOUL/WASHINGTON", "NEW YORK"), up to two places after them ("ERIE, Pa.",
#: "RAMALLAH, West Bank", "CHEORWON, South Korea"), then the filing day when given ("Oct 19",
#: "Sept. 15, 2017", "12 Oct 2024"). Groups: ``places`` (the cities), ``month`` and ``day`` or
#: ``day_first`` and ``month_after``, ``year``. A pattern to embed; each stage adds what must
#: follow (the agency in brackets, the dash) and compiles it.
DATELINE_HEAD = (
    r"(?!(?:KST|JST|GMT|UTC|EST|EDT|CST|PST|PDT|CET|BST)\b)"
    # every part bounded, so that a search costs a bounded time at each capital ("A-A-A-…")
    r"(?P<places>[A-Z][A-Z.'’\-]{1,30}(?:[ \u00a0][A-Z][A-Z.'’\-]{1,30}){0,3}"
    r"(?:/[A-Z][A-Z.'’\-]{1,30}(?:[ \u00a0][A-Z][A-Z.'’\-]{1,30}){0,3}){0,3})"
    rf"(?:,[ \u00a0]+(?!(?:{_MONTH})\b)[A-Z][\w.'’\-]{{0,20}}"
    r"(?:[ \u00a0][A-Z][\w.'’\-]{0,20}){0,2}){0,2}"
    rf"(?:,?[ \u00a0]+(?:(?P<month>{_MONTH})\.?[ \u00a0](?P<day>\d{{1,2}})\b"
    rf"|(?P<day_first>\d{{1,2}})[ \u00a0](?P<month_after>{_MONTH})\b\.?)"
    r"(?:,?[ \u00a0](?P<year>\d{4})\b)?)?"
)
#: A whole dateline at the start of a line or sentence: :data:`DATELINE_HEAD`, the outlet in
#: brackets when given (group ``outlet``: "(Reuters)", "(Hanbando Wire)"), then a dash.
DATELINE = re.compile(
    rf"{DATELINE_HEAD}[ \u00a0]*(?:\((?P<outlet>[^()\n]{{2,40}})\)[ \u00a0]*)?(?:-{{1,2}}|[—–])"
)


def dateline_day(match: re.Match[str]) -> tuple[int, int, int | None] | None:
    """(month, day, year or None) of a :data:`DATELINE_HEAD` match that gives a filing day."""
    month = match.group("month") or match.group("month_after")
    day = match.group("day") or match.group("day_first")
    if not month or not day:
        return None
    year = match.group("year")
    return MONTH_NUMBERS[month.lower()], int(day), int(year) if year else None
