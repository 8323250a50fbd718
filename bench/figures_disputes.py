"""Every "Sources differ" line the figure tracker produces, and how many of them are right.

    python bench/figures_disputes.py            # lines, judgements and precision
    python bench/figures_disputes.py --unjudged # only the lines not yet judged

Two sources of lines:

* **sample digest**: the bundled sample corpus ingested and its digest built over the whole
  corpus with the bundled North Korea profile; every story's disagreement notes (what the HTML,
  Markdown and feeds print) plus the tracker's disagreements over the whole store (what
  ``nkwatch figures`` prints).
* **real stream**: the articles of ``../shared/benchmarks/stream/news_events.jsonl``, figures
  extracted with each article's date and outlet (its domain), grouped by gold event as stories
  would be, tracked with ``bench/data/general_news_profile.toml`` (killed, injured, arrested,
  missiles fired); every disagreement within an event.

Each line is judged by hand in ``bench/data/figures_disputes_judged.json`` (key: sha1 of the
line, first 12 hex digits; ``right`` true when the two claims really dispute each other: same
measure, overlapping times, different sources, values that cannot both be right). Precision is
right / judged. Lines without a judgement are listed and counted apart.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import sys
import tempfile
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import asdict
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from nkwatch.config import load_settings
from nkwatch.enrich.claims import Figure
from nkwatch.enrich.figures import extract_figures
from nkwatch.enrich.profile import load_profile
from nkwatch.enrich.tracker import track
from nkwatch.publish.digest import build_digest
from nkwatch.publish.render import disagreements
from nkwatch.sample import ingest_sample
from nkwatch.store import SQLiteStore

ROOT = Path(__file__).resolve().parents[1]
#: The shared stream beside the repository; ``NKWATCH_STREAM`` names another copy of it.
STREAM = Path(
    os.environ.get("NKWATCH_STREAM")
    or ROOT.parent / "shared" / "benchmarks" / "stream" / "news_events.jsonl"
)
GENERAL_PROFILE = Path(__file__).resolve().parent / "data" / "general_news_profile.toml"
JUDGED = Path(__file__).resolve().parent / "data" / "figures_disputes_judged.json"


def load_judged() -> dict[str, dict[str, Any]]:
    """The hand judgements, by line key."""
    if not JUDGED.exists():
        return {}
    return dict(json.loads(JUDGED.read_text(encoding="utf-8")))


def line_key(line: str) -> str:
    """A stable key for a line: the first 12 hex digits of its sha1."""
    return hashlib.sha1(line.encode("utf-8")).hexdigest()[:12]


def sample_lines(folder: Path) -> list[tuple[str, str]]:
    """("sample digest" | "sample figures", line) for the bundled sample corpus."""
    db = folder / "disputes.db"
    lines: list[tuple[str, str]] = []
    with SQLiteStore(db) as store:
        ingest_sample(store, settings=load_settings(db_path=str(db)))
        profile = load_profile()
        dates = [a.published or a.fetched_at for a in store.iter_articles()]
        digest = build_digest(
            store,
            profile=profile,
            since=min(dates),
            until=max(dates),
            now=datetime(2026, 12, 4, tzinfo=UTC),
        )
        for story in digest.stories:
            lines += [("sample digest", note) for note in disagreements(story)]
        for series in track(profile, store.iter_figures()):
            lines += [("sample figures", d.describe()) for d in series.disagreements]
    return lines


def stream_lines(stream: Path = STREAM) -> list[tuple[str, str]]:
    """("real stream", line) for the shared stream, one gold event as one story."""
    profile = load_profile(GENERAL_PROFILE, extend_default=False)
    events: dict[Any, list[tuple[dict[str, Any], dict[str, Any]]]] = defaultdict(list)
    with stream.open(encoding="utf-8") as handle:
        for number, raw in enumerate(handle):
            row = json.loads(raw)
            published = datetime.fromisoformat(row["date"]).replace(tzinfo=UTC)
            article = {
                "id": number,
                "published": published,
                "outlet": row.get("source"),
                "url": row.get("url"),
            }
            day = date(published.year, published.month, published.day)
            for figure in extract_figures(row["text"], published=day):
                events[row["cluster"]].append((_as_dict(figure), article))
    lines = []
    for event in sorted(events, key=str):
        for series in track(profile, events[event]):
            lines += [("real stream", d.describe()) for d in series.disagreements]
    return lines


def _as_dict(figure: Figure) -> dict[str, Any]:
    return asdict(figure)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--unjudged", action="store_true", help="only lines without judgement")
    parser.add_argument("--stream", type=Path, default=STREAM, help="news_events.jsonl")
    args = parser.parse_args(argv)
    judged = load_judged()
    with tempfile.TemporaryDirectory() as folder:
        lines = sample_lines(Path(folder)) + stream_lines(args.stream)
    totals: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    for where, line in lines:
        key = line_key(line)
        verdict = judged.get(key)
        counts = totals[where]
        if verdict is None:
            counts[2] += 1
            print(f"UNJUDGED {key} [{where}] {line}")
            continue
        counts[0] += 1
        counts[1] += bool(verdict["right"])
        if not args.unjudged:
            mark = "RIGHT" if verdict["right"] else "WRONG"
            print(f"{mark} {key} [{where}] {line}\n    why: {verdict['why']}")
    print("\n| lines from | lines | judged right | judged wrong | unjudged | precision |")
    print("|---|---|---|---|---|---|")
    all_judged = all_right = 0
    for where, (count, right, unjudged) in sorted(totals.items()):
        precision = f"{right / count:.2f}" if count else "n/a"
        print(
            f"| {where} | {count + unjudged} | {right} | {count - right} | {unjudged} "
            f"| {precision} |"
        )
        all_judged += count
        all_right += right
    if all_judged:
        print(
            f"| all | {all_judged} | {all_right} | {all_judged - all_right} | | "
            f"{all_right / all_judged:.2f} |"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
