"""What the web pages and the JSON API show, as plain data built from the library.

Reads the store through the publishing and enrichment layers (story views, the digest, the
figure tracker, search, exports, the run and fetch logs) and returns JSON-ready dicts: the pages
render them and the API returns them, so both always show the same thing. Nothing here escapes
text. What needs its article's context to be protected well (story summaries, article rows,
figure sentences, search snippets, an entity's name and its articles' titles) is protected here
and marked :func:`~nkwatch.web.publishable.protected`; the caller passes each whole payload
through :func:`nkwatch.web.publishable.protect_view`, which protects every other string alone.
"""

from __future__ import annotations

import dataclasses
from collections import Counter
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from typing import Any

from nkwatch.enrich.profile import Profile
from nkwatch.enrich.tracker import measured_reports, track
from nkwatch.errors import NkwatchError, PublishError
from nkwatch.protect.stage import (
    article_context,
    article_sources,
    protect_figures,
    protected_values,
    public_mentions,
    safe_link,
)
from nkwatch.publish.digest import build_digest, claims_since, parse_since
from nkwatch.publish.export import export_rows
from nkwatch.publish.render import source_names
from nkwatch.publish.stories import (
    MAX_MEMBERS,
    StoryView,
    ranked_themes,
    story_title_scope,
    story_to_dict,
    story_view,
)
from nkwatch.record import Article
from nkwatch.store import Store
from nkwatch.story_summaries import SUMMARY_MEMBERS, page_selection
from nkwatch.web.publishable import protected, protector

#: Most items one page or API call returns.
MAX_PER_PAGE = 100
#: Latest members a story listing reads per story (its themes and languages come from them):
#: a listing stays cheap however long its stories run.
LIST_MEMBERS = 40
#: Latest articles a listed story's title is judged in, besides the article whose headline it
#: is (a story's page reads more; three keep a first visit to a list of 20 stories within its
#: budget, bench/RESULTS.md).
LIST_TITLE_CONTEXTS = 3
#: What an entity page says of a name it does not list (never mentioned, or a private person).
UNLISTED = "no entity is listed under that name; the Entities page lists them all"
#: Latest articles an unknown entity's name is judged in before it is shown.
ENTITY_CONTEXTS = 5
#: Figure claims a story page lists at most.
MAX_STORY_FIGURES = 20


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
class StoryQuery:
    """Story listing filters as one request gives them; ``None`` means no filter.

    ``since_text`` and ``until_text`` keep the window as written (``7d``) for the page's form.
    """

    theme: str | None = None
    entity: str | None = None
    outlet: str | None = None
    language: str | None = None
    min_sources: int = 0
    storyline: int | None = None
    since: datetime | None = None
    until: datetime | None = None
    since_text: str = ""
    until_text: str = ""

    @classmethod
    def parse(
        cls,
        *,
        theme: str | None = None,
        entity: str | None = None,
        outlet: str | None = None,
        language: str | None = None,
        min_sources: int = 0,
        storyline: str | None = None,
        since: str | None = None,
        until: str | None = None,
    ) -> StoryQuery:
        """The query from request parameters (empty strings are no filter); dates checked."""
        line = (storyline or "").strip()
        if line and (not line.isascii() or not line.isdigit() or int(line) < 1):
            raise BadParameter(
                f"parameter 'storyline': {line[:20]!r} is not a storyline id (a whole number "
                "from 1)"
            )
        end = parse_when(until, name="until")
        return cls(
            theme=theme or None,
            entity=entity or None,
            outlet=outlet or None,
            language=language or None,
            min_sources=min_sources,
            storyline=int(line) if line else None,
            since=parse_when(since, name="since", until=end),
            until=end,
            since_text=since or "",
            until_text=until or "",
        )

    def form(self) -> dict[str, Any]:
        """The filters as the page's form shows them."""
        return {
            "theme": self.theme or "",
            "entity": self.entity or "",
            "outlet": self.outlet or "",
            "language": self.language or "",
            "min_sources": self.min_sources,
            "storyline": self.storyline or "",
            "since": self.since_text,
            "until": self.until_text,
        }


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
    # The count names its sources, and outlets that only carry copies are named apart, as in
    # every digest format.
    names = {story.id: source_names(story) for s in digest.sections for story in s.stories}
    data = plain(digest)
    for section in data["sections"]:
        for story in section["stories"]:
            story["named_sources"], story["copies"] = names[story["id"]]
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


def _story_item(row: dict[str, Any], members: list[dict[str, Any]]) -> dict[str, Any]:
    """A listed story from its row and its latest members' ids, languages and themes
    (:meth:`~nkwatch.store.Store.latest_member_themes`); its title is judged later, for the
    listed page only (:func:`_judged_titles`)."""
    originals = [m for m in members if m["duplicate_of"] is None] or members
    return {
        "id": row["id"],
        "title": row["title"] or "(untitled story)",
        "first_seen": iso(row["first_seen"]),
        "last_seen": iso(row["last_seen"]),
        "articles": row["articles"],
        "independent_sources": row["independent_sources"],
        "outlets": list(row["outlets"]),
        "themes": list(ranked_themes([m["themes"] for m in originals])),
        "languages": sorted({m["language"] for m in members if m["language"]}),
        "storyline_id": row["storyline_id"],
    }


