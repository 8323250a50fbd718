"""Pinned floors on the development half of the identity-protection labelled set.

The set (tests/data/protect/, README there) is written separately; its test half is scored only
by ``python bench/protect.py tests/data/protect/labelled_test.jsonl`` and never read here.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from bench.protect import load, score_documents
from nkwatch.enrich.profile import load_profile
from nkwatch.protect import Protector

DEV = Path(__file__).resolve().parent.parent / "data" / "protect" / "labelled_dev.jsonl"
DEV2 = DEV.with_name("labelled_dev2.jsonl")


def test_the_scorer_counts_hits_misses_and_damage() -> None:
    text = "Defector Ri Chol-su, 41, said Minister Chung Dong-young met him. Call 010-2233-4455."
    doc = {
        "id": "x1",
        "text": text,
        "spans": [
            {"start": 9, "end": 19, "type": "PERSON"},
            {"start": 21, "end": 23, "type": "AGE"},
            {"start": 70, "end": 83, "type": "PHONE"},
        ],
        "public": [{"start": 39, "end": 55}],
        "lookalikes": [],
    }
    assert text[70:83] == "010-2233-4455"
    assert text[9:19] == "Ri Chol-su" and text[39:55] == "Chung Dong-young"
    score = score_documents([doc], Protector(load_profile()))
    assert score.recall("PERSON") == 1.0 and score.recall("PHONE") == 1.0
    assert score.public_kept == 1.0 and score.precision == 1.0
    missed = score_documents(
        [{**doc, "text": text.replace("Defector", "Diplomat")}], Protector(load_profile())
    )
    assert missed.public_kept == 1.0 and missed.recall("PERSON") == 0.0


def test_the_scorer_reads_labels_and_their_roles() -> None:
    text = "Her mother, Jang Son-ae, left with a broker named Liu Dejun. Liu sold her."
    spans = [
        {"start": 12, "end": 23, "type": "PERSON", "person": "a", "role": "relative"},
        {"start": 50, "end": 59, "type": "PERSON", "person": "b", "role": "broker"},
        {"start": 61, "end": 64, "type": "PERSON", "person": "b", "role": "broker"},
    ]
    assert [text[s["start"] : s["end"]] for s in spans] == ["Jang Son-ae", "Liu Dejun", "Liu"]
    doc = {"id": "x2", "text": text, "spans": spans, "public": [], "lookalikes": []}
    score = score_documents([doc], Protector(load_profile()))
    assert score.labelled == 3 and score.labelled_right == 3
    assert score.pairs_same == score.pairs_same_together == 1
    assert score.pairs_apart == score.pairs_apart_kept == 2
    assert score.roles == {"right": 2}
    # The same spans read as one person: the scorer sees two labels for one person.
    merged = [{**s, "person": "a"} for s in spans]
    score = score_documents([{**doc, "spans": merged}], Protector(load_profile()))
    assert score.labelled_right == 1 and score.pairs_same_together == 1
    assert score.roles == {"right": 1}


@pytest.mark.skipif(not DEV.exists(), reason="the labelled set is added by its own branch")
def test_floors_on_the_development_half() -> None:
    documents = load(DEV)
    assert len(documents) >= 60
    score = score_documents(documents, Protector(load_profile()))
    # Measured 2026-12-05 on 98 dev documents: names 0.976 (401/411), phones and IDs 1.00
    # (58/58), precision 0.975, public figures intact 0.980 (bench/RESULTS.md).
    assert score.recall("PERSON") >= 0.96
    assert score.recall("PHONE", "MESSENGER_ID") >= 0.98
    assert score.precision >= 0.96
    assert score.public_kept >= 0.96


def test_floors_on_the_second_development_set() -> None:
    """A second, independently written development set (README: labelled_dev2.jsonl)."""
    documents = load(DEV2)
    assert len(documents) >= 90
    score = score_documents(documents, Protector(load_profile()))
    # Measured 2026-12-05 on 97 documents: names 0.996 (227/228; 0.917 before the rules were
    # tuned on it), phones and IDs 1.00 (21/21), towns 0.85 (63/74), precision 0.965, public
    # figures intact 1.00 (57/57) (bench/RESULTS.md).
    assert score.recall("PERSON") >= 0.975
    assert score.recall("PHONE", "MESSENGER_ID") >= 0.95
    # 2026-12-05, third round: towns 0.92 (68/74), addresses 2/2, ages 49/50, precision 0.971.
    assert score.recall("PLACE_OF_ORIGIN") >= 0.85
    assert score.precision >= 0.95
    assert score.public_kept >= 0.96


@dataclass(frozen=True)
class Floors:
    """A development set's floors, a few items below what was measured on it."""

    file: str
    documents: int
    names: float
    contacts: float
    towns: float
    ages_addresses: float
    precision: float
    public: float
    labels: float = 0.0  # hidden names that carry their own person's label
    other_roles: float = 1.0  # hidden people whose label names a role not theirs


