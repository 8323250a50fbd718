"""Build the third identity-protection labelled set from its marked-up source.

    python bench/protect_set3.py

Reads ``tests/data/protect/labelled3.src`` (format at the top of that file) and writes
``labelled_dev3.jsonl`` and ``labelled_test3.jsonl`` next to it. A document goes to the test
half when the first byte of the SHA-256 of its id is odd, so the split is fixed by the ids
alone and adding documents never moves an existing one.
"""

from __future__ import annotations

import hashlib
import json
import re
import sys
from pathlib import Path
from typing import Any

DATA = Path(__file__).resolve().parent.parent / "tests" / "data" / "protect"
SOURCE = DATA / "labelled3.src"

TYPES = {
    "P": "PERSON",
    "T": "PHONE",
    "M": "MESSENGER_ID",
    "E": "EMAIL",
    "S": "STREET_ADDRESS",
    "G": "AGE",
    "O": "PLACE_OF_ORIGIN",
}
PUBLIC = {
    "hs": "head-of-state",
    "off": "official",
    "ofr": "officer",
    "dip": "diplomat",
    "leg": "legislator",
    "spk": "spokesperson",
    "exp": "expert",
    "jour": "journalist",
    "act": "activist-public",
}
MARK = re.compile(
    r"\[([^\[\]|]+)\|([PTMESGO])([a-z]+)\]|\{([^{}|]+)\|([a-z]+)\}|<([^<>|]+)\|([a-z-]+)>"
)


def half_of(doc_id: str) -> str:
    """``test`` for ids whose SHA-256 starts with an odd byte, else ``dev``."""
    return "test" if hashlib.sha256(doc_id.encode()).digest()[0] % 2 else "dev"


def parse_document(header: str, title: str, body: str) -> dict[str, Any]:
    """One record from a header line, a title line and a marked-up body."""
    fields = header.split()
    doc_id, language, style = fields[0], fields[1], fields[2]
    roles = dict(field.split("=", 1) for field in fields[3:])
    text_parts: list[str] = []
    spans: list[dict[str, Any]] = []
    public: list[dict[str, Any]] = []
    lookalikes: list[dict[str, Any]] = []
    position = 0
    length = 0
    body = body.replace("\\n", "\n")
    for match in MARK.finditer(body):
        text_parts.append(body[position : match.start()])
        length += match.start() - position
        value = match.group(1) or match.group(4) or match.group(6)
        start, end = length, length + len(value)
        if match.group(1):
            key = match.group(3)
            spans.append(
                {
                    "start": start,
                    "end": end,
                    "text": value,
                    "type": TYPES[match.group(2)],
                    "role": roles[key],
                    "person": f"{doc_id}-{key}",
                }
            )
        elif match.group(4):
            public.append(
                {"start": start, "end": end, "text": value, "role": PUBLIC[match.group(5)]}
            )
        else:
            lookalikes.append({"start": start, "end": end, "text": value, "kind": match.group(7)})
        text_parts.append(value)
        length = end
        position = match.end()
    text_parts.append(body[position:])
    text = "".join(text_parts)
    for record in (*spans, *public, *lookalikes):
        assert text[record["start"] : record["end"]] == record["text"], (doc_id, record)
    for stray in "[]{}<>|":
        assert stray not in text, (doc_id, stray)
    return {
        "id": doc_id,
        "language": language,
        "style": style,
        "title": title,
        "text": text,
        "spans": spans,
        "public": public,
        "lookalikes": lookalikes,
    }


def parse(source: str) -> list[dict[str, Any]]:
    """Every document of the source: blocks that start with ``=== `` lines."""
    documents = []
    for block in source.split("\n=== ")[1:]:
        lines = block.strip("\n").split("\n")
        documents.append(parse_document(lines[0], lines[1], " ".join(lines[2:]).strip()))
    return documents


def main() -> int:
    documents = parse(SOURCE.read_text(encoding="utf-8"))
    ids = [doc["id"] for doc in documents]
    assert len(ids) == len(set(ids)), "duplicate ids"
    for half in ("dev", "test"):
        chosen = [doc for doc in documents if half_of(doc["id"]) == half]
        path = DATA / f"labelled_{half}3.jsonl"
        with path.open("w", encoding="utf-8") as handle:
            for doc in chosen:
                handle.write(json.dumps(doc, ensure_ascii=False) + "\n")
        spans = sum(len(doc["spans"]) for doc in chosen)
        print(f"{path.name}: {len(chosen)} documents, {spans} spans")
    return 0


if __name__ == "__main__":
    sys.exit(main())
