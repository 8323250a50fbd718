"""Server-side response times of the web UI and the JSON API on a large synthetic store.

    python bench/web.py --size 100000 [--db PATH] [--requests 60] [--stored]

The store is the one of ``bench/digest.py`` (the stream of ``bench/throughput.py``: two years of
events varied from the sample corpus, de-duplicated and clustered, each article carrying a
sample article's enrichment); with ``--db`` an existing file is reused, or filled once and kept.
Requests go through the application in-process (Starlette's test client: routing, parameter
checks, store reads, rendering, security headers; no network), one at a time, with varied
pages, story ids and queries. Printed: p50 and p95 per call in milliseconds, twice:

- *first visit*: each distinct request once, the application's read cache emptied before
  them, so each reads the store and protects its text as the first visit after a run does
  (the protection stage's own memory of texts it analysed is kept, as in a running server);
- *repeat*: every request again, served from the read cache until the next run.

Articles' protection analyses are made and stored the first time a request needs them when the
store lacks them, and so are those of the strings judged alone (titles, names, snippets: kept by
text hash). With ``--stored``, every distinct request is made once beforehand (its time
printed), so the articles the pages show have their analyses stored, as the ingest's protection
step leaves them, and the strings those pages show alone have theirs; the timed application is
then a new one, its memories empty.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from digest import fill
from fastapi.testclient import TestClient

from nkwatch.config import load_settings
from nkwatch.store import SQLiteStore
from nkwatch.web import create_app

THEMES = ("weapons-missiles", "troops-abroad", "food-economy", "defectors")
ENTITIES = ("Kim Jong Un", "Kim Yo Jong", "Pyongyang", "Russia", "Kursk", "Hyesan")
QUERIES = ("missile", "rice prices", "Kursk", "defectors", "balloons", "sanctions", "Yongbyon")


def percentiles(samples: list[float]) -> tuple[float, float]:
    """p50 and p95 of ``samples`` (milliseconds)."""
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return statistics.median(ordered), p95


def calls(store: SQLiteStore, rng: random.Random, count: int) -> dict[str, list[str]]:
    """The paths to time, per call, varied over the store."""
    rows = store.stories()
    ids = [row["id"] for row in rows]
    pages = max(1, len(ids) // 20)
    watch = store.add_watch({"name": "bench", "keyword": "missile"})
    return {
        "page: story list": [f"/stories?page={rng.randint(1, pages)}" for _ in range(count)],
        "page: story list, theme filter": [
            f"/stories?theme={rng.choice(THEMES)}" for _ in range(count)
        ],
        "page: story": [f"/stories/{rng.choice(ids)}" for _ in range(count)],
        "page: search": [f"/search?q={rng.choice(QUERIES)}" for _ in range(count)],
        "api: stories list": [
            f"/api/v1/stories?page={rng.randint(1, pages)}" for _ in range(count)
        ],
        "api: articles list": [f"/api/v1/articles?page={rng.randint(1, 50)}" for _ in range(count)],
        "api: search": [f"/api/v1/search?q={rng.choice(QUERIES)}" for _ in range(count)],
        "api: watches list": ["/api/v1/watches"] * count,
        "page: entity": [f"/entities/{rng.choice(ENTITIES)}" for _ in range(count)],
        "page: stories of an entity": [
            f"/stories?entity={rng.choice(ENTITIES)}" for _ in range(count)
        ],
        "api: entities list": [f"/api/v1/entities?page={rng.randint(1, 3)}" for _ in range(count)],
        "api: alerts list": [f"/api/v1/alerts?watch={watch}"] * count,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=100_000)
    parser.add_argument("--db", type=Path, help="store to reuse (filled first if missing)")
    parser.add_argument("--requests", type=int, default=60, help="requests per call")
    parser.add_argument(
        "--stored", action="store_true", help="store the analyses the pages need before timing"
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        db = args.db or Path(folder) / "bench.db"
        if not db.exists():
            started = time.perf_counter()
            with SQLiteStore(db) as store:
                fill(store, args.size, Path(folder))
            print(f"filled {db} in {time.perf_counter() - started:.0f} s")
        rng = random.Random(5)
        with SQLiteStore(db) as store:
            articles = sum(store.count_articles().values())
            stories = len(store.stories())
            plan = calls(store, rng, args.requests)
        print(f"store: {articles:,} articles, {stories:,} stories")
        if args.stored:
            started = time.perf_counter()
            before = TestClient(create_app(load_settings(db_path=str(db))))
            for paths in plan.values():
                timed(before, list(dict.fromkeys(paths)))
            print(f"analyses stored for every request in {time.perf_counter() - started:.0f} s")
        app = create_app(load_settings(db_path=str(db)))
        cache = app.state.read_cache
        client = TestClient(app)
        print(
            f"{'call':34} {'first p50':>9} {'first p95':>9} {'repeat p50':>10} {'repeat p95':>10}"
        )
        for name, paths in plan.items():
            client.get(paths[0])  # warm: templates compiled, pages cached by SQLite
            cache.clear()
            first = timed(client, list(dict.fromkeys(paths)))
            repeat = timed(client, paths)
            (p50, p95), (r50, r95) = percentiles(first), percentiles(repeat)
            print(f"{name:34} {p50:9.1f} {p95:9.1f} {r50:10.1f} {r95:10.1f}  n={len(first)}")
    return 0


def timed(client: TestClient, paths: list[str]) -> list[float]:
    """Milliseconds per request."""
    samples = []
    for path in paths:
        tick = time.perf_counter()
        response = client.get(path)
        samples.append((time.perf_counter() - tick) * 1000)
        if response.status_code != 200:
            raise SystemExit(f"{path}: HTTP {response.status_code}")
    return samples


if __name__ == "__main__":
    sys.exit(main())
