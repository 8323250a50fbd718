"""Digest build time for a day and a week over a large store.

    python bench/digest.py --size 100000

A store is filled with the synthetic stream of ``bench/throughput.py`` (two years of articles
varied from the sample corpus), de-duplicated and clustered into stories; each article is given
the enrichment of a sample article (themes, entities, figures) so that the digest has figures and
themes to show. Then the digests of the last day and the last week are built and rendered to
every format, and the times printed.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from throughput import _sample_texts, synthesise

from nkwatch.cluster.persist import assign_stories
from nkwatch.config import load_settings
from nkwatch.dedup import deduplicate
from nkwatch.enrich.apply import enrich_article, profile_key
from nkwatch.enrich.profile import load_profile
from nkwatch.publish.digest import FORMATS, build_digest, parse_since, render
from nkwatch.record import Article
from nkwatch.sample import ingest_sample
from nkwatch.store import SQLiteStore


def borrowed_enrichment(folder: Path) -> tuple[str, list[dict[str, Any]]]:
    """The profile key and the sample articles' enrichment, which synthetic articles borrow."""
    profile = load_profile()
    db = folder / "templates.db"
    with SQLiteStore(db) as sample:
        ingest_sample(sample, settings=load_settings(db_path=str(db)))
        templates = [
            enrich_article(a, profile=profile)
            for a in sample.iter_articles()
            if a.kind == "article"
        ]
    return profile_key(profile), templates


def fill(store: SQLiteStore, size: int, folder: Path) -> None:
    """Synthetic articles, their duplicates and stories, and borrowed enrichment."""
    texts = _sample_texts(folder)
    key, templates = borrowed_enrichment(folder)
    rng = random.Random(11)
    batch: list[Article] = []
    for article in synthesise(size, texts):
        batch.append(article)
        if len(batch) == 2_000:
            for result in store.save_articles(batch):
                store.save_enrichment(result.id, key, rng.choice(templates))
            batch = []
    for result in store.save_articles(batch):
        store.save_enrichment(result.id, key, rng.choice(templates))
    deduplicate(store)
    assign_stories(store)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=100_000)
    args = parser.parse_args()
    profile = load_profile()
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        with SQLiteStore(folder / "digest.db") as store:
            started = time.perf_counter()
            fill(store, args.size, folder)
            print(f"store of {args.size} articles filled in {time.perf_counter() - started:.0f} s")
            until = store.latest_date()
            assert until is not None
            print("window  stories  build s  " + "  ".join(f"{f:>8s}" for f in FORMATS))
            for window in ("1d", "7d"):
                started = time.perf_counter()
                digest = build_digest(
                    store, profile=profile, since=parse_since(window, until=until), until=until
                )
                build = time.perf_counter() - started
                renders = []
                for fmt in FORMATS:
                    tick = time.perf_counter()
                    render(digest, fmt)
                    renders.append(time.perf_counter() - tick)
                print(
                    f"{window:6s}  {len(digest.stories):7d}  {build:7.2f}  "
                    + "  ".join(f"{r:8.3f}" for r in renders)
                )
    return 0


if __name__ == "__main__":
    sys.exit(main())
