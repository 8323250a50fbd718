"""Names and places protected in real news, judged by hand.

    python bench/protect_real_labels.py               # person names, both halves
    python bench/protect_real_labels.py --kind place  # home towns and current cities
    python bench/protect_real_labels.py --half dev --list   # every dev-half span and its label

The texts are those of ``bench/protect_real.py`` (385 real news texts nobody wrote for nkwatch,
read in place from ``../shared/benchmarks/``). ``tests/data/protect/real_person_spans.json``
holds a judgement for each distinct name the protection stage replaced as a person's in each
text on 2026-12-07 (the text's number, its first span's offsets, the first 12 hex digits of the
SHA-1 of its words, and ``not_person``, ``public`` or ``private``);
``real_place_spans.json`` likewise for the places it replaced as a person's home town or city
(``not_place``, ``public_place`` or ``private_home``), judged after that day's rules for names.
A protected span takes the judgement of the same words in its text, else of a judged span it
overlaps. A text of even number is in the development half, an odd one in the test half.

What is scored, per half:

* of the person names now protected, how many are judged spans of each kind, and how many were
  never judged (a rule change can protect words nobody has judged: they are listed apart);
* **not a person** (not a place): judged spans protected that name no person (places, teams,
  products, organisations, words), as a share of the judged spans protected;
* **public**: public figures (places that are no private person's home) protected, as the same
  share;
* **private kept**: of the spans judged private (a private person's home), the share still
  protected (a span counts when a protected one has its words or overlaps it).

These spans are those the stage took on one day, so the private figure is a guard against
losing what it found, not a recall: names it never took were not judged.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from collections import Counter
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
if __name__ == "__main__":
    sys.path.insert(0, str(REPO_ROOT))

from bench.protect_real import real_texts  # noqa: E402
from nkwatch.enrich.profile import load_profile  # noqa: E402
from nkwatch.protect.records import PERSON, PLACE_OF_ORIGIN  # noqa: E402
from nkwatch.protect.stage import Protector  # noqa: E402

DATA = REPO_ROOT / "tests" / "data" / "protect"
#: Per kind of span: its label file, its detection kind and its three judgements (no such
#: thing, public, private).
JUDGED = {
    "person": (DATA / "real_person_spans.json", PERSON, ("not_person", "public", "private")),
    "place": (
        DATA / "real_place_spans.json",
        PLACE_OF_ORIGIN,
        ("not_place", "public_place", "private_home"),
    ),
}


def half_of(text_number: int) -> str:
    """The half a text belongs to: even numbers develop, odd ones test."""
    return "dev" if text_number % 2 == 0 else "test"


def load_labels(path: Path = JUDGED["person"][0]) -> list[dict[str, object]]:
    """The judged spans."""
    return list(json.loads(path.read_text(encoding="utf-8"))["spans"])


def value_key(value: str) -> str:
    """How a span's words are kept in the label file: a short hash, not the words."""
    return hashlib.sha1(value.encode("utf-8")).hexdigest()[:12]


def score(half: str, *, kind: str = "person", listing: bool = False) -> dict[str, float | int]:
    """Scores of the protection stage on one half (``dev``, ``test`` or ``all``) for one kind
    of span (``person`` or ``place``)."""
    path, detected, kinds = JUDGED[kind]
    nothing, public, private = kinds
    texts = real_texts()
    labels = [
        label
        for label in load_labels(path)
        if half in {"all", half_of(int(label["text"]))}  # type: ignore[call-overload]
    ]
    by_text: dict[int, list[dict[str, object]]] = {}
    for label in labels:
        by_text.setdefault(int(label["text"]), []).append(label)  # type: ignore[call-overload]
    protector = Protector(load_profile())
    counts: Counter[str] = Counter()
    kept_private: set[int] = set()
    for number, text in enumerate(texts):
        if half != "all" and half_of(number) != half:
            continue
        spans = by_text.get(number, [])
        for detection in protector.analyse(text).protected:
            if detection.kind != detected:
                continue
            value = text[detection.start : detection.end]
            # The span itself, another mention with the same words, or one overlapping it.
            key = value_key(value)
            judged = [label for label in spans if label["value"] == key] or [
                label
                for label in spans
                if int(label["start"]) < detection.end  # type: ignore[call-overload]
                and detection.start < int(label["end"])  # type: ignore[call-overload]
            ]
            verdict = str(judged[0]["label"]) if judged else "unjudged"
            counts[verdict] += 1
            # A judged private span is kept when a protected span has its words or covers it
            # ("Peter" and "Hattermann" judged apart, now protected as "Peter Hattermann").
            for label in spans:
                if label["label"] == private and (
                    label in judged
                    or (
                        int(label["start"]) < detection.end  # type: ignore[call-overload]
                        and detection.start < int(label["end"])  # type: ignore[call-overload]
                    )
                ):
                    kept_private.add(id(label))
            if listing:
                print(f"{number}\t{verdict}\t{value!r}")
    judged_total = sum(counts[label] for label in kinds)
    private_total = sum(1 for label in labels if label["label"] == private)
    return {
        "protected": sum(counts.values()),
        "nothing": counts[nothing],
        "public": counts[public],
        "private": counts[private],
        "unjudged": counts["unjudged"],
        "nothing_share": counts[nothing] / judged_total if judged_total else 0.0,
        "public_share": counts[public] / judged_total if judged_total else 0.0,
        "private_kept": len(kept_private) / private_total if private_total else 1.0,
        "private_judged": private_total,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--half", choices=("dev", "test", "all"), default=None)
    parser.add_argument("--kind", choices=tuple(JUDGED), default="person")
    parser.add_argument("--list", action="store_true", help="print every protected span")
    args = parser.parse_args(argv)
    halves = [args.half] if args.half else ["dev", "test"]
    print(
        f"| {args.kind}s, half | protected | no such thing | public | private | unjudged "
        "| no-such-thing share | public share | private kept |"
    )
    print("|---|---|---|---|---|---|---|---|---|")
    for half in halves:
        got = score(half, kind=args.kind, listing=args.list)
        print(
            f"| {half} | {got['protected']} | {got['nothing']} | {got['public']} "
            f"| {got['private']} | {got['unjudged']} | {got['nothing_share']:.3f} "
            f"| {got['public_share']:.3f} | {got['private_kept']:.3f} "
            f"(of {got['private_judged']}) |"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
