"""Executors: where the runner's per-article work is done.

Three kinds, one interface (:class:`Executor`): ``inprocess`` runs every task in the calling
process (tests, debugging, small inputs); ``pool`` spreads tasks over a pool of local processes,
one per core (the command line's default); ``dask`` runs them on a Dask distributed cluster, a
local one started for the run (``dask``) or an existing scheduler (``tcp://host:8786``). Tasks are
plain picklable functions over records; results come back in the order the tasks were given, so
what the runner writes does not depend on the executor.
"""

from __future__ import annotations

import logging
import multiprocessing
import multiprocessing.forkserver
import os
import threading
import time
from abc import ABC, abstractmethod
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from multiprocessing.context import BaseContext
from types import TracebackType
from typing import Any, Protocol, TypeVar

from nkwatch.errors import ExecutorError

__all__ = [
    "EXECUTORS",
    "DaskExecutor",
    "Executor",
    "InProcessExecutor",
    "PoolExecutor",
    "make_executor",
]

log = logging.getLogger(__name__)

T = TypeVar("T")
R = TypeVar("R")

#: The executor names ``--executor`` accepts (besides a scheduler address such as tcp://…).
EXECUTORS = ("pool", "inprocess", "dask")
#: Tasks in flight per worker: enough to keep every worker busy, few enough to bound memory.
_TASKS_PER_WORKER = 4
#: Seconds to wait for a Dask scheduler to answer before giving up on it.
_CONNECT_SECONDS = 10
#: What the pool's tasks import, imported once by the fork server so that each worker starts
#: with it: extraction, enrichment and summaries (the runner), identity protection's
#: recognisers and its gazetteer of towns, de-duplication's fingerprints. Imported in each
#: worker instead, they cost every worker over a second of CPU.
_PRELOAD = [
    "nkwatch.runner",
    "nkwatch.protect.persons",
    "nkwatch.protect.recognisers",
    "nkwatch.protect.warm",
    "datasketch",
]
#: How often a pool worker checks that the process that started it is still there.
_WATCH_SECONDS = 1.0


class Executor(Protocol):
    """Runs tasks and hands back their results in order."""

    #: ``inprocess``, ``pool`` or ``dask``.
    name: str
    #: How many tasks run at once.
    workers: int
    #: Whether :meth:`map` may be called from another thread while one runs, so that a stage
    #: can run beside the others (see :class:`nkwatch.runner.Ahead`).
    overlaps: bool

    def map(
        self, fn: Callable[[T], R], items: Iterable[T], *, window: int | None = None
    ) -> Iterator[R]:
        """``fn`` over ``items``, results in the order of ``items``; at most ``window`` tasks
        in flight (default: a few per worker)."""
        ...

    def close(self) -> None:
        """Stop the workers this executor started."""
        ...


class _Closing(ABC):
    """Context-manager support shared by the executors."""

    @abstractmethod
    def close(self) -> None:
        """Stop the workers this executor started."""

    def __enter__(self: Any) -> Any:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


class InProcessExecutor(_Closing):
    """Every task in the calling process, one after the other."""

    name = "inprocess"
    workers = 1
    overlaps = False

    def map(
        self, fn: Callable[[T], R], items: Iterable[T], *, window: int | None = None
    ) -> Iterator[R]:
        """``fn`` over ``items``, lazily (one at a time, whatever the window)."""
        for item in items:
            yield fn(item)

    def close(self) -> None:
        """Nothing to stop."""


def _ordered(
    submit: Callable[[T], Any], wait: Callable[[Any], R], items: Iterable[T], window: int
) -> Iterator[R]:
    """Submit ``items`` with at most ``window`` in flight; yield their results in order."""
    pending: deque[Any] = deque()
    for item in items:
        pending.append(submit(item))
        if len(pending) >= window:
            yield wait(pending.popleft())
    while pending:
        yield wait(pending.popleft())


class PoolExecutor(_Closing):
    """A pool of local worker processes, started on first use.

    Workers are forked from a fresh server process, started with the executor, that has
    imported what the tasks need once (:data:`_PRELOAD`), never from the calling process (which
    may hold threads, open files and a store connection). As
    with any such pool, a script that uses it keeps its work under
    ``if __name__ == "__main__":`` (the workers import the script's main module).
    """

    name = "pool"
    overlaps = True

    def __init__(self, workers: int | None = None) -> None:
        self.workers = max(1, workers or os.cpu_count() or 1)
        self._pool: ProcessPoolExecutor | None = None
        self._lock = threading.Lock()
        self._context: BaseContext
        if "forkserver" in multiprocessing.get_all_start_methods():
            self._context = multiprocessing.get_context("forkserver")
            self._context.set_forkserver_preload(_PRELOAD)
            # The server imports while this process goes on opening the store and reading the
            # inputs: the first worker is then forked without waiting for those imports.
            multiprocessing.forkserver.ensure_running()
        else:  # pragma: no cover - platforms without fork
            self._context = multiprocessing.get_context("spawn")

    def _started(self) -> ProcessPoolExecutor:
        with self._lock:  # a stage run ahead may ask from another thread
            if self._pool is None:
                self._pool = ProcessPoolExecutor(
                    max_workers=self.workers,
                    mp_context=self._context,
                    initializer=_follow_parent,
                    initargs=(os.getpid(),),
                )
            return self._pool

    def map(
        self, fn: Callable[[T], R], items: Iterable[T], *, window: int | None = None
    ) -> Iterator[R]:
        """``fn`` over ``items`` in the worker processes, results in order."""
        pool = self._started()

        def wait(future: Future[R]) -> R:
            try:
                return future.result()
            except (BrokenProcessPool, EOFError) as exc:
                raise ExecutorError(_WORKER_DIED) from exc

        try:
            yield from _ordered(
                lambda item: pool.submit(fn, item),
                wait,
                items,
                window or self.workers * _TASKS_PER_WORKER,
            )
        # raised by submit once the pool is broken; EOFError comes from the pool's pipes when
        # a worker dies while another one is being started
        except (BrokenProcessPool, EOFError) as exc:
            raise ExecutorError(_WORKER_DIED) from exc

    def close(self) -> None:
        """Stop the workers."""
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None


