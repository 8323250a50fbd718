"""Undated articles in the digest, and links and outlets for articles read from local files."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from nkwatch.config import load_settings
from nkwatch.enrich.profile import load_profile
from nkwatch.errors import PublishError
from nkwatch.pipeline import ingest
from nkwatch.publish.digest import UNDATED_THEME, build_digest, render
from nkwatch.store import SQLiteStore

TEXT_PAGES = Path(__file__).parent.parent / "data" / "extract" / "text"
UNTIL = datetime(2100, 1, 1, tzinfo=UTC)  # after the collection time of the test run
SINCE = datetime(2000, 1, 1, tzinfo=UTC)


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> SQLiteStore:
    db = tmp_path_factory.mktemp("undated") / "u.db"
    store = SQLiteStore(db)
    pages = ["repost_breadcrumb.txt", "signoff_headline_lists.txt"]  # dated and undated
    ingest(
        [str(TEXT_PAGES / name) for name in pages],
        settings=load_settings(db_path=str(db)),
        store=store,
        allow_network=False,
        command="test",
    )
    return store


def test_undated_stories_have_their_own_section_and_no_date(store: SQLiteStore) -> None:
    digest = build_digest(store, profile=load_profile(), since=SINCE, until=UNTIL, now=UNTIL)
    undated = [s for s in digest.sections if s.theme == UNDATED_THEME]
    assert len(undated) == 1 and undated[0].label == "Undated"
    assert digest.sections[-1].theme == UNDATED_THEME
    story = undated[0].stories[0]
    assert story.title.startswith("Ration Cards Return")
    assert story.first_seen is None and story.last_seen is None
    dated = [s for s in digest.stories if s.first_seen is not None]
    assert dated and dated[0].first_seen == datetime(2026, 3, 3, tzinfo=UTC)
    markdown = render(digest, "md")
    assert "## Undated" in markdown
    assert "date unknown" in markdown
    article = store.get_article(story.links[0].article_id or 0)
    assert article is not None and article.published is None
    collected = article.fetched_at.astimezone(UTC)
    for fmt in ("md", "html", "rss", "atom", "jsonfeed"):
        # The collection time is never shown as if it were the story's date.
        shown = render(digest, fmt)
        for form in ("%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M", "%d %b %Y %H:%M"):
            assert collected.strftime(form) not in shown, (fmt, form)


def test_undated_stories_can_be_left_out(store: SQLiteStore) -> None:
    digest = build_digest(
        store, profile=load_profile(), since=SINCE, until=UNTIL, undated="exclude"
    )
    assert all(s.first_seen is not None for s in digest.stories)
    assert UNDATED_THEME not in {s.theme for s in digest.sections}
    with pytest.raises(PublishError):
        build_digest(store, profile=load_profile(), since=SINCE, until=UNTIL, undated="maybe")


def test_local_files_link_to_their_file_and_name_an_outlet(store: SQLiteStore) -> None:
    digest = build_digest(store, profile=load_profile(), since=SINCE, until=UNTIL, now=UNTIL)
    links = [link for story in digest.stories for link in story.links]
    quotes = [quote for story in digest.stories for quote in story.summary]
    assert links and quotes
    assert all(link.url and link.url.startswith("file:///") for link in links)
    assert all(quote.url and quote.url.startswith("file:///") for quote in quotes)
    outlets = {link.outlet for link in links}
    # A page that names its site in a copyright line keeps that name; the other names its file.
    assert "Pine Ridge Courier" in outlets
    assert "unknown outlet (repost_breadcrumb.txt)" in outlets


def test_article_link_forms(tmp_path: Path) -> None:
    from nkwatch.publish.digest import article_link
    from nkwatch.record import Article

    page = tmp_path / "weekly digest.html"
    web = Article(text="x", url="https://pineridge.example/a", source="https://pineridge.example/a")
    assert article_link(web) == "https://pineridge.example/a"
    local = Article(text="x", source=str(page))
    assert article_link(local) == page.as_uri()
    item = Article(text="x", source=f"{page}#item-3", item_index=2)
    assert article_link(item) == page.as_uri() + "#item-3"
    web_item = Article(text="x", source="https://pineridge.example/weekly#item-2", item_index=1)
    assert article_link(web_item) == "https://pineridge.example/weekly#item-2"
    hostile = Article(text="x", url="javascript:alert(1)", source="relative/name.txt")
    assert article_link(hostile) is None
