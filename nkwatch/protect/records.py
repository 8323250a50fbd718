"""Records of the protection stage: what was detected, what replaced it, and the counts."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

#: Entity kinds the recognisers detect (the labelled set uses the same names).
PERSON = "PERSON"
PHONE = "PHONE"
MESSENGER_ID = "MESSENGER_ID"
EMAIL = "EMAIL"
STREET_ADDRESS = "STREET_ADDRESS"
AGE = "AGE"
PLACE_OF_ORIGIN = "PLACE_OF_ORIGIN"
KINDS = (PERSON, PHONE, MESSENGER_ID, EMAIL, STREET_ADDRESS, AGE, PLACE_OF_ORIGIN)

#: A capitalised word right before a name, not an abbreviated title ("Gov.") nor set off by a
#: comma: the name is part of a longer one ("James Van Der Beek" is not "Van Der Beek").
NAME_WORD_BEFORE = re.compile(r"(?<![\w'’.-])[A-Z][\w'’-]*[ ]$")


@dataclass(frozen=True, slots=True)
class Detection:
    """One span a recogniser found: ``text[start:end]``, its kind and how sure it is.

    For a person, ``role`` is the vulnerable role that makes the name private ("defector",
    "POW", "child" ...), ``public`` is true when the name belongs to a public figure (kept), and
    ``key`` identifies the person so that later mentions get the same label.
    """

    kind: str
    start: int
    end: int
    score: float
    recogniser: str
    role: str | None = None
    key: str | None = None
    age: int | None = None
    public: bool = False

    @property
    def protected(self) -> bool:
        """Whether the span is replaced when text is published."""
        return not self.public


@dataclass(frozen=True, slots=True)
class Mark:
    """A replacement in published text: ``text[start:end]`` is ``label`` and stands for a value.

    Offsets are into the protected text; the original value is never kept in a mark.
    """

    start: int
    end: int
    kind: str
    label: str


@dataclass(frozen=True, slots=True)
class Protected:
    """Text as it may be published, with the marks that say which spans were replaced."""

    text: str
    marks: tuple[Mark, ...] = ()

    @property
    def counts(self) -> Counter[str]:
        """How many values of each kind were replaced."""
        return Counter(mark.kind for mark in self.marks)


@dataclass(slots=True)
class ProtectionTally:
    """Per article, how many values of each kind were protected (never the values)."""

    per_article: dict[int, Counter[str]] = field(default_factory=dict)

    def add(self, article_id: int | None, counts: Counter[str]) -> None:
        """Add what one published piece of an article protected."""
        if article_id is None or not counts:
            return
        self.per_article.setdefault(article_id, Counter()).update(counts)

    @property
    def total(self) -> Counter[str]:
        """Counts over every article."""
        total: Counter[str] = Counter()
        for counts in self.per_article.values():
            total.update(counts)
        return total
