"""Copies on real news: the de-duplicator scored against hand labels on article pairs.

    python bench/dedup_real.py                     # the development half
    python bench/dedup_real.py --half test         # the test half (report only)
    python bench/dedup_real.py --half all --errors

Labels: ``tests/data/dedup/real_pairs.json`` (conventions in ``tests/data/dedup/README.md``):
pairs of articles of ``../shared/benchmarks/stream/news_events.jsonl`` that share text, each
judged ``copy`` (one reproduces the other, or both one wire text), ``version`` (the same base
text, one carrying news the other lacks) or ``distinct`` (separately written, sharing quotes,
some wire paragraphs or page chrome).

Each pair is stored on its own, earlier article first, in a fresh SQLite store, and the real
:class:`nkwatch.dedup.Deduplicator` runs over it; the pair is predicted a copy when either
article ends up linked to the other. Scores treat ``copy`` as the positive class; a ``version``
called a copy is counted apart, since either reading can be argued for it.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import sys
import tempfile
from collections import Counter
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

from nkwatch.dedup import Deduplicator, DedupSettings
from nkwatch.record import Article
from nkwatch.store import SQLiteStore

ROOT = Path(__file__).resolve().parents[1]
LABELS = ROOT / "tests" / "data" / "dedup" / "real_pairs.json"
STREAM = Path(
    os.environ.get("NKWATCH_STREAM")
    or ROOT.parent / "shared" / "benchmarks" / "stream" / "news_events.jsonl"
)


def half_of(pair: dict[str, Any]) -> str:
    """The half a pair belongs to, fixed by its ids: test when the first byte of the SHA-256 of
    the two ids joined is odd."""
    digest = hashlib.sha256(f"{pair['first']}|{pair['second']}".encode()).digest()
    return "test" if digest[0] % 2 else "dev"


def load_rows(path: Path = STREAM) -> dict[str, dict[str, Any]]:
    with path.open(encoding="utf-8") as handle:
        return {row["id"]: row for row in map(json.loads, handle)}


def predict(first: dict[str, Any], second: dict[str, Any], settings: DedupSettings) -> str | None:
    """The duplicate kind the de-duplicator gives the pair (``None``: not copies)."""
    with tempfile.TemporaryDirectory() as folder, SQLiteStore(Path(folder) / "p.db") as store:
        ids = []
        for position, row in enumerate((first, second)):
            article = Article(
                text=row["text"],
                title=row.get("title") or "",
                published=datetime.fromisoformat(row["date"]),
                source_key=f"pair-{position}",
                url=row.get("url") or f"https://example.org/{position}",
                outlet=row.get("source") or None,
            )
            ids.append(store.save_article(article).id)
        Deduplicator(store, settings=settings).run()
        for article in store.iter_articles():
            if article.duplicate_of in ids and article.id in ids:
                return article.duplicate_kind
    return None


def run(half: str, settings: DedupSettings) -> tuple[dict[str, Any], list[str]]:
    pairs = json.loads(LABELS.read_text(encoding="utf-8"))["pairs"]
    rows = load_rows()
    chosen = [p for p in pairs if half == "all" or half_of(p) == half]
    counts: Counter[str] = Counter()
    errors = []
    for pair in chosen:
        kind = predict(rows[pair["first"]], rows[pair["second"]], settings)
        called = kind is not None
        gold = pair["label"]
        counts[f"{gold}, {'called a copy' if called else 'kept apart'}"] += 1
        if called != (gold == "copy"):
            errors.append(f"{gold:8} called {kind or 'apart':10} :: {pair['why']}")
    copies = counts["copy, called a copy"]
    called = copies + counts["version, called a copy"] + counts["distinct, called a copy"]
    gold = copies + counts["copy, kept apart"]
    scores = {
        "half": half,
        "pairs": len(chosen),
        **dict(sorted(counts.items())),
        "precision (copy)": round(copies / called, 3) if called else 1.0,
        "recall (copy)": round(copies / gold, 3) if gold else 1.0,
        "distinct called a copy": counts["distinct, called a copy"],
    }
    return scores, errors


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--half", choices=("dev", "test", "all"), default="dev")
    parser.add_argument("--errors", action="store_true")
    args = parser.parse_args(argv)
    scores, errors = run(args.half, DedupSettings())
    print(json.dumps(scores, indent=1))
    if args.errors:
        print("\n".join(errors))
    return 0


if __name__ == "__main__":
    sys.exit(main())
