"""The fifth to twelfth identity-protection labelled sets: each built from its source,
split by id hash, test half frozen. Each was written without reading the protection code; their
test halves are for reporting only."""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from bench import (
    protect_set5,
    protect_set6,
    protect_set7,
    protect_set8,
    protect_set9,
    protect_set10,
    protect_set11,
    protect_set12,
)
from bench.protect_set5 import KINDS, ROLES, TYPES, half_of, parse
from tests.protect.test_labelled_set3 import LOOKALIKE_KINDS, check_record
from tests.protect.test_labelled_set3 import ROLES as ROLES3

DATA = Path(__file__).parent.parent / "data" / "protect"
# Each test half's SHA-256, pinned when it was frozen, before anything was scored on it: the
# fifth on 2026-12-05, the sixth to the tenth on 2026-12-06, the eleventh on 2026-12-07, the
# twelfth on 2026-12-07.
FROZEN = {
    "5": "1ed31c6c00c3934813cb1e85c13200312d8205f401223c6a5d6287633cd7fb6d",
    "6": "6dda6e1dfab5e49ee166468bc61d60ab6e59a22c45778205a69e1626c0bbee9d",
    "7": "81cfd0a1f7b63b3c64bdc222ed6173b3de6a9bbe75eecc43fb63ce98b9b93ff7",
    "8": "80584e1ef880359d0a31d38345a17f5a0356dc9702877e0406178c7136c03e05",
    "9": "c60c673099549842dd89754dbbe4922c858264dffad63e4fae99ebf8a5252f58",
    "10": "3e2687869e927b277e9a521c947e1c130cd83b32cf5bcda8374a4ad732034293",
    "11": "68fa82bf65b8c293aab77852eafd661ff8415fe01cdcd9ebea5b0c72130181e9",
    "12": "7d4b18819fa41ab8878caffdf2bc2bca8f8881a26e86a67fb56de35db350769b",
}
SOURCES = {
    "5": protect_set5.SOURCE,
    "6": protect_set6.SOURCE,
    "7": protect_set7.SOURCE,
    "8": protect_set8.SOURCE,
    "9": protect_set9.SOURCE,
    "10": protect_set10.SOURCE,
    "11": protect_set11.SOURCE,
    "12": protect_set12.SOURCE,
}
#: Documents each set holds at least: the ninth is smaller, written as an extra test of styles
#: and hard cases the first eight lack; the tenth is written for contact details, the eleventh
#: for private and public people side by side, the twelfth to be representative of the feed.
MIN_DOCUMENTS = {"5": 150, "6": 150, "7": 150, "8": 150, "9": 130, "10": 100, "11": 100, "12": 100}
#: Public-figure mentions each set holds at least (the tenth has few officials in it).
MIN_PUBLIC = {"10": 40}


def _load(name: str) -> list[dict[str, Any]]:
    with (DATA / name).open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


@pytest.mark.parametrize("number", sorted(FROZEN))
def test_test_half_is_frozen(number: str) -> None:
    digest = hashlib.sha256((DATA / f"labelled_test{number}.jsonl").read_bytes()).hexdigest()
    assert digest == FROZEN[number]


@pytest.mark.parametrize("number", sorted(SOURCES))
def test_the_files_are_the_source_split_by_id_hash(number: str) -> None:
    documents = parse(SOURCES[number].read_text(encoding="utf-8"))
    for half in ("dev", "test"):
        expected = [doc for doc in documents if half_of(doc["id"]) == half]
        assert _load(f"labelled_{half}{number}.jsonl") == expected


@pytest.mark.parametrize("half", ["dev", "test"])
@pytest.mark.parametrize("number", sorted(SOURCES))
def test_records_are_well_formed(number: str, half: str) -> None:
    # These sets' roles and kinds are the third's, so the third's checks apply.
    assert (ROLES, KINDS) == (ROLES3, LOOKALIKE_KINDS)
    for doc in _load(f"labelled_{half}{number}.jsonl"):
        check_record(doc)


@pytest.mark.parametrize("number", sorted(SOURCES))
def test_the_set_meets_the_size_the_task_asks(number: str) -> None:
    docs = _load(f"labelled_dev{number}.jsonl") + _load(f"labelled_test{number}.jsonl")
    kinds = Counter(span["type"] for doc in docs for span in doc["spans"])
    assert len(docs) >= MIN_DOCUMENTS[number] and sum(kinds.values()) >= 500
    assert sum(doc["language"] == "ko" for doc in docs) >= 40
    assert all(kinds[kind] for kind in TYPES.values())
    assert sum(len(doc["public"]) for doc in docs) >= MIN_PUBLIC.get(number, 100)
    assert sum(len(doc["lookalikes"]) for doc in docs) >= 150
