"""The executors: the same input gives the same store on each; a worker's death is an
ExecutorError with its own exit status; a killed back-fill resumes with nothing lost or doubled."""

from __future__ import annotations

import gzip
import os
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from functools import partial
from io import BytesIO
from operator import attrgetter
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

import nkwatch.executors as executors_module
import nkwatch.runner as runner_module
from bench.kills import differences, small_corpus, snapshot
from nkwatch.cli import cli
from nkwatch.config import Settings, load_settings
from nkwatch.errors import ExecutorError
from nkwatch.executors import (
    DaskExecutor,
    Executor,
    InProcessExecutor,
    PoolExecutor,
    make_executor,
)
from nkwatch.pipeline import Pipeline
from nkwatch.record import Article
from nkwatch.runner import Ahead
from nkwatch.store import SQLiteStore

PAGES = Path(__file__).resolve().parents[2] / "shared" / "benchmarks" / "extraction" / "html"


def real_pages(count: int) -> list[tuple[str, bytes]]:
    """The first ``count`` real pages of the shared extraction benchmark, in name order."""
    files = sorted(PAGES.glob("*.html.gz"))[:count]
    if len(files) < count:
        pytest.skip("the shared extraction benchmark is not available")
    return [
        (f"https://archive.example/{p.name[:16]}", gzip.decompress(p.read_bytes())) for p in files
    ]


def write_warc(path: Path, pages: list[tuple[str, bytes]]) -> Path:
    """A gzipped WARC of HTTP 200 responses holding ``pages``."""
    with path.open("wb") as handle:
        writer = WARCWriter(handle, gzip=True)
        for index, (url, body) in enumerate(pages):
            headers = StatusAndHeaders(
                "200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1"
            )
            when = datetime(2026, 1, 1, tzinfo=UTC).replace(minute=index % 60)
            record = writer.create_warc_record(
                url,
                "response",
                payload=BytesIO(body),
                length=len(body),
                http_headers=headers,
                warc_headers_dict={"WARC-Date": when.strftime("%Y-%m-%dT%H:%M:%SZ")},
            )
            writer.write_record(record)
    return path