# What each set measured (bench/RESULTS.md has the sections):
# - dev3, 2026-12-05, 73 documents: names 0.976 (164/168; 0.863 with the rules before it was
#   written), phones and IDs 13/13, towns 35/37, ages 30/31, addresses 4/4, precision 0.973,
#   public figures 71/72.
# - dev4 (all development data), 2026-12-05, 102 documents: names 0.976 (243/249; 0.855
#   before), phones and IDs 39/39 (0.87 before), towns 80/87, ages 84/84, addresses 14/14,
#   precision 0.994, public figures 84/84.
# - dev5, 2026-12-05, 104 documents: names 0.947 (268/283; 0.940 before its rules), phones and
#   IDs 31/31, towns 95/118, ages 87/89, addresses 4/8, precision 0.978, public figures 67/70;
#   2026-12-06, one name for two people decided at each mention: names 0.954, public 70/70.
# - dev6, 2026-12-06, 93 documents, before any rule looked at them: names 0.888 (293/330),
#   phones and IDs 44/45, precision 0.954, public figures 0.973; after its rules: names 0.958
#   (316/330), phones and IDs 45/45, towns 116/163, ages and addresses 145/151, precision
#   0.966, public figures 111/112.
# - dev7 (another writer), 2026-12-06, 74 documents, before any rule looked at them: names
#   0.827 (324/392), phones and IDs 44/46, towns 116/154, precision 0.957, public figures
#   0.887; after its rules: names 0.883 (346/392), phones and IDs 44/46, towns 121/154, ages
#   and addresses 137/144, precision 0.974, public figures 95/97.
# - 2026-12-06 (evening), a request for contact alone no longer marks an organisation's line,
#   and Korean names the analyser's dictionary does not hold: dev7 names 0.895 (351/392),
#   phones and IDs 46/46, precision 0.977; dev6 names 0.964 (318/330). Then names from other
#   languages in Hangul after a role word, "known to … as", a surname with a form of address
#   and no town before "에 있다": dev7 names 0.931 (365/392), precision 0.978; dev6 precision
#   0.972.
# - dev8 (another writer), 2026-12-06, 92 documents, before any rule looked at them: names
#   0.871 (464/533), phones and IDs 65/65, street addresses 4/15, precision 0.967, public
#   figures 0.953; after its rules: names 0.906 (483/533), addresses 14/15, precision 0.978,
#   public figures 0.980.
# - dev9 (another writer, hard cases and new styles), 2026-12-06, 70 documents, before any rule
#   looked at them: names 0.773 (350/453), phones and IDs 62/68, street addresses 8/11, ages
#   115/145, towns 121/177, precision 0.946, public figures 0.920; after its rules: names
#   0.892 (404/453), phones and IDs 67/68, addresses 11/11, ages 140/145, towns 138/177,
#   precision 0.969, public figures 86/88; then a chat speaker's name in characters, "Ask for"
#   in an ad, "…이라는 한국 이름": names 0.903 (409/453), precision 0.968.
# - dev10 (another writer, written for contact details), 2026-12-06, 58 documents, before any
#   rule looked at them: names 0.843 (198/235), phones and IDs 138/158, street addresses 18/30,
#   towns 74/97, precision 0.972, public figures 23/24; after its rules: names 0.877 (206/235),
#   phones and IDs 155/158, addresses 30/30, ages 75/78, towns 77/97, precision 0.984.
# - 2026-12-07 (a new session), labels and their roles (bench/protect.py), before → after a
#   bare surname passes over a relative named with it, a bracketed spelling is its name's, and
#   a label names only a role the text ties to the person: hidden names with their person's
#   label dev3 0.927 → 0.945, dev4 0.922 → 0.951, dev5 0.975 → 0.982, dev6 0.922 → 0.963,
#   dev7 0.902 → 0.913, dev8 0.934 → 0.954, dev9 0.937 → 0.947, dev10 0.954 → 0.977; people
#   labelled with another role than theirs 0.270 → 0.080, 0.392 → 0.139, 0.358 → 0.118,
#   0.426 → 0.083, 0.490 → 0.146, 0.384 → 0.102, 0.406 → 0.108, 0.383 → 0.078.
# - 2026-12-07 (later), a Hangul name found wherever the text writes it, two-word names from
#   other languages in Hangul after a role or a nationality, Korean role words only at a word's
#   start, one letter for a withheld name, a quoted nickname whole: names dev4 0.976 → 0.980,
#   dev6 0.967 → 0.970, dev7 0.936 → 0.939, dev8 0.929 → 0.940, dev9 0.914 → 0.920, dev10
#   0.932 → 0.945, dev11 0.938 → 0.944; no replaced span added outside the labels.
FLOORS = [
    Floors("labelled_dev3.jsonl", 70, 0.95, 0.92, 0.88, 0.90, 0.95, 0.95, 0.925, 0.11),
    Floors("labelled_dev4.jsonl", 100, 0.95, 0.94, 0.86, 0.94, 0.97, 0.96, 0.935, 0.17),
    Floors("labelled_dev5.jsonl", 100, 0.93, 0.96, 0.77, 0.87, 0.96, 0.95, 0.97, 0.15),
    Floors("labelled_dev6.jsonl", 90, 0.95, 0.97, 0.68, 0.93, 0.95, 0.97, 0.95, 0.11),
    Floors("labelled_dev7.jsonl", 70, 0.91, 0.97, 0.76, 0.92, 0.96, 0.96, 0.90, 0.18),
    Floors("labelled_dev8.jsonl", 90, 0.93, 0.97, 0.68, 0.95, 0.96, 0.96, 0.945, 0.13),
    Floors("labelled_dev9.jsonl", 70, 0.91, 0.95, 0.75, 0.94, 0.95, 0.95, 0.935, 0.14),
    Floors("labelled_dev10.jsonl", 55, 0.92, 0.96, 0.76, 0.94, 0.97, 0.9, 0.96, 0.11),
]


@pytest.mark.parametrize("floors", FLOORS, ids=[f.file for f in FLOORS])
def test_floors_on_the_later_development_sets(floors: Floors) -> None:
    """The third to tenth sets' development data (their test halves are only reported)."""
    documents = load(DEV.with_name(floors.file))
    assert len(documents) >= floors.documents
    score = score_documents(documents, Protector(load_profile()))
    assert score.recall("PERSON") >= floors.names
    assert score.recall("PHONE", "MESSENGER_ID") >= floors.contacts
    assert score.recall("PLACE_OF_ORIGIN") >= floors.towns
    assert score.recall("AGE", "STREET_ADDRESS") >= floors.ages_addresses
    assert score.precision >= floors.precision
    assert score.public_kept >= floors.public
    assert score.labelled_right / score.labelled >= floors.labels
    assert score.roles["other"] / sum(score.roles.values()) <= floors.other_roles