def _judged_titles(store: Store, items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Listed stories with their titles protected as the digest and a story's page protect
    them: in the context of the story's latest articles (alone, a headline's "Moon Lander"
    reads as a person's name, and a governor's as a private person's)."""
    protector().recall(item["title"] for item in items)  # each title's own analysis, one read
    for item in items:
        scope = story_title_scope(
            store, item["id"], protector(), title=item["title"], members=LIST_TITLE_CONTEXTS
        )
        item["title"] = protected(scope.protect(item["title"]).text)
    return items


def _article_title(article: Article) -> Any:
    """An article's headline judged in its article's context (its analysis is at hand)."""
    if not article.title:
        return article.title
    scope = protector().scope([article_context(article)])
    return protected(scope.protect(article.title).text)


def _matches(item: dict[str, Any], filters: StoryQuery) -> bool:
    if filters.theme and filters.theme not in item["themes"]:
        return False
    return not filters.language or filters.language in item["languages"]


def stories(store: Store, filters: StoryQuery, paging: Paging) -> dict[str, Any]:
    """One page of stories active in the window, most independent sources first."""
    rows = store.stories(since=filters.since, until=filters.until, min_sources=filters.min_sources)
    if filters.storyline is not None:
        rows = [r for r in rows if r["storyline_id"] == filters.storyline]
    if filters.outlet:
        wanted = filters.outlet.casefold()
        rows = [r for r in rows if wanted in {o.casefold() for o in r["outlets"]}]
    if filters.entity:
        # Stories with an original article mentioning the entity (the mentions index).
        mentioning = {row["id"] for row in store.entity_stories(filters.entity)}
        rows = [r for r in rows if r["id"] in mentioning]

    def members(row: dict[str, Any]) -> list[dict[str, Any]]:
        return store.latest_member_themes(
            row["id"], limit=LIST_MEMBERS, since=filters.since, until=filters.until
        )

    if not (filters.theme or filters.language):
        chosen = rows[paging.offset : paging.offset + paging.per_page]
        items = _judged_titles(store, [_story_item(r, members(r)) for r in chosen])
        return _page(items, paging, total=len(rows), more=paging.offset + len(chosen) < len(rows))
    matched: list[dict[str, Any]] = []
    for row in rows:
        found = members(row)
        item = _story_item(row, found)
        if found and _matches(item, filters):
            matched.append(item)
            if len(matched) > paging.offset + paging.per_page:
                break
    page = _judged_titles(store, matched[paging.offset : paging.offset + paging.per_page])
    more = len(matched) > paging.offset + paging.per_page
    return _page(page, paging, total=None, more=more)


def _safe_url(article: Article) -> str | None:
    """An article's link, or its site's front page when the link spells a protected value."""
    return safe_link(
        article.url or article.canonical_url,
        protected_values(protector(), article_context(article)),
    )


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
            "url": _safe_url(article),
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
    # It was made when the run changed the story, and is made and kept here when it was not.
    data = story_to_dict(
        replace(view, members=page_selection(view.members)),
        protector=protector(),
        timeline_members=view.members,
        store=store,
    )
    # Title, summary and timeline titles were judged in their articles' context: not analysed
    # again alone.
    data["title"] = protected(data["title"])
    for sentence in data["summary"]:
        sentence["text"] = protected(sentence["text"])
    for member in data["timeline"]:
        member["title"] = protected(member["title"])
    data["articles"] = row["articles"]
    data["storyline_id"] = row["storyline_id"]
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
    return _marked_row(next(export_rows([found], store, protector=protector())))


def _marked_row(row: dict[str, Any]) -> dict[str, Any]:
    """An export row whose texts :func:`~nkwatch.protect.stage.protect_row` judged in the
    article's context, marked so that they are not analysed again alone."""
    marked = dict(row)
    for name in ("title", "text"):
        if isinstance(row.get(name), str):
            marked[name] = protected(row[name])
    if isinstance(row.get("summary"), list):
        marked["summary"] = [protected(s) if isinstance(s, str) else s for s in row["summary"]]
    if isinstance(row.get("figures"), list):
        marked["figures"] = [
            {
                **figure,
                **{
                    key: protected(figure[key])
                    for key in ("sentence", "clause", "attribution")
                    if isinstance(figure.get(key), str)
                },
            }
            for figure in row["figures"]
        ]
    return marked


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
    rows = [
        _marked_row(row)
        for row in export_rows(chosen[: paging.per_page], store, protector=protector())
    ]
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
        # as a reader should see it, qualifier included ("several thousand", "millions")
        "written": report.written,
        "period": report.period,
        "attribution": report.attribution,
        "hedge": report.hedge,
        "sentence": report.sentence,
    }


