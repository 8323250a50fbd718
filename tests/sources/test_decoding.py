"""Bounded Content-Encoding decoding: every step small, however far the body expands."""

from __future__ import annotations

import gzip
import tracemalloc
import zlib
from collections.abc import Iterator

import pytest

from nkwatch.sources.decoding import (
    MAX_LAYERS,
    STEP_BYTES,
    ContentDecodingError,
    codings,
    decoded_chunks,
)

PAGE = ("<p>Rice prices in Hyesan rose again this week, traders said.</p>\n" * 2000).encode()


def zeros_gzip(size: int) -> bytes:
    """gzip of ``size`` zero bytes, made in 1 MiB steps."""
    packer = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    block = bytes(1 << 20)
    parts = [packer.compress(block) for _ in range(size >> 20)]
    return b"".join([*parts, packer.flush()])


def raw_deflate(data: bytes) -> bytes:
    packer = zlib.compressobj(6, zlib.DEFLATED, -zlib.MAX_WBITS)
    return packer.compress(data) + packer.flush()


def pieces(data: bytes, size: int) -> list[bytes]:
    return [data[i : i + size] for i in range(0, len(data), size)]


@pytest.mark.parametrize(
    ("header", "wire"),
    [
        (None, PAGE),
        ("identity", PAGE),
        ("gzip", gzip.compress(PAGE)),
        ("x-gzip", gzip.compress(PAGE)),
        ("deflate", zlib.compress(PAGE)),
        ("deflate", raw_deflate(PAGE)),
        ("gzip, gzip", gzip.compress(gzip.compress(PAGE))),
        ("gzip, deflate", zlib.compress(gzip.compress(PAGE))),
        ("GZIP , Deflate", zlib.compress(gzip.compress(PAGE))),
        ("gzip", gzip.compress(PAGE[:999]) + gzip.compress(PAGE[999:])),
    ],
)
@pytest.mark.parametrize("piece", [1, 3, 1000, 1 << 20])
def test_round_trip_in_any_piece_size(header: str | None, wire: bytes, piece: int) -> None:
    decoded = list(decoded_chunks(pieces(wire, piece), header, step=4096))

    assert b"".join(decoded) == PAGE
    assert max(len(chunk) for chunk in decoded) <= 4096


def test_codings_lists_the_applied_order_without_identity() -> None:
    assert codings("gzip, identity, deflate") == ["gzip", "deflate"]
    assert codings("") == codings(None) == []


def test_unknown_coding_passes_through_and_bytes_after_the_stream_are_ignored() -> None:
    assert b"".join(decoded_chunks([b"\x0b\x02\x80"], "br")) == b"\x0b\x02\x80"
    assert b"".join(decoded_chunks([gzip.compress(b"page") + b"junk"], "gzip")) == b"page"
    assert b"".join(decoded_chunks([zlib.compress(b"page") + b"junk"], "deflate")) == b"page"


def test_too_many_layers_and_corrupt_bodies_are_errors() -> None:
    with pytest.raises(ContentDecodingError, match="stacked content encodings"):
        list(decoded_chunks([b"x"], ", ".join(["gzip"] * (MAX_LAYERS + 1))))
    with pytest.raises(ContentDecodingError, match="gzip header"):
        list(decoded_chunks([b"<html>not compressed</html>"], "gzip"))
    with pytest.raises(ContentDecodingError, match="corrupt"):
        list(decoded_chunks([gzip.compress(PAGE)[:10] + b"\xff" * 50], "gzip"))  # bad block type


@pytest.fixture(scope="module")
def bomb() -> bytes:
    """256 MiB of zeros as gzip (about 255 KB)."""
    return zeros_gzip(256 << 20)


@pytest.mark.parametrize("layers", [1, 2, 3])
def test_a_bomb_is_decoded_in_small_steps_with_little_memory(bomb: bytes, layers: int) -> None:
    wire = bomb
    for _ in range(layers - 1):
        wire = gzip.compress(wire, 9)
    header = ", ".join(["gzip"] * layers)

    tracemalloc.start()
    try:
        total = 0
        largest = 0
        for chunk in decoded_chunks([wire], header):
            total += len(chunk)
            largest = max(largest, len(chunk))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()

    assert total == 256 << 20
    assert largest <= STEP_BYTES
    # The whole 256 MiB went through, yet the heap never held more than a few steps of it.
    assert peak < 4 << 20, peak


def test_stopping_early_stops_the_decoding(bomb: bytes) -> None:
    fed: list[int] = []

    def wire() -> Iterator[bytes]:
        for piece in pieces(gzip.compress(bomb, 9), 512):
            fed.append(len(piece))
            yield piece

    pulled = 0
    for chunk in decoded_chunks(wire(), "gzip, gzip"):
        pulled += len(chunk)
        if pulled > 1 << 20:
            break

    assert pulled <= (1 << 20) + STEP_BYTES
    assert len(fed) <= 3  # a few hundred wire bytes already expand past 1 MiB
