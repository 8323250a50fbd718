"""A large store's read costs: in-process search, a one-day digest, and peak memory.

    python bench/scale.py fill --size 1000000 --db /tmp/scale1m.db
    python bench/scale.py settle --db /tmp/scale100k.db
    python bench/scale.py replicate --source /tmp/scale100k.db --db /tmp/replica1m.db
    python bench/scale.py rekey --db /tmp/replica1m.db
    python bench/scale.py measure --db /tmp/scale1m.db [--queries 40]

``fill`` builds the store of ``bench/digest.py`` (the synthetic stream of
``bench/throughput.py``: two years of events varied from the sample corpus, de-duplicated and
clustered, each article carrying a sample article's enrichment) and prints its time and the
process's peak memory. Its de-duplication runs at about 130 articles a second, so a million
articles take hours.

``settle`` brings such a store, in place, to what ``nkwatch ingest`` with this code leaves
behind (see :func:`settle`): a new page ingested into it then costs that page alone.

``replicate`` builds a store ten times larger from a processed one in minutes, at the SQL level
(see :func:`replicate`). What it is: ten copies of every article and of everything stored about
it (enrichment, entity mentions, figures, de-duplication fingerprints and LSH rows, stories and
their members, storylines, article and story summaries, protection analyses, full-text index
rows, recorded digests), each older copy moved back in time by the source's span rounded up to
whole days, so that the store covers ten times the period at the same daily volume and its
latest day is the source's latest day. Ids are fresh and grow with time (the newest copy has the
highest, as arrival order would give); every reference (duplicates, parents, stories,
storylines, summary sentences, the clusterer's members) points inside its own copy; source
keys, URLs and content hashes differ per copy. The clusterer's active state is the newest
copy's: the older copies' stories are retired, as stories older than a few months are in a
store filled by the pipeline. The store's logs and settings (runs, fetches, rejections,
watches, validators, the texts' protection analyses keyed by text) are kept once.

What it is not: the pipeline's output over ten times the material. Every text appears ten
times (the full-text index holds ten documents per text, LSH buckets ten members per key,
and the copies of one text are not marked duplicates of each other, as the pipeline would
mark them); story summaries' input digests are the source's (a story that changes is
summarised again, as it would be); the clusterer has read the newest copy only. Use it for
what depends on the number of rows (index depth, scans, memory), not for what depends on
their content (de-duplication or clustering quality).

``rekey`` labels a settled store's enrichment and protection analyses as made by this code
(see :func:`rekey`): for timing a store across a change to the package, never for its contents.

``measure`` opens a store in a new process and prints:

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
from typing import Any

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


#: Tables copied once per copy, with the columns that change (an SQL expression over the source
#: row; ``{ids}`` and ``{stories}`` are the copy's id offsets, ``{age}`` its number, 0 the
#: newest); the other columns are copied as they are. A time column moves back by the copy's
#: offset. A table whose own ``id`` is listed as ``None`` gets fresh ids.
PER_COPY: dict[str, dict[str, str | None]] = {
    "articles": {
        "id": "id + {ids}",
        "parent_id": "parent_id + {ids}",
        "duplicate_of": "duplicate_of + {ids}",
        "story_id": "CASE WHEN story_id > 0 THEN story_id + {stories} ELSE story_id END",
        "source_key": "replica_key(source_key, {age})",
        "url": "replica_url(url, {age})",
        "canonical_url": "replica_url(canonical_url, {age})",
        "canonical_key": "replica_url(canonical_key, {age})",
        "origin_url": "replica_url(origin_url, {age})",
        "content_hash": "replica_hash(content_hash, {age})",
    },
    "fingerprints": {"article_id": "article_id + {ids}"},
    "lsh_buckets": {"article_id": "article_id + {ids}"},
    "enrichment": {"article_id": "article_id + {ids}"},
    "entity_mentions": {"article_id": "article_id + {ids}"},
    "summaries": {
        "article_id": "article_id + {ids}",
        "content_hash": "replica_hash(content_hash, {age})",
    },
    "protection_analyses": {"article_id": "article_id + {ids}"},
    "pending_work": {"article_id": "article_id + {ids}"},
    "failures": {"id": None, "article_id": "article_id + {ids}"},
    "stories": {"id": "id + {stories}", "storyline_id": "storyline_id + {stories}"},
    "story_summaries": {
        "story_id": "story_id + {stories}",
        "sentences": "replica_sentences(sentences, {ids})",
    },
    "digests": {"id": None, "stories": "replica_digest(stories, {stories})"},
}
#: Tables that hold the newest copy's rows only: the clusterer's active state, and the alerts
#: (each names the article and story that raised it).
NEWEST: dict[str, dict[str, str | None]] = {
    "cluster_header": {"header": "replica_header(header, {stories})"},
    "cluster_stories": {
        "story_id": "story_id + {stories}",
        "state": "replica_members(state, {ids})",
    },
    "cluster_terms": {},
    "alerts": {"story_id": "story_id + {stories}", "article_id": "article_id + {ids}"},
}
#: Tables kept as they are: settings, logs and what is keyed by text rather than by article.
ONCE = (
    "rejections",
    "fetches",
    "http_validators",
    "runs",
    "watches",
    "ingest_progress",
    "protection_log",
    "unprotected_exports",
    "protection_texts",
    "pending_marks",
)
#: Tables stored by their primary key (no rowid to copy them in order of).
WITHOUT_ROWID = frozenset({"pending_work"})
#: The time columns of each table copied per copy (ISO 8601 text in UTC, as the store writes).
TIMES: dict[str, tuple[str, ...]] = {
    "articles": ("published", "fetched_at", "stored_at", "updated_at"),
    "enrichment": ("updated_at",),
    "entity_mentions": ("seen",),
    "failures": ("first_seen", "last_seen"),
    "stories": ("first_seen", "last_seen", "updated_at"),
    "story_summaries": ("story_updated",),
    "digests": ("since", "until", "created_at"),
}


def _replica_url(url: str | None, age: int) -> str | None:
    from urllib.parse import urlsplit, urlunsplit

    if url is None or age == 0:
        return url
    parts = urlsplit(url)
    query = f"{parts.query}&replica={age}" if parts.query else f"replica={age}"
    return urlunsplit((parts.scheme, parts.netloc, parts.path, query, parts.fragment))


def _replica_hash(digest: str | None, age: int) -> str | None:
    import hashlib

    if digest is None or age == 0:
        return digest
    return hashlib.sha256(f"{digest}#replica-{age}".encode()).hexdigest()


def _replica_sentences(text: str, offset: int) -> str:
    import json

    rows = json.loads(text)
    for row in rows:  # [sentence, article id, index, score]
        row[1] = int(row[1]) + offset
    return json.dumps(rows, ensure_ascii=False)


def _replica_digest(text: str, offset: int) -> str:
    import json

    return json.dumps({str(int(k) + offset): v for k, v in json.loads(text).items()})


def _replica_header(text: str, offset: int) -> str:
    import json

    header = json.loads(text)
    header["next_id"] = int(header["next_id"]) + offset
    return json.dumps(header, separators=(",", ":"), ensure_ascii=False)


def _replica_members(blob: bytes, offset: int) -> bytes:
    import json

    state = json.loads(blob.decode("utf-8"))
    for member in state["members"]:
        member["id"] = str(int(member["id"]) + offset)
    return json.dumps(state, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def _columns(conn: Any, schema: str, table: str) -> list[str]:
    return [row[1] for row in conn.execute(f'PRAGMA {schema}.table_info("{table}")')]


def _select(
    conn: Any,
    table: str,
    changes: dict[str, str | None],
    *,
    ids: int,
    stories: int,
    age: int,
    days: int,
) -> tuple[str, str]:
    """The column list and SELECT expressions of one table's copy."""
    columns, values = [], []
    for column in _columns(conn, "src", table):
        if column in changes and changes[column] is None:
            continue
        value = changes.get(column) or f'"{column}"'
        if column in TIMES.get(table, ()) and days:
            value = f"strftime('%Y-%m-%dT%H:%M:%S', {value}, '-{days} days') || '+00:00'"
        columns.append(f'"{column}"')
        values.append(value.format(ids=ids, stories=stories, age=age))
    return ", ".join(columns), ", ".join(values)


