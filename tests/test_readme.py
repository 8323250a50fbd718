"""The README's two set-up commands stay at its top, and CI runs the test command verbatim."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_two_commands_at_the_top_and_ci_runs_the_second() -> None:
    readme = (ROOT / "README.md").read_text()
    top = readme.split("\n---\n", 1)[0]
    commands = re.findall(r"```sh\n(.+?)\n```", top, flags=re.DOTALL)
    assert len(commands) == 2
    run, test = commands
    assert "nkwatch run" in run and "pip install" in run
    assert test.rstrip().endswith("pytest")
    assert test in (ROOT / ".ci" / "run").read_text()
