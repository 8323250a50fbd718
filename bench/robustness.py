"""Robustness on real-world hostile input: nothing written here, everything read in place.

Ingests, through the whole pipeline (extraction, dedup, enrichment, stories, summaries):

* ``feedparser``: the 2,200+ feeds of feedparser's own test suite, from disk;
* ``warcio``: warcio's WARC and ARC test archives (truncated, bad digests, wrong chunks …);
* ``encoding``: html5lib's encoding cases, each ``#data`` section as a page;
* ``fragments``: html5lib's ~3,600 malformed tree-construction fragments, each as a page of its
  own and each wrapped around a real article from ``../shared/benchmarks/stream`` (that article
  must come out: a fragment must never cost the article around it);
* ``stream``: the 204 real articles of ``news_events.jsonl`` as HTML pages;
* ``http``: the feedparser feeds again, served from a loopback HTTP server.

Counts tracebacks (log records carrying an exception, and anything escaping a run), internal
errors (rejections of reason ``internal-error`` and quarantined stage failures) and lost
articles. Usage: ``python bench/robustness.py [--every N] [PART ...]``.
"""

from __future__ import annotations

import argparse
import functools
import hashlib
import html
import http.server
import json
import logging
import tempfile
import threading
import time
import urllib.parse
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path

from nkwatch.config import Settings, load_settings
from nkwatch.errors import Reason, RejectedInput
from nkwatch.extract import extract_document
from nkwatch.pipeline import Pipeline
from nkwatch.record import RawDocument
from nkwatch.store import SQLiteStore

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
CORPORA = SHARED / "corpora"
STREAM = SHARED / "benchmarks" / "stream" / "news_events.jsonl"
PARTS = ("feedparser", "warcio", "encoding", "fragments", "stream", "http")


@dataclass
class Tally:
    """What one part of the suite did."""

    part: str
    inputs: int = 0
    stored: int = 0
    rejected: int = 0
    internal_errors: int = 0
    tracebacks: int = 0
    lost: int = 0
    seconds: float = 0.0
    examples: list[str] = field(default_factory=list)

    def row(self) -> str:
        return (
            f"| {self.part} | {self.inputs} | {self.stored} | {self.rejected} | "
            f"{self.tracebacks} | {self.internal_errors} | {self.lost} | {self.seconds:.0f} |"
        )


class _Tracebacks(logging.Handler):
    """Counts log records that carry an exception (what a user would see as a traceback)."""

    def __init__(self) -> None:
        super().__init__(level=logging.DEBUG)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        if record.exc_info and record.levelno >= logging.WARNING:
            self.records.append(record)


def _settings(folder: Path) -> Settings:
    base = load_settings(db_path=str(folder / "robust.db"))
    fetch = replace(
        base.fetch,
        per_host_delay=0.0,
        max_retries=0,
        total_timeout=10.0,
        allow_networks=("127.0.0.0/8",),
    )
    return replace(base, fetch=fetch)


def ingest(part: str, specs: list[str], folder: Path, *, network: bool = False) -> Tally:
    """Ingest ``specs`` into a fresh store under ``folder`` and tally what went wrong."""
    tally = Tally(part, inputs=len(specs))
    catcher = _Tracebacks()
    logging.getLogger().addHandler(catcher)
    started = time.perf_counter()
    settings = _settings(folder)
    try:
        with SQLiteStore(settings.db_path) as store:
            pipeline = Pipeline(settings, store, allow_network=network)
            try:
                report = pipeline.ingest(specs, command=f"robustness-{part}")
            except Exception as exc:  # what the suite exists to find
                tally.tracebacks += 1
                tally.examples.append(f"run stopped: {type(exc).__name__}: {exc}")
                return tally
            finally:
                pipeline.close()
            tally.stored = report.counts["stored"] + report.counts["updated"]
            tally.rejected = len(report.rejections)
            internal = [r for r in report.rejections if r.reason is Reason.INTERNAL]
            tally.internal_errors = len(internal) + report.internal_errors
            tally.examples += [f"{r.source}: {r.detail}" for r in internal[:5]]
            tally.examples += [
                f"article {f.article_id} in {f.stage}: {f.error_class}: {f.message}"
                for f in store.failures()[:5]
            ]
    finally:
        logging.getLogger().removeHandler(catcher)
        tally.seconds = time.perf_counter() - started
    tally.tracebacks += len(catcher.records)
    tally.examples += [r.getMessage() for r in catcher.records[:5]]
    return tally


