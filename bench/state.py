"""One new page into a large store: the cost of reading and writing the clusterer's state.

    python bench/state.py prepare --size 30000 --out /tmp/large.db
    farm-bench -n 5 -- python bench/state.py page --db /tmp/large.db

``prepare`` fills a store with the synthetic stream of ``bench/throughput.py`` (two years of
articles varied from the sample corpus), de-duplicated and clustered into stories, as
``bench/digest.py`` does. ``page`` writes one new page (a real article of the shared stream,
its words shuffled and varied by a fresh seed, so that it is a new text every time, dated at
the store's latest article) and ingests it with the ``nkwatch`` command in this process: start-up,
extraction, enrichment, de-duplication and story assignment, whose state read and write is
what grows with the store. Each call adds one article to the store.
"""

from __future__ import annotations

import argparse
import html
import json
import os
import random
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

STREAM = Path("shared") / "benchmarks" / "stream" / "news_events.jsonl"


def _stream_file() -> Path:
    here = Path(__file__).resolve()
    for folder in here.parents:
        if (folder / STREAM).exists():
            return folder / STREAM
    raise SystemExit(f"{STREAM} not found above {here}")


def prepare(size: int, out: Path) -> None:
    import functools

    import digest

    from nkwatch.cluster.persist import assign_stories
    from nkwatch.config import load_settings
    from nkwatch.store import SQLiteStore
    from nkwatch.summarize import summarize_articles

    # Stories formed with the settings ``nkwatch ingest`` reads (the same clusterer state key),
    # and every article summarised, so that the timed run has no backlog to work off.
    settings = load_settings(db_path=str(out))
    digest.assign_stories = functools.partial(assign_stories, settings=settings.cluster)
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as name, SQLiteStore(out) as store:
        digest.fill(store, size, Path(name))
        summarize_articles(store)
    print(f"store of {size} articles filled in {time.perf_counter() - started:.0f} s: {out}")


def new_page(db: Path, folder: Path) -> Path:
    """A page of a new text, dated at the latest article of ``db``."""
    rng = random.Random(int.from_bytes(os.urandom(8), "big"))
    rows = _stream_file().read_text(encoding="utf-8").splitlines()
    row = json.loads(rng.choice(rows))
    words = row["text"].split()
    vocabulary = sorted(set(words))
    varied = [rng.choice(vocabulary) if rng.random() < 0.3 else w for w in words]
    rng.shuffle(varied)
    latest = None
    if db.exists():
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as conn:
            latest = conn.execute("SELECT max(published) FROM articles").fetchone()[0]
    latest = latest or "2026-12-01T00:00:00+00:00"
    paragraphs = "\n".join(
        f"<p>{html.escape(' '.join(varied[i : i + 60]))}.</p>" for i in range(0, len(varied), 60)
    )
    title = html.escape(" ".join(varied[:9]).capitalize())
    page = folder / f"page-{rng.getrandbits(32):08x}.html"
    page.write_text(
        f"<!doctype html><html><head><title>{title}</title>"
        f'<meta property="article:published_time" content="{latest}">'
        f'<meta property="og:site_name" content="Bench Wire"></head><body><article>'
        f"<h1>{title}</h1>{paragraphs}</article></body></html>",
        encoding="utf-8",
    )
    return page


def page(db: Path) -> None:
    from nkwatch.cli import main as nkwatch

    with tempfile.TemporaryDirectory() as name:
        path = new_page(db, Path(name))
        sys.argv = ["nkwatch", "--db", str(db), "ingest", str(path)]
        nkwatch()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    fill = commands.add_parser("prepare", help="fill a large synthetic store")
    fill.add_argument("--size", type=int, default=30_000)
    fill.add_argument("--out", type=Path, required=True)
    one = commands.add_parser("page", help="ingest one new page into a store")
    one.add_argument("--db", type=Path, required=True)
    args = parser.parse_args()
    if args.command == "prepare":
        prepare(args.size, args.out)
    else:
        page(args.db)
    return 0


if __name__ == "__main__":
    sys.exit(main())
