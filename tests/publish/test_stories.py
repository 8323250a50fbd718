"""A story's themes: carried by enough of its originals, in one order whatever the run."""

from __future__ import annotations

from typing import Any

from nkwatch.publish.stories import story_themes
from nkwatch.record import Article


class _Enrichments:
    """Just what ``story_themes`` reads of a store: each article's theme hits."""

    def __init__(self, hits: dict[int, list[tuple[str, float]]]) -> None:
        self.hits = hits

    def enrichment(self, article_id: int) -> dict[str, Any] | None:
        found = self.hits.get(article_id)
        if found is None:
            return None
        return {"themes": [{"theme": t, "score": s, "evidence": ""} for t, s in found]}


def _members(count: int) -> tuple[Article, ...]:
    members = []
    for number in range(1, count + 1):
        article = Article(text=f"Report {number}.", title=f"R{number}")
        article.id = number
        members.append(article)
    return tuple(members)


def test_themes_as_common_are_ordered_by_score_then_id() -> None:
    store = _Enrichments(
        {
            1: [("markets", 0.4), ("defectors", 0.9), ("human-rights", 0.5)],
            2: [("human-rights", 0.6), ("markets", 0.3), ("defectors", 0.3)],
            3: [("sanctions", 0.9)],
        }
    )
    # Two votes each: defectors 1.2, human-rights 1.1, markets 0.7; sanctions has one vote of
    # three, which is enough (a third).
    assert story_themes(store, _members(3)) == (  # type: ignore[arg-type]
        "defectors",
        "human-rights",
        "markets",
        "sanctions",
    )


def test_the_order_does_not_depend_on_the_hits_order() -> None:
    hits = [("b-theme", 0.5), ("a-theme", 0.5), ("c-theme", 0.5)]
    forward = _Enrichments({1: hits, 2: hits})
    backward = _Enrichments({1: hits[::-1], 2: hits[::-1]})
    expected = ("a-theme", "b-theme", "c-theme")
    assert story_themes(forward, _members(2)) == expected  # type: ignore[arg-type]
    assert story_themes(backward, _members(2)) == expected  # type: ignore[arg-type]