def _every(paths: list[Path], every: int) -> list[Path]:
    return paths[::every] if every > 1 else paths


def feedparser_files(every: int = 1) -> list[Path]:
    """The feeds of feedparser's test suite, in a stable order."""
    folder = CORPORA / "feedparser-tests"
    files = sorted(p for p in folder.rglob("*") if p.is_file() and p.name != "LICENSE")
    return _every(files, every)


def warcio_files(every: int = 1) -> list[Path]:
    folder = CORPORA / "warcio-tests"
    return _every(sorted(p for p in folder.iterdir() if p.name != "LICENSE"), every)


def dat_sections(path: Path) -> Iterator[str]:
    """The ``#data`` sections of an html5lib ``.dat`` file, as bytes-faithful text."""
    text = path.read_bytes().decode("utf-8", errors="surrogateescape")
    for block in text.split("\n#data\n"):
        block = block.removeprefix("#data\n")
        data, _, _ = block.partition("\n#")
        if data.strip():
            yield data


def encoding_pages(folder: Path, every: int = 1) -> list[Path]:
    """html5lib's encoding cases written out as pages (bytes kept as they are)."""
    out = folder / "encoding"
    out.mkdir(parents=True, exist_ok=True)
    pages = []
    for source in sorted((CORPORA / "html5lib-tests" / "encoding").rglob("*.dat")):
        for index, data in enumerate(dat_sections(source)):
            page = out / f"{source.stem}-{index:04d}.html"
            page.write_bytes(data.encode("utf-8", errors="surrogateescape"))
            pages.append(page)
    return _every(pages, every)


def stream_articles() -> list[dict[str, str]]:
    with STREAM.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle]


def article_page(article: dict[str, str], *, inside: str = "", copy: int | None = None) -> str:
    """One real article as a plain news page, with ``inside`` (a fragment) in its middle."""
    paragraphs = [p for p in article["text"].split("\n") if p.strip()]
    half = len(paragraphs) // 2
    body = "".join(f"<p>{html.escape(p)}</p>" for p in paragraphs[:half])
    body += inside
    body += "".join(f"<p>{html.escape(p)}</p>" for p in paragraphs[half:])
    title = html.escape(article["title"])
    # Each wrapped copy is a page of its own, not the same page seen again.
    url = article["url"]
    if copy is not None:
        parts = urllib.parse.urlsplit(url)
        path = f"{parts.path.rstrip('/')}/copy-{copy}"
        url = urllib.parse.urlunsplit((parts.scheme, parts.netloc, path, "", ""))
    return (
        f'<!DOCTYPE html><html><head><meta charset="utf-8"><title>{title}</title>'
        f'<meta property="article:published_time" content="{article["date"]}">'
        f'<meta property="og:site_name" content="{html.escape(article["source"])}">'
        f'<link rel="canonical" href="{html.escape(url)}"></head>'
        f"<body><article><h1>{title}</h1>{body}</article></body></html>"
    )


def fragment_pages(folder: Path, every: int = 1) -> tuple[list[Path], dict[Path, str]]:
    """Each tree-construction fragment alone and wrapped around a real article.

    Returns the pages and, for the wrapped ones, a sentence of the article that must survive.
    """
    out = folder / "fragments"
    out.mkdir(parents=True, exist_ok=True)
    articles = [a for a in stream_articles() if len(a["text"]) > 800]
    fragments = [
        data
        for source in sorted((CORPORA / "html5lib-tests" / "tree-construction").rglob("*.dat"))
        for data in dat_sections(source)
    ]
    fragments = fragments[::every] if every > 1 else fragments
    pages: list[Path] = []
    must_keep: dict[Path, str] = {}
    for index, fragment in enumerate(fragments):
        raw = fragment.encode("utf-8", errors="surrogateescape")
        alone = out / f"fragment-{index:04d}.html"
        alone.write_bytes(raw)
        article = articles[index % len(articles)]
        wrapped = out / f"wrapped-{index:04d}.html"
        text = article_page(article, inside=fragment, copy=index)
        wrapped.write_bytes(text.encode("utf-8", errors="surrogateescape"))
        pages += [alone, wrapped]
        must_keep[wrapped] = _kept_words(article)
    return pages, must_keep


