"""What the web pages and the JSON API show, as plain data built from the library.

Reads the store through the publishing and enrichment layers (story views, the digest, the
figure tracker, search, exports, the run and fetch logs) and returns JSON-ready dicts: the pages
render them and the API returns them, so both always show the same thing. Nothing here escapes
or protects text: the caller passes each payload through
:func:`nkwatch.web.publishable.protect_view` on its way out.
"""

from __future__ import annotations

import dataclasses
import itertools
from collections import Counter
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from functools import partial
from typing import Any

from nkwatch.enrich.profile import Profile
from nkwatch.enrich.tracker import measured_reports, track
from nkwatch.errors import NkwatchError, PublishError
from nkwatch.protect.stage import protect_figures, public_mentions
from nkwatch.publish.digest import build_digest, parse_since
from nkwatch.publish.export import export_rows
from nkwatch.publish.stories import (
    MAX_MEMBERS,
    StoryView,
    story_to_dict,
    story_view,
)
from nkwatch.record import Article
from nkwatch.store import Store
from nkwatch.web.publishable import protector

#: Most items one page or API call returns.
MAX_PER_PAGE = 100
#: Latest members a story listing reads per story (its themes and languages come from them):
#: a listing stays cheap however long its stories run.
LIST_MEMBERS = 40
#: Latest original members a story page summarises and lists figures of (its timeline shows
#: up to 200 members).
SUMMARY_MEMBERS = 12
#: Figure claims a story page lists at most.
MAX_STORY_FIGURES = 20
#: Articles an entity page scans at most (newest first): the page stays bounded on big stores.
ENTITY_SCAN = 20_000


class BadParameter(NkwatchError):
    """A request parameter is malformed; the message names it and says what is expected."""


class NotFound(NkwatchError):
    """A story, article, measure, entity or watch that does not exist."""


@dataclass(frozen=True, slots=True)
class Paging:
    """Which slice of a listing to show (1-based page)."""

    page: int = 1
    per_page: int = 20

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.per_page


@dataclass(frozen=True, slots=True)
class StoryFilters:
    """Story listing filters; ``None`` means no filter."""

    theme: str | None = None
    entity: str | None = None
    outlet: str | None = None
    language: str | None = None
    min_sources: int = 0
    since: datetime | None = None
    until: datetime | None = None


def iso(value: datetime | date | None) -> str | None:
    """A moment as ISO 8601 text (``None`` stays ``None``)."""
    return value.isoformat() if value is not None else None


def parse_when(value: str | None, *, name: str, until: datetime | None = None) -> datetime | None:
    """A ``since``/``until`` parameter: a window (``7d``, ``12h``) or a date; empty is none."""
    if value is None or not value.strip():
        return None
    try:
        return parse_since(value, until=until or datetime.now(UTC))
    except PublishError:
        raise BadParameter(
            f"parameter {name!r}: {value[:40]!r} is neither a window like 7d, 12h, 2w nor a date "
            "like 2026-11-01"
        ) from None
    except OverflowError:
        raise BadParameter(f"parameter {name!r}: {value[:40]!r} is out of range") from None


