"""Figures on real news: pinned floors on the development half of the hand-labelled stream set,
on its development extension and on development extension 3 (pages of the article-extraction
benchmark), and every "sources differ" line judged.

The labels (``tests/data/enrich/figures_real_dev.json`` and ``figures_real_dev2.json``, format in
``README_figures_real.md``) point into ``../shared/benchmarks/stream/news_events.jsonl``;
``figures_real_dev3.json`` points into ``../shared/benchmarks/extraction/ground-truth.json``. Only
the development labels are read here; the test half is scored by ``python
bench/figures_real.py --labels tests/data/enrich/figures_real_test.json`` and reported, never
tuned on.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bench import figures_disputes, figures_real

DEV = figures_real.DEFAULT_LABELS
DEV2 = DEV.with_name("figures_real_dev2.json")

# Measured on the dev half (bench/RESULTS.md, "Figures on money, shares and tolls"): value+unit
# F1 0.952, counted 0.922, period 0.905, attribution 0.948, hedge 0.991 (231 span-matched
# figures; one figure is 0.0043). Floors sit four to six figures below. Counted is 0.932 since
# the counted-phrase rules for partitives, elided heads and market moves (234 span-matched),
# 0.944 and attribution 0.949 since restatements set off by dashes, "including" as a preposition
# and quotations opened earlier in a paragraph.
F1 = 0.93
COUNTED = 0.925
PERIOD = 0.885
ATTRIBUTION = 0.93
HEDGE = 0.97
# The development extension: F1 0.937, counted 0.840, period 0.952, attribution 0.888, hedge
# 0.956 (250 span-matched figures; one figure is 0.004). Floors five figures below. Counted is
# 0.861 since the counted-phrase rules (252 span-matched), 0.865 since "including" ends a
# counted phrase.
DEV2_FLOORS = {
    "f1": 0.915,
    "counted": 0.845,
    "period": 0.93,
    "attribution": 0.865,
    "hedge": 0.935,
}
# Development extension 3 (pages of the article-extraction benchmark, other outlets): F1 0.932,
# precision 0.945, recall 0.920, counted 0.823 (0.689 before the counted-phrase rules for
# partitives, elided heads, sums paid for something and market moves), period 0.928,
# attribution 0.880, hedge 0.971 (209 span-matched figures; one figure is 0.0048). Floors four
# figures below. Since model numbers, slash fractions, price-list rows, subjects kept across
# adjuncts, quotation closers and statement owners: F1 0.964 (precision 0.973, recall 0.955),
# counted 0.902, period 0.926, attribution 0.907, hedge 0.972 (215 span-matched; one figure is
# 0.0047).
DEV3 = DEV.with_name("figures_real_dev3.json")
DEV3_FLOORS = {
    "f1": 0.945,
    "precision": 0.95,
    "counted": 0.88,
    "period": 0.91,
    "attribution": 0.885,
    "hedge": 0.95,
}
# dev4 (the pages of the extraction benchmark no earlier set uses), 2026-12-06: F1 0.749
# (precision 0.777, recall 0.723) before any rule saw it; after its rules F1 0.853 (precision
# 0.878, recall 0.828), counted 0.705, period 0.910, attribution 0.875, hedge 0.970 (200
# span-matched figures; one figure is 0.005). Floors four figures below. After the second
# round (2026-12-06, night: longer counted phrases, differences in points, guidance verbs): F1
# 0.882 (precision 0.911, recall 0.855), counted 0.786, period 0.920, attribution 0.891, hedge
# 0.970 (201 span-matched).
DEV4 = DEV.with_name("figures_real_dev4.json")
DEV4_FLOORS = {
    "f1": 0.865,
    "precision": 0.89,
    "counted": 0.765,
    "period": 0.88,
    "attribution": 0.85,
    "hedge": 0.94,
}
DISPUTE_PRECISION = 0.9


NO_STREAM = pytest.mark.skipif(
    not figures_real.STREAM.exists(), reason="../shared/benchmarks/stream is not beside the repo"
)


@NO_STREAM
@pytest.mark.skipif(not DEV.exists(), reason="the real-news dev labels are not in this checkout")
def test_real_dev_half_meets_floors() -> None:
    scores = figures_real.score(figures_real.load_cases(DEV))
    assert scores.gold >= 200
    assert scores.f1 >= F1, scores
    assert scores.counted >= COUNTED, scores
    assert scores.period >= PERIOD, scores
    assert scores.attribution >= ATTRIBUTION, scores
    assert scores.hedge >= HEDGE, scores


@NO_STREAM
def test_real_dev_extension_meets_floors() -> None:
    scores = figures_real.score(figures_real.load_cases(DEV2))
    assert scores.gold >= 250 and scores.documents >= 40
    for name, floor in DEV2_FLOORS.items():
        assert getattr(scores, name) >= floor, (name, scores)


@pytest.mark.skipif(
    not figures_real.EXTRACTION.exists(),
    reason="../shared/benchmarks/extraction is not beside the repo",
)
@pytest.mark.parametrize(("labels", "floors"), [(DEV3, DEV3_FLOORS), (DEV4, DEV4_FLOORS)])
def test_real_dev_extensions_on_extraction_pages_meet_floors(
    labels: Path, floors: dict[str, float]
) -> None:
    scores = figures_real.score(figures_real.load_cases(labels))
    assert scores.gold >= 220 and scores.documents >= 35
    for name, floor in floors.items():
        assert getattr(scores, name) >= floor, (name, scores)


def test_scorer_counts_only_figures_inside_a_window(tmp_path: Path) -> None:
    text = "Police said 25 people were hurt. A later line lists 40 cars."
    row = {"id": "doc", "text": text}
    stream = tmp_path / "stream.jsonl"
    stream.write_text(json.dumps(row) + "\n", encoding="utf-8")
    gold = {
        "value_start": 12,
        "value_end": 14,
        "value": 25.0,
        "value_max": None,
        "unit": None,
        "counted": "people",
        "approx": None,
        "hedge": None,
        "attribution": "police",
        "period": {"text": None, "start": None, "end": None},
        "part_of": None,
    }
    document = {"doc": "doc", "published": "2017-12-27", "figures": [gold]}
    labels = tmp_path / "labels.json"
    for window, predicted in (({"start": 0, "end": 32}, 1), (None, 2)):
        data = {"documents": [{**document, **({"window": window} if window else {})}]}
        labels.write_text(json.dumps(data), encoding="utf-8")
        scores = figures_real.score(figures_real.load_cases(labels, stream))
        assert (scores.predicted, scores.correct) == (predicted, 1)


def test_scorer_matches_spans_and_compares_fields() -> None:
    from nkwatch.enrich.figures import extract_figures

    text = "Police said 25 people were injured on Wednesday."
    predicted = extract_figures(text, published=__import__("datetime").date(2017, 12, 27))
    gold = {
        "value_start": 12,
        "value_end": 14,
        "value": 25.0,
        "value_max": None,
        "unit": None,
        "counted": "people",
        "approx": None,
        "hedge": None,
        "attribution": "police",
        "period": {"text": "on Wednesday", "start": "2017-12-27", "end": "2017-12-27"},
        "part_of": None,
    }
    case = figures_real.Case({"text": text}, [gold], predicted)
    scores = figures_real.score([case])
    assert (scores.f1, scores.counted, scores.period, scores.attribution) == (1.0, 1.0, 1.0, 1.0)
    wrong = figures_real.Case({"text": text}, [{**gold, "value": 26.0}], predicted)
    assert figures_real.score([wrong]).f1 == 0.0
    assert figures_real.head_noun("crew members of the ship") == "member"


@NO_STREAM
def test_every_sources_differ_line_is_judged_and_precise(tmp_path: Path) -> None:
    lines = figures_disputes.sample_lines(tmp_path) + figures_disputes.stream_lines()
    judged = figures_disputes.load_judged()
    keys = [figures_disputes.line_key(line) for _where, line in lines]
    assert all(key in judged for key in keys), [line for _w, line in lines]
    right = sum(judged[key]["right"] for key in keys)
    assert not keys or right / len(keys) >= DISPUTE_PRECISION
