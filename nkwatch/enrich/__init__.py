"""Enrichment: what an article is about, whom and where it names, and which figures it reports.

Each function reads an article's text (and title) with a watch
:class:`~nkwatch.enrich.profile.Profile` and returns results; storing them is the caller's job.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from nkwatch.enrich.entities import EntityMention, find_entities
from nkwatch.enrich.profile import Alias, Entity, Measure, Profile, Theme, load_profile
from nkwatch.enrich.themes import ThemeHit, ThemeScore, assign_themes, score_themes

if TYPE_CHECKING:
    from nkwatch.enrich.figures import extract_figures

__all__ = [
    "Alias",
    "Entity",
    "EntityMention",
    "Measure",
    "Profile",
    "Theme",
    "ThemeHit",
    "ThemeScore",
    "assign_themes",
    "extract_figures",
    "find_entities",
    "load_profile",
    "score_themes",
]


def __getattr__(name: str) -> Any:
    # The figure extractor is imported on first use, so themes and entities work without it.
    if name == "extract_figures":
        from nkwatch.enrich.figures import extract_figures

        return extract_figures
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
