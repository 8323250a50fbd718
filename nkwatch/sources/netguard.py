"""Where the fetcher may connect, and until when: the address guard and the overall deadline.

Every TCP connection the fetcher opens goes through :class:`GuardedBackend`, an httpcore network
backend that resolves the host once, vets each resolved address against :class:`AddressPolicy`
and connects to a vetted address literal. The check therefore applies to the address actually
connected to — for every redirect hop and for robots.txt — and a name that resolves differently
a moment later (DNS rebinding) cannot slip past it. The host name still goes into the ``Host``
header and TLS SNI, because httpcore takes those from the URL, not from the socket.

Odd spellings of an address (``0``, ``127.1``, ``2130706433``, ``0x7f000001``, ``[::ffff:…]``)
need no special handling: the system resolver turns them into the address the socket would reach,
and that address is what is checked.

The same streams enforce one overall deadline per request (:func:`overall_deadline`): connect, TLS,
headers and body share it, so a server trickling one byte a second is cut off when it passes.
"""

from __future__ import annotations

import ipaddress
import socket
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

import httpcore

from nkwatch.errors import NkwatchError
from nkwatch.sources.settings import IPNetwork, parse_networks

__all__ = [
    "AddressPolicy",
    "AddressRefused",
    "GuardedBackend",
    "IPAddress",
    "Resolver",
    "overall_deadline",
    "parse_networks",
    "system_resolver",
]

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

#: Turns ``(host, port)`` into the address literals a connection may go to, in order.
Resolver = Callable[[str, int], Sequence[str]]

_SHARED = ipaddress.IPv4Network("100.64.0.0/10")
_NAT64 = (ipaddress.IPv6Network("64:ff9b::/96"), ipaddress.IPv6Network("64:ff9b:1::/48"))
_RFC1918 = (
    ipaddress.IPv4Network("10.0.0.0/8"),
    ipaddress.IPv4Network("172.16.0.0/12"),
    ipaddress.IPv4Network("192.168.0.0/16"),
)
_UNIQUE_LOCAL = ipaddress.IPv6Network("fc00::/7")
_COMPAT = ipaddress.IPv6Network("::/96")


class AddressRefused(NkwatchError):
    """A connection would go to an address the policy refuses; ``detail`` says which and why."""

    def __init__(self, detail: str) -> None:
        self.detail = detail
        super().__init__(detail)


