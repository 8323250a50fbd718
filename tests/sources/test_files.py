"""Local files: what is not a regular file is reported, never opened; odd names never crash."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from nkwatch.config import load_settings
from nkwatch.errors import Reason, RejectedInput, printable
from nkwatch.pipeline import Pipeline
from nkwatch.sources.files import display, walk
from nkwatch.store import SQLiteStore

TEXT = (
    "Border guards detain smugglers\n\n"
    "Chinese border guards detained four smugglers near Dandong on Friday after a chase along "
    "the Yalu River, residents said. The men were carrying mobile phones and medicine bought in "
    "China, and were handed over to the police in the city the following morning."
)


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    root = tmp_path / "inputs"
    (root / "sub").mkdir(parents=True)
    (root / "story.txt").write_text(TEXT, encoding="utf-8")
    (root / "sub" / "loop").symlink_to(root)
    (root / "a").symlink_to(root / "b")
    (root / "b").symlink_to(root / "a")
    (root / "gone").symlink_to(root / "nowhere.txt")
    os.mkfifo(root / "fifo")
    odd = os.fsencode(root) + b"/caf\xff\xfe.txt"
    with open(odd, "wb") as handle:
        handle.write(TEXT.replace("four", "five").encode())
    return root


def test_walk_reports_what_is_not_a_regular_file(folder: Path) -> None:
    items = list(walk(folder))
    files = [display(item) for item in items if isinstance(item, Path)]
    problems = {
        Path(item.source).name: item.reason for item in items if isinstance(item, RejectedInput)
    }
    assert sorted(Path(f).name for f in files) == ["caf\\xff\\xfe.txt", "story.txt"]
    assert problems == {
        "a": Reason.NOT_A_FILE,
        "b": Reason.NOT_A_FILE,
        "gone": Reason.NOT_FOUND,
        "fifo": Reason.NOT_A_FILE,
        "loop": Reason.NOT_A_FILE,
    }


def test_ingest_counts_every_odd_input_and_reads_the_rest(folder: Path, tmp_path: Path) -> None:
    settings = load_settings(db_path=str(tmp_path / "t.db"))
    with SQLiteStore(settings.db_path) as store:
        report = Pipeline(settings, store, allow_network=False).ingest([str(folder), "/dev/zero"])
        assert report.counts["stored"] == 2
        reasons = sorted(r.reason.value for r in report.rejections)
        assert reasons == ["not-a-regular-file"] * 5 + ["not-found"]
        sources = {a.source for a in store.iter_articles()}
        assert any(s.endswith("caf\\xff\\xfe.txt") for s in sources)
        assert report.exit_code() == 1


def test_printable_escapes_undecodable_bytes() -> None:
    assert printable(os.fsdecode(b"caf\xff.html")) == "caf\\xff.html"
    assert printable("\ud800") == "\\ud800"
    assert printable("평양.html") == "평양.html"
