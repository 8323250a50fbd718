"""Polite HTTP fetching: robots.txt, per-host spacing, conditional GET, size and time limits.

The fetcher wraps httpx (connection pooling, redirects, a mock transport for tests) and turns
every failure into a :class:`~nkwatch.errors.FetchError` with a typed reason. Every request it
sends, robots.txt included, is reported to the store so a run can be audited afterwards.

It cannot be turned against the machine it runs on: connections go only to public addresses
(checked on the address actually connected to, see :mod:`nkwatch.sources.netguard`) unless
``allow_networks`` names the network; the decoded body is capped while it is decoded
(:mod:`nkwatch.sources.decoding`); one deadline covers connect, headers and body.
"""

from __future__ import annotations

import logging
import ssl
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from types import TracebackType
from typing import Protocol, Self
from urllib.parse import urljoin, urlsplit
from urllib.robotparser import RobotFileParser

import httpcore
import httpx

from nkwatch.errors import FetchError, Reason
from nkwatch.record import RawDocument
from nkwatch.sources import netguard
from nkwatch.sources.decoding import ACCEPT_ENCODING, ContentDecodingError, decoded_chunks
from nkwatch.sources.settings import FetchSettings

__all__ = [
    "FetchLog",
    "FetchResult",
    "FetchSettings",
    "Fetcher",
    "InMemoryValidatorStore",
    "ValidatorStore",
]

logger = logging.getLogger(__name__)

#: Statuses after which a request may be tried again once the server is ready.
RETRY_STATUSES = frozenset({429, 503})
#: Statuses that carry a ``Location`` to follow.
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
#: Redirect hops followed for one fetch.
MAX_REDIRECTS = 5
#: robots.txt beyond this size is cut (the limit major crawlers apply).
ROBOTS_MAX_BYTES = 512 * 1024
#: Back-off base when a 429/503 response gives no Retry-After.
DEFAULT_RETRY_WAIT = 1.0


@dataclass(frozen=True)
class FetchLog:
    """One HTTP request as it went: stored for every attempt, failed or not."""

    url: str
    status: int | None
    bytes: int
    duration_ms: float
    error: str | None
    reason: str | None
    fetched_at: datetime
    not_modified: bool = False


@dataclass(frozen=True)
class FetchResult:
    """A fetched response; ``url`` is the final address after redirects."""

    url: str
    status: int
    content: bytes
    content_type: str | None
    charset: str | None
    headers: dict[str, str]
    not_modified: bool
    fetched_at: datetime


class ValidatorStore(Protocol):
    """Where HTTP validators and the fetch log are kept (the store implements this)."""

    def get_validators(self, url: str) -> tuple[str | None, str | None] | None:
        """Return ``(etag, last_modified)`` saved for ``url``, or None when nothing is saved."""
        ...

    def save_validators(self, url: str, etag: str | None, last_modified: str | None) -> None:
        """Remember the validators of the latest full response for ``url``."""
        ...

    def record_fetch(self, log: FetchLog) -> None:
        """Append one request to the fetch log."""
        ...


@dataclass
class InMemoryValidatorStore:
    """A :class:`ValidatorStore` kept in memory, for one run or for tests."""

    validators: dict[str, tuple[str | None, str | None]] = field(default_factory=dict)
    logs: list[FetchLog] = field(default_factory=list)

    def get_validators(self, url: str) -> tuple[str | None, str | None] | None:
        """Return the saved ``(etag, last_modified)`` for ``url``."""
        return self.validators.get(url)

    def save_validators(self, url: str, etag: str | None, last_modified: str | None) -> None:
        """Replace the validators saved for ``url``."""
        self.validators[url] = (etag, last_modified)

    def record_fetch(self, log: FetchLog) -> None:
        """Append ``log``."""
        self.logs.append(log)


@dataclass(frozen=True)
class _Robots:
    """What one host's robots.txt allows; ``unreachable`` holds why it could not be read."""

    parser: RobotFileParser | None = None
    unreachable: str | None = None
    #: ``robots-disallowed`` when the server answered with an error, ``fetch-error`` when the
    #: network failed (a refused connection says nothing about what the site allows).
    reason: Reason = Reason.ROBOTS

    def allows(self, user_agent: str, url: str) -> bool:
        return self.parser is None or self.parser.can_fetch(user_agent, url)

    def crawl_delay(self, user_agent: str) -> float:
        if self.parser is None:
            return 0.0
        delay = self.parser.crawl_delay(user_agent)
        return float(delay) if delay is not None else 0.0


