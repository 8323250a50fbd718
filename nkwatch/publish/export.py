"""Exports: every stored article with all it has learned, as JSON Lines or CSV."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Iterator
from typing import IO, Any

from nkwatch.errors import PublishError
from nkwatch.record import Article

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
)


def export_rows(articles: Iterable[Article]) -> Iterator[dict[str, Any]]:
    """Export objects in store order."""
    for article in articles:
        row = article.to_export()
        yield {name: row.get(name) for name in FIELDS}


def export_articles(articles: Iterable[Article], out: IO[str], fmt: str) -> int:
    """Write articles as ``jsonl`` or ``csv`` to ``out``; returns how many were written."""
    if fmt not in EXPORT_FORMATS:
        raise PublishError(f"unknown export format {fmt!r}; choose one of jsonl, csv")
    count = 0
    if fmt == "jsonl":
        for row in export_rows(articles):
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
            count += 1
        return count
    writer = csv.DictWriter(out, fieldnames=FIELDS)
    writer.writeheader()
    for row in export_rows(articles):
        origin = row["origin"]
        row["origin"] = json.dumps(origin, ensure_ascii=False) if origin else ""
        writer.writerow(row)
        count += 1
    return count
