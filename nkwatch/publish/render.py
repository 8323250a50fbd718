"""Renderers: a digest as a self-contained HTML page, Markdown, RSS 2.0, Atom 1.0, JSON Feed 1.1.

Each renderer takes a :class:`~nkwatch.publish.digest.Digest` and returns text. The same digest
always gives the same bytes: everything is ordered explicitly, and the build time
(``generated_at``) appears only where a format has a place for it (the page footer, the Markdown
header, RSS ``lastBuildDate``, Atom's feed ``updated``). The HTML is Jinja2 with autoescaping
(templates in ``templates/``), the feeds are built with ElementTree and ``json``, which escape;
links come only from the digest, which keeps http(s) URLs only.
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import format_datetime
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup, escape

from nkwatch.publish.charts import (
    measure_chart,
    period_text,
    point_value,
    slug,
    sorted_points,
    volume_chart,
)
from nkwatch.publish.digest import (
    Digest,
    DigestStory,
    DigestStoryline,
    FigureLine,
    MemberLink,
    Quote,
    Section,
)
from nkwatch.record import outlet_key

TITLE = "nkwatch digest"
JSONFEED_VERSION = "https://jsonfeed.org/version/1.1"
#: Tag URI authority and date (RFC 4151) for feed, entry and theme identifiers.
TAG = "tag:nkwatch,2026"
THEME_SCHEME = f"{TAG}:theme"
#: The scheme of a feed entry's storyline category: the term is the storyline's id.
STORYLINE_SCHEME = f"{TAG}:storyline"
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]<>#|~&!])")
#: What would start a list item when the text opens a line or follows a list marker.
_MD_LIST_START = re.compile(r"^([-+]|\d{1,9}[.)])(?=\s|$)")


# -- shared helpers -------------------------------------------------------------------------


def _utc(value: datetime) -> datetime:
    return (value if value.tzinfo else value.replace(tzinfo=UTC)).astimezone(UTC)


def _when(value: datetime | None) -> str:
    """``2026-11-19 08:00 UTC``, as every format shows a moment to a reader."""
    return _utc(value).strftime("%Y-%m-%d %H:%M UTC") if value else "date unknown"


def _day(value: datetime) -> str:
    return _utc(value).date().isoformat()


def _rfc3339(value: datetime) -> str:
    return _utc(value).isoformat(timespec="seconds").replace("+00:00", "Z")


def _rfc822(value: datetime) -> str:
    return format_datetime(_utc(value), usegmt=True)


def _plural(count: int, noun: str, nouns: str | None = None) -> str:
    return f"{count} {noun if count == 1 else nouns or noun + 's'}"


def _outlets(story: DigestStory) -> list[str]:
    return sorted(set(story.outlets), key=lambda outlet: (outlet.casefold(), outlet))


@dataclass(frozen=True, slots=True)
class ReadMore:
    """A member link as listed: the link, its outlet and date, and whether it is a copy."""

    link: MemberLink
    about: str
    copy: str


def read_more(story: DigestStory) -> list[ReadMore]:
    """Every member link, originals first, then by date, outlet and title."""
    outlets = {link.article_id: link.outlet for link in story.links if link.article_id is not None}
    items = []
    for link in sorted(
        story.links,
        key=lambda link: (
            link.copy_of is not None,
            link.published is None,
            _utc(link.published).timestamp() if link.published else 0.0,
            (link.outlet or "").casefold(),
            link.title,
            link.url or "",
            link.article_id or 0,
        ),
    ):
        about = link.outlet or "unknown outlet"
        about += f", {_day(link.published)}" if link.published else ", date unknown"
        copy = ""
        if link.copy_of is not None:
            original = outlets.get(link.copy_of)
            copy = f"copy of the {original} report" if original else "copy"
        items.append(ReadMore(link, about, copy))
    return items


def first_url(story: DigestStory) -> str | None:
    """The link of a story's entry in a feed: its first listed member with a URL."""
    return next((item.link.url for item in read_more(story) if item.link.url), None)