#: What a dead pool worker means to the user, whichever call of the pool noticed it first.
_WORKER_DIED = (
    "a worker process of the pool died (killed, or out of memory); what was committed is "
    "kept: run the command again to finish, or use fewer --workers"
)


def _follow_parent(pid: int) -> None:
    """In a pool worker: exit once the process that started the pool is gone.

    A killed run cannot stop its pool; without this its workers would wait on their queues
    (or block writing a result nobody reads) for ever.
    """

    def watch() -> None:
        while True:
            time.sleep(_WATCH_SECONDS)
            try:
                os.kill(pid, 0)
            except ProcessLookupError:
                os._exit(1)
            except PermissionError:  # the id now belongs to another user's process
                os._exit(1)

    threading.Thread(target=watch, name="nkwatch-follow-parent", daemon=True).start()


class DaskExecutor(_Closing):
    """Tasks on a Dask distributed cluster: a local one for the run, or an existing scheduler.

    ``address`` is a scheduler's address (``tcp://host:8786``); without one a local cluster of
    ``workers`` single-threaded worker processes is started on the loopback interface (with
    ``processes=False``, worker threads in this process: for tests).
    """

    name = "dask"
    #: Not claimed: the client is driven from the calling thread only.
    overlaps = False

    def __init__(
        self, address: str | None = None, *, workers: int | None = None, processes: bool = True
    ) -> None:
        try:
            from distributed import Client, LocalCluster
        except ImportError as exc:
            raise ExecutorError(
                "the dask executor needs Dask distributed: pip install 'nkwatch[dask]'"
            ) from exc
        self._cluster: Any = None
        self.address = address
        try:
            if address is None:
                count = max(1, workers or os.cpu_count() or 1)
                # Worker processes listen on the loopback interface only; worker threads
                # (processes=False) talk in memory.
                where = {"host": "127.0.0.1"} if processes else {}
                self._cluster = LocalCluster(
                    n_workers=count,
                    threads_per_worker=1,
                    processes=processes,
                    dashboard_address=None,
                    **where,
                )
                self._client: Any = Client(self._cluster)
            else:
                self._client = Client(address, timeout=_CONNECT_SECONDS)
        except (OSError, TimeoutError) as exc:
            self.close()
            target = address or "a local cluster"
            raise ExecutorError(
                f"cannot reach the Dask scheduler at {target}: {exc}; start one "
                "(`dask scheduler` and `dask worker ADDRESS`) or use --executor pool"
            ) from exc
        threads = self._client.nthreads()
        self.workers = max(1, sum(threads.values()) if threads else workers or 1)

    def map(
        self, fn: Callable[[T], R], items: Iterable[T], *, window: int | None = None
    ) -> Iterator[R]:
        """``fn`` over ``items`` on the cluster, results in order."""
        from distributed import KilledWorker

        def wait(future: Any) -> R:
            try:
                return future.result()  # type: ignore[no-any-return]
            except KilledWorker as exc:
                raise ExecutorError(
                    f"a Dask worker died while running a task ({exc}); what was committed is "
                    "kept: run the command again to finish"
                ) from exc
            except (OSError, TimeoutError) as exc:
                raise ExecutorError(
                    f"lost the Dask scheduler at {self.address or 'the local cluster'}: {exc}; "
                    "what was committed is kept: run the command again to finish"
                ) from exc

        yield from _ordered(
            lambda item: self._client.submit(fn, item, pure=False),
            wait,
            items,
            window or self.workers * _TASKS_PER_WORKER,
        )

    def close(self) -> None:
        """Disconnect, and stop the local cluster if this executor started one."""
        client = getattr(self, "_client", None)
        if client is not None:
            client.close()
            self._client = None
        if self._cluster is not None:
            self._cluster.close()
            self._cluster = None


def make_executor(spec: str | None = None, *, workers: int | None = None) -> Executor:
    """The executor ``spec`` names: ``pool`` (default), ``inprocess``, ``dask`` or an address.

    ``workers`` bounds the pool or the local Dask cluster (default: one per core).
    """
    choice = (spec or "pool").strip()
    if workers is not None and workers < 1:
        raise ExecutorError(f"--workers must be 1 or more, not {workers}")
    if choice == "inprocess":
        return InProcessExecutor()
    if choice == "pool":
        return PoolExecutor(workers)
    if choice == "dask":
        return DaskExecutor(workers=workers)
    if "://" in choice:
        return DaskExecutor(choice, workers=workers)
    raise ExecutorError(
        f"unknown executor {choice!r}: use pool, inprocess, dask or a Dask scheduler address "
        "such as tcp://127.0.0.1:8786"
    )
