"""Test-wide set-up: the benchmark scripts in bench/ are importable as ``bench.<name>``."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


@pytest.fixture(autouse=True)
def _inprocess_executor(monkeypatch: pytest.MonkeyPatch) -> None:
    """Commands run their per-article work in-process in tests (and in the processes tests
    start), unless a test names an executor: starting a worker pool per command would only
    slow the suite. tests/test_executors.py runs the pool and Dask executors."""
    monkeypatch.setenv("NKWATCH_EXECUTOR", "inprocess")
