"""Exports: every stored article with all it has learned, as JSON Lines or CSV."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Iterator
from typing import IO, Any

from nkwatch.errors import PublishError
from nkwatch.record import Article
from nkwatch.store import SQLiteStore

EXPORT_FORMATS = ("jsonl", "csv")
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
)


def export_rows(
    articles: Iterable[Article], store: SQLiteStore | None = None
) -> Iterator[dict[str, Any]]:
    """Export objects in store order, with enrichment and story counts when a store is given."""
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
        yield {name: row.get(name) for name in FIELDS}


def export_articles(
    articles: Iterable[Article], out: IO[str], fmt: str, *, store: SQLiteStore | None = None
) -> int:
    """Write articles as ``jsonl`` or ``csv`` to ``out``; returns how many were written."""
    if fmt not in EXPORT_FORMATS:
        raise PublishError(f"unknown export format {fmt!r}; choose one of jsonl, csv")
    count = 0
    if fmt == "jsonl":
        for row in export_rows(articles, store):
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
            count += 1
        return count
    writer = csv.DictWriter(out, fieldnames=FIELDS)
    writer.writeheader()
    for row in export_rows(articles, store):
        for name in ("origin", "themes", "entities", "figures", "summary"):
            value = row[name]
            row[name] = json.dumps(value, ensure_ascii=False) if value else ""
        writer.writerow(row)
        count += 1
    return count
