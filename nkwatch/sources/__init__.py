"""Sources: pages over polite HTTP, RSS/Atom feeds, local files, OPML lists and WARC archives."""

from nkwatch.sources.feeds import FeedEntry, ParsedFeed, looks_like_feed, parse_feed
from nkwatch.sources.http import (
    Fetcher,
    FetchLog,
    FetchResult,
    FetchSettings,
    InMemoryValidatorStore,
    ValidatorStore,
)
from nkwatch.sources.opml import OpmlFeed, parse_opml
from nkwatch.sources.warc import iter_warc

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
