"""The one door for scraped text: links keep only http(s), everything else is walked."""

from __future__ import annotations

from click.testing import CliRunner

from nkwatch.cli import cli
from nkwatch.web.publishable import protect_view


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
