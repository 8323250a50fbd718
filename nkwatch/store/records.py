"""Typed records the store hands back, whatever database holds them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

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


@dataclass(frozen=True, slots=True)
class ClusterStoryState:
    """One active story of the clusterer's saved state.

    ``cluster_id`` is the clusterer's own id, ``story_id`` the store's story it stands for (none
    yet when a run has not given it one); stories are loaded by ``place``, least recently joined
    first; ``state`` is the story's serialised state (members, centroids, times).
    """

    cluster_id: int
    story_id: int | None
    place: int
    state: bytes


@dataclass(frozen=True, slots=True)
class ClusterStateChanges:
    """What one clustering pass changed in the saved state, to write in one go.

    ``header`` is the clusterer's small state (counters, clock, per-view document totals);
    ``stories`` are written over (or added), ``dropped`` deleted; ``terms`` sets the document
    count of each ``(view, term)``. ``fresh`` first clears everything saved (settings changed).
    """

    settings: str
    header: dict[str, Any]
    stories: tuple[ClusterStoryState, ...] = ()
    dropped: tuple[int, ...] = ()
    terms: tuple[tuple[str, str, int], ...] = ()
    fresh: bool = False
