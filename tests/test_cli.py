"""The command line: each command on a real store, exit statuses, clear errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from nkwatch.cli import cli

ARTICLE = """<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">
<title>{title} | Hermit Kingdom Ledger</title>
<meta property="article:published_time" content="{date}">
<link rel="canonical" href="https://ledger.example/{slug}"></head>
<body><header><a href="/">Home</a> <a href="/economy">Economy</a></header>
<article><h1>{title}</h1>
<p>{body}</p>
<p>Traders in the border region said the change was felt within days, and several of them
expected it to last until the spring. None of them wished to be named for fear of punishment.</p>
</article><footer>Hermit Kingdom Ledger</footer></body></html>"""


def write_article(folder: Path, slug: str, title: str, body: str, date: str) -> Path:
    path = folder / f"{slug}.html"
    path.write_text(ARTICLE.format(title=title, body=body, date=date, slug=slug))
    return path


@pytest.fixture
def inputs(tmp_path: Path) -> Path:
    folder = tmp_path / "inputs"
    folder.mkdir()
    write_article(
        folder,
        "rice",
        "Rice prices jump in Hyesan markets",
        "The price of a kilogram of rice in Hyesan rose to about 7,800 won this week, "
        "up from 6,900 won a month earlier, according to traders reached by phone.",
        "2026-11-17T06:00:00+00:00",
    )
    write_article(
        folder,
        "remit",
        "Brokers raise remittance fees",
        "Brokers who move money from defectors in the South to families in the North now "
        "take as much as 50 percent of each transfer, up from 30 percent last year.",
        "2026-11-19T06:00:00+00:00",
    )
    return folder


def invoke(db: Path, *args: str) -> Result:
    return CliRunner().invoke(cli, ["--db", str(db), *args], catch_exceptions=False)


def test_ingest_export_search_digest_status(inputs: Path, tmp_path: Path) -> None:
    db = tmp_path / "cli.db"
    result = invoke(db, "ingest", str(inputs))
    assert result.exit_code == 0, result.output
    assert "stored 2" in result.output

    again = invoke(db, "ingest", str(inputs))
    assert again.exit_code == 0 and "stored 0" in again.output and "unchanged 2" in again.output

    exported = invoke(db, "export", "--format", "jsonl")
    rows = [json.loads(line) for line in exported.output.splitlines()]
    assert [r["title"] for r in rows] == [
        "Rice prices jump in Hyesan markets",
        "Brokers raise remittance fees",
    ]
    assert rows[0]["canonical_url"] == "https://ledger.example/rice"
    assert rows[0]["published_from"] == "meta"
    assert rows[0]["outlet"] == "ledger.example"

    found = invoke(db, "search", "remittance", "--json")
    assert [json.loads(line)["title"] for line in found.output.splitlines()] == [
        "Brokers raise remittance fees"
    ]
    assert "no matches" in invoke(db, "search", "uranium").output
    # Each hit is a title line and one snippet line, even where the match is near a paragraph
    # break.
    lines = invoke(db, "search", "phone Traders").output.splitlines()
    assert len(lines) == 2, lines
    assert all(line[0].isdigit() for line in lines[::2]) and all(
        line.startswith("    ") for line in lines[1::2]
    )
    # A window after the newest article says so, and how to count it back from that article.
    empty = invoke(db, "digest", "--since", "1d", "--format", "md", "-o", str(tmp_path / "e.md"))
    assert empty.exit_code == 0 and "digest (md, 0 stories)" in empty.output
    assert "after the newest article (2026-11-19); --until latest counts" in empty.output
    quiet = invoke(db, "stories", "--since", "7d").output.strip()
    assert quiet.startswith("no stories since ") and quiet.endswith(
        "the newest article is of 2026-11-19; --until latest counts the window back from it"
    )
    windowed = invoke(db, "search", "won", "--since", "2026-11-19", "--json")
    assert len(windowed.output.splitlines()) == 0

    out = tmp_path / "digest.md"
    digest = invoke(
        db, "digest", "--since", "1d", "--until", "latest", "--format", "md", "-o", str(out)
    )
    assert digest.exit_code == 0
    text = out.read_text()
    # Both reports are one story (one outlet, market prices); the window holds the newer one.
    assert "1 story from 1 outlet" in text
    assert "https://ledger.example/remit" in text
    assert "Read more" in text

    status = invoke(db, "status")
    assert "article 2" in status.output and "rejected inputs: none" in status.output
    # Piped, each run is one whole line: no cell cut to fit 80 columns.
    runs = [line for line in status.output.splitlines() if "\tingest\t" in line]
    assert runs and all("\tfinished\t" in line and "…" not in line for line in runs)


def test_exit_status_partial_and_nothing(inputs: Path, tmp_path: Path) -> None:
    db = tmp_path / "x.db"
    (tmp_path / "empty.txt").write_bytes(b"")
    partial = invoke(db, "ingest", str(inputs), str(tmp_path / "empty.txt"))
    assert partial.exit_code == 1
    assert "empty.txt: empty: the file is empty" in partial.output
    nothing = invoke(db, "ingest", str(tmp_path / "empty.txt"))
    assert nothing.exit_code == 3
    status = invoke(db, "sources")
    assert "empty.txt" in status.output and "empty" in status.output


def test_errors_exit_4_with_a_message(tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text("[fetch]\nspeed = 1\n")
    result = CliRunner().invoke(cli, ["--config", str(bad), "status"])
    assert result.exit_code == 4
    assert "unknown key [fetch].speed" in result.output
    blocked = tmp_path / "file"
    blocked.write_text("x")
    result = invoke(tmp_path / "d.db", "digest", "--since", "1d", "-o", str(blocked / "d.html"))
    assert result.exit_code == 4 and "cannot write the digest" in result.output
    usage = CliRunner().invoke(cli, ["ingest"])
    assert usage.exit_code == 2


def test_run_on_the_bundled_sample(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    db = tmp_path / "sample.db"
    result = invoke(db, "run", "--out", str(tmp_path / "digests"))
    assert result.exit_code == 0, result.output
    html_files = list((tmp_path / "digests").glob("digest-*.html"))
    md_files = list((tmp_path / "digests").glob("digest-*.md"))
    assert len(html_files) == 1 and len(md_files) == 1
    html = html_files[0].read_text()
    assert html.count("Read more") >= 20
    assert "<script" not in html
    second = invoke(db, "run", "--out", str(tmp_path / "digests"))
    assert "stored 0" in second.output


def test_stories_figures_and_profile_on_the_sample(tmp_path: Path) -> None:
    db = tmp_path / "s.db"
    assert invoke(db, "run", "--out", str(tmp_path / "d")).exit_code == 0
    listed = invoke(db, "stories", "--min-sources", "4", "--json")
    stories = [json.loads(line) for line in listed.output.splitlines()]
    assert stories and all(s["independent_sources"] >= 4 for s in stories)
    assert all(s["summary"] and s["timeline"] for s in stories)
    themed = invoke(db, "stories", "--theme", "weapons-missiles", "--json")
    assert all(
        "weapons-missiles" in json.loads(line)["themes"] for line in themed.output.splitlines()
    )
    assert "North Korean troops in Russia" in invoke(db, "figures").output
    troops = invoke(db, "figures", "north-korean-troops-in-russia")
    # Estimates of about 11,000 and about 12,000 overlap: a timeline, not a dispute.
    assert "11,000" in troops.output and "disagreement" not in troops.output
    # A running total ("15,000 in all since late 2024") beside a count for now revises nothing.
    assert "revision by" not in troops.output
    # One source's older figure quoted beside its newer one is a revision: "around 29,000 won
    # this month, compared with about 8,000 won two years ago".
    rate = invoke(db, "figures", "usd-exchange-rate").output
    assert "revision by traders in Hyesan: about 8,000 KPW → around 29,000 KPW" in rate
    assert "[revised]" in rate
    [as_json] = [
        json.loads(line)
        for line in invoke(
            db, "figures", "north-korean-troops-in-russia", "--json"
        ).output.splitlines()
    ]
    assert as_json["measure"] == "north-korean-troops-in-russia" and not as_json["revisions"]
    (rate_json,) = [
        json.loads(line)
        for line in invoke(db, "figures", "usd-exchange-rate", "--json").output.splitlines()
    ]
    assert rate_json["revisions"]
    assert set(as_json["timeline"]) == {claim["claimant"] for claim in as_json["claims"]}
    listed_json = [json.loads(line) for line in invoke(db, "figures", "--json").output.splitlines()]
    for series in listed_json:
        for dispute in series["disagreements"]:
            first = series["claims"][dispute["first"]]
            second = series["claims"][dispute["second"]]
            assert first["outlet"] != second["outlet"]
            assert first["claimant"] != second["claimant"]
    # Claims of the half year before the newest article by default; --since reaches further.
    old = tmp_path / "old.html"
    old.write_text(
        "<html><head><title>Troop estimate</title>"
        '<meta property="article:published_time" content="2024-03-02T09:00:00+00:00">'
        "</head><body><article><h1>An early troop estimate</h1><p>An intelligence service "
        "said North Korea had sent about 99,000 troops to Russia, a figure others doubt.</p>"
        "<p>The estimate was the first of its kind and was not repeated.</p></article>"
        "</body></html>",
        encoding="utf-8",
    )
    assert invoke(db, "ingest", str(old)).exit_code == 0
    assert "99,000" not in invoke(db, "figures", "north-korean-troops-in-russia").output
    widened = invoke(db, "figures", "north-korean-troops-in-russia", "--since", "2024-01-01")
    assert "99,000" in widened.output and "11,000" in widened.output
    # A measure with no claims in the window says which window, and how to widen the default.
    quiet = invoke(db, "figures", "it-workers-revenue").output  # a measure the sample lacks
    assert quiet.startswith("no claims of it-workers-revenue since 2026-")
    assert "the half year before the newest article; --since DATE reaches further" in quiet
    later = invoke(db, "figures", "north-korean-troops-in-russia", "--since", "2099-01-01")
    assert later.output.strip() == "no claims of north-korean-troops-in-russia since 2099-01-01"
    bad = invoke(db, "figures", "--since", "soon")
    assert bad.exit_code == 2 and "--since" in bad.output
    unknown = invoke(db, "figures", "no-such-measure")
    assert unknown.exit_code == 2 and "not a measure of the profile" in unknown.output
    exported = [json.loads(line) for line in invoke(db, "export").output.splitlines()]
    assert any(row["figures"] and row["themes"] and row["summary"] for row in exported)
    assert any(row["story_id"] and row["independent_sources"] for row in exported)
    assert all(row["storyline_id"] for row in exported if row["story_id"])
    lines = invoke(db, "storylines", "--min-stories", "1", "--json")
    threads = [json.loads(line) for line in lines.output.splitlines()]
    assert lines.exit_code == 0 and threads and all(t["stories"] for t in threads)
    assert {row["storyline_id"] for row in exported if row["story_id"]} == {
        t["id"] for t in threads
    }
    # A limit reads only the first stories or storylines of the same order.
    every = invoke(db, "stories", "--json", "-n", "1000").output.splitlines()
    assert (
        len(every) > 3
        and invoke(db, "stories", "--json", "-n", "3").output.splitlines() == (every[:3])
    )
    assert len(threads) > 2
    first = invoke(db, "storylines", "--min-stories", "1", "--json", "-n", "2")
    assert [json.loads(line) for line in first.output.splitlines()] == threads[:2]
    bad = tmp_path / "profile.toml"
    bad.write_text('[[entity]]\nid = "x"\nname = "X"\ntype = "thing"\n')
    result = CliRunner().invoke(cli, ["--db", str(db), "--profile", str(bad), "stories"])
    assert result.exit_code == 4 and "profile.toml" in result.output and "thing" in result.output
