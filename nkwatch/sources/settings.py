"""Fetch settings: how politely and how far the fetcher goes.

Kept apart from :mod:`nkwatch.sources.http` so that reading the configuration does not load the
HTTP client.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable
from dataclasses import dataclass

__all__ = ["FetchSettings", "parse_networks"]

IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network


def parse_networks(values: Iterable[str]) -> tuple[IPNetwork, ...]:
    """``["127.0.0.0/8", "::1"]`` as networks; raise ValueError naming a bad entry."""
    networks: list[IPNetwork] = []
    for value in values:
        try:
            networks.append(ipaddress.ip_network(value.strip(), strict=False))
        except ValueError as exc:
            raise ValueError(f"{value!r} is not an IP network in CIDR form ({exc})") from exc
    return tuple(networks)


@dataclass(frozen=True)
class FetchSettings:
    """How politely and how far the fetcher goes.

    ``total_timeout`` bounds one request/response exchange — name lookup, connect, TLS, headers
    and body together; polite waits between requests are not counted against it.
    ``allow_networks`` lists CIDR networks that may be fetched from although they are not public
    (loopback, private, link-local, ...); by default only public addresses are connected to.
    """

    user_agent: str = "nkwatch/0.1 (+https://github.com/nkwatch/nkwatch; news monitoring)"
    connect_timeout: float = 10.0
    read_timeout: float = 20.0
    total_timeout: float = 60.0
    max_bytes: int = 10 * 1024 * 1024
    per_host_delay: float = 1.0
    max_retries: int = 2
    max_retry_wait: float = 60.0
    respect_robots: bool = True
    allow_networks: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        parse_networks(self.allow_networks)  # a bad entry raises ValueError here