def replicate(source: Path, db: Path, *, copies: int = 10) -> dict[str, int]:
    """Build ``db``: ``copies`` copies of the processed store ``source`` (see the module's
    docstring for what the result is and is not); returns the rows of each table."""
    import math
    import sqlite3
    from datetime import datetime

    from nkwatch.store import SQLiteStore
    from nkwatch.store.migrations import MIGRATIONS

    if db.exists():
        raise SystemExit(f"{db} exists: remove it first")
    started = time.perf_counter()
    with sqlite3.connect(f"file:{source}?mode=ro", uri=True) as check:
        done = {row[0] for row in check.execute("SELECT number FROM migrations")}
        tables = {
            row[0]
            for row in check.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' "
                "AND name NOT LIKE 'articles_fts%' AND name NOT LIKE 'sqlite_%'"
            )
        }
    if done != {m.number for m in MIGRATIONS}:
        raise SystemExit(f"{source}: open it once with this code first (its migrations differ)")
    unknown = tables - set(PER_COPY) - set(NEWEST) - set(ONCE) - {"migrations"}
    if unknown:
        raise SystemExit(f"tables this command does not know how to copy: {sorted(unknown)}")
    SQLiteStore(db).close()  # the schema, made by the store's own migrations

    conn = sqlite3.connect(db, isolation_level=None)
    try:
        conn.execute("PRAGMA journal_mode=DELETE")
        conn.execute("PRAGMA journal_mode=OFF")  # a failed build is removed, not recovered
        conn.execute("PRAGMA synchronous=OFF")
        conn.execute("PRAGMA cache_size=-262144")
        conn.execute("ATTACH DATABASE ? AS src", (f"file:{source}?mode=ro",))
        conn.create_function("replica_key", 2, lambda k, a: k if a == 0 else f"{k}#replica-{a}")
        conn.create_function("replica_url", 2, _replica_url)
        conn.create_function("replica_hash", 2, _replica_hash)
        conn.create_function("replica_sentences", 2, _replica_sentences)
        conn.create_function("replica_digest", 2, _replica_digest)
        conn.create_function("replica_header", 2, _replica_header)
        conn.create_function("replica_members", 2, _replica_members)
        first, last, articles = conn.execute(
            "SELECT min(published), max(published), coalesce(max(id), 0) FROM src.articles"
        ).fetchone()
        span = datetime.fromisoformat(last) - datetime.fromisoformat(first)
        days = max(1, math.ceil(span.total_seconds() / 86400))
        stories = conn.execute(
            "SELECT max(coalesce((SELECT max(id) FROM src.stories), 0), "
            "coalesce((SELECT max(storyline_id) FROM src.stories), 0))"
        ).fetchone()[0]
        # Indexes are built once at the end (sorted), not row by row; the full-text index is
        # filled by the store's own trigger as each article row is inserted.
        indexes = conn.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL "
            "AND tbl_name IN (SELECT name FROM sqlite_master WHERE type = 'table')"
        ).fetchall()
        for name, _ in indexes:
            conn.execute(f'DROP INDEX "{name}"')
        conn.execute("DELETE FROM migrations")
        conn.execute("INSERT INTO migrations SELECT * FROM src.migrations")
        plan = [(t, c, copies) for t, c in PER_COPY.items()]
        plan += [(t, c, 1) for t, c in NEWEST.items()]
        plan += [(t, {}, 1) for t in ONCE]
        for table, changes, count in plan:
            for age in reversed(range(count)):
                newest = copies - 1 if count == 1 and table in NEWEST else copies - 1 - age
                offsets = (articles * newest, stories * newest) if table not in ONCE else (0, 0)
                names, values = _select(
                    conn,
                    table,
                    changes,
                    ids=offsets[0],
                    stories=offsets[1],
                    age=age,
                    days=age * days,
                )
                conn.execute("BEGIN")
                order = "" if table in WITHOUT_ROWID else " ORDER BY rowid"
                conn.execute(
                    f'INSERT INTO "{table}" ({names}) SELECT {values} FROM src."{table}"{order}'
                )
                conn.execute("COMMIT")
            print(f"  {table}: {time.perf_counter() - started:.0f} s", flush=True)
        for _, sql in indexes:
            conn.execute(sql)
        print(f"  indexes: {time.perf_counter() - started:.0f} s", flush=True)
        conn.execute("DETACH DATABASE src")
        conn.execute("PRAGMA journal_mode=WAL")
        counts = {
            t: conn.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0]
            for t in [*PER_COPY, *NEWEST, *ONCE]
        }
    finally:
        conn.close()
    print(
        f"{copies} copies of {source} ({days} days each) in {time.perf_counter() - started:.0f} s, "
        f"{db.stat().st_size / 2**30:.2f} GiB: {db}"
    )
    return counts


