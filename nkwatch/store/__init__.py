"""Storage: the embedded SQLite store (default) or a PostgreSQL database, behind one protocol.

``open_store`` reads ``--db``: a path (or ``sqlite:///PATH``) is a SQLite file,
``postgresql://…`` a PostgreSQL database (the ``postgres`` extra). Any other URL scheme is an
:class:`~nkwatch.errors.UnsupportedStore` error, never a file in a folder named after it.
"""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path
from typing import Literal

from nkwatch.errors import UnsupportedStore
from nkwatch.store.protocol import Store
from nkwatch.store.records import Rejection, SaveResult, SearchHit, StageFailure
from nkwatch.store.sqlite import SQLiteStore, SQLStore, fts_query

__all__ = [
    "Rejection",
    "SQLStore",
    "SQLiteStore",
    "SaveResult",
    "SearchHit",
    "StageFailure",
    "Store",
    "UnsupportedStore",
    "fts_query",
    "open_store",
    "store_kind",
    "store_label",
]

Kind = Literal["sqlite", "postgres"]

#: ``scheme://`` (any scheme, two letters or more), or one of the schemes nkwatch knows followed
#: by a colon; a one-letter "scheme" is a Windows drive, so a path.
_URL = re.compile(r"^(?P<scheme>[A-Za-z][A-Za-z0-9+.-]+):(?=//|)", re.ASCII)
_KNOWN: dict[str, Kind] = {"sqlite": "sqlite", "postgresql": "postgres", "postgres": "postgres"}


def _scheme(target: str) -> str | None:
    match = _URL.match(target)
    if match is None:
        return None
    scheme = match.group("scheme").lower()
    if target[match.end() :].startswith("//") or scheme in _KNOWN:
        return scheme
    return None  # "notes:2026.db" is a file name


def store_kind(target: str | Path) -> Kind:
    """Which store ``target`` names; :class:`UnsupportedStore` when nkwatch cannot open it."""
    if isinstance(target, Path):
        return "sqlite"
    scheme = _scheme(target)
    if scheme is None:
        return "sqlite"
    kind = _KNOWN.get(scheme)
    if kind is None:
        raise UnsupportedStore(
            f"--db {store_label(target)}: nkwatch has no store for {scheme}:// URLs; "
            "give a SQLite file path (or sqlite:///PATH) or a postgresql:// URL"
        )
    if kind == "sqlite" and not target.startswith(f"{scheme}:///"):
        raise UnsupportedStore(
            f"--db {target}: write a SQLite URL as sqlite:///relative/path.db "
            "or sqlite:////absolute/path.db (or give the plain path)"
        )
    if kind == "postgres" and importlib.util.find_spec("psycopg") is None:
        raise UnsupportedStore(
            f"--db {store_label(target)}: PostgreSQL stores need the postgres extra "
            "(pip install 'nkwatch[postgres]')"
        )
    return kind


def store_label(target: str | Path) -> str:
    """The store as ``nkwatch status`` shows it: the path, or the URL without its password."""
    if isinstance(target, Path) or _scheme(target) is None:
        return str(target)
    from urllib.parse import urlsplit

    parts = urlsplit(target)
    host = parts.hostname or ""
    if parts.port:
        host += f":{parts.port}"
    user = f"{parts.username}@" if parts.username else ""
    query = "&".join(
        pair
        for pair in parts.query.split("&")
        if pair and pair.split("=", 1)[0].lower() != "password"
    )
    if not target[len(parts.scheme) + 1 :].startswith("//"):
        return f"{parts.scheme}:{parts.path}"
    return f"{parts.scheme}://{user}{host}{parts.path}" + (f"?{query}" if query else "")


def open_store(target: str | Path) -> Store:
    """Open (creating and migrating if needed) the store ``target`` names (see module doc)."""
    kind = store_kind(target)
    if kind == "postgres":
        from nkwatch.store.postgres import PostgresStore

        return PostgresStore(str(target))
    if isinstance(target, str) and _scheme(target) == "sqlite":
        target = target[len("sqlite:///") :]
    return SQLiteStore(target)
