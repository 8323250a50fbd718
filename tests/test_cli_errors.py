"""The CLI's error paths: usage errors exit 2, real causes are named, broken pipes end quietly."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from nkwatch.cli import cli
from nkwatch.record import Article, Origin
from nkwatch.store import SQLiteStore

BODY = (
    "North Korea fired two short-range ballistic missiles into the sea off its east coast on "
    "Tuesday, South Korea's military said, the latest in a run of launches this autumn. The "
    "missiles flew about 350 kilometres before falling outside Japan's economic zone."
)


def invoke(db: Path, *args: str) -> Result:
    return CliRunner().invoke(cli, ["--db", str(db), *args])


@pytest.mark.parametrize(
    "args",
    [
        ("digest", "--until", "notadate"),
        ("digest", "--since", "999999999d"),
        ("digest", "--since", "banana"),
        ("stories", "--since", "banana"),
        ("stories", "--until", "yesterday-ish"),
        ("search", "rice", "--since", "99999999999999999999d"),
        ("search", "rice", "--until", "2026-13-45"),
        ("figures", "no-such-measure"),
    ],
)
def test_bad_arguments_are_usage_errors(tmp_path: Path, args: tuple[str, ...]) -> None:
    result = invoke(tmp_path / "t.db", *args)
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    assert "Invalid value" in result.output


def test_output_under_a_file_names_the_file(tmp_path: Path) -> None:
    blocker = tmp_path / "notes"
    blocker.write_text("x")
    result = invoke(tmp_path / "t.db", "digest", "-o", str(blocker / "out" / "d.html"))
    assert result.exit_code == 4
    assert f"{blocker} is a file, not a folder" in result.output
    export = invoke(tmp_path / "t.db", "export", "-o", str(blocker / "e.jsonl"))
    assert export.exit_code == 4 and "is a file, not a folder" in export.output


def test_export_keeps_only_web_links(tmp_path: Path) -> None:
    db = tmp_path / "t.db"
    with SQLiteStore(db) as store:
        store.save_article(
            Article(
                text=BODY,
                title="Missiles",
                url="javascript:alert(1)",
                canonical_url="data:text/html,<script>alert(1)</script>",
                origin=Origin(outlet="Wire", url="javascript:alert(2)"),
                source="x.html",
                source_key="x.html",
            )
        )
        store.save_article(
            Article(
                text=BODY + " Again.",
                url="https://news.example/a",
                source="y.html",
                source_key="y.html",
            )
        )
    rows = [json.loads(line) for line in invoke(db, "export").output.splitlines()]
    bad, good = rows
    assert bad["url"] is None and bad["canonical_url"] is None and bad["origin"]["url"] is None
    assert bad["non_web_urls"] == {
        "url": "javascript:alert(1)",
        "canonical_url": "data:text/html,<script>alert(1)</script>",
        "origin.url": "javascript:alert(2)",
    }
    assert good["url"] == "https://news.example/a" and good["non_web_urls"] is None


def test_a_killed_run_shows_as_interrupted(tmp_path: Path) -> None:
    db = tmp_path / "t.db"
    with SQLiteStore(db) as store:
        run_id = store.start_run("ingest")
        # Pretend the process that opened it is gone.
        store._db.execute("UPDATE runs SET pid = ? WHERE id = ?", (2**22 + 12345, run_id))
        store.start_run("ingest")
        statuses = {row["id"]: row["status"] for row in store.runs()}
    assert statuses[run_id] == "interrupted"


def test_broken_pipe_ends_quietly(tmp_path: Path) -> None:
    db = tmp_path / "t.db"
    with SQLiteStore(db) as store:
        for index in range(400):
            store.save_article(
                Article(
                    text=f"{BODY} Report number {index}.",
                    source=f"r{index}.txt",
                    source_key=f"r{index}.txt",
                )
            )
    env = {**os.environ, "NKWATCH_DB": str(db)}
    script = f"{sys.executable} -m nkwatch.cli export | head -c 100 > /dev/null"
    result = subprocess.run(
        ["bash", "-o", "pipefail", "-c", script], env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr and "Broken pipe" not in result.stderr
