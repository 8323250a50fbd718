"""The protection boundaries of the command line: export, --unprotected, search, report."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner, Result

from nkwatch.cli import cli

PAGE = """<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">
<title>{title} | Border Ledger</title>
<meta property="article:published_time" content="2026-11-18T06:00:00+00:00">
<link rel="canonical" href="https://ledger.example/{slug}"></head>
<body><article><h1>{title}</h1><p>{body}</p>
<p>The ministry said it could not confirm the account, and officials declined to comment on
the calls described by the families, several of whom have moved since.</p>
</article></body></html>"""

BODY = (
    "Pak Mi-ran, a 39-year-old defector who now lives in Suwon, said the caller knew her "
    "phone number, 010-3381-2290, and her KakaoTalk ID, miran_sw85. Pak said the broker who "
    "once carried money to her mother in Musan was arrested in China in March."
)
PRIVATE = ("Pak Mi-ran", "010-3381-2290", "miran_sw85", "Suwon")


def invoke(db: Path, *args: str) -> Result:
    return CliRunner().invoke(cli, ["--db", str(db), *args], catch_exceptions=False)


def _store(tmp_path: Path) -> Path:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "calls.html").write_text(
        PAGE.format(title="Defectors report calls from home", slug="calls", body=BODY),
        encoding="utf-8",
    )
    db = tmp_path / "p.db"
    assert invoke(db, "ingest", str(folder)).exit_code == 0
    return db


def test_export_is_protected_unless_asked_and_the_exception_is_logged(tmp_path: Path) -> None:
    db = _store(tmp_path)
    protected = invoke(db, "export")
    assert protected.exit_code == 0
    row = json.loads(protected.output.splitlines()[0])
    for value in PRIVATE:
        assert value not in protected.output, value
    assert "[defector A]" in row["text"] and "[phone number]" in row["text"]
    status = invoke(db, "status")
    assert "UNPROTECTED" not in status.output
    assert "last protected export" in status.output and "PHONE" in status.output

    raw = invoke(db, "export", "--unprotected", "-o", str(tmp_path / "raw.jsonl"))
    assert raw.exit_code == 0
    assert "warning: --unprotected" in raw.output
    assert "Pak Mi-ran" in (tmp_path / "raw.jsonl").read_text(encoding="utf-8")
    status = invoke(db, "status")
    assert "UNPROTECTED exports" in status.output and "raw.jsonl" in status.output


def test_search_snippets_and_titles_are_protected(tmp_path: Path) -> None:
    db = _store(tmp_path)
    for args in (("search", "caller"), ("search", "--json", "caller"), ("search", "KakaoTalk")):
        result = invoke(db, *args)
        assert result.exit_code == 0
        assert "caller" in result.output or "KakaoTalk" in result.output
        for value in PRIVATE:
            assert value not in result.output, (args, value)


def test_protection_report_counts_without_values(tmp_path: Path) -> None:
    db = _store(tmp_path)
    result = invoke(db, "protection", "report")
    assert result.exit_code == 0
    assert "PERSON" in result.output and "PHONE 1" in result.output
    assert "MESSENGER_ID 1" in result.output
    for value in PRIVATE:
        assert value not in result.output
    rows = [
        json.loads(line)
        for line in invoke(db, "protection", "report", "--json").output.splitlines()
    ]
    assert rows[0]["counts"]["PERSON"] >= 2


def test_storyline_titles_are_protected(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "pak.html").write_text(
        PAGE.format(title="Pak Mi-ran says brokers still call from Musan", slug="pak", body=BODY),
        encoding="utf-8",
    )
    db = tmp_path / "p.db"
    assert invoke(db, "ingest", str(folder)).exit_code == 0
    assert "Pak Mi-ran" in invoke(db, "export", "--unprotected").output
    for args in (
        ("storylines", "--min-stories", "1"),
        ("storylines", "--min-stories", "1", "--json"),
    ):
        result = invoke(db, *args)
        assert result.exit_code == 0 and "says brokers still call from [" in result.output
        assert "Pak Mi-ran" not in result.output and "Musan" not in result.output, args
