"""Identity protection: private people are never exposed by what nkwatch publishes."""

from __future__ import annotations

from typing import TYPE_CHECKING

from nkwatch.lazy import lazy_exports

if TYPE_CHECKING:
    from nkwatch.protect.anonymise import LabelBook, anonymise
    from nkwatch.protect.records import KINDS, Detection, Mark, Protected
    from nkwatch.protect.stage import Protector, Scope, protect_row, protect_story

# Each name is imported on first use: importing the package (for one light module of it,
# say) does not load the heavy libraries of the others.
_EXPORTS = {
    "LabelBook": "nkwatch.protect.anonymise",
    "anonymise": "nkwatch.protect.anonymise",
    "KINDS": "nkwatch.protect.records",
    "Detection": "nkwatch.protect.records",
    "Mark": "nkwatch.protect.records",
    "Protected": "nkwatch.protect.records",
    "Protector": "nkwatch.protect.stage",
    "Scope": "nkwatch.protect.stage",
    "protect_row": "nkwatch.protect.stage",
    "protect_story": "nkwatch.protect.stage",
}

__all__ = [
    "KINDS",
    "Detection",
    "LabelBook",
    "Mark",
    "Protected",
    "Protector",
    "Scope",
    "anonymise",
    "protect_row",
    "protect_story",
]


__getattr__ = lazy_exports(__name__, _EXPORTS, globals())
