"""API list calls of the web desk on a PostgreSQL store: what each request pays to reach it.

    python bench/web_postgres.py prepare --url postgresql://postgres@127.0.0.1:55440/db
    farm-bench -n 5 --timeout 600 \\
      --vs "env PYTHONPATH=<older checkout> python bench/web_postgres.py requests --url URL" \\
      -- env PYTHONPATH=. python bench/web_postgres.py requests --url URL

``prepare`` ingests the sample corpus into the schema ``nkwatch_bench_web`` of the database at
``--url`` (made afresh). ``requests`` builds the web application over that schema and makes
``--count`` calls of each API list (stories, articles, entities, watches), the first of each
to fill the read cache, and prints the per-call milliseconds (p50, p95) of the rest: the part
of each call that is not cached (opening or borrowing the store, reading its data version).
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from dataclasses import replace

SCHEMA = "nkwatch_bench_web"
CALLS = ("/api/v1/stories", "/api/v1/articles", "/api/v1/entities", "/api/v1/watches")


def _in_schema(url: str) -> str:
    from urllib.parse import parse_qsl, quote, urlencode, urlsplit, urlunsplit

    parts = urlsplit(url)
    query = [(k, v) for k, v in parse_qsl(parts.query) if k != "options"]
    query.append(("options", f"-csearch_path={SCHEMA}"))
    return urlunsplit(parts._replace(query=urlencode(query, quote_via=quote)))


def prepare(url: str) -> int:
    import psycopg

    from nkwatch.config import Settings
    from nkwatch.sample import ingest_sample, sample_outlets
    from nkwatch.store import open_store

    with psycopg.connect(url, autocommit=True) as admin:
        admin.execute(f'DROP SCHEMA IF EXISTS "{SCHEMA}" CASCADE')
        admin.execute(f'CREATE SCHEMA "{SCHEMA}"')
    target = _in_schema(url)
    settings = replace(Settings(db_path=target), outlets=sample_outlets())
    with open_store(target) as store:
        report = ingest_sample(store, settings=settings)
    print(json.dumps({"stored": report.ingested, "schema": SCHEMA}))
    return 0


def requests(url: str, count: int) -> int:
    from fastapi.testclient import TestClient

    from nkwatch.config import Settings
    from nkwatch.sample import sample_outlets
    from nkwatch.web import create_app

    settings = replace(Settings(db_path=_in_schema(url)), outlets=sample_outlets())
    timings: dict[str, list[float]] = {}
    with TestClient(create_app(settings)) as client:
        for path in CALLS:
            client.get(path).raise_for_status()  # fills the read cache
            spent = timings.setdefault(path, [])
            for _ in range(count):
                start = time.perf_counter()
                client.get(path).raise_for_status()
                spent.append((time.perf_counter() - start) * 1000)
    print(
        json.dumps(
            {
                path: {
                    "p50_ms": round(statistics.median(spent), 2),
                    "p95_ms": round(statistics.quantiles(spent, n=20)[18], 2),
                }
                for path, spent in timings.items()
            }
        )
    )
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("command", choices=("prepare", "requests"))
    parser.add_argument("--url", required=True, help="postgresql:// URL of the database")
    parser.add_argument("--count", type=int, default=100, help="timed calls of each list")
    args = parser.parse_args()
    if args.command == "prepare":
        return prepare(args.url)
    return requests(args.url, args.count)


if __name__ == "__main__":
    raise SystemExit(main())
