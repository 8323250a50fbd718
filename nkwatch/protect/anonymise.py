"""Anonymising operators: one per kind, replacing a value with a readable, consistent label.

A :class:`LabelBook` belongs to one scope (a story, or an export's article): the same person
gets the same label in every text of the scope ("[defector A]"), another person the next letter
("[POW B]"); a child's label carries the age ("[child C, 12]"). Other kinds become a plain tag
("[phone number]", "[messenger ID]").
"""

from __future__ import annotations

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

    def label(self, detection: Detection) -> str:
        """The replacement for one protected detection."""
        if detection.kind != PERSON:
            return TAGS[detection.kind]
        key = detection.key or f"@{detection.start}"
        if key not in self.labels:
            letter = _letters(len(self.labels))
            role = detection.role or "person"
            if role == "child" and detection.age is not None:
                self.labels[key] = f"[child {letter}, {detection.age}]"
            else:
                self.labels[key] = f"[{role} {letter}]"
        return self.labels[key]


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
    for detection in chosen:
        before = text[cursor : detection.start]
        pieces.append(before)
        length += len(before)
        label = book.label(detection)
        pieces.append(label)
        marks.append(Mark(length, length + len(label), detection.kind, label))
        length += len(label)
        cursor = detection.end
    pieces.append(text[cursor:])
    return Protected("".join(pieces), tuple(marks))
