"""A run killed with SIGKILL at any point, then re-run, leaves the store an uninterrupted run
would: nothing lost, nothing doubled, story ids never reused (bench/kills.py does 200 kills)."""

from __future__ import annotations

from pathlib import Path

from bench.kills import small_corpus, trial


def test_killed_runs_leave_the_store_of_an_uninterrupted_run(tmp_path: Path) -> None:
    corpus = small_corpus(tmp_path, size=14)
    result = trial(tmp_path, corpus, kills=4, seed=3)
    assert result["kills"] >= 1
    assert result["integrity"] == "ok"
    assert result["duplicated_articles"] == 0
    assert result["articles"] == result["baseline_articles"] > 0
    assert result["differences"] == []
