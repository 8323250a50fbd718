"""Enrichment quality and cost on the bundled sample corpus, against analyst labels.

    python bench/enrich.py             # scores per field, then cost per stage
    python bench/enrich.py --errors    # also list every disagreement with the labels

The sample corpus is ingested into a temporary store; the labelled articles (by manifest path,
see ``tests/data/enrich/corpus_*.json``) are run through ``assign_themes``, ``find_entities`` and
``extract_figures`` with the bundled profile and scored:

* themes: micro precision/recall/F1 over (article, theme) pairs;
* known entities: a mention is found when canonical name and span agree (a trailing possessive
  's on either side is ignored); scored with and without bare-surname back-references;
* unknown entities: precision of ``known=False`` mentions (a hit overlaps a labelled name of any
  kind, or, strictly, has exactly its span) and recall of the labelled unknown names;
* figures: :func:`nkwatch.enrich.figures.score_figures`, sentence by sentence, with every
  extracted figure outside the labelled sentences counted as a false positive (the articles are
  labelled in full).

Cost is wall-clock milliseconds per article for each stage over every stored article (digest
pages excluded), one process, median and 95th percentile of the best of three runs.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from nkwatch.config import load_settings, sample_outlets
from nkwatch.enrich.entities import EntityMention, find_entities
from nkwatch.enrich.figures import Figure, FigureScores, extract_figures, score_figures
from nkwatch.enrich.profile import Profile, load_profile
from nkwatch.enrich.themes import assign_themes
from nkwatch.record import Article
from nkwatch.sample import LabelledCorpus, ingest_sample
from nkwatch.store import SQLiteStore

LABELS = Path(__file__).resolve().parents[1] / "tests" / "data" / "enrich"

Span = tuple[int, int]


def load_labels(name: str) -> dict[str, Any]:
    """One of the corpus label files (``themes``, ``entities``, ``figures``)."""
    return json.loads((LABELS / f"corpus_{name}.json").read_text("utf-8"))


def sample_articles(folder: Path) -> list[Article]:
    """Every article stored from the sample corpus, ingested into a fresh store in ``folder``."""
    db = folder / "enrich.db"
    with SQLiteStore(db) as store:
        ingest_sample(store, settings=load_settings(db_path=str(db)))
        return list(store.iter_articles())


def articles_by_path(articles: list[Article]) -> dict[str, Article]:
    """Manifest path (or digest path + '#item-N') -> stored article."""
    found = dict(LabelledCorpus(articles).matched)
    for article in articles:
        if article.kind == "digest-item" and "digests/" in article.source:
            found["digests/" + article.source.rsplit("digests/", 1)[1]] = article
    return found


def locate(text: str, surface: str, occurrence: int) -> Span:
    """Offsets of the ``occurrence``-th (0-based) non-overlapping ``surface`` in ``text``."""
    start = -len(surface)
    for _ in range(occurrence + 1):
        start = text.find(surface, start + len(surface))
        if start < 0:
            raise LookupError(f"{surface!r} #{occurrence} is not in the text")
    return start, start + len(surface)


@dataclass(frozen=True, slots=True)
class PRF:
    """Precision, recall and F1 with their counts."""

    tp: int
    fp: int
    fn: int

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


# ------------------------------------------------------------------------------------ themes


@dataclass(frozen=True, slots=True)
class ThemeResult:
    scores: PRF
    per_theme: dict[str, PRF]
    errors: list[tuple[str, list[str], list[str]]]  # path, gold, predicted


def theme_scores(by_path: dict[str, Article], profile: Profile) -> ThemeResult:
    """Micro-averaged theme assignment against the labels, and per theme."""
    counts: dict[str, list[int]] = {t.id: [0, 0, 0] for t in profile.themes}
    errors = []
    for item in load_labels("themes")["articles"]:
        article = by_path[item["path"]]
        gold = set(item["themes"])
        got = {h.theme for h in assign_themes(article.title or "", article.text, profile=profile)}
        for theme in gold | got:
            counts[theme][0 if theme in gold & got else 1 if theme in got else 2] += 1
        if gold != got:
            errors.append((item["path"], sorted(gold), sorted(got)))
    per_theme = {t: PRF(*c) for t, c in counts.items()}
    total = PRF(*(sum(c[i] for c in counts.values()) for i in range(3)))
    return ThemeResult(total, per_theme, errors)


# ---------------------------------------------------------------------------------- entities


def _trim(text: str, span: Span) -> Span:
    start, end = span
    if text[start:end].endswith(("'s", "’s")):
        end -= 2
    return start, end


@dataclass(frozen=True, slots=True)
class EntityResult:
    known: PRF
    known_full_names: PRF  # bare-surname back-references left out of gold and predictions
    unknown_precision: float
    unknown_precision_exact: float
    unknown_recall: float
    unknown_found: int
    unknown_type_accuracy: float
    by_language: dict[str, PRF]
    missed: list[tuple[str, str, str]]  # path, canonical, context
    spurious: list[tuple[str, str, str]]
    unknown_spurious: list[tuple[str, str, str]]


def _context(text: str, span: Span) -> str:
    start, end = span
    return (
        text[max(0, start - 40) : start] + "[" + text[start:end] + "]" + text[end : end + 30]
    ).replace("\n", " ")


def entity_scores(by_path: dict[str, Article], profile: Profile) -> EntityResult:
    """Known mentions (canonical + span), unknown-name precision and recall."""
    tp = fp = fn = tp_full = fp_full = fn_full = 0
    unknown_hits = unknown_exact = unknown_total = unknown_found = type_hits = 0
    unknown_gold_total = 0
    languages: dict[str, list[int]] = {}
    missed, spurious, unknown_spurious = [], [], []
    for item in load_labels("entities")["articles"]:
        text = by_path[item["path"]].text
        gold_known: dict[Span, tuple[str, bool]] = {}
        gold_any: list[tuple[Span, str]] = []
        gold_unknown: list[Span] = []
        for m in item["mentions"]:
            span = locate(text, m["surface"], m["occurrence"])
            gold_any.append((span, m["type"]))
            if m["known"]:
                gold_known[_trim(text, span)] = (m["canonical"], bool(m.get("short_form")))
            else:
                gold_unknown.append(span)
        mentions: list[EntityMention] = find_entities(
            text, profile=profile, outlets=tuple(sample_outlets().values())
        )
        predicted = {_trim(text, (m.start, m.end)): m.canonical for m in mentions if m.known}
        lang = languages.setdefault(item["language"], [0, 0, 0])
        for span, canonical in predicted.items():
            gold = gold_known.get(span)
            short = gold is not None and gold[1]
            if gold is not None and gold[0] == canonical:
                tp += 1
                lang[0] += 1
                tp_full += not short
            else:
                fp += 1
                lang[1] += 1
                fp_full += not short
                spurious.append((item["path"], canonical, _context(text, span)))
        for span, (canonical, short) in gold_known.items():
            if predicted.get(span) != canonical:
                fn += 1
                lang[2] += 1
                fn_full += not short
                missed.append((item["path"], canonical, _context(text, span)))
        unknown_gold_total += len(gold_unknown)
        for m in mentions:
            if m.known:
                continue
            unknown_total += 1
            overlapping = [(s, t) for s, t in gold_any if s[0] < m.end and m.start < s[1]]
            if overlapping:
                unknown_hits += 1
                type_hits += any(t == m.type for _, t in overlapping)
            else:
                unknown_spurious.append((item["path"], m.type, _context(text, (m.start, m.end))))
            unknown_exact += (m.start, m.end) in gold_unknown
        unknown_found += sum(
            1
            for s in gold_unknown
            if any(not m.known and m.start < s[1] and s[0] < m.end for m in mentions)
        )
    return EntityResult(
        known=PRF(tp, fp, fn),
        known_full_names=PRF(tp_full, fp_full, fn_full),
        unknown_precision=unknown_hits / unknown_total if unknown_total else 1.0,
        unknown_precision_exact=unknown_exact / unknown_total if unknown_total else 1.0,
        unknown_recall=unknown_found / unknown_gold_total if unknown_gold_total else 1.0,
        unknown_found=unknown_total,
        unknown_type_accuracy=type_hits / unknown_hits if unknown_hits else 1.0,
        by_language={k: PRF(*v) for k, v in languages.items()},
        missed=missed,
        spurious=spurious,
        unknown_spurious=unknown_spurious,
    )


# ----------------------------------------------------------------------------------- figures


def figure_cases(
    by_path: dict[str, Article], *, language: str | None = None, won_as_krw: bool = False
) -> list[tuple[list[dict[str, Any]], list[Figure]]]:
    """(gold, extracted) per labelled sentence, plus the extracted figures outside them.

    ``won_as_krw`` relabels North Korean won as KRW, the extractor's documented reading of a
    bare "won", to show how much of the gap is that convention alone.
    """
    cases: list[tuple[list[dict[str, Any]], list[Figure]]] = []
    for item in load_labels("figures")["articles"]:
        if language is not None and item["language"] != language:
            continue
        text = by_path[item["path"]].text
        figures = extract_figures(text)
        groups: dict[Span, list[dict[str, Any]]] = {}
        for label in item["figures"]:
            if won_as_krw and label["unit"] == "KPW":
                label = {**label, "unit": "KRW"}
            span = locate(text, label["sentence"], 0)
            groups.setdefault(span, []).append(label)
        taken: set[int] = set()
        for (start, end), labels in groups.items():
            inside = [f for f in figures if start <= f.start < end]
            taken.update(id(f) for f in inside)
            cases.append((labels, inside))
        cases.append(([], [f for f in figures if id(f) not in taken]))
    return cases


def figure_scores(
    by_path: dict[str, Article], *, language: str | None = None, won_as_krw: bool = False
) -> FigureScores:
    """``score_figures`` over the labelled articles (one language, or all)."""
    return score_figures(figure_cases(by_path, language=language, won_as_krw=won_as_krw))


def figure_errors(by_path: dict[str, Article]) -> list[str]:
    """Readable disagreements: missed and spurious figures, and field mismatches."""
    fields = ("counted", "approx", "period", "attribution", "hedge")
    lines = []
    for gold, predicted in figure_cases(by_path):
        free = list(predicted)
        for label in gold:
            match = next((f for f in free if score_figures([([label], [f])]).matched), None)
            head = f"{label['value']:g} {label['unit'] or ''}".strip()
            if match is None:
                lines.append(f"MISSED {head} :: {label['sentence']}")
                continue
            free.remove(match)
            for name in fields:
                one = score_figures([([label], [match])])
                if getattr(one, name) < 1.0:
                    lines.append(
                        f"FIELD {name} {head}: gold={label[name]!r} got={getattr(match, name)!r}"
                        f" :: {label['sentence']}"
                    )
        for figure in free:
            lines.append(
                f"SPURIOUS {figure.value:g} {figure.unit or ''} ({figure.counted!r}) :: "
                f"{figure.sentence}"
            )
    return lines


# -------------------------------------------------------------------------------------- cost


def stage_costs(
    articles: Sequence[Article], profile: Profile, *, repeats: int = 3
) -> dict[str, tuple[float, float]]:
    """Median and p95 milliseconds per article for each stage (best of ``repeats`` runs)."""
    outlets = tuple(sample_outlets().values())
    stages: dict[str, Callable[[Article], object]] = {
        "themes": lambda a: assign_themes(a.title or "", a.text, profile=profile),
        "entities": lambda a: find_entities(a.text, profile=profile, outlets=outlets),
        "figures": lambda a: extract_figures(a.text),
    }
    for run in stages.values():  # build caches (alias tables, cue index) outside the timing
        run(articles[0])
    costs = {}
    for name, run in stages.items():
        best = [float("inf")] * len(articles)
        for _ in range(repeats):
            for i, article in enumerate(articles):
                started = time.perf_counter()
                run(article)
                best[i] = min(best[i], (time.perf_counter() - started) * 1000)
        costs[name] = (statistics.median(best), _percentile(best, 95))
    return costs


def _percentile(values: Iterable[float], pct: float) -> float:
    ordered = sorted(values)
    rank = (len(ordered) - 1) * pct / 100
    low = int(rank)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


# -------------------------------------------------------------------------------------- main


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--errors", action="store_true", help="list every disagreement")
    args = parser.parse_args(argv)
    profile = load_profile()
    with tempfile.TemporaryDirectory() as folder:
        articles = sample_articles(Path(folder))
    by_path = articles_by_path(articles)
    themes = theme_scores(by_path, profile)
    entities = entity_scores(by_path, profile)
    figures = figure_scores(by_path)
    figures_en = figure_scores(by_path, language="en")
    figures_ko = figure_scores(by_path, language="ko")
    figures_en_krw = figure_scores(by_path, language="en", won_as_krw=True)

    print(
        f"labels: {sum(1 for _ in load_labels('themes')['articles'])} theme articles, "
        f"{sum(len(a['mentions']) for a in load_labels('entities')['articles'])} mentions, "
        f"{figures.gold} figures"
    )
    print("\n| field | P | R | F1 | n |")
    print("|---|---|---|---|---|")
    t = themes.scores
    print(f"| themes (micro) | {t.precision:.3f} | {t.recall:.3f} | {t.f1:.3f} | {t.tp + t.fn} |")
    for label, prf in (
        ("known entities", entities.known),
        ("known entities, full names only", entities.known_full_names),
        *((f"known entities, {k}", v) for k, v in sorted(entities.by_language.items())),
    ):
        print(
            f"| {label} | {prf.precision:.3f} | {prf.recall:.3f} | {prf.f1:.3f} | "
            f"{prf.tp + prf.fn} |"
        )
    print(
        f"| unknown entities (overlap / exact span) | {entities.unknown_precision:.3f} / "
        f"{entities.unknown_precision_exact:.3f} | {entities.unknown_recall:.3f} | | "
        f"{entities.unknown_found} found |"
    )
    for label, s in (
        ("figures, all", figures),
        ("figures, en", figures_en),
        ("figures, en, North Korean won taken as KRW", figures_en_krw),
        ("figures, ko", figures_ko),
    ):
        print(
            f"| {label}: value+unit | {s.precision:.3f} | {s.recall:.3f} | {s.f1:.3f} | {s.gold} |"
        )
    print("\n| figures field (on matched) | all | en |")
    print("|---|---|---|")
    for name in ("counted", "attribution", "hedge", "approx", "period"):
        print(f"| {name} | {getattr(figures, name):.3f} | {getattr(figures_en, name):.3f} |")
    print("\n| theme | P | R | F1 | gold |")
    print("|---|---|---|---|---|")
    for theme, prf in themes.per_theme.items():
        print(
            f"| {theme} | {prf.precision:.2f} | {prf.recall:.2f} | {prf.f1:.2f} | "
            f"{prf.tp + prf.fn} |"
        )

    timed = [a for a in articles if a.kind != "digest-page"]
    costs = stage_costs(timed, profile)
    print(f"\ncost, ms per article over {len(timed)} articles (median / p95):")
    for name, (median, p95) in costs.items():
        print(f"  {name:9} {median:7.2f} / {p95:7.2f}")

    if args.errors:
        print("\n# themes (path: gold -> got)")
        for path, gold, got in themes.errors:
            print(f"  {path}: {gold} -> {got}")
        print("\n# known entities missed")
        for path, canonical, context in entities.missed:
            print(f"  {path[:50]} {canonical}: {context}")
        print("\n# known entities spurious or wrong")
        for path, canonical, context in entities.spurious:
            print(f"  {path[:50]} {canonical}: {context}")
        print("\n# unknown entities not in the labels")
        for path, kind, context in entities.unknown_spurious:
            print(f"  {path[:50]} {kind}: {context}")
        print("\n# figures")
        for line in figure_errors(by_path):
            print("  " + line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
