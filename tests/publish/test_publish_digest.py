"""The first digest: window, order, verbatim leads, escaping, links, unwritable paths."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from nkwatch.errors import PublishError
from nkwatch.publish import build_digest, parse_since, render, write_digest
from nkwatch.record import Article, Origin
from nkwatch.store import SQLiteStore

UNTIL = datetime(2026, 11, 20, 12, tzinfo=UTC)


def _save(store: SQLiteStore, key: str, title: str, text: str, day: int, **kw: object) -> None:
    article = Article(
        text=text,
        title=title,
        url=kw.pop("url", f"https://news.example/{key}"),  # type: ignore[arg-type]
        outlet=kw.pop("outlet", "News Example"),  # type: ignore[arg-type]
        published=datetime(2026, 11, day, 8, tzinfo=UTC),
        published_from="json-ld",
        source_key=key,
        **kw,  # type: ignore[arg-type]
    )
    store.save_article(article)


@pytest.fixture
def store(tmp_path: Path) -> SQLiteStore:
    with SQLiteStore(tmp_path / "d.db") as s:
        _save(s, "old", "Old launch", "An old launch was reported. It was long ago.", 1)
        _save(
            s,
            "new",
            "Troops moved to Kursk",
            "About 11,000 troops moved. Officials confirmed it. A third sentence follows.",
            19,
            origin=Origin("Pyongyang Monitor", None),
        )
        _save(
            s,
            "xss",
            "<script>alert(1)</script> Rice prices",
            "Rice cost <b>6,000 won</b> a kilo. Traders said so.",
            18,
            url="javascript:alert(1)",
        )
        yield s


def test_window_and_newest_first(store: SQLiteStore) -> None:
    digest = build_digest(store, since=parse_since("7d", until=UNTIL), until=UNTIL)
    assert [e.title for e in digest.entries] == [
        "Troops moved to Kursk",
        "<script>alert(1)</script> Rice prices",
    ]
    assert digest.entries[0].lead == "About 11,000 troops moved. Officials confirmed it."


def test_html_is_self_contained_escaped_and_linked(store: SQLiteStore) -> None:
    html = render(build_digest(store, since=parse_since("7d", until=UNTIL), until=UNTIL), "html")
    assert "<script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; Rice prices" in html
    assert "javascript:" not in html
    assert '<a href="https://news.example/new" rel="noopener">Read more' in html
    assert "first published by Pyongyang Monitor" in html
    assert "http" not in html.replace("https://news.example/new", "")
    assert '<main id="content">' in html and '<html lang="en">' in html


def test_markdown(store: SQLiteStore) -> None:
    md = render(build_digest(store, since=parse_since("7d", until=UNTIL), until=UNTIL), "md")
    assert "## Troops moved to Kursk" in md
    assert "[Read more](https://news.example/new)" in md
    assert "\\<script\\>" in md


def test_empty_window_is_friendly(store: SQLiteStore) -> None:
    since = parse_since("2026-12-01", until=UNTIL)
    digest = build_digest(store, since=since, until=UNTIL)
    assert digest.entries == ()
    assert "Nothing new in this window." in render(digest, "html")
    assert "Nothing new in this window." in render(digest, "md")


def test_parse_since_forms() -> None:
    assert parse_since("12h", until=UNTIL) == datetime(2026, 11, 20, 0, tzinfo=UTC)
    assert parse_since("2w", until=UNTIL) == datetime(2026, 11, 6, 12, tzinfo=UTC)
    assert parse_since("2026-11-01", until=UNTIL) == datetime(2026, 11, 1, tzinfo=UTC)
    with pytest.raises(PublishError, match="neither a window"):
        parse_since("yesterday", until=UNTIL)


def test_unwritable_output_names_the_path(store: SQLiteStore, tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    digest = build_digest(store, since=parse_since("7d", until=UNTIL), until=UNTIL)
    with pytest.raises(PublishError, match=r"cannot write the digest to .*file/out\.html"):
        write_digest(digest, blocker / "out.html", "html")
