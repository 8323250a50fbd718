"""Build the fourth identity-protection labelled set from its marked-up source.

    python -m bench.protect_set4

Reads ``tests/data/protect/labelled4.src`` (the format of ``labelled3.src``, described at the
top of both files) and writes ``labelled_dev4.jsonl`` next to it. The whole set is development
data, so there is no split.
"""

from __future__ import annotations

import json
import sys
from collections import Counter

from bench.protect_set3 import DATA, parse

SOURCE = DATA / "labelled4.src"
TARGET = DATA / "labelled_dev4.jsonl"


def main() -> int:
    documents = parse(SOURCE.read_text(encoding="utf-8"))
    ids = [doc["id"] for doc in documents]
    assert len(ids) == len(set(ids)), "duplicate ids"
    with TARGET.open("w", encoding="utf-8") as handle:
        for doc in documents:
            handle.write(json.dumps(doc, ensure_ascii=False) + "\n")
    kinds = Counter(span["type"] for doc in documents for span in doc["spans"])
    languages = Counter(doc["language"] for doc in documents)
    public = sum(len(doc["public"]) for doc in documents)
    lookalikes = sum(len(doc["lookalikes"]) for doc in documents)
    print(f"{TARGET.name}: {len(documents)} documents {dict(languages)}, {dict(kinds)}")
    print(f"public {public}, look-alikes {lookalikes}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
