"""Story listings read their stories' themes and languages without the members' texts, and
list what the full story views would."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from nkwatch.publish.stories import story_view
from nkwatch.store import SQLiteStore
from nkwatch.web.views import LIST_MEMBERS


def test_listed_themes_and_languages_are_those_of_the_story_views(
    sample_db: Path, client_for: Any
) -> None:
    client = client_for(sample_db)
    listed = client.get("/api/v1/stories", params={"per_page": 100}).json()["items"]
    with SQLiteStore(sample_db) as store:
        rows = store.stories()
        assert len(listed) == len(rows) >= 3
        themed = 0
        for item, row in zip(listed, rows, strict=True):
            members = tuple(store.latest_story_members(row["id"], limit=LIST_MEMBERS))
            view = story_view(store, row, members)
            assert item["id"] == view.id
            assert item["themes"] == list(view.themes)
            assert item["languages"] == sorted({a.language for a in members if a.language})
            facts = store.latest_member_themes(row["id"], limit=LIST_MEMBERS)
            assert [m["id"] for m in facts] == [a.id for a in members]
            themed += bool(view.themes)
        assert themed >= 3
    for theme in {t for item in listed for t in item["themes"]}:
        filtered = client.get("/api/v1/stories", params={"theme": theme, "per_page": 100})
        assert [s["id"] for s in filtered.json()["items"]] == [
            s["id"] for s in listed if theme in s["themes"]
        ]


def _headline_store(db: Path) -> None:
    """Two stories whose headlines name people the headline alone does not place."""
    from datetime import UTC, datetime

    from nkwatch.config import Settings
    from nkwatch.pipeline import Pipeline
    from nkwatch.record import Article

    texts = [
        (
            "Ration campaign is working, Lena Marsh says",
            "Governor Lena Marsh of the northern province said on Tuesday that the ration "
            "campaign had reached 40,000 households. Governor Marsh told reporters in the "
            "capital that the second phase would start in spring.",
        ),
        (
            "Defector Ri Chol-su tells of his crossing",
            "Ri Chol-su, a 29-year-old defector who now lives in a small town near the border, "
            "said he crossed the river in March. Ri asked that his home town not be named.",
        ),
    ]
    with SQLiteStore(db) as store:
        for index, (title, text) in enumerate(texts):
            store.save_article(
                Article(
                    text=text,
                    title=title,
                    url=f"https://example.org/{index}",
                    outlet="Example Daily",
                    published=datetime(2026, 11, 3 + 10 * index, 9, tzinfo=UTC),
                    published_from="meta",
                    language="en",
                    source=f"https://example.org/{index}",
                    source_key=f"headline-{index}",
                )
            )
        Pipeline(Settings(db_path=str(db)), store, allow_network=False).retry()


def test_listed_titles_are_judged_as_the_story_pages_judge_them(
    tmp_path: Path, client_for: Any
) -> None:
    """A headline is judged in its story's articles wherever it is listed: a governor named
    in it stays visible, a defector is hidden, in the list, the story page, search hits and
    the entity page alike."""
    db = tmp_path / "headlines.db"
    _headline_store(db)
    client = client_for(db)
    listed = client.get("/api/v1/stories", params={"per_page": 100}).json()["items"]
    assert len(listed) == 2
    for item in listed:
        page = client.get(f"/api/v1/stories/{item['id']}").json()
        assert item["title"] == page["title"]
    titles = sorted(item["title"] for item in listed)
    assert any("Lena Marsh says" in t for t in titles), titles
    assert not any("Ri Chol-su" in t for t in titles), titles
    hits = client.get("/api/v1/search", params={"q": "ration campaign"}).json()["items"]
    assert [h["title"] for h in hits] == ["Ration campaign is working, Lena Marsh says"]
    hits = client.get("/api/v1/search", params={"q": "crossed the river"}).json()["items"]
    assert hits and "Ri Chol-su" not in hits[0]["title"]
