"""Build the fifth identity-protection labelled set from its marked-up source.

    python -m bench.protect_set5

Reads ``tests/data/protect/labelled5.src`` (the format of ``labelled3.src``, described at the
top of that file) and writes ``labelled_dev5.jsonl`` and ``labelled_test5.jsonl`` next to it.
A document goes to the test half when the first byte of the SHA-256 of its id is odd, so the
split is fixed by the ids alone and adding documents never moves an existing one. The parser
is the one of ``protect_set3.py``; this script adds consistency checks on the labels (every
key declared, no unlabelled repeat of a labelled name or place) and prints counts per half.
"""

from __future__ import annotations

import json
import re
import sys
from collections import Counter
from pathlib import Path
from typing import Any

from bench.protect_set3 import DATA, MARK, TYPES, half_of, parse_document

SOURCE = DATA / "labelled5.src"
ROLES = {
    "pow",
    "deserter",
    "defector",
    "refugee",
    "relative",
    "broker",
    "smuggler",
    "source",
    "child",
    "victim",
    "worker",
    "other-private",
}
KINDS = {"date", "price", "count", "year", "age-public", "hotline", "product", "other"}


def checked_document(header: str, title: str, body: str) -> dict[str, Any]:
    """One record parsed as the third set's, then checked: every role and look-alike kind
    known, every person key declared in the header used, no mark in the title."""
    doc = parse_document(header, title, body)
    fields = header.split()
    assert fields[1] in ("en", "ko"), (doc["id"], fields[1])
    roles = dict(field.split("=", 1) for field in fields[3:])
    for key, role in roles.items():
        assert re.fullmatch(r"[a-z]+", key) and role in ROLES, (doc["id"], key, role)
    for lookalike in doc["lookalikes"]:
        assert lookalike["kind"] in KINDS, (doc["id"], lookalike["kind"])
    assert title and not MARK.search(title), (doc["id"], title)
    used = {span["person"].rsplit("-", 1)[1] for span in doc["spans"]}
    assert used == set(roles), (doc["id"], sorted(used), sorted(roles))
    return doc


def unlabelled_repeats(doc: dict[str, Any]) -> list[str]:
    """Labelled names and places that occur again in the text outside every label."""
    covered = [(r["start"], r["end"]) for r in (*doc["spans"], *doc["public"], *doc["lookalikes"])]
    found = []
    for span in doc["spans"]:
        if span["type"] not in ("PERSON", "PLACE_OF_ORIGIN") or len(span["text"]) < 3:
            continue
        pattern = re.escape(span["text"])
        if re.match(r"[A-Za-z]", span["text"][-1]):
            pattern = rf"(?<![A-Za-z]){pattern}(?![A-Za-z])"
        if span["text"] in doc["title"]:
            found.append(f"{doc['id']}: {span['text']!r} in the title")
        for hit in re.finditer(pattern, doc["text"]):
            if not any(s <= hit.start() < e for s, e in covered):
                found.append(f"{doc['id']}: {span['text']!r} at {hit.start()}")
    return sorted(set(found))


def parse(source: str) -> list[dict[str, Any]]:
    """Every document of the source: blocks that start with ``=== `` lines."""
    documents = []
    for block in source.split("\n=== ")[1:]:
        lines = block.strip("\n").split("\n")
        documents.append(checked_document(lines[0], lines[1], " ".join(lines[2:]).strip()))
    return documents


def counts(chosen: list[dict[str, Any]]) -> str:
    """One line of counts for a half."""
    types = Counter(span["type"] for doc in chosen for span in doc["spans"])
    ko = sum(doc["language"] == "ko" for doc in chosen)
    spans = sum(len(doc["spans"]) for doc in chosen)
    public = sum(len(doc["public"]) for doc in chosen)
    looks = sum(len(doc["lookalikes"]) for doc in chosen)
    by_type = ", ".join(f"{name} {types[name]}" for name in TYPES.values())
    return (
        f"{len(chosen)} documents ({ko} ko), {spans} spans ({by_type}), "
        f"{public} public, {looks} look-alikes"
    )


def build(source: Path, suffix: str) -> int:
    """Parse ``source``, warn about unlabelled repeats, write the two halves as
    ``labelled_dev<suffix>.jsonl`` and ``labelled_test<suffix>.jsonl`` and print their counts."""
    documents = parse(source.read_text(encoding="utf-8"))
    ids = [doc["id"] for doc in documents]
    assert len(ids) == len(set(ids)), "duplicate ids"
    for doc in documents:
        for warning in unlabelled_repeats(doc):
            print("unlabelled repeat:", warning, file=sys.stderr)
    for half in ("dev", "test"):
        chosen = [doc for doc in documents if half_of(doc["id"]) == half]
        path = DATA / f"labelled_{half}{suffix}.jsonl"
        with path.open("w", encoding="utf-8") as handle:
            for doc in chosen:
                handle.write(json.dumps(doc, ensure_ascii=False) + "\n")
        print(f"{path.name}: {counts(chosen)}")
    print(f"all: {counts(documents)}")
    return 0


if __name__ == "__main__":
    sys.exit(build(SOURCE, "5"))
