"""One article per canonical URL: a feed entry and its fetched page become one record."""

from __future__ import annotations

from datetime import UTC, datetime

from nkwatch.record import Article
from nkwatch.store import Store
from nkwatch.store.sqlite import canonical_key

PAGE = "https://pineridge.example/korea/2026/03/ferry-route-reopens"
SHORT = "The ferry route to the islands reopened on Monday after repairs to the pier."
FULL = SHORT + " " + "Crews worked through the winter to replace the pilings, officials said. " * 6
FEED_DATE = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)


def feed_entry() -> Article:
    link = PAGE + "?utm_source=rss&utm_medium=feed"
    return Article(
        text=SHORT,
        title="Ferry route reopens",
        url=link,
        source_key=link,
        published=FEED_DATE,
        published_from="feed",
        outlet="Pine Ridge Courier",
    )


def page(*, published: datetime | None = None) -> Article:
    return Article(
        text=FULL,
        title="Ferry route reopens",
        url=PAGE + "#top",
        canonical_url=PAGE,
        source_key=PAGE + "#top",
        published=published,
        published_from="json-ld" if published else "none",
    )


def test_canonical_key_drops_fragment_and_tracking_only() -> None:
    assert canonical_key(PAGE + "?utm_source=rss#comments") == PAGE
    assert canonical_key(PAGE + "?id=7&fbclid=x") == PAGE + "?id=7"
    assert canonical_key("/tmp/local.txt") is None


def test_feed_entry_then_page_is_one_article_with_the_fuller_text(store: Store) -> None:
    first = store.save_article(feed_entry())
    merged = page()
    second = store.save_article(merged)
    assert second.id == first.id and second.outcome == "updated"
    assert store.count_articles()["article"] == 1
    stored = store.get_article(first.id)
    assert stored is not None
    assert stored.text == FULL
    # The page gives no date: the feed's date is kept, and says where it came from.
    assert stored.published == FEED_DATE and stored.published_from == "feed"
    assert stored.outlet == "Pine Ridge Courier"
    assert merged.id == first.id and merged.text == FULL
    # Saving either again changes nothing.
    assert store.save_article(page()).outcome == "unchanged"
    assert store.save_article(feed_entry()).outcome == "unchanged"


def test_page_then_feed_entry_keeps_the_page_text_and_its_own_date(store: Store) -> None:
    own = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
    first = store.save_article(page(published=own))
    second = store.save_article(feed_entry())
    assert second.id == first.id
    stored = store.get_article(first.id)
    assert stored is not None
    assert stored.text == FULL and stored.published == own and stored.published_from == "json-ld"


def test_different_pages_stay_apart(store: Store) -> None:
    other = page()
    other.canonical_url = PAGE + "-update"
    other.source_key = other.url = PAGE + "-update"
    store.save_article(feed_entry())
    store.save_article(other)
    assert store.count_articles()["article"] == 2


def test_home_page_canonical_and_unrelated_text_never_merge(store: Store) -> None:
    assert canonical_key("https://pineridge.example/") is None
    unrelated = feed_entry()
    unrelated.text = "Bus fares in the capital will rise next month, the city council said. " * 3
    unrelated.url = unrelated.source_key = PAGE + "?utm_source=newsletter"
    store.save_article(unrelated)
    store.save_article(page())
    assert store.count_articles()["article"] == 2
