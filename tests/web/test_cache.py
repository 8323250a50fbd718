"""The read cache: one build per data version, nothing kept while a run writes, bounded."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from nkwatch.store import SQLiteStore
from nkwatch.web import views
from nkwatch.web.cache import ReadCache


def counter() -> tuple[list[int], Any]:
    built: list[int] = []

    def build() -> int:
        built.append(1)
        return len(built)

    return built, build


def test_one_build_per_version_and_key() -> None:
    cache = ReadCache()
    built, build = counter()
    assert cache.get((1,), "a", build) == 1
    assert cache.get((1,), "a", build) == 1
    assert cache.get((1,), "b", build) == 2
    assert cache.get((2,), "a", build) == 3  # a run changed the store
    assert cache.get(None, "a", build) == 4  # a run is writing: nothing kept
    assert cache.get(None, "a", build) == 5
    assert len(built) == 5 and cache.hits == 1


def test_entries_expire_and_the_least_recent_go_first() -> None:
    now = [0.0]
    cache = ReadCache(max_entries=2, max_age=10, clock=lambda: now[0])
    _built, build = counter()
    assert cache.get((1,), "a", build) == 1
    now[0] = 11.0
    assert cache.get((1,), "a", build) == 2  # older than ten seconds
    cache.get((1,), "b", build)
    cache.get((1,), "a", build)
    cache.get((1,), "c", build)  # "b" was the least recently used
    assert cache.get((1,), "a", build) == 2
    assert cache.get((1,), "b", build) == 5


def test_the_data_version_follows_runs(tmp_path: Path) -> None:
    with SQLiteStore(tmp_path / "v.db") as store:
        empty = views.data_version(store)
        run = store.start_run("ingest")
        assert views.data_version(store) is None
        store.finish_run(run, {"stored": 1})
        done = views.data_version(store)
        assert done is not None and done != empty


def test_pages_show_a_new_run_at_once(sample_db: Path, client_for: Any) -> None:
    from nkwatch.config import sample_corpus_path
    from nkwatch.pipeline import ingest
    from tests.web.conftest import settings_for

    client = client_for(sample_db)
    before = client.get("/api/v1/articles", params={"per_page": 100}).json()["items"]
    assert client.get("/api/v1/articles", params={"per_page": 100}).json()["items"] == before
    new = sample_corpus_path() / "html" / "hw_kim_yo_jong_air_drills.html"
    with SQLiteStore(sample_db) as store:
        ingest([str(new)], settings=settings_for(sample_db), store=store, allow_network=False)
    after = client.get("/api/v1/articles", params={"per_page": 100}).json()["items"]
    assert len(after) == len(before) + 1
