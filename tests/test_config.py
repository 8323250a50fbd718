"""Settings: packaged defaults, a user's overlay, and clear errors naming the file and key."""

from __future__ import annotations

from pathlib import Path

import pytest

from nkwatch.config import load_settings, sample_corpus_path
from nkwatch.errors import ConfigError


def test_defaults_load() -> None:
    settings = load_settings()
    assert settings.fetch.respect_robots is True
    assert settings.ingest.max_file_bytes == 52_428_800
    assert settings.run.sources == ()
    assert sample_corpus_path().is_dir()


def test_user_file_overlays_and_db_wins(tmp_path: Path) -> None:
    config = tmp_path / "nk.toml"
    config.write_text(
        '[fetch]\nper_host_delay = 3\n[run]\nsources = ["https://a.example/feed"]\n'
        '[outlets]\n"A.example" = "Outlet A"\n'
    )
    settings = load_settings(config, db_path="x.db")
    assert settings.fetch.per_host_delay == 3.0
    assert settings.run.sources == ("https://a.example/feed",)
    assert settings.outlets == {"a.example": "Outlet A"}
    assert settings.db_path == "x.db"


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("[fetch]\nper_host_delay = 'slow'\n", r"\[fetch\]\.per_host_delay must be a number"),
        ("[fetch]\nspeed = 3\n", r"unknown key \[fetch\]\.speed"),
        ("[nonsense]\na = 1\n", r"unknown section\(s\) nonsense"),
        ("[run]\nsources = 'x'\n", r"\[run\]\.sources must be a list of strings"),
        ("[fetch\n", "is not valid TOML"),
        (
            "[fetch]\nallow_networks = ['localhost']\n",
            r"\[fetch\]\.allow_networks: 'localhost' is not an IP network in CIDR form",
        ),
        ("[fetch]\nallow_networks = '127.0.0.0/8'\n", r"allow_networks must be a list of strings"),
    ],
)
def test_bad_files_name_file_and_key(tmp_path: Path, body: str, message: str) -> None:
    config = tmp_path / "bad.toml"
    config.write_text(body)
    with pytest.raises(ConfigError, match=message) as caught:
        load_settings(config)
    assert "bad.toml" in str(caught.value)


def test_allow_networks_default_empty_and_overlaid(tmp_path: Path) -> None:
    assert load_settings().fetch.allow_networks == ()
    config = tmp_path / "nk.toml"
    config.write_text('[fetch]\nallow_networks = ["127.0.0.0/8", "fd00::/8"]\n')
    assert load_settings(config).fetch.allow_networks == ("127.0.0.0/8", "fd00::/8")


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="does not exist"):
        load_settings(tmp_path / "none.toml")
