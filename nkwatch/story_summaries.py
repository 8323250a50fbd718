"""Story summaries made once: a story's multi-source summary kept with what it was made from.

Reads a story's latest original members (those a story page summarises) and adds its
multi-source summary (:func:`nkwatch.summarize.summarize_story`) to the store, keyed by story
id with a digest of its inputs: the members' ids, dates, outlets and title and text hashes,
the figure claims quoted, the sentence count and a version of the summariser's code. A run
makes the summaries of the stories it changed; a reader (the web's story page, the digest)
reads one back when its digest matches what it would summarise, and otherwise makes it
itself, so a stale or missing summary is never shown and the published bytes are the same
with or without the stored ones.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from typing import Any

from nkwatch.isolation import code_digest
from nkwatch.record import Article
from nkwatch.store import Store
from nkwatch.summarize import StoryMember, SummarySentence, summarize_story

__all__ = [
    "PAGE_MEMBERS",
    "STORY_SENTENCES",
    "SUMMARY_MEMBERS",
    "inputs_digest",
    "made_summary",
    "page_selection",
    "recalled_summary",
    "story_members",
    "summariser_version",
]

#: Latest members a story page reads (its timeline; the summary's originals come from them).
PAGE_MEMBERS = 200
#: Latest original members a story page summarises and lists figures of.
SUMMARY_MEMBERS = 12
#: Sentences of a story's summary.
STORY_SENTENCES = 4

#: The modules whose code decides a story summary's sentences.
_SUMMARISER_CODE = ("summarize.py", "sentences.py")
_SUMMARISER_LIBRARIES = ("numpy",)

Claims = Mapping[int, Sequence[tuple[str, float, str]]]


def summariser_version() -> str:
    """A digest of the summariser's code and the library it computes with: a change to either
    makes every stored story summary stale."""
    return code_digest(_SUMMARISER_CODE, _SUMMARISER_LIBRARIES)


def story_members(articles: Sequence[Article]) -> list[StoryMember]:
    """Articles as the story summariser reads them (copies left out by the caller)."""
    return [StoryMember(a.id or 0, a.title or "", a.text, a.published, a.outlet) for a in articles]


def page_selection(members: Sequence[Article]) -> tuple[Article, ...]:
    """The members a story page summarises: its latest originals (its latest members when
    every one is a copy)."""
    latest = tuple(a for a in members if a.duplicate_of is None)[-SUMMARY_MEMBERS:]
    return latest or tuple(members[-SUMMARY_MEMBERS:])


def _text_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def inputs_digest(
    members: Sequence[StoryMember],
    *,
    max_sentences: int = STORY_SENTENCES,
    claims: Claims | None = None,
) -> str:
    """The digest of everything a story summary is made from, in the order given."""
    parts: list[Any] = [summariser_version(), max_sentences]
    parts.append(
        [
            [
                m.article_id,
                m.published.isoformat() if m.published else None,
                m.outlet,
                _text_hash(m.title),
                _text_hash(m.text),
            ]
            for m in members
        ]
    )
    parts.append(
        sorted(
            [key, [[measure, repr(value), sentence] for measure, value, sentence in quoted]]
            for key, quoted in (claims or {}).items()
        )
    )
    encoded = json.dumps(parts, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(encoded.encode("utf-8", "surrogatepass")).hexdigest()


def _rows(summary: Sequence[SummarySentence]) -> list[list[Any]]:
    return [[s.text, s.article_id, s.sentence_index, s.score] for s in summary]


def _sentences(rows: Sequence[Sequence[Any]]) -> list[SummarySentence] | None:
    """Stored rows back as sentences; None when a row is not what the store keeps."""
    sentences = []
    for row in rows:
        if not (isinstance(row, list | tuple) and len(row) == 4):
            return None
        text, article_id, index, score = row
        if not (
            isinstance(text, str)
            and (article_id is None or isinstance(article_id, int))
            and isinstance(index, int)
            and isinstance(score, int | float)
        ):
            return None
        sentences.append(SummarySentence(text, article_id, index, float(score)))
    return sentences


def made_summary(
    members: Sequence[StoryMember],
    *,
    max_sentences: int = STORY_SENTENCES,
    claims: Claims | None = None,
) -> tuple[str, list[list[Any]]]:
    """A story summary made now: (digest of its inputs, rows to store)."""
    summary = summarize_story(members, max_sentences=max_sentences, claims=claims)
    return inputs_digest(members, max_sentences=max_sentences, claims=claims), _rows(summary)


def recalled_summary(
    store: Store,
    story_id: int,
    members: Sequence[StoryMember],
    *,
    max_sentences: int = STORY_SENTENCES,
    claims: Claims | None = None,
    keep: bool = True,
) -> list[SummarySentence]:
    """The story's summary of ``members``: the stored one when it was made from exactly these
    inputs, otherwise made now (and stored when ``keep``)."""
    digest = inputs_digest(members, max_sentences=max_sentences, claims=claims)
    stored = store.story_summary(story_id)
    if stored is not None and stored[0] == digest:
        recalled = _sentences(stored[1])
        if recalled is not None:
            return recalled
    summary = summarize_story(members, max_sentences=max_sentences, claims=claims)
    if keep:
        store.save_story_summary(story_id, digest, _rows(summary))
    return summary
