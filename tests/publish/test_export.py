"""Exports follow the documented schema in both formats."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, datetime

import pytest

from nkwatch.errors import PublishError
from nkwatch.publish import export_articles
from nkwatch.publish.export import FIELDS
from nkwatch.record import Article, Origin


def _articles() -> list[Article]:
    return [
        Article(
            id=1,
            text="Body, with a comma\nand a newline.",
            title="Title",
            url="https://a.example/1",
            outlet="A",
            origin=Origin("Daily Example", "https://daily.example/x"),
            published=datetime(2026, 11, 2, tzinfo=UTC),
            published_from="meta",
            language="en",
            source_key="k",
        )
    ]


def test_jsonl_has_every_documented_field() -> None:
    out = io.StringIO()
    assert export_articles(_articles(), out, "jsonl") == 1
    row = json.loads(out.getvalue())
    assert tuple(row) == FIELDS
    assert row["origin"] == {"outlet": "Daily Example", "url": "https://daily.example/x"}
    assert row["published"] == "2026-11-02T00:00:00+00:00"
    assert len(row["content_hash"]) == 64


def test_csv_round_trips_text() -> None:
    out = io.StringIO()
    export_articles(_articles(), out, "csv")
    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert rows[0]["text"] == "Body, with a comma\nand a newline."
    assert json.loads(rows[0]["origin"])["outlet"] == "Daily Example"


def test_unknown_format() -> None:
    with pytest.raises(PublishError, match="jsonl, csv"):
        export_articles([], io.StringIO(), "xml")
