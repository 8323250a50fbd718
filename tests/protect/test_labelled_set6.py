"""The sixth identity-protection labelled set: built from its source, split by id hash, test half
frozen. Written without reading the protection code; its test half is for reporting only."""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from bench.protect_set5 import KINDS, ROLES, TYPES, half_of, parse
from bench.protect_set6 import SOURCE
from tests.protect.test_labelled_set3 import LOOKALIKE_KINDS, check_record
from tests.protect.test_labelled_set3 import ROLES as ROLES3

DATA = Path(__file__).parent.parent / "data" / "protect"
# Pinned when the sixth test half was frozen (2026-12-06), before anything was scored on it.
TEST6_SHA256 = "6dda6e1dfab5e49ee166468bc61d60ab6e59a22c45778205a69e1626c0bbee9d"


def _load(name: str) -> list[dict[str, Any]]:
    with (DATA / name).open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def test_test_half_is_frozen() -> None:
    digest = hashlib.sha256((DATA / "labelled_test6.jsonl").read_bytes()).hexdigest()
    assert digest == TEST6_SHA256


def test_the_files_are_the_source_split_by_id_hash() -> None:
    documents = parse(SOURCE.read_text(encoding="utf-8"))
    for half in ("dev", "test"):
        expected = [doc for doc in documents if half_of(doc["id"]) == half]
        assert _load(f"labelled_{half}6.jsonl") == expected


@pytest.mark.parametrize("name", ["labelled_dev6.jsonl", "labelled_test6.jsonl"])
def test_records_are_well_formed(name: str) -> None:
    assert (ROLES, KINDS) == (ROLES3, LOOKALIKE_KINDS)
    for doc in _load(name):
        check_record(doc)


def test_the_set_meets_the_size_the_task_asks() -> None:
    docs = _load("labelled_dev6.jsonl") + _load("labelled_test6.jsonl")
    kinds = Counter(span["type"] for doc in docs for span in doc["spans"])
    assert len(docs) >= 150 and sum(kinds.values()) >= 500
    assert sum(doc["language"] == "ko" for doc in docs) >= 40
    assert all(kinds[kind] for kind in TYPES.values())
    assert sum(len(doc["public"]) for doc in docs) >= 100
    assert sum(len(doc["lookalikes"]) for doc in docs) >= 150
