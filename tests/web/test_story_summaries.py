"""Story pages, the stories API and the digest publish the same bytes whether the stories'
summaries were stored by the run or are made at read time."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from nkwatch import story_summaries
from nkwatch.enrich.profile import load_profile
from nkwatch.publish.digest import FORMATS, build_digest, parse_since, render
from nkwatch.store import SQLiteStore

UNTIL = datetime(2026, 11, 21, tzinfo=UTC)
NOW = datetime(2026, 11, 21, 6, tzinfo=UTC)


def _count_made(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Count the story summaries made (not read back) from now on."""
    made: list[int] = []
    original = story_summaries.summarize_story

    def counted(*args: Any, **kwargs: Any) -> Any:
        made.append(1)
        return original(*args, **kwargs)

    monkeypatch.setattr(story_summaries, "summarize_story", counted)
    return made


def _forget(db: Path) -> None:
    with sqlite3.connect(db) as connection:
        connection.execute("DELETE FROM story_summaries")


def _story_pages(client: Any) -> dict[str, bytes]:
    items = client.get("/api/v1/stories", params={"per_page": 100}).json()["items"]
    assert len(items) >= 3
    pages: dict[str, bytes] = {}
    for item in items:
        for path in (f"/stories/{item['id']}", f"/api/v1/stories/{item['id']}"):
            response = client.get(path)
            assert response.status_code == 200, path
            pages[path] = response.content
    return pages


def test_story_pages_are_the_same_with_and_without_stored_summaries(
    sample_db: Path, client_for: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    with SQLiteStore(sample_db) as store:
        assert store.stories_to_summarize() == []  # the ingest made every story's summary
    made = _count_made(monkeypatch)
    first = client_for(sample_db)
    stored = _story_pages(first)
    assert made == []  # every summary was read back
    _forget(sample_db)
    second = client_for(sample_db)
    second.cookies = first.cookies  # the same visitor: the same form token on the pages
    remade = _story_pages(second)
    assert len(made) == len(stored) // 2  # made once per story, then kept
    assert remade == stored
    third = client_for(sample_db)
    third.cookies = first.cookies
    made.clear()
    assert _story_pages(third) == stored
    assert made == []


def test_the_digest_is_the_same_with_and_without_stored_summaries(
    sample_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    profile = load_profile()
    since = parse_since("30d", until=UNTIL)
    made = _count_made(monkeypatch)
    with SQLiteStore(sample_db) as store:
        with_stored = build_digest(store, profile=profile, since=since, until=UNTIL, now=NOW)
        read_back = len(with_stored.stories) - len(made)
    assert read_back > 0  # some stories' digest summary is the one the run stored
    _forget(sample_db)
    made.clear()
    with SQLiteStore(sample_db) as store:
        without = build_digest(store, profile=profile, since=since, until=UNTIL, now=NOW)
        assert store.stories_to_summarize() != []  # the digest keeps none of its own
    assert len(made) == len(without.stories)
    for fmt in FORMATS:
        assert render(with_stored, fmt) == render(without, fmt)
