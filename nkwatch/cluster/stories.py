"""Online story clustering: each article joins an active story or starts a new one.

Reads a stream of :class:`ClusterDoc` (title, text, optional time and entities) and adds a story
id to each. An article is compared with candidate stories found through an inverted index over
each story's heaviest terms; per-view TF-IDF cosines (title, body, whole text, entities), an
optional sentence-embedding cosine, the story's size and the time gap feed a fitted logistic
model, and the article joins the best candidate when that model says it belongs there
(Miranda et al., EMNLP 2018). Stories without a new member for ``inactive_after_days`` leave the
candidate set, so memory and per-article cost stay flat as history grows. Every ``refine_every``
articles, recently changed stories that the same model scores as one are merged.
"""

from __future__ import annotations

import math
from collections import OrderedDict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import numpy as np

from nkwatch.cluster.embed import Embedder
from nkwatch.cluster.model import (
    EMBEDDING_MODEL,
    EMBEDDING_REFINE_MODEL,
    TFIDF_MODEL,
    TFIDF_REFINE_MODEL,
    MergeModel,
)
from nkwatch.cluster.views import (
    Centroid,
    DocumentFrequencies,
    SparseVector,
    term_counts,
    tokenize,
)

VIEWS = ("title", "body", "text", "entities")
STATE_VERSION = 1
_DAY = 86_400.0


@dataclass(frozen=True, slots=True)
class ClusterDoc:
    """What the clusterer reads of an article."""

    id: str
    title: str
    text: str
    published: datetime | None = None
    entities: tuple[str, ...] = ()
    #: When the article was fetched; stands in for ``published`` when that is unknown.
    fetched: datetime | None = None

    @property
    def time(self) -> datetime | None:
        """Publication time when known, else fetch time."""
        return self.published or self.fetched


@dataclass(frozen=True, slots=True)
class ClusterSettings:
    """How stories are formed."""

    #: A story with no new member for this long leaves the candidate set.
    inactive_after_days: float = 14.0
    #: Upper bound on stories kept as candidates (least recently joined leave first); bounds
    #: memory when articles carry no dates.
    max_active_stories: int = 5_000
    #: Stories scored in full per article, after inverted-index retrieval.
    max_candidates: int = 20
    #: A story is indexed under this many of its heaviest terms.
    index_terms: int = 40
    #: Terms kept per story and view (the lightest are dropped beyond this).
    max_story_terms: int = 400
    #: Add an embedding-similarity view (needs an :class:`Embedder`).
    use_embeddings: bool = False
    #: Every this many articles, merge changed stories the model scores as one (0 = never).
    refine_every: int = 500
    #: The merge model; ``None`` takes the packaged fitted model for ``use_embeddings``.
    model: MergeModel | None = None
    #: The story-pair model of refinement; ``None`` takes the packaged one.
    refine_model: MergeModel | None = None

    def __post_init__(self) -> None:
        if self.inactive_after_days <= 0:
            raise ValueError(
                f"inactive_after_days must be positive, got {self.inactive_after_days}"
            )
        for name in ("max_active_stories", "max_candidates", "index_terms", "max_story_terms"):
            if getattr(self, name) < 1:
                raise ValueError(f"{name} must be at least 1, got {getattr(self, name)}")
        if self.refine_every < 0:
            raise ValueError(f"refine_every must be 0 or more, got {self.refine_every}")

    @property
    def merge_model(self) -> MergeModel:
        """The model in force."""
        if self.model is not None:
            return self.model
        return EMBEDDING_MODEL if self.use_embeddings else TFIDF_MODEL

    @property
    def story_merge_model(self) -> MergeModel:
        """The refinement model in force."""
        if self.refine_model is not None:
            return self.refine_model
        return EMBEDDING_REFINE_MODEL if self.use_embeddings else TFIDF_REFINE_MODEL


