"""Storage: the embedded SQLite store (default)."""

from nkwatch.store.sqlite import (
    Rejection,
    SaveResult,
    SearchHit,
    SQLiteStore,
    StageFailure,
    fts_query,
)

__all__ = [
    "Rejection",
    "SQLiteStore",
    "SaveResult",
    "SearchHit",
    "StageFailure",
    "fts_query",
    "open_store",
]


def open_store(path: str) -> SQLiteStore:
    """Open (creating and migrating if needed) the store at ``path``."""
    return SQLiteStore(path)
