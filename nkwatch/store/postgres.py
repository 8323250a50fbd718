"""The PostgreSQL store (``--db postgresql://…``): the shared SQL store over psycopg 3.

Several nkwatch processes can write to one database at once: every outermost transaction takes
a transaction-level advisory lock first, so writers take turns exactly as they do on one SQLite
file (``BEGIN IMMEDIATE``), and a lock held longer than ``lock_timeout`` (30 s unless the URL sets
it) is a clear :class:`~nkwatch.errors.StoreError`. Reads run outside transactions and see what
is committed. Full-text search uses a ``tsvector`` table with a GIN index and
``websearch_to_tsquery``. A statement interrupted by a time budget is cancelled on the server,
so the connection stays usable; a dropped connection is one line saying so.
"""

from __future__ import annotations

import functools
import itertools
import logging
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any

import psycopg
from psycopg import pq

from nkwatch.errors import StoreError
from nkwatch.store import store_label
from nkwatch.store.migrations import BACKFILLS
from nkwatch.store.migrations_pg import ACCENTED, BARE, MIGRATIONS
from nkwatch.store.sqlite import SEARCH_RECENT, RowLike, SQLStore, _now

log = logging.getLogger(__name__)

#: First key of every advisory lock nkwatch takes ("nk"); the second is the schema's hash.
_LOCK_CLASS = 0x6E6B
_LOCK = f"SELECT pg_advisory_xact_lock({_LOCK_CLASS}, hashtext(current_schema()))"

#: Session settings nkwatch brings unless the server's configuration or the URL set them:
#: a writer waits 30 s for another's transaction (SQLite's busy timeout), and a commit does not
#: wait for its WAL flush, the durability of SQLite's WAL with ``synchronous=NORMAL`` (a crash
#: may lose the last moments of commits, never consistency). ``?options=-csynchronous_commit%3Don``
#: in the URL asks for every commit flushed.
_DEFAULTS = {"lock_timeout": "30s", "synchronous_commit": "off"}

_WORD = re.compile(r"\w+", re.UNICODE)
_INSERT = re.compile(r"^\s*INSERT\s+INTO\s+(\w+)", re.IGNORECASE)
_ENDINGS = re.compile(r"^\s*(ROLLBACK|RELEASE)\b", re.IGNORECASE)
#: Numbers for the names of server-side cursors (unique within a connection).
_STREAMS = itertools.count(1)

#: Snippet settings close to SQLite's ``snippet(..., '[', ']', ' … ', 12)``, with marks no
#: stored text holds (control characters), made brackets once the accents are back.
_START, _STOP = "\x02", "\x03"
_HEADLINE = (
    f"StartSel={_START}, StopSel={_STOP}, MaxWords=12, MinWords=5, MaxFragments=1, "
    'FragmentDelimiter=" … "'
)
_UNACCENT = str.maketrans(ACCENTED, BARE)
_MARKS = str.maketrans({_START: None, _STOP: None})


class Row:
    """A result row read by column name or by position, like ``sqlite3.Row``."""

    __slots__ = ("_index", "_values")

    def __init__(self, values: Sequence[Any], index: dict[str, int]) -> None:
        self._values = values
        self._index = index

    def __getitem__(self, key: int | str, /) -> Any:
        if isinstance(key, str):
            return self._values[self._index[key]]
        return self._values[key]

    def keys(self) -> list[str]:
        return list(self._index)

    def replaced(self, key: str, value: Any) -> Row:
        """A copy of the row with column ``key`` set to ``value``."""
        values = list(self._values)
        values[self._index[key]] = value
        return Row(values, self._index)

    def __iter__(self) -> Iterator[Any]:
        return iter(self._values)

    def __len__(self) -> int:
        return len(self._values)

    def __repr__(self) -> str:
        return f"Row({dict(zip(self._index, self._values, strict=False))!r})"


def _row_factory(cursor: Any) -> Callable[[Sequence[Any]], Row]:
    index: dict[str, int] = {}
    for position, column in enumerate(cursor.description or ()):
        index.setdefault(column.name, position)
    return lambda values: Row(values, index)


