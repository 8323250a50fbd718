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

REPO_ROOT = Path(__file__).resolve().parents[1]
HEAVY = ("numpy", "scipy", "datasketch", "httpx", "httpcore", "trafilatura", "lxml", "feedparser")


def _loaded(code: str) -> list[str]:
    env = {**os.environ, "PYTHONPATH": str(REPO_ROOT)}
    script = f"import sys\n{code}\nimport json\nprint(json.dumps(sorted(sys.modules)))"
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, env=env, check=True
    )
    modules = set(json.loads(done.stdout.strip().splitlines()[-1]))
    return sorted(name for name in HEAVY if name in modules)


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
