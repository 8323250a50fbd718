"""Real-world hostile input (read in place from ../shared/corpora): no traceback, no internal
error, no article lost around a malformed fragment. bench/robustness.py runs every input; the
tests take a fixed slice of each suite."""

from __future__ import annotations

from pathlib import Path

import pytest

from bench import robustness

pytestmark = pytest.mark.skipif(
    not robustness.CORPORA.exists(), reason="../shared/corpora is not beside the repo"
)


def _clean(tally: robustness.Tally) -> None:
    assert tally.tracebacks == 0, tally.examples
    assert tally.internal_errors == 0, tally.examples
    assert tally.lost == 0, tally.examples


def test_feedparser_suite(tmp_path: Path) -> None:
    files = robustness.feedparser_files(every=25)
    tally = robustness.ingest("feedparser", [str(p) for p in files], tmp_path)
    assert tally.inputs > 80
    _clean(tally)


def test_warcio_archives(tmp_path: Path) -> None:
    files = robustness.warcio_files()
    tally = robustness.ingest("warcio", [str(p) for p in files], tmp_path)
    assert tally.stored > 0
    _clean(tally)


def test_html5lib_encoding_cases(tmp_path: Path) -> None:
    pages = robustness.encoding_pages(tmp_path, every=4)
    _clean(robustness.ingest("encoding", [str(p) for p in pages], tmp_path))


def test_malformed_fragments_never_cost_the_article_around_them(tmp_path: Path) -> None:
    pages, must_keep = robustness.fragment_pages(tmp_path, every=20)
    tally = robustness.ingest("fragments", [str(p) for p in pages], tmp_path)
    tally.lost, examples = robustness.lost_articles(tmp_path / "robust.db", must_keep)
    tally.examples += examples
    assert len(must_keep) > 80
    _clean(tally)


def test_feeds_over_loopback_http(tmp_path: Path) -> None:
    tally = robustness.over_http(tmp_path, robustness.feedparser_files(every=50))
    _clean(tally)
