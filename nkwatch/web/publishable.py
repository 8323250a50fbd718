"""The one door scraped text passes through on its way out of the server.

Every string that came from a source (titles, bodies, summaries, snippets, figure sentences,
outlet and author names, URLs) and leaves the server, in a page or in the JSON API, goes through
:func:`protect_view`. Pages and API responses call it on their whole payload just before
rendering, so nothing reaches a reader around it.

Identity protection (:mod:`nkwatch.protect`) is applied twice over: the views build their data
with the protecting builders (digest, story summaries, export rows, figures), which judge each
excerpt in its article's context and label one person alike across a story; and here, every
remaining string is run through the profile's :class:`~nkwatch.protect.stage.Protector` as a
last line, so no page or response reaches a reader around it. Templates escape what is left,
JSON encodes it, and links keep only the http(s) scheme
(:func:`nkwatch.publish.digest.web_link`), so no ``javascript:`` or ``data:`` URL from a page
becomes a link.
"""

from __future__ import annotations

import re
import threading
from collections import OrderedDict
from collections.abc import Iterator, Mapping
from typing import Any

from nkwatch.enrich.profile import Profile, load_profile
from nkwatch.protect.stage import Protector
from nkwatch.publish.digest import web_link
from nkwatch.web.shown import Shown, is_field_name

#: Keys whose values are links: only http(s) URLs survive, anything else becomes ``None``.
LINK_KEYS = frozenset({"url", "canonical_url", "link", "origin_url", "feed_url", "webhook"})


#: Short strings protected alone (titles, outlet names, authors) recur on many pages: their
#: protected form is kept for the protector in use, up to this many.
SHORT_TEXTS = 50_000
#: Longer than this, a string is not kept (bodies are judged once per page anyway).
SHORT_CHARS = 400

#: Values the desk writes in a machine format, whole: ISO 8601 dates and times (``isoformat()``
#: of a publication or fetch time) and SHA-256 digests. None of the kinds identity protection
#: replaces (a name, a phone number, an address, a messenger ID, an age with a place) fits in
#: one, so they are shown without running the recognisers
#: (``tests/web/test_publishable.py`` checks that the recognisers find nothing in them).
MACHINE_VALUE = re.compile(
    r"\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,6})?)?(?:Z|[+-]\d{2}:\d{2})?)?"
    r"|[0-9a-f]{64}"
)

_protector: Protector | None = None
_short: OrderedDict[str, Shown] = OrderedDict()
_short_lock = threading.Lock()


def use_profile(profile: Profile) -> Protector:
    """Protect with this watch profile's public and protected people from now on."""
    global _protector
    with _short_lock:
        _protector = Protector(profile)
        _short.clear()
    return _protector


def protector() -> Protector:
    """The protector in use (the bundled profile's until :func:`use_profile` is called)."""
    return _protector if _protector is not None else use_profile(load_profile())


def protect_text(text: str) -> Shown:
    """One scraped string as it may be shown: private people's values replaced."""
    if isinstance(text, Shown):
        return text
    if not text.strip() or MACHINE_VALUE.fullmatch(text):
        return Shown(text)
    if len(text) > SHORT_CHARS:
        return Shown(protector().scope([text]).protect(text).text)
    with _short_lock:
        found = _short.get(text)
        if found is not None:
            _short.move_to_end(text)
            return found
    shown = Shown(protector().scope([text]).protect(text).text)
    with _short_lock:
        _short[text] = shown
        if len(_short) > SHORT_TEXTS:
            _short.popitem(last=False)
    return shown


def protected(text: str | None) -> Shown | None:
    """Text a protecting builder has already judged in its article's context (a story summary
    sentence, an export row's text), marked so that it is not analysed a second time alone."""
    return None if text is None else Shown(text)


def protect_view(value: Any, *, key: str | None = None) -> Any:
    """``value`` (plain data: dicts, lists, tuples, strings, numbers) ready to leave the server.

    Strings go through :func:`protect_text` and come back as :class:`~nkwatch.web.shown.Shown`
    (one already :class:`Shown` is kept as it is); values under a link key (:data:`LINK_KEYS`)
    keep only the http(s) scheme. The analyses of the strings judged alone are read back from
    the store in use first, in one query (:meth:`~nkwatch.protect.stage.Protector.recall`), so
    a first visit runs the recognisers only on strings no page has shown before.
    """
    protector().recall(_alone(value, key))
    return _walk(value, key=key)


def _alone(value: Any, key: str | None) -> Iterator[str]:
    """The strings of ``value`` that :func:`protect_text` would analyse."""
    if isinstance(value, str):
        if key not in LINK_KEYS and _analysed(value):
            yield value
    elif isinstance(value, Mapping):
        for k, v in value.items():
            if isinstance(k, str) and not is_field_name(k) and _analysed(k):
                yield k
            yield from _alone(v, k if isinstance(k, str) else None)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _alone(item, key)


def _analysed(text: str) -> bool:
    if isinstance(text, Shown) or not text.strip() or MACHINE_VALUE.fullmatch(text):
        return False
    with _short_lock:
        return text not in _short


def _walk(value: Any, *, key: str | None = None) -> Any:
    if isinstance(value, str):
        if key in LINK_KEYS:
            link = web_link(value)
            return None if link is None else Shown(link)
        return protect_text(value)
    if isinstance(value, Mapping):
        return {_key(k): _walk(v, key=k if isinstance(k, str) else None) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_walk(item, key=key) for item in value]
    return value


def _key(key: Any) -> Any:
    """A dict key: field names stay; anything else (an outlet or a name as a key) is protected."""
    if isinstance(key, str) and not is_field_name(key):
        return protect_text(key)
    return key