def figure_period(figure: FigureLine) -> str:
    """The time a figure is about, when its sentence states one (" (since late 2024)"), so
    that a running total or last year's count is not read as a count for today."""
    return f" ({' '.join(figure.period.split())})" if figure.period else ""


def figure_source(figure: FigureLine) -> str:
    """Who says so and how surely, and where: ``according to the NIS, estimated, Yonhap``."""
    return ", ".join(part for part in (figure.attribution, figure.hedge, figure.outlet) if part)


def disagreements(story: DigestStory) -> list[str]:
    """A note per pair of claims the tracker found in dispute (see ``enrich.tracker``).

    Each names both claimants, both dates and both sentences; one source giving two values
    (then and now, say) is a revision, never a dispute.
    """
    return [dispute.describe() for dispute in story.disputes]


def _seen(story: DigestStory) -> str:
    if story.first_seen and story.last_seen and story.first_seen != story.last_seen:
        return f"First seen {_when(story.first_seen)} · updated {_when(story.last_seen)}"
    when = story.first_seen or story.last_seen
    return f"Seen {_when(when)}" if when else "Date unknown"


def source_names(story: DigestStory) -> tuple[list[str], list[str]]:
    """The outlets a story's count names (those the reports come from) and, apart, the outlets
    that only carry a copy or a re-post of them."""
    copying = _sorted_names(link.outlet for link in story.links if link.copy_of is not None)
    if story.sources:
        reporting = list(story.sources)
        copying += _sorted_names(link.outlet for link in story.links if link.copy_of is None)
        # Another edition or section of a reporting site (its key) is that source, no copy.
        sites = {outlet_key(name, "") for name in reporting}
        copying = _sorted_names(o for o in copying if outlet_key(o, "") not in sites)
    else:
        reporting = _sorted_names(link.outlet for link in story.links if link.copy_of is None)
        copying = [outlet for outlet in copying if outlet not in reporting]
    return reporting, copying


def _sources(story: DigestStory) -> str:
    """ "3 independent sources: A, B, C; copies in D": the count names its sources (the outlets
    the reports come from), and outlets that only carry a copy or a re-post are named apart."""
    count = _plural(story.independent_sources, "independent source")
    reporting, copying = source_names(story)
    if not reporting and not copying:
        outlets = _outlets(story)
        return f"{count}: {', '.join(outlets)}" if outlets else count
    text = f"{count}: {', '.join(reporting)}" if reporting else count
    return text + (f"; copies in {', '.join(copying)}" if copying else "")


def storyline_note(story: DigestStory, digest: Digest) -> str | None:
    """ "Part of the storyline “…” (4 stories)" for a story whose storyline the digest lists."""
    line = _storyline_of(story, digest)
    if line is None:
        return None
    return f"Part of the storyline “{line.title}” ({_plural(line.size, 'story', 'stories')})"


def _storyline_of(story: DigestStory, digest: Digest) -> DigestStoryline | None:
    if story.storyline_id is None:
        return None
    return next((line for line in digest.storylines if line.id == story.storyline_id), None)


def _storyline_span(line: DigestStoryline) -> str:
    first, last = line.first_seen, line.last_seen
    span = f"{_day(first)} to {_day(last)}" if first and last else "dates unknown"
    shown = len(line.stories)
    more = f", the latest {shown} listed" if line.size > shown else ""
    return f"{_plural(line.size, 'story', 'stories')}, {span}{more}"


def _sorted_names(outlets: Iterable[str | None]) -> list[str]:
    return sorted({o for o in outlets if o}, key=lambda outlet: (outlet.casefold(), outlet))


def _counts(digest: Digest) -> str:
    stories = digest.stories
    outlets = {outlet for story in stories for outlet in story.outlets}
    return f"{_plural(len(stories), 'story', 'stories')} from {_plural(len(outlets), 'outlet')}"


def _theme_labels(digest: Digest) -> dict[str, str]:
    labels = {theme: label for theme, label, _counts in digest.volume}
    labels.update({section.theme: section.label for section in digest.sections})
    return labels


