"""What only the PostgreSQL store has to prove: several processes writing at once, a dropped
connection, an interrupted statement, and its own SQL dialect."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from nkwatch.errors import BudgetExceeded, StoreError
from nkwatch.isolation import time_budget
from nkwatch.record import Article
from nkwatch.store import open_store

psycopg = pytest.importorskip("psycopg", reason="the postgres extra is not installed")
from nkwatch.store.postgres import PostgresStore, translate  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]

WRITER = """
import sys
from nkwatch.errors import Reason, RejectedInput
from nkwatch.record import Article
from nkwatch.store import open_store

url, tag = sys.argv[1], sys.argv[2]
with open_store(url) as store:
    run = store.start_run(f"writer {tag}")
    for n in range(40):
        article = Article(text=f"Report number {n} on the border crossings. " * 8, title=f"R{n}")
        article.source_key = f"shared/{n}"
        store.save_article(article)
        own = Article(text=f"Writer {tag} note {n} about the ferry. " * 8, title=f"{tag}{n}")
        own.source_key = f"{tag}/{n}"
        store.save_articles([own])
        store.record_rejection(RejectedInput("shared.bin", Reason.BINARY, "binary"))
    store.finish_run(run, {"stored": 40})
"""


def make(key: str) -> Article:
    article = Article(text=f"The article stored under {key}, with enough words. " * 5, title=key)
    article.source_key = key
    return article


def test_two_processes_writing_at_once(postgres_url: str) -> None:
    open_store(postgres_url).close()  # migrated before the race
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    writers = [
        subprocess.Popen(
            [sys.executable, "-c", WRITER, postgres_url, tag],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for tag in ("a", "b")
    ]
    for writer in writers:
        _, errors = writer.communicate(timeout=120)
        assert writer.returncode == 0, errors
    with open_store(postgres_url) as store:
        assert store.count_articles() == {"article": 120}  # 40 shared once, 40 of each writer
        keys = [a.source_key for a in store.iter_articles()]
        assert len(keys) == len(set(keys))
        (rejection,) = store.rejections()
        assert rejection.times == 80  # no increment lost
        assert sorted(run["status"] for run in store.runs()) == ["finished", "finished"]


def test_two_stores_opening_a_new_database_migrate_it_once(postgres_url: str) -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    code = "import sys; from nkwatch.store import open_store; open_store(sys.argv[1]).close()"
    openers = [
        subprocess.Popen(
            [sys.executable, "-c", code, postgres_url], env=env, stderr=subprocess.PIPE
        )
        for _ in range(2)
    ]
    for opener in openers:
        _, errors = opener.communicate(timeout=120)
        assert opener.returncode == 0, errors
    with open_store(postgres_url) as store:
        numbers = [number for number, _ in store.applied_migrations()]
        assert len(numbers) == len(set(numbers))


def test_a_dropped_connection_is_one_clear_line_and_loses_nothing_committed(
    postgres_url: str,
) -> None:
    store = open_store(postgres_url)
    assert isinstance(store, PostgresStore)
    store.save_article(make("kept"))
    backend = store._db.raw.info.backend_pid
    with (
        psycopg.connect(postgres_url, autocommit=True) as admin,
        pytest.raises(StoreError, match="lost the connection") as caught,
        store.transaction(),
    ):
        store.save_article(make("lost"))
        admin.execute("SELECT pg_terminate_backend(%s)", (backend,))
        store.save_article(make("after"))
    message = str(caught.value)
    assert "\n" not in message
    assert "run the command again" in message
    store.close()
    with open_store(postgres_url) as again:  # a re-run finds what was committed, and only that
        assert [a.source_key for a in again.iter_articles()] == ["kept"]
        again.save_article(make("lost"))
        assert again.count_articles() == {"article": 2}


def test_a_time_budget_cancels_the_statement_and_keeps_the_connection(postgres_url: str) -> None:
    with open_store(postgres_url) as store:
        assert isinstance(store, PostgresStore)
        started = time.monotonic()
        with pytest.raises(BudgetExceeded), store.transaction(), time_budget(0.3):
            store.save_article(make("interrupted"))
            store._db.execute("SELECT pg_sleep(20)")
        assert time.monotonic() - started < 10
        store.save_article(make("next"))
        assert [a.source_key for a in store.iter_articles()] == ["next"]


def test_a_nested_unit_rolls_back_alone(postgres_url: str) -> None:
    with open_store(postgres_url) as store:
        with store.transaction():
            store.save_article(make("outer"))
            with pytest.raises(ValueError), store.transaction():
                store.save_article(make("inner"))
                raise ValueError("this article fails")
        assert [a.source_key for a in store.iter_articles()] == ["outer"]


def test_placeholders_are_translated_outside_quotes_only() -> None:
    assert translate("SELECT '?%', x FROM t WHERE a = ? AND b LIKE 'a%'") == (
        "SELECT '?%%', x FROM t WHERE a = %s AND b LIKE 'a%%'"
    )


def test_search_reads_no_operators_and_matches_prefixes(postgres_url: str) -> None:
    with open_store(postgres_url) as store:
        article = make("k")
        article.text = "Pyongyang announced a new satellite launch window. " * 4
        store.save_article(article)
        assert store.search("satellite launch")[0].article.source_key == "k"
        assert store.search("Pyong*")[0].snippet.count("[") >= 1
        assert store.search("satellite -launch")[0].article.source_key == "k"
        assert store.search("satellite OR nothingsuch") == []
        assert store.search("!!! ***") == []


def test_long_reads_come_from_a_server_side_cursor(postgres_url: str) -> None:
    """Listing every article holds one page of rows at a time, not the whole table; the cursor
    closes when the listing ends or is dropped, and writes between pages are safe."""
    with open_store(postgres_url) as store:
        assert isinstance(store, PostgresStore)
        store.save_articles([make(f"k{n:04d}") for n in range(1203)])

        def cursors() -> list[str]:
            return [row[0] for row in store._db.execute("SELECT name FROM pg_cursors")]

        listing = store.iter_articles()
        first = next(listing)
        assert first.source_key == "k0000"
        assert len(cursors()) == 1
        store.save_articles([make("written-while-listing")])
        keys = [first.source_key, *(a.source_key for a in listing)]
        assert keys[:1203] == [f"k{n:04d}" for n in range(1203)]
        assert cursors() == []
        partial = store.iter_articles(newest_first=True)
        next(partial)
        partial.close()
        assert cursors() == []
        rows = list(store._db.stream("SELECT id FROM articles ORDER BY id", size=7))
        assert len(rows) == 1204
