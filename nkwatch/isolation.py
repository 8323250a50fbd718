"""Per-article isolation: one article's failure in a stage never stops a run, nor a later run.

Every per-article stage (de-duplication, enrichment, story assignment, summaries) runs each
article inside :meth:`Isolation.article`: its writes form one nested transaction, its work has a
time budget, and any exception is caught, rolled back and stored as a quarantined failure
(article, stage, error class, message, code version) that ``nkwatch status`` lists. The next run
retries a quarantined article (up to :data:`MAX_ATTEMPTS` times with the same code, and again
after every upgrade); ``nkwatch retry`` retries all of them at once.
"""

from __future__ import annotations

import ctypes
import hashlib
import logging
import signal
import threading
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from functools import cache
from importlib import metadata, resources
from importlib.resources.abc import Traversable
from types import FrameType
from typing import Any, Protocol

from nkwatch.errors import BudgetExceeded
from nkwatch.store.sqlite import StageFailure

log = logging.getLogger(__name__)

#: A quarantined article is retried automatically this many times with the same code.
MAX_ATTEMPTS = 3


@cache
def code_version() -> str:
    """The package version plus a digest of its source: results made by other code are redone."""
    try:
        version = metadata.version("nkwatch")
    except metadata.PackageNotFoundError:
        version = "0"
    return f"{version}+{code_digest(('',), ())}"


@cache
def code_digest(paths: tuple[str, ...], libraries: tuple[str, ...]) -> str:
    """A digest of part of the package's source (files whose path in the package starts with
    one of ``paths``) and of the installed versions of ``libraries``: a stage whose stored
    results depend only on these is redone when they change, not after every other edit."""
    digest = hashlib.sha256()
    for name, content in sorted(_sources(resources.files("nkwatch"))):
        if name.startswith(paths):
            digest.update(name.encode("utf-8"))
            digest.update(content)
    for library in libraries:
        try:
            digest.update(f"{library} {metadata.version(library)}".encode())
        except metadata.PackageNotFoundError:
            digest.update(f"{library} -".encode())
    return digest.hexdigest()[:12]


def _sources(root: Traversable, prefix: str = "") -> Iterator[tuple[str, bytes]]:
    """(relative path, bytes) of every Python file of the package."""
    for entry in root.iterdir():
        if entry.is_dir() and entry.name not in {"data", "__pycache__"}:
            yield from _sources(entry, f"{prefix}{entry.name}/")
        elif entry.name.endswith(".py"):
            yield f"{prefix}{entry.name}", entry.read_bytes()


#: After a budget runs out, how often it is raised again while the block has not ended.
_BUDGET_REPEAT_SECONDS = 0.25


@contextmanager
def time_budget(seconds: float | None, *, what: str = "this document") -> Iterator[None]:
    """Raise :class:`BudgetExceeded` inside the block once ``seconds`` have passed, and again
    every quarter second until it leaves the block.

    The repeats matter: an extraction library that wraps its fallbacks in ``except Exception``
    swallows the first raise and goes on unbounded (a page of 30,000 short paragraphs ran 76 s
    under a 2 s budget). In the main thread the process's interval timer raises it; in another
    thread (a Dask worker's) a watchdog timer raises it in that thread, between two Python
    steps. Either way, work inside one long call of a C library (a regular expression's match)
    ends before the raise: patterns must be linear. An enclosing budget already running is
    left in charge.
    """
    if seconds is None or seconds <= 0 or getattr(_budgets, "running", False):
        yield
        return
    message = f"{what} took longer than its {seconds:g} s budget"
    _budgets.running = True
    try:
        if threading.current_thread() is threading.main_thread():
            with _signal_budget(seconds, message):
                yield
        else:
            with _thread_budget(seconds, message):
                yield
    finally:
        _budgets.running = False


#: Per thread: whether a budget is running there (an inner one is then left alone).
_budgets = threading.local()


@contextmanager
def _signal_budget(seconds: float, message: str) -> Iterator[None]:
    if not hasattr(signal, "setitimer") or signal.getitimer(signal.ITIMER_REAL)[0] != 0:
        yield  # no interval timer here, or another part of the process holds it
        return

    def expire(signum: int, frame: FrameType | None) -> None:
        raise BudgetExceeded(message)

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds, _BUDGET_REPEAT_SECONDS)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