def plain(value: Any) -> Any:
    """Dataclasses, tuples and datetimes as JSON-ready data."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain(item) for item in value]
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def _page(items: list[dict[str, Any]], paging: Paging, *, total: int | None, more: bool) -> dict:
    return {
        "items": items,
        "page": paging.page,
        "per_page": paging.per_page,
        "total": total,
        "has_next": more,
    }


# -- today --------------------------------------------------------------------------------


def today(store: Store, profile: Profile, *, since: str) -> dict[str, Any]:
    """The digest of the window ending at the newest stored article (or now)."""
    until = store.latest_date() or datetime.now(UTC)
    start = parse_when(since, name="since", until=until) or until
    digest = build_digest(store, profile=profile, since=start, until=until)
    data = plain(digest)
    data.pop("volume", None)
    data.pop("measures", None)
    data["window"] = since
    return data


# -- stories ------------------------------------------------------------------------------


def _list_view(
    store: Store,
    row: dict[str, Any],
    *,
    since: datetime | None,
    until: datetime | None,
    limit: int = LIST_MEMBERS,
) -> StoryView:
    """A story with its latest members (its themes and languages come from them)."""
    members = tuple(store.latest_story_members(row["id"], since=since, until=until, limit=limit))
    return story_view(store, row, members)


def _story_item(view: StoryView, row: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": view.id,
        "title": view.title,
        "first_seen": iso(view.first_seen),
        "last_seen": iso(view.last_seen),
        "articles": row["articles"],
        "independent_sources": view.independent_sources,
        "outlets": list(view.outlets),
        "themes": list(view.themes),
        "languages": sorted({a.language for a in view.members if a.language}),
    }


def _entities_of(store: Store, members: tuple[Article, ...]) -> set[str]:
    names: set[str] = set()
    for article in members:
        data = store.enrichment(article.id or 0) or {}
        names.update(m["canonical"].casefold() for m in data.get("entities", []))
    return names


def _matches(view: StoryView, store: Store, filters: StoryFilters) -> bool:
    if filters.theme and filters.theme not in view.themes:
        return False
    if filters.language and filters.language not in {a.language for a in view.members}:
        return False
    return not filters.entity or filters.entity.casefold() in _entities_of(store, view.members)


def stories(store: Store, filters: StoryFilters, paging: Paging) -> dict[str, Any]:
    """One page of stories active in the window, most independent sources first."""
    rows = store.stories(since=filters.since, until=filters.until, min_sources=filters.min_sources)
    if filters.outlet:
        wanted = filters.outlet.casefold()
        rows = [r for r in rows if wanted in {o.casefold() for o in r["outlets"]}]
    window = partial(_list_view, store, since=filters.since, until=filters.until)
    if not (filters.theme or filters.entity or filters.language):
        chosen = rows[paging.offset : paging.offset + paging.per_page]
        items = [_story_item(window(r), r) for r in chosen]
        return _page(items, paging, total=len(rows), more=paging.offset + len(chosen) < len(rows))
    matched: list[dict[str, Any]] = []
    for row in rows:
        view = window(row)
        if view.members and _matches(view, store, filters):
            matched.append(_story_item(view, row))
            if len(matched) > paging.offset + paging.per_page:
                break
    page = matched[paging.offset : paging.offset + paging.per_page]
    more = len(matched) > paging.offset + paging.per_page
    return _page(page, paging, total=None, more=more)


def _figures_of(store: Store, profile: Profile, view: StoryView) -> list[dict[str, Any]]:
    lines: list[dict[str, Any]] = []
    for article in reversed(view.originals[-SUMMARY_MEMBERS:]):
        if len(lines) >= MAX_STORY_FIGURES:
            break
        data = store.enrichment(article.id or 0) or {}
        facts = {
            "id": article.id or 0,
            "published": article.published,
            "outlet": article.outlet,
            "url": article.url or article.canonical_url,
        }
        for measure, report in measured_reports(profile, data.get("figures", []), facts):
            lines.append(
                {
                    "measure": measure.id,
                    "label": measure.label,
                    **_report(report),
                }
            )
    return lines


def story(store: Store, profile: Profile, story_id: int) -> dict[str, Any]:
    """A story: summary with links, timeline of members, figures as claims, outlets, entities."""
    row = store.get_story(story_id)
    if row is None:
        raise NotFound(f"no story with id {story_id}")
    view = _list_view(store, row, since=None, until=None, limit=MAX_MEMBERS)
    # The summary reads the latest originals; a story running for months stays quick to open.
    latest = tuple(a for a in view.members if a.duplicate_of is None)[-SUMMARY_MEMBERS:]
    data = story_to_dict(
        replace(view, members=latest or view.members[-SUMMARY_MEMBERS:]),
        protector=protector(),
        timeline_members=view.members,
    )
    data["articles"] = row["articles"]
    by_id = {item["id"]: item for item in data["timeline"]}
    for sentence in data["summary"]:
        member = by_id.get(sentence["article_id"], {})
        sentence["outlet"] = member.get("outlet")
        sentence["url"] = member.get("url")
    data["figures"] = _figures_of(store, profile, view)
    entities: Counter[str] = Counter()
    for article in view.originals:
        mentions = (store.enrichment(article.id or 0) or {}).get("entities", [])
        for mention in public_mentions(article, mentions, protector()):
            if mention.get("known"):
                entities[mention["canonical"]] += 1
    data["entities"] = [{"name": n, "mentions": c} for n, c in entities.most_common(30)]
    return data


# -- articles -----------------------------------------------------------------------------


def article(store: Store, article_id: int) -> dict[str, Any]:
    """One article as the export schema has it."""
    found = store.get_article(article_id)
    if found is None:
        raise NotFound(f"no article with id {article_id}")
    return next(export_rows([found], store, protector=protector()))


def articles(
    store: Store,
    paging: Paging,
    *,
    outlet: str | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
) -> dict[str, Any]:
    """Articles, last stored first (stable pages), as the export schema has them."""
    chosen = store.articles_by_arrival(
        offset=paging.offset,
        limit=paging.per_page + 1,
        outlet=outlet,
        since=since,
        until=until,
    )
    rows = list(export_rows(chosen[: paging.per_page], store, protector=protector()))
    return _page(rows, paging, total=None, more=len(chosen) > paging.per_page)


# -- figures ------------------------------------------------------------------------------


def _report(report: Any) -> dict[str, Any]:
    return {
        "article_id": report.article_id,
        "published": iso(report.published),
        "outlet": report.outlet,
        "url": report.url,
        "value": report.value,
        "value_max": report.value_max,
        "unit": report.unit,
        "approx": report.approx,
        "period": report.period,
        "attribution": report.attribution,
        "hedge": report.hedge,
        "sentence": report.sentence,
    }


def figures(
    store: Store, profile: Profile, *, measure: str | None = None, window_days: float = 45.0
) -> list[dict[str, Any]]:
    """Every tracked measure (or one) with its reports over time and their disagreements."""
    if measure is not None and measure not in {m.id for m in profile.measures}:
        known = ", ".join(m.id for m in profile.measures)
        raise NotFound(f"{measure!r} is not a measure of the profile; measures: {known}")
    result = []
    claims = protect_figures(store.iter_figures(), store, protector())
    for series in track(profile, claims, window_days=window_days):
        if measure is not None and series.measure.id != measure:
            continue
        result.append(
            {
                "id": series.measure.id,
                "label": series.measure.label,
                "unit": series.measure.unit,
                "description": series.measure.description,
                "reports": [_report(r) for r in series.reports],
                "disagreements": [
                    {"first": _report(d.first), "second": _report(d.second)}
                    for d in series.disagreements
                ],
            }
        )
    if measure is not None and not result:
        chosen = next(m for m in profile.measures if m.id == measure)
        result.append(
            {
                "id": chosen.id,
                "label": chosen.label,
                "unit": chosen.unit,
                "description": chosen.description,
                "reports": [],
                "disagreements": [],
            }
        )
    return result


# -- entities -----------------------------------------------------------------------------


def data_version(store: Store) -> tuple[Any, ...]:
    """What changes whenever a run may have changed what is stored (the latest run's state)."""
    runs = store.runs(limit=1)
    if not runs:
        return (0, None, None)
    latest = runs[0]
    return (latest["id"], latest["finished_at"], latest["status"])


def _mentions(store: Store) -> Any:
    """(article, its known-or-not entity mentions) for the newest :data:`ENTITY_SCAN` articles."""
    found = store.iter_articles(kinds=("article", "digest-item"), newest_first=True)
    for item in itertools.islice(found, ENTITY_SCAN):
        if item.duplicate_of is not None:
            continue
        data = store.enrichment(item.id or 0) or {}
        # An entity list never names a protected person (their canonical name is person text).
        yield item, public_mentions(item, data.get("entities", []), protector())


def entities(store: Store, paging: Paging, *, known_only: bool = True) -> dict[str, Any]:
    """Entities by how many articles mention them."""
    counts: Counter[str] = Counter()
    types: dict[str, str] = {}
    for _article, mentions in _mentions(store):
        names = set()
        for mention in mentions:
            if known_only and not mention.get("known"):
                continue
            names.add(mention["canonical"])
            types.setdefault(mention["canonical"], str(mention.get("type", "")))
        counts.update(names)
    ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0].casefold()))
    chosen = ranked[paging.offset : paging.offset + paging.per_page]
    items = [{"name": n, "type": types.get(n, ""), "articles": c} for n, c in chosen]
    return _page(items, paging, total=len(ranked), more=paging.offset + len(chosen) < len(ranked))


