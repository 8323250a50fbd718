"""Content-Encoding decoding in bounded steps, however many encodings are stacked.

httpx decodes a whole network read at once, so one small read of a stacked ``gzip, gzip`` bomb
can expand to gigabytes before any size check sees it. Here every layer is a generator that
hands on at most ``step`` decoded bytes at a time (``zlib`` decompress objects with
``max_length``) and keeps the rest of its input for later; the caller stops pulling when the body
passes its cap, so memory stays around ``layers × step`` plus one window per layer whatever the
compression ratio.

Decoded: gzip (also ``x-gzip`` and multi-member gzip) and deflate (zlib-wrapped or raw). Codings
nkwatch cannot decode are passed through as they are, as httpx does; the size cap still holds.
"""

from __future__ import annotations

import logging
import zlib
from collections.abc import Iterable, Iterator

from nkwatch.errors import NkwatchError

__all__ = ["ACCEPT_ENCODING", "MAX_LAYERS", "ContentDecodingError", "codings", "decoded_chunks"]

logger = logging.getLogger(__name__)

#: What the fetcher asks servers for: exactly what :func:`decoded_chunks` decodes.
ACCEPT_ENCODING = "gzip, deflate"
#: More stacked encodings than this are refused (real servers send one, rarely two).
MAX_LAYERS = 4
#: Decoded bytes one layer hands on per step.
STEP_BYTES = 64 * 1024

_GZIP_MAGIC = b"\x1f\x8b"
_IDENTITY = frozenset({"", "identity", "none"})


class ContentDecodingError(NkwatchError):
    """A body's Content-Encoding is malformed, or stacks too many layers."""


def codings(header: str | None) -> list[str]:
    """The codings of a ``Content-Encoding`` header in the order they were applied."""
    if not header:
        return []
    named = [part.strip().lower() for part in header.split(",")]
    return [name for name in named if name not in _IDENTITY]


def decoded_chunks(
    raw: Iterable[bytes], content_encoding: str | None, *, step: int = STEP_BYTES
) -> Iterator[bytes]:
    """Decode ``raw`` (the body as sent) through every coding, ``step`` bytes at most per chunk."""
    applied = codings(content_encoding)
    if len(applied) > MAX_LAYERS:
        raise ContentDecodingError(
            f"the body claims {len(applied)} stacked content encodings ({content_encoding}); "
            f"at most {MAX_LAYERS} are decoded"
        )
    stream: Iterator[bytes] = _bounded(raw, step)
    # The last coding listed was applied last, so it is undone first.
    for coding in reversed(applied):
        if coding in ("gzip", "x-gzip"):
            stream = _inflate(stream, gzip=True, step=step)
        elif coding == "deflate":
            stream = _inflate(stream, gzip=False, step=step)
        else:
            logger.debug("content encoding %r is not decoded; passing the body through", coding)
    return stream


def _bounded(chunks: Iterable[bytes], step: int) -> Iterator[bytes]:
    """``chunks`` re-cut so that no piece is larger than ``step``."""
    for chunk in chunks:
        for start in range(0, len(chunk), step):
            yield chunk[start : start + step]


def _looks_like_zlib(head: bytes) -> bool:
    """Whether ``head`` starts with a zlib header (RFC 1950), not a raw deflate stream."""
    return len(head) >= 2 and head[0] & 0x0F == 8 and ((head[0] << 8) | head[1]) % 31 == 0


def _inflate(chunks: Iterable[bytes], *, gzip: bool, step: int) -> Iterator[bytes]:
    """Undo one gzip or deflate layer, handing on at most ``step`` bytes at a time."""
    name = "gzip" if gzip else "deflate"
    decoder: zlib._Decompress | None = None
    members = 0
    pending = b""
    for chunk in chunks:
        data = pending + chunk
        pending = b""
        while data:
            if decoder is None:
                if len(data) < 2:
                    pending = data
                    break
                if members and (not gzip or data[:2] != _GZIP_MAGIC):
                    # Bytes after the end of the stream are ignored, as browsers do.
                    return
                if gzip and data[:2] != _GZIP_MAGIC:
                    raise ContentDecodingError("the gzip body does not start with a gzip header")
                wbits = 16 + zlib.MAX_WBITS if gzip else zlib.MAX_WBITS
                if not gzip and not _looks_like_zlib(data):
                    wbits = -zlib.MAX_WBITS
                decoder = zlib.decompressobj(wbits)
                members += 1
            out = _step(decoder, data, step, name)
            if out:
                yield out
            elif data == decoder.unconsumed_tail:
                raise ContentDecodingError(f"the {name} body makes no progress")
            data = decoder.unconsumed_tail
            while not data and out and not decoder.eof:
                # All input is taken, but output may still be waiting inside zlib.
                out = _step(decoder, b"", step, name)
                if out:
                    yield out
            if decoder.eof:
                data = decoder.unused_data  # a further gzip member, or trailing bytes
                decoder = None


def _step(decoder: zlib._Decompress, data: bytes, step: int, name: str) -> bytes:
    try:
        return decoder.decompress(data, step)
    except zlib.error as exc:
        raise ContentDecodingError(f"the {name} body is corrupt ({exc})") from exc