def settle(db: Path) -> None:
    """Bring a filled store to what ``nkwatch ingest`` with this code would leave: no backlog.

    The fill clusters with the library's default settings and keys the enrichment it borrows
    with the code of its day, so the first ``nkwatch ingest`` into it starts a fresh clusterer
    and redoes every article. Here the borrowed enrichment is made again with this code and
    the same draw as ``bench/digest.py``; the stories are formed again with the settings
    ``nkwatch ingest`` reads; then the pipeline's later stages run over the store (summaries,
    story summaries, protection analyses) on the default executor.
    """
    from digest import borrowed_enrichment

    from nkwatch.cluster.persist import assign_stories
    from nkwatch.config import load_settings
    from nkwatch.executors import make_executor
    from nkwatch.pipeline import retry
    from nkwatch.store import SQLiteStore

    settings = load_settings(db_path=str(db))
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as name, SQLiteStore(db) as store:
        key, templates = borrowed_enrichment(Path(name))
        rng = random.Random(11)
        ids = [row[0] for row in store._db.execute("SELECT id FROM articles ORDER BY id")]
        for start in range(0, len(ids), 2_000):
            with store.transaction():
                for article_id in ids[start : start + 2_000]:
                    store.save_enrichment(article_id, key, rng.choice(templates))
        print(f"enrichment borrowed again: {time.perf_counter() - started:.0f} s")
        with store.transaction():
            for sql in (
                "UPDATE articles SET story_id = NULL WHERE story_id IS NOT NULL",
                "DELETE FROM stories",
                "DELETE FROM story_summaries",
                "DELETE FROM cluster_header",
                "DELETE FROM cluster_stories",
                "DELETE FROM cluster_terms",
            ):
                store._db.execute(sql)
        report = assign_stories(store, settings=settings.cluster)
        print(f"stories formed again ({report}): {time.perf_counter() - started:.0f} s")
        executor = make_executor(None)
        try:
            retry(settings=settings, store=store, executor=executor, command="settle")
        finally:
            executor.close()
    print(f"settled in {time.perf_counter() - started:.0f} s, peak {peak_mib():.0f} MiB: {db}")