@functools.lru_cache(maxsize=1024)
def translate(sql: str) -> str:
    """sqlite3's ``?`` placeholders as psycopg's ``%s`` (and a literal ``%`` as ``%%``).

    Question marks inside quoted strings and identifiers stay as they are.
    """
    out: list[str] = []
    quote: str | None = None
    for char in sql:
        if quote is not None:
            out.append("%%" if char == "%" else char)
            if char == quote:
                quote = None
        elif char in "'\"":
            quote = char
            out.append(char)
        elif char == "?":
            out.append("%s")
        elif char == "%":
            out.append("%%")
        else:
            out.append(char)
    return "".join(out)


def _clean(params: Iterable[Any]) -> tuple[Any, ...]:
    """PostgreSQL text holds no NUL character: one is stored as U+FFFD, the replacement mark."""
    return tuple(
        value.replace("\x00", "\ufffd") if isinstance(value, str) and "\x00" in value else value
        for value in params
    )


class Cursor:
    """The result of one statement: its rows, ``rowcount`` and (after an INSERT) ``lastrowid``."""

    def __init__(self, rows: list[Row], rowcount: int, lastrowid: int | None) -> None:
        self._rows = rows
        self.rowcount = rowcount
        self.lastrowid = lastrowid

    def fetchone(self) -> Row | None:
        return self._rows[0] if self._rows else None

    def fetchall(self) -> list[Row]:
        return list(self._rows)

    def __iter__(self) -> Iterator[Row]:
        return iter(self._rows)


class Connection:
    """A psycopg connection behind sqlite3's ``execute`` API, so the shared SQL runs unchanged.

    An INSERT into a table with an ``id`` identity returns the new id as ``lastrowid``.
    """

    def __init__(self, connection: psycopg.Connection[Any], where: str) -> None:
        self._conn = connection
        self._where = where
        self._id_tables: frozenset[str] = frozenset()

    def learn_tables(self) -> None:
        """Note which tables hand out ids (after the migrations)."""
        rows = self._conn.execute(
            "SELECT table_name FROM information_schema.columns WHERE column_name = 'id' "
            "AND is_identity = 'YES' AND table_schema = current_schema()"
        ).fetchall()
        self._id_tables = frozenset(str(row[0]) for row in rows)

    def execute(self, sql: str, params: Sequence[Any] = ()) -> Cursor:
        query = translate(sql)
        inserted = _INSERT.match(sql)
        returning = bool(inserted and inserted.group(1) in self._id_tables)
        if returning and "RETURNING" not in sql.upper():
            query += " RETURNING id"
        if self._conn.closed and _ENDINGS.match(sql):
            return Cursor([], 0, None)  # the server rolled back when the connection dropped
        with self._guard():
            cursor = self._conn.execute(query, _clean(params))
            rows = cursor.fetchall() if cursor.description is not None else []
        lastrowid = int(rows[0][0]) if returning and rows else None
        return Cursor(rows, cursor.rowcount, lastrowid)

    def stream(self, sql: str, params: Sequence[Any] = (), *, size: int = 500) -> Iterator[Row]:
        """The rows of a SELECT through a server-side cursor, ``size`` at a time: the client
        never holds the whole result. The cursor is WITH HOLD, so it outlives the statement's
        own transaction (the connection autocommits); it is closed when iteration ends."""
        cursor: psycopg.ServerCursor[Any] = self._conn.cursor(
            f"nkwatch_rows_{next(_STREAMS)}", withhold=True
        )
        try:
            with self._guard():
                cursor.execute(translate(sql), _clean(params))
            while True:
                with self._guard():
                    rows = cursor.fetchmany(size)
                if not rows:
                    return
                yield from rows
        finally:
            if not self._conn.closed:
                cursor.close()

    def executemany(self, sql: str, seq: Iterable[Sequence[Any]]) -> Cursor:
        batch = [_clean(params) for params in seq]
        if not batch:
            return Cursor([], 0, None)
        with self._guard(), self._conn.cursor() as cursor:
            cursor.executemany(translate(sql), batch)
            return Cursor([], cursor.rowcount, None)

    def close(self) -> None:
        self._conn.close()

    @property
    def raw(self) -> psycopg.Connection[Any]:
        """The psycopg connection (migrations run scripts on it)."""
        return self._conn

    def _guard(self) -> _Guard:
        return _Guard(self._conn, self._where)


