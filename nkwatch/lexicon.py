"""Number, month and weekday words and the shape of a web address, shared by the stages that
read them in text."""

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