@pytest.fixture
def small_tasks(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tasks of a few inputs and short pages of pending work: every path of the runner runs
    (many tasks in flight, several pages and batches) on a small input."""
    monkeypatch.setattr(runner_module, "DOCUMENTS_PER_TASK", 2)
    monkeypatch.setattr(runner_module, "ARTICLES_PER_TASK", 3)
    monkeypatch.setattr(runner_module, "PAGE", 7)


def _settings(db: Path) -> Settings:
    settings = load_settings(db_path=str(db))
    from dataclasses import replace

    return replace(settings, ingest=replace(settings.ingest, batch=5))


def _ingest_with(executor: Executor, db: Path, *specs: Path) -> dict[str, Any]:
    settings = _settings(db)
    with SQLiteStore(db) as store:
        pipeline = Pipeline(settings, store, allow_network=False, executor=executor)
        report = pipeline.ingest([str(s) for s in specs])
    assert report.internal_errors == 0
    state = snapshot(db)
    connection = sqlite3.connect(db)
    try:
        state["story_members"] = connection.execute(
            "SELECT story_id, group_concat(id) FROM "
            "(SELECT story_id, id FROM articles ORDER BY story_id, id) AS ordered "
            "GROUP BY story_id ORDER BY story_id"
        ).fetchall()
        state["duplicates"] = connection.execute(
            "SELECT id, duplicate_of, duplicate_kind, duplicate_similarity FROM articles "
            "WHERE duplicate_of IS NOT NULL ORDER BY id"
        ).fetchall()
        state["protection"] = connection.execute(
            "SELECT article_id, text_hash, version, detections FROM protection_analyses "
            "ORDER BY article_id"
        ).fetchall()
    finally:
        connection.close()
    return state


def test_the_store_does_not_depend_on_the_executor(tmp_path: Path, small_tasks: None) -> None:
    warc = write_warc(tmp_path / "archive.warc.gz", real_pages(16))
    corpus = small_corpus(tmp_path, size=16)  # pages about shared stories
    first_text = sorted(corpus.glob("*.txt"))[0]
    (corpus / "copy.txt").write_bytes(first_text.read_bytes())  # and an exact copy
    states = {}
    states["inprocess"] = _ingest_with(InProcessExecutor(), tmp_path / "a.db", warc, corpus)
    with PoolExecutor(2) as pool:
        states["pool"] = _ingest_with(pool, tmp_path / "b.db", warc, corpus)
    with DaskExecutor(workers=2, processes=False) as dask:
        states["dask"] = _ingest_with(dask, tmp_path / "c.db", warc, corpus)
    base = states["inprocess"]
    assert len(base["articles"]) >= 25
    assert base["duplicates"], "the corpus should hold copies"
    assert any(len(m[1].split(",")) > 1 for m in base["story_members"])
    assert any(figures != "[]" for _, _, _, figures in base["enrichment"])
    assert len(base["summaries"]) == len(base["articles"])
    assert len(base["protection"]) == len(base["articles"])
    assert any(detections != "[]" for *_, detections in base["protection"])
    for name in ("pool", "dask"):
        assert differences(base, states[name]) == [], name


def test_results_come_back_in_order_whatever_finishes_first() -> None:
    with PoolExecutor(2) as pool:
        assert list(pool.map(abs, range(-50, 0))) == list(range(50, 0, -1))
    with DaskExecutor(workers=2, processes=False) as dask:
        assert list(dask.map(abs, range(-30, 0))) == list(range(30, 0, -1))


def test_a_dead_pool_worker_is_an_executor_error() -> None:
    with PoolExecutor(2) as pool, pytest.raises(ExecutorError, match="worker process"):
        list(pool.map(os._exit, [3, 3, 3]))


def test_unknown_or_unreachable_executors_are_reported(monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(ExecutorError, match="unknown executor 'threads'"):
        make_executor("threads")
    with pytest.raises(ExecutorError, match="--workers"):
        make_executor("pool", workers=0)
    monkeypatch.setattr(executors_module, "_CONNECT_SECONDS", 0.5)
    with pytest.raises(ExecutorError, match=r"cannot reach the Dask scheduler at tcp://127\.0"):
        make_executor("tcp://127.0.0.1:9")


def test_an_executor_error_has_its_own_exit_status(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "a.txt").write_text("Rice prices\n\n" + "Rice prices rose again. " * 20)
    monkeypatch.setattr(executors_module, "_CONNECT_SECONDS", 0.5)
    result = CliRunner().invoke(
        cli,
        [
            "--db",
            str(tmp_path / "t.db"),
            "--executor",
            "tcp://127.0.0.1:9",
            "ingest",
            str(tmp_path),
        ],
    )
    assert result.exit_code == 6, result.output
    assert "cannot reach the Dask scheduler" in result.output


def test_the_pool_runs_the_command_line_ingest(tmp_path: Path) -> None:
    corpus = small_corpus(tmp_path, size=8)
    result = CliRunner().invoke(
        cli,
        [
            "--db",
            str(tmp_path / "t.db"),
            "--executor",
            "pool",
            "--workers",
            "2",
            "ingest",
            str(corpus),
        ],
    )
    assert result.exit_code == 0, result.output
    assert "stored 8" in result.output


def _progress(db: Path) -> int:
    try:
        connection = sqlite3.connect(db, timeout=1)
        try:
            row = connection.execute("SELECT max(records) FROM ingest_progress").fetchone()
        finally:
            connection.close()
    except sqlite3.OperationalError:
        return 0  # not created yet
    return int(row[0] or 0) if row else 0


def _killed_backfill(db: Path, archives: Path, config: Path) -> int:
    """Start a pool back-fill, SIGKILL it once a batch is committed; the records committed."""
    marker = f"NKWATCH_TEST_RUN={db.parent.name}-{os.getpid()}"
    name, value = marker.split("=")
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "nkwatch.cli",
            "--db",
            str(db),
            "--config",
            str(config),
            "--executor",
            "pool",
            "--workers",
            "2",
            "-q",
            "ingest",
            str(archives),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env={**os.environ, name: value},
    )
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and process.poll() is None:
            if _progress(db) > 0:
                os.kill(process.pid, signal.SIGKILL)
                break
            time.sleep(0.02)
        process.wait(timeout=60)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    assert process.returncode == -signal.SIGKILL, "the run ended before it could be killed"
    _assert_workers_follow(marker)
    return _progress(db)


def _assert_workers_follow(marker: str) -> None:
    """The killed run's pool workers (and their fork server) exit within a few seconds."""
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        left = [
            entry.name
            for entry in Path("/proc").iterdir()
            if entry.name.isdigit() and _pool_of(entry, marker)
        ]
        if not left:
            return
        time.sleep(0.2)
    raise AssertionError(f"pool processes of the killed run still running: {left}")


def _pool_of(entry: Path, marker: str) -> bool:
    """Whether a /proc entry is a fork server or worker started by the marked run."""
    try:
        command = (entry / "cmdline").read_bytes()
        environ = (entry / "environ").read_bytes()
    except OSError:
        return False
    return b"multiprocessing.forkserver" in command and marker.encode() in environ


def _archives(folder: Path) -> Iterator[Path]:
    pages = real_pages(40)
    folder.mkdir()
    yield write_warc(folder / "part-1.warc.gz", pages[:25])
    yield write_warc(folder / "part-2.warc.gz", pages[25:])


def test_a_killed_backfill_resumes_with_nothing_lost_or_doubled(tmp_path: Path) -> None:
    archives = tmp_path / "archives"
    list(_archives(archives))
    config = tmp_path / "nkwatch.toml"
    config.write_text("[ingest]\nbatch = 4\n")
    baseline = tmp_path / "baseline.db"
    _ingest_with(InProcessExecutor(), baseline, archives)

    db = tmp_path / "killed.db"
    committed = _killed_backfill(db, archives, config)
    assert 0 < committed < 25
    again = subprocess.run(
        [
            sys.executable,
            "-m",
            "nkwatch.cli",
            "--db",
            str(db),
            "--config",
            str(config),
            "ingest",
            str(archives),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert again.returncode == 0, again.stderr
    assert f"resumed: {committed} archive records" in again.stdout
    final, expected = snapshot(db), snapshot(baseline)
    assert final["duplicated_articles"] == 0 and final["integrity"] == "ok"
    assert differences(expected, final) == []
    assert _progress(db) == 0  # both archives were read to their end: no resume point left


def _ahead_ids(executor: Executor, articles: list[Article]) -> Ahead[Any]:
    task = partial(runner_module.per_article, attrgetter("id"), None)
    return Ahead(executor, task, [articles[i : i + 3] for i in range(0, len(articles), 3)], 2)


def test_a_stage_run_ahead_keeps_its_order_beside_another_stage() -> None:
    articles = [Article(text=f"text {i}", id=i) for i in range(1, 41)]
    with PoolExecutor(2) as pool:
        ahead = _ahead_ids(pool, articles)
        # the line's own work on the same pool at the same time
        assert list(pool.map(abs, range(-60, 0))) == list(range(60, 0, -1))
        done = [(chunk, outcomes) for chunk, outcomes in ahead.results()]
    assert [a.id for chunk, _ in done for a in chunk] == list(range(1, 41))
    assert [o.value for _, outcomes in done for o in outcomes] == list(range(1, 41))


def test_a_stage_run_ahead_keeps_failures_and_stops_when_cancelled() -> None:
    articles = [Article(text="a", id=1), Article(text="b", id=None), Article(text="c", id=3)]
    task = partial(runner_module.per_article, attrgetter("id.bit_length"), None)
    outcomes = [
        o for _, chunk in Ahead(InProcessExecutor(), task, [articles], 1).results() for o in chunk
    ]
    assert [o.failed for o in outcomes] == [False, True, False]
    assert outcomes[1].error_class == "AttributeError"

    handed: list[list[Article]] = []

    def slow(chunk: list[Article]) -> list[Any]:
        handed.append(chunk)
        time.sleep(0.05)
        return []

    ahead = Ahead(InProcessExecutor(), slow, [[a] for a in articles * 10], 1)
    ahead.cancel()
    assert len(handed) < 30


def test_an_executor_error_ahead_reaches_the_writer() -> None:
    with PoolExecutor(2) as pool:
        ahead = Ahead(pool, os._exit, [3, 3], 2)  # type: ignore[arg-type]
        with pytest.raises(ExecutorError, match="worker process"):
            list(ahead.results())


def test_a_failing_stage_stops_the_protection_run_ahead(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, small_tasks: None
) -> None:
    corpus = small_corpus(tmp_path, size=12)

    def broken(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("story assignment broke")

    monkeypatch.setattr("nkwatch.pipeline.assign_stories", broken)
    with (
        PoolExecutor(2) as pool,
        SQLiteStore(tmp_path / "t.db") as store,
        pytest.raises(RuntimeError, match="story assignment broke"),
    ):
        Pipeline(_settings(tmp_path / "t.db"), store, allow_network=False, executor=pool).ingest(
            [str(corpus)]
        )
    assert not [t for t in threading.enumerate() if t.name == "nkwatch-ahead"]
    # nothing of the protection run ahead was written: the next run makes it
    connection = sqlite3.connect(tmp_path / "t.db")
    try:
        assert connection.execute("SELECT COUNT(*) FROM protection_analyses").fetchone()[0] == 0
    finally:
        connection.close()
