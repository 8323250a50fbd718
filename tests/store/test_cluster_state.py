"""The clusterer's state in rows, on both backends: a run writes only what it changed, a resumed
clusterer goes on exactly as one that never stopped, a state saved whole before migration 22 is
moved into rows, and two processes assigning at once lose nothing."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from bench.stream import shared_file
from nkwatch.cluster.settings import ClusterSettings
from nkwatch.cluster.state import (
    SavedClusterer,
    decode_story,
    encode_story,
    load_clusterer,
    state_changes,
)
from nkwatch.cluster.stories import ClusterDoc, StoryClusterer
from nkwatch.store import SQLiteStore, Store, open_store

NEWS = shared_file(Path("shared") / "benchmarks" / "clustering" / "googlenews_ts.jsonl")
KEY = "test-settings"
#: Snippets of a few large gold stories, few stories kept active, refinement every 10 articles:
#: splits, merges and retirements all happen within a few hundred articles.
SETTINGS = replace(
    ClusterSettings(),
    max_active_stories=60,
    refine_every=10,
    split_min_part=3,
    split_separation=0.15,
)


def news(count: int) -> list[ClusterDoc]:
    if not NEWS.exists():
        pytest.skip(f"{NEWS} is not here")
    docs = []
    with NEWS.open(encoding="utf-8") as handle:
        for line in handle:
            row = json.loads(line)
            docs.append(ClusterDoc(id=row["id"], title=row["title"], text=row["text"]))
            if len(docs) == count:
                break
    return docs


def stories(clusterer: StoryClusterer) -> str:
    return json.dumps(
        [decode_story(encode_story(clusterer.story_state(i))) for i in clusterer.active_order()],
        default=lambda array: array.tolist(),
    )


def test_story_bytes_come_back_bit_for_bit() -> None:
    clusterer = StoryClusterer(settings=ClusterSettings())
    for doc in news(40):
        clusterer.add(doc, embedding=None)
    for story_id in clusterer.active_order():
        state = clusterer.story_state(story_id)
        back = decode_story(encode_story(state))
        assert json.dumps(back, default=list) == json.dumps(state, default=list)
        assert list(back["centroids"]["text"]) == list(state["centroids"]["text"])


def test_a_clusterer_resumed_from_rows_goes_on_as_one_resumed_from_the_whole_state(
    store: Store,
) -> None:
    """Each run of 40 articles resumes from what the last one saved: from the rows, and from the
    whole state as one JSON document (as before migration 22); both give the same stories."""
    docs = news(600)
    whole = StoryClusterer(settings=SETTINGS)
    expected = []
    for start in range(0, len(docs), 40):
        state = json.loads(json.dumps(whole.state_dict()))
        whole = StoryClusterer.from_state_dict(state, settings=SETTINGS)
        expected += [whole.add(doc) for doc in docs[start : start + 40]]

    saved: SavedClusterer | None = None
    got = []
    written = dropped = 0
    for start in range(0, len(docs), 40):
        loaded = load_clusterer(store, KEY, settings=SETTINGS)
        if loaded is None:
            assert start == 0
            loaded = SavedClusterer(StoryClusterer(settings=SETTINGS), {}, 1, fresh=True)
        else:
            # What the rows give back is what the last run left.
            assert saved is not None and stories(loaded.clusterer) == stories(saved.clusterer)
        saved = loaded
        got += [saved.clusterer.add(doc) for doc in docs[start : start + 40]]
        changes = state_changes(saved, KEY)
        store.save_cluster_changes(changes)
        written += len(changes.stories)
        dropped += len(changes.dropped)
        # Only the stories a run touched are written, never all of them at once.
        assert len(changes.stories) <= 40 + 2 * len(changes.dropped) + 10
    assert got == expected
    assert saved is not None and stories(saved.clusterer) == stories(whole)
    assert any(a.merged for a in expected) and any(a.moved for a in expected)
    assert dropped > 0
    assert len(store.cluster_stories()) == len(whole.active_order()) < 100
    header = store.cluster_state_header()
    assert header is not None and header[1]["clusterer"]["seq"] == len(docs)
    full = whole.state_dict()["frequencies"]
    for view, table in full.items():
        assert store.cluster_term_documents(view, sorted(table["counts"])) == table["counts"]
        assert store.cluster_term_documents(view, ["never-seen-term"]) == {}


def test_a_changed_settings_key_starts_afresh(store: Store) -> None:
    saved = SavedClusterer(StoryClusterer(settings=SETTINGS), {}, 1, fresh=True)
    for doc in news(30):
        saved.clusterer.add(doc)
    store.save_cluster_changes(state_changes(saved, KEY))
    assert load_clusterer(store, "other", settings=SETTINGS) is None
    fresh = SavedClusterer(StoryClusterer(settings=SETTINGS), {}, 1, fresh=True)
    fresh.clusterer.add(news(1)[0])
    store.save_cluster_changes(state_changes(fresh, "other"))
    assert len(store.cluster_stories()) == 1
    assert store.cluster_term_documents("title", ["centrepoint", "mourinho"]) == {"centrepoint": 1}
