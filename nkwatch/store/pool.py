"""Open stores kept between the requests of a long-running process (the web desk).

Opening a PostgreSQL store costs a connection and a migration check, about 30 ms, which is most
of what a list call may take; a SQLite store opens in about a millisecond and its connection
belongs to the thread that opened it. So a store is kept for the next caller only when it says
it can serve one (:meth:`~nkwatch.store.protocol.Store.reusable`), and when the caller finished
without an error; anything else is closed as before.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from nkwatch.store.protocol import Store

#: Open stores kept at most (each a server connection for PostgreSQL).
IDLE = 8


class StorePool:
    """Lends open stores of one target, one caller at a time each."""

    def __init__(self, opener: Callable[[], Store] | str | Path, *, idle: int = IDLE) -> None:
        if isinstance(opener, str | Path):
            from nkwatch.store import open_store

            target = opener
            self._open: Callable[[], Store] = lambda: open_store(target)
        else:
            self._open = opener
        self._idle: list[Store] = []
        self._most = idle
        self._lock = threading.Lock()
        self._closed = False

    @contextmanager
    def borrow(self) -> Iterator[Store]:
        """An open store for the caller's use; kept afterwards when it can serve another."""
        with self._lock:
            store = self._idle.pop() if self._idle else None
        if store is None:
            store = self._open()
        finished = False
        try:
            yield store
            finished = True
        finally:
            if not (finished and self._keep(store)):
                store.close()

    def _keep(self, store: Store) -> bool:
        if not store.reusable():
            return False
        with self._lock:
            if self._closed or len(self._idle) >= self._most:
                return False
            self._idle.append(store)
            return True

    def close(self) -> None:
        """Close every idle store; stores lent now are closed when given back."""
        with self._lock:
            self._closed = True
            idle, self._idle = self._idle, []
        for store in idle:
            store.close()
