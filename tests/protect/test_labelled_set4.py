"""The fourth identity-protection labelled set: built from its source, well formed, all dev."""

from __future__ import annotations

import json
from collections import Counter
from typing import Any

from bench.protect_set3 import parse
from bench.protect_set4 import SOURCE, TARGET
from tests.protect.test_labelled_set3 import check_record


def _load() -> list[dict[str, Any]]:
    with TARGET.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def test_the_file_is_the_source() -> None:
    assert _load() == parse(SOURCE.read_text(encoding="utf-8"))


def test_records_are_well_formed() -> None:
    for doc in _load():
        check_record(doc)


def test_the_set_has_the_size_and_mix_it_was_written_for() -> None:
    docs = _load()
    languages = Counter(doc["language"] for doc in docs)
    kinds = Counter(span["type"] for doc in docs for span in doc["spans"])
    assert len(docs) >= 70 and languages["ko"] >= len(docs) // 4
    assert kinds["PHONE"] >= 15 and kinds["MESSENGER_ID"] >= 15
    assert sum(len(doc["public"]) for doc in docs) >= 60
