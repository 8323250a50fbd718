"""Start-up: the command line loads only what a command runs.

``nkwatch --help`` and ``nkwatch search`` once took about a second, nearly all of it importing
numerical, HTTP and extraction libraries they never use. The heavy libraries now load on first
use; this checks which ones a fresh interpreter has loaded (the time itself is measured in
``bench/RESULTS.md``, never asserted here).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from nkwatch.enrich.profile import load_profile
from nkwatch.executors import InProcessExecutor
from nkwatch.isolation import Isolation
from nkwatch.protect.stage import Protector
from nkwatch.record import Article
from nkwatch.runner import Runner
from nkwatch.store import SQLiteStore

REPO_ROOT = Path(__file__).resolve().parents[1]
HEAVY = ("numpy", "scipy", "datasketch", "httpx", "httpcore", "trafilatura", "lxml", "feedparser")
#: Identity protection's recognisers: large patterns compiled at import, phonenumbers' metadata
#: and the Korean analyser. Loaded only when a text has to be analysed.
RECOGNISERS = (
    "nkwatch.protect.persons",
    "nkwatch.protect.recognisers",
    "nkwatch.protect.cues",
    "phonenumbers",
    "kiwipiepy",
)


def _loaded(code: str, names: tuple[str, ...] = HEAVY) -> list[str]:
    env = {**os.environ, "PYTHONPATH": str(REPO_ROOT)}
    script = f"import sys\n{code}\nimport json\nprint(json.dumps(sorted(sys.modules)))"
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, env=env, check=True
    )
    modules = set(json.loads(done.stdout.strip().splitlines()[-1]))
    return sorted(name for name in names if name in modules)


def test_the_command_line_loads_no_heavy_library() -> None:
    assert _loaded("import nkwatch.cli") == []


def test_help_and_settings_load_no_heavy_library() -> None:
    code = (
        "from click.testing import CliRunner\n"
        "from nkwatch.cli import cli\n"
        "from nkwatch.config import load_settings\n"
        "load_settings()\n"
        "assert CliRunner().invoke(cli, ['--help']).exit_code == 0\n"
    )
    assert _loaded(code) == []


def test_the_heavy_libraries_still_load_where_used() -> None:
    loaded = _loaded(
        "from nkwatch.dedup import DedupSettings, lsh_params\nlsh_params(DedupSettings())"
    )
    assert {"datasketch", "numpy"} <= set(loaded)


def test_help_loads_no_recogniser() -> None:
    code = (
        "from click.testing import CliRunner\n"
        "from nkwatch.cli import cli\n"
        "assert CliRunner().invoke(cli, ['--help']).exit_code == 0\n"
    )
    assert _loaded(code, RECOGNISERS) == []


def test_search_with_stored_analyses_loads_no_recogniser(tmp_path: Path) -> None:
    """``nkwatch search`` protects its hits with the analyses the store keeps (the articles',
    made at ingest; the snippets', made by the first search that showed them): the recognisers
    load only while one is missing."""
    db = tmp_path / "search.db"
    with SQLiteStore(db) as store:
        for number in range(3):
            store.save_article(
                Article(
                    text=f"The missile launch number {number} was reported by the ministry. "
                    "Pak Mi-ran, a defector in Suwon, said the fee hurts.",
                    title=f"Missile launch {number}",
                    url=f"https://a.example/{number}",
                    source_key=f"https://a.example/{number}",
                    outlet="A",
                )
            )
        runner = Runner(store, InProcessExecutor())
        assert runner.protect(Isolation(store), protector=Protector(load_profile())) == 3
    code = (
        "from click.testing import CliRunner\n"
        "from nkwatch.cli import cli\n"
        f"done = CliRunner().invoke(cli, ['--db', {str(db)!r}, 'search', 'missile'])\n"
        "assert done.exit_code == 0 and 'Missile launch 2' in done.output, done.output\n"
        "assert 'Pak Mi-ran' not in done.output, done.output\n"
    )
    first = _loaded(code, RECOGNISERS)  # the snippets are analysed, then kept
    assert {"nkwatch.protect.persons", "phonenumbers"} <= set(first)
    assert _loaded(code, RECOGNISERS) == []
