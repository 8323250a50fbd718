"""Bytes to text: declared charsets checked against the bytes, mislabelled ones corrected.

Reads a document's bytes and the charset its source declared (HTTP header, ``<meta charset>``)
and returns Unicode text, or rejects the document as binary or undecodable.
"""

from __future__ import annotations

import codecs
import re

from charset_normalizer import from_bytes

from nkwatch.errors import ExtractError, Reason

_META_CHARSET = re.compile(
    rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE
)
# Single-byte charsets decode any byte string, so a label naming one proves nothing by itself.
_PERMISSIVE = {"latin_1", "iso8859-1", "cp1252", "ascii", "iso8859-15"}
_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def _codec(name: str | None) -> str | None:
    if not name:
        return None
    try:
        return codecs.lookup(name.strip().strip("\"'")).name
    except LookupError:
        return None


def looks_binary(content: bytes) -> bool:
    """True for content with NUL bytes or mostly control characters (images, archives, PDFs)."""
    head = content[:8192]
    if not head:
        return False
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return False
    # A few stray NUL or control bytes in a page are damage, not a binary file.
    if head.count(b"\x00") > len(head) // 100:
        return True
    controls = sum(1 for b in head if b < 9 or 13 < b < 32)
    return controls / len(head) > 0.05


def declared_charset(content: bytes, header_charset: str | None = None) -> str | None:
    """The charset a document claims: the HTTP header first, then an HTML ``<meta>``."""
    if header_charset:
        return header_charset
    match = _META_CHARSET.search(content[:4096])
    return match.group(1).decode("ascii", "replace") if match else None


def _mostly_utf8(content: bytes) -> str | None:
    """UTF-8 text with a few stray bytes (a cut or a bad copy), decoded with replacement.

    It counts as UTF-8 when its valid multi-byte characters outnumber the invalid bytes
    twenty to one: a page in a single-byte charset has almost no valid multi-byte sequences.
    """
    replaced = content.decode("utf-8", errors="replace")
    kept = content.decode("utf-8", errors="ignore")
    invalid = len(replaced) - len(kept)
    multibyte = sum(1 for char in kept if ord(char) > 0x7F)
    if invalid and multibyte >= 20 * invalid:
        return replaced
    return None


def decode_bytes(content: bytes, *, source: str, declared: str | None = None) -> str:
    """Decode ``content``, trusting the declared charset only when the bytes agree with it."""
    if not content.strip():
        raise ExtractError(source, Reason.EMPTY, "the document is empty")
    if looks_binary(content):
        raise ExtractError(
            source, Reason.BINARY, "the content is binary, not text or HTML; pass a page or feed"
        )
    for bom, name in _BOMS:
        if content.startswith(bom):
            return content.decode(name, errors="replace")
    label = _codec(declared_charset(content, declared))
    if label and label not in _PERMISSIVE:
        try:
            return content.decode(label)
        except UnicodeDecodeError:
            pass  # mislabelled: fall through to detection
    try:
        return content.decode("utf-8")
    except UnicodeDecodeError:
        pass
    mostly = _mostly_utf8(content)
    if mostly is not None:
        return mostly
    best = from_bytes(content[:200_000]).best()
    if best is not None and best.encoding:
        guess = _codec(best.encoding) or best.encoding
        if label in _PERMISSIVE and guess not in _PERMISSIVE and best.chaos > 0.2:
            guess = label
        return content.decode(guess, errors="replace")
    if label:
        return content.decode(label, errors="replace")
    raise ExtractError(
        source,
        Reason.ENCODING,
        "the text is in no encoding that could be recognised; re-save it as UTF-8",
    )
