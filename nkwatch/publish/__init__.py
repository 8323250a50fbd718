"""Publishing: the digest in HTML and Markdown, and article exports."""

from nkwatch.publish.digest import Digest, build_digest, parse_since, render, write_digest
from nkwatch.publish.export import export_articles

__all__ = ["Digest", "build_digest", "export_articles", "parse_since", "render", "write_digest"]
