"""Online story clustering: each article joins an active story or starts a new one.

Reads a stream of :class:`ClusterDoc` (title, text, optional time and entities) and adds a story
id to each. An article is compared with candidate stories found through an inverted index over
each story's heaviest terms; per-view TF-IDF cosines (title, body, whole text, entities), an
optional sentence-embedding cosine, the story's size and the time gap feed a calibrated logistic
model, and the article joins the best candidate when that model says it belongs there
(Miranda et al., EMNLP 2018). Stories without a new member for ``inactive_after_days`` leave the
candidate set, so memory and per-article cost stay flat as history grows. Every ``refine_every``
articles a refinement pass splits stories whose members form two well-separated groups (tested
again only after a story has grown, on a bounded sample of its members), merges recently changed
stories that a stricter story-to-story model scores as one, and gives stories of one to three
articles a few more chances to join the story they belong to; its cost is bounded per changed
story.
"""

from __future__ import annotations

import math
from collections import OrderedDict
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import numpy as np

from nkwatch.cluster.embed import Embedder, encode_documents
from nkwatch.cluster.model import (
    CROSS_SCRIPT_MODEL,
    MergeModel,
)
from nkwatch.cluster.settings import ClusterSettings
from nkwatch.cluster.views import (
    Centroid,
    DocumentFrequencies,
    SparseVector,
    term_counts,
    tokenize,
)

VIEWS = ("title", "body", "text", "entities")
#: Views whose term counts each story keeps per member (``text`` is title plus body).
MEMBER_VIEWS = ("title", "body", "entities")
STATE_VERSION = 2
_DAY = 86_400.0
# Steps of the power iteration that seeds a story's bisection, then of the 2-means that refines
# it; both converge well within these on stories of a few hundred short articles.
_POWER_STEPS = 20
_KMEANS_STEPS = 10
# A story is compared with others through its heaviest terms only (still divided by the full
# norm): the light tail of a large story's centroid carries little of a cosine but most of the
# cost of the merge pass.
_PROBE_TERMS = 100


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
class Assignment:
    """Where one article went.

    ``score`` is the model's probability for the decision taken: that the article belongs to
    the story it joined, or, for a new story, that it belongs to none of the candidates.
    ``merged`` lists ``(absorbed, into)`` story ids merged by a refinement pass at this step;
    ``moved`` lists ``(article id, story id)`` for articles a split at this step moved into a new
    story. Splits are applied before merges.
    """

    story_id: int
    is_new: bool
    score: float
    merged: tuple[tuple[int, int], ...] = ()
    moved: tuple[tuple[str, int], ...] = ()


@dataclass(slots=True)
class _Member:
    """What a story keeps of each member so that it can be split later."""

    id: str
    counts: dict[str, dict[str, int]]
    embedding: np.ndarray | None
    time: float | None


@dataclass(slots=True)
class _Story:
    id: int
    members: list[_Member]
    centroids: dict[str, Centroid]
    embedding: np.ndarray | None
    first_time: float | None
    last_time: float | None
    last_seq: int
    indexed: tuple[str, ...] = ()
    #: Members at the story's last split test (0: never tested).
    tested_size: int = 0
    #: Past the days a story takes new members it can no longer change, only be linked into a
    #: storyline: its members keep their ids and times, not the term counts a split reads.
    compact: bool = False


