"""Sentence splitting shared by the stages that quote sentences (digest leads, summaries)."""

from __future__ import annotations

import re

# Abbreviations after which a full stop does not end a sentence.
_ABBREVIATIONS = {
    "mr",
    "mrs",
    "ms",
    "dr",
    "prof",
    "gen",
    "lt",
    "col",
    "maj",
    "capt",
    "sgt",
    "rep",
    "sen",
    "gov",
    "st",
    "jr",
    "sr",
    "no",
    "vs",
    "etc",
    "inc",
    "ltd",
    "co",
    "corp",
    "jan",
    "feb",
    "mar",
    "apr",
    "jun",
    "jul",
    "aug",
    "sep",
    "sept",
    "oct",
    "nov",
    "dec",
    "u.s",
    "u.k",
    "u.n",
    "e.g",
    "i.e",
    "approx",
    "est",
    "dept",
    "min",
    "gov't",
}
# Clock times: "at 8:10 a.m. (2310 GMT)" continues the sentence; "at 8:10 a.m. The" ends it.
_CLOCK = {"a.m", "p.m"}
_CANDIDATE = re.compile(r"([.!?。？！]['\"”’)\]]*)(\s+)(?=[\"“‘'(\[]?[A-Z0-9\u3131-\ud7a3])")


_WORD_CHAR = re.compile(r"[\w.'’]")
_CLOSERS = frozenset("'\"”’)]")
_ENDS = frozenset(".!?。？！")


def _last_word(paragraph: str, start: int, end: int) -> str:
    """The word (letters, digits, dots, apostrophes) ending at the stop before ``end``.

    ``paragraph[start:end]`` ends with a stop and any closing quotes or brackets. The word is
    read backwards from the stop, so each character is looked at once, however long the run of
    letters or digits before it.
    """
    stop = end
    while stop > start and paragraph[stop - 1] in _CLOSERS:
        stop -= 1
    stop -= 1  # the stop itself
    if stop < start or paragraph[stop] not in _ENDS:
        return ""
    first = stop
    while first > start and _WORD_CHAR.match(paragraph, first - 1):
        first -= 1
    return paragraph[first:stop]


# A quotation mark that opens (after a space, a bracket or the start, before a letter) and one
# that closes (after a stop or a letter, before a space, a stop or the end).
_QUOTE = re.compile(
    r"(?P<open>(?:(?<=[\s(\[])|^)[\"“‘'](?=\w))"
    r"|(?P<close>(?<=[\w.!?,])[\"”’'](?=[\s.,;:!?)\]]|$))"
)
_QUOTE_CHARS = _CLOSERS - frozenset(")]")
#: A quotation that closes this soon after a stop is one sentence of the text around it:
#: "South Dakota says, 'Meth. We're on it.'" is not cut after "Meth.".
_SHORT_QUOTE_REST = 60


def _closes_soon(paragraph: str, end: int) -> bool:
    """Whether a quotation closes within :data:`_SHORT_QUOTE_REST` characters after ``end``."""
    return any(
        found.lastgroup == "close"
        for found in _QUOTE.finditer(paragraph, end, end + _SHORT_QUOTE_REST)
    )


def split_sentences(text: str) -> list[str]:
    """Split text into sentences, paragraph by paragraph, keeping abbreviations and initials."""
    sentences: list[str] = []
    for paragraph in re.split(r"\n\s*\n|\n", text):
        paragraph = paragraph.strip()
        if not paragraph:
            continue
        start = 0
        # Quotation marks are read once, up to each stop: whether one opened since the
        # sentence's start is still open there.
        scanned, open_quote = 0, False
        for match in _CANDIDATE.finditer(paragraph):
            end = match.end(1)
            for found in _QUOTE.finditer(paragraph, scanned, end):
                open_quote = found.lastgroup == "open"
            scanned = max(scanned, end)
            token = _last_word(paragraph, start, end).lower()
            # "No. 5" is a number's abbreviation; "she said no. He left." ends a sentence
            said_no = token == "no" and not paragraph[match.end() : match.end() + 1].isdigit()
            if (
                match.group(1).startswith(".")
                and (token in _ABBREVIATIONS or (len(token) == 1 and token.isalpha()))
                and not said_no
            ):
                continue
            if token in _CLOCK and paragraph[match.end() : match.end() + 1] == "(":
                continue
            if (
                open_quote
                and not _QUOTE_CHARS.intersection(match.group(1))
                and _closes_soon(paragraph, end)
            ):
                continue  # a stop inside a short quotation
            sentence = paragraph[start:end].strip()
            if sentence:
                sentences.append(sentence)
            start = match.end()
            open_quote = False
        tail = paragraph[start:].strip()
        if tail:
            sentences.append(tail)
    return sentences


def lead(text: str, count: int = 2) -> str:
    """The first ``count`` sentences of a text."""
    return " ".join(split_sentences(text)[:count])
