"""Story views: stories with their members, themes, outlets and timeline, ready to show.

Reads stored stories, their member articles and the members' enrichment; a story's themes are
those carried by at least a third of its original members (copies do not vote twice).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from nkwatch.protect.stage import (
    Protector,
    Scope,
    article_context,
    article_sources,
    protect_fields,
    protected_values,
    safe_link,
)
from nkwatch.record import Article
from nkwatch.store import Store
from nkwatch.story_summaries import PAGE_MEMBERS, recalled_summary, story_members
from nkwatch.summarize import summarize_story

#: Share of a story's original articles that must carry a theme for the story to carry it.
THEME_SHARE = 1 / 3


@dataclass(frozen=True, slots=True)
class StoryView:
    """A story as listings, digests and the API show it."""

    id: int
    title: str
    first_seen: datetime | None
    last_seen: datetime | None
    independent_sources: int
    outlets: tuple[str, ...]
    themes: tuple[str, ...]
    members: tuple[Article, ...]
    #: The storyline (thread of stories over months) the story belongs to, once linked.
    storyline_id: int | None = None

    @property
    def originals(self) -> tuple[Article, ...]:
        """Members that are not copies of another member."""
        return tuple(a for a in self.members if a.duplicate_of is None)


def timeline(members: tuple[Article, ...]) -> list[dict[str, Any]]:
    """A story's members in arrival order, as plain data."""
    return [
        {
            "id": a.id,
            # The publication date, or "date unknown": never the time it was collected.
            "date": a.published.isoformat() if a.published else "date unknown",
            "outlet": a.outlet,
            "title": a.title,
            "url": a.url or a.canonical_url,
            "duplicate_of": a.duplicate_of,
        }
        for a in members
    ]


def story_summary(
    view: StoryView, *, max_sentences: int = 4, store: Store | None = None
) -> list[dict[str, Any]]:
    """The story's multi-source summary: verbatim sentences, each with its article id.

    With ``store``, the summary stored for the story is used when it was made from these
    members, and one made now is stored.
    """
    members = story_members(view.originals)
    summary = (
        summarize_story(members, max_sentences=max_sentences)
        if store is None
        else recalled_summary(store, view.id, members, max_sentences=max_sentences)
    )
    return [{"text": s.text, "article_id": s.article_id} for s in summary]


def protected_titles(view: StoryView, protector: Protector) -> tuple[str, list[str]]:
    """The story's title and its members' titles as they may be published (one label scope)."""
    protector.prepare(article_sources(view.members))
    scope = protector.scope(article_context(a) for a in view.members)
    titles = [
        scope.protect(a.title, context=article_context(a)).text if a.title else ""
        for a in view.members
    ]
    return scope.protect(view.title).text, titles


def story_to_dict(
    view: StoryView,
    *,
    protector: Protector,
    timeline_members: tuple[Article, ...] | None = None,
    store: Store | None = None,
) -> dict[str, Any]:
    """A story as plain data (JSON output of ``nkwatch stories`` and the API), protected.

    The timeline lists ``timeline_members`` (the view's members unless given), labelled in the
    same scope as the summary: one person has one label on the whole page. With ``store``,
    the summary is read back from it when stored for these members (and kept when made).
    """
    listed = view.members if timeline_members is None else timeline_members
    everyone = {a.id: a for a in (*view.members, *listed)}
    protector.prepare(article_sources(everyone.values()))
    scope = protector.scope(article_context(a) for a in everyone.values())
    contexts = {key: article_context(a) for key, a in everyone.items()}
    summary = [
        {
            "text": scope.protect(item["text"], context=contexts.get(item["article_id"])).text,
            "article_id": item["article_id"],
        }
        for item in story_summary(view, store=store)
    ]
    rows = timeline(listed)
    for row in rows:
        if row["title"]:
            row["title"] = scope.protect(row["title"], context=contexts.get(row["id"])).text
        context = contexts.get(row["id"])
        if context is not None:
            row["url"] = safe_link(row["url"], protected_values(protector, context))
    return {
        "id": view.id,
        "title": scope.protect(view.title).text,
        "first_seen": view.first_seen.isoformat() if view.first_seen else None,
        "last_seen": view.last_seen.isoformat() if view.last_seen else None,
        "articles": len(view.members),
        "independent_sources": view.independent_sources,
        "outlets": list(view.outlets),
        "themes": list(view.themes),
        "summary": summary,
        "timeline": rows,
    }


def story_themes(store: Store, members: tuple[Article, ...]) -> tuple[str, ...]:
    """Themes carried by at least a third of a story's originals, most common first; among
    themes as common, the higher summed score first, then by id (the same order every run)."""
    originals = [a for a in members if a.duplicate_of is None] or list(members)
    found = []
    for article in originals:
        data = store.enrichment(article.id or 0)
        found.append(data["themes"] if data else None)
    return ranked_themes(found)


def ranked_themes(found: Sequence[Sequence[dict[str, Any]] | None]) -> tuple[str, ...]:
    """The themes of a story from its originals' stored theme hits (None for an original not
    enriched), as :func:`story_themes` ranks them."""
    votes: Counter[str] = Counter()
    scores: Counter[str] = Counter()
    for hits in found:
        if hits is not None:
            best: dict[str, float] = {}
            for hit in hits:
                best[hit["theme"]] = max(best.get(hit["theme"], 0.0), float(hit["score"]))
            votes.update(best.keys())
            scores.update(best)
    needed = max(1.0, THEME_SHARE * len(found))
    ranked = sorted(votes, key=lambda theme: (-votes[theme], -scores[theme], theme))
    return tuple(theme for theme in ranked if votes[theme] >= needed)


