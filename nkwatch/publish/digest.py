"""The digest: a window's stories, grouped by theme and ordered by importance, ready to render.

Reads stored stories with their members, summaries, themes and tracked figures, and builds a
:class:`Digest`: per story its title, a multi-source summary quoted verbatim (each sentence naming
its article), the figures it reports with their attribution, "Read more" links to every member,
first seen / updated, and a "new" or "updated" mark against the previous digest (the latest one
recorded for an earlier window). The same store and window always give the same digest.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from nkwatch.cluster.persist import source_names
from nkwatch.enrich.claims import claimant_text, readable_number
from nkwatch.enrich.profile import Profile
from nkwatch.enrich.tracker import (
    Disagreement,
    Report,
    disagreements,
    measured_reports,
    track,
)
from nkwatch.errors import PublishError
from nkwatch.protect.stage import Protector, protect_story
from nkwatch.publish.formats import FORMATS, UNDATED_POLICIES
from nkwatch.publish.stories import StoryView, list_stories, story_title_scope
from nkwatch.record import Article
from nkwatch.store import Store
from nkwatch.story_summaries import recalled_summary, story_members

_WINDOW = re.compile(r"^\s*(\d{1,9})\s*([hdw])\s*$", re.IGNORECASE)
_UNITS = {"h": "hours", "d": "days", "w": "weeks"}
#: Section for stories that carry no theme of the profile.
OTHER_THEME = "other"
#: Section for stories none of whose articles gives a publication date (``undated="include"``).
UNDATED_THEME = "undated"
#: What a digest does with undated stories: list them in their own section, or leave them out.
_MAX_FIGURES = 5
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
#: Days within which two undated claims count as being about the same time.
DISPUTE_WINDOW_DAYS = 45.0
#: How far back the tracked-figure charts look from the digest's end.
MEASURE_HISTORY = timedelta(days=183)


def claims_since(latest: datetime | None) -> datetime | None:
    """Where the figure tracker's default history starts: :data:`MEASURE_HISTORY` before the
    newest article (none in an empty store), so its cost follows that period, not the store."""
    return None if latest is None else latest - MEASURE_HISTORY


#: A storyline lists at most this many of its latest stories (the cost stays flat).
STORYLINE_STORIES = 12


@dataclass(frozen=True, slots=True)
class Quote:
    """A summary sentence and the article it is quoted from."""

    text: str
    article_id: int | None
    outlet: str | None
    url: str | None
    #: Spans of ``text`` that replace a protected value ("[defector A]"); the rest is verbatim.
    protected: tuple[tuple[int, int], ...] = ()


@dataclass(frozen=True, slots=True)
class FigureLine:
    """A figure a story reports: measure, value as written, who says so, where, and the time
    its sentence says it is about ("since late 2024", "last year"), as written."""

    measure: str
    value: str
    attribution: str | None
    hedge: str | None
    outlet: str | None
    sentence: str
    period: str | None = None


@dataclass(frozen=True, slots=True)
class MemberLink:
    """A member article's "Read more" link."""

    article_id: int | None
    outlet: str | None
    title: str
    url: str | None
    published: datetime | None
    copy_of: int | None


@dataclass(frozen=True, slots=True)
class DigestStory:
    """One story as the digest shows it."""

    id: int
    title: str
    themes: tuple[str, ...]
    summary: tuple[Quote, ...]
    figures: tuple[FigureLine, ...]
    links: tuple[MemberLink, ...]
    first_seen: datetime | None
    last_seen: datetime | None
    independent_sources: int
    outlets: tuple[str, ...]
    mark: str  # "new", "updated" or ""
    importance: float
    #: Claims of one measure by different sources that cannot both be right.
    disputes: tuple[Disagreement, ...] = ()
    #: The independent sources of the members shown, named (``independent_sources`` of them).
    sources: tuple[str, ...] = ()
    #: The storyline the story belongs to (see :class:`DigestStoryline`), if any.
    storyline_id: int | None = None


@dataclass(frozen=True, slots=True)
class StorylineEntry:
    """One story of a storyline as the digest lists it."""

    story_id: int
    title: str
    first_seen: datetime | None
    last_seen: datetime | None
    articles: int
    #: Whether the story is in this digest (then it has a section entry to link to).
    in_digest: bool


