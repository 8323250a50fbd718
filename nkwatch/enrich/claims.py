"""Records of the figures stage: a numeric claim, and a number that was read but not kept.

The extractor (:mod:`nkwatch.enrich.figures`) builds these, the tracker and the renderers read
them; neither imports the other. A :class:`Figure` is stored as JSON (``dataclasses.asdict``) and
read back with :func:`figure_from_dict`, which accepts figures stored before a field existed.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields
from typing import Any


@dataclass(frozen=True, slots=True)
class Figure:
    """One numeric claim and its context, with offsets into the text it was found in.

    ``period`` is the time phrase as written; ``period_start``/``period_end`` are the ISO dates
    of the span it is about, resolved against the article's date ("last year", "two years ago",
    "in the summer"), or ``None`` when the sentence names no time. ``part_of`` is the whole a
    part is counted in ("147 of the 168" is 147 with ``part_of`` 168), ``part`` the words that
    make it a part ("of the", "including", "among them"). ``clause`` is the figure's context:
    its clause, at most 80 characters either side of the number.
    """

    value: float
    value_max: float | None
    unit: str | None
    counted: str | None
    approx: str | None
    period: str | None
    sentence: str
    start: int
    end: int
    attribution: str | None
    hedge: str | None
    period_start: str | None = None
    period_end: str | None = None
    part: str | None = None
    part_of: float | None = None
    clause: str | None = None

    @property
    def vague(self) -> bool:
        """True for a vague plural ("dozens of", "hundreds of thousands of") or a quantifier
        before a scale word ("several thousand")."""
        return is_vague(self.approx, self.value)


_VAGUE_PLURALS = frozenset(
    ["dozens", "scores", "tens", "hundreds", "thousands", "millions", "billions", "trillions"]
)


#: Quantifiers that make a scale word vague: "several hundred", "a few thousand".
_VAGUE_QUANTIFIERS = ("several", "a few", "a couple of", "many")
#: The values a lone scale word stands for, and the word (for the forms above).
_SCALE_WORDS = {
    12.0: "dozen",
    100.0: "hundred",
    1e3: "thousand",
    1e5: "hundred thousand",
    1e6: "million",
    1e8: "hundred million",
    1e9: "billion",
    1e12: "trillion",
}


def vague_scale(approx: str | None, value: float | None) -> str | None:
    """ "several hundred" for a value of 100 with the approximation "several": a quantifier
    before a scale word, whose value is only that scale (a lower bound); None otherwise."""
    text = " ".join(str(approx or "").lower().split())
    word = _SCALE_WORDS.get(float(value)) if value is not None else None
    if word is None or not any(text == q or text.endswith(" " + q) for q in _VAGUE_QUANTIFIERS):
        return None
    return f"{text} {word}"


def is_vague(approx: str | None, value: float | None = None) -> bool:
    """Whether a value is only a lower bound: a vague plural ("dozens of", "hundreds of
    thousands of") or, given the value, a quantifier before a scale word ("several thousand")."""
    words = str(approx or "").lower().removesuffix(" of").split()
    return (bool(words) and words[-1] in _VAGUE_PLURALS) or vague_scale(approx, value) is not None


#: Scales a large value may be written in when it is exact to two decimals of one.
_LARGE_SCALES = (1e12, 1e9, 1e6)


def readable_number(value: float) -> str:
    """A value as a reader takes it in: "1.5 billion" and "12 million" for large round values
    (written by Babel, the CLDR's number formats), else digits with thousands separators
    ("1,234,567", "11,000", "27.5")."""
    size = abs(value)
    for scale in _LARGE_SCALES:
        if size >= scale:
            quotient = size / scale
            if abs(quotient - round(quotient, 2)) < 1e-9 * max(1.0, quotient):
                from babel.numbers import format_compact_decimal

                return str(
                    format_compact_decimal(
                        value, format_type="long", locale="en", fraction_digits=2
                    )
                )
            break
    if value == int(value):
        return f"{int(value):,}"
    return f"{value:,.2f}".rstrip("0").rstrip(".")


def written_value(
    value: float, value_max: float | None, unit: str | None, approx: str | None
) -> str:
    """A figure as a reader should see it, qualifier included.

    A vague plural shows as written ("millions", "dozens"), never as its numeric lower bound
    ("millions of 1,000,000"), and so does a quantifier before a scale word ("several
    thousand", not "several 1,000"); a qualifier stays in front ("more than 6,000").
    """
    scale = vague_scale(approx, value) if value_max is None else None
    if scale or is_vague(approx):
        text = scale or str(approx).lower().removesuffix(" of")
        if unit and unit != "%":
            text = f"{text} ({unit})"
        return text
    text = readable_number(value)
    if value_max is not None:
        text += f"–{readable_number(value_max)}"
    if unit == "%":
        text += "%"
    elif unit:
        text = f"{text} {unit}"
    return f"{approx} {text}" if approx else text


#: Words that open a claimant's phrase only because it opens the sentence ("The agency said",
#: "Sources say"): in the middle of a line they read in lower case.
_LEADING_COMMON = frozenset(
    (  # noqa: SIM905 (a word list reads best as words)
        "the a an one two three four five some several many most other both local senior"
        " sources source officials official analysts analyst traders trader residents resident"
        " experts expert witnesses witness police authorities researchers diplomats lawmakers"
        " prosecutors investigators activists defectors workers soldiers people locals monitors"
    ).split()
)


def claimant_text(attribution: str) -> str:
    """A claimant as it reads in the middle of a line: "the agency", "sources in Hyesan" (a
    name or a place keeps its capital: "Seoul", "South Korea's spy agency")."""
    first, _, rest = attribution.partition(" ")
    if first[:1].isupper() and first[1:] == first[1:].lower() and first.lower() in _LEADING_COMMON:
        return first.lower() + (" " + rest if rest else "")
    return attribution


@dataclass(frozen=True, slots=True)
class Rejection:
    """A number the extractor read and did not keep, and why (e.g. ``"too-large"``)."""

    reason: str
    text: str
    sentence: str
    start: int
    end: int


_FIELDS = frozenset(f.name for f in fields(Figure))


def figure_from_dict(data: Mapping[str, Any]) -> Figure:
    """A stored figure read back into its type; fields added later take their defaults."""
    return Figure(**{key: value for key, value in data.items() if key in _FIELDS})