def _embedded_ipv4(address: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv6 form carries (mapped, compatible, NAT64, 6to4, Teredo)."""
    if address.ipv4_mapped is not None:
        return address.ipv4_mapped
    if address in _COMPAT and int(address) > 1:
        return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    if any(address in net for net in _NAT64):
        return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    if address.sixtofour is not None:
        return address.sixtofour
    if address.teredo is not None:
        return address.teredo[1]
    return None


def _kind(address: IPAddress) -> str | None:
    """What makes ``address`` unfit to fetch from ("a loopback address"), or None when public."""
    if address.is_unspecified:
        return "an unspecified address"
    if address.is_loopback:
        return "a loopback address"
    if address.is_link_local:
        return "a link-local address"
    if address.is_multicast:
        return "a multicast address"
    if isinstance(address, ipaddress.IPv4Address):
        if address in _SHARED:
            return "a shared (carrier-grade NAT) address"
        if any(address in net for net in _RFC1918):
            return "a private address"
    else:
        if address in _UNIQUE_LOCAL:
            return "a unique-local (private) address"
        if address.is_site_local:
            return "a site-local address"
    if address.is_reserved:
        return "a reserved address"
    if address.is_private or not address.is_global:
        return "a special-purpose (non-public) address"
    return None


@dataclass(frozen=True)
class AddressPolicy:
    """Public addresses pass; everything else only inside ``allow_networks``."""

    allow_networks: tuple[IPNetwork, ...] = ()

    @classmethod
    def from_strings(cls, networks: Iterable[str]) -> AddressPolicy:
        """A policy allowing the CIDR ``networks`` (raise ValueError on a bad entry)."""
        return cls(parse_networks(networks))

    def allowed(self, address: IPAddress) -> bool:
        """Whether ``address`` is inside a network the user allowed."""
        candidates: list[IPAddress] = [address]
        if isinstance(address, ipaddress.IPv6Address):
            embedded = _embedded_ipv4(address)
            if embedded is not None:
                candidates.append(embedded)
        return any(
            c.version == n.version and c in n for c in candidates for n in self.allow_networks
        )

    def refusal(self, address: IPAddress) -> str | None:
        """What makes ``address`` refused ("a loopback address"), or None when it may be used."""
        if self.allowed(address):
            return None
        if isinstance(address, ipaddress.IPv6Address):
            embedded = _embedded_ipv4(address)
            if embedded is not None:
                inner = _kind(embedded)
                if inner is not None:
                    return f"an IPv6 form of {embedded}, {inner}"
                if address.ipv4_mapped is not None:
                    return None  # a socket connects to the IPv4 host itself, a public one
        return _kind(address)


def system_resolver(host: str, port: int) -> list[str]:
    """The system resolver's addresses for ``host`` (names and every numeric spelling)."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, proto=socket.IPPROTO_TCP)
    seen: dict[str, None] = {}
    for _family, _type, _proto, _canon, sockaddr in infos:
        seen.setdefault(str(sockaddr[0]), None)
    return list(seen)


# -- the overall deadline ------------------------------------------------------------------------

_DEADLINE: ContextVar[float | None] = ContextVar("nkwatch_fetch_deadline", default=None)


@contextmanager
def overall_deadline(seconds: float) -> Iterator[float]:
    """Bound every network wait inside the block to ``seconds`` from now, all together."""
    deadline = time.monotonic() + seconds
    token = _DEADLINE.set(deadline)
    try:
        yield deadline
    finally:
        _DEADLINE.reset(token)


def deadline_passed() -> bool:
    """Whether the innermost :func:`overall_deadline` has run out."""
    deadline = _DEADLINE.get()
    return deadline is not None and time.monotonic() >= deadline


def _within(timeout: float | None, error: type[httpcore.TimeoutException]) -> float | None:
    """``timeout`` shortened to what is left of the overall deadline; raise once it is gone."""
    deadline = _DEADLINE.get()
    if deadline is None:
        return timeout
    left = deadline - time.monotonic()
    if left <= 0:
        raise error("the overall deadline of the request passed")
    return left if timeout is None else min(timeout, left)


class _DeadlineStream(httpcore.NetworkStream):
    """A network stream whose every read, write and TLS handshake ends by the deadline."""

    def __init__(self, inner: httpcore.NetworkStream) -> None:
        self._inner = inner

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self._inner.read(max_bytes, _within(timeout, httpcore.ReadTimeout))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self._inner.write(buffer, _within(timeout, httpcore.WriteTimeout))

    def close(self) -> None:
        self._inner.close()

    def start_tls(
        self,
        ssl_context: Any,
        server_hostname: str | None = None,
        timeout: float | None = None,
    ) -> httpcore.NetworkStream:
        # A TLS handshake is one blocking call; CPython bounds the whole of it by the timeout.
        return _DeadlineStream(
            self._inner.start_tls(
                ssl_context, server_hostname, _within(timeout, httpcore.ConnectTimeout)
            )
        )

    def get_extra_info(self, info: str) -> Any:
        return self._inner.get_extra_info(info)


def _resolve_within(resolver: Resolver, host: str, port: int, timeout: float | None) -> list[str]:
    """Run ``resolver`` in a helper thread so a stalled lookup cannot outlive the deadline."""
    outcome: list[Sequence[str] | BaseException] = []

    def lookup() -> None:
        try:
            outcome.append(resolver(host, port))
        except BaseException as exc:  # handed back to the caller's thread below
            outcome.append(exc)

    worker = threading.Thread(target=lookup, name=f"resolve {host}", daemon=True)
    worker.start()
    worker.join(timeout)
    if not outcome:
        raise httpcore.ConnectTimeout(f"resolving {host} took too long")
    result = outcome[0]
    if isinstance(result, socket.gaierror):
        raise httpcore.ConnectError(f"could not resolve {host} ({result.strerror})") from result
    if isinstance(result, BaseException):
        raise result
    return list(result)


class GuardedBackend(httpcore.NetworkBackend):
    """httpcore's socket backend, connecting only to addresses the policy allows, by deadline."""

    def __init__(self, policy: AddressPolicy, *, resolver: Resolver = system_resolver) -> None:
        self.policy = policy
        self._resolver = resolver
        self._sockets = httpcore.SyncBackend()

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.NetworkStream:
        """Resolve ``host`` once, vet each address, connect to the first vetted one that answers."""
        addresses = _resolve_within(
            self._resolver, host, port, _within(timeout, httpcore.ConnectTimeout)
        )
        if not addresses:
            raise httpcore.ConnectError(f"{host} has no address")
        vetted: list[str] = []
        refusals: list[tuple[str, str]] = []
        for literal in addresses:
            try:
                address = ipaddress.ip_address(literal)
            except ValueError:
                refusals.append((literal, "not an IP address"))
                continue
            why = self.policy.refusal(address)
            if why is None:
                vetted.append(literal)
            else:
                refusals.append((literal, why))
        if not vetted:
            raise AddressRefused(_refusal_message(host, *refusals[0]))
        last_error: Exception | None = None
        for literal in vetted:
            try:
                stream = self._sockets.connect_tcp(
                    literal,
                    port,
                    timeout=_within(timeout, httpcore.ConnectTimeout),
                    local_address=local_address,
                    socket_options=socket_options,
                )
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as exc:
                last_error = exc
                continue
            return _DeadlineStream(stream)
        assert last_error is not None
        raise last_error

    def connect_unix_socket(
        self,
        path: str,
        timeout: float | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.NetworkStream:
        """Unix sockets are never used for fetching."""
        raise AddressRefused(f"refused: unix socket {path} is not a network address")

    def sleep(self, seconds: float) -> None:
        self._sockets.sleep(seconds)


def _refusal_message(host: str, literal: str, why: str) -> str:
    """``refused: localhost resolves to 127.0.0.1, a loopback address; allow it with …``."""
    try:
        spelled_as_itself = ipaddress.ip_address(host) == ipaddress.ip_address(literal)
    except ValueError:
        spelled_as_itself = False
    subject = f"{literal} is" if spelled_as_itself else f"{host} resolves to {literal},"
    return f"refused: {subject} {why}; allow it with [fetch] allow_networks"
