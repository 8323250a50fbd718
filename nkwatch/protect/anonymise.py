"""Anonymising operators: one per kind, replacing a value with a readable, consistent label.

A :class:`LabelBook` belongs to one scope (a story, or an export's article): the same person
gets the same label in every text of the scope ("[defector A]"), another person the next letter
("[POW B]"); a child's label carries the age ("[child C, 12]"). Other kinds become a plain tag
("[phone number]", "[messenger ID]").
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from nkwatch.protect.records import (
    AGE,
    EMAIL,
    MESSENGER_ID,
    PERSON,
    PHONE,
    PLACE_OF_ORIGIN,
    STREET_ADDRESS,
    Detection,
    Mark,
    Protected,
)

TAGS = {
    PHONE: "[phone number]",
    MESSENGER_ID: "[messenger ID]",
    EMAIL: "[e-mail address]",
    STREET_ADDRESS: "[address]",
    AGE: "[age]",
    PLACE_OF_ORIGIN: "[place]",
}


def _letters(index: int) -> str:
    """A, B, ... Z, AA, AB ...: the n-th person of a scope."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


@dataclass(slots=True)
class LabelBook:
    """Person labels of one scope, by person key, in order of first appearance."""

    labels: dict[str, str] = field(default_factory=dict)
    #: The age a child's label states, by person key.
    ages: dict[str, int] = field(default_factory=dict)

    def label(self, detection: Detection) -> str:
        """The replacement for one protected detection."""
        if detection.kind != PERSON:
            return TAGS[detection.kind]
        key = _key(detection)
        if key not in self.labels:
            letter = _letters(len(self.labels))
            role = detection.role or "person"
            if role == "child" and detection.age is not None:
                self.labels[key] = f"[child {letter}, {detection.age}]"
                self.ages[key] = detection.age
            else:
                self.labels[key] = f"[{role} {letter}]"
        return self.labels[key]

    def stated_age(self, detection: Detection) -> int | None:
        """The age this person's label states, when it states one."""
        return self.ages.get(_key(detection)) if detection.kind == PERSON else None


def _key(detection: Detection) -> str:
    return detection.key or f"@{detection.start}"


#: What may stand between a child's name and its age in apposition: "Name, 16," / "Name (16)".
_AGE_GAP = re.compile(r"\s*[,(]\s*")
_AGE_CLOSE = re.compile(r"\s*[,)]")


def _age_after(text: str, detection: Detection, after: Detection | None, age: int | None) -> int:
    """Where a child's name ends once the age its label states, right after it, goes into its
    span ("[child A, 16] was charged", not "[child A, 16], [age], was charged"); 0 when no such
    age follows. The label may state an age learnt from another text of the same story."""
    if (
        age is None
        or after is None
        or after.kind != AGE
        or not _AGE_GAP.fullmatch(text, detection.end, after.start)
        or text[after.start : after.end].strip() != str(age)
    ):
        return 0
    # The comma that closes the age goes too, unless the name itself stands in apposition
    # ("The girl, Name, 12, crossed": the comma closes the name's phrase).
    close = _AGE_CLOSE.match(text, after.end)
    opened = text[: detection.start].rstrip().endswith((",", "("))
    return close.end() if close and not opened else after.end


def anonymise(text: str, detections: list[Detection], book: LabelBook) -> Protected:
    """``text`` with every protected detection replaced, overlaps resolved by score then length."""
    chosen: list[Detection] = []
    # Characters already replaced: an overlap test costs the span's length, not the count of
    # spans chosen so far (a text with thousands of names stays linear).
    taken = bytearray(len(text) + 1)
    for detection in sorted(
        (d for d in detections if d.protected),
        key=lambda d: (-d.score, -(d.end - d.start), d.start),
    ):
        start, end = detection.start, max(detection.start + 1, detection.end)
        if taken.find(1, start, end) == -1:
            chosen.append(detection)
            taken[start:end] = b"\x01" * (end - start)
    chosen.sort(key=lambda d: d.start)
    pieces: list[str] = []
    marks: list[Mark] = []
    cursor = 0
    length = 0
    index = 0
    while index < len(chosen):
        detection = chosen[index]
        index += 1
        before = text[cursor : detection.start]
        pieces.append(before)
        length += len(before)
        label = book.label(detection)
        pieces.append(label)
        marks.append(Mark(length, length + len(label), detection.kind, label))
        length += len(label)
        cursor = detection.end
        after = chosen[index] if index < len(chosen) else None
        age_end = _age_after(text, detection, after, book.stated_age(detection))
        if age_end:
            cursor = age_end
            index += 1
    pieces.append(text[cursor:])
    return Protected("".join(pieces), tuple(marks))