@dataclass(frozen=True, slots=True)
class Assignment:
    """Where one article went.

    ``score`` is the model's probability for the decision taken: that the article belongs to
    the story it joined, or, for a new story, that it belongs to none of the candidates.
    ``merged`` lists ``(absorbed, into)`` story ids merged by a refinement pass at this step.
    """

    story_id: int
    is_new: bool
    score: float
    merged: tuple[tuple[int, int], ...] = ()


@dataclass(slots=True)
class _Story:
    id: int
    members: list[str]
    centroids: dict[str, Centroid]
    embedding: np.ndarray | None
    first_time: float | None
    last_time: float | None
    last_seq: int
    indexed: tuple[str, ...] = ()


@dataclass(slots=True)
class _Prepared:
    doc: ClusterDoc
    vectors: dict[str, SparseVector]
    embedding: np.ndarray | None
    time: float | None


@dataclass(slots=True)
class _Candidate:
    story_id: int
    features: dict[str, float] = field(default_factory=dict)


def _timestamp(moment: datetime | None) -> float | None:
    if moment is None:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.timestamp()


class StoryClusterer:
    """Assigns articles to stories one at a time; deterministic for a given input order."""

    def __init__(self, *, settings: ClusterSettings, embedder: Embedder | None = None) -> None:
        self.settings = settings
        self._model = settings.merge_model
        self._refine_model = settings.story_merge_model
        self._embedder = embedder
        self._frequencies = {view: DocumentFrequencies() for view in VIEWS}
        self._stories: OrderedDict[int, _Story] = OrderedDict()
        self._index: dict[str, set[int]] = {}
        self._next_id = 0
        self._seq = 0
        self._now: float | None = None
        self._changed: set[int] = set()

    # Public API ---------------------------------------------------------------------------

    def add(self, doc: ClusterDoc, *, embedding: Sequence[float] | None = None) -> Assignment:
        """Assign ``doc`` to a story; ``embedding`` (unit length) skips the embedder call."""
        prepared = self._prepare(doc, embedding)
        candidates = self._candidates(prepared)
        best_id, best_p = None, 0.0
        for candidate in candidates:
            p = self._model.probability(candidate.features)
            if p > best_p:
                best_id, best_p = candidate.story_id, p
        if best_id is not None and best_p >= self._model.threshold:
            story_id = self._commit(prepared, best_id)
            assignment = Assignment(story_id=story_id, is_new=False, score=best_p)
        else:
            story_id = self._commit(prepared, None)
            assignment = Assignment(story_id=story_id, is_new=True, score=1.0 - best_p)
        if self.settings.refine_every and self._seq % self.settings.refine_every == 0:
            merged = self.refine()
            if merged:
                into = dict(merged)
                final = into.get(story_id, story_id)
                assignment = Assignment(
                    story_id=final,
                    is_new=assignment.is_new,
                    score=assignment.score,
                    merged=tuple(merged),
                )
        return assignment

    def stories(self) -> dict[int, tuple[str, ...]]:
        """Member ids of every active story, by story id (oldest story first)."""
        return {story.id: tuple(story.members) for story in self._stories.values()}

    def refine(self) -> list[tuple[int, int]]:
        """Merge stories changed since the last pass into an active story the model joins them to.

        A story is scored against its candidates as if its centroid were one article; it is
        merged into the best one (the larger absorbs the smaller) when the model's probability
        passes the threshold. Returns the ``(absorbed, into)`` pairs.
        """
        merged: list[tuple[int, int]] = []
        for story_id in sorted(self._changed):
            story = self._stories.get(story_id)
            if story is None:
                continue
            probe = self._story_probe(story)
            best_id, best_p = None, 0.0
            for candidate in self._candidates(probe, exclude=story_id):
                p = self._refine_model.probability(candidate.features)
                if p > best_p:
                    best_id, best_p = candidate.story_id, p
            if best_id is None or best_p < self._refine_model.threshold:
                continue
            other = self._stories[best_id]
            big, small = (
                (other, story) if len(other.members) >= len(story.members) else (story, other)
            )
            self._absorb(big, small)
            merged.append((small.id, big.id))
        self._changed.clear()
        return merged

    def state_dict(self) -> dict[str, Any]:
        """Everything needed to resume clustering, as JSON-serialisable data."""
        return {
            "version": STATE_VERSION,
            "next_id": self._next_id,
            "seq": self._seq,
            "now": self._now,
            "changed": sorted(self._changed),
            "frequencies": {
                view: {"documents": table.documents, "counts": table.counts}
                for view, table in self._frequencies.items()
            },
            "stories": [
                {
                    "id": story.id,
                    "members": story.members,
                    "centroids": {view: c.weights for view, c in story.centroids.items()},
                    "embedding": None
                    if story.embedding is None
                    else [float(x) for x in story.embedding],
                    "first_time": story.first_time,
                    "last_time": story.last_time,
                    "last_seq": story.last_seq,
                }
                for story in self._stories.values()
            ],
        }

    @classmethod
    def from_state_dict(
        cls,
        state: Mapping[str, Any],
        *,
        settings: ClusterSettings,
        embedder: Embedder | None = None,
    ) -> StoryClusterer:
        """A clusterer that continues where the one that wrote ``state`` stopped."""
        if state.get("version") != STATE_VERSION:
            raise ValueError(
                f"clusterer state version {state.get('version')!r} is not {STATE_VERSION}; "
                "re-cluster from the stored articles"
            )
        clusterer = cls(settings=settings, embedder=embedder)
        clusterer._next_id = int(state["next_id"])
        clusterer._seq = int(state["seq"])
        clusterer._now = state["now"]
        clusterer._changed = set(state.get("changed", ()))
        for view, table in state["frequencies"].items():
            clusterer._frequencies[view] = DocumentFrequencies(
                documents=int(table["documents"]), counts=table["counts"]
            )
        for data in state["stories"]:
            story = _Story(
                id=int(data["id"]),
                members=list(data["members"]),
                centroids={
                    view: Centroid(max_terms=settings.max_story_terms, weights=weights)
                    for view, weights in data["centroids"].items()
                },
                embedding=None
                if data["embedding"] is None
                else np.asarray(data["embedding"], dtype=np.float64),
                first_time=data["first_time"],
                last_time=data["last_time"],
                last_seq=int(data["last_seq"]),
            )
            clusterer._stories[story.id] = story
            clusterer._reindex(story)
        return clusterer

    # Internals ----------------------------------------------------------------------------

    def _prepare(self, doc: ClusterDoc, embedding: Sequence[float] | None) -> _Prepared:
        title_counts = term_counts(tokenize(doc.title))
        body_counts = term_counts(tokenize(doc.text))
        text_counts = dict(title_counts)
        for term, count in body_counts.items():
            text_counts[term] = text_counts.get(term, 0) + count
        entity_counts = term_counts(e.strip().casefold() for e in doc.entities if e.strip())
        counts = {
            "title": title_counts,
            "body": body_counts,
            "text": text_counts,
            "entities": entity_counts,
        }
        vectors: dict[str, SparseVector] = {}
        for view, view_counts in counts.items():
            table = self._frequencies[view]
            table.add(view_counts)
            vectors[view] = table.weigh(view_counts)
        vector: np.ndarray | None = None
        if self.settings.use_embeddings:
            if embedding is None:
                if self._embedder is None:
                    raise ValueError("use_embeddings is set but no embedder or embedding given")
                embedding = self._embedder.encode([f"{doc.title}. {doc.text}"])[0]
            vector = np.asarray(embedding, dtype=np.float64)
        moment = _timestamp(doc.time)
        if moment is not None and (self._now is None or moment > self._now):
            # The clock moves before candidates are sought, so stale stories are out already.
            self._now = moment
            self._retire_inactive()
        return _Prepared(doc=doc, vectors=vectors, embedding=vector, time=moment)

    def _story_probe(self, story: _Story) -> _Prepared:
        vectors = {}
        for view, centroid in story.centroids.items():
            norm = math.sqrt(centroid.square_norm)
            vectors[view] = {t: w / norm for t, w in centroid.weights.items()} if norm > 0 else {}
        vector = None
        if story.embedding is not None:
            norm = float(np.linalg.norm(story.embedding))
            vector = story.embedding / norm if norm > 0 else story.embedding
        return _Prepared(
            doc=ClusterDoc(id=f"story:{story.id}", title="", text=""),
            vectors=vectors,
            embedding=vector,
            time=story.last_time,
        )

    def _cutoff(self) -> float | None:
        if self._now is None:
            return None
        return self._now - self.settings.inactive_after_days * _DAY

    def _candidates(self, prepared: _Prepared, *, exclude: int | None = None) -> list[_Candidate]:
        text = prepared.vectors["text"]
        partial: dict[int, float] = {}
        for term, weight in text.items():
            for story_id in self._index.get(term, ()):
                partial[story_id] = partial.get(story_id, 0.0) + weight
        partial.pop(exclude, None)  # type: ignore[arg-type]
        ranked = sorted(partial.items(), key=lambda item: (-item[1], item[0]))
        cutoff = self._cutoff()
        candidates = []
        for story_id, _ in ranked:
            story = self._stories[story_id]
            if cutoff is not None and story.last_time is not None and story.last_time < cutoff:
                continue
            candidates.append(_Candidate(story_id, self._features(prepared, story)))
            if len(candidates) >= self.settings.max_candidates:
                break
        return candidates

    def _features(self, prepared: _Prepared, story: _Story) -> dict[str, float]:
        size = len(story.members)
        features = {}
        for view in VIEWS:
            centroid, vector = story.centroids[view], prepared.vectors[view]
            similarity = centroid.dot(vector)
            norm = centroid.square_norm
            features[view] = similarity / math.sqrt(norm) if norm > 0 else 0.0
            # The mean cosine with the members does not grow with the story as the cosine with
            # the centroid does (a centroid of many near-duplicates approaches a member).
            features[f"{view}_mean"] = similarity / size
        log_size = math.log(size)
        features["log_size"] = log_size
        features["text_x_log_size"] = features["text"] * log_size
        if prepared.embedding is not None and story.embedding is not None:
            norm = float(np.linalg.norm(story.embedding))
            raw = float(prepared.embedding @ story.embedding)
            similarity = raw / norm if norm > 0 else 0.0
            features["embedding"] = similarity
            features["embedding_mean"] = raw / size
            features["embedding_x_log_size"] = similarity * log_size
        if prepared.time is not None and story.last_time is not None:
            gap = abs(prepared.time - story.last_time) / _DAY
            features["log_gap_days"] = math.log1p(gap)
        return features

    def _commit(self, prepared: _Prepared, story_id: int | None) -> int:
        self._seq += 1
        if story_id is None:
            story = _Story(
                id=self._next_id,
                members=[],
                centroids={
                    view: Centroid(max_terms=self.settings.max_story_terms) for view in VIEWS
                },
                embedding=None,
                first_time=prepared.time,
                last_time=prepared.time,
                last_seq=self._seq,
            )
            self._next_id += 1
            self._stories[story.id] = story
        else:
            story = self._stories[story_id]
            self._stories.move_to_end(story_id)
        story.members.append(prepared.doc.id)
        for view in VIEWS:
            story.centroids[view].add(prepared.vectors[view])
        if prepared.embedding is not None:
            story.embedding = (
                prepared.embedding.copy()
                if story.embedding is None
                else story.embedding + prepared.embedding
            )
        if prepared.time is not None:
            story.first_time = min(story.first_time or prepared.time, prepared.time)
            story.last_time = max(story.last_time or prepared.time, prepared.time)
        story.last_seq = self._seq
        self._reindex(story)
        self._changed.add(story.id)
        self._retire_inactive()
        return story.id

    def _absorb(self, big: _Story, small: _Story) -> None:
        big.members.extend(small.members)
        for view in VIEWS:
            big.centroids[view].merge(small.centroids[view])
        if small.embedding is not None:
            big.embedding = (
                small.embedding.copy() if big.embedding is None else big.embedding + small.embedding
            )
        times = [t for t in (big.first_time, small.first_time) if t is not None]
        big.first_time = min(times) if times else None
        times = [t for t in (big.last_time, small.last_time) if t is not None]
        big.last_time = max(times) if times else None
        big.last_seq = max(big.last_seq, small.last_seq)
        self._drop(small)
        self._reindex(big)
        self._changed.discard(small.id)

    def _reindex(self, story: _Story) -> None:
        terms = tuple(story.centroids["text"].top_terms(self.settings.index_terms))
        if terms == story.indexed:
            return
        old, new = set(story.indexed), set(terms)
        for term in story.indexed:
            if term not in new:
                postings = self._index[term]
                postings.discard(story.id)
                if not postings:
                    del self._index[term]
        for term in terms:
            if term not in old:
                self._index.setdefault(term, set()).add(story.id)
        story.indexed = terms

    def _drop(self, story: _Story) -> None:
        for term in story.indexed:
            postings = self._index[term]
            postings.discard(story.id)
            if not postings:
                del self._index[term]
        story.indexed = ()
        del self._stories[story.id]

    def _retire_inactive(self) -> None:
        cutoff = self._cutoff()
        while self._stories:
            oldest = next(iter(self._stories.values()))
            too_many = len(self._stories) > self.settings.max_active_stories
            stale = (
                cutoff is not None and oldest.last_time is not None and oldest.last_time < cutoff
            )
            if not (too_many or stale):
                break
            self._drop(oldest)
            self._changed.discard(oldest.id)


