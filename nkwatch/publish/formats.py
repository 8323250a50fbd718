"""The names of the publishing formats and options, without the code that writes them.

The command line offers these as choices; importing them does not load the digest builder.
"""

from __future__ import annotations

#: Digest formats.
FORMATS = ("html", "md", "rss", "atom", "jsonfeed")
#: What a digest does with stories that carry no date.
UNDATED_POLICIES = ("include", "exclude")
#: Article export formats.
EXPORT_FORMATS = ("jsonl", "csv")
