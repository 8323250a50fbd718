"""The identity-protection labelled set: offsets, enums, split rule, size targets, frozen test half."""

from __future__ import annotations

import hashlib
import itertools
import json
import re
from collections import defaultdict
from pathlib import Path
from typing import Any

import pytest

DATA = Path(__file__).parent.parent / "data" / "protect"
HALVES = ("dev", "test")
# Pinned once, when the test half was frozen; it changes only if the set is rebuilt on purpose.
TEST_SHA256 = "8a3ca0a2ba1efa1e79675e304d91c9d23cbc695d7d4e754675a5353cdccca871"

STYLES = {
    "pow-interview",
    "defector-testimony",
    "broker-story",
    "remittance-family",
    "inside-source",
    "child-trafficking",
    "worker-abroad",
    "abuse-victim",
    "official-statement",
    "expert-commentary",
    "name-list",
}
TYPES = {"PERSON", "PHONE", "MESSENGER_ID", "EMAIL", "STREET_ADDRESS", "AGE", "PLACE_OF_ORIGIN"}
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
PUBLIC_ROLES = {
    "head-of-state",
    "official",
    "officer",
    "diplomat",
    "legislator",
    "spokesperson",
    "expert",
    "journalist",
    "activist-public",
}
LOOKALIKE_KINDS = {"date", "price", "count", "year", "age-public", "hotline", "product", "other"}
AGE_WORDS = re.compile(
    r"[0-9]{1,3}|[a-z]+(-[a-z]+)?|[일이삼사오육칠팔구십열스물서른마흔쉰예순일흔여든아홉한두세네다섯여섯일곱여덟]+"
)


def _load(half: str) -> list[dict[str, Any]]:
    lines = (DATA / f"labelled_{half}.jsonl").read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines]


def _all() -> dict[str, list[dict[str, Any]]]:
    return {half: _load(half) for half in HALVES}


def _check_offsets(doc: dict[str, Any], items: list[dict[str, Any]]) -> None:
    text = doc["text"]
    for item in items:
        assert 0 <= item["start"] < item["end"] <= len(text), (doc["id"], item)
        assert text[item["start"] : item["end"]] == item["text"], (doc["id"], item)
        assert item["text"] == item["text"].strip(), (doc["id"], item)


def _overlaps(items: list[dict[str, Any]]) -> list[tuple[str, str]]:
    ordered = sorted(items, key=lambda item: (item["start"], item["end"]))
    return [
        (left["text"], right["text"])
        for left, right in itertools.pairwise(ordered)
        if right["start"] < left["end"]
    ]


@pytest.mark.parametrize("half", HALVES)
def test_records_are_well_formed(half: str) -> None:
    for doc in _load(half):
        assert set(doc) == {
            "id",
            "language",
            "style",
            "title",
            "text",
            "spans",
            "public",
            "lookalikes",
        }
        assert re.fullmatch(r"p[0-9]{3}", doc["id"])
        assert doc["language"] in {"en", "ko"}, doc["id"]
        assert doc["style"] in STYLES, doc["id"]
        assert doc["title"].strip() and doc["text"].strip(), doc["id"]
        if doc["language"] == "ko":
            assert re.search("[가-힣]", doc["text"]), doc["id"]
        if doc["style"] != "name-list" and doc["language"] == "en":
            assert 55 <= len(doc["text"].split()) <= 260, doc["id"]


@pytest.mark.parametrize("half", HALVES)
def test_every_span_points_at_its_text_with_valid_labels(half: str) -> None:
    for doc in _load(half):
        _check_offsets(doc, doc["spans"] + doc["public"] + doc["lookalikes"])
        roles_of: dict[str, set[str]] = defaultdict(set)
        for span in doc["spans"]:
            assert span["type"] in TYPES, (doc["id"], span)
            assert span["role"] in ROLES, (doc["id"], span)
            assert span["person"].startswith(doc["id"] + "-"), (doc["id"], span)
            roles_of[span["person"]].add(span["role"])
            if span["type"] == "AGE":
                assert AGE_WORDS.fullmatch(span["text"]), (doc["id"], span)
        assert all(len(roles) == 1 for roles in roles_of.values()), (doc["id"], roles_of)
        assert all(item["role"] in PUBLIC_ROLES for item in doc["public"]), doc["id"]
        assert all(item["kind"] in LOOKALIKE_KINDS for item in doc["lookalikes"]), doc["id"]


