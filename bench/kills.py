"""SIGKILL at random points of `nkwatch ingest`, each followed by a re-run: nothing lost or doubled.

A baseline store is built by one uninterrupted run. Then the same input is ingested into a fresh
store by a run that is killed (SIGKILL, no chance to clean up) after a random delay covering
every stage (storing, dedup, enrichment, stories, summaries), again and again, and finally
run to the end. The final store must pass SQLite's ``integrity_check``, hold every article once,
and be identical to the baseline: same articles and ids, same duplicate links, same stories and
story ids, same enrichment and summaries.

Usage: ``python bench/kills.py [--kills 200] [--seed 1] [CORPUS]`` (default: a 30-document
slice of the bundled sample).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from nkwatch.config import sample_corpus_path


def command(db: Path, corpus: Path) -> list[str]:
    return [sys.executable, "-m", "nkwatch.cli", "--db", str(db), "-q", "ingest", str(corpus)]


def small_corpus(folder: Path, size: int = 30) -> Path:
    """A slice of the bundled sample: pages and texts of several stories, with copies."""
    source = sample_corpus_path()
    out = folder / "corpus"
    out.mkdir()
    chosen = (
        sorted((source / "html").glob("*.html"))[: size - 6]
        + sorted((source / "text").glob("*.txt"))[:6]
    )
    for path in chosen:
        shutil.copy(path, out / path.name)
    return out


def snapshot(db: Path) -> dict[str, Any]:
    """Everything a run decides, keyed so that two stores can be compared for equality."""
    connection = sqlite3.connect(db)
    try:
        ok = connection.execute("PRAGMA integrity_check").fetchone()[0]
        articles = connection.execute(
            "SELECT id, source_key, content_hash, duplicate_of, duplicate_kind, story_id "
            "FROM articles ORDER BY id"
        ).fetchall()
        enrichment = connection.execute(
            "SELECT article_id, themes, entities, figures FROM enrichment ORDER BY article_id"
        ).fetchall()
        summaries = connection.execute(
            "SELECT article_id, sentences FROM summaries ORDER BY article_id"
        ).fetchall()
        stories = connection.execute(
            "SELECT id, title, independent_sources FROM stories ORDER BY id"
        ).fetchall()
        keys = connection.execute("SELECT count(*), count(DISTINCT source_key) FROM articles")
        total, distinct = keys.fetchone()
    finally:
        connection.close()
    return {
        "integrity": ok,
        "duplicated_articles": total - distinct,
        "articles": articles,
        "enrichment": enrichment,
        "summaries": summaries,
        "stories": stories,
    }


def differences(first: dict[str, Any], second: dict[str, Any]) -> list[str]:
    return [key for key in first if first[key] != second[key]]


def run_to_end(db: Path, corpus: Path) -> float:
    started = time.perf_counter()
    subprocess.run(command(db, corpus), check=False, capture_output=True)
    return time.perf_counter() - started


def kill_after(db: Path, corpus: Path, delay: float) -> bool:
    """Start an ingest and SIGKILL it after ``delay`` seconds; False if it ended first."""
    process = subprocess.Popen(
        command(db, corpus), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        process.wait(timeout=delay)
        return False
    except subprocess.TimeoutExpired:
        os.kill(process.pid, signal.SIGKILL)
        process.wait()
        return True


def trial(folder: Path, corpus: Path, kills: int, seed: int) -> dict[str, Any]:
    """Baseline, then ``kills`` killed runs into one store, then a final run; compare."""
    baseline_db = folder / "baseline.db"
    full = run_to_end(baseline_db, corpus)
    baseline = snapshot(baseline_db)
    rng = random.Random(seed)
    db = folder / "killed.db"
    killed = 0
    for _ in range(kills):
        if kill_after(db, corpus, rng.uniform(0.2, full)):
            killed += 1
        else:
            # The run finished before the kill: start again from an empty store, so that
            # later kills still land in every stage.
            for suffix in ("", "-wal", "-shm"):
                Path(f"{db}{suffix}").unlink(missing_ok=True)
    run_to_end(db, corpus)
    final = snapshot(db)
    return {
        "full_run_seconds": round(full, 2),
        "kills": killed,
        "integrity": final["integrity"],
        "duplicated_articles": final["duplicated_articles"],
        "articles": len(final["articles"]),
        "baseline_articles": len(baseline["articles"]),
        "differences": differences(baseline, final),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", nargs="?")
    parser.add_argument("--kills", type=int, default=200)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        corpus = Path(args.corpus) if args.corpus else small_corpus(folder)
        print(json.dumps(trial(folder, corpus, args.kills, args.seed), indent=1))


if __name__ == "__main__":
    main()
