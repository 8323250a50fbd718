"""A large store's read costs: in-process search, a one-day digest, and peak memory.

    python bench/scale.py fill --size 1000000 --db /tmp/scale1m.db
    python bench/scale.py measure --db /tmp/scale1m.db [--queries 40]

``fill`` builds the store of ``bench/digest.py`` (the synthetic stream of
``bench/throughput.py``: two years of events varied from the sample corpus, de-duplicated and
clustered, each article carrying a sample article's enrichment) and prints its time and the
process's peak memory. ``measure`` opens it in a new process and prints:

- in-process search: each of ``--queries`` distinct queries once (words and names of the
  profile's watch list and of the sample corpus's headlines, one to three words), then each
  again; p50 and p95 in milliseconds of ``store.search(query, limit=21)``, the call the web
  desk and ``nkwatch search`` make;
- the one-day digest ending at the store's latest article (build, then render in every
  format), in seconds, twice (the second with the stored summaries the first one read);
- the peak resident memory of the process after each step.

Every figure is one process on a shared machine: compare sizes measured in the same session.
"""

from __future__ import annotations

import argparse
import random
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

QUERIES = (
    "missile",
    "rice prices",
    "Kursk",
    "defectors",
    "balloons",
    "sanctions",
    "Yongbyon",
    "Kim Jong Un",
    "Kim Yo Jong",
    "Pyongyang",
    "troops",
    "Russia",
    "Hyesan",
    "exchange rate",
    "laptop farm",
    "crypto",
    "Lazarus",
    "artillery shells",
    "Choe Son Hui",
    "Lavrov",
    "warning shots",
    "border",
    "prison camp",
    "public trial",
    "leaflets",
    "ICBM",
    "enrichment",
    "IT workers",
    "casualties",
    "POWs",
    "unification ministry",
    "Wonsan",
    "drones",
    "Alabuga",
    "remittances",
    "broker",
    "harvest",
    "North Korea",
    "satellite images",
    "said",
)


def peak_mib() -> float:
    """This process's peak resident memory so far (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def percentiles(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return statistics.median(ordered), p95


def fill_store(size: int, db: Path) -> None:
    from digest import fill

    from nkwatch.store import SQLiteStore

    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as name, SQLiteStore(db) as store:
        fill(store, size, Path(name))
    print(
        f"store of {size:,} articles filled in {time.perf_counter() - started:.0f} s, "
        f"peak {peak_mib():.0f} MiB: {db}"
    )


def measure(db: Path, queries: int, *, digest: bool = True) -> None:
    from nkwatch.enrich.profile import load_profile
    from nkwatch.publish.digest import FORMATS, build_digest, parse_since, render
    from nkwatch.store import SQLiteStore

    print(f"opened: peak {peak_mib():.0f} MiB")
    with SQLiteStore(db) as store:
        articles = sum(store.count_articles().values())
        print(f"store: {articles:,} articles, {db.stat().st_size / 2**30:.2f} GiB")
        chosen = list(QUERIES[:queries])
        random.Random(3).shuffle(chosen)
        for label in ("first", "repeat"):
            samples = []
            for query in chosen:
                tick = time.perf_counter()
                store.search(query, limit=21)
                samples.append((time.perf_counter() - tick) * 1000)
            p50, p95 = percentiles(samples)
            print(
                f"search, {label} ({len(samples)} queries): p50 {p50:.1f} ms, p95 {p95:.1f} ms, "
                f"max {max(samples):.1f} ms; peak {peak_mib():.0f} MiB"
            )
        if not digest:
            return
        profile = load_profile()
        until = store.latest_date()
        assert until is not None
        for label in ("first", "again"):
            tick = time.perf_counter()
            digest = build_digest(
                store, profile=profile, since=parse_since("1d", until=until), until=until
            )
            built = time.perf_counter() - tick
            for fmt in FORMATS:
                render(digest, fmt)
            print(
                f"one-day digest, {label}: {len(digest.stories)} stories, build {built:.2f} s, "
                f"with every format {time.perf_counter() - tick:.2f} s; peak {peak_mib():.0f} MiB"
            )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    fill = sub.add_parser("fill")
    fill.add_argument("--size", type=int, required=True)
    fill.add_argument("--db", type=Path, required=True)
    timed = sub.add_parser("measure")
    timed.add_argument("--db", type=Path, required=True)
    timed.add_argument("--queries", type=int, default=len(QUERIES))
    timed.add_argument(
        "--no-digest", action="store_true", help="search only (a store not yet clustered)"
    )
    args = parser.parse_args()
    if args.command == "fill":
        if args.db.exists():
            raise SystemExit(f"{args.db} exists: measure it, or remove it first")
        fill_store(args.size, args.db)
    else:
        measure(args.db, args.queries, digest=not args.no_digest)
    return 0


if __name__ == "__main__":
    sys.exit(main())
