"""Build the ninth identity-protection labelled set from its marked-up source.

    python -m bench.protect_set9

Reads ``tests/data/protect/labelled9.src`` (the format of ``labelled3.src``, described at the
top of that file) and writes ``labelled_dev9.jsonl`` and ``labelled_test9.jsonl`` next to it,
with the parser, the checks and the split of the fifth set (``protect_set5.py``): a document
goes to the test half when the first byte of the SHA-256 of its id is odd.
"""

from __future__ import annotations

import sys

from bench.protect_set5 import DATA, build

SOURCE = DATA / "labelled9.src"


if __name__ == "__main__":
    sys.exit(build(SOURCE, "9"))
