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
