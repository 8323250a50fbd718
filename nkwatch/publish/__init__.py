"""Publishing: the digest (HTML, Markdown, RSS, Atom, JSON Feed), story views and exports."""

from __future__ import annotations

from typing import TYPE_CHECKING

from nkwatch.lazy import lazy_exports

if TYPE_CHECKING:
    from nkwatch.publish.digest import Digest, build_digest, parse_since, write_digest
    from nkwatch.publish.export import export_articles

# Each name is imported on first use: importing the package (for one light module of it,
# say) does not load the heavy libraries of the others.
_EXPORTS = {
    "Digest": "nkwatch.publish.digest",
    "build_digest": "nkwatch.publish.digest",
    "parse_since": "nkwatch.publish.digest",
    "write_digest": "nkwatch.publish.digest",
    "export_articles": "nkwatch.publish.export",
}

__all__ = [
    "Digest",
    "build_digest",
    "export_articles",
    "parse_since",
    "write_digest",
]


__getattr__ = lazy_exports(__name__, _EXPORTS, globals())