@dataclass(frozen=True)
class _Response:
    """The parts of one HTTP exchange the fetch loop needs."""

    url: str
    status: int
    headers: httpx.Headers
    content: bytes
    charset: str | None


def _host_key(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme.lower()}://{parts.netloc.lower()}"


def _check_url(url: str) -> None:
    try:
        parts = urlsplit(url)
        _ = parts.port
        httpx.URL(url)  # the parser that will send it: e.g. it refuses "http://0177.0.0.1/"
    except (ValueError, httpx.InvalidURL) as exc:
        raise FetchError(url, Reason.UNSUPPORTED, f"not a valid URL ({exc}); check it") from exc
    if parts.scheme.lower() not in ("http", "https"):
        raise FetchError(
            url,
            Reason.UNSUPPORTED,
            f"only http and https URLs can be fetched, not {parts.scheme or 'a bare path'!r}; "
            "give a web address, or pass a local file as a file input",
        )
    if not parts.hostname:
        raise FetchError(url, Reason.UNSUPPORTED, "the URL has no host name; check the address")


def _media_type(headers: httpx.Headers) -> str | None:
    value = headers.get("content-type")
    if not value:
        return None
    return value.split(";", 1)[0].strip().lower() or None


def _retry_after(value: str | None) -> float | None:
    """Seconds a ``Retry-After`` header asks to wait (delta-seconds or an HTTP date)."""
    if value is None:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - datetime.now(UTC)).total_seconds())