def entity(store: Store, name: str) -> dict[str, Any]:
    """One entity: articles mentioning it per day, its stories and latest articles."""
    wanted = name.casefold()
    per_day: Counter[str] = Counter()
    story_ids: Counter[int] = Counter()
    latest: list[dict[str, Any]] = []
    canonical = None
    for item, mentions in _mentions(store):
        hits = [m for m in mentions if m["canonical"].casefold() == wanted]
        if not hits:
            continue
        canonical = canonical or hits[0]["canonical"]
        when = item.published or item.fetched_at
        per_day[when.astimezone(UTC).date().isoformat()] += 1
        if item.story_id:
            story_ids[item.story_id] += 1
        if len(latest) < 20:
            latest.append(
                {
                    "id": item.id,
                    "title": item.title,
                    "outlet": item.outlet,
                    "published": iso(item.published),
                    "url": item.url or item.canonical_url,
                    "story_id": item.story_id,
                }
            )
    if canonical is None:
        raise NotFound(f"no stored article mentions {name[:80]!r}")
    stories_ = []
    for story_id, count in story_ids.most_common(30):
        row = store.get_story(story_id)
        if row is not None:
            stories_.append(
                {
                    "id": story_id,
                    "title": row["title"] or "(untitled story)",
                    "independent_sources": row["independent_sources"],
                    "last_seen": iso(row["last_seen"]),
                    "mentions": count,
                }
            )
    return {
        "name": canonical,
        "per_day": [{"day": d, "articles": c} for d, c in sorted(per_day.items())],
        "stories": stories_,
        "articles": latest,
    }


