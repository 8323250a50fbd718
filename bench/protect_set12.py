"""Build the twelfth identity-protection labelled set from its marked-up source.

    python -m bench.protect_set12

Reads ``tests/data/protect/labelled12.src`` (the format of ``labelled3.src``, described at the
top of that file) and writes ``labelled_dev12.jsonl`` and ``labelled_test12.jsonl`` next to it,
with the parser, the checks and the split of the fifth set (``protect_set5.py``): a document
goes to the test half when the first byte of the SHA-256 of its id is odd.
"""

from __future__ import annotations

import sys

from bench.protect_set5 import DATA, build

SOURCE = DATA / "labelled12.src"


if __name__ == "__main__":
    sys.exit(build(SOURCE, "12"))