@dataclass(slots=True)
class _Prepared:
    doc: ClusterDoc
    counts: dict[str, dict[str, int]]
    vectors: dict[str, SparseVector]
    embedding: np.ndarray | None
    time: float | None
    #: Written mostly in a non-Latin script (Hangul, …): shares few words with English reports.
    foreign: bool = False


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
        self._orphan_model = settings.orphan_merge_model
        self._embedder = embedder
        self._frequencies = {view: DocumentFrequencies() for view in VIEWS}
        self._stories: OrderedDict[int, _Story] = OrderedDict()
        self._index: dict[str, set[int]] = {}
        self._next_id = 0
        self._seq = 0
        self._now: float | None = None
        self._changed: set[int] = set()
        self._moved: list[tuple[str, int]] = []
        #: Small stories still to be re-examined by the merge pass: id → passes left.
        self._orphans: dict[int, int] = {}
        #: Stories changed, and stories dropped, since :meth:`take_changes` last ran.
        self._dirty: set[int] = set()
        self._dropped: set[int] = set()

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
        if prepared.foreign:
            cross = self.settings.cross_script_model or CROSS_SCRIPT_MODEL
            for candidate in self._recent_candidates(prepared, candidates):
                p = cross.probability(candidate.features)
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
            moved = self.last_moves
            if merged or moved:
                final = story_id
                for member_id, into in moved:
                    if member_id == doc.id:
                        final = into
                into_of = dict(merged)
                while final in into_of:
                    final = into_of[final]
                assignment = Assignment(
                    story_id=final,
                    is_new=assignment.is_new,
                    score=assignment.score,
                    merged=tuple(merged),
                    moved=moved,
                )
        return assignment

    def forget(self, member_ids: Collection[str]) -> set[int]:
        """Take these members out of the active stories (articles set aside after they were
        placed, such as a family of boilerplate pages); a story left empty is dropped. Returns
        the ids of the stories that changed. The document frequencies keep what was read."""
        gone = set(member_ids)
        changed: set[int] = set()
        for story in list(self._stories.values()):
            kept = [m for m in story.members if m.id not in gone]
            if len(kept) == len(story.members):
                continue
            changed.add(story.id)
            if not kept or story.compact:
                # A compact story cannot be rebuilt without the members' counts: it leaves
                # memory (it could only have been linked into a storyline).
                self._drop(story)
                self._changed.discard(story.id)
                continue
            story.members = kept
            self._rebuild(story)
            self._reindex(story)
            self._dirty.add(story.id)
        return changed

    def stories(self) -> dict[int, tuple[str, ...]]:
        """Member ids of every active story, by story id (oldest story first)."""
        return {story.id: tuple(m.id for m in story.members) for story in self._stories.values()}

    @property
    def last_moves(self) -> tuple[tuple[str, int], ...]:
        """``(article id, new story id)`` for the articles the last :meth:`refine` split off."""
        return tuple(self._moved)

    def refine(self) -> list[tuple[int, int]]:
        """Split, then merge, the stories changed since the last pass.

        Split: a story that has grown enough since its last test
        (:meth:`ClusterSettings.split_due`) and whose members (at most ``split_sample`` of them)
        fall into two well-separated groups (a bisection whose :func:`separation` passes
        :meth:`ClusterSettings.split_cut`) loses its smaller group to a new story; both parts
        are checked again. Merge: a story is scored against its
        candidates as if its centroid were one article and merged into the best one (the larger
        absorbs the smaller) when the refinement model passes its threshold and the union would
        not be split again. Returns the ``(absorbed, into)`` pairs; the articles moved by splits
        are in :attr:`last_moves`.
        """
        self._moved = []
        # Past the days a story takes new members, it is neither split nor merged either.
        cutoff = self._cutoff()
        if self.settings.split_stories:
            queue = sorted(self._changed)
            while queue:
                story = self._stories.get(queue.pop(0))
                if (
                    story is None
                    or _quiet(story, cutoff)
                    or not self.settings.split_due(len(story.members), story.tested_size)
                ):
                    continue
                new_id = self._split(story)
                if new_id is not None:
                    self._changed.add(new_id)
                    queue[:0] = [story.id, new_id]
        merged: list[tuple[int, int]] = []
        orphan_size = self.settings.orphan_size
        for story_id in sorted(self._changed | set(self._orphans)):
            story = self._stories.get(story_id)
            passes_left = self._orphans.pop(story_id, 0)
            if story_id in self._changed:
                passes_left = self.settings.orphan_passes
            if story is None or _quiet(story, cutoff):
                continue
            orphan = len(story.members) <= orphan_size
            # A story of an article or two is an article that found no home on arrival: it is
            # judged as one, again at the next passes, as the stories around it grow.
            model = self._orphan_model if orphan else self._refine_model
            probe = self._story_probe(story)
            best_id, best_p = None, 0.0
            for candidate in self._candidates(probe, exclude=story_id):
                p = model.probability(candidate.features)
                if p > best_p:
                    best_id, best_p = candidate.story_id, p
            if best_id is None or best_p < model.threshold:
                if orphan and passes_left > 1:
                    self._orphans[story_id] = passes_left - 1
                continue
            other = self._stories[best_id]
            if self.settings.split_stories and self._separated(story, other):
                continue
            big, small = (
                (other, story) if len(other.members) >= len(story.members) else (story, other)
            )
            self._absorb(big, small)
            self._orphans.pop(big.id, None)
            merged.append((small.id, big.id))
        self._changed.clear()
        self._compact_stale()
        return merged

    def story_links(self, story_id: int, model: MergeModel) -> list[tuple[int, float]]:
        """The other stories within the storyline window that ``model`` scores against
        ``story_id``, with their probabilities, best first: the story is compared as one
        article (its centroids, its newest time) with the candidates found through the
        inverted index, as in the merge pass."""
        story = self._stories.get(story_id)
        if story is None:
            return []
        scored = [
            (candidate.story_id, model.probability(candidate.features))
            for candidate in self._candidates(
                self._story_probe(story), exclude=story_id, storylines=True
            )
        ]
        return sorted(scored, key=lambda item: (-item[1], item[0]))

    def nearest_story(self, story_id: int, model: MergeModel) -> int | None:
        """The other story (within the storyline window) that ``model`` scores closest to
        ``story_id``, if it passes."""
        links = self.story_links(story_id, model)
        return links[0][0] if links and links[0][1] >= model.threshold else None

    def state_dict(self) -> dict[str, Any]:
        """Everything needed to resume clustering, as JSON-serialisable data."""
        return {
            **self.state_header(),
            "frequencies": {
                view: {"documents": table.documents, "counts": table.counts}
                for view, table in self._frequencies.items()
            },
            "stories": [self.story_state(story_id) for story_id in self._stories],
        }

    def state_header(self) -> dict[str, Any]:
        """The state outside the stories and the term counts (small: a few numbers per story)."""
        return {
            "version": STATE_VERSION,
            "next_id": self._next_id,
            "seq": self._seq,
            "now": self._now,
            "changed": sorted(self._changed),
            "orphans": [[story_id, left] for story_id, left in sorted(self._orphans.items())],
            "documents": {view: table.documents for view, table in self._frequencies.items()},
        }

    def story_state(self, story_id: int) -> dict[str, Any]:
        """One active story's state, as JSON-serialisable data (see :meth:`state_dict`)."""
        story = self._stories[story_id]
        return {
            "id": story.id,
            "members": [
                {
                    "id": m.id,
                    "counts": m.counts,
                    "embedding": _floats(m.embedding),
                    "time": m.time,
                }
                for m in story.members
            ],
            "centroids": {view: c.weights for view, c in story.centroids.items()},
            "embedding": _floats(story.embedding),
            "first_time": story.first_time,
            "last_time": story.last_time,
            "last_seq": story.last_seq,
            "tested_size": story.tested_size,
            "compact": story.compact,
        }

    def active_order(self) -> list[int]:
        """Ids of the active stories, least recently joined first (the order retirement reads)."""
        return list(self._stories)

    def take_changes(self) -> tuple[set[int], set[int]]:
        """Stories changed and stories dropped since the last call (or since loading)."""
        dirty, dropped = self._dirty & self._stories.keys(), self._dropped - self._stories.keys()
        self._dirty, self._dropped = set(), set()
        return dirty, dropped

    def term_frequencies(self, view: str) -> DocumentFrequencies:
        """The document frequencies of one view (the clusterer updates them as it reads)."""
        return self._frequencies[view]

    @classmethod
    def from_state_dict(
        cls,
        state: Mapping[str, Any],
        *,
        settings: ClusterSettings,
        embedder: Embedder | None = None,
    ) -> StoryClusterer:
        """A clusterer that continues where the one that wrote ``state`` stopped."""
        frequencies = {
            view: DocumentFrequencies(documents=int(table["documents"]), counts=table["counts"])
            for view, table in state.get("frequencies", {}).items()
        }
        return cls.from_parts(
            state,
            state.get("stories", ()),
            frequencies,
            settings=settings,
            embedder=embedder,
        )

    @classmethod
    def from_parts(
        cls,
        header: Mapping[str, Any],
        stories: Iterable[Mapping[str, Any]],
        frequencies: Mapping[str, DocumentFrequencies],
        *,
        settings: ClusterSettings,
        embedder: Embedder | None = None,
    ) -> StoryClusterer:
        """A clusterer resumed from a :meth:`state_header`, its active stories in
        :meth:`active_order` (each a :meth:`story_state`) and each view's term frequencies.

        The frequencies may be tables that read their counts from elsewhere on demand.
        """
        if header.get("version") != STATE_VERSION:
            raise ValueError(
                f"clusterer state version {header.get('version')!r} is not {STATE_VERSION}; "
                "re-cluster from the stored articles"
            )
        clusterer = cls(settings=settings, embedder=embedder)
        clusterer._next_id = int(header["next_id"])
        clusterer._seq = int(header["seq"])
        clusterer._now = header["now"]
        clusterer._changed = set(header.get("changed", ()))
        clusterer._orphans = {int(i): int(n) for i, n in header.get("orphans", ())}
        for view, table in frequencies.items():
            clusterer._frequencies[view] = table
        for data in stories:
            story = _Story(
                id=int(data["id"]),
                members=[
                    _Member(
                        id=m["id"],
                        counts={view: dict(c) for view, c in m["counts"].items()},
                        embedding=_array(m["embedding"]),
                        time=m["time"],
                    )
                    for m in data["members"]
                ],
                centroids={
                    view: Centroid(max_terms=settings.max_story_terms, weights=weights)
                    for view, weights in data["centroids"].items()
                },
                embedding=_array(data["embedding"]),
                first_time=data["first_time"],
                last_time=data["last_time"],
                last_seq=int(data["last_seq"]),
                tested_size=int(data.get("tested_size", 0)),
                compact=bool(data.get("compact", False)),
            )
            clusterer._stories[story.id] = story
            clusterer._reindex(story)
        return clusterer

    # Internals ----------------------------------------------------------------------------

    def _prepare(self, doc: ClusterDoc, embedding: Sequence[float] | None) -> _Prepared:
        counts = {
            "title": term_counts(tokenize(doc.title)),
            "body": term_counts(tokenize(doc.text)),
            "entities": term_counts(e.strip().casefold() for e in doc.entities if e.strip()),
        }
        vectors: dict[str, SparseVector] = {}
        for view in VIEWS:
            view_counts = _view_counts(counts, view)
            table = self._frequencies[view]
            table.add(view_counts)
            vectors[view] = table.weigh(view_counts)
        vector: np.ndarray | None = None
        if self.settings.use_embeddings:
            if embedding is None:
                if self._embedder is None:
                    raise ValueError("use_embeddings is set but no embedder or embedding given")
                embedding = encode_documents(self._embedder, [(doc.title, doc.text)])[0]
            vector = np.asarray(embedding, dtype=np.float64)
        moment = _timestamp(doc.time)
        if moment is not None and (self._now is None or moment > self._now):
            # The clock moves before candidates are sought, so stale stories are out already.
            self._now = moment
            self._retire_inactive()
        return _Prepared(
            doc=doc,
            counts=counts,
            vectors=vectors,
            embedding=vector,
            time=moment,
            foreign=_foreign_script(f"{doc.title} {doc.text[:_SCRIPT_SAMPLE]}"),
        )

    def _story_probe(self, story: _Story) -> _Prepared:
        vectors = {}
        for view, centroid in story.centroids.items():
            norm = math.sqrt(centroid.square_norm)
            heaviest = centroid.top_terms(_PROBE_TERMS)
            weights = centroid.weights
            vectors[view] = {t: weights[t] / norm for t in heaviest} if norm > 0 else {}
        vector = None
        if story.embedding is not None:
            norm = float(np.linalg.norm(story.embedding))
            vector = story.embedding / norm if norm > 0 else story.embedding
        return _Prepared(
            doc=ClusterDoc(id=f"story:{story.id}", title="", text=""),
            counts={},
            vectors=vectors,
            embedding=vector,
            time=story.last_time,
        )

    def _cutoff(self, *, storylines: bool = False) -> float | None:
        """The last-member time before which a story takes no new member (with
        ``storylines``: is no candidate for a storyline link either, and leaves memory)."""
        if self._now is None:
            return None
        days = self.settings.inactive_after_days
        if storylines:
            days = max(days, self.settings.storyline_window_days)
        return self._now - days * _DAY

    def _candidates(
        self, prepared: _Prepared, *, exclude: int | None = None, storylines: bool = False
    ) -> list[_Candidate]:
        text = prepared.vectors["text"]
        partial: dict[int, float] = {}
        for term, weight in text.items():
            for story_id in self._index.get(term, ()):
                partial[story_id] = partial.get(story_id, 0.0) + weight
        partial.pop(exclude, None)  # type: ignore[arg-type]
        ranked = sorted(partial.items(), key=lambda item: (-item[1], item[0]))
        cutoff = self._cutoff(storylines=storylines)
        candidates = []
        for story_id, _ in ranked:
            story = self._stories[story_id]
            if _quiet(story, cutoff):
                continue
            candidates.append(_Candidate(story_id, self._features(prepared, story)))
            if len(candidates) >= self.settings.max_candidates:
                break
        return candidates

    def _recent_candidates(
        self, prepared: _Prepared, found: Sequence[_Candidate]
    ) -> list[_Candidate]:
        """The most recently joined active stories, with features, that ``found`` lacks.

        An article in another script shares no indexed words with the stories it belongs to,
        so it is compared with the latest stories instead (at most
        ``cross_script_candidates``).
        """
        seen = {c.story_id for c in found}
        cutoff = self._cutoff()
        result: list[_Candidate] = []
        for story in reversed(self._stories.values()):
            if len(result) + len(seen) >= self.settings.cross_script_candidates:
                break
            if story.id in seen:
                continue
            if _quiet(story, cutoff):
                continue
            result.append(_Candidate(story.id, self._features(prepared, story)))
        return [*found, *result]

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
            story = self._new_story(prepared.time)
        else:
            story = self._stories[story_id]
            self._stories.move_to_end(story_id)
        story.members.append(
            _Member(
                id=prepared.doc.id,
                counts=prepared.counts,
                embedding=prepared.embedding,
                time=prepared.time,
            )
        )
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
        self._dirty.add(story.id)
        self._retire_inactive()
        return story.id

    def _new_story(self, moment: float | None) -> _Story:
        story = _Story(
            id=self._next_id,
            members=[],
            centroids={view: Centroid(max_terms=self.settings.max_story_terms) for view in VIEWS},
            embedding=None,
            first_time=moment,
            last_time=moment,
            last_seq=self._seq,
        )
        self._next_id += 1
        self._stories[story.id] = story
        self._dirty.add(story.id)
        return story

    def _absorb(self, big: _Story, small: _Story) -> None:
        self._dirty.add(big.id)
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

    def _split(self, story: _Story) -> int | None:
        """Move the smaller of two well-separated member groups to a new story; its id.

        The bisection and its separation are computed on an evenly spaced sample of at most
        ``split_sample`` members; when the test passes, every member goes to the side whose
        sample centroid it is closer to.
        """
        size = len(story.members)
        story.tested_size = size
        self._dirty.add(story.id)
        if size < 2 * self.settings.split_min_part:
            return None
        sample = _sample_positions(size, self.settings.split_sample)
        matrix, columns = self._member_matrix([story.members[i] for i in sample])
        side = bisect(matrix)
        if side is None:
            return None
        part = int(side.sum())
        if min(part, len(sample) - part) < self.settings.split_min_part * len(sample) / size:
            return None
        if separation(matrix, side) < self.settings.split_cut(size):
            return None
        if len(sample) < size:
            inside, outside = matrix[side].sum(axis=0), matrix[~side].sum(axis=0)
            inside /= max(float(np.linalg.norm(inside)), 1e-12)
            outside /= max(float(np.linalg.norm(outside)), 1e-12)
            full, _ = self._member_matrix(story.members, columns)
            side = full @ inside > full @ outside
            part = int(side.sum())
            if min(part, size - part) < self.settings.split_min_part:
                return None
        if 2 * part > size:  # the larger group keeps the story
            side = ~side
        leaving = [m for m, out in zip(story.members, side, strict=True) if out]
        story.members = [m for m, out in zip(story.members, side, strict=True) if not out]
        self._rebuild(story)
        self._reindex(story)
        new = self._new_story(None)
        new.members = leaving
        new.last_seq = story.last_seq
        self._rebuild(new)
        self._reindex(new)
        self._moved.extend((m.id, new.id) for m in leaving)
        return new.id

    def _separated(self, story: _Story, other: _Story) -> bool:
        """Whether the union of two stories is one the split pass would break up again.

        Reads at most ``split_sample`` members of the union, spread evenly over both stories.
        """
        minimum = self.settings.split_min_part
        if len(story.members) < minimum or len(other.members) < minimum:
            return False
        size = len(story.members) + len(other.members)
        sample = _sample_positions(size, self.settings.split_sample)
        count = len(story.members)
        members = [story.members[i] if i < count else other.members[i - count] for i in sample]
        side = np.array([i < count for i in sample])
        if side.all() or not side.any():
            return False
        cut = self.settings.split_cut(size) - self.settings.split_merge_margin
        return separation(self._member_matrix(members)[0], side) >= cut

    def _member_matrix(
        self, members: Sequence[_Member], columns: dict[str, int] | None = None
    ) -> tuple[np.ndarray, dict[str, int]]:
        """Unit whole-text TF-IDF rows of ``members``, weighed with the IDF of today.

        With ``columns`` the rows are laid out on those terms only (others are dropped);
        without, on every term of the members. Returns the matrix and its columns.
        """
        table = self._frequencies["text"]
        rows = [_view_counts(m.counts, "text") for m in members]
        if columns is None:
            columns = {}
            for counts in rows:
                for term in counts:
                    columns.setdefault(term, len(columns))
        table.prefetch(columns)
        idf = {term: table.idf(term) for term in columns}
        matrix = np.zeros((len(rows), max(len(columns), 1)))
        for i, counts in enumerate(rows):
            for term, tf in counts.items():
                column = columns.get(term)
                if column is not None:
                    matrix[i, column] = (1.0 + math.log(tf)) * idf[term]
        norms = np.linalg.norm(matrix, axis=1, keepdims=True)
        unit = np.divide(matrix, norms, out=np.zeros_like(matrix), where=norms > 0)
        return unit, columns

    def _rebuild(self, story: _Story) -> None:
        """Recompute a story's centroids, embedding and times from its members."""
        story.centroids = {
            view: Centroid(max_terms=self.settings.max_story_terms) for view in VIEWS
        }
        story.embedding = None
        for view in VIEWS:
            self._frequencies[view].prefetch(
                term for member in story.members for term in _view_counts(member.counts, view)
            )
        for member in story.members:
            for view in VIEWS:
                weigh = self._frequencies[view].weigh
                story.centroids[view].add(weigh(_view_counts(member.counts, view)))
            if member.embedding is not None:
                story.embedding = (
                    member.embedding.copy()
                    if story.embedding is None
                    else story.embedding + member.embedding
                )
        times = [m.time for m in story.members if m.time is not None]
        story.first_time = min(times) if times else None
        story.last_time = max(times) if times else None

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
        self._orphans.pop(story.id, None)
        self._dropped.add(story.id)

    def _compact_stale(self) -> None:
        """Compact the stories that can take no new member any more (see :attr:`_Story.compact`):
        kept for storyline links, they cost the state little."""
        cutoff = self._cutoff()
        if (
            cutoff is None
            or self.settings.storyline_window_days <= self.settings.inactive_after_days
        ):
            return
        for story in self._stories.values():
            if story.compact or not _quiet(story, cutoff):
                continue
            story.compact = True
            story.members = [_Member(m.id, {}, None, m.time) for m in story.members]
            self._dirty.add(story.id)

    def _retire_inactive(self) -> None:
        cutoff = self._cutoff(storylines=True)
        while self._stories:
            oldest = next(iter(self._stories.values()))
            too_many = len(self._stories) > self.settings.max_active_stories
            stale = _quiet(oldest, cutoff)
            if not (too_many or stale):
                break
            self._drop(oldest)
            self._changed.discard(oldest.id)