#: A story view shows at most this many members (the latest): long-running stories stay cheap.
MAX_MEMBERS = PAGE_MEMBERS


def load_story(
    store: Store,
    story_id: int,
    *,
    since: datetime | None = None,
    until: datetime | None = None,
) -> StoryView | None:
    """One story with its members (those in the window, if one is given) and themes."""
    row = store.get_story(story_id)
    if row is None:
        return None
    members = tuple(store.story_members(story_id, since=since, until=until, limit=MAX_MEMBERS))
    return story_view(store, row, members)


def story_view(store: Store, row: dict[str, Any], members: tuple[Article, ...]) -> StoryView:
    """A stored story row with the members chosen for it (its themes come from them)."""
    return StoryView(
        id=row["id"],
        title=row["title"] or "(untitled story)",
        first_seen=row["first_seen"],
        last_seen=row["last_seen"],
        independent_sources=row["independent_sources"],
        outlets=tuple(row["outlets"]),
        themes=story_themes(store, members),
        members=members,
        storyline_id=row.get("storyline_id"),
    )


def list_stories(
    store: Store,
    *,
    since: datetime | None = None,
    until: datetime | None = None,
    theme: str | None = None,
    min_sources: int = 0,
    limit: int | None = None,
) -> list[StoryView]:
    """Stories active in the window with their members in it, most independent sources first
    (the first ``limit`` of them: the rest are not read)."""
    views: list[StoryView] = []
    for row in store.stories(since=since, until=until, min_sources=min_sources):
        if limit is not None and len(views) >= limit:
            break
        view = load_story(store, row["id"], since=since, until=until)
        if view is not None and (theme is None or theme in view.themes):
            views.append(view)
    return views


@dataclass(frozen=True, slots=True)
class StorylineView:
    """A storyline: the stories of one thread, oldest first."""

    id: int
    title: str
    first_seen: datetime | None
    last_seen: datetime | None
    stories: tuple[dict[str, Any], ...]


def list_storylines(
    store: Store, *, protector: Protector, min_stories: int = 2, limit: int | None = None
) -> list[StorylineView]:
    """Storylines of at least ``min_stories`` stories, the longest first, titles protected
    (the first ``limit`` of them: the rest are not read).

    A storyline is titled by its latest story's title: where the thread stands now. Each story
    title is judged in the context of that story's latest articles.
    """
    views: list[StorylineView] = []
    for line in store.storylines(min_stories=min_stories):
        if limit is not None and len(views) >= limit:
            break
        rows = [
            _protected_story_row(store, row, protector)
            for row in (store.get_story(i) for i in line["stories"])
            if row is not None
        ]
        if not rows:
            continue
        firsts = [r["first_seen"] for r in rows if r["first_seen"] is not None]
        lasts = [r["last_seen"] for r in rows if r["last_seen"] is not None]
        latest = max(rows, key=lambda r: (r["last_seen"] is not None, r["last_seen"] or 0, r["id"]))
        views.append(
            StorylineView(
                id=line["id"],
                title=latest["title"] or "(untitled storyline)",
                first_seen=min(firsts) if firsts else None,
                last_seen=max(lasts) if lasts else None,
                stories=tuple(rows),
            )
        )
    return views


#: Members read per story to protect its title (the people its title may name).
TITLE_CONTEXT_MEMBERS = 20


def story_title_scope(
    store: Store,
    story_id: int,
    protector: Protector,
    *,
    title: str | None = None,
    members: int = TITLE_CONTEXT_MEMBERS,
) -> Scope:
    """The protection scope of one story's title: the contexts of its latest ``members``, and
    with ``title`` first that of the article whose headline it is (the title is then judged as
    part of its own article, as a story's page judges it)."""
    latest = store.story_members(story_id, limit=members)
    own = store.headline_article(story_id, title) if title else None
    if own is not None and all(a.id != own.id for a in latest):
        latest.insert(0, own)
    protector.prepare(article_sources(latest))
    return protector.scope(article_context(a) for a in latest)


def _protected_story_row(store: Store, row: dict[str, Any], protector: Protector) -> dict[str, Any]:
    members = store.story_members(row["id"], limit=MAX_MEMBERS)
    protector.prepare(article_sources(members))
    scope = protector.scope(article_context(a) for a in members)
    return protect_fields(row, scope)


def storyline_to_dict(view: StorylineView) -> dict[str, Any]:
    """A storyline as plain data (JSON output of ``nkwatch storylines``); protect it first."""
    return {
        "id": view.id,
        "title": view.title,
        "first_seen": view.first_seen.isoformat() if view.first_seen else None,
        "last_seen": view.last_seen.isoformat() if view.last_seen else None,
        "stories": [
            {
                "id": row["id"],
                "title": row["title"],
                "first_seen": row["first_seen"].isoformat() if row["first_seen"] else None,
                "articles": row["articles"],
                "independent_sources": row["independent_sources"],
            }
            for row in view.stories
        ],
    }