@dataclass(frozen=True, slots=True)
class DigestStoryline:
    """A thread of stories over months that a story of the digest belongs to."""

    id: int
    #: The title of its latest story: where the thread stands now.
    title: str
    #: Its latest stories (at most :data:`STORYLINE_STORIES`), oldest first.
    stories: tuple[StorylineEntry, ...]
    #: How many stories it holds in all (more than listed when it is long).
    size: int

    @property
    def first_seen(self) -> datetime | None:
        dates = [s.first_seen for s in self.stories if s.first_seen is not None]
        return min(dates) if dates else None

    @property
    def last_seen(self) -> datetime | None:
        dates = [s.last_seen for s in self.stories if s.last_seen is not None]
        return max(dates) if dates else None


@dataclass(frozen=True, slots=True)
class Section:
    """A theme and its stories, most important first."""

    theme: str
    label: str
    stories: tuple[DigestStory, ...]


@dataclass(frozen=True, slots=True)
class Point:
    """One tracked value for a chart: when, how much, who."""

    published: datetime
    value: float
    value_max: float | None
    outlet: str | None
    #: The dates the claim is about, when its sentence says ("in the summer", "last year").
    period_start: date | None = None
    period_end: date | None = None
    approx: str | None = None


@dataclass(frozen=True, slots=True)
class MeasureChart:
    """A tracked measure's reported values up to the digest's end."""

    measure: str
    label: str
    unit: str
    points: tuple[Point, ...]


@dataclass(frozen=True, slots=True)
class Digest:
    """A window of stories ready to render."""

    since: datetime
    until: datetime
    generated_at: datetime
    sections: tuple[Section, ...]
    #: Articles per theme per day of the window: ``{theme: ((day, count), ...)}``.
    volume: tuple[tuple[str, str, tuple[tuple[str, int], ...]], ...]
    measures: tuple[MeasureChart, ...]
    previous_until: datetime | None = None
    #: Where the digest is published, if anywhere (RSS channel link, Atom and JSON Feed home).
    site_url: str | None = None
    #: What was done with stories whose articles carry no publication date.
    undated: str = "include"
    #: Storylines of two stories or more that a story of this digest belongs to, latest first.
    storylines: tuple[DigestStoryline, ...] = ()

    @property
    def stories(self) -> tuple[DigestStory, ...]:
        """Every story, section by section."""
        return tuple(story for section in self.sections for story in section.stories)

    @property
    def is_empty(self) -> bool:
        return not self.sections


def parse_since(value: str, *, until: datetime) -> datetime:
    """``1d``, ``12h``, ``2w`` before ``until``, or an ISO date/datetime."""
    match = _WINDOW.match(value)
    if match:
        amount, unit = int(match.group(1)), match.group(2).lower()
        try:
            return until - timedelta(**{_UNITS[unit]: amount})
        except OverflowError as exc:
            raise PublishError(
                f"--since {value!r} reaches before the year 1; use a shorter window"
            ) from exc
    try:
        parsed = datetime.fromisoformat(value.strip())
    except ValueError as exc:
        raise PublishError(
            f"--since {value!r} is neither a window like 1d, 12h, 2w nor a date like 2026-11-01"
        ) from exc
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def safe_link(url: str | None) -> str | None:
    """Only web and local-file links reach a digest; ``javascript:`` and the like are dropped."""
    if url and url.lower().startswith(("http://", "https://", "file:///")):
        return url
    return None


def web_link(url: str | None) -> str | None:
    """Only http(s) links: for what leaves the machine (web pages, feeds' home, webhooks)."""
    if url and url.strip().lower().startswith(("http://", "https://")):
        return url
    return None


_ITEM_SOURCE = re.compile(r"^(?P<page>.+)#item-(?P<number>\d+)$")


def article_link(article: Article) -> str | None:
    """Where a reader finds the article: its web URL, else its local file as a ``file:`` URL.

    A digest item without a link of its own points at its page with the item's anchor
    (``#item-3``), so that every quote and "Read more" entry leads somewhere.
    """
    link = safe_link(article.url) or safe_link(article.canonical_url)
    if link:
        return link
    source = article.source or ""
    anchor = ""
    item = _ITEM_SOURCE.match(source)
    if item:
        source, anchor = item.group("page"), f"#item-{item.group('number')}"
    if source.lower().startswith(("http://", "https://")):
        return source + anchor
    path = Path(source)
    if source and path.is_absolute():
        return path.as_uri() + anchor
    return None


