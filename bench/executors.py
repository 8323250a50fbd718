"""The whole pipeline on each executor, against bare trafilatura on the same pages.

    python bench/executors.py prepare /tmp/runner/nkw-pages   # the 181 real pages, unzipped
    farm-bench -n 3 --timeout 900 \\
      --vs 'python bench/executors.py ingest /tmp/runner/nkw-pages --executor inprocess' \\
      -- python bench/executors.py ingest /tmp/runner/nkw-pages --executor pool
    farm-bench -n 3 --timeout 900 \\
      --vs 'python bench/executors.py trafilatura /tmp/runner/nkw-pages' \\
      -- python bench/executors.py ingest /tmp/runner/nkw-pages --executor pool
    python bench/executors.py warc /tmp/runner/nkw-archive.warc.gz --records 400
    farm-bench -n 1 --warmup 0 --timeout 1200 \\
      --vs 'python bench/executors.py ingest /tmp/runner/nkw-archive.warc.gz \\
            --executor inprocess' \\
      -- python bench/executors.py ingest /tmp/runner/nkw-archive.warc.gz \\
         --executor dask --workers 2

``ingest`` runs what ``nkwatch ingest`` runs (extraction, de-duplication, enrichment, stories,
summaries) into a fresh store in a temporary folder, so that every timed run does the whole
work; it prints the counts, so a run that stored nothing shows. ``trafilatura`` is the issue's
anchor: ``trafilatura.extract`` on each page, one process, nothing stored. ``warc`` writes an
archive of ``--records`` responses cycling through the 181 real pages, each made a distinct
document (a record number in its title and URL), for the back-fill measurement.
"""

from __future__ import annotations

import argparse
import gzip
import json
import sys
import tempfile
from datetime import UTC, datetime, timedelta
from io import BytesIO
from pathlib import Path

PAGES = Path(__file__).resolve().parents[2] / "shared" / "benchmarks" / "extraction" / "html"


def prepare(folder: Path) -> int:
    """Unzip the 181 real pages into ``folder`` (nkwatch reads .html, not .html.gz)."""
    folder.mkdir(parents=True, exist_ok=True)
    count = 0
    for page in sorted(PAGES.glob("*.html.gz")):
        (folder / page.name.removesuffix(".gz")).write_bytes(gzip.decompress(page.read_bytes()))
        count += 1
    print(f"{count} pages in {folder}")
    return 0


def ingest(path: Path, executor_name: str, workers: int | None) -> int:
    """The whole pipeline over ``path`` into a fresh store, on the named executor."""
    from nkwatch.config import load_settings
    from nkwatch.executors import make_executor
    from nkwatch.pipeline import ingest as ingest_specs
    from nkwatch.store import SQLiteStore

    with tempfile.TemporaryDirectory() as folder:
        db = Path(folder) / "bench.db"
        settings = load_settings(db_path=str(db))
        with SQLiteStore(db) as store, make_executor(executor_name, workers=workers) as executor:
            report = ingest_specs(
                [str(path)], settings=settings, store=store, allow_network=False, executor=executor
            )
            counts = {
                "stored": report.counts["stored"],
                "rejected": len(report.rejections),
                "failed": report.internal_errors,
                "stories": len(store.stories()),
            }
    print(json.dumps({"executor": executor_name, **counts}))
    return 0


def bare_trafilatura(folder: Path) -> int:
    """``trafilatura.extract`` on every page of ``folder``, one process (the anchor)."""
    import trafilatura

    extracted = 0
    for page in sorted(folder.glob("*.html")):
        if trafilatura.extract(page.read_bytes()):
            extracted += 1
    print(json.dumps({"trafilatura": extracted}))
    return 0


def write_archive(path: Path, records: int) -> int:
    """A WARC of ``records`` responses made from the real pages, each a distinct document."""
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    pages = [gzip.decompress(p.read_bytes()) for p in sorted(PAGES.glob("*.html.gz"))]
    start = datetime(2025, 1, 1, tzinfo=UTC)
    with path.open("wb") as handle:
        writer = WARCWriter(handle, gzip=True)
        for index in range(records):
            body = pages[index % len(pages)]
            # A distinct title per record, so that the archive is not 181 pages and their copies.
            body = body.replace(b"<title>", f"<title>Record {index}: ".encode(), 1)
            body = body.replace(b"</body>", f"<p>Archive record {index}.</p></body>".encode(), 1)
            headers = StatusAndHeaders(
                "200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1"
            )
            when = start + timedelta(hours=index)
            record = writer.create_warc_record(
                f"https://archive.example/{index}",
                "response",
                payload=BytesIO(body),
                length=len(body),
                http_headers=headers,
                warc_headers_dict={"WARC-Date": when.strftime("%Y-%m-%dT%H:%M:%SZ")},
            )
            writer.write_record(record)
    print(f"{records} records in {path}")
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("prepare").add_argument("folder", type=Path)
    run = commands.add_parser("ingest")
    run.add_argument("path", type=Path)
    run.add_argument("--executor", default="pool")
    run.add_argument("--workers", type=int)
    commands.add_parser("trafilatura").add_argument("folder", type=Path)
    archive = commands.add_parser("warc")
    archive.add_argument("path", type=Path)
    archive.add_argument("--records", type=int, default=2_000)
    args = parser.parse_args()
    if args.command == "prepare":
        return prepare(args.folder)
    if args.command == "ingest":
        return ingest(args.path, args.executor, args.workers)
    if args.command == "trafilatura":
        return bare_trafilatura(args.folder)
    return write_archive(args.path, args.records)


if __name__ == "__main__":
    sys.exit(main())
