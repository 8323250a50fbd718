"""The third identity-protection labelled set: built from its source, split by id hash, test half frozen."""

from __future__ import annotations

import hashlib
import itertools
import json
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from bench.protect_set3 import PUBLIC, SOURCE, TYPES, half_of, parse

DATA = Path(__file__).parent.parent / "data" / "protect"
# Pinned once, when the third test half was frozen (2026-12-05), before any rule looked at it.
TEST3_SHA256 = "ad301e7ac25e251c98cf978df1ed3a2eafb818ca8e25ad5c2df9d9b62f360ac9"
ROLES = {
    "pow",
    "deserter",
    "defector",
    "refugee",
    "relative",
    "broker",
    "smuggler",
    "source",
    "child",
    "victim",
    "worker",
    "other-private",
}
LOOKALIKE_KINDS = {"date", "price", "count", "year", "age-public", "hotline", "product", "other"}


def _load(name: str) -> list[dict[str, Any]]:
    with (DATA / name).open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def test_test_half_is_frozen() -> None:
    digest = hashlib.sha256((DATA / "labelled_test3.jsonl").read_bytes()).hexdigest()
    assert digest == TEST3_SHA256


def test_the_files_are_the_source_split_by_id_hash() -> None:
    documents = parse(SOURCE.read_text(encoding="utf-8"))
    for half in ("dev", "test"):
        expected = [doc for doc in documents if half_of(doc["id"]) == half]
        assert _load(f"labelled_{half}3.jsonl") == expected


def test_the_split_depends_on_the_id_alone() -> None:
    assert half_of("r001") == half_of("r001")
    halves = Counter(half_of(f"r{n:03d}") for n in range(1, 400))
    assert halves["dev"] > 150 and halves["test"] > 150


def check_record(doc: dict[str, Any]) -> None:
    """One labelled document: every span, public mention and look-alike is its text at its
    offsets, of a known kind; protected spans do not overlap and belong to the document."""
    text = doc["text"]
    spans = sorted(doc["spans"], key=lambda span: span["start"])
    for span in spans:
        assert text[span["start"] : span["end"]] == span["text"]
        assert span["type"] in TYPES.values() and span["role"] in ROLES
        assert span["person"].startswith(doc["id"] + "-")
    for left, right in itertools.pairwise(spans):
        assert left["end"] <= right["start"], (doc["id"], left, right)
    for mention in doc["public"]:
        assert text[mention["start"] : mention["end"]] == mention["text"]
        assert mention["role"] in PUBLIC.values()
    for lookalike in doc["lookalikes"]:
        assert text[lookalike["start"] : lookalike["end"]] == lookalike["text"]
        assert lookalike["kind"] in LOOKALIKE_KINDS


@pytest.mark.parametrize("name", ["labelled_dev3.jsonl", "labelled_test3.jsonl"])
def test_records_are_well_formed(name: str) -> None:
    for doc in _load(name):
        check_record(doc)


def test_the_set_meets_the_size_the_task_asks() -> None:
    docs = _load("labelled_dev3.jsonl") + _load("labelled_test3.jsonl")
    kinds = Counter(span["type"] for doc in docs for span in doc["spans"])
    assert len(docs) >= 160 and sum(kinds.values()) >= 550
    assert sum(doc["language"] == "ko" for doc in docs) >= 40
    assert all(kinds[kind] for kind in TYPES.values())
    assert sum(len(doc["public"]) for doc in docs) >= 150
    assert len({mention["role"] for doc in docs for mention in doc["public"]}) == len(PUBLIC)
    assert sum(len(doc["lookalikes"]) for doc in docs) >= 150
