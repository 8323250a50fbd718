"""De-duplication and story clustering throughput and peak memory on synthetic streams.

    python bench/throughput.py --sizes 10000 100000

Each size runs in its own process: a fresh store is filled with a stream synthesised from the
sample corpus's articles (events of a few days each over two years, so stories go inactive as
the stream moves on; words and numbers varied so most articles are new texts; one in ten an
exact copy of a recent one), then de-duplication and story assignment run over it in arrival
order. Printed: articles per second for each stage, the cost per article of the first and last
tenth of the stream (flat is the goal), and the process's peak resident memory.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import subprocess
import sys
import tempfile
import time
from collections import deque
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

from nkwatch.cluster.persist import assign_stories
from nkwatch.config import load_settings
from nkwatch.dedup import deduplicate
from nkwatch.record import Article
from nkwatch.sample import ingest_sample
from nkwatch.store import SQLiteStore

_START = datetime(2025, 1, 1, tzinfo=UTC)


def _sample_texts(folder: Path) -> list[tuple[str, str]]:
    db = folder / "sample.db"
    with SQLiteStore(db) as store:
        ingest_sample(store, settings=load_settings(db_path=str(db)))
        return [
            (a.title or "", a.text)
            for a in store.iter_articles()
            if a.kind == "article" and a.duplicate_of is None
        ]


def _vocabulary(texts: list[tuple[str, str]]) -> list[str]:
    words = sorted({w for _, t in texts for w in t.split() if w.isalpha() and len(w) > 5})
    return words


def _mutate(words: list[str], share: float, vocabulary: list[str], rng: random.Random) -> list[str]:
    words = list(words)
    for position in rng.sample(range(len(words)), k=max(1, int(len(words) * share))):
        words[position] = rng.choice(vocabulary)
    return words


def synthesise(size: int, texts: list[tuple[str, str]], *, seed: int = 7) -> Iterator[Article]:
    """A stream of ``size`` articles about events of a few days each, over two years.

    Each event takes a sample text and changes three in five of its words; each of its articles
    changes a tenth more and every number. About five articles per event, one in ten of all
    articles an exact copy of a recent one.
    """
    rng = random.Random(seed)
    vocabulary = _vocabulary(texts)
    recent: deque[tuple[str, str]] = deque(maxlen=200)
    events: deque[tuple[int, str, list[str]]] = deque(maxlen=30)
    span = timedelta(days=730)
    for index in range(size):
        published = _START + span * (index / size) + timedelta(minutes=rng.randrange(600))
        day = (published - _START).days
        if recent and rng.random() < 0.1:
            title, body = recent[rng.randrange(len(recent))]
        else:
            open_events = [e for e in events if day - e[0] <= 3]
            if not open_events or rng.random() < 0.2:
                template_title, template_body = texts[rng.randrange(len(texts))]
                event = (day, template_title, _mutate(template_body.split(), 0.6, vocabulary, rng))
                events.append(event)
            else:
                event = open_events[rng.randrange(len(open_events))]
            words = _mutate(event[2], 0.1, vocabulary, rng)
            body = " ".join(
                str(rng.randrange(2, 90_000)) if w.strip(",.").isdigit() else w for w in words
            )
            title = f"{event[1]} ({index})"
            recent.append((title, body))
        yield Article(
            text=body,
            title=title,
            outlet=f"Outlet {rng.randrange(12)}",
            published=published,
            published_from="meta",
            source_key=f"synthetic:{index}",
            source=f"synthetic:{index}",
        )


def run_one(size: int) -> dict[str, float]:
    """Fill a fresh store and time both stages; runs in the current process."""
    with tempfile.TemporaryDirectory() as folder:
        texts = _sample_texts(Path(folder))
        with SQLiteStore(Path(folder) / "bench.db") as store:
            ids: list[int] = []
            batch: list[Article] = []
            for article in synthesise(size, texts):
                batch.append(article)
                if len(batch) == 2_000:
                    ids += [r.id for r in store.save_articles(batch)]
                    batch = []
            ids += [r.id for r in store.save_articles(batch)]
            del batch, texts
            tenth = max(1, size // 10)
            timings = {}
            started = time.perf_counter()
            deduplicate(store)
            timings["dedup_s"] = time.perf_counter() - started
            # Stories are assigned in tenths, so the cost of early and late articles shows.
            cost = []
            started = time.perf_counter()
            with store._transaction():  # hide later tenths from the first passes
                store._db.execute("UPDATE articles SET story_id = -1")
            for part in range(10):
                chunk = ids[part * tenth : (part + 1) * tenth] if part < 9 else ids[9 * tenth :]
                with store._transaction():
                    store._db.executemany(
                        "UPDATE articles SET story_id = NULL WHERE id = ?", [(i,) for i in chunk]
                    )
                tick = time.perf_counter()
                assign_stories(store)
                cost.append((time.perf_counter() - tick) / max(1, len(chunk)) * 1000)
            timings["cluster_s"] = time.perf_counter() - started
            stories = len(store.stories())
    peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return {
        "size": size,
        "dedup_per_s": size / timings["dedup_s"],
        "cluster_per_s": size / timings["cluster_s"],
        "both_per_s": size / (timings["dedup_s"] + timings["cluster_s"]),
        "cluster_ms_first_tenth": cost[0],
        "cluster_ms_last_tenth": cost[-1],
        "stories": stories,
        "peak_rss_mib": peak_kib / 1024,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(run_one(args.one)))
        return 0
    print("size     dedup/s  cluster/s  both/s  ms/article first→last tenth  stories  peak MiB")
    for size in args.sizes:
        output = subprocess.run(
            [sys.executable, __file__, "--one", str(size)],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        row = json.loads(output.strip().splitlines()[-1])
        print(
            f"{row['size']:<8} {row['dedup_per_s']:7.0f} {row['cluster_per_s']:10.0f} "
            f"{row['both_per_s']:7.0f}  {row['cluster_ms_first_tenth']:8.2f} → "
            f"{row['cluster_ms_last_tenth']:6.2f}            {row['stories']:7d} "
            f"{row['peak_rss_mib']:9.0f}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
