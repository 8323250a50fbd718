"""Each stage's pending work is kept as articles arrive and are done, and always equals what a
walk over the whole store would find."""

from __future__ import annotations

import random
import sqlite3
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from nkwatch.record import Article
from nkwatch.store import SQLiteStore, Store

_START = datetime(2026, 3, 1, tzinfo=UTC)

#: The whole-store definition of each stage's work, as the lists read it before the store kept
#: pending work: the reference the kept lists are checked against.
_REFERENCE = {
    "fingerprint": "SELECT a.id FROM articles a WHERE a.kind != 'digest-page' AND NOT EXISTS "
    "(SELECT 1 FROM fingerprints f WHERE f.article_id = a.id AND f.paragraph = -1) ORDER BY a.id",
    "enrich": "SELECT a.id FROM articles a LEFT JOIN enrichment e ON e.article_id = a.id "
    "WHERE a.kind != 'digest-page' AND (e.article_id IS NULL OR e.profile != ?) ORDER BY a.id",
    "protect": "SELECT a.id FROM articles a LEFT JOIN protection_analyses p "
    "ON p.article_id = a.id WHERE a.kind != 'digest-page' "
    "AND (p.article_id IS NULL OR p.version != ?) ORDER BY a.id",
    "summarize": "SELECT a.id FROM articles a LEFT JOIN summaries s ON s.article_id = a.id "
    "WHERE a.kind != 'digest-page' AND (s.article_id IS NULL "
    "OR s.content_hash != a.content_hash) ORDER BY a.id",
}


def _article(index: int, text: str | None = None) -> Article:
    return Article(
        text=text or f"Report {index}: rice in Hyesan costs {index} won more this week.",
        title=f"Report {index}",
        published=_START + timedelta(hours=index),
        fetched_at=_START + timedelta(days=2),
        source_key=f"pending:{index}",
        source=f"pending:{index}",
    )


def _digest_page(index: int) -> list[Article]:
    page = Article(
        text="Item one.\n\nItem two.",
        title=f"Digest {index}",
        fetched_at=_START,
        source_key=f"digest:{index}",
        source=f"digest:{index}",
        is_digest_page=True,
    )
    items = [
        Article(
            text=f"Digest {index}, item {item}: a market note from Sinuiju.",
            title=None,
            fetched_at=_START,
            source_key=f"digest:{index}:{item}",
            source=f"digest:{index}",
            item_index=item,
            parent_hash=page.content_hash,
        )
        for item in range(2)
    ]
    return [*items, page]


