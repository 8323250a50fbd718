"""``open_store`` and ``--db``: a path or sqlite:// is SQLite, postgresql:// is PostgreSQL, any
other scheme is a clear error that creates nothing."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from click.testing import CliRunner

from nkwatch.cli import cli
from nkwatch.errors import UnsupportedStore
from nkwatch.store import SQLiteStore, migrations_pg, open_store, store_kind, store_label
from nkwatch.store import migrations as sqlite_migrations


def test_every_sqlite_migration_has_a_postgres_counterpart() -> None:
    sqlite_side = [(m.number, m.name) for m in sqlite_migrations.MIGRATIONS]
    postgres_side = [(m.number, m.name) for m in migrations_pg.MIGRATIONS]
    assert postgres_side == sqlite_side


def test_a_path_and_a_sqlite_url_open_sqlite(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with open_store(str(tmp_path / "a.db")) as store:
        assert isinstance(store, SQLiteStore)
    monkeypatch.chdir(tmp_path)
    with open_store("sqlite:///rel/b.db") as store:
        assert isinstance(store, SQLiteStore)
    assert (tmp_path / "rel" / "b.db").is_file()
    with open_store(f"sqlite:///{tmp_path}/c.db") as store:  # sqlite:////absolute/path
        assert isinstance(store, SQLiteStore)
    assert (tmp_path / "c.db").is_file()
    assert store_kind("notes:2026.db") == "sqlite"  # a colon in a file name is no scheme


@pytest.mark.parametrize(
    "url", ["mysql://u@h/db", "redis://h:6379/0", "HTTP://example.org/x.db", "sqlite:x.db"]
)
def test_other_schemes_are_refused_and_create_nothing(
    url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    with pytest.raises(UnsupportedStore, match="--db"):
        open_store(url)
    assert list(tmp_path.iterdir()) == []


def test_postgres_without_the_extra_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = importlib.util.find_spec
    monkeypatch.setattr(
        importlib.util, "find_spec", lambda name, *a: None if name == "psycopg" else real(name, *a)
    )
    monkeypatch.chdir(tmp_path)
    with pytest.raises(UnsupportedStore, match=r"nkwatch\[postgres\]"):
        open_store("postgresql://user:secret@127.0.0.1/nkwatch")
    assert list(tmp_path.iterdir()) == []


def test_cli_exit_status_2_for_an_unsupported_store(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, ["--db", "mongodb://user:secret@h/db", "status"])
    assert result.exit_code == 2
    assert "mongodb://" in result.output and "secret" not in result.output
    assert list(tmp_path.iterdir()) == []


def test_the_label_hides_the_password() -> None:
    url = "postgresql://desk:s3cret@db.example:5433/nkwatch?sslmode=require&password=x"
    assert store_label(url) == "postgresql://desk@db.example:5433/nkwatch?sslmode=require"
    assert store_label("/var/lib/nkwatch.db") == "/var/lib/nkwatch.db"


def test_status_names_a_postgres_store_without_its_password(postgres_url: str) -> None:
    parts = urlsplit(postgres_url)
    url, secret = postgres_url, parts.password
    if secret is None and parts.username:  # a server that trusts the user ignores a password
        secret = "hidden-pw"
        url = url.replace(f"//{parts.username}@", f"//{parts.username}:{secret}@", 1)
    result = CliRunner().invoke(cli, ["--db", url, "status"])
    assert result.exit_code == 0, result.output
    assert f"store: {store_label(url)}" in result.output
    if secret:
        assert secret not in result.output


def _public(cls: type) -> set[str]:
    return {name for name in dir(cls) if not name.startswith("_") and callable(getattr(cls, name))}


def test_the_protocol_covers_every_public_store_method() -> None:
    from nkwatch.store.protocol import Store
    from nkwatch.store.sqlite import SQLStore

    # A method added to the shared store belongs in the protocol, and the other way round.
    assert _public(SQLStore) == _public(Store)
    assert _public(SQLiteStore) == _public(Store)