@functools.cache
def _clean_extraction(article_id: str) -> str:
    """The text nkwatch keeps of an article's page with no fragment in it."""
    article = next(a for a in stream_articles() if a["id"] == article_id)
    raw = RawDocument(location=article["url"], content=article_page(article).encode("utf-8"))
    try:
        return extract_document(raw)[0].text
    except RejectedInput:
        return ""


def _kept_words(article: dict[str, str]) -> str:
    """Words that the clean page's extraction keeps near the start of the body (what a fragment
    in the middle of the page must not cost)."""
    text = _clean_extraction(article["id"])
    paragraph = next((p for p in text.split("\n") if len(p) > 80), text)
    return " ".join(paragraph.split()[:8])


def stream_pages(folder: Path) -> list[Path]:
    out = folder / "stream"
    out.mkdir(parents=True, exist_ok=True)
    pages = []
    for article in sorted(stream_articles(), key=lambda a: a["date"]):
        page = out / f"{hashlib.sha1(article['id'].encode()).hexdigest()[:12]}.html"
        page.write_text(article_page(article), encoding="utf-8")
        pages.append(page)
    return pages


def lost_articles(db: Path, must_keep: dict[Path, str]) -> tuple[int, list[str]]:
    """Wrapped pages whose article did not come out whole (its first words missing)."""
    with SQLiteStore(db) as store:
        by_source = {a.source: a.text for a in store.iter_articles()}
    lost = []
    for page, words in must_keep.items():
        text = by_source.get(str(page.resolve()), "")
        if " ".join(words.split()) not in " ".join(text.split()):
            lost.append(page.name)
    return len(lost), lost[:5]


@functools.cache
def _quiet_handler() -> type[http.server.SimpleHTTPRequestHandler]:
    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:
            return

    return Quiet


def over_http(folder: Path, files: list[Path]) -> Tally:
    """The feeds served from a loopback server (feed links there are followed too)."""
    root = CORPORA / "feedparser-tests"
    handler = functools.partial(_quiet_handler(), directory=str(root))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        port = server.server_address[1]
        urls = [f"http://127.0.0.1:{port}/{p.relative_to(root).as_posix()}" for p in files]
        return ingest("http", urls, folder, network=True)
    finally:
        server.shutdown()
        server.server_close()


def run(parts: tuple[str, ...], every: int) -> list[Tally]:
    tallies = []
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp)
        for part in parts:
            folder = base / part
            folder.mkdir()
            if part == "feedparser":
                specs = [str(p) for p in feedparser_files(every)]
                tallies.append(ingest(part, specs, folder))
            elif part == "warcio":
                tallies.append(ingest(part, [str(p) for p in warcio_files(every)], folder))
            elif part == "encoding":
                tallies.append(
                    ingest(part, [str(p) for p in encoding_pages(folder, every)], folder)
                )
            elif part == "fragments":
                pages, must_keep = fragment_pages(folder, every)
                tally = ingest(part, [str(p) for p in pages], folder)
                tally.lost, examples = lost_articles(folder / "robust.db", must_keep)
                tally.examples += examples
                tallies.append(tally)
            elif part == "stream":
                tallies.append(ingest(part, [str(p) for p in stream_pages(folder)], folder))
            elif part == "http":
                tallies.append(over_http(folder, feedparser_files(max(every, 1))))
    return tallies


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("parts", nargs="*", help=f"Any of {', '.join(PARTS)} (default: all).")
    parser.add_argument("--every", type=int, default=1, help="Take every Nth input only.")
    args = parser.parse_args()
    unknown = set(args.parts) - set(PARTS)
    if unknown:
        parser.error(f"unknown part(s): {', '.join(sorted(unknown))}")
    logging.basicConfig(level=logging.ERROR)
    print("| part | inputs | stored | rejected | tracebacks | internal errors | lost | s |")
    print("|---|---|---|---|---|---|---|---|")
    for tally in run(tuple(args.parts) or PARTS, args.every):
        print(tally.row(), flush=True)
        for example in tally.examples:
            print(f"    {example}")


if __name__ == "__main__":
    main()
