"""Language identification."""

from __future__ import annotations

from nkwatch.extract.language import detect_language


def test_english_korean_russian() -> None:
    assert detect_language("Officials in Seoul said the launch was the third this month.") == "en"
    assert (
        detect_language("북한이 동해상으로 탄도미사일을 발사했다고 합동참모본부가 밝혔다.") == "ko"
    )
    assert detect_language("Северокорейские солдаты прибыли в Курскую область в октябре.") == "ru"


def test_korean_with_english_names_is_korean() -> None:
    text = "김정은 (Kim Jong Un) 국무위원장이 평양 (Pyongyang) 에서 열린 회의를 주재했다고 전했다."
    assert detect_language(text) == "ko"


def test_short_text_falls_back_to_the_page_hint() -> None:
    assert detect_language("OK", hint="ko-KR") == "ko"
    assert detect_language("OK", hint=None) is None
    assert detect_language("12 34", hint="en_US") == "en"
