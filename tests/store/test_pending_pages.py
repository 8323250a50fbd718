"""Pending-work lists page through the store: the pages, joined, are the whole list in order."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest

from nkwatch.record import Article
from nkwatch.store import Store


@pytest.fixture
def store(store: Store) -> Store:
    """The conftest's store (SQLite, and PostgreSQL when configured), filled."""
    start = datetime(2026, 1, 1, tzinfo=UTC)
    articles = []
    for index in range(23):
        # Arrival order (date, then id) differs from id order; some share a date, some have none.
        published = None if index % 5 == 0 else start + timedelta(days=(index * 7) % 11)
        articles.append(
            Article(
                text=f"Report {index} about rice prices in Hyesan, week {index}.",
                title=f"Report {index}",
                published=published,
                fetched_at=start + timedelta(days=30),
                source_key=f"test:{index}",
                source=f"test:{index}",
            )
        )
    store.save_articles(articles)
    return store


def _paged(fetch: Callable[..., list[Article]], size: int) -> list[int | None]:
    ids: list[int | None] = []
    after = None
    while True:
        page = fetch(after=after, limit=size)
        ids += [a.id for a in page]
        if len(page) < size:
            return ids
        after = page[-1].id


@pytest.mark.parametrize("size", [1, 4, 23, 50])
def test_pages_join_into_the_whole_list(store: Store, size: int) -> None:
    lists: list[Callable[..., list[Article]]] = [
        store.articles_without_fingerprint,
        store.articles_without_story,
        store.articles_to_summarize,
        lambda **page: store.articles_to_enrich("profile", **page),
    ]
    for fetch in lists:
        whole = [a.id for a in fetch()]
        assert len(whole) == 23
        assert _paged(fetch, size) == whole
    arrival = [a.id for a in store.articles_without_story()]
    assert arrival != sorted(arrival), "arrival order should differ from id order here"


def test_ingest_progress_is_kept_per_archive_version(store: Store) -> None:
    assert store.ingest_progress("a.warc.gz", "10:1") == 0
    store.save_ingest_progress("a.warc.gz", "10:1", 64)
    store.save_ingest_progress("a.warc.gz", "10:1", 128)
    assert store.ingest_progress("a.warc.gz", "10:1") == 128
    assert store.ingest_progress("a.warc.gz", "11:2") == 0  # the file changed since
    store.clear_ingest_progress("a.warc.gz")
    assert store.ingest_progress("a.warc.gz", "10:1") == 0