class Fetcher:
    """Fetch web pages and feeds politely; one instance per run, not shared between threads."""

    def __init__(
        self,
        settings: FetchSettings,
        *,
        validators: ValidatorStore | None = None,
        transport: httpx.BaseTransport | None = None,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
        resolver: netguard.Resolver = netguard.system_resolver,
    ) -> None:
        """``transport`` replaces the guarded network transport (tests pass a mock one)."""
        self.settings = settings
        self._validators = validators
        self._clock = clock
        self._sleep = sleep
        self._robots: dict[str, _Robots] = {}
        self._last_request: dict[str, float] = {}
        self._not_before: dict[str, float] = {}
        if transport is None:
            policy = netguard.AddressPolicy.from_strings(settings.allow_networks)
            transport = _GuardedTransport(netguard.GuardedBackend(policy, resolver=resolver))
        self._client = httpx.Client(
            transport=transport,
            headers={"User-Agent": settings.user_agent, "Accept-Encoding": ACCEPT_ENCODING},
            follow_redirects=False,
            max_redirects=MAX_REDIRECTS,
            # Proxies from the environment would connect on our behalf, out of the guard's sight.
            trust_env=False,
        )

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        """Close the connection pool."""
        self._client.close()

    def fetch(self, url: str, *, conditional: bool = True) -> FetchResult:
        """Fetch ``url``, following redirects; raise :class:`FetchError` when it cannot."""
        _check_url(url)
        request_headers: dict[str, str] = {}
        if conditional and self._validators is not None:
            saved = self._validators.get_validators(url)
            if saved is not None:
                etag, last_modified = saved
                if etag:
                    request_headers["If-None-Match"] = etag
                if last_modified:
                    request_headers["If-Modified-Since"] = last_modified

        current = url
        redirects = 0
        retries = 0
        while True:
            _check_url(current)
            robots = self._robots_for(current)
            if not robots.allows(self.settings.user_agent, current):
                raise FetchError(
                    current,
                    Reason.ROBOTS,
                    "robots.txt disallows this URL for our user agent; it will not be fetched",
                )
            self._wait_turn(current)
            response = self._exchange(current, request_headers, max_bytes=self.settings.max_bytes)
            status = response.status

            if status in REDIRECT_STATUSES and response.headers.get("location"):
                redirects += 1
                if redirects > MAX_REDIRECTS:
                    raise FetchError(
                        url,
                        Reason.FETCH_ERROR,
                        f"more than {MAX_REDIRECTS} redirects (last to {current}); "
                        "check the address in a browser",
                    )
                current = urljoin(current, response.headers["location"])
                continue

            if status in RETRY_STATUSES and retries < self.settings.max_retries:
                wait = self._retry_wait(current, response, retries)
                if wait is not None:
                    retries += 1
                    logger.info("%s answered %d; retrying in %.1f s", current, status, wait)
                    self._postpone(current, wait)
                    continue

            if status == 304:
                return FetchResult(
                    url=current,
                    status=status,
                    content=b"",
                    content_type=_media_type(response.headers),
                    charset=response.charset,
                    headers=dict(response.headers.items()),
                    not_modified=True,
                    fetched_at=datetime.now(UTC),
                )
            if status >= 300:
                raise FetchError(
                    current,
                    Reason.HTTP_STATUS,
                    f"the server answered HTTP {status}"
                    + (f" after {retries} retries" if retries else ""),
                )

            if self._validators is not None:
                self._validators.save_validators(
                    url, response.headers.get("etag"), response.headers.get("last-modified")
                )
            return FetchResult(
                url=current,
                status=status,
                content=response.content,
                content_type=_media_type(response.headers),
                charset=response.charset,
                headers=dict(response.headers.items()),
                not_modified=False,
                fetched_at=datetime.now(UTC),
            )

    def to_raw_document(self, result: FetchResult, *, outlet: str | None = None) -> RawDocument:
        """The fetched body as a :class:`RawDocument` for extraction."""
        if result.not_modified:
            raise ValueError(f"{result.url} was not modified; there is no body to extract")
        return RawDocument(
            location=result.url,
            content=result.content,
            url=result.url,
            content_type=result.content_type,
            charset=result.charset,
            fetched_at=result.fetched_at,
            outlet=outlet,
        )

    # -- politeness ---------------------------------------------------------------------------

    def _robots_for(self, url: str) -> _Robots:
        if not self.settings.respect_robots:
            return _Robots()
        host = _host_key(url)
        robots = self._robots.get(host)
        if robots is None:
            try:
                robots = self._load_robots(host)
            except FetchError as exc:
                raise FetchError(url, exc.reason, exc.detail) from exc
            self._robots[host] = robots
        if robots.unreachable is not None:
            raise FetchError(
                url,
                robots.reason,
                f"robots.txt unreachable: {robots.unreachable}; "
                f"{host} is not fetched until its robots.txt answers",
            )
        return robots

    def _load_robots(self, host: str) -> _Robots:
        robots_url = f"{host}/robots.txt"
        self._wait_turn(robots_url)
        try:
            response = self._exchange(
                robots_url, {}, max_bytes=ROBOTS_MAX_BYTES, follow=True, truncate=True
            )
        except FetchError as exc:
            if exc.reason is Reason.REFUSED_ADDRESS:
                raise  # not cached: the page itself is refused, whatever robots.txt says
            return _Robots(unreachable=exc.detail, reason=Reason.FETCH_ERROR)
        if response.status == 429 or response.status >= 500:
            return _Robots(unreachable=f"HTTP {response.status}")
        if 400 <= response.status < 500:
            return _Robots()
        if response.status >= 300:
            return _Robots(unreachable=f"HTTP {response.status} without a usable redirect")
        parser = RobotFileParser(robots_url)
        parser.parse(response.content.decode(response.charset or "utf-8", "replace").splitlines())
        return _Robots(parser=parser)

    def _delay_for(self, host: str) -> float:
        robots = self._robots.get(host)
        crawl_delay = robots.crawl_delay(self.settings.user_agent) if robots else 0.0
        return max(self.settings.per_host_delay, crawl_delay)

    def _wait_turn(self, url: str) -> None:
        """Sleep until the host may be asked again (delay, Crawl-delay or Retry-After)."""
        host = _host_key(url)
        ready_at = self._not_before.get(host, float("-inf"))
        last = self._last_request.get(host)
        if last is not None:
            # The delay is looked up now so a Crawl-delay learnt meanwhile applies at once.
            ready_at = max(ready_at, last + self._delay_for(host))
        wait = ready_at - self._clock()
        if wait > 0:
            logger.debug("waiting %.2f s before the next request to %s", wait, host)
            self._sleep(wait)

    def _mark_request(self, url: str) -> None:
        self._last_request[_host_key(url)] = self._clock()

    def _postpone(self, url: str, wait: float) -> None:
        self._not_before[_host_key(url)] = self._clock() + wait

    def _retry_wait(self, url: str, response: _Response, retries: int) -> float | None:
        """How long to wait before retrying, or None when the server asks for too long."""
        asked = _retry_after(response.headers.get("retry-after"))
        if asked is None:
            return min(
                max(DEFAULT_RETRY_WAIT, self.settings.per_host_delay) * 2.0**retries,
                self.settings.max_retry_wait,
            )
        if asked > self.settings.max_retry_wait:
            # Retrying sooner than asked would be impolite and futile, so give up instead.
            logger.warning(
                "%s asks to retry after %.0f s, more than max_retry_wait (%.0f s); giving up",
                url,
                asked,
                self.settings.max_retry_wait,
            )
            return None
        return asked

    # -- one HTTP exchange --------------------------------------------------------------------

    def _exchange(
        self,
        url: str,
        headers: dict[str, str],
        *,
        max_bytes: int,
        follow: bool = False,
        truncate: bool = False,
    ) -> _Response:
        """Send one GET and read its body (for 2xx only) within the limits; log the attempt."""
        settings = self.settings
        started = self._clock()
        deadline = started + settings.total_timeout
        fetched_at = datetime.now(UTC)
        status: int | None = None
        body = b""
        received = 0
        error: FetchError | None = None
        try:
            with netguard.overall_deadline(settings.total_timeout):
                request = self._client.build_request(
                    "GET",
                    url,
                    headers=headers,
                    timeout=httpx.Timeout(
                        connect=min(settings.connect_timeout, settings.total_timeout),
                        read=min(settings.read_timeout, settings.total_timeout),
                        write=min(settings.read_timeout, settings.total_timeout),
                        pool=min(settings.connect_timeout, settings.total_timeout),
                    ),
                )
                try:
                    response = self._client.send(request, stream=True, follow_redirects=follow)
                    try:
                        status = response.status_code
                        if 200 <= status < 300:
                            body = self._read_body(
                                response,
                                url,
                                deadline=deadline,
                                max_bytes=max_bytes,
                                truncate=truncate,
                            )
                        result = _Response(
                            url=str(response.url),
                            status=status,
                            headers=response.headers,
                            content=body,
                            charset=response.charset_encoding,
                        )
                    finally:
                        # A body cut off at the cap still counts what came over the wire.
                        received = len(body) or response.num_bytes_downloaded
                        response.close()
                except httpx.TimeoutException as exc:
                    if netguard.deadline_passed():
                        error = self._too_slow(url)
                    else:
                        error = FetchError(url, Reason.FETCH_ERROR, f"{_network_cause(exc)}")
                    raise error from exc
        except FetchError as exc:
            error = exc
            raise
        except netguard.AddressRefused as exc:
            error = FetchError(url, Reason.REFUSED_ADDRESS, exc.detail)
            raise error from exc
        except httpx.InvalidURL as exc:
            error = FetchError(url, Reason.UNSUPPORTED, f"not a valid URL ({exc}); check it")
            raise error from exc
        except httpx.HTTPError as exc:
            error = FetchError(url, Reason.FETCH_ERROR, _network_cause(exc))
            raise error from exc
        finally:
            if error is None and status is not None and status >= 400:
                error = FetchError(url, Reason.HTTP_STATUS, f"the server answered HTTP {status}")
            self._mark_request(url)
            self._log(
                FetchLog(
                    url=url,
                    status=status,
                    bytes=received,
                    duration_ms=(self._clock() - started) * 1000.0,
                    error=error.detail if error else None,
                    reason=error.reason.value if error else None,
                    fetched_at=fetched_at,
                    not_modified=status == 304,
                )
            )
        return result

    def _too_slow(self, url: str) -> FetchError:
        return FetchError(
            url,
            Reason.FETCH_ERROR,
            f"the response took longer than {self.settings.total_timeout:g} s in total "
            "(connect, headers and body); raise total_timeout to wait longer",
        )

    def _read_body(
        self,
        response: httpx.Response,
        url: str,
        *,
        deadline: float,
        max_bytes: int,
        truncate: bool,
    ) -> bytes:
        """Stream and decode the body step by step, stopping at ``max_bytes`` or the deadline.

        Both the bytes on the wire and the decoded bytes are capped; decoding never produces
        more than one bounded step past what has been checked (see :mod:`.decoding`).
        """
        declared = response.headers.get("content-length")
        encoding = response.headers.get("content-encoding")
        if (
            not truncate
            and declared is not None
            and declared.isdigit()
            and int(declared) > max_bytes
        ):
            # Bytes on the wire are capped as well, so a declared length over the cap is
            # refused at once, whatever the Content-Encoding.
            raise FetchError(
                url,
                Reason.TOO_LARGE,
                f"Content-Length {declared} bytes exceeds the limit of {max_bytes} bytes; "
                "raise max_bytes to fetch it",
            )
        chunks: Iterator[bytes]
        if response.is_stream_consumed:
            # A transport that read and decoded the body itself (a mock transport in tests).
            chunks = response.iter_bytes()
        else:
            raw = self._raw_within(response, url, max_bytes=max_bytes, truncate=truncate)
            chunks = decoded_chunks(raw, encoding)
        body = bytearray()
        try:
            for chunk in chunks:
                body += chunk
                if len(body) > max_bytes:
                    if truncate:
                        del body[max_bytes:]
                        break
                    raise FetchError(
                        url,
                        Reason.TOO_LARGE,
                        f"the body passed the limit of {max_bytes} bytes (after decompression); "
                        "raise max_bytes to fetch it",
                    )
                if self._clock() > deadline:
                    raise self._too_slow(url)
        except ContentDecodingError as exc:
            raise FetchError(
                url, Reason.FETCH_ERROR, f"the body could not be decoded: {exc}"
            ) from exc
        return bytes(body)

    def _raw_within(
        self, response: httpx.Response, url: str, *, max_bytes: int, truncate: bool
    ) -> Iterator[bytes]:
        """The body as sent, refused (or cut, with ``truncate``) past ``max_bytes`` on the wire."""
        received = 0
        for chunk in response.iter_raw():
            received += len(chunk)
            if received > max_bytes:
                if truncate:
                    yield chunk[: len(chunk) - (received - max_bytes)]
                    return
                raise FetchError(
                    url,
                    Reason.TOO_LARGE,
                    f"more than {max_bytes} bytes came over the wire; raise max_bytes to fetch it",
                )
            yield chunk

    def _log(self, log: FetchLog) -> None:
        if self._validators is not None:
            self._validators.record_fetch(log)