class Stages:
    """One store's four lists and the calls that store each stage's result."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.keys = {"enrich": "profile-1", "protect": "version-1"}

    def listed(self, stage: str) -> list[int]:
        store = self.store
        fetch: dict[str, Callable[[], list[Article]]] = {
            "fingerprint": store.articles_without_fingerprint,
            "enrich": lambda: store.articles_to_enrich(self.keys["enrich"]),
            "protect": lambda: store.articles_to_protect(self.keys["protect"]),
            "summarize": store.articles_to_summarize,
        }
        return sorted(a.id or 0 for a in fetch[stage]())

    def reference(self, stage: str) -> list[int]:
        key = self.keys.get(stage)
        params = (key,) if key is not None else ()
        db = self.store._db  # type: ignore[attr-defined]
        return [int(row[0]) for row in db.execute(_REFERENCE[stage], params)]

    def finish(self, stage: str, article: Article, key: str | None = None) -> None:
        store, article_id = self.store, article.id or 0
        if stage == "fingerprint":
            store.save_fingerprints(article_id, [(-1, "h", 3, b"\0" * 8, [])])
        elif stage == "enrich":
            data: dict[str, list[object]] = {"themes": [], "entities": [], "figures": []}
            store.save_enrichment(article_id, key or self.keys["enrich"], data)
        elif stage == "protect":
            store.save_protection_analysis(article_id, "h", key or self.keys["protect"], [])
        else:
            store.save_summary(article_id, article.content_hash, ["A sentence."])

    def check(self) -> None:
        for stage in _REFERENCE:
            assert self.listed(stage) == self.reference(stage), stage


@pytest.fixture
def stages(store: Store) -> Stages:
    return Stages(store)


def test_new_articles_are_listed_and_leave_each_list_when_done(stages: Stages) -> None:
    store = stages.store
    first, second = _article(1), _article(2)
    store.save_articles([first, second, *_digest_page(1)])
    page_items = [a.id or 0 for a in store.iter_articles(kinds=["digest-item"])]
    assert len(page_items) == 2
    for stage in _REFERENCE:
        assert stages.listed(stage) == sorted([first.id or 0, second.id or 0, *page_items])
    for stage in _REFERENCE:
        stages.finish(stage, first)
        assert first.id not in stages.listed(stage)
        assert second.id in stages.listed(stage)
    stages.check()


def test_a_changed_text_needs_a_new_summary_only(stages: Stages) -> None:
    store = stages.store
    article = _article(3)
    store.save_articles([article])
    for stage in _REFERENCE:
        stages.finish(stage, article)
    assert all(stages.listed(stage) == [] for stage in _REFERENCE)
    changed = _article(3, text="Report 3, corrected: rice in Hyesan costs 3 won less.")
    store.save_articles([changed])
    assert changed.id == article.id
    assert stages.listed("summarize") == [article.id]
    assert [stages.listed(s) for s in ("fingerprint", "enrich", "protect")] == [[], [], []]
    # A summary of the old text does not take the article off the list; one of the new does.
    stages.finish("summarize", article)
    assert stages.listed("summarize") == [article.id]
    stages.finish("summarize", changed)
    assert stages.listed("summarize") == []


def test_a_new_key_lists_every_article_again(stages: Stages) -> None:
    store = stages.store
    articles = [_article(index) for index in range(4)]
    store.save_articles(articles)
    for article in articles:
        stages.finish("enrich", article)
        stages.finish("protect", article)
    assert stages.listed("enrich") == stages.listed("protect") == []
    stages.keys = {"enrich": "profile-2", "protect": "version-2"}
    ids = sorted(a.id or 0 for a in articles)
    assert stages.listed("enrich") == stages.listed("protect") == ids
    # A result made with the old key (another process of older code) leaves it listed.
    stages.finish("enrich", articles[0], key="profile-1")
    assert stages.listed("enrich") == ids
    stages.finish("enrich", articles[0])
    assert stages.listed("enrich") == ids[1:]
    stages.check()


def test_results_removed_by_hand_are_found_again_after_a_recheck(stages: Stages) -> None:
    store = stages.store
    article = _article(5)
    store.save_articles([article])
    stages.finish("summarize", article)
    assert stages.listed("summarize") == []
    with store.transaction():
        store._db.execute("DELETE FROM summaries")  # type: ignore[attr-defined]
    store.recheck_pending()
    assert stages.listed("summarize") == [article.id]


def test_kept_lists_equal_a_walk_over_the_store_through_mixed_work(stages: Stages) -> None:
    """Random arrivals, corrections, results, key changes and rechecks: after every step, each
    kept list is what the whole-store definition finds."""
    rng = random.Random(7)
    store = stages.store
    articles: dict[int, Article] = {}
    for step in range(120):
        action = rng.random()
        if action < 0.3 or not articles:
            article = _article(len(articles) + 100)
            store.save_articles([article])
            articles[article.id or 0] = article
        elif action < 0.4:
            old = rng.choice(list(articles.values()))
            index = int((old.source_key or "").split(":")[1])
            changed = _article(index, text=f"{old.text} Corrected at step {step}.")
            store.save_articles([changed])
            articles[changed.id or 0] = changed
        elif action < 0.43:
            store.save_articles(_digest_page(step))
        elif action < 0.46:
            stage = rng.choice(["enrich", "protect"])
            stages.keys[stage] = f"{stage}-{step}"
        elif action < 0.48:
            store.recheck_pending()
        else:
            stage = rng.choice(list(_REFERENCE))
            stages.finish(stage, rng.choice(list(articles.values())))
        if step % 10 == 9:
            stages.check()
    stages.check()


def test_lists_read_the_pending_rows_not_every_article(tmp_path: Path) -> None:
    """The point of keeping the work: a list's query plan starts from the stage's pending rows
    and reaches articles by their key, whatever the store's size."""
    db = tmp_path / "plan.db"
    with SQLiteStore(db) as store:
        store.save_articles([_article(index) for index in range(30)])
        for stage, (sql, params) in {
            "fingerprint": store._pending_sql("fingerprint", ""),
            "enrich": store._pending_sql("enrich", "k"),
            "protect": store._pending_sql("protect", "k"),
            "summarize": store._pending_sql("summarize", ""),
        }.items():
            plan = [
                str(row[3])
                for row in sqlite3.connect(db).execute(f"EXPLAIN QUERY PLAN {sql}", params)
            ]
            assert plan[0].startswith("SEARCH w USING PRIMARY KEY (stage=?)"), (stage, plan)
            assert "SEARCH a USING INTEGER PRIMARY KEY (rowid=?)" in plan, (stage, plan)
            assert not any(step.startswith("SCAN") for step in plan), (stage, plan)