def _when(article: Article) -> datetime | None:
    """An article's publication date; never the time it was collected, which says nothing of
    when it was written."""
    return article.published


def earlier_period(report: Report) -> str | None:
    """The time phrase of a claim that is not simply about its article's days: a running total
    ("since late 2024"), or a period that ends more than a week before the article ("in
    mid-September" in a November report, "last year"). "On Tuesday" is left out."""
    if not report.period:
        return None
    if report.running_total:
        return report.period
    if report.period_end is None or report.published is None:
        return None
    return report.period if report.period_end < report.published.date() - _RECENT else None


_RECENT = timedelta(days=7)


def _value_text(report: Report) -> str:
    if report.part is None:
        return report.written
    whole = (
        f" of {readable_number(report.part_of)}" if report.part_of is not None else " of the total"
    )
    return f"{report.written}{whole}"


def _report_order(report: Report) -> tuple[float, int]:
    published = report.published
    return (published.timestamp() if published else float("inf"), report.article_id)


class DigestBuilder:
    """Builds digests from a store and a watch profile."""

    def __init__(self, store: Store, *, profile: Profile) -> None:
        self.store = store
        self.profile = profile
        # Every digest is published protected: private people's values never leave the store.
        self.protector = Protector(profile)
        self.protector.use_store(store)
        self._labels = {theme.id: theme.label for theme in profile.themes}
        self._order = {theme.id: index for index, theme in enumerate(profile.themes)}

    def build(
        self,
        *,
        since: datetime,
        until: datetime,
        now: datetime | None = None,
        site_url: str | None = None,
        undated: str = "include",
    ) -> Digest:
        """The digest of stories with at least one member published in ``[since, until]``.

        Stories whose window members give no publication date (collected in the window) go to
        an "Undated" section after the others with ``undated="include"``, and are left out with
        ``undated="exclude"``.
        """
        if undated not in UNDATED_POLICIES:
            raise PublishError(f"undated policy {undated!r}: choose include or exclude")
        previous = self.store.previous_digest(until)
        seen_before: dict[int, int] = previous["stories"] if previous else {}
        stories = []
        previous_until = previous["until"] if previous else None
        for view in list_stories(self.store, since=since, until=until):
            members = list(view.members)
            if not members:
                continue
            if undated == "exclude" and not any(a.published for a in members):
                continue
            story = self._story(view, members, seen_before, since=since, previous=previous_until)
            stories.append(protect_story(story, members, self.protector))
        sections = self._sections(stories)
        storylines = self._storylines(stories)
        return Digest(
            since=since,
            until=until,
            generated_at=now or datetime.now(UTC),
            sections=sections,
            volume=self._volume(sections, since=since, until=until),
            measures=self._measures(until),
            previous_until=previous["until"] if previous else None,
            site_url=web_link(site_url),
            undated=undated,
            storylines=storylines,
        )

    def _storylines(self, stories: list[DigestStory]) -> tuple[DigestStoryline, ...]:
        """The storylines of two stories or more that the digest's stories belong to.

        Stories of the digest carry their protected titles; the others' titles are protected
        here, each in the scope of its own members.
        """
        shown = {story.id: story for story in stories}
        lines = []
        for line_id in sorted({s.storyline_id for s in stories if s.storyline_id is not None}):
            size = self.store.storyline_size(line_id)
            if size < 2:
                continue
            entries = []
            for row in self.store.storyline_stories(line_id, limit=STORYLINE_STORIES):
                story = shown.get(row["id"])
                if story is not None:
                    title = story.title
                else:
                    scope = story_title_scope(
                        self.store, row["id"], self.protector, title=row["title"]
                    )
                    title = scope.protect(row["title"] or "(untitled story)").text
                entries.append(
                    StorylineEntry(
                        story_id=row["id"],
                        title=title,
                        first_seen=row["first_seen"],
                        last_seen=row["last_seen"],
                        articles=row["articles"],
                        in_digest=story is not None,
                    )
                )
            if len(entries) < 2:
                continue
            latest = max(
                entries,
                key=lambda e: (e.last_seen is not None, e.last_seen or _EPOCH, e.story_id),
            )
            lines.append(
                DigestStoryline(id=line_id, title=latest.title, stories=tuple(entries), size=size)
            )
        return tuple(
            sorted(lines, key=lambda line: (-(line.last_seen or _EPOCH).timestamp(), line.id))
        )

    def _story(
        self,
        view: StoryView,
        members: list[Article],
        seen_before: dict[int, int],
        *,
        since: datetime,
        previous: datetime | None,
    ) -> DigestStory:
        originals = [a for a in members if a.duplicate_of is None] or members
        by_id = {a.id: a for a in members}
        reports: dict[str, list[Report]] = defaultdict(list)
        labels: dict[str, str] = {}
        cumulative: dict[str, bool] = {}
        figure_lines: list[FigureLine] = []
        seen_values: set[tuple[str, str, str]] = set()
        enrichment = {a.id: self.store.enrichment(a.id or 0) or {} for a in originals}
        for article in originals:
            facts = {
                "id": article.id or 0,
                "published": article.published,
                "outlet": article.outlet,
                "url": article.url,
            }
            figures = enrichment[article.id].get("figures", [])
            for measure, report in measured_reports(self.profile, figures, facts):
                reports[measure.id].append(report)
                labels[measure.id] = measure.label
                cumulative[measure.id] = measure.cumulative
                key = (measure.label, _value_text(report), report.period or "")
                if key in seen_values or len(figure_lines) >= _MAX_FIGURES:
                    continue
                seen_values.add(key)
                figure_lines.append(
                    FigureLine(
                        measure=measure.label,
                        value=_value_text(report),
                        attribution=(
                            claimant_text(report.attribution) if report.attribution else None
                        ),
                        hedge=report.hedge,
                        outlet=article.outlet,
                        sentence=report.sentence,
                        period=earlier_period(report),
                    )
                )
        disputes = [
            found
            for measure_id, measure_reports in reports.items()
            for found in disagreements(
                sorted(measure_reports, key=_report_order),
                window_days=DISPUTE_WINDOW_DAYS,
                measure=labels[measure_id],
                cumulative=cumulative[measure_id],
            )
        ]
        # The summary quotes the disputed claims side by side, and no other values.
        claims: dict[int, list[tuple[str, float, str]]] = defaultdict(list)
        for dispute in disputes:
            for side in (dispute.first, dispute.second):
                entry = (dispute.measure, side.value, side.sentence)
                if entry not in claims[side.article_id]:
                    claims[side.article_id].append(entry)
        # The summary stored for the story serves when it was made from these same inputs; one
        # made here for the window is not kept (it would displace the story page's).
        summary = recalled_summary(
            self.store,
            view.id,
            story_members(originals),
            max_sentences=4,
            claims=claims,
            keep=False,
        )
        quotes = tuple(
            Quote(
                s.text,
                s.article_id,
                by_id[s.article_id].outlet if s.article_id in by_id else None,
                article_link(by_id[s.article_id]) if s.article_id in by_id else None,
            )
            for s in summary
        )
        links = tuple(
            MemberLink(
                a.id,
                a.outlet,
                a.title or "(untitled)",
                article_link(a),
                a.published,
                a.duplicate_of,
            )
            for a in members
        )
        if view.id not in seen_before:
            mark = "new"
        elif previous is not None and any(a.published and a.published > previous for a in members):
            mark = "updated"
        else:
            mark = ""
        # The sources of the members shown, named: the count and the names always agree.
        sources = tuple(source_names(members))
        dates = [a.published for a in members if a.published is not None]
        first_seen = min(dates) if dates else None
        last_seen = max(dates) if dates else None
        watched = {
            m["canonical"]
            for data in enrichment.values()
            for m in data.get("entities", [])
            if m["known"]
        }
        importance = (
            2.0 * len(sources)
            + (1.0 if mark == "new" else 0.5 if mark == "updated" else 0.0)
            + 0.25 * min(len(watched), 4)
            + (0.5 if first_seen is not None and first_seen >= since else 0.0)
        )
        return DigestStory(
            id=view.id,
            title=view.title,
            themes=view.themes,
            summary=quotes,
            figures=tuple(figure_lines),
            links=links,
            first_seen=first_seen,
            last_seen=last_seen,
            independent_sources=len(sources),
            outlets=view.outlets,
            mark=mark,
            importance=round(importance, 4),
            disputes=tuple(disputes),
            sources=sources,
            storyline_id=view.storyline_id,
        )

    def _sections(self, stories: list[DigestStory]) -> tuple[Section, ...]:
        grouped: dict[str, list[DigestStory]] = defaultdict(list)
        for story in stories:
            if story.first_seen is None:
                grouped[UNDATED_THEME].append(story)
            else:
                grouped[story.themes[0] if story.themes else OTHER_THEME].append(story)
        order = sorted(
            grouped,
            key=lambda t: (t == UNDATED_THEME, self._order.get(t, len(self._order)), t),
        )
        return tuple(
            Section(
                theme,
                "Undated" if theme == UNDATED_THEME else self._labels.get(theme, "Other news"),
                tuple(sorted(grouped[theme], key=lambda s: (-s.importance, s.id))),
            )
            for theme in order
        )

    def _volume(
        self, sections: tuple[Section, ...], *, since: datetime, until: datetime
    ) -> tuple[tuple[str, str, tuple[tuple[str, int], ...]], ...]:
        days: list[str] = []
        day = since.astimezone(UTC).date()
        while day <= until.astimezone(UTC).date() and len(days) < 120:
            days.append(day.isoformat())
            day += timedelta(days=1)
        rows = []
        for section in sections:
            counts: Counter[str] = Counter()
            for story in section.stories:
                for link in story.links:
                    when = link.published
                    if when is not None and since <= when <= until and link.copy_of is None:
                        counts[when.astimezone(UTC).date().isoformat()] += 1
            rows.append((section.theme, section.label, tuple((d, counts[d]) for d in days)))
        return tuple(rows)

    def _measures(self, until: datetime) -> tuple[MeasureChart, ...]:
        charts = []
        figures = self.store.iter_figures(since=until - MEASURE_HISTORY, until=until)
        for series in track(self.profile, figures, compare=False):
            points = tuple(
                Point(r.published, r.value, r.value_max, r.outlet, *r.about(), r.approx)
                for r in series.reports
                if r.published is not None and r.published <= until and r.part is None
            )
            if len(points) >= 2:
                charts.append(
                    MeasureChart(
                        series.measure.id, series.measure.label, series.measure.unit, points
                    )
                )
        return tuple(charts)


