"""Names and places protected in real news, judged by hand: floors on both halves (issue 12).

The judgements (``tests/data/protect/real_person_spans.json`` and ``real_place_spans.json``,
built and scored by ``bench/protect_real_labels.py``) say, for each name the stage protected in
385 real news texts on 2026-12-07, whether it names no person, a public figure or a private
person, and for each place it protected as a home town, whether it is no place, no private
person's home or one. The test halves (odd text numbers) are pinned by their hashes; no rule
is changed for their errors.
"""

from __future__ import annotations

import hashlib
import json

import pytest

from bench import protect_real_labels as bench
from bench.protect_real import PAGES, STREAM

TEST_HALF_SHA256 = {
    "person": "e51c962c1f4b807cd0286aa0656325d08d9ca152b6a6184d62ba7a3316d05dcc",
    "place": "b1333a5aa3e4e753ac9a77ddfb75e0a72b7391e8e62a5a446c465af31997713e",
}

# A few items from what was measured (bench/RESULTS.md, 2026-12-07): of protected names, dev
# 0.127 name no person and 111 of 112 private names are kept, test 0.286 and 86 of 90. Of
# protected places (since the gazetteer and the story's setting, 2026-12-07 evening), dev and
# test 0.000 are no place, and 13 of 16 and 17 of 20 homes are kept: the homes given up are
# towns where the news happened (a tram crash in Croydon, a missile over Erimo) and one town
# written after its region ("Punjab's Bhatinda").
FLOORS = {
    ("person", "dev"): {"nothing_share": 0.14, "private_kept": 0.97},
    ("person", "test"): {"nothing_share": 0.30, "private_kept": 0.93},
    ("place", "dev"): {"nothing_share": 0.05, "private_kept": 0.75},
    ("place", "test"): {"nothing_share": 0.05, "private_kept": 0.80},
}


@pytest.mark.parametrize("kind", ["person", "place"])
def test_the_test_half_is_pinned(kind: str) -> None:
    path = bench.JUDGED[kind][0]
    spans = [
        span
        for span in bench.load_labels(path)
        if bench.half_of(int(span["text"])) == "test"  # type: ignore[call-overload]
    ]
    digest = hashlib.sha256(json.dumps(spans, sort_keys=True).encode()).hexdigest()
    assert digest == TEST_HALF_SHA256[kind]


@pytest.mark.parametrize("kind", ["person", "place"])
def test_every_judgement_is_one_of_three_kinds(kind: str) -> None:
    path, _, kinds = bench.JUDGED[kind]
    assert {span["label"] for span in bench.load_labels(path)} <= set(kinds)


@pytest.mark.skipif(not (STREAM.exists() and PAGES.exists()), reason="shared data not found")
@pytest.mark.parametrize(("kind", "half"), list(FLOORS))
def test_what_names_nothing_stays_rare_and_private_spans_stay_protected(
    kind: str, half: str
) -> None:
    got = bench.score(half, kind=kind)
    assert got["nothing_share"] <= FLOORS[kind, half]["nothing_share"]
    assert got["private_kept"] >= FLOORS[kind, half]["private_kept"]