def figures_window(store: Store, since: str | None) -> datetime | None:
    """Where the figures' history starts: ``since`` (a date, or a window counted back from the
    newest article), else the half year before the newest article; ``None`` in an empty store."""
    latest = store.latest_date()
    return parse_when(since, name="since", until=latest) or claims_since(latest)


def figures(
    store: Store,
    profile: Profile,
    *,
    measure: str | None = None,
    window_days: float = 45.0,
    since: str | None = None,
) -> list[dict[str, Any]]:
    """Every tracked measure (or one) with its reports over time and their disagreements: the
    claims of the half year before the newest article, or from ``since`` (a date, or a window
    counted back from the newest article)."""
    if measure is not None and measure not in {m.id for m in profile.measures}:
        known = ", ".join(m.id for m in profile.measures)
        raise NotFound(f"{measure!r} is not a measure of the profile; measures: {known}")
    start = figures_window(store, since)
    result = []
    claims = protect_figures(store.iter_figures(since=start), store, protector())
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


def data_version(store: Store) -> tuple[Any, ...] | None:
    """What changes whenever a run may have changed what is stored (the latest run's state);
    ``None`` while a run is writing."""
    runs = store.runs(limit=1)
    if not runs:
        return (0, None, None)
    latest = runs[0]
    if latest["status"] == "running":
        return None
    return (latest["id"], latest["finished_at"], latest["status"])


def _private_name(store: Store, name: str) -> bool:
    """Whether protection replaces ``name`` in the latest articles that mention it (a name the
    profile does not know, found by rule, may be a private person's)."""
    latest = store.entity_articles(name, limit=ENTITY_CONTEXTS)
    protector().prepare(article_sources(latest))
    contexts = [article_context(a) for a in latest]
    return protector().scope(contexts).protect(name).text != name


def entities(store: Store, paging: Paging, *, known_only: bool = True) -> dict[str, Any]:
    """Entities by how many original articles mention them (the store's mentions index)."""
    ranked = [
        {"name": e["name"], "type": e["type"], "articles": e["articles"]}
        for e in store.entity_counts(known_only=known_only)  # one pass gives the total too
        # A name the profile does not know may be a private person's: left out if it is.
        if e["known"] or not _private_name(store, e["name"])
    ]
    items = ranked[paging.offset : paging.offset + paging.per_page]
    total = len(ranked)
    return _page(items, paging, total=total, more=paging.offset + len(items) < total)


def entity(store: Store, name: str, *, articles: int = 20) -> dict[str, Any]:
    """One entity: original articles mentioning it per day, its stories and latest articles."""
    found = store.entity_name(name)
    if found is None:
        raise NotFound(UNLISTED)
    recent = store.entity_articles(name, limit=articles)
    if not found["known"] and _private_name(store, found["name"]):
        # As in every entity list: a private person is left out, not shown under a label (and
        # told apart from a name never mentioned by nothing, the message included).
        raise NotFound(UNLISTED)
    # The stored analyses of their texts, in one read: their links are checked against them.
    protector().prepare(article_sources(recent))
    latest = [
        {
            "id": item.id,
            "title": _article_title(item),
            "outlet": item.outlet,
            "published": iso(item.published),
            "url": _safe_url(item),
            "story_id": item.story_id,
        }
        for item in recent
    ]
    stories_ = _judged_titles(
        store,
        [
            {
                "id": row["id"],
                "title": row["title"] or "(untitled story)",
                "independent_sources": row["independent_sources"],
                "last_seen": iso(row["last_seen"]),
                "storyline_id": row["storyline_id"],
                "mentions": row["mentions"],
            }
            for row in store.entity_stories(name, limit=30)
        ],
    )
    return {
        "name": found["name"],
        "type": found["type"],
        "per_day": [{"day": d, "articles": c} for d, c in store.entity_days(name)],
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


def _plain(snippet: str) -> str:
    """A search snippet without its highlight brackets."""
    return "".join(run["text"] for run in highlight(snippet))


def _protected_snippet(snippet: str, source: Article) -> list[dict[str, Any]]:
    """A search snippet as highlighted runs, protected in its article's context first.

    Runs protected one by one would each be judged alone ("Suwon" with no defector in sight),
    so the whole snippet is judged against its article. When that replaces anything the
    highlights are dropped rather than split around a label.
    """
    plain = _plain(snippet)
    protector().prepare(article_sources([source]))
    result = protector().scope([article_context(source)]).protect(plain)
    if result.marks or result.text != plain:
        return [{"text": protected(result.text), "match": False}]
    return [{**run, "text": protected(run["text"])} for run in highlight(snippet)]


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
    # The hits' articles' analyses, and those of the snippets judged alone, in one read each.
    protector().prepare(article_sources(hit.article for hit in chosen))
    protector().recall(_plain(hit.snippet) for hit in chosen)
    items = [
        {
            "id": hit.article.id,
            "title": _article_title(hit.article),
            "outlet": hit.article.outlet,
            "published": iso(hit.article.published),
            "language": hit.article.language,
            "url": _safe_url(hit.article),
            "story_id": hit.article.story_id,
            "snippet": _protected_snippet(hit.snippet, hit.article),
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
