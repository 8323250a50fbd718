"""Decoding: declared charsets are checked against the bytes; binary and empty are rejected."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from nkwatch.errors import ExtractError, Reason
from nkwatch.extract.decode import decode_bytes, looks_binary

KOREAN = "북한 군인들이 러시아 쿠르스크 지역에 파병되었다는 보도가 이어지고 있다."
RUSSIAN = "Северокорейские военные были направлены в Курскую область, сообщила разведка."


def test_utf8_without_label() -> None:
    assert decode_bytes(KOREAN.encode(), source="x") == KOREAN


def test_euc_kr_mislabelled_as_utf8() -> None:
    assert decode_bytes(KOREAN.encode("euc-kr"), source="x", declared="utf-8") == KOREAN


def test_euc_kr_declared_in_meta() -> None:
    html = f'<html><head><meta charset="euc-kr"></head><body>{KOREAN}</body></html>'
    assert KOREAN in decode_bytes(html.encode("euc-kr"), source="x")


def test_windows_1251_mislabelled_as_latin1() -> None:
    text = (RUSSIAN + " ") * 3
    assert decode_bytes(text.encode("cp1251"), source="x", declared="iso-8859-1") == text


def test_honest_latin1_label_is_kept() -> None:
    text = "Café owners in Séoul said the prix fixe menus were popular. " * 2
    assert decode_bytes(text.encode("latin-1"), source="x", declared="iso-8859-1") == text


def test_utf8_bom() -> None:
    assert decode_bytes(b"\xef\xbb\xbf" + KOREAN.encode(), source="x") == KOREAN


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"", Reason.EMPTY),
        (b"   \n\t ", Reason.EMPTY),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)), Reason.BINARY),
        (b"PK\x03\x04\x14\x00\x00\x00\x08\x00" * 20, Reason.BINARY),
    ],
)
def test_rejections_name_the_input(content: bytes, reason: Reason) -> None:
    with pytest.raises(ExtractError) as caught:
        decode_bytes(content, source="/data/page.html")
    assert caught.value.reason is reason
    assert "/data/page.html" in str(caught.value)


def test_looks_binary_ignores_plain_text() -> None:
    assert not looks_binary(b"Plain text\nwith lines\tand tabs.")


@given(st.binary(max_size=2000))
def test_never_raises_anything_but_extract_error(content: bytes) -> None:
    try:
        assert isinstance(decode_bytes(content, source="fuzz"), str)
    except ExtractError as exc:
        assert exc.reason in {Reason.EMPTY, Reason.BINARY, Reason.ENCODING}


def test_mostly_valid_utf8_with_a_stray_byte_is_kept() -> None:
    body = "북한 군인들이 러시아 쿠르스크 지역에 배치되었다고 정보당국이 밝혔다. " * 10
    content = ("<html><body><p>" + body + "</p></body></html>").encode()
    damaged = content[:120] + b"\xff" + content[120:]
    text = decode_bytes(damaged, source="stray.html")
    assert "쿠르스크" in text and text.count("\ufffd") == 1


def test_a_single_byte_page_is_not_taken_for_damaged_utf8() -> None:
    text = "Caf\xe9 owners in Dandong said the border was quiet.".encode("cp1252")
    assert "Café" in decode_bytes(text, source="cp1252.txt")
