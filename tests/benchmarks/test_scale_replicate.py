"""``bench/scale.py replicate``: copies of a processed store, moved back in time, with fresh ids
and references that stay inside their copy."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from contextlib import closing
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from bench import scale
from nkwatch.cluster.persist import StoryAssigner
from nkwatch.cluster.state import decode_story
from nkwatch.config import load_settings
from nkwatch.sample import ingest_sample
from nkwatch.store import SQLiteStore

COPIES = 3


@pytest.fixture(scope="module")
def stores(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, Path]]:
    folder = tmp_path_factory.mktemp("replicate")
    source = folder / "sample.db"
    with SQLiteStore(source) as store:
        ingest_sample(store, settings=load_settings(db_path=str(source)))
    replica = folder / "replica.db"
    scale.replicate(source, replica, copies=COPIES)
    yield source, replica


def _rows(db: Path, sql: str) -> list[tuple]:
    with closing(sqlite3.connect(f"file:{db}?mode=ro", uri=True)) as conn:
        return conn.execute(sql).fetchall()


def _one(db: Path, sql: str) -> object:
    return _rows(db, sql)[0][0]


def test_tables_hold_a_copy_per_age_or_one(stores: tuple[Path, Path]) -> None:
    source, replica = stores
    for table in scale.PER_COPY:
        count = _one(source, f'SELECT count(*) FROM "{table}"')
        assert _one(replica, f'SELECT count(*) FROM "{table}"') == COPIES * count, table
    for table in (*scale.NEWEST, *scale.ONCE, "migrations"):
        assert _one(replica, f'SELECT count(*) FROM "{table}"') == _one(
            source, f'SELECT count(*) FROM "{table}"'
        ), table
    assert _one(source, "SELECT count(*) FROM stories") > 0
    assert _one(source, "SELECT count(*) FROM summaries") > 0


def test_ids_grow_with_time_and_the_newest_copy_is_the_source(stores: tuple[Path, Path]) -> None:
    source, replica = stores
    size = int(_one(source, "SELECT max(id) FROM articles"))
    first, last = (
        datetime.fromisoformat(v)
        for v in _rows(source, "SELECT min(published), max(published) FROM articles")[0]
    )
    span = timedelta(days=-(-(last - first) // timedelta(days=1)))
    original = {
        row[0]: row[1:]
        for row in _rows(source, "SELECT id, title, text, published, story_id FROM articles")
    }
    stories = int(_one(source, "SELECT max(id) FROM stories"))
    copied = _rows(replica, "SELECT id, title, text, published, story_id FROM articles ORDER BY id")
    assert len(copied) == COPIES * len(original)
    for new_id, title, text, published, story_id in copied:
        copy, old_id = divmod(new_id - 1, size)
        age = COPIES - 1 - copy
        was = original[old_id + 1]
        assert (title, text) == was[:2]
        if was[2] is not None:
            assert datetime.fromisoformat(published) == datetime.fromisoformat(was[2]) - age * span
        assert story_id == (was[3] + copy * stories if was[3] else was[3])
    assert _one(replica, "SELECT max(published) FROM articles") == last.isoformat()
    assert (
        _one(replica, "SELECT min(published) FROM articles")
        == (first - (COPIES - 1) * span).isoformat()
    )


def test_unique_keys_differ_per_copy_and_references_stay_inside_it(
    stores: tuple[Path, Path],
) -> None:
    source, replica = stores
    size = int(_one(source, "SELECT max(id) FROM articles"))
    articles = _rows(source, "SELECT count(*), count(DISTINCT content_hash) FROM articles")[0]
    assert _rows(
        replica, "SELECT count(DISTINCT source_key), count(DISTINCT content_hash) FROM articles"
    )[0] == (
        COPIES * articles[0],
        COPIES * articles[1],
    )
    urls = _one(source, "SELECT count(DISTINCT canonical_key) FROM articles")
    assert (
        urls
        and _one(replica, "SELECT count(DISTINCT canonical_key) FROM articles") == COPIES * urls
    )
    for column in ("duplicate_of", "parent_id"):
        crossing = _one(
            replica,
            f"SELECT count(*) FROM articles a JOIN articles b ON b.id = a.{column} "
            f"WHERE (a.id - 1) / {size} != (b.id - 1) / {size}",
        )
        assert crossing == 0, column
    assert _one(replica, "SELECT count(*) FROM articles WHERE duplicate_of IS NOT NULL") == (
        COPIES * _one(source, "SELECT count(*) FROM articles WHERE duplicate_of IS NOT NULL")
    )
    assert (
        _one(
            replica,
            "SELECT count(*) FROM articles a LEFT JOIN stories s ON s.id = a.story_id "
            "WHERE a.story_id > 0 AND s.id IS NULL",
        )
        == 0
    )
    assert _one(
        replica,
        "SELECT count(*) FROM summaries s JOIN articles a ON a.id = s.article_id "
        "WHERE s.content_hash != a.content_hash",
    ) == _one(
        source,
        "SELECT count(*) FROM summaries s JOIN articles a ON a.id = s.article_id "
        "WHERE s.content_hash != a.content_hash",
    )
    for (sentences,) in _rows(replica, "SELECT sentences FROM story_summaries"):
        for row in json.loads(sentences):
            assert _one(replica, f"SELECT count(*) FROM articles WHERE id = {int(row[1])}") == 1


def test_the_clusterer_state_is_the_newest_copy(stores: tuple[Path, Path]) -> None:
    source, replica = stores
    size = int(_one(source, "SELECT max(id) FROM articles"))
    rows = _rows(replica, "SELECT story_id, state FROM cluster_stories WHERE story_id IS NOT NULL")
    assert rows
    for story_id, blob in rows:
        for member in decode_story(blob)["members"]:
            article = int(member["id"])
            assert article > (COPIES - 1) * size
            assert _one(replica, f"SELECT story_id FROM articles WHERE id = {article}") in (
                story_id,
                0,
            )
    with SQLiteStore(replica) as store:
        assigner = StoryAssigner(store, settings=load_settings(db_path=str(replica)).cluster)
        assert set(assigner.ids.values()) == {story_id for story_id, _ in rows}
        assert assigner.next_id > store.max_story_id()
        assert assigner.run().assigned == 0


def test_the_store_opens_as_it_is_and_search_finds_old_copies(stores: tuple[Path, Path]) -> None:
    source, replica = stores
    assert _rows(replica, "SELECT * FROM migrations") == _rows(source, "SELECT * FROM migrations")
    with closing(sqlite3.connect(replica)) as conn:
        conn.execute("INSERT INTO articles_fts(articles_fts, rank) VALUES ('integrity-check', 1)")
    size = int(_one(source, "SELECT max(id) FROM articles"))
    oldest = datetime.fromisoformat(str(_one(replica, "SELECT min(published) FROM articles")))
    with SQLiteStore(source) as store:
        found = len(store.search("Hyesan", limit=500))
    with SQLiteStore(replica) as store:
        assert store.applied_migrations() == [
            (number, name) for number, name, _ in _rows(source, "SELECT * FROM migrations")
        ]
        hits = store.search("Hyesan", until=oldest + timedelta(days=60), limit=50)
        assert hits
        assert all(hit.article.id is not None and hit.article.id <= size for hit in hits)
        assert found and len(store.search("Hyesan", limit=500)) == COPIES * found
        assert store.articles_to_summarize() == []
        assert store.stories_to_summarize() == []
