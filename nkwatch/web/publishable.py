"""The one door scraped text passes through on its way out of the server.

Every string that came from a source (titles, bodies, summaries, snippets, figure sentences,
outlet and author names, URLs) and leaves the server, in a page or in the JSON API, goes through
:func:`protect_view`. Pages and API responses call it on their whole payload just before
rendering, so nothing reaches a reader around it.

The identity-protection stage plugs in here: when it lands, :func:`protect_text` hands each
string to it, and every page and API response is covered at once. Until then the treatment is
the digest's: text is passed on verbatim (templates escape it, JSON encodes it) and links keep
only the http(s) scheme (:func:`nkwatch.publish.digest.safe_link`), so no ``javascript:`` or
``data:`` URL from a page becomes a link.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from nkwatch.publish.digest import safe_link

#: Keys whose values are links: only http(s) URLs survive, anything else becomes ``None``.
LINK_KEYS = frozenset({"url", "canonical_url", "link", "origin_url", "feed_url", "webhook"})


def protect_text(text: str) -> str:
    """One scraped string as it may be shown (see the module docstring for what plugs in)."""
    return text


def protect_view(value: Any, *, key: str | None = None) -> Any:
    """``value`` (plain data: dicts, lists, tuples, strings, numbers) ready to leave the server.

    Strings go through :func:`protect_text`; values under a link key (:data:`LINK_KEYS`) keep
    only the http(s) scheme.
    """
    if isinstance(value, str):
        if key in LINK_KEYS:
            return safe_link(value)
        return protect_text(value)
    if isinstance(value, Mapping):
        return {k: protect_view(v, key=k if isinstance(k, str) else None) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [protect_view(item, key=key) for item in value]
    return value
