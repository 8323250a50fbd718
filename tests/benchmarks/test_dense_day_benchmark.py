"""Stories on a busy day of real news (bench/dense_day.py): reports that only share a subject
stay apart, with the labels' test half pinned and floors under the measured scores."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from bench import dense_day as bench

#: sha256 of the test half's (page, event) pairs: fixed once labelled, it must not drift.
TEST_HALF_SHA256 = "6d45098481d0a2ff83d09187274b5c37d5fb1d6bafb60a7291893281e92f4f7a"

# Measured through `nkwatch ingest` (bench/RESULTS.md, "A busy day of real news"): development
# half P 0.618, R 0.955, BCubed 0.941 (0.656 and 0.947 before one page moved with the agency
# credits); test half P 0.806, R 1.000, BCubed 0.971 (0.468 and 0.568 before the similarity
# floor). A pair more or less moves these small halves' precision by
# several points, so the floors sit that far below.
FLOORS = {
    "dev": {"precision": 0.58, "recall": 0.90, "bcubed": 0.93},
    "test": {"precision": 0.72, "recall": 0.93, "bcubed": 0.95},
}

needs_pages = pytest.mark.skipif(
    not bench.PAGES.exists(), reason=f"shared extraction pages {bench.PAGES} are not present"
)


def test_test_half_is_pinned() -> None:
    events = bench.load_events()
    test = sorted((page, event) for page, event in events.items() if bench.half_of(event) == "test")
    assert hashlib.sha256(json.dumps(test).encode()).hexdigest() == TEST_HALF_SHA256


def test_both_halves_hold_events_of_several_pages() -> None:
    events = bench.load_events()
    for half in ("dev", "test"):
        names = [event for event in events.values() if bench.half_of(event) == half]
        assert sum(1 for name in set(names) if names.count(name) > 1) >= 5


@needs_pages
def test_every_shared_page_has_an_event() -> None:
    pages = {path.name.removesuffix(".html.gz") for path in bench.PAGES.glob("*.html.gz")}
    assert pages == set(bench.load_events())


def test_scores_are_per_half_over_its_own_pages() -> None:
    events = {"a": "one", "b": "one", "c": "two", "d": "three"}
    halves = {name: bench.half_of(name) for name in ("one", "two", "three")}
    together = bench.scores({"a": 1, "b": 1, "c": 1, "d": 2}, events)
    for half in ("dev", "test"):
        pages = [page for page, event in events.items() if halves[event] == half]
        assert together[half]["pages"] == len(pages)
    assert together["all"]["recall"] == 1.0
    assert together["all"]["precision"] == pytest.approx(1 / 3)


@needs_pages
def test_stories_of_a_busy_day_stay_above_their_floors(tmp_path: Path) -> None:
    stories, _ = bench.stories_of(tmp_path)
    got = bench.scores(stories, bench.load_events())
    for half, floors in FLOORS.items():
        for name, floor in floors.items():
            assert got[half][name] >= floor, (half, name, got[half][name])
