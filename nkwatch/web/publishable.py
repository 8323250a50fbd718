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

from collections.abc import Mapping
from typing import Any

from nkwatch.enrich.profile import Profile, load_profile
from nkwatch.protect.stage import Protector
from nkwatch.publish.digest import web_link

#: Keys whose values are links: only http(s) URLs survive, anything else becomes ``None``.
LINK_KEYS = frozenset({"url", "canonical_url", "link", "origin_url", "feed_url", "webhook"})


_protector: Protector | None = None


def use_profile(profile: Profile) -> Protector:
    """Protect with this watch profile's public and protected people from now on."""
    global _protector
    _protector = Protector(profile)
    return _protector


def protector() -> Protector:
    """The protector in use (the bundled profile's until :func:`use_profile` is called)."""
    return _protector if _protector is not None else use_profile(load_profile())


def protect_text(text: str) -> str:
    """One scraped string as it may be shown: private people's values replaced."""
    if not text.strip():
        return text
    return protector().scope([text]).protect(text).text


def protect_view(value: Any, *, key: str | None = None) -> Any:
    """``value`` (plain data: dicts, lists, tuples, strings, numbers) ready to leave the server.

    Strings go through :func:`protect_text`; values under a link key (:data:`LINK_KEYS`) keep
    only the http(s) scheme.
    """
    if isinstance(value, str):
        if key in LINK_KEYS:
            return web_link(value)
        return protect_text(value)
    if isinstance(value, Mapping):
        return {k: protect_view(v, key=k if isinstance(k, str) else None) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [protect_view(item, key=key) for item in value]
    return value
