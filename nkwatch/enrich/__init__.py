"""Enrichment: what an article is about, whom and where it names, and which figures it reports.

Each function reads an article's text (and title) with a watch
:class:`~nkwatch.enrich.profile.Profile` and returns results; storing them is the caller's job.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from nkwatch.lazy import lazy_exports

if TYPE_CHECKING:
    from nkwatch.enrich.entities import EntityMention, find_entities
    from nkwatch.enrich.figures import extract_figures
    from nkwatch.enrich.profile import Alias, Entity, Measure, Profile, Theme, load_profile
    from nkwatch.enrich.themes import ThemeHit, ThemeScore, assign_themes, score_themes

# Each name is imported on first use: importing the package (for one light module of it,
# say) does not load the heavy libraries of the others.
_EXPORTS = {
    "EntityMention": "nkwatch.enrich.entities",
    "find_entities": "nkwatch.enrich.entities",
    "Alias": "nkwatch.enrich.profile",
    "Entity": "nkwatch.enrich.profile",
    "Measure": "nkwatch.enrich.profile",
    "Profile": "nkwatch.enrich.profile",
    "Theme": "nkwatch.enrich.profile",
    "load_profile": "nkwatch.enrich.profile",
    "ThemeHit": "nkwatch.enrich.themes",
    "ThemeScore": "nkwatch.enrich.themes",
    "assign_themes": "nkwatch.enrich.themes",
    "score_themes": "nkwatch.enrich.themes",
    "extract_figures": "nkwatch.enrich.figures",
}

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


__getattr__ = lazy_exports(__name__, _EXPORTS, globals())
