"""Hot paths of ingest and the digest, one at a time, on the real pages of the extraction set.

    python bench/hotpaths.py prepare --out DIR        # once: texts of the 181 pages, a digest store
    python bench/hotpaths.py extraction               # parses and trafilatura passes per page
    python bench/hotpaths.py dedup --texts DIR/texts.json --size 181   # or 1810
    python bench/hotpaths.py summaries --texts DIR/texts.json
    python bench/hotpaths.py enrich --texts DIR/texts.json
    python bench/hotpaths.py protection --texts DIR/texts.json
    python bench/hotpaths.py digest --store DIR/digest.db

Each command prints one JSON line: its timings, the counts that explain them (SQL statements,
parses) and ``output``, a SHA-256 of everything the stage produced, so that two versions of the
code can be timed side by side (``farm-bench``) and shown to produce the same result. The
commands read only interfaces that older versions of nkwatch have too, so the "before" figures
come from the same script run against an older checkout (``PYTHONPATH=<checkout>``).

``dedup --size 1810`` stores every text ten times, each copy with a tenth of its words replaced
(seeded), so the store grows tenfold with mostly new texts and some near copies among them.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import random
import re
import shutil
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

PAGES = Path(__file__).resolve().parents[2] / "shared" / "benchmarks" / "extraction" / "html"
_FETCHED = datetime(2026, 12, 1, tzinfo=UTC)


def _pages(folder: Path) -> list[Path]:
    return sorted(p for p in folder.iterdir() if p.name.endswith(".html.gz"))


def _raw(path: Path) -> Any:
    from nkwatch.record import RawDocument

    return RawDocument(
        location=str(path),
        content=gzip.decompress(path.read_bytes()),
        url=f"https://news.example.org/{path.name[:16]}",
        fetched_at=_FETCHED,
    )


def _digest(items: Any) -> str:
    return hashlib.sha256(json.dumps(items, sort_keys=True, default=str).encode()).hexdigest()


def cmd_prepare(args: argparse.Namespace) -> dict[str, Any]:
    """Extract the pages once (texts for the other commands) and fill a digest store."""
    from nkwatch.errors import NkwatchError
    from nkwatch.extract import extract_document
    from nkwatch.store import SQLiteStore

    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    texts = []
    for path in _pages(Path(args.pages)):
        try:
            articles = extract_document(_raw(path))
        except NkwatchError:
            continue
        for article in articles:
            if not article.is_digest_page:
                texts.append(
                    {"title": article.title or "", "text": article.text, "page": path.name}
                )
    (out / "texts.json").write_text(json.dumps(texts))
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from digest import fill

    with tempfile.TemporaryDirectory() as name, SQLiteStore(out / "digest.db") as store:
        fill(store, args.digest_size, Path(name))
    return {"texts": len(texts), "digest_store": args.digest_size}


def _counting(module: Any, name: str, counts: dict[str, int]) -> None:
    original = getattr(module, name)

    def counted(*a: Any, **k: Any) -> Any:
        counts[name] += 1
        return original(*a, **k)

    setattr(module, name, counted)


def cmd_extraction(args: argparse.Namespace) -> dict[str, Any]:
    """Pages per second of the extraction stage, with whole-page parses and trafilatura passes."""
    import lxml.html
    import trafilatura
    import trafilatura.utils

    counts = {"document_fromstring": 0, "fromstring": 0, "bare_extraction": 0}
    _counting(lxml.html, "document_fromstring", counts)
    _counting(trafilatura, "bare_extraction", counts)
    _counting(trafilatura.utils, "fromstring", counts)  # load_html and readability's re-parse

    from nkwatch.errors import NkwatchError
    from nkwatch.extract import extract_document

    raws = [_raw(path) for path in _pages(Path(args.pages))]
    produced = []
    started = time.perf_counter()
    for raw in raws:
        try:
            produced.append(
                [[a.title, a.text, a.published, a.outlet, a.origin] for a in extract_document(raw)]
            )
        except NkwatchError as exc:
            produced.append(str(exc))
    seconds = time.perf_counter() - started
    return {
        "pages": len(raws),
        "pages_per_s": round(len(raws) / seconds, 2),
        **{f"{name}_calls": value for name, value in counts.items()},
        "output": _digest(produced),
    }


def _vary(text: str, rng: random.Random, share: float) -> str:
    words = text.split(" ")
    for position in rng.sample(range(len(words)), k=max(1, int(len(words) * share))):
        words[position] = rng.choice(words)
    return " ".join(words)


def cmd_dedup(args: argparse.Namespace) -> dict[str, Any]:
    """De-duplication of a fresh store of ``size`` articles: ms and SQL statements per article."""
    from nkwatch.dedup import Deduplicator
    from nkwatch.record import Article
    from nkwatch.store import SQLiteStore

    texts = json.loads(Path(args.texts).read_text())
    rng = random.Random(5)
    articles = []
    copies = max(1, args.size // len(texts))
    for copy in range(copies):
        for number, item in enumerate(texts):
            if len(articles) == args.size:
                break
            text = item["text"] if copy == 0 else _vary(item["text"], rng, 0.1)
            articles.append(
                Article(
                    text=text,
                    title=item["title"],
                    url=f"https://news.example.org/{copy}/{number}",
                    outlet=f"Outlet {number % 17}",
                    published=_FETCHED - timedelta(hours=len(articles)),
                    fetched_at=_FETCHED,
                    source=f"{copy}/{number}",
                    source_key=f"{copy}/{number}",
                )
            )
    with tempfile.TemporaryDirectory() as name, SQLiteStore(Path(name) / "d.db") as store:
        store.save_articles(articles)
        statements = {"select": 0, "all": 0}

        def trace(sql: str) -> None:
            statements["all"] += 1
            if sql.lstrip().upper().startswith("SELECT"):
                statements["select"] += 1

        pending = store.articles_without_fingerprint()
        dedup = Deduplicator(store)
        tenth = max(1, len(pending) // 10)
        store._db.set_trace_callback(trace)
        started, cpu_started = time.perf_counter(), time.process_time()
        last_started, last_cpu = started, cpu_started
        for position, article in enumerate(pending):
            if position == len(pending) - tenth:
                last_started, last_cpu = time.perf_counter(), time.process_time()
            dedup.check(article)
        ended, cpu_ended = time.perf_counter(), time.process_time()
        store._db.set_trace_callback(None)
        links = [(a.id, a.duplicate_of, a.duplicate_kind) for a in store.iter_articles()]
    return {
        "articles": len(pending),
        "ms_per_article": round(1000 * (ended - started) / len(pending), 2),
        "ms_per_article_last_tenth": round(1000 * (ended - last_started) / tenth, 2),
        # CPU time: on a shared machine wall time moves with the other jobs' load.
        "cpu_ms_per_article": round(1000 * (cpu_ended - cpu_started) / len(pending), 2),
        "cpu_ms_per_article_last_tenth": round(1000 * (cpu_ended - last_cpu) / tenth, 2),
        "selects_per_article": round(statements["select"] / len(pending), 1),
        "statements_per_article": round(statements["all"] / len(pending), 1),
        "duplicates": sum(1 for _, of, _ in links if of is not None),
        "output": _digest(links),
    }


def cmd_summaries(args: argparse.Namespace) -> dict[str, Any]:
    """Article summaries of every text (each scorer) and story summaries of groups of texts."""
    from nkwatch.summarize import StoryMember, summarize_article, summarize_story

    texts = json.loads(Path(args.texts).read_text())
    produced: list[Any] = []
    started = time.perf_counter()
    for number, item in enumerate(texts):
        produced.append(
            summarize_article(title=item["title"], text=item["text"], article_id=number)
        )
    article_seconds = time.perf_counter() - started
    for method in ("lead", "textrank", "lexrank"):
        for number, item in enumerate(texts[:60]):
            produced.append(
                summarize_article(
                    title=item["title"], text=item["text"], article_id=number, method=method
                )
            )
    members = [
        StoryMember(n, t["title"], t["text"], _FETCHED - timedelta(hours=n), f"Outlet {n % 5}")
        for n, t in enumerate(texts)
    ]
    started = time.perf_counter()
    for start in range(0, len(members), 6):
        produced.append(summarize_story(members[start : start + 6]))
    story_seconds = time.perf_counter() - started
    return {
        "articles": len(texts),
        "ms_per_article": round(1000 * article_seconds / len(texts), 2),
        "ms_per_story_of_6": round(1000 * story_seconds / len(range(0, len(members), 6)), 2),
        "output": _digest(
            [[(s.text, s.article_id, s.sentence_index, s.score) for s in r] for r in produced]
        ),
    }


def cmd_enrich(args: argparse.Namespace) -> dict[str, Any]:
    """Enrichment (themes, entities, figures) of every text: ms per article."""
    from nkwatch.enrich.apply import enrich_article
    from nkwatch.enrich.profile import load_profile
    from nkwatch.record import Article

    texts = json.loads(Path(args.texts).read_text())
    profile = load_profile()
    articles = [
        Article(text=t["text"], title=t["title"], id=n, source_key=str(n))
        for n, t in enumerate(texts)
    ]
    enrich_article(articles[0], profile=profile)  # the profile's indexes are built once
    started = time.perf_counter()
    produced = [enrich_article(article, profile=profile) for article in articles]
    seconds = time.perf_counter() - started
    return {
        "articles": len(articles),
        "ms_per_article": round(1000 * seconds / len(articles), 2),
        "output": _digest(produced),
    }


def cmd_protection(args: argparse.Namespace) -> dict[str, Any]:
    """Identity protection's analysis of every text: ms per article (the Korean model and the
    profile's matchers are loaded before the clock starts)."""
    from nkwatch.enrich.profile import load_profile
    from nkwatch.protect.stage import Protector

    texts = json.loads(Path(args.texts).read_text())
    Protector(load_profile()).analyse("Kim Chol-su, 34, a defector; 김철수 씨")
    protector = Protector(load_profile())  # a fresh one: its own cache of analyses is empty
    started = time.perf_counter()
    produced = [
        [(d.kind, d.start, d.end, d.protected) for d in protector.analyse(t["text"]).detections]
        for t in texts
    ]
    seconds = time.perf_counter() - started
    return {
        "articles": len(texts),
        "ms_per_article": round(1000 * seconds / len(texts), 2),
        "output": _digest(produced),
    }


