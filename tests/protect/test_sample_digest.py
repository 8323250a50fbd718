"""Every output of the sample digest, and the export, leave the sample's private people out."""

from __future__ import annotations

import io
import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from nkwatch.config import load_settings
from nkwatch.enrich.profile import load_profile
from nkwatch.protect import Protector
from nkwatch.publish import export_articles
from nkwatch.publish.digest import FORMATS, build_digest, parse_since, render
from nkwatch.sample import ingest_sample
from nkwatch.store import SQLiteStore

LABELS = Path(__file__).resolve().parent.parent / "data" / "protect" / "sample_protected.json"
PROFILE = load_profile()
UNTIL = datetime(2026, 12, 1, tzinfo=UTC)


def _values() -> list[str]:
    data = json.loads(LABELS.read_text(encoding="utf-8"))
    return [value for person in data["people"] for value in person["values"]]


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> SQLiteStore:
    db = tmp_path_factory.mktemp("protect") / "p.db"
    store = SQLiteStore(db)
    ingest_sample(store, settings=load_settings(db_path=str(db)))
    return store


def test_the_labelled_values_are_in_the_store(store: SQLiteStore) -> None:
    """The check below could fail: the store keeps every private value as written."""
    stored = "\n".join(f"{a.title}\n{a.text}" for a in store.iter_articles())
    for value in _values():
        assert value in stored, value


@pytest.mark.parametrize("fmt", FORMATS)
def test_no_output_format_of_the_digest_exposes_a_private_value(
    store: SQLiteStore, fmt: str
) -> None:
    digest = build_digest(
        store, profile=PROFILE, since=parse_since("120d", until=UNTIL), until=UNTIL, now=UNTIL
    )
    assert len(digest.stories) >= 30
    output = render(digest, fmt)
    for value in _values():
        assert value not in output, (fmt, value)
        # Escaping must not hide a value from the check (JSON and XML escape differently).
        assert json.dumps(value)[1:-1] not in output, (fmt, value)


def test_the_export_is_protected_by_default_and_keeps_labels(store: SQLiteStore) -> None:
    out = io.StringIO()
    export_articles(store.iter_articles(), out, "jsonl", store=store, protector=Protector(PROFILE))
    text = out.getvalue()
    for value in _values():
        assert value not in text, value
    assert "[defector A]" in text
    unprotected = io.StringIO()
    export_articles(store.iter_articles(), unprotected, "jsonl", store=store)
    assert "Ji-young" in unprotected.getvalue()


def test_the_export_keeps_the_sample_s_public_figures(store: SQLiteStore) -> None:
    """The profile's public people stay named where the text gives no office beside them."""
    out = io.StringIO()
    export_articles(store.iter_articles(), out, "jsonl", store=store, protector=Protector(PROFILE))
    text = out.getvalue()
    assert "Rafael Grossi told the IAEA Board of Governors in Vienna" in text
