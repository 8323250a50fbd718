"""Stored story summaries: one per story with the digest of its inputs, replaced, and the
stories changed since theirs was made listed."""

from __future__ import annotations

from datetime import UTC, datetime

from nkwatch.store import Store


def _story(store: Store, story_id: int) -> None:
    store.save_story(
        {
            "id": story_id,
            "title": f"Story {story_id}",
            "first_seen": datetime(2026, 11, 1, tzinfo=UTC),
            "last_seen": datetime(2026, 11, 2, tzinfo=UTC),
            "articles": 1,
            "independent_sources": 1,
            "outlets": ["A"],
        }
    )


def test_a_summary_is_kept_per_story_and_replaced(store: Store) -> None:
    assert store.story_summary(1) is None
    rows = [["Troops crossed the border on Monday.", 4, 0, 0.8125], ["Ein Satz.", 5, 2, 1]]
    store.save_story_summary(1, "digest-1", rows)
    assert store.story_summary(1) == ("digest-1", rows)
    assert store.story_summary(2) is None
    store.save_story_summary(1, "digest-2", [])
    assert store.story_summary(1) == ("digest-2", [])


def test_stories_changed_since_their_summary_are_listed(store: Store) -> None:
    _story(store, 3)
    _story(store, 4)
    _story(store, 5)
    pending = dict(store.stories_to_summarize())
    assert sorted(pending) == [3, 4, 5]
    # Made for the story as it stands: no longer listed.
    store.save_story_summary(3, "d3", [], story_updated=pending[3])
    # Made for an earlier state of the story, or at read time (state unknown): listed.
    store.save_story_summary(4, "d4", [], story_updated="2000-01-01T00:00:00+00:00")
    store.save_story_summary(5, "d5", [])
    assert [story_id for story_id, _ in store.stories_to_summarize()] == [4, 5]


def test_listing_members_carry_language_and_themes(store: Store) -> None:
    from nkwatch.record import Article

    ids = []
    for number, language in ((1, "en"), (2, "ko"), (3, None)):
        saved = store.save_article(
            Article(
                text=f"Report number {number} about the border, written for the listing tests.",
                title=f"Report {number}",
                url=f"https://a.example/{number}",
                source_key=f"https://a.example/{number}",
                outlet="A",
                language=language,
            )
        )
        assert saved.id is not None
        ids.append(saved.id)
    _story(store, 9)
    for article_id in ids:
        store.set_story(article_id, 9)
    themes = [{"theme": "food-economy", "score": 0.5}]
    store.save_enrichment(ids[0], "p", {"themes": themes, "entities": [], "figures": []})
    facts = store.latest_member_themes(9, limit=2)
    assert [m["id"] for m in facts] == [a.id for a in store.latest_story_members(9, limit=2)]
    assert facts == [
        {"id": ids[1], "duplicate_of": None, "language": "ko", "themes": None},
        {"id": ids[2], "duplicate_of": None, "language": None, "themes": None},
    ]
    assert store.latest_member_themes(9, limit=5)[0]["themes"] == themes
    assert store.latest_member_themes(10, limit=5) == []


def test_the_article_a_story_title_is_taken_from_is_found(store: Store) -> None:
    from nkwatch.record import Article

    ids = []
    for number, title in ((1, "Rice prices rise"), (2, "Rice prices rise"), (3, "Markets close")):
        saved = store.save_article(
            Article(
                text=f"Report number {number} about the markets, written for the headline test.",
                title=title,
                url=f"https://b.example/{number}",
                source_key=f"https://b.example/{number}",
                outlet="B",
                published=datetime(2026, 11, 10 - number, tzinfo=UTC),
            )
        )
        assert saved.id is not None
        ids.append(saved.id)
    _story(store, 7)
    for article_id in ids:
        store.set_story(article_id, 7)
    found = store.headline_article(7, "Rice prices rise")
    assert found is not None and found.id == ids[1]  # the earlier of the two
    assert store.headline_article(7, "Nothing like it") is None
    assert store.headline_article(8, "Rice prices rise") is None
