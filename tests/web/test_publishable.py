"""The one door for scraped text: links keep only http(s), everything else is walked."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta

from click.testing import CliRunner

from nkwatch.cli import cli
from nkwatch.enrich.profile import load_profile
from nkwatch.protect.stage import Protector
from nkwatch.web.publishable import MACHINE_VALUE, protect_view


def test_links_keep_only_web_schemes_at_any_depth() -> None:
    data = {
        "title": "<b>kept as text</b>",
        "url": "javascript:alert(1)",
        "items": [
            {"url": "https://example.org/a", "canonical_url": "data:text/html,<script>"},
            {"link": " JAVASCRIPT:alert(2)", "outlets": ["A", "B"]},
        ],
        "count": 3,
        "none": None,
    }
    shown = protect_view(data)
    assert shown["title"] == "<b>kept as text</b>"  # escaping is the renderer's job
    assert shown["url"] is None
    assert shown["items"][0] == {"url": "https://example.org/a", "canonical_url": None}
    assert shown["items"][1] == {"link": None, "outlets": ["A", "B"]}
    assert shown["count"] == 3 and shown["none"] is None


def test_serve_refuses_to_bind_beyond_loopback_without_a_token(tmp_path) -> None:
    result = CliRunner().invoke(
        cli,
        ["--db", str(tmp_path / "x.db"), "serve", "--host", "0.0.0.0"],
        env={"NKWATCH_TOKEN": ""},
    )
    assert result.exit_code == 4
    assert "access token" in result.output


def test_machine_values_hold_nothing_the_recognisers_replace() -> None:
    """ISO dates and times and SHA-256 digests are shown without running the recognisers:
    run on each alone (as the last pass judges a string), they find nothing to replace."""
    protector = Protector(load_profile())
    start = datetime(2026, 1, 1, tzinfo=UTC)
    values = []
    for hours in range(0, 366 * 24, 61):
        when = start + timedelta(hours=hours, minutes=hours % 60, seconds=hours % 59)
        values += [when.isoformat(), when.date().isoformat(), when.replace(tzinfo=None).isoformat()]
    values += [hashlib.sha256(str(n).encode()).hexdigest() for n in range(200)]
    for value in values:
        assert MACHINE_VALUE.fullmatch(value), value
        assert protector.analyse(value).protected == [], value
        assert protector.scope([value]).protect(value).text == value


def test_machine_values_are_exact() -> None:
    """Only a whole value in the format skips the recognisers: text around one does not."""
    for text in (
        "2026-11-03T10:21:44+00:00 call 010-3381-2290",
        "010-3381-2290",
        "2026-11-03 Pak Mi-ran",
        "2026-11-03 10:21",
        "20261103",
        "2026-11-03T10:21:44+00:00\n",
        "A" * 64,
    ):
        assert not MACHINE_VALUE.fullmatch(text), text
    shown = protect_view(
        {"date": "Pak Mi-ran, a defector, 010-3381-2290", "published": "2026-11-03"}
    )
    assert "010-3381-2290" not in shown["date"] and shown["published"] == "2026-11-03"
