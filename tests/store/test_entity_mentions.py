"""The entity mentions index: kept in step with enrichment, filled for older stores, queried
for counts, days, stories and articles."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from nkwatch.record import Article
from nkwatch.store import SQLiteStore, Store


def mention(name: str, *, known: bool = True, kind: str = "PERSON") -> dict[str, Any]:
    return {"canonical": name, "type": kind, "surface": name, "start": 0, "end": 1, "known": known}


def enrichment(*mentions: dict[str, Any]) -> dict[str, Any]:
    return {"themes": [], "entities": list(mentions), "figures": []}


def article(store: Store, number: int, day: int, *, story: int | None = None) -> int:
    saved = store.save_article(
        Article(
            text=f"Report number {number} about the border, written for the index tests.",
            title=f"Report {number}",
            url=f"https://a.example/{number}",
            source_key=f"https://a.example/{number}",
            published=datetime(2026, 11, day, 23, 30, tzinfo=UTC),
            outlet="A",
        )
    )
    if story is not None:
        store.save_story(
            {
                "id": story,
                "title": f"Story {story}",
                "first_seen": datetime(2026, 11, 1, tzinfo=UTC),
                "last_seen": datetime(2026, 11, day, tzinfo=UTC),
                "articles": 1,
                "independent_sources": 1,
                "outlets": ["A"],
            }
        )
        store.set_story(saved.id, story)
    return saved.id


def test_counts_days_stories_and_articles(store: Store) -> None:
    first = article(store, 1, 3, story=7)
    second = article(store, 2, 3, story=7)
    third = article(store, 3, 5, story=8)
    copy = article(store, 4, 5, story=8)
    store.save_enrichment(first, "p", enrichment(mention("Kim Yo Jong"), mention("Kim Yo Jong")))
    store.save_enrichment(second, "p", enrichment(mention("kim yo jong"), mention("Pyongyang")))
    store.save_enrichment(
        third, "p", enrichment(mention("Kim Yo Jong"), mention("Ri", known=False))
    )
    store.save_enrichment(copy, "p", enrichment(mention("Kim Yo Jong")))
    store.set_duplicate(copy, third, "exact", 1.0)  # copies repeat their original: not counted

    counts = store.entity_counts()
    assert counts[0] == {"name": "Kim Yo Jong", "type": "PERSON", "articles": 3, "known": True}
    assert [c["name"] for c in counts] == ["Kim Yo Jong", "Pyongyang"]  # known only
    assert store.entity_total() == 2 and store.entity_total(known_only=False) == 3
    assert [c["name"] for c in store.entity_counts(offset=1, limit=1)] == ["Pyongyang"]
    assert store.entity_counts(offset=5, limit=5) == []

    found = store.entity_name("KIM YO  JONG")
    assert found == {"name": "Kim Yo Jong", "type": "PERSON", "known": True}
    assert store.entity_name("ri") == {"name": "Ri", "type": "PERSON", "known": False}
    assert store.entity_name("nobody") is None
    # Days are UTC dates of publication (23:30 UTC stays on its day).
    assert store.entity_days("Kim Yo Jong") == [("2026-11-03", 2), ("2026-11-05", 1)]
    stories = store.entity_stories("kim yo jong")
    assert [(s["id"], s["mentions"]) for s in stories] == [(7, 2), (8, 1)]
    assert stories[0]["title"] == "Story 7"
    assert [s["id"] for s in store.entity_stories("Kim Yo Jong", limit=1)] == [7]
    assert [a.id for a in store.entity_articles("Kim Yo Jong")] == [third, second, first]
    assert [a.id for a in store.entity_articles("Kim Yo Jong", offset=1, limit=1)] == [second]


def test_enriching_again_replaces_an_articles_mentions(store: Store) -> None:
    first = article(store, 1, 3)
    store.save_enrichment(first, "p", enrichment(mention("Pyongyang")))
    store.save_enrichment(first, "p", enrichment(mention("Kaesong")))
    assert [c["name"] for c in store.entity_counts()] == ["Kaesong"]
    store.save_enrichment(first, "p", enrichment())
    assert store.entity_counts() == [] and store.entity_total() == 0


def test_an_older_store_gets_its_index_filled(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    with SQLiteStore(path) as store:
        first = article(store, 1, 3)
        store.save_enrichment(first, "p", enrichment(mention("Pyongyang"), mention("Pyongyang")))
    # As a store written before migration 21: no index, neither it nor the mentions' dates
    # (migration 36) recorded.
    db = sqlite3.connect(path)
    db.execute("DROP TABLE entity_mentions")
    db.execute("DELETE FROM migrations WHERE number IN (21, 36)")
    db.commit()
    db.close()
    with SQLiteStore(path) as store:
        assert (21, "entity-mentions") in store.applied_migrations()
        assert (36, "entity-mention-dates") in store.applied_migrations()
        [only] = store.entity_counts()
        assert (only["name"], only["articles"]) == ("Pyongyang", 1)
        assert store.entity_days("Pyongyang") == [("2026-11-03", 1)]
        assert [a.id for a in store.entity_articles("Pyongyang")] == [first]


def test_a_mentions_date_follows_its_article(store: Store) -> None:
    """An entity's days and latest articles read each mention's own date, which follows its
    article's when the article is stored again with another date."""
    first = article(store, 1, 3)
    second = article(store, 2, 9)
    third = article(store, 3, 6)
    for number in (first, second, third):
        store.save_enrichment(number, "p", enrichment(mention("Kaesong")))
    assert [a.id for a in store.entity_articles("Kaesong")] == [second, third, first]
    assert [a.id for a in store.entity_articles("Kaesong", offset=1, limit=1)] == [third]
    # The first report is corrected and re-dated: stored again under its key.
    corrected = Article(
        text="Report number 1 about the border, corrected and dated again for the tests.",
        title="Report 1",
        url="https://a.example/1",
        source_key="https://a.example/1",
        published=datetime(2026, 11, 12, 8, 0, tzinfo=UTC),
        outlet="A",
    )
    assert store.save_article(corrected).id == first
    assert [a.id for a in store.entity_articles("Kaesong")] == [first, second, third]
    assert [d for d, _ in store.entity_days("Kaesong")] == [
        "2026-11-06",
        "2026-11-09",
        "2026-11-12",
    ]


def test_copies_are_left_out_whichever_comes_first(store: Store) -> None:
    first = article(store, 1, 3)
    copy = article(store, 2, 4)
    store.save_enrichment(first, "p", enrichment(mention("Kaesong")))
    store.set_duplicate(copy, first, "near", 0.9)  # marked a copy before it is enriched
    store.save_enrichment(copy, "p", enrichment(mention("Kaesong")))
    assert [(e["name"], e["articles"]) for e in store.entity_counts()] == [("Kaesong", 1)]
    store.set_duplicate(copy, None, None, None)  # no longer a copy: counted again
    assert store.entity_counts()[0]["articles"] == 2
    assert [d for d, _ in store.entity_days("Kaesong")] == ["2026-11-03", "2026-11-04"]