class _Guard:
    """Around one statement: an interruption (a time budget, Ctrl-C) cancels it on the server so
    the connection stays usable, and a lost connection or a lock wait gone past its timeout
    becomes a :class:`StoreError` with a one-line message."""

    def __init__(self, connection: psycopg.Connection[Any], where: str) -> None:
        self._conn = connection
        self._where = where

    def __enter__(self) -> None:
        return None

    def __exit__(self, exc_type: Any, exc: BaseException | None, tb: Any) -> None:
        if exc is None:
            return
        if not isinstance(exc, psycopg.Error):
            _settle(self._conn)
            return
        first = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
        if self._conn.closed or self._conn.broken or isinstance(exc, psycopg.OperationalError):
            if isinstance(exc, psycopg.errors.LockNotAvailable):
                raise StoreError(
                    f"the PostgreSQL store {self._where} stayed locked by another writer "
                    f"for longer than lock_timeout: {first}"
                ) from exc
            if isinstance(exc, psycopg.errors.QueryCanceled):
                raise StoreError(
                    f"a statement on the PostgreSQL store {self._where} was cancelled: {first}"
                ) from exc
            raise StoreError(
                f"lost the connection to the PostgreSQL store {self._where} ({first}); "
                "its open transaction was rolled back, so run the command again"
            ) from exc
        if isinstance(exc, psycopg.InterfaceError):
            raise StoreError(f"the PostgreSQL store {self._where} is unusable: {first}") from exc


def _settle(connection: psycopg.Connection[Any]) -> None:
    """After an exception raised in the middle of a statement, cancel it and read its end."""
    pgconn = connection.pgconn
    if connection.closed or pgconn.transaction_status != pq.TransactionStatus.ACTIVE:
        return
    try:
        connection.cancel_safe(timeout=5.0)
        while pgconn.get_result() is not None:
            pass
    except Exception:  # the server is gone: the next statement reports it
        log.debug("cancelling an interrupted statement failed", exc_info=True)
    if pgconn.transaction_status == pq.TransactionStatus.ACTIVE:
        connection.close()


def _session_defaults(connection: psycopg.Connection[Any]) -> None:
    rows = connection.execute(
        "SELECT name FROM pg_settings WHERE source = 'default' AND name = ANY(%s)",
        (list(_DEFAULTS),),
    ).fetchall()
    for (name,) in rows:
        connection.execute(f"SET {name} = '{_DEFAULTS[name]}'")


