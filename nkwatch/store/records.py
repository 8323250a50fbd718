"""Typed records the store hands back, whatever database holds them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from nkwatch.record import Article

Outcome = Literal["stored", "updated", "unchanged"]


@dataclass(frozen=True, slots=True)
class SaveResult:
    """What saving one article did."""

    id: int
    outcome: Outcome


@dataclass(frozen=True, slots=True)
class SearchHit:
    """One full-text search result (``rank``: lower is a better match)."""

    article: Article
    snippet: str
    rank: float


@dataclass(frozen=True, slots=True)
class Rejection:
    """A stored rejection: an input that produced no article, and why."""

    source: str
    reason: str
    detail: str
    first_seen: datetime
    last_seen: datetime
    times: int


@dataclass(frozen=True, slots=True)
class StageFailure:
    """An article that failed one stage: quarantined with its error until a run gets it through."""

    article_id: int
    stage: str
    error_class: str
    message: str
    code_version: str
    attempts: int
    first_seen: datetime
    last_seen: datetime
