"""The fetcher against hostile servers on loopback: compression bombs and trickled responses.

Each server is a raw socket (tests/sources/conftest.py), so it can send what no well-behaved
server would: stacked encodings, headers one byte at a time, a body that never ends.
"""

from __future__ import annotations

import gzip
import socket
import time
import zlib
from collections.abc import Callable, Iterator

import pytest

from nkwatch.errors import FetchError, Reason
from nkwatch.sources.http import Fetcher, FetchSettings, InMemoryValidatorStore

from .conftest import Handler, RawServer, http_response, routes
from .test_decoding import zeros_gzip

ALLOW_LOOPBACK = ("127.0.0.1/32",)
ROBOTS = http_response(200, b"User-agent: *\nDisallow:\n")


@pytest.fixture
def store() -> InMemoryValidatorStore:
    return InMemoryValidatorStore()


@pytest.fixture
def fetcher(store: InMemoryValidatorStore) -> Iterator[Callable[..., Fetcher]]:
    made: list[Fetcher] = []

    def make(**overrides: object) -> Fetcher:
        options: dict[str, object] = {
            "allow_networks": ALLOW_LOOPBACK,
            "per_host_delay": 0.0,
            "max_retries": 0,
        }
        options.update(overrides)
        made.append(
            Fetcher(
                FetchSettings(**options),  # type: ignore[arg-type]
                validators=store,
                sleep=lambda seconds: None,
            )
        )
        return made[-1]

    yield make
    for one in made:
        one.close()


# -- compression bombs ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def bomb() -> bytes:
    """256 MiB of zeros, gzip-compressed once (about 255 KB on the wire)."""
    return zeros_gzip(256 << 20)


def encoded(bomb: bytes, header: str) -> bytes:
    """``bomb`` (already gzip once) with the further codings of ``header`` applied."""
    wire = bomb
    for coding in [c.strip() for c in header.split(",")][1:]:
        wire = gzip.compress(wire, 9) if coding == "gzip" else zlib.compress(wire, 9)
    return wire


@pytest.mark.parametrize("header", ["gzip", "gzip, gzip", "gzip, deflate", "gzip, gzip, gzip"])
def test_compression_bombs_are_too_large(
    raw_server: Callable[..., RawServer],
    fetcher: Callable[..., Fetcher],
    store: InMemoryValidatorStore,
    bomb: bytes,
    header: str,
) -> None:
    wire = encoded(bomb, header)
    server = raw_server(
        "127.0.0.1",
        routes(
            {
                "/robots.txt": ROBOTS,
                "/bomb": http_response(
                    200, wire, {"Content-Encoding": header, "Content-Type": "text/html"}
                ),
            }
        ),
    )
    cap = 1 << 20

    with pytest.raises(FetchError) as caught:
        fetcher(max_bytes=cap).fetch(f"http://127.0.0.1:{server.port}/bomb")

    assert caught.value.reason is Reason.TOO_LARGE
    assert "after decompression" in caught.value.detail
    assert store.logs[-1].reason == Reason.TOO_LARGE.value


def test_robots_txt_bomb_is_cut_at_its_limit_and_still_read(
    raw_server: Callable[..., RawServer], fetcher: Callable[..., Fetcher]
) -> None:
    rules = gzip.compress(b"User-agent: *\nDisallow: /private\n" + bytes(64 << 20), 9)
    server = raw_server(
        "127.0.0.1",
        routes(
            {
                "/robots.txt": http_response(
                    200, gzip.compress(rules), {"Content-Encoding": "gzip, gzip"}
                ),
                "/private/x": http_response(200, b"hidden"),
            }
        ),
    )

    with pytest.raises(FetchError) as caught:
        fetcher().fetch(f"http://127.0.0.1:{server.port}/private/x")

    assert caught.value.reason is Reason.ROBOTS
    assert server.paths == ["/robots.txt"]


def test_endless_wire_body_is_too_large(
    raw_server: Callable[..., RawServer], fetcher: Callable[..., Fetcher]
) -> None:
    """Empty stored deflate blocks decode to nothing, so only the wire count can stop them."""
    empty_block = b"\x00\x00\x00\xff\xff"

    def endless(conn: socket.socket, head: bytes) -> None:
        conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Encoding: deflate\r\nConnection: close\r\n\r\n")
        for _ in range(100_000):
            conn.sendall(empty_block * 2000)

    server = raw_server("127.0.0.1", endless)

    with pytest.raises(FetchError) as caught:
        fetcher(max_bytes=1 << 20, respect_robots=False).fetch(
            f"http://127.0.0.1:{server.port}/page"
        )

    assert caught.value.reason is Reason.TOO_LARGE
    assert "over the wire" in caught.value.detail


