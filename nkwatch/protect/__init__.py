"""Identity protection: private people are never exposed by what nkwatch publishes."""

from nkwatch.protect.anonymise import LabelBook, anonymise
from nkwatch.protect.records import KINDS, Detection, Mark, Protected
from nkwatch.protect.stage import Protector, Scope, protect_row, protect_story

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
