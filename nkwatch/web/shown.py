"""Text cleared to leave the server, as a type: pages and API responses take nothing else.

Every string a page renders or a response encodes must be a :class:`Shown`: scraped text once
it has been through identity protection (:func:`nkwatch.web.publishable.protect_view` makes
them), or text the desk writes itself or the reader typed (:func:`literal`, said at the call).
:func:`require_shown` walks a payload and raises :class:`UnprotectedText` at the first plain
string, so a view that forgets to protect something fails loudly in tests instead of showing a
private person's name to a reader.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from markupsafe import Markup

#: Plain dict keys allowed in a payload: field names and codes the desk writes (``title``,
#: ``digest-item``, ``2026-11-01``). Scraped text as a key (an outlet, a name) must be a Shown.
_KEY = re.compile(r"[A-Za-z0-9_.:+-]{1,64}")


class Shown(str):
    """A string cleared to be shown: protected scraped text, or the desk's own words."""

    __slots__ = ()


class UnprotectedText(TypeError):
    """A page or response was about to carry a string that was never cleared to be shown."""


def is_field_name(key: str) -> bool:
    """Whether a plain dict key is a field name or code the desk writes (never scraped)."""
    return isinstance(key, Shown) or _KEY.fullmatch(key) is not None


def literal(text: str) -> Shown:
    """Text the desk wrote (labels, messages) or the reader typed (a query echoed back).

    Never for text that came from a source: that goes through protection.
    """
    return text if isinstance(text, Shown) else Shown(text)


def literals(values: Any) -> Any:
    """:func:`literal` over every string in plain data (the profile's theme labels, a form)."""
    if isinstance(values, str):
        return literal(values)
    if isinstance(values, Mapping):
        return {k: literals(v) for k, v in values.items()}
    if isinstance(values, list | tuple):
        return [literals(v) for v in values]
    return values


def require_shown(value: Any, *, where: str = "payload") -> Any:
    """``value`` unchanged if every string in it is cleared to be shown; else raise.

    Allowed: :class:`Shown`, :class:`~markupsafe.Markup` (markup the desk drew, charts),
    numbers, booleans, ``None``, callables (template helpers), and lists, tuples and dicts of
    these. Dict keys may be plain field names and codes.
    """
    _check(value, where)
    return value


def _check(value: Any, where: str) -> None:
    if isinstance(value, Shown | Markup):
        return
    if isinstance(value, str):
        raise UnprotectedText(
            f"{where}: the string {value[:40]!r} was never protected or marked as the desk's "
            "own text; pass it through protect_view() (scraped text) or literal()"
        )
    if value is None or isinstance(value, bool | int | float):
        return
    if isinstance(value, Mapping):
        for key, item in value.items():
            if isinstance(key, str) and not is_field_name(key):
                raise UnprotectedText(f"{where}: the key {key[:40]!r} is not a field name")
            _check(item, f"{where}.{key}")
        return
    if isinstance(value, list | tuple):
        for index, item in enumerate(value):
            _check(item, f"{where}[{index}]")
        return
    if callable(value):
        return
    raise UnprotectedText(f"{where}: a {type(value).__name__} cannot be shown as it is")
