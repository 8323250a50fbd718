"""Publishing: the digest (HTML, Markdown, RSS, Atom, JSON Feed), story views and exports."""

from nkwatch.publish.digest import Digest, build_digest, parse_since, write_digest
from nkwatch.publish.export import export_articles

__all__ = ["Digest", "build_digest", "export_articles", "parse_since", "write_digest"]