@contextmanager
def _thread_budget(seconds: float, message: str) -> Iterator[None]:
    # An exception raised in another thread is made from its class alone, so the message goes
    # into a subclass (whose name the failure records keep: "BudgetExceeded").
    over = type("BudgetExceeded", (BudgetExceeded,), {"__init__": _with_message(message)})
    target = ctypes.c_ulong(threading.get_ident())
    lock = threading.Lock()
    state: dict[str, Any] = {"active": True, "timer": None}

    def fire() -> None:
        with lock:
            if not state["active"]:
                return
            ctypes.pythonapi.PyThreadState_SetAsyncExc(target, ctypes.py_object(over))
            state["timer"] = _daemon_timer(_BUDGET_REPEAT_SECONDS, fire)

    with lock:
        state["timer"] = _daemon_timer(seconds, fire)
    try:
        yield
    finally:
        with lock:
            state["active"] = False
            state["timer"].cancel()
            # a raise set but not yet delivered must not land after the block
            ctypes.pythonapi.PyThreadState_SetAsyncExc(target, None)


def _with_message(message: str) -> Callable[[BaseException], None]:
    def init(self: BaseException, *args: object) -> None:
        BudgetExceeded.__init__(self, message)  # type: ignore[arg-type]

    return init


def _daemon_timer(seconds: float, action: Callable[[], None]) -> threading.Timer:
    timer = threading.Timer(seconds, action)
    timer.daemon = True
    timer.start()
    return timer


class _FailureStore(Protocol):
    def transaction(self) -> AbstractContextManager[None]: ...
    def failures(self, *, stage: str | None = None) -> list[StageFailure]: ...
    def record_failure(
        self,
        article_id: int,
        stage: str,
        error_class: str,
        message: str,
        *,
        code_version: str,
        run_id: int | None = None,
    ) -> None: ...
    def clear_failure(self, article_id: int, stage: str) -> None: ...


class Isolation:
    """Runs each article of a stage in its own guarded unit and keeps the tally of failures.

    With ``strict=True`` (tests of a single stage) exceptions propagate instead.
    """

    def __init__(
        self,
        store: _FailureStore,
        *,
        run_id: int | None = None,
        budget_seconds: float | None = None,
        retry_all: bool = False,
        strict: bool = False,
    ) -> None:
        self.store = store
        self.run_id = run_id
        self.budget_seconds = budget_seconds
        self.strict = strict
        self.failed: Counter[str] = Counter()
        self.recovered: Counter[str] = Counter()
        version = code_version()
        self._quarantined: dict[str, set[int]] = {}
        self._exhausted: dict[str, set[int]] = {}
        for failure in store.failures():
            self._quarantined.setdefault(failure.stage, set()).add(failure.article_id)
            worn_out = failure.attempts >= MAX_ATTEMPTS and failure.code_version == version
            if worn_out and not retry_all:
                self._exhausted.setdefault(failure.stage, set()).add(failure.article_id)

    def skip(self, stage: str, article_id: int | None) -> bool:
        """Whether the article waits for ``nkwatch retry`` or an upgrade in this stage."""
        return article_id in self._exhausted.get(stage, ())

    @contextmanager
    def article(self, stage: str, article_id: int, *, budget: bool = True) -> Iterator[None]:
        """One article's work in one stage: atomic, time-bounded, and never fatal to the run."""
        try:
            with (
                self.store.transaction(),
                time_budget(
                    self.budget_seconds if budget else None, what=f"article {article_id} in {stage}"
                ),
            ):
                yield
        except Exception as exc:
            if self.strict:
                raise
            log.debug("traceback of article %s in %s", article_id, stage, exc_info=True)
            self._record(stage, article_id, type(exc).__name__, str(exc) or repr(exc))
            return
        if article_id in self._quarantined.get(stage, ()):
            self.store.clear_failure(article_id, stage)
            self._quarantined[stage].discard(article_id)
            self.recovered[stage] += 1

    def fail(self, stage: str, article_id: int, error_class: str, message: str) -> None:
        """Quarantine an article whose work failed elsewhere (in an executor's worker)."""
        if self.strict:
            raise RuntimeError(f"article {article_id} failed in {stage}: {error_class}: {message}")
        self._record(stage, article_id, error_class, message)

    def _record(self, stage: str, article_id: int, error_class: str, message: str) -> None:
        log.warning("article %s failed in %s: %s: %s", article_id, stage, error_class, message)
        self.store.record_failure(
            article_id,
            stage,
            error_class,
            message,
            code_version=code_version(),
            run_id=self.run_id,
        )
        self.failed[stage] += 1


def waits(isolation: Isolation | None, stage: str, article_id: int) -> bool:
    """Whether a stage leaves this article for ``nkwatch retry`` or an upgrade."""
    return isolation is not None and isolation.skip(stage, article_id)


def guard(
    isolation: Isolation | None, stage: str, article_id: int, *, budget: bool = True
) -> AbstractContextManager[None]:
    """The unit one article's work in a stage runs in; with no isolation, none (errors raise)."""
    if isolation is None:
        return nullcontext()
    return isolation.article(stage, article_id, budget=budget)