class _GuardedTransport(httpx.HTTPTransport):
    """httpx's transport over a pool whose every connection goes through the address guard."""

    def __init__(self, backend: netguard.GuardedBackend) -> None:
        ssl_context = httpx.create_ssl_context()
        super().__init__(verify=ssl_context, trust_env=False)
        limits = httpx.Limits()
        # httpx takes no network backend, so the pool it built is replaced by an equal one
        # that has it; request conversion and error mapping stay httpx's own.
        self._pool = httpcore.ConnectionPool(
            ssl_context=ssl_context,
            max_connections=limits.max_connections,
            max_keepalive_connections=limits.max_keepalive_connections,
            keepalive_expiry=limits.keepalive_expiry,
            network_backend=backend,
        )


def _network_cause(exc: BaseException) -> str:
    """A short cause for a network failure: "connection refused", "connect timed out", ..."""
    seen: BaseException | None = exc
    while seen is not None:
        if isinstance(seen, ssl.SSLError):
            return f"TLS failed: {getattr(seen, 'verify_message', None) or seen.reason or seen}"
        if isinstance(seen, OSError) and seen.errno is not None:
            return (seen.strerror or str(seen)).lower()
        seen = seen.__cause__ or seen.__context__
    if isinstance(exc, httpx.ConnectTimeout):
        return "connect timed out"
    if isinstance(exc, httpx.TimeoutException):
        return f"timed out ({type(exc).__name__})"
    return f"network error: {str(exc) or type(exc).__name__}"