def cmd_digest(args: argparse.Namespace) -> dict[str, Any]:
    """One-day digest of a filled store (``prepare``), built twice: the second build is timed."""
    from nkwatch.enrich.profile import load_profile
    from nkwatch.publish.digest import build_digest, parse_since, render
    from nkwatch.store import SQLiteStore

    profile = load_profile()
    with tempfile.TemporaryDirectory() as name:
        copy = Path(name) / "digest.db"
        shutil.copy(args.store, copy)
        with SQLiteStore(copy) as store:
            until = store.latest_date()
            assert until is not None
            since = parse_since("1d", until=until)
            build_digest(store, profile=profile, since=since, until=until)
            started = time.perf_counter()
            digest = build_digest(store, profile=profile, since=since, until=until)
            seconds = time.perf_counter() - started
            # The "Generated <time>" line is the only part that changes from run to run.
            markdown = re.sub(r"Generated [0-9-]+ [0-9:]+ UTC", "", render(digest, "md"))
    return {
        "stories": len(digest.stories),
        "build_s": round(seconds, 3),
        "output": hashlib.sha256(markdown.encode()).hexdigest(),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    prepare = commands.add_parser("prepare")
    prepare.add_argument("--out", required=True)
    prepare.add_argument("--pages", default=str(PAGES))
    prepare.add_argument("--digest-size", type=int, default=20_000)
    extraction = commands.add_parser("extraction")
    extraction.add_argument("--pages", default=str(PAGES))
    dedup = commands.add_parser("dedup")
    dedup.add_argument("--texts", required=True)
    dedup.add_argument("--size", type=int, default=181)
    summaries = commands.add_parser("summaries")
    summaries.add_argument("--texts", required=True)
    enrich = commands.add_parser("enrich")
    enrich.add_argument("--texts", required=True)
    protection = commands.add_parser("protection")
    protection.add_argument("--texts", required=True)
    digest = commands.add_parser("digest")
    digest.add_argument("--store", required=True)
    args = parser.parse_args(argv)
    handler = {
        "prepare": cmd_prepare,
        "extraction": cmd_extraction,
        "dedup": cmd_dedup,
        "summaries": cmd_summaries,
        "enrich": cmd_enrich,
        "protection": cmd_protection,
        "digest": cmd_digest,
    }[args.command]
    print(json.dumps({"command": args.command, **handler(args)}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
