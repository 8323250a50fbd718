"""The clusterer's state in rows, on both backends: a run writes only what it changed, a resumed
clusterer goes on exactly as one that never stopped, a state saved whole before migration 22 is
moved into rows, and two processes assigning at once lose nothing."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

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
from nkwatch.store import Store, open_store

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


def test_a_state_saved_whole_is_moved_into_rows(
    store_target: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A store migrated up to 21 holds the whole state as one JSON document; migration 22
    moves it into rows, and a clusterer resumed from them is the one the document held."""
    import nkwatch.store.postgres as postgres_module
    import nkwatch.store.sqlite as sqlite_module

    docs = news(300)
    clusterer = StoryClusterer(settings=SETTINGS)
    for doc in docs:
        clusterer.add(doc)
    active = clusterer.active_order()
    document = {
        "clusterer": clusterer.state_dict(),
        # Store ids of retired clusters too, as the whole state kept them.
        "ids": {str(i): 1000 + i for i in range(max(active) + 1)},
        "next_id": 5000,
    }
    for module in (sqlite_module, postgres_module):
        old = tuple(m for m in module.MIGRATIONS if m.number < 22)
        monkeypatch.setattr(module, "MIGRATIONS", old)
    with open_store(store_target) as store:
        assert max(number for number, _ in store.applied_migrations()) == 21
        with store.transaction():
            store._db.execute(  # type: ignore[attr-defined]
                "INSERT INTO cluster_state (id, settings, state, updated_at) VALUES (1, ?, ?, ?)",
                (KEY, json.dumps(document), "2026-12-05T00:00:00+00:00"),
            )
    monkeypatch.undo()
    with open_store(store_target) as store:
        assert (22, "cluster-state-rows") in store.applied_migrations()
        with pytest.raises(Exception, match="cluster_state"):
            store._db.execute("SELECT * FROM cluster_state")  # type: ignore[attr-defined]
        if hasattr(store._db, "raw"):  # type: ignore[attr-defined]
            store._db.raw.rollback()  # type: ignore[attr-defined]
        loaded = load_clusterer(store, KEY, settings=SETTINGS)
        assert loaded is not None
        assert stories(loaded.clusterer) == stories(clusterer)
        assert loaded.ids == {i: 1000 + i for i in active}
        assert loaded.next_id == 5000
        assert loaded.clusterer.state_header() == clusterer.state_header()
        # It goes on as the clusterer resumed from the document does.
        resumed = StoryClusterer.from_state_dict(document["clusterer"], settings=SETTINGS)
        more = news(360)[300:]
        assert [loaded.clusterer.add(d) for d in more] == [resumed.add(d) for d in more]


def test_an_empty_store_migrates_without_a_state(store: Store) -> None:
    assert store.cluster_state_header() is None
    assert store.cluster_stories() == []
    assert store.cluster_term_documents("text", []) == {}


_WRITER = """
import json, sys
from nkwatch.cluster.persist import StoryAssigner
from nkwatch.store import open_store

url, ids = sys.argv[1], json.loads(sys.argv[2])


class Arrived:
    def __init__(self, store, arrived):
        self._store, self.arrived = store, arrived

    def __getattr__(self, name):
        return getattr(self._store, name)

    def articles_without_story(self, **paging):
        return [a for a in self._store.articles_without_story(**paging) if a.id in self.arrived]


class Counting(StoryAssigner):
    added = 0

    def _place(self, *args):
        clustered = super()._place(*args)
        Counting.added += int(clustered)
        return clustered


with open_store(url) as store:
    for end in [*range(3, len(ids), 3), len(ids)]:
        Counting(Arrived(store, set(ids[:end]))).run()
print(json.dumps({"added": Counting.added}))
"""


def test_two_processes_assigning_at_once_lose_nothing(postgres_url: str, tmp_path: Path) -> None:
    """Two processes assign disjoint halves of the sample to stories at once, a few articles
    per pass: each pass reads the state inside its write transaction, so neither assigns from a
    state the other has moved on from, and the saved state counts every article clustered."""
    from nkwatch.config import load_settings
    from nkwatch.sample import ingest_sample

    with open_store(postgres_url) as store:
        ingest_sample(store, settings=load_settings(db_path=str(tmp_path / "unused.db")))
        with store.transaction():
            db = store._db  # type: ignore[attr-defined]
            db.execute("UPDATE articles SET story_id = NULL")
            for table in ("stories", "cluster_header", "cluster_stories", "cluster_terms"):
                db.execute(f"DELETE FROM {table}")
        ids = [a.id for a in store.articles_without_story()]
    assert len(ids) >= 89
    root = str(Path(__file__).resolve().parents[2])
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([root, os.environ.get("PYTHONPATH", "")])}
    writers = [
        subprocess.Popen(
            [sys.executable, "-c", _WRITER, postgres_url, json.dumps(ids[half::2])],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
        )
        for half in (0, 1)
    ]
    added = 0
    for writer in writers:
        out, err = writer.communicate(timeout=600)
        assert writer.returncode == 0, err
        added += json.loads(out.strip().splitlines()[-1])["added"]

    with open_store(postgres_url) as store:
        articles = {a.id: a for a in store.iter_articles()}
        assert all(articles[i].story_id is not None for i in ids)
        header = store.cluster_state_header()
        assert header is not None
        # Every article the clusterer placed, in either process, is in the saved state.
        assert header[1]["clusterer"]["seq"] == added
        assert header[1]["clusterer"]["documents"]["text"] == added
        # Copies take their original's story; the clusterer places nearly every original.
        originals = [i for i in ids if articles[i].duplicate_of is None]
        assert added >= 0.9 * len(originals)
        members = [
            m["id"] for row in store.cluster_stories() for m in decode_story(row.state)["members"]
        ]
        assert len(members) == len(set(members))
        for row in store.cluster_stories():
            for member in decode_story(row.state)["members"]:
                assert articles[int(member["id"])].story_id == row.story_id
        in_stories = [a for a in articles.values() if a.story_id]
        totals = store._db.execute(  # type: ignore[attr-defined]
            "SELECT SUM(articles) FROM stories"
        ).fetchone()
        assert int(totals[0]) == len(in_stories)