# -- HTML -----------------------------------------------------------------------------------


def _time(value: datetime | None, *, day: bool = False) -> Markup:
    if value is None:
        return Markup("date unknown")
    shown = _day(value) if day else _when(value)
    return Markup('<time datetime="{}">{}</time>').format(_rfc3339(value), shown)


def _environment() -> Environment:
    env = Environment(
        loader=PackageLoader("nkwatch.publish", "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["day"] = _day
    env.globals.update(
        time=_time,
        sources=_sources,
        read_more=read_more,
        figure_source=figure_source,
        figure_period=figure_period,
        disagreements=disagreements,
        point_value=point_value,
        storyline_span=_storyline_span,
        plural=_plural,
    )
    return env


_ENV = _environment()


@dataclass(frozen=True, slots=True)
class _Anchored:
    anchor: str
    label: str
    count: str = ""


def _unique(anchor: str, taken: set[str], suffixes: tuple[str, ...]) -> str:
    """An element id not yet used, nor any id derived from it with ``suffixes``."""
    candidate, index = anchor, 2
    while any(candidate + suffix in taken for suffix in ("", *suffixes)):
        candidate, index = f"{anchor}-{index}", index + 1
    taken.update(candidate + suffix for suffix in ("", *suffixes))
    return candidate


def render_html(digest: Digest) -> str:
    """One self-contained page: inline CSS and SVG, no scripts, no requests but article links."""
    taken = {"content", "toc-heading", "volume", "volume-heading", "figures", "figures-heading"}
    taken.update(f"story-{story.id}{end}" for story in digest.stories for end in ("", "-title"))
    taken.update({"storylines", "storylines-heading"})
    for line in digest.storylines:
        taken.update({f"storyline-{line.id}", f"storyline-{line.id}-title"})
    sections = [
        {
            "anchor": _unique(f"theme-{slug(section.theme)}", taken, ("-heading",)),
            "section": section,
        }
        for section in digest.sections
    ]
    measures = []
    for chart in digest.measures:
        anchor = _unique(f"measure-{slug(chart.measure)}", taken, ("-chart-title", "-chart-desc"))
        measures.append(
            {
                "anchor": anchor,
                "chart": chart,
                "svg": Markup(measure_chart(chart, element_id=f"{anchor}-chart")),
                "points": sorted_points(chart),
            }
        )
    show_volume = bool(digest.volume) and not digest.is_empty
    toc = [_Anchored("volume", "Story volume")] if show_volume else []
    toc += [
        _Anchored(str(anchor), section.label, _plural(len(section.stories), "story", "stories"))
        for anchor, section in ((s["anchor"], s["section"]) for s in sections)
        if isinstance(section, Section)
    ]
    if digest.storylines:
        toc.append(
            _Anchored(
                "storylines",
                "Storylines",
                _plural(len(digest.storylines), "storyline"),
            )
        )
    if measures:
        toc.append(_Anchored("figures", "Tracked figures"))
    days = sorted({day for _t, _l, counts in digest.volume for day, _c in counts})
    by_theme = [dict(counts) for _t, _l, counts in digest.volume]
    return _ENV.get_template("digest.html.j2").render(
        digest=digest,
        counts=_counts(digest),
        toc=toc,
        sections=sections,
        measures=measures,
        volume_svg=Markup(volume_chart(digest.volume, element_id="volume-chart"))
        if show_volume
        else None,
        volume_table=[(day, [counts.get(day, 0) for counts in by_theme]) for day in days],
        lines={story.id: _storyline_of(story, digest) for story in digest.stories},
    )


def story_html(story: DigestStory, note: str | None = None) -> str:
    """A story's summary, figures and "Read more" links as an HTML fragment, for the feeds,
    after ``note`` (the storyline it belongs to) when given."""
    module: Any = _ENV.get_template("story.html.j2").module
    body = str(module.story_body(story)).strip() + "\n"
    if note:
        body = f"<p><em>{escape(note)}</em></p>\n{body}"
    return body


# -- Markdown -------------------------------------------------------------------------------


def md_text(text: str) -> str:
    """Text that Markdown shows as written: specials escaped, whitespace on one line."""
    flat = " ".join(text.split())
    escaped = _MD_SPECIAL.sub(r"\\\1", flat)
    return _MD_LIST_START.sub(lambda m: m.group(1)[:-1] + "\\" + m.group(1)[-1], escaped)


def md_url(url: str) -> str:
    """A link destination that cannot end the link early."""
    for char, code in ((" ", "%20"), ("(", "%28"), (")", "%29"), ("<", "%3C"), (">", "%3E")):
        url = url.replace(char, code)
    return url


def _md_link(text: str, url: str | None) -> str:
    return f"[{md_text(text)}]({md_url(url)})" if url else md_text(text)


def _md_story(story: DigestStory, note: str | None = None) -> list[str]:
    mark = f" *({story.mark})*" if story.mark else ""
    lines = [f"### {md_text(story.title)}{mark}", "", md_text(_seen(story)) + "  "]
    lines += [md_text(_sources(story)) + ("  " if note else ""), *([md_text(note)] if note else [])]
    lines.append("")
    for quote in story.summary:
        source = _md_link(quote.outlet or ("source" if quote.url else "source unknown"), quote.url)
        lines += [f"> {md_text(quote.text)} — {source}", ">"]
    if story.summary:
        lines[-1] = ""
    if story.figures:
        lines += ["**Figures**", ""]
        lines += [f"*{md_text(note)}*" for note in disagreements(story)]
        if disagreements(story):
            lines.append("")
        for figure in story.figures:
            where = figure_source(figure)
            line = f"- {md_text(figure.measure)}: **{md_text(figure.value)}**"
            line += " " + md_text(figure_period(figure)) if figure.period else ""
            lines.append(line + (f" — {md_text(where)}" if where else ""))
        lines.append("")
    if story.links:
        lines += ["**Read more**", ""]
        for item in read_more(story):
            about = item.about + (f", {item.copy}" if item.copy else "")
            lines.append(f"- {_md_link(item.link.title, item.link.url)} — {md_text(about)}")
        lines.append("")
    return lines


def render_markdown(digest: Digest) -> str:
    """The digest as Markdown: a heading per theme and story, quotes with their sources."""
    lines = [
        f"# {TITLE}: {_when(digest.since)} to {_when(digest.until)}",
        "",
        f"{md_text(_counts(digest))}. Generated {_when(digest.generated_at)}.",
        "",
    ]
    if digest.is_empty:
        lines += ["Nothing new in this window.", ""]
    for section in digest.sections:
        lines += [f"## {md_text(section.label)}", ""]
        for story in section.stories:
            lines += _md_story(story, storyline_note(story, digest))
    if digest.storylines:
        lines += ["## Storylines", ""]
        for line in digest.storylines:
            lines += [f"### {md_text(line.title)}", "", md_text(_storyline_span(line)), ""]
            for entry in line.stories:
                when = _day(entry.first_seen) if entry.first_seen else "date unknown"
                where = "" if entry.in_digest else " (not in this window)"
                articles = _plural(entry.articles, "article")
                lines.append(f"- {when}: {md_text(entry.title)}{where} — {articles}")
            lines.append("")
    if digest.measures:
        lines += ["## Tracked figures", ""]
        for chart in digest.measures:
            lines += [f"### {md_text(chart.label)}", ""]
            for point in sorted_points(chart):
                value = point_value(point, chart.unit)
                outlet = f" — {md_text(point.outlet)}" if point.outlet else ""
                period = period_text(point)
                about = f" (about {period})" if period else ""
                lines.append(f"- {_day(point.published)}{about}: {md_text(value)}{outlet}")
            lines.append("")
    return "\n".join(lines).rstrip() + "\n"


# -- feeds ----------------------------------------------------------------------------------


def _xml(text: str) -> str:
    """Text XML 1.0 can carry: control characters and lone surrogates dropped."""
    return _XML_INVALID.sub("", text)


def _sub(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
    element = ET.SubElement(parent, tag, {key: _xml(value) for key, value in attrs.items()})
    if text is not None:
        element.text = _xml(text)
    return element


def _serialize(root: ET.Element) -> str:
    ET.indent(root)
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def _description(digest: Digest) -> str:
    return f"News about North Korea seen from {_when(digest.since)} to {_when(digest.until)}."


def _story_guid(story: DigestStory) -> str:
    return f"nkwatch:story:{story.id}"


def render_rss(digest: Digest) -> str:
    """RSS 2.0: an item per story with its summary, figures and links as escaped HTML."""
    rss = ET.Element("rss", version="2.0")
    channel = _sub(rss, "channel")
    _sub(channel, "title", f"{TITLE}: {_day(digest.since)} to {_day(digest.until)}")
    if digest.site_url:
        _sub(channel, "link", digest.site_url)
    _sub(channel, "description", _description(digest))
    _sub(channel, "language", "en")
    _sub(channel, "pubDate", _rfc822(digest.until))
    _sub(channel, "lastBuildDate", _rfc822(digest.generated_at))
    _sub(channel, "generator", "nkwatch")
    for story in digest.stories:
        item = _sub(channel, "item")
        _sub(item, "title", story.title)
        url = first_url(story)
        if url:
            _sub(item, "link", url)
        _sub(item, "guid", _story_guid(story), isPermaLink="false")
        if story.last_seen or story.first_seen:
            _sub(item, "pubDate", _rfc822(story.last_seen or story.first_seen))  # type: ignore[arg-type]
        for theme in story.themes:
            _sub(item, "category", theme, domain=THEME_SCHEME)
        line = _storyline_of(story, digest)
        if line is not None:
            _sub(item, "category", line.title, domain=STORYLINE_SCHEME)
        _sub(item, "description", story_html(story, storyline_note(story, digest)))
    return _serialize(rss)


def render_atom(digest: Digest) -> str:
    """Atom 1.0: an entry per story, identified by tag URIs, with HTML content."""
    labels = _theme_labels(digest)
    feed = ET.Element("feed", xmlns="http://www.w3.org/2005/Atom")
    feed.set("xml:lang", "en")
    _sub(feed, "id", f"{TAG}:digest:{_rfc3339(digest.since)}/{_rfc3339(digest.until)}")
    _sub(feed, "title", f"{TITLE}: {_day(digest.since)} to {_day(digest.until)}")
    _sub(feed, "subtitle", _description(digest))
    if digest.site_url:
        _sub(feed, "link", rel="alternate", href=digest.site_url)
    _sub(feed, "updated", _rfc3339(digest.generated_at))
    _sub(_sub(feed, "author"), "name", "nkwatch")
    _sub(feed, "generator", "nkwatch")
    for story in digest.stories:
        entry = _sub(feed, "entry")
        _sub(entry, "id", f"{TAG}:story:{story.id}")
        _sub(entry, "title", story.title)
        updated = story.last_seen or story.first_seen or digest.until
        _sub(entry, "updated", _rfc3339(updated))
        if story.first_seen:
            _sub(entry, "published", _rfc3339(story.first_seen))
        for theme in story.themes:
            attrs = {"term": theme, "scheme": THEME_SCHEME}
            if theme in labels:
                attrs["label"] = labels[theme]
            _sub(entry, "category", **attrs)
        line = _storyline_of(story, digest)
        if line is not None:
            _sub(entry, "category", term=str(line.id), scheme=STORYLINE_SCHEME, label=line.title)
        url = first_url(story)
        if url:
            _sub(entry, "link", rel="alternate", type="text/html", href=url)
        _sub(entry, "content", story_html(story, storyline_note(story, digest)), type="html")
    return _serialize(feed)


def story_text(story: DigestStory) -> str:
    """A story's summary, figures and links as plain text."""
    lines = []
    for quote in story.summary:
        lines.append(f"“{quote.text}” — {quote.outlet or 'source unknown'}")
    if story.figures:
        lines += ["", "Figures:"]
        lines += disagreements(story)
        for figure in story.figures:
            where = figure_source(figure)
            value = figure.value + figure_period(figure)
            lines.append(f"- {figure.measure}: {value}" + (f" — {where}" if where else ""))
    if story.links:
        lines += ["", "Read more:"]
        for item in read_more(story):
            about = item.about + (f", {item.copy}" if item.copy else "")
            lines.append(
                f"- {item.link.title} — {about}" + (f": {item.link.url}" if item.link.url else "")
            )
    return "\n".join(lines).strip() + "\n"


def _quote_json(quote: Quote) -> dict[str, Any]:
    return {
        "text": quote.text,
        "article_id": quote.article_id,
        "outlet": quote.outlet,
        "url": quote.url,
    }


def _figure_json(figure: FigureLine) -> dict[str, Any]:
    return {
        "measure": figure.measure,
        "value": figure.value,
        "period": figure.period,
        "attribution": figure.attribution,
        "hedge": figure.hedge,
        "outlet": figure.outlet,
        "sentence": figure.sentence,
    }


def _storyline_json(line: DigestStoryline) -> dict[str, Any]:
    return {
        "id": line.id,
        "title": line.title,
        "size": line.size,
        "first_seen": _rfc3339(line.first_seen) if line.first_seen else None,
        "last_seen": _rfc3339(line.last_seen) if line.last_seen else None,
        "stories": [
            {
                "story_id": entry.story_id,
                "title": entry.title,
                "first_seen": _rfc3339(entry.first_seen) if entry.first_seen else None,
                "last_seen": _rfc3339(entry.last_seen) if entry.last_seen else None,
                "articles": entry.articles,
                "in_digest": entry.in_digest,
            }
            for entry in line.stories
        ],
    }


def _item_json(story: DigestStory, digest: Digest) -> dict[str, Any]:
    item: dict[str, Any] = {"id": _story_guid(story)}
    url = first_url(story)
    if url:
        item["url"] = url
    item["title"] = story.title
    item["content_html"] = story_html(story, storyline_note(story, digest))
    item["content_text"] = story_text(story)
    if story.first_seen:
        item["date_published"] = _rfc3339(story.first_seen)
    if story.last_seen:
        item["date_modified"] = _rfc3339(story.last_seen)
    if story.themes:
        item["tags"] = list(story.themes)
    item["_nkwatch"] = {
        "story_id": story.id,
        "storyline_id": story.storyline_id,
        "independent_sources": story.independent_sources,
        "sources": list(story.sources),
        "outlets": _outlets(story),
        "mark": story.mark,
        "themes": list(story.themes),
        "summary": [_quote_json(quote) for quote in story.summary],
        "figures": [_figure_json(figure) for figure in story.figures],
    }
    return item


def render_jsonfeed(digest: Digest) -> str:
    """JSON Feed 1.1: an item per story, with an ``_nkwatch`` extension carrying its sources."""
    feed = {
        "version": JSONFEED_VERSION,
        "title": f"{TITLE}: {_day(digest.since)} to {_day(digest.until)}",
        "description": _description(digest),
        **({"home_page_url": digest.site_url} if digest.site_url else {}),
        "language": "en",
        "authors": [{"name": "nkwatch"}],
        "_nkwatch": {
            "since": _rfc3339(digest.since),
            "until": _rfc3339(digest.until),
            "themes": _theme_labels(digest),
            "storylines": [_storyline_json(line) for line in digest.storylines],
        },
        "items": [_item_json(story, digest) for story in digest.stories],
    }
    return json.dumps(feed, ensure_ascii=False, indent=2) + "\n"


RENDERERS: dict[str, Callable[[Digest], str]] = {
    "html": render_html,
    "md": render_markdown,
    "rss": render_rss,
    "atom": render_atom,
    "jsonfeed": render_jsonfeed,
}
