"""The store, on each backend: migrations, idempotent saves, digest families, search,
rejections."""

from __future__ import annotations

import itertools
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nkwatch.errors import Reason, RejectedInput
from nkwatch.record import Article, Origin
from nkwatch.store import SQLiteStore, Store, fts_query
from nkwatch.store.migrations import MIGRATIONS

_EXAMPLES = itertools.count()


def make(text: str = "North Korean troops were seen near Kursk. " * 5, **kw: object) -> Article:
    article = Article(text=text, title=kw.pop("title", "Troops near Kursk"), **kw)  # type: ignore[arg-type]
    article.source_key = article.source_key or article.url or "file:///tmp/a.html"
    return article


def test_migrations_recorded_once_and_wal(tmp_path: Path) -> None:
    path = tmp_path / "m.db"
    SQLiteStore(path).close()
    with SQLiteStore(path) as again:
        assert again.applied_migrations() == [(m.number, m.name) for m in MIGRATIONS]
    db = sqlite3.connect(path)
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_chart_history_reads_articles_through_the_date_index(tmp_path: Path) -> None:
    """A chart's history reads only its window's articles, in date order, from the index of
    migration 33: its cost does not grow with the years stored before the window."""
    with SQLiteStore(tmp_path / "d.db") as store:
        store.save_article(make(url="https://a.example/1"))
        traced: list[str] = []
        store._db.set_trace_callback(traced.append)
        list(store.iter_figures(since=datetime(2026, 1, 1, tzinfo=UTC)))
        store._db.set_trace_callback(None)
        query = next(sql for sql in traced if "e.figures" in sql)
        plan = " ".join(str(row[3]) for row in store._db.execute("EXPLAIN QUERY PLAN " + query))
    assert "USING INDEX articles_when" in plan and "TEMP B-TREE" not in plan, plan


def test_same_content_twice_is_one_article(store: Store) -> None:
    first = store.save_article(make(url="https://a.example/1"))
    second = store.save_article(make(url="https://a.example/1"))
    assert first.outcome == "stored"
    assert second.outcome == "unchanged"
    assert second.id == first.id
    assert store.count_articles() == {"article": 1}


def test_changed_content_at_same_source_updates_in_place(store: Store) -> None:
    first = store.save_article(make(url="https://a.example/1"))
    changed = store.save_article(
        make("Updated: the unit moved south. " * 6, title="Moved", url="https://a.example/1")
    )
    assert changed.outcome == "updated"
    assert changed.id == first.id
    assert store.search("moved south")[0].article.id == first.id
    assert store.search("Kursk") == []


def test_same_text_from_another_outlet_is_kept(store: Store) -> None:
    store.save_article(make(url="https://a.example/1", outlet="A"))
    store.save_article(make(url="https://b.example/9", outlet="B"))
    assert store.count_articles() == {"article": 2}


def test_digest_items_are_tied_to_their_page(store: Store) -> None:
    page = make("item one\n\nitem two", url="https://d.example/digest", is_digest_page=True)
    items = []
    for index, text in enumerate(["Item one about missiles. " * 4, "Item two about food. " * 4]):
        item = make(text, title=f"item {index}", item_index=index, parent_hash=page.content_hash)
        item.source_key = f"https://d.example/digest#item:{index}"
        items.append(item)
    results = store.save_articles([page, *items])
    page_id = results[0].id
    stored = [store.get_article(r.id) for r in results[1:]]
    assert all(a is not None and a.parent_id == page_id for a in stored)
    assert store.count_articles() == {"digest-page": 1, "digest-item": 2}


def test_round_trip_keeps_every_field(store: Store) -> None:
    published = datetime(2026, 10, 14, 9, 30, tzinfo=UTC)
    original = make(
        url="https://a.example/x",
        canonical_url="https://a.example/x",
        outlet="A",
        author="J. Kim",
        published=published,
        published_from="json-ld",
        language="en",
        origin=Origin("Daily Example", "https://daily.example/1"),
        source="/tmp/x.html",
    )
    saved = store.save_article(original)
    loaded = store.get_article(saved.id)
    assert loaded is not None
    assert loaded.to_export() == original.to_export()


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    title=st.text(min_size=0, max_size=80),
    text=st.text(min_size=1, max_size=400),
    hours=st.integers(min_value=-100_000, max_value=100_000),
)
def test_store_load_round_trip_property(store: Store, title: str, text: str, hours: int) -> None:
    # One store serves every example: each saves under a source key of its own.
    article = Article(
        text=text,
        title=title or None,
        published=datetime(2026, 1, 1, tzinfo=UTC) + timedelta(hours=hours),
        published_from="meta",
        source_key=f"k{next(_EXAMPLES)}",
    )
    saved = store.save_article(article)
    loaded = store.get_article(saved.id)
    assert loaded is not None
    if type(store).__name__ == "PostgresStore":  # PostgreSQL text holds no NUL: U+FFFD instead
        text, title = text.replace("\x00", "\ufffd"), title.replace("\x00", "\ufffd")
    assert (loaded.text, loaded.title, loaded.published) == (text, title or None, article.published)
    assert loaded.content_hash == Article(text=text, title=title or None).content_hash