def _arrival_order(docs: Sequence[ClusterDoc]) -> list[int]:
    """Indices of ``docs`` by time; an undated article keeps the time of the one before it."""
    keys: list[tuple[float, int]] = []
    last = -math.inf
    for position, doc in enumerate(docs):
        stamp = _timestamp(doc.time)
        if stamp is not None:
            last = stamp
        keys.append((last, position))
    return [position for _, position in sorted(keys)]


def cluster_stream(
    docs: Iterable[ClusterDoc],
    *,
    settings: ClusterSettings | None = None,
    embedder: Embedder | None = None,
    batch_size: int = 64,
) -> list[int]:
    """Story id for each article of ``docs`` (in input order), replayed in arrival order.

    Articles are fed by publication time (fetch time when unknown; an undated article keeps its
    place after the one before it). Stories merged by refinement report the surviving id.
    """
    settings = settings or ClusterSettings()
    items = list(docs)
    order = _arrival_order(items)
    embeddings: np.ndarray | None = None
    if settings.use_embeddings:
        if embedder is None:
            raise ValueError("use_embeddings is set: pass an embedder (load_default_embedder())")
        texts = [f"{items[i].title}. {items[i].text}" for i in order]
        parts = [
            embedder.encode(texts[start : start + batch_size])
            for start in range(0, len(texts), batch_size)
        ]
        embeddings = np.concatenate(parts) if parts else np.zeros((0, 0))
    clusterer = StoryClusterer(settings=settings, embedder=embedder)
    parent: dict[int, int] = {}

    def find(story_id: int) -> int:
        root = story_id
        while root in parent:
            root = parent[root]
        while story_id != root:
            parent[story_id], story_id = root, parent[story_id]
        return root

    raw = [0] * len(items)
    for step, position in enumerate(order):
        vector = None if embeddings is None else embeddings[step]
        assignment = clusterer.add(items[position], embedding=vector)
        raw[position] = assignment.story_id
        for absorbed, into in assignment.merged:
            parent[find(absorbed)] = find(into)
    return [find(story_id) for story_id in raw]
