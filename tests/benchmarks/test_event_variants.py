"""The story-recall variants of bench/event_variants.py on small hand-written streams."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from bench import event_variants as bench
from nkwatch.cluster import ClusterDoc, ClusterSettings
from nkwatch.cluster.persist import ARTICLE_MODEL, ARTICLE_REFINE_MODEL

T0 = datetime(2017, 9, 7, tzinfo=UTC)
SETTINGS = ClusterSettings(
    inactive_after_days=120.0, model=ARTICLE_MODEL, refine_model=ARTICLE_REFINE_MODEL
)
BREACH = (
    "Equifax said hackers stole names, birth dates and social security numbers of customers "
    "in a breach of its credit reporting systems."
)
FOLLOW_UP = (
    "Lawmakers questioned the former Equifax chief executive about the breach and the weeks "
    "before customers learned their social security numbers were exposed."
)
OTHERS = [
    ("Flood waters rise along the river delta", "Rain swelled the delta and farms flooded."),
    ("Rail strike halts trains across the country", "Unions stopped rail services for a day."),
    ("Chip maker opens a new factory", "The plant will make memory chips from next year."),
    ("Marathon runner sets a course record", "The runner finished the race in record time."),
]


def _doc(key: str, title: str, text: str, days: float) -> ClusterDoc:
    return ClusterDoc(id=key, title=title, text=text, published=T0 + timedelta(days=days))


def _stream(others: int) -> bench.LabelledSet:
    docs = [
        _doc("a", "Equifax breach exposes records of millions", BREACH, 0.0),
        _doc("b", "Equifax hack: what customers should do", BREACH, 1.0),
    ]
    docs += [_doc(f"o{i}", *OTHERS[i], 3.0 + i) for i in range(others)]
    docs.append(_doc("c", "Former Equifax chief questioned over breach", FOLLOW_UP, 42.0))
    return bench.LabelledSet(docs, [1, 1, *range(2, 2 + others), 1])


def test_the_gap_cost_keeps_a_follow_up_six_weeks_later_apart() -> None:
    labels = bench.replay(_stream(2), SETTINGS, bench.plain)
    assert labels[0] == labels[1] and labels[-1] != labels[0]


def test_a_candidate_that_stands_out_is_re_opened_unless_other_stories_are_required() -> None:
    items = _stream(2)
    reopened = bench.replay(items, SETTINGS, bench.standing_out_clusterer(cut=0.15, ratio=8.0))
    assert reopened[-1] == reopened[0]
    assert len(set(reopened)) == 3
    # The measured caveat: with three other active stories required, nothing re-opens here.
    strict = bench.standing_out_clusterer(cut=0.15, ratio=8.0, min_others=3)
    assert bench.replay(items, SETTINGS, strict)[-1] != reopened[0]


def test_a_bounded_gap_cost_re_opens_a_quiet_story() -> None:
    items = _stream(2)
    capped = bench.replay(items, SETTINGS, bench.saturating_clusterer(3.0, None))
    assert capped[-1] == capped[0]
    # Rising smoothly to the cost of 60 days is as strict as the log cost at six weeks.
    smooth = bench.replay(items, SETTINGS, bench.saturating_clusterer(60.0, 3.0))
    assert smooth[-1] != smooth[0]


def test_oracle_examples_label_the_gold_story_and_the_fit_weighs_each_set() -> None:
    pytest.importorskip("sklearn")
    items = _stream(4)
    other_breach = _doc(
        "y",
        "Yahoo breach exposed accounts",
        "Yahoo said hackers stole names and birth dates of customers in a breach.",
        2.0,
    )
    items = bench.LabelledSet(
        [*items.docs[:2], other_breach, *items.docs[2:]], [1, 1, 9, *items.gold[2:]]
    )
    examples = bench.oracle_examples(items, replace(SETTINGS, refine_every=0))
    assert {label for _, label, _ in examples} == {0, 1}
    assert all(len(row) == len(bench.FEATURES) for row, _, _ in examples)
    # The follow-up's gold story is among its candidates, labelled as such.
    assert [label for _, label, gold in examples if gold == 1].count(1) == 2
    model = bench.fit_model({"one": examples, "two": examples[:3]}, 1.0)
    assert {name for name, _ in model.coefficients} == set(bench.FEATURES)