# -- search -------------------------------------------------------------------------------


def highlight(snippet: str) -> list[dict[str, Any]]:
    """A search snippet (matches between ``[`` and ``]``) as text runs, matches flagged."""
    runs: list[dict[str, Any]] = []
    rest = snippet
    while rest:
        start = rest.find("[")
        end = rest.find("]", start + 1) if start >= 0 else -1
        if start < 0 or end < 0:
            runs.append({"text": rest, "match": False})
            break
        if start:
            runs.append({"text": rest[:start], "match": False})
        runs.append({"text": rest[start + 1 : end], "match": True})
        rest = rest[end + 1 :]
    return runs


def search(
    store: Store,
    query: str,
    paging: Paging,
    *,
    outlet: str | None = None,
    language: str | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
) -> dict[str, Any]:
    """Full-text hits, best first, with highlighted snippets."""
    if len(query) > 500:
        raise BadParameter("parameter 'q': the query is longer than 500 characters")
    wanted = paging.offset + paging.per_page + 1
    # A language filter is applied to the hits, so ask for more of them.
    limit = wanted * 5 if language else wanted
    hits = store.search(query, outlet=outlet, since=since, until=until, limit=limit)
    if language:
        hits = [h for h in hits if h.article.language == language]
    chosen = hits[paging.offset : paging.offset + paging.per_page]
    items = [
        {
            "id": hit.article.id,
            "title": hit.article.title,
            "outlet": hit.article.outlet,
            "published": iso(hit.article.published),
            "language": hit.article.language,
            "url": hit.article.url or hit.article.canonical_url,
            "story_id": hit.article.story_id,
            "snippet": highlight(hit.snippet),
        }
        for hit in chosen
    ]
    result = _page(items, paging, total=None, more=len(hits) > paging.offset + paging.per_page)
    result["query"] = query
    return result


# -- sources ------------------------------------------------------------------------------


def sources(store: Store, *, limit: int = 50) -> dict[str, Any]:
    """What is stored, recent runs, the fetch log, rejections and quarantined articles."""
    return {
        "counts": store.count_articles(),
        "runs": store.runs(limit=limit),
        "fetches": store.fetches(limit=limit),
        "rejections": [plain(r) for r in store.rejections()[:limit]],
        "failures": [plain(f) for f in store.failures()[:limit]],
    }