def test_search_filters_and_ranks(store: Store) -> None:
    early = datetime(2026, 9, 20, tzinfo=UTC)
    late = datetime(2026, 11, 2, tzinfo=UTC)
    store.save_article(
        make(
            "Rice prices in Hyesan markets rose again. " * 4,
            title="Rice",
            url="u1",
            outlet="A",
            published=early,
        )
    )
    store.save_article(
        make(
            "Corn and rice prices fell in Pyongyang. " * 4,
            title="Corn",
            url="u2",
            outlet="B",
            published=late,
        )
    )
    assert {h.article.url for h in store.search("rice prices")} == {"u1", "u2"}
    assert [h.article.url for h in store.search("rice", outlet="b")] == ["u2"]
    assert [
        h.article.url for h in store.search("rice", since=datetime(2026, 10, 1, tzinfo=UTC))
    ] == ["u2"]
    assert [
        h.article.url for h in store.search("rice", until=datetime(2026, 10, 1, tzinfo=UTC))
    ] == ["u1"]
    assert store.search('"unbalanced (quote AND') == []
    assert store.search("Pyong*")[0].article.url == "u2"


def test_search_keeps_the_best_matches_of_many_in_rank_order(store: Store) -> None:
    """More hits than one look-up of rows reads: the kept ones are the best, best first,
    each with its snippet, with and without a filter."""
    store.save_articles(
        [
            make(
                "missile " * count + "harvest " * (500 - count),
                title=f"Report {count}",
                url=f"r{count}",
                outlet="A" if count % 2 else "B",
            )
            for count in range(1, 461)
        ]
    )
    everything = store.search("missile", limit=1000)
    assert len(everything) == 460 and everything[0].article.url == "r460"
    ranks = [h.rank for h in everything]
    assert ranks == sorted(ranks)
    hits = store.search("missile", limit=430)
    assert [h.article.url for h in hits] == [h.article.url for h in everything[:430]]
    assert all("[missile]" in h.snippet for h in hits)
    filtered = store.search("missile", outlet="a", limit=5)
    assert [h.article.url for h in filtered] == [
        h.article.url for h in everything if h.article.outlet == "A"
    ][:5]


def test_search_ranks_the_newest_matches_of_a_common_word(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Past SEARCH_RECENT matches, the newest arrivals are the ones ranked: the oldest
    articles here match best, and a narrow enough query still reaches them."""
    store.save_articles(
        [
            make(
                "missile " * (461 - number) + "harvest " * (39 + number),
                title=f"Report {number}",
                url=f"r{number}",
            )
            for number in range(1, 461)
        ]
    )
    assert store.search("missile", limit=3)[0].article.url == "r1"
    for module in ("nkwatch.store.sqlite", "nkwatch.store.postgres"):
        monkeypatch.setattr(f"{module}.SEARCH_RECENT", 50, raising=False)
    capped = store.search("missile", limit=3)
    assert len(capped) == 3 and all(int(h.article.url[1:]) > 410 for h in capped)
    assert store.search("missile", limit=3, outlet="nowhere") == []


def test_search_reads_words_without_their_accents(store: Store) -> None:
    """McCune-Reischauer's ŏ and ŭ, and any other Latin accent, match the bare letter both
    ways, and the snippet shows the text as written with the matched words marked."""
    text = (
        "The delegation reached Pyŏngyang on Monday and met officials of the Chosŏn "
        "Workers' Party [sic] before a visit to the Sinŭiju customs post near the river. "
    ) * 2
    store.save_article(make(text, title="Visit", url="mr"))
    store.save_article(make("Traders in Sinuiju said prices held. " * 5, title="T", url="plain"))
    for query in ("pyongyang", "PYŎNGYANG", "choson", "Chos*"):
        (hit,) = store.search(query)
        assert hit.article.url == "mr", query
    assert {h.article.url for h in store.search("sinŭiju")} == {"mr", "plain"}
    snippet = store.search("pyongyang")[0].snippet
    assert "[Pyŏngyang]" in snippet and "Chosŏn" in snippet


def test_fts_query_quotes_operators() -> None:
    assert fts_query('kim AND "jong" OR-un') == '"kim" "AND" "jong" "OR" "un"'
    assert fts_query("Pyong*") == '"Pyong"*'
    assert fts_query("!!!") == ""


def test_rejections_are_counted_not_duplicated(store: Store) -> None:
    rejected = RejectedInput("/tmp/x.bin", Reason.BINARY, "binary")
    store.record_rejection(rejected)
    store.record_rejection(rejected)
    rows = store.rejections()
    assert len(rows) == 1
    assert (rows[0].source, rows[0].reason, rows[0].times) == ("/tmp/x.bin", "binary", 2)


def test_validators_upsert(store: Store) -> None:
    assert store.get_validators("https://a.example/") is None
    store.save_validators("https://a.example/", '"v1"', None)
    store.save_validators("https://a.example/", '"v2"', "Mon, 02 Nov 2026 10:00:00 GMT")
    assert store.get_validators("https://a.example/") == ('"v2"', "Mon, 02 Nov 2026 10:00:00 GMT")


def test_interrupted_transaction_keeps_earlier_commits(store: Store) -> None:
    store.save_article(make(url="kept"))
    broken = make(url="lost")
    broken.source_key = ""
    with pytest.raises(ValueError):
        store.save_articles([make(url="also-lost"), broken])
    assert [a.url for a in store.iter_articles()] == ["kept"]


def test_unwritable_store_path_is_a_clear_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    from nkwatch.errors import StoreError

    with pytest.raises(StoreError, match="cannot open the store"):
        SQLiteStore(blocker / "sub" / "s.db")