def build_digest(
    store: Store,
    *,
    profile: Profile,
    since: datetime,
    until: datetime,
    now: datetime | None = None,
    site_url: str | None = None,
    undated: str = "include",
) -> Digest:
    """Build the digest of ``[since, until]``; ``undated`` is "include" or "exclude"."""
    return DigestBuilder(store, profile=profile).build(
        since=since, until=until, now=now, site_url=site_url, undated=undated
    )


def render(digest: Digest, fmt: str) -> str:
    """Render in one of :data:`FORMATS`."""
    from nkwatch.publish.render import RENDERERS  # the renderers import this module's records

    if fmt not in FORMATS:
        raise PublishError(f"unknown digest format {fmt!r}; choose one of {', '.join(FORMATS)}")
    return RENDERERS[fmt](digest)


def write_digest(digest: Digest, path: str | Path, fmt: str) -> Path:
    """Render and write; a path that cannot be written raises ``PublishError`` naming it."""
    target = Path(path)
    content = render(digest, fmt)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(content, encoding="utf-8")
    except OSError as exc:
        raise PublishError(
            f"cannot write the digest to {target}: {explain_os_error(target, exc)}; "
            "choose another -o path"
        ) from exc
    return target


def explain_os_error(target: Path, exc: OSError) -> str:
    """The real cause of a failed write: a file standing where a folder should be, or the
    system's message."""
    for parent in target.parents:
        if parent.exists():
            if not parent.is_dir():
                return f"{parent} is a file, not a folder"
            break
    return exc.strerror or str(exc)
