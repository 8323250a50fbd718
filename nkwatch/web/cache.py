"""Protected payloads of the read-only views, kept until the store's data changes.

Identity protection is most of what a page costs (each article is analysed before any of it is
shown), and what is stored changes only when a run writes to it. So each payload, once built
and protected, is kept under the store's data version (:func:`nkwatch.web.views.data_version`:
the latest run, which every write of the pipeline belongs to) and served again until a run
starts or finishes. While a run is writing nothing is kept, and entries also expire after
:data:`MAX_AGE_SECONDS`, so windows relative to now ("the last 7 days") move on.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

T = TypeVar("T")

#: Payloads kept at most (least recently used go first).
MAX_ENTRIES = 1024
#: Oldest entry served, in seconds.
MAX_AGE_SECONDS = 600.0


class ReadCache:
    """A bounded map from (data version, view, parameters) to a protected payload."""

    def __init__(
        self,
        *,
        max_entries: int = MAX_ENTRIES,
        max_age: float = MAX_AGE_SECONDS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.max_entries = max_entries
        self.max_age = max_age
        self._clock = clock
        self._entries: OrderedDict[Hashable, tuple[float, Any]] = OrderedDict()
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0

    def get(self, version: tuple[Any, ...] | None, key: Hashable, build: Callable[[], T]) -> T:
        """The payload kept for ``key`` at ``version``, else ``build()`` (kept unless
        ``version`` is ``None``: data being written)."""
        if version is None:
            self.misses += 1
            return build()
        full_key = (version, key)
        now = self._clock()
        with self._lock:
            found = self._entries.get(full_key)
            if found is not None and now - found[0] <= self.max_age:
                self._entries.move_to_end(full_key)
                self.hits += 1
                return found[1]  # type: ignore[no-any-return]
        self.misses += 1
        value = build()
        with self._lock:
            self._entries[full_key] = (now, value)
            self._entries.move_to_end(full_key)
            while len(self._entries) > self.max_entries:
                self._entries.popitem(last=False)
        return value

    def clear(self) -> None:
        """Forget every payload."""
        with self._lock:
            self._entries.clear()
