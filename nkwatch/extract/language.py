"""Language identification for article text (py3langid, offline, model inside the wheel)."""

from __future__ import annotations

import re

import py3langid

_HANGUL = re.compile(r"[\uac00-\ud7a3]")
_LETTER = re.compile(r"[^\W\d_]")


def detect_language(text: str, *, hint: str | None = None) -> str | None:
    """ISO 639-1 code of the text's language, or the page's own hint when the text is too short."""
    sample = text[:5000]
    letters = len(_LETTER.findall(sample))
    if letters < 20:
        return _normalise_hint(hint)
    # A Korean page quoting English names is still Korean: Hangul share decides first.
    if len(_HANGUL.findall(sample)) / letters > 0.3:
        return "ko"
    code, _score = py3langid.classify(sample)
    return str(code)


def _normalise_hint(hint: str | None) -> str | None:
    if not hint:
        return None
    code = hint.replace("_", "-").split("-")[0].strip().lower()
    return code if 2 <= len(code) <= 3 and code.isalpha() else None
