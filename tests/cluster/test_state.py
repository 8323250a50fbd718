"""The clusterer's state kept in rows gives the same stories as the state kept whole.

The reference keeps the whole state as one JSON document between runs, as the store did before
migration 22 (every story id ever handed out, every term count); the rows hold only the active
stories and read term counts on demand. Both replay the labelled sample corpus, in one run and
over several runs of shuffled parts, and must end with the same stories, the same storylines
and the same clusterer state.
"""

from __future__ import annotations

import json
import random
import shutil
import sqlite3
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any, cast

import pytest

from nkwatch.cluster.persist import StoryAssigner
from nkwatch.cluster.settings import ClusterSettings
from nkwatch.cluster.state import SavedClusterer, decode_story, encode_story
from nkwatch.cluster.stories import StoryClusterer
from nkwatch.config import load_settings
from nkwatch.record import Article
from nkwatch.sample import ingest_sample
from nkwatch.store import SQLiteStore, Store


class JsonStateAssigner(StoryAssigner):
    """The story assigner with its state kept whole, as one JSON document (``box["state"]``)."""

    def __init__(self, store: Store, box: dict[str, str], settings: ClusterSettings) -> None:
        super().__init__(store, settings=settings)
        self.box = box

    def _load(self) -> None:
        if "state" in self.box:
            state = json.loads(self.box["state"])
            saved = SavedClusterer(
                clusterer=StoryClusterer.from_state_dict(
                    state["clusterer"], settings=self.settings
                ),
                ids={int(k): v for k, v in state["ids"].items()},
                next_id=max(state["next_id"], 1 + self.store.max_story_id()),
            )
        else:
            saved = SavedClusterer(
                clusterer=StoryClusterer(settings=self.settings),
                ids={},
                next_id=1 + self.store.max_story_id(),
            )
        self._saved = saved

    def _save(self) -> None:
        saved = self._state
        self.box["state"] = json.dumps(
            {"clusterer": saved.clusterer.state_dict(), "ids": saved.ids, "next_id": saved.next_id}
        )


class Arrived:
    """A store in which only some of the stored articles have arrived yet."""

    def __init__(self, store: Store, arrived: set[int]) -> None:
        self._store = store
        self.arrived = arrived

    def __getattr__(self, name: str) -> Any:
        return getattr(self._store, name)

    def articles_without_story(self, **paging: Any) -> list[Article]:
        return [a for a in self._store.articles_without_story(**paging) if a.id in self.arrived]


@pytest.fixture(scope="module")
def sample_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample corpus ingested once (its stories are cleared by each copy)."""
    db = tmp_path_factory.mktemp("state") / "sample.db"
    with SQLiteStore(db) as store:
        ingest_sample(store, settings=load_settings(db_path=str(db)))
    return db


def unclustered_copy(sample_db: Path, target: Path) -> Path:
    shutil.copy(sample_db, target)
    with sqlite3.connect(target) as db:
        db.execute("UPDATE articles SET story_id = NULL")
        for table in ("stories", "cluster_header", "cluster_stories", "cluster_terms"):
            db.execute(f"DELETE FROM {table}")
    return target


def outcome(db: Path) -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]:
    with sqlite3.connect(db) as conn:
        members = conn.execute("SELECT id, story_id FROM articles ORDER BY id").fetchall()
        stories = conn.execute(
            "SELECT id, title, articles, independent_sources, storyline_id, first_seen, "
            "last_seen FROM stories ORDER BY id"
        ).fetchall()
    return members, stories


def replay(
    db: Path,
    parts: list[set[int]],
    make: Callable[[Store], StoryAssigner],
) -> StoryClusterer:
    """Assign stories run by run, each run seeing the articles of one more part."""
    arrived: set[int] = set()
    assigner = None
    with SQLiteStore(db) as store:
        for part in parts:
            arrived |= part
            assigner = make(cast(Store, Arrived(store, set(arrived))))
            assigner.run()
        assert assigner is not None
        return assigner.clusterer


def stories_of(clusterer: StoryClusterer) -> list[dict[str, Any]]:
    return [decode_story(encode_story(clusterer.story_state(i))) for i in clusterer.active_order()]


def same(left: list[dict[str, Any]], right: list[dict[str, Any]]) -> bool:
    return json.dumps(left, default=lambda a: a.tolist()) == json.dumps(
        right, default=lambda a: a.tolist()
    )


SETTINGS = {
    "default": ClusterSettings(),
    # Stories retire within days and few stay active: retirement and pruning at every run.
    "short-lived": replace(ClusterSettings(), inactive_after_days=2.0, max_active_stories=12),
}


@pytest.mark.parametrize("name", sorted(SETTINGS))
@pytest.mark.parametrize("runs", [1, 5, 20])
def test_rows_give_the_stories_of_the_whole_state(
    sample_db: Path, tmp_path: Path, name: str, runs: int
) -> None:
    settings = SETTINGS[name]
    rows_db = unclustered_copy(sample_db, tmp_path / "rows.db")
    json_db = unclustered_copy(sample_db, tmp_path / "json.db")
    with SQLiteStore(rows_db) as store:
        ids = [a.id for a in store.articles_without_story() if a.id is not None]
    assert len(ids) >= 89
    random.Random(runs).shuffle(ids)
    parts = [set(ids[i::runs]) for i in range(runs)]

    box: dict[str, str] = {}
    by_rows = replay(rows_db, parts, lambda s: StoryAssigner(s, settings=settings))
    by_json = replay(json_db, parts, lambda s: JsonStateAssigner(s, box, settings))

    members, stories = outcome(rows_db)
    assert (members, stories) == outcome(json_db)
    assert all(story is not None for article, story in members if article in ids)
    assert len(stories) >= 20
    # The state read back from the rows is the one the whole state holds.
    assert same(stories_of(by_rows), stories_of(by_json))
    with SQLiteStore(rows_db) as store:
        resumed = StoryAssigner(store, settings=settings).clusterer
        assert same(stories_of(resumed), stories_of(by_json))
        header = store.cluster_state_header()
        assert header is not None
        whole = by_json.state_dict()
        assert header[1]["clusterer"]["seq"] == whole["seq"]
        documents = {v: t["documents"] for v, t in whole["frequencies"].items()}
        assert header[1]["clusterer"]["documents"] == documents
        for view, table in whole["frequencies"].items():
            assert store.cluster_term_documents(view, list(table["counts"])) == table["counts"]
        active = len(by_json.active_order())
        assert len(store.cluster_stories()) == active
        if name == "short-lived":
            assert active <= 12