#: Characters of an article read to tell its script.
_SCRIPT_SAMPLE = 2_000


def _quiet(story: _Story, cutoff: float | None) -> bool:
    """Whether ``story``'s last member came before ``cutoff`` (an undated story never)."""
    return cutoff is not None and story.last_time is not None and story.last_time < cutoff


def _foreign_script(text: str) -> bool:
    """Whether most letters of ``text`` are outside the Latin script (Hangul, CJK, Cyrillic …)."""
    letters = [c for c in text if c.isalpha()]
    if not letters:
        return False
    latin = sum(1 for c in letters if c < "\u0250")
    return latin < len(letters) / 2


def _view_counts(counts: Mapping[str, Mapping[str, int]], view: str) -> dict[str, int]:
    """Term counts of ``view`` from a member's kept counts (``text`` is title plus body)."""
    if view != "text":
        return dict(counts.get(view, {}))
    merged = dict(counts.get("title", {}))
    for term, count in counts.get("body", {}).items():
        merged[term] = merged.get(term, 0) + count
    return merged


def _sample_positions(size: int, limit: int) -> list[int]:
    """At most ``limit`` evenly spaced positions in ``range(size)`` (all when it fits)."""
    if size <= limit:
        return list(range(size))
    return [i * size // limit for i in range(limit)]


def _floats(vector: np.ndarray | None) -> list[float] | None:
    return None if vector is None else [float(x) for x in vector]


def _array(values: Sequence[float] | None) -> np.ndarray | None:
    return None if values is None else np.asarray(values, dtype=np.float64)


def bisect(matrix: np.ndarray) -> np.ndarray | None:
    """Two groups of the unit rows of ``matrix`` (a boolean mask), or ``None`` if inseparable.

    Seeds the cut along the rows' first principal direction (power iteration started from the
    row least like the mean, so the result is deterministic), then refines it by spherical
    2-means.
    """
    mean = matrix.mean(axis=0)
    centred = matrix - mean
    direction = centred[int(np.argmin(matrix @ mean))].copy()
    for _ in range(_POWER_STEPS):
        direction = centred.T @ (centred @ direction)
        norm = float(np.linalg.norm(direction))
        if norm == 0.0:
            return None
        direction /= norm
    side = centred @ direction > 0.0
    for _ in range(_KMEANS_STEPS):
        if side.all() or not side.any():
            return None
        inside, outside = matrix[side].sum(axis=0), matrix[~side].sum(axis=0)
        inside /= max(float(np.linalg.norm(inside)), 1e-12)
        outside /= max(float(np.linalg.norm(outside)), 1e-12)
        updated = matrix @ inside > matrix @ outside
        if (updated == side).all():
            break
        side = updated
    if side.all() or not side.any():
        return None
    return side


def separation(matrix: np.ndarray, side: np.ndarray) -> float:
    """How well two groups of unit rows stand apart: 0 for a random cut, up to 1 for disjoint.

    For each group, the mean cosine of a member with its own group's centroid (leaving the
    member out) less its mean cosine with the other group's centroid, relative to the first;
    the smaller of the two groups' values. A group that only exists because 2-means carved noise
    has members barely closer to their own side than to the other.
    """
    values = []
    for flag in (True, False):
        rows = matrix[side == flag]
        own, other = matrix[side == flag].sum(axis=0), matrix[side != flag].sum(axis=0)
        other_norm = float(np.linalg.norm(other))
        if not len(rows) or other_norm == 0.0:
            return 0.0
        row_square = np.einsum("ij,ij->i", rows, rows)
        own_dot = rows @ own
        rest = np.sqrt(np.maximum(float(own @ own) - 2.0 * own_dot + row_square, 0.0))
        own_cos = np.divide(own_dot - row_square, rest, out=np.zeros_like(rest), where=rest > 1e-12)
        cohesion = float(own_cos.mean())
        if cohesion <= 0.0:
            return 0.0
        values.append((cohesion - float((rows @ other).mean()) / other_norm) / cohesion)
    return min(values)


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
    place after the one before it). Stories merged by refinement report the surviving id;
    articles a split moved report their new story. Article ids should be unique.
    """
    settings = settings or ClusterSettings()
    items = list(docs)
    order = _arrival_order(items)
    embeddings: np.ndarray | None = None
    if settings.use_embeddings:
        if embedder is None:
            raise ValueError("use_embeddings is set: pass an embedder (load_default_embedder())")
        embeddings = encode_documents(
            embedder, [(items[i].title, items[i].text) for i in order], batch_size=batch_size
        )
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
    positions: dict[str, list[int]] = {}
    for step, position in enumerate(order):
        vector = None if embeddings is None else embeddings[step]
        assignment = clusterer.add(items[position], embedding=vector)
        raw[position] = assignment.story_id
        positions.setdefault(items[position].id, []).append(position)
        for member_id, story_id in assignment.moved:
            for moved in positions[member_id]:
                raw[moved] = story_id
        for absorbed, into in assignment.merged:
            parent[find(absorbed)] = find(into)
    return [find(story_id) for story_id in raw]