@pytest.mark.parametrize("half", HALVES)
def test_no_two_labels_overlap(half: str) -> None:
    for doc in _load(half):
        assert _overlaps(doc["spans"]) == [], doc["id"]
        assert _overlaps(doc["spans"] + doc["public"] + doc["lookalikes"]) == [], doc["id"]


def test_ids_are_unique_across_halves() -> None:
    ids = [doc["id"] for docs in _all().values() for doc in docs]
    assert len(ids) == len(set(ids))


def test_split_follows_the_rule() -> None:
    """Within each (style, language) group, in id order, documents alternate dev, test, dev, ..."""
    halves = _all()
    docs = sorted((doc for docs in halves.values() for doc in docs), key=lambda doc: doc["id"])
    seen: dict[tuple[str, str], int] = defaultdict(int)
    expected: dict[str, str] = {}
    for doc in docs:
        group = (doc["style"], doc["language"])
        expected[doc["id"]] = "dev" if seen[group] % 2 == 0 else "test"
        seen[group] += 1
    actual = {doc["id"]: half for half, docs in halves.items() for doc in docs}
    assert actual == expected


def test_test_half_is_frozen() -> None:
    digest = hashlib.sha256((DATA / "labelled_test.jsonl").read_bytes()).hexdigest()
    assert digest == TEST_SHA256


def test_whole_set_meets_the_issue_targets() -> None:
    docs = [doc for docs in _all().values() for doc in docs]
    spans = [span for doc in docs for span in doc["spans"]]
    prose = [span for doc in docs if doc["style"] != "name-list" for span in doc["spans"]]
    assert len(docs) >= 160
    assert len(spans) >= 550
    assert len(prose) >= 550
    assert sum(doc["language"] == "ko" for doc in docs) >= 25


@pytest.mark.parametrize("half", HALVES)
def test_each_half_covers_every_style_type_and_negative(half: str) -> None:
    docs = _load(half)
    spans = [span for doc in docs for span in doc["spans"]]
    assert len(docs) >= 80
    assert len(spans) >= 450
    assert sum(doc["language"] == "ko" for doc in docs) >= 25
    assert {(doc["style"], doc["language"]) for doc in docs} == {
        (style, language) for style in STYLES for language in ("en", "ko")
    }
    assert {span["type"] for span in spans} == TYPES
    assert sum(span["type"] in {"PHONE", "MESSENGER_ID"} for span in spans) >= 35
    assert sum(len(doc["public"]) for doc in docs) >= 100
    assert sum(len(doc["lookalikes"]) for doc in docs) >= 180
    kinds = {item["kind"] for doc in docs for item in doc["lookalikes"]}
    assert kinds >= {"date", "price", "count", "year", "hotline"}


def test_hard_cases_are_present() -> None:
    docs = [doc for docs in _all().values() for doc in docs]
    longest = max(docs, key=lambda doc: sum(s["type"] == "PERSON" for s in doc["spans"]))
    assert sum(s["type"] == "PERSON" for s in longest["spans"]) >= 200
    shared = [
        doc
        for doc in docs
        if {s["text"] for s in doc["spans"] if s["type"] == "PERSON"}
        & {p["text"] for p in doc["public"]}
    ]
    assert len(shared) >= 3
    assert any("\n" in s["text"] for doc in docs for s in doc["spans"] if s["type"] == "PERSON")
    assert any(re.search("[０-９]", s["text"]) for doc in docs for s in doc["spans"])
    assert (
        sum(
            doc["language"] == "en" and re.search("[가-힣]", doc["text"]) is not None
            for doc in docs
        )
        >= 3
    )
