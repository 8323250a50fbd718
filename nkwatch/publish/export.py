"""Exports: every stored article with all it has learned, as JSON Lines or CSV."""

from __future__ import annotations

import csv
import json
from collections import Counter
from collections.abc import Iterable, Iterator
from typing import IO, Any

from nkwatch.errors import PublishError
from nkwatch.protect.stage import Protector, protect_row
from nkwatch.publish.digest import web_link
from nkwatch.publish.formats import EXPORT_FORMATS
from nkwatch.record import Article
from nkwatch.store import Store

#: The documented, stable columns (docs/export-schema.md), in order.
FIELDS = (
    "id",
    "url",
    "canonical_url",
    "outlet",
    "origin",
    "parent_id",
    "title",
    "text",
    "published",
    "published_from",
    "language",
    "fetched_at",
    "content_hash",
    "kind",
    "author",
    "source",
    "duplicate_of",
    "duplicate_kind",
    "story_id",
    "storyline_id",
    "independent_sources",
    "themes",
    "entities",
    "figures",
    "summary",
    "non_web_urls",
)
#: Fields holding links; only http(s) values stay there (see ``_web_links_only``).
_LINK_FIELDS = ("url", "canonical_url")


def export_rows(
    articles: Iterable[Article],
    store: Store | None = None,
    *,
    protector: Protector | None = None,
    tally: Counter[str] | None = None,
) -> Iterator[dict[str, Any]]:
    """Export objects in store order, with enrichment and story counts when a store is given.

    With a ``protector`` (the default of ``nkwatch export``), private people's values are
    replaced in every text field, and what was replaced is counted into ``tally``.
    """
    sources: dict[int, int] = {}
    lines: dict[int, int | None] = {}
    for article in articles:
        row = article.to_export()
        if store is not None and article.id is not None:
            row.update(store.enrichment(article.id) or {})
            row["summary"] = store.summary(article.id)
            if article.story_id:
                if article.story_id not in sources:
                    story = store.get_story(article.story_id)
                    sources[article.story_id] = story["independent_sources"] if story else 0
                row["independent_sources"] = sources[article.story_id]
                if article.story_id not in lines:
                    lines[article.story_id] = store.storyline_of(article.story_id)
                row["storyline_id"] = lines[article.story_id]
        _web_links_only(row)
        if protector is not None:
            row = protect_row(row, protector)
            if tally is not None:
                tally.update(row["protected"])
        yield {name: row.get(name) for name in FIELDS}


def _web_links_only(row: dict[str, Any]) -> None:
    """Keep only http(s) URLs in link fields; any other scheme (``javascript:``, ``data:``,
    ``file:``) moves to ``non_web_urls`` so no consumer renders it as a link."""
    moved: dict[str, str] = {}
    for name in _LINK_FIELDS:
        value = row.get(name)
        if value and web_link(value) is None:
            moved[name] = value
            row[name] = None
    origin = row.get("origin")
    if isinstance(origin, dict) and origin.get("url") and web_link(origin["url"]) is None:
        moved["origin.url"] = origin["url"]
        row["origin"] = {**origin, "url": None}
    row["non_web_urls"] = moved or None


def export_articles(
    articles: Iterable[Article],
    out: IO[str],
    fmt: str,
    *,
    store: Store | None = None,
    protector: Protector | None = None,
    tally: Counter[str] | None = None,
) -> int:
    """Write articles as ``jsonl`` or ``csv`` to ``out``; returns how many were written."""
    if fmt not in EXPORT_FORMATS:
        raise PublishError(f"unknown export format {fmt!r}; choose one of jsonl, csv")
    count = 0
    rows = export_rows(articles, store, protector=protector, tally=tally)
    if fmt == "jsonl":
        for row in rows:
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
            count += 1
        return count
    writer = csv.DictWriter(out, fieldnames=FIELDS)
    writer.writeheader()
    for row in rows:
        for name in ("origin", "themes", "entities", "figures", "summary", "non_web_urls"):
            value = row[name]
            row[name] = json.dumps(value, ensure_ascii=False) if value else ""
        writer.writerow(row)
        count += 1
    return count
