"""The same ingest into SQLite and into PostgreSQL: how much the PostgreSQL store costs.

    python bench/postgres.py --backend sqlite
    python bench/postgres.py --backend postgres --url postgresql://postgres@127.0.0.1:55440/db

One run ingests the 181 real pages of ``../shared/benchmarks/extraction/html/`` (unpacked once
into a cache folder; ``--data`` for another folder of pages, such as the sample corpus) through
the whole pipeline (extraction, storage, de-duplication, enrichment, stories, summaries) into a
fresh store: a new SQLite file, or a new schema in the PostgreSQL database at ``--url`` (or
``NKWATCH_TEST_POSTGRES``), dropped afterwards. It prints the ingest's seconds and what was
stored. The ratio of the two backends is taken with farm-bench, run against run:

    farm-bench -n 3 --warmup 0 --timeout 2400 \\
        --vs "python bench/postgres.py --backend sqlite --data DIR" \\
        -- python bench/postgres.py --backend postgres --url URL --data DIR
"""

from __future__ import annotations

import argparse
import gzip
import os
import sys
import tempfile
import time
import uuid
from pathlib import Path
from urllib.parse import parse_qsl, quote, urlencode, urlsplit, urlunsplit

from nkwatch.config import load_settings
from nkwatch.pipeline import ingest
from nkwatch.store import open_store

REPO_ROOT = Path(__file__).resolve().parent.parent
PAGES = REPO_ROOT.parent / "shared" / "benchmarks" / "extraction" / "html"
CACHE = Path(tempfile.gettempdir()) / "nkwatch-bench-extraction-pages"


def unpacked(folder: Path) -> Path:
    """A folder of plain HTML files: ``folder`` itself, or its ``.html.gz`` pages unpacked."""
    packed = sorted(folder.glob("*.html.gz"))
    if not packed:
        return folder
    CACHE.mkdir(exist_ok=True)
    for page in packed:
        target = CACHE / page.name.removesuffix(".gz")
        if not target.exists():
            target.write_bytes(gzip.decompress(page.read_bytes()))
    return CACHE


def in_schema(url: str, schema: str) -> str:
    parts = urlsplit(url)
    query = [(k, v) for k, v in parse_qsl(parts.query) if k != "options"]
    query.append(("options", f"-csearch_path={schema}"))
    return urlunsplit(parts._replace(query=urlencode(query, quote_via=quote)))


def run(target: str, pages: Path) -> dict[str, float]:
    settings = load_settings(db_path=target)
    with open_store(target) as store:
        started = time.perf_counter()
        report = ingest([str(pages)], settings=settings, store=store, allow_network=False)
        seconds = time.perf_counter() - started
        counts = store.count_articles()
        stories = len(store.stories())
    if not report.counts["stored"]:
        raise SystemExit(f"nothing was stored from {pages}: {report.rejections[:3]}")
    return {"seconds": seconds, "stored": report.counts["stored"], "stories": stories, **counts}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--backend", choices=("sqlite", "postgres"), required=True)
    parser.add_argument("--url", default=os.environ.get("NKWATCH_TEST_POSTGRES", ""))
    parser.add_argument("--data", type=Path, default=PAGES)
    args = parser.parse_args(argv)
    if not args.data.is_dir():
        parser.error(f"no folder of pages at {args.data} (give one with --data)")
    pages = unpacked(args.data)
    if args.backend == "sqlite":
        with tempfile.TemporaryDirectory() as folder:
            result = run(str(Path(folder) / "bench.db"), pages)
    else:
        import psycopg

        if not args.url:
            parser.error("--backend postgres needs --url (or NKWATCH_TEST_POSTGRES)")
        schema = f"nkwatch_bench_{uuid.uuid4().hex[:12]}"
        with psycopg.connect(args.url, autocommit=True) as admin:
            admin.execute(f'CREATE SCHEMA "{schema}"')
            try:
                result = run(in_schema(args.url, schema), pages)
            finally:
                admin.execute(f'DROP SCHEMA "{schema}" CASCADE')
    print(
        " ".join(
            f"{key}={value:.2f}" if isinstance(value, float) else f"{key}={value}"
            for key, value in result.items()
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
