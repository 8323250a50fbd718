"""Figures on real news: pinned floors on the development half of the hand-labelled stream set,
and every "sources differ" line judged.

The labels (``tests/data/enrich/figures_real_dev.json``, format in ``README_figures_real.md``)
point into ``../shared/benchmarks/stream/news_events.jsonl``. Only the development half is read
here; the test half is scored once by ``python bench/figures_real.py --labels
tests/data/enrich/figures_real_test.json`` and reported, never tuned on.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bench import figures_disputes, figures_real

DEV = figures_real.DEFAULT_LABELS

# Measured on the dev half (bench/RESULTS.md, "Figures: claims, sources and disputes"):
# value+unit F1 0.944, counted 0.921, period 0.899, attribution 0.952, hedge 0.978 (227
# span-matched figures; one figure is 0.0044). Floors sit four to six figures below.
F1 = 0.92
COUNTED = 0.90
PERIOD = 0.875
ATTRIBUTION = 0.93
HEDGE = 0.955
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
