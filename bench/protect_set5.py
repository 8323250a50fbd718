"""Build the fifth identity-protection labelled set from its marked-up source.

    python bench/protect_set5.py

Reads ``tests/data/protect/labelled5.src`` (the format of ``labelled3.src``, described at the
top of that file) and writes ``labelled_dev5.jsonl`` and ``labelled_test5.jsonl`` next to it.
A document goes to the test half when the first byte of the SHA-256 of its id is odd, so the
split is fixed by the ids alone and adding documents never moves an existing one. The parser
is the one of ``protect_set3.py``; this script adds consistency checks on the labels (every
key declared, no unlabelled repeat of a labelled name or place) and prints counts per half.
"""

from __future__ import annotations

import hashlib
import json
import re
import sys
from collections import Counter
from pathlib import Path
from typing import Any

DATA = Path(__file__).resolve().parent.parent / "tests" / "data" / "protect"
SOURCE = DATA / "labelled5.src"

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
    assert language in ("en", "ko"), (doc_id, language)
    roles = dict(field.split("=", 1) for field in fields[3:])
    for key, role in roles.items():
        assert re.fullmatch(r"[a-z]+", key) and role in ROLES, (doc_id, key, role)
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
            assert key in roles, (doc_id, key)
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
            assert match.group(7) in KINDS, (doc_id, match.group(7))
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
    assert title and not MARK.search(title), (doc_id, title)
    used = {span["person"].rsplit("-", 1)[1] for span in spans}
    assert used == set(roles), (doc_id, sorted(used), sorted(roles))
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
        documents.append(parse_document(lines[0], lines[1], " ".join(lines[2:]).strip()))
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


def main() -> int:
    documents = parse(SOURCE.read_text(encoding="utf-8"))
    ids = [doc["id"] for doc in documents]
    assert len(ids) == len(set(ids)), "duplicate ids"
    for doc in documents:
        for warning in unlabelled_repeats(doc):
            print("unlabelled repeat:", warning, file=sys.stderr)
    for half in ("dev", "test"):
        chosen = [doc for doc in documents if half_of(doc["id"]) == half]
        path = DATA / f"labelled_{half}5.jsonl"
        with path.open("w", encoding="utf-8") as handle:
            for doc in chosen:
                handle.write(json.dumps(doc, ensure_ascii=False) + "\n")
        print(f"{path.name}: {counts(chosen)}")
    print(f"all: {counts(documents)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
