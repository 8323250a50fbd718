"""The story clusterer's saved state, kept in the store as rows: read what a run needs, write
what it changed.

A small header holds the clusterer's counters, clock and per-view document totals; each active
story is one row (its members' term counts, its centroids, its times, embeddings as raw
float64 bytes), placed in the order the clusterer retires stories; each ``(view, term)``
document count is a row of its own, read only for the terms a run meets. A run loads the header
and the active stories, reads term counts on demand, and writes back the header, the stories it
changed, the stories it retired and the term counts it raised: its cost follows the active
stories and the new articles, not the history of the store.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from nkwatch.cluster.embed import Embedder
from nkwatch.cluster.settings import ClusterSettings
from nkwatch.cluster.stories import STATE_VERSION, VIEWS, StoryClusterer
from nkwatch.cluster.views import LazyFrequencies
from nkwatch.store import Store
from nkwatch.store.records import ClusterStateChanges, ClusterStoryState

_FLOAT = np.dtype("<f8")


def _pack(values: Any) -> str | None:
    if values is None:
        return None
    return base64.b64encode(np.asarray(values, dtype=_FLOAT).tobytes()).decode("ascii")


def _unpack(text: str | None) -> np.ndarray | None:
    if text is None:
        return None
    return np.frombuffer(base64.b64decode(text), dtype=_FLOAT).astype(np.float64)


def encode_story(state: Mapping[str, Any]) -> bytes:
    """One story's state (:meth:`StoryClusterer.story_state`) as compact bytes.

    Term counts and centroid weights keep their order (later sums depend on it); floats and
    embeddings come back bit for bit.
    """
    data = dict(state)
    data["embedding"] = _pack(state["embedding"])
    data["members"] = [{**m, "embedding": _pack(m["embedding"])} for m in state["members"]]
    return json.dumps(data, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def decode_story(blob: bytes) -> dict[str, Any]:
    """The story state that :func:`encode_story` wrote."""
    data: dict[str, Any] = json.loads(blob.decode("utf-8"))
    data["embedding"] = _unpack(data["embedding"])
    for member in data["members"]:
        member["embedding"] = _unpack(member["embedding"])
    return data


@dataclass(slots=True)
class SavedClusterer:
    """A clusterer resumed from the store, with what the story assigner keeps beside it."""

    clusterer: StoryClusterer
    #: Clusterer story id → store story id, for the active stories.
    ids: dict[int, int]
    #: The next store story id to hand out.
    next_id: int
    #: Place of each loaded story in the retirement order, and the next free place.
    places: dict[int, int] = field(default_factory=dict)
    next_place: int = 0
    #: Store story id of each loaded story as saved (a changed one is written back).
    saved_ids: dict[int, int | None] = field(default_factory=dict)
    fresh: bool = False


def _reader(store: Store, view: str) -> Callable[[list[str]], dict[str, int]]:
    def read(terms: list[str]) -> dict[str, int]:
        return store.cluster_term_documents(view, terms)

    return read


def load_clusterer(
    store: Store,
    settings_key: str,
    *,
    settings: ClusterSettings,
    embedder: Embedder | None = None,
) -> SavedClusterer | None:
    """The clusterer saved under ``settings_key``; ``None`` when nothing (or another settings'
    state) is saved. Term counts are read later, as the clusterer meets the terms."""
    saved = store.cluster_state_header()
    if saved is None or saved[0] != settings_key:
        return None
    header = saved[1]
    rows = store.cluster_stories()
    totals = header["clusterer"].get("documents", {})
    frequencies = {
        view: LazyFrequencies(documents=int(totals.get(view, 0)), load=_reader(store, view))
        for view in VIEWS
    }
    clusterer = StoryClusterer.from_parts(
        header["clusterer"],
        (decode_story(row.state) for row in rows),
        frequencies,
        settings=settings,
        embedder=embedder,
    )
    clusterer.take_changes()
    return SavedClusterer(
        clusterer=clusterer,
        ids={row.cluster_id: row.story_id for row in rows if row.story_id is not None},
        next_id=int(header["next_id"]),
        places={row.cluster_id: row.place for row in rows},
        next_place=int(header["next_place"]),
        saved_ids={row.cluster_id: row.story_id for row in rows},
    )


def state_changes(saved: SavedClusterer, settings_key: str) -> ClusterStateChanges:
    """What to write so that the store holds ``saved`` as it is now.

    Stories keep their place while the retirement order keeps them in it: only stories joined
    (moved to the end), added or changed are written. Store ids of retired stories are not kept:
    a story is given its storyline in the run that creates it, so a retired one needs its
    clusterer id no more.
    """
    clusterer = saved.clusterer
    dirty, dropped = clusterer.take_changes()
    written: list[ClusterStoryState] = []
    last = -1
    for cluster_id in clusterer.active_order():
        place = saved.places.get(cluster_id)
        if place is None or place <= last:
            place = saved.next_place
            saved.next_place += 1
            saved.places[cluster_id] = place
            dirty.add(cluster_id)
        last = place
        story_id = saved.ids.get(cluster_id)
        if cluster_id in dirty or saved.saved_ids.get(cluster_id) != story_id:
            saved.saved_ids[cluster_id] = story_id
            written.append(
                ClusterStoryState(
                    cluster_id=cluster_id,
                    story_id=story_id,
                    place=place,
                    state=encode_story(clusterer.story_state(cluster_id)),
                )
            )
    gone = tuple(sorted(cluster_id for cluster_id in dropped if cluster_id in saved.places))
    for cluster_id in gone:
        del saved.places[cluster_id]
        saved.saved_ids.pop(cluster_id, None)
    terms: list[tuple[str, str, int]] = []
    for view in VIEWS:
        table = clusterer.term_frequencies(view)
        if isinstance(table, LazyFrequencies):
            changed = table.changed_counts()
            table.changed.clear()
        else:
            changed = dict(sorted(table.counts.items()))
        terms.extend((view, term, count) for term, count in changed.items())
    return ClusterStateChanges(
        settings=settings_key,
        header={
            "clusterer": clusterer.state_header(),
            "next_id": saved.next_id,
            "next_place": saved.next_place,
        },
        stories=tuple(written),
        dropped=gone,
        terms=tuple(terms),
        fresh=saved.fresh,
    )


def cluster_state_rows(
    settings_key: str, document: Mapping[str, Any]
) -> ClusterStateChanges | None:
    """The rows of a state saved whole (``{"clusterer", "ids", "next_id"}``, before the state
    was kept in rows); ``None`` when it is of another version (the next run starts afresh)."""
    state = document.get("clusterer", {})
    if state.get("version") != STATE_VERSION:
        return None
    clusterer = StoryClusterer.from_state_dict(state, settings=ClusterSettings())
    ids = {int(k): int(v) for k, v in document.get("ids", {}).items()}
    saved = SavedClusterer(clusterer=clusterer, ids=ids, next_id=int(document["next_id"]))
    saved.fresh = True
    return state_changes(saved, settings_key)
