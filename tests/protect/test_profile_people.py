"""The watch profile's [people] lists: public and protected names, added to by a user."""

from __future__ import annotations

from pathlib import Path

import pytest

from nkwatch.enrich.profile import load_profile
from nkwatch.errors import ConfigError


def test_default_lists_and_a_user_moving_a_name(tmp_path: Path) -> None:
    default = load_profile()
    assert "Ji Seong-ho" in default.public_people
    path = tmp_path / "mine.toml"
    path.write_text(
        '[people]\nprotected = ["Ji Seong-ho", "Pak Mi-ran"]\npublic = ["Jane Roe"]\n',
        encoding="utf-8",
    )
    profile = load_profile(path)
    assert "Ji Seong-ho" not in profile.public_people
    assert profile.protected_people == ("Ji Seong-ho", "Pak Mi-ran")
    assert "Jane Roe" in profile.public_people


@pytest.mark.parametrize(
    "body",
    ['[people]\nfriends = ["A B"]\n', '[people]\npublic = "A B"\n', '[people]\npublic = ["--"]\n'],
)
def test_bad_people_tables_name_the_file(tmp_path: Path, body: str) -> None:
    path = tmp_path / "bad.toml"
    path.write_text(body, encoding="utf-8")
    with pytest.raises(ConfigError, match=r"bad\.toml: \[people\]"):
        load_profile(path)