# -- trickles and the overall deadline -----------------------------------------------------------


def trickle(prefix: bytes, byte: bytes = b"a", every: float = 0.05, limit: float = 15.0) -> Handler:
    """A handler sending ``prefix``, then ``byte`` every ``every`` seconds until cut off."""

    def handle(conn: socket.socket, head: bytes) -> None:
        conn.sendall(prefix)
        ends = time.monotonic() + limit
        while time.monotonic() < ends:
            conn.sendall(byte)
            time.sleep(every)

    return handle


HEADER_TRICKLE = b"HTTP/1.1 200 OK\r\nX-Slow: "
BODY_TRICKLE = b"HTTP/1.1 200 OK\r\nContent-Length: 1000000\r\nConnection: close\r\n\r\n"


@pytest.mark.parametrize("prefix", [HEADER_TRICKLE, BODY_TRICKLE], ids=["headers", "body"])
def test_trickled_page_is_cut_at_the_overall_deadline(
    raw_server: Callable[..., RawServer],
    fetcher: Callable[..., Fetcher],
    store: InMemoryValidatorStore,
    prefix: bytes,
) -> None:
    server = raw_server("127.0.0.1", trickle(prefix))
    # Each byte comes well within read_timeout: only the overall deadline can stop this.
    slow = fetcher(total_timeout=1.0, read_timeout=30.0, respect_robots=False)

    with pytest.raises(FetchError) as caught:
        slow.fetch(f"http://127.0.0.1:{server.port}/page")

    assert caught.value.reason is Reason.FETCH_ERROR
    assert "longer than 1 s in total (connect, headers and body)" in caught.value.detail
    assert store.logs[-1].reason == Reason.FETCH_ERROR.value


def test_trickled_robots_txt_is_cut_and_reported_as_unreachable(
    raw_server: Callable[..., RawServer], fetcher: Callable[..., Fetcher]
) -> None:
    server = raw_server("127.0.0.1", trickle(HEADER_TRICKLE))
    slow = fetcher(total_timeout=1.0, read_timeout=30.0)

    with pytest.raises(FetchError) as caught:
        slow.fetch(f"http://127.0.0.1:{server.port}/page")

    assert caught.value.reason is Reason.FETCH_ERROR
    assert caught.value.detail.startswith(
        "robots.txt unreachable: the response took longer than 1 s in total"
    )
    assert server.paths == ["/robots.txt"]


def test_a_stalled_name_lookup_counts_against_the_deadline(store: InMemoryValidatorStore) -> None:
    def stalled(host: str, port: int) -> list[str]:
        time.sleep(3.0)
        return ["127.0.0.1"]

    settings = FetchSettings(total_timeout=0.5, respect_robots=False, allow_networks=ALLOW_LOOPBACK)
    with (
        Fetcher(settings, validators=store, resolver=stalled) as slow,
        pytest.raises(FetchError) as caught,
    ):
        slow.fetch("http://slow-dns.example.org/page")

    assert caught.value.reason is Reason.FETCH_ERROR
    assert "longer than 0.5 s in total" in caught.value.detail


def test_connection_refused_is_named(fetcher: Callable[..., Fetcher]) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]

    with pytest.raises(FetchError) as caught:
        fetcher(respect_robots=False).fetch(f"http://127.0.0.1:{port}/page")

    assert caught.value.reason is Reason.FETCH_ERROR
    assert caught.value.detail == "connection refused"


def test_a_name_that_does_not_resolve_is_named(store: InMemoryValidatorStore) -> None:
    def unknown(host: str, port: int) -> list[str]:
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    settings = FetchSettings(respect_robots=False)
    with (
        Fetcher(settings, validators=store, resolver=unknown) as fetcher,
        pytest.raises(FetchError) as caught,
    ):
        fetcher.fetch("http://no-such-host.example.org/page")

    assert caught.value.reason is Reason.FETCH_ERROR
    assert "could not resolve no-such-host.example.org (Name or service" in caught.value.detail