class PostgresStore(SQLStore):
    """The store in a PostgreSQL database (psycopg 3), for a desk shared by a team."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.where = store_label(url)
        self._depth = 0
        try:
            raw = psycopg.connect(url, autocommit=True, row_factory=_row_factory)
        except psycopg.Error as exc:
            first = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
            raise StoreError(
                f"cannot open the PostgreSQL store {self.where}: {first}. "
                "Check the server runs and the URL (user, host, port, database)."
            ) from exc
        self._db = Connection(raw, self.where)
        try:
            _session_defaults(raw)
            self._migrate()
            self._db.learn_tables()
        except psycopg.Error as exc:
            raw.close()
            first = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
            raise StoreError(f"cannot migrate the PostgreSQL store {self.where}: {first}") from exc

    def close(self) -> None:
        """Close the connection."""
        self._db.close()

    def reusable(self) -> bool:
        """When no transaction is open and the connection is alive and idle on the server."""
        raw = self._db.raw
        return (
            self._depth == 0
            and not raw.closed
            and raw.info.transaction_status == pq.TransactionStatus.IDLE
        )

    def _stream(self, sql: str, params: Sequence[Any] = ()) -> Iterator[Row]:
        return self._db.stream(sql, params)

    def _begin(self) -> None:
        self._db.execute("BEGIN")
        self._db.execute(_LOCK)

    def _migrate(self) -> None:
        """Apply the pending migrations in one transaction, under the write lock (two processes
        opening a new database at once migrate it once)."""
        raw = self._db.raw
        with raw.transaction():
            raw.execute(_LOCK)
            raw.execute(
                "CREATE TABLE IF NOT EXISTS migrations "
                "(number INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)"
            )
            done = {row[0] for row in raw.execute("SELECT number FROM migrations")}
            for migration in MIGRATIONS:
                if migration.number in done:
                    continue
                log.info("applying migration %03d %s", migration.number, migration.name)
                raw.execute(migration.sql.encode())
                if migration.number in BACKFILLS:
                    getattr(self, BACKFILLS[migration.number])()
                raw.execute(
                    "INSERT INTO migrations (number, name, applied_at) VALUES (%s, %s, %s)",
                    (migration.number, migration.name, _now()),
                )

    def _search_rows(
        self, query: str, where: str, params: Sequence[Any], limit: int
    ) -> list[RowLike]:
        words: list[str] = []
        prefixes: list[str] = []
        for raw in query.split():
            found = _WORD.findall(raw)
            (prefixes if raw.endswith("*") else words).extend(found)
        if not words and not prefixes:
            return []
        # Every word must match, as in the SQLite store: quoted, websearch_to_tsquery reads no
        # operators; a word ending in * matches as a prefix.
        parts: list[str] = []
        values: list[str] = []
        if words:
            parts.append("websearch_to_tsquery('simple', nkwatch_unaccent(?))")
            values.append(" ".join(f'"{word}"' for word in words))
        if prefixes:
            parts.append("to_tsquery('simple', nkwatch_unaccent(?))")
            values.append(" & ".join(f"{word}:*" for word in prefixes))
        tsquery = " && ".join(parts)
        # The newest SEARCH_RECENT matches are ranked, as in the SQLite store. The snippet is
        # cut from the text read without accents (so that the words matched are marked), then
        # given its accents back: the two have the same length.
        sql = (
            "SELECT m.*, ts_headline('simple', nkwatch_unaccent(m.text), m.tsq, ?) AS snip FROM ("
            "SELECT a.*, t.tsq, -ts_rank('{0.2, 0.2, 0.2, 1.0}', f.document, t.tsq, 1) AS rank "
            f"FROM (SELECT {tsquery} AS tsq) AS t "
            "CROSS JOIN LATERAL (SELECT f.article_id FROM articles_fts f "
            "JOIN articles a ON a.id = f.article_id "
            f"WHERE f.document @@ t.tsq {where} ORDER BY f.article_id DESC LIMIT ?) AS recent "
            "JOIN articles_fts f ON f.article_id = recent.article_id "
            "JOIN articles a ON a.id = recent.article_id "
            "ORDER BY rank, a.id LIMIT ?) AS m ORDER BY m.rank, m.id"
        )
        recent = max(SEARCH_RECENT, limit)
        rows = self._db.execute(sql, (_HEADLINE, *values, *params, recent, limit)).fetchall()
        return [_with_accents(row) for row in rows]


def _with_accents(row: Row) -> Row:
    """A search row whose snippet, cut from the text read without accents, has them back and
    its matched words in brackets."""
    snippet = row["snip"]
    if snippet:
        text = row["text"] or ""
        plain = snippet.translate(_MARKS)
        at = text.translate(_UNACCENT).find(plain)
        if at >= 0:
            original = iter(text[at : at + len(plain)])
            snippet = "".join(c if c in (_START, _STOP) else next(original) for c in snippet)
        row = row.replaced("snip", snippet.replace(_START, "[").replace(_STOP, "]"))
    return row
