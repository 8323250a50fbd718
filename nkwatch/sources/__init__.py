"""Sources: pages over polite HTTP, RSS/Atom feeds, local files, OPML lists and WARC archives."""

from __future__ import annotations

from typing import TYPE_CHECKING

from nkwatch.lazy import lazy_exports

if TYPE_CHECKING:
    from nkwatch.sources.feeds import FeedEntry, ParsedFeed, looks_like_feed, parse_feed
    from nkwatch.sources.http import (
        Fetcher,
        FetchLog,
        FetchResult,
        InMemoryValidatorStore,
        ValidatorStore,
    )
    from nkwatch.sources.opml import OpmlFeed, parse_opml
    from nkwatch.sources.settings import FetchSettings
    from nkwatch.sources.warc import iter_warc

# Each name is imported on first use: importing the package (for one light module of it,
# say) does not load the heavy libraries of the others.
_EXPORTS = {
    "FeedEntry": "nkwatch.sources.feeds",
    "ParsedFeed": "nkwatch.sources.feeds",
    "looks_like_feed": "nkwatch.sources.feeds",
    "parse_feed": "nkwatch.sources.feeds",
    "FetchLog": "nkwatch.sources.http",
    "FetchResult": "nkwatch.sources.http",
    "Fetcher": "nkwatch.sources.http",
    "InMemoryValidatorStore": "nkwatch.sources.http",
    "ValidatorStore": "nkwatch.sources.http",
    "FetchSettings": "nkwatch.sources.settings",
    "OpmlFeed": "nkwatch.sources.opml",
    "parse_opml": "nkwatch.sources.opml",
    "iter_warc": "nkwatch.sources.warc",
}

__all__ = [
    "FeedEntry",
    "FetchLog",
    "FetchResult",
    "FetchSettings",
    "Fetcher",
    "InMemoryValidatorStore",
    "OpmlFeed",
    "ParsedFeed",
    "ValidatorStore",
    "iter_warc",
    "looks_like_feed",
    "parse_feed",
    "parse_opml",
]


__getattr__ = lazy_exports(__name__, _EXPORTS, globals())