def rekey(db: Path) -> None:
    """Label every stored enrichment and protection analysis as made by this code, in place.

    For timing only: after a change to the package the stored results of a settled store are
    stale under the new keys, and the next ``nkwatch ingest`` would redo all of them (hours at
    1,000,000 articles). The contents stay those of the code that made them; only the keys
    the pending-work lists compare change. Never use it on a store whose contents matter.
    """
    from nkwatch.config import load_settings
    from nkwatch.enrich.apply import profile_key
    from nkwatch.enrich.profile import load_profile
    from nkwatch.protect.stage import Protector
    from nkwatch.store import SQLiteStore

    settings = load_settings(db_path=str(db))
    profile = load_profile(settings.enrich.profile or None)
    key = profile_key(profile, tuple(settings.outlets.values()))
    version = Protector(profile).version
    started = time.perf_counter()
    with SQLiteStore(db) as store, store.transaction():
        enrichment = store._db.execute(
            "UPDATE enrichment SET profile = ? WHERE profile != ?", (key, key)
        ).rowcount
        analyses = store._db.execute(
            "UPDATE protection_analyses SET version = ? WHERE version != ?", (version, version)
        ).rowcount
    print(
        f"relabelled {enrichment} enrichments ({key}) and {analyses} protection analyses "
        f"({version}) in {time.perf_counter() - started:.0f} s: {db}"
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
    copied = sub.add_parser("replicate", help="ten copies of a processed store, in time")
    copied.add_argument("--source", type=Path, required=True)
    copied.add_argument("--db", type=Path, required=True)
    copied.add_argument("--copies", type=int, default=10)
    settled = sub.add_parser("settle", help="no backlog for nkwatch ingest (in place)")
    settled.add_argument("--db", type=Path, required=True)
    relabelled = sub.add_parser("rekey", help="stored results labelled as this code's (timing)")
    relabelled.add_argument("--db", type=Path, required=True)
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
    elif args.command == "replicate":
        replicate(args.source, args.db, copies=args.copies)
    elif args.command == "settle":
        settle(args.db)
    elif args.command == "rekey":
        rekey(args.db)
    else:
        measure(args.db, args.queries, digest=not args.no_digest)
    return 0


if __name__ == "__main__":
    sys.exit(main())
