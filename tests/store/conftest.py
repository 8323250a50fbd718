"""Every store test runs on both backends: a SQLite file and a PostgreSQL schema of its own.

The PostgreSQL runs need ``NKWATCH_TEST_POSTGRES`` (a ``postgresql://`` URL of a database the
tests may create schemas in); without it they are skipped, unless
``NKWATCH_TEST_POSTGRES_REQUIRED=1`` (CI), where a missing server is a failure.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qsl, quote, urlencode, urlsplit, urlunsplit

import pytest

from nkwatch.store import Store, open_store

BACKENDS = ("sqlite", "postgres")


def _server_url() -> str:
    url = os.environ.get("NKWATCH_TEST_POSTGRES", "")
    if not url:
        if os.environ.get("NKWATCH_TEST_POSTGRES_REQUIRED") == "1":
            pytest.fail("NKWATCH_TEST_POSTGRES is not set but NKWATCH_TEST_POSTGRES_REQUIRED=1")
        pytest.skip("NKWATCH_TEST_POSTGRES is not set (a postgresql:// URL to test against)")
    return url


def in_schema(url: str, schema: str) -> str:
    """``url`` with ``search_path`` set to ``schema`` (libpq's ``options`` parameter)."""
    parts = urlsplit(url)
    query = [(k, v) for k, v in parse_qsl(parts.query) if k != "options"]
    query.append(("options", f"-csearch_path={schema}"))
    return urlunsplit(parts._replace(query=urlencode(query, quote_via=quote)))


@pytest.fixture
def postgres_url() -> Iterator[str]:
    """A URL whose connections work in a fresh, empty schema (dropped after the test)."""
    import psycopg

    server = _server_url()
    schema = f"nkwatch_test_{uuid.uuid4().hex[:12]}"
    try:
        with psycopg.connect(server, autocommit=True) as admin:
            admin.execute(f'CREATE SCHEMA "{schema}"')
    except psycopg.OperationalError as exc:
        if os.environ.get("NKWATCH_TEST_POSTGRES_REQUIRED") == "1":
            pytest.fail(f"cannot reach the test PostgreSQL server: {exc}")
        pytest.skip(f"cannot reach the test PostgreSQL server: {exc}")
    try:
        yield in_schema(server, schema)
    finally:
        with psycopg.connect(server, autocommit=True) as admin:
            admin.execute(f'DROP SCHEMA "{schema}" CASCADE')


@pytest.fixture(params=BACKENDS)
def store_target(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """Where a store lives: a SQLite path, or a PostgreSQL URL (fresh schema)."""
    if request.param == "sqlite":
        return str(tmp_path / "store.db")
    url: str = request.getfixturevalue("postgres_url")
    return url


@pytest.fixture
def store(store_target: str) -> Iterator[Store]:
    """An open, empty, migrated store of each backend."""
    with open_store(store_target) as opened:
        yield opened
