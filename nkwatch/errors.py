"""The error tree: one base class and a small subtree per stage.

Bad *data* is rejected with a :class:`Reason` that is logged, counted and stored so a run can go
on; programmer errors raise ordinary Python exceptions.
"""

from __future__ import annotations

from enum import StrEnum


class Reason(StrEnum):
    """Why an input produced no article (stored with every rejection)."""

    EMPTY = "empty"
    BINARY = "binary"
    TOO_LARGE = "too-large"
    NOT_AN_ARTICLE = "not-an-article"
    ENCODING = "unreadable-encoding"
    FETCH_ERROR = "fetch-error"
    HTTP_STATUS = "http-status"
    ROBOTS = "robots-disallowed"
    BAD_FEED = "bad-feed"
    EMPTY_FEED = "empty-feed"
    UNSUPPORTED = "unsupported-type"
    NOT_FOUND = "not-found"
    BAD_ARCHIVE = "bad-archive"
    INTERNAL = "internal-error"
    BOILERPLATE = "boilerplate"
    OVER_BUDGET = "over-time-budget"
    NOT_A_FILE = "not-a-regular-file"
    REFUSED_ADDRESS = "refused-address"


def printable(text: str) -> str:
    """``text`` with undecodable bytes (from file names and headers) shown as ``\\xff`` escapes,
    so that it can be printed, logged and stored whatever it came from."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return "".join(_escape_surrogate(char) for char in text)
    return text


def _escape_surrogate(char: str) -> str:
    code = ord(char)
    if 0xDC80 <= code <= 0xDCFF:  # a byte that was not UTF-8 (surrogateescape)
        return f"\\x{code - 0xDC00:02x}"
    if 0xD800 <= code <= 0xDFFF:
        return f"\\u{code:04x}"
    return char


class NkwatchError(Exception):
    """Base class of every error nkwatch raises on purpose."""


class ConfigError(NkwatchError):
    """A configuration or profile file is missing, malformed or has a bad value."""


class StoreError(NkwatchError):
    """The store cannot be opened, migrated or written."""


class UnsupportedStore(StoreError):
    """``--db`` names a kind of database nkwatch cannot use (an unknown URL scheme, or
    ``postgresql://`` without the ``postgres`` extra installed)."""


class PublishError(NkwatchError):
    """A digest or export cannot be written."""


class RejectedInput(NkwatchError):
    """An input was read but yields no article; carries a typed reason and the input's name."""

    def __init__(self, source: str, reason: Reason, detail: str) -> None:
        self.source = printable(source)
        self.reason = reason
        self.detail = printable(detail)
        super().__init__(f"{self.source}: {reason.value}: {self.detail}")

    def __reduce__(self) -> tuple[type[RejectedInput], tuple[str, Reason, str]]:
        # Rejections travel back from executor workers; rebuild them from their parts.
        return (type(self), (self.source, self.reason, self.detail))


class FetchError(RejectedInput):
    """A URL could not be fetched (network, status, robots.txt, size cap, refused address)."""


class ExtractError(RejectedInput):
    """A fetched or read document holds no usable article."""


class BudgetExceeded(NkwatchError):
    """One document's work ran past its time budget (the document is rejected or quarantined)."""


class ExecutorError(NkwatchError):
    """The executor failed: a worker died, the pool broke, the Dask scheduler is unreachable.

    What was committed before it is kept; running the command again finishes the work.
    """
