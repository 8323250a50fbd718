"""Stories in the store: run the online clusterer over newly stored articles and keep the result.

Reads de-duplicated articles not yet in a story, in arrival order (publication time, else fetch
time), and adds ``story_id`` to each. Copies join their original's story without weighing on the
clusterer; long runs of near-identical pages from one site are set aside as boilerplate (stored
with a reason) instead of growing a junk story. The clusterer's state is saved in the store, so
the next run resumes where this one stopped, and every touched story's summary row is rebuilt:
its most representative headline, first and last seen, articles, outlets and independent sources.
"""

from __future__ import annotations

import json
import logging
import math
import re
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, replace
from typing import Any
from urllib.parse import urlsplit

from nkwatch.cluster.embed import Embedder
from nkwatch.cluster.model import MergeModel
from nkwatch.cluster.state import SavedClusterer, load_clusterer, state_changes
from nkwatch.cluster.stories import ClusterDoc, ClusterSettings, StoryClusterer
from nkwatch.cluster.storylines import STORYLINE_MODEL, link_storylines, relink_storylines
from nkwatch.errors import Reason, RejectedInput
from nkwatch.isolation import Isolation, guard, waits
from nkwatch.record import Article, outlet_key
from nkwatch.store import Store
from nkwatch.store.pages import iter_pages
from nkwatch.store.sqlite import from_iso

log = logging.getLogger(__name__)

#: ``story_id`` of articles deliberately kept out of every story (boilerplate).
NO_STORY = 0
#: The stage name failures are recorded under.
STAGE = "stories"
#: A duplicate family from one outlet this large is boilerplate (notices, templates), not news.
BOILERPLATE_FAMILY = 4
#: Storylines are sought every this many clustered articles during a run (and at its end).
LINK_EVERY = 25
#: Representative-title search looks at this many members at most (cost stays flat).
_TITLE_CANDIDATES = 50
_WORD = re.compile(r"\w+", re.UNICODE)


def calibrated_model(
    weights: dict[str, float], *, cut: float, gap: float, floor: float | None = None
) -> MergeModel:
    """A merge model joining when the weighted similarity, less the time-gap cost, passes ``cut``
    (and, with a ``floor``, the weighted similarity alone passes the floor).

    Scaled by 20 so that a probability of 0.5 sits exactly at the cut.
    """
    coefficients = {name: 20.0 * weight for name, weight in weights.items() if weight}
    coefficients["log_gap_days"] = gap
    return MergeModel(
        coefficients=tuple(coefficients.items()),
        intercept=-20.0 * cut,
        floor_intercept=None if floor is None else -20.0 * floor,
    )


# Full articles about one country share much vocabulary, so the short-snippet models fitted on
# the GoogleNews set join far too eagerly here. Chosen by ``python bench/stream.py --cv``: a grid
# over title weight, cut, time-gap weight and inactive days, scored together on the shared real
# stream (five folds by gold event) and on the fitting half of the labelled North Korea stream
# of the sample corpus, keeping that half's precision at 0.97 or more (bench/RESULTS.md,
# "Stories on a real stream").
#
# The floor: those two streams are sparse (the shared one holds 35 events over five years), so
# the time gap kept reports of different happenings apart and the cut could sit low. On a busy
# day the gap is nil, and at a similarity of 0.12 reports that only share a subject were joined
# (two Apple announcements and three deal lists in one story). Chosen with
# ``python bench/dense_day.py`` on the development half of a day of 181 real pages labelled by
# event, with the same two streams: a floor of 0.16 to 0.20 takes that half's pairwise precision
# from 0.47 to 0.63-0.66 and leaves the North Korea stream as it was and the shared stream
# within 0.007 of F1 (bench/RESULTS.md, "A busy day of real news").
ARTICLE_WEIGHTS = {"text": 0.7, "title": 0.3}
ARTICLE_MODEL = calibrated_model(ARTICLE_WEIGHTS, cut=0.12, gap=-2.5, floor=0.18)
ARTICLE_REFINE_MODEL = calibrated_model(ARTICLE_WEIGHTS, cut=0.22, gap=-2.5)
# With the optional sentence embeddings (same grid, same fitting half): the embedding view takes
# 0.3 of the weight; it ties on the fitting half and gains on the held-out half (bench/RESULTS.md).
ARTICLE_EMBEDDING_WEIGHTS = {"text": 0.49, "title": 0.21, "embedding": 0.3}
ARTICLE_EMBEDDING_MODEL = calibrated_model(ARTICLE_EMBEDDING_WEIGHTS, cut=0.30, gap=-2.0)
ARTICLE_EMBEDDING_REFINE_MODEL = calibrated_model(ARTICLE_EMBEDDING_WEIGHTS, cut=0.40, gap=-2.0)


def article_settings(settings: ClusterSettings) -> ClusterSettings:
    """``settings`` with the full-article merge models unless models were given explicitly."""
    if settings.model is not None:
        return settings
    if settings.use_embeddings:
        return replace(
            settings,
            model=ARTICLE_EMBEDDING_MODEL,
            refine_model=ARTICLE_EMBEDDING_REFINE_MODEL,
        )
    return replace(settings, model=ARTICLE_MODEL, refine_model=ARTICLE_REFINE_MODEL)


@dataclass(slots=True)
class StoryReport:
    """What one clustering pass did."""

    assigned: int = 0
    new_stories: int = 0
    copies: int = 0
    boilerplate: int = 0
    merged: int = 0
    split: int = 0
    #: Stories given a storyline in this pass.
    storylines: int = 0


def _settings_key(settings: ClusterSettings) -> str:
    data = {k: v for k, v in asdict(settings).items() if k not in ("model", "refine_model")}
    return json.dumps(data, sort_keys=True, default=str)


class StoryAssigner:
    """Feeds new articles to a resumable clusterer and writes stories to the store."""

    def __init__(
        self,
        store: Store,
        *,
        settings: ClusterSettings | None = None,
        embedder: Embedder | None = None,
    ) -> None:
        self.store = store
        settings = article_settings(settings or ClusterSettings())
        self.settings = settings
        self.embedder = embedder
        self._key = _settings_key(self.settings)
        self._saved: SavedClusterer | None = None

    def _load(self) -> None:
        """Read the saved clusterer (inside the pass's write transaction, so that two writers
        never assign from the same state: the second waits for the first to commit)."""
        saved = load_clusterer(
            self.store, self._key, settings=self.settings, embedder=self.embedder
        )
        if saved is None:
            if self.store.cluster_state_header() is not None:
                log.warning("clustering settings changed: new articles start a fresh clusterer")
            saved = SavedClusterer(
                clusterer=StoryClusterer(settings=self.settings, embedder=self.embedder),
                ids={},
                next_id=1,
                fresh=True,
            )
        saved.next_id = max(saved.next_id, 1 + self.store.max_story_id())
        self._saved = saved

    def _save(self) -> None:
        """Write what this pass changed in the clusterer's state."""
        saved = self._state
        self.store.save_cluster_changes(state_changes(saved, self._key))
        saved.fresh = False

    @property
    def _state(self) -> SavedClusterer:
        if self._saved is None:
            self._load()
        assert self._saved is not None
        return self._saved

    @property
    def clusterer(self) -> StoryClusterer:
        """The clusterer as the last pass left it (loaded from the store when none ran yet)."""
        return self._state.clusterer

    @property
    def ids(self) -> dict[int, int]:
        """Clusterer story id → store story id, for the active stories."""
        return self._state.ids

    @property
    def next_id(self) -> int:
        """The next store story id to hand out."""
        return self._state.next_id

    @next_id.setter
    def next_id(self, value: int) -> None:
        self._state.next_id = value

    def _story_for(self, cluster_id: int) -> tuple[int, bool]:
        if cluster_id in self.ids:
            return self.ids[cluster_id], False
        story_id = self.next_id
        self.next_id += 1
        self.ids[cluster_id] = story_id
        return story_id, True

    def run(self, *, isolation: Isolation | None = None) -> StoryReport:
        """Assign every article not yet in a story; returns counts.

        The whole pass is one transaction (story ids, memberships and the clusterer's state are
        committed together, so an interrupted pass leaves nothing half-done and never reuses an
        id); each article inside it is isolated.
        """
        report = StoryReport()
        touched: set[int] = set()
        lines: dict[int, int] = {}
        unlinked: set[int] = set()
        added = 0
        with self.store.transaction():
            self._load()
            for article in iter_pages(self.store.articles_without_story):
                assert article.id is not None
                if waits(isolation, STAGE, article.id):
                    continue
                is_new = False
                # No time budget: interrupting the clusterer half-way would corrupt it.
                with guard(isolation, STAGE, article.id, budget=False):
                    is_new = self._place(article, report, touched, unlinked)
                added += int(is_new)
                if is_new and added % LINK_EVERY == 0:
                    # Link while the older stories of a long replay are still active.
                    self._link_storylines(unlinked, lines)
                    unlinked.clear()
            merged = tuple(self.clusterer.refine())
            touched.update(self._move(self.clusterer.last_moves, report))
            touched.update(self._merge(merged, report))
            self._save()
            for story_id in sorted(touched - {NO_STORY}):
                self.rebuild(story_id)
            self._link_storylines((unlinked | touched) - {NO_STORY}, lines)
            self._relink_storylines(touched - {NO_STORY}, lines)
            for story_id, line in sorted(lines.items()):
                if self.store.get_story(story_id) is not None:
                    self.store.set_storyline(story_id, line)
                    report.storylines += 1
        return report

    def _place(
        self, article: Article, report: StoryReport, touched: set[int], unlinked: set[int]
    ) -> bool:
        """Put one article in a story; True when the clusterer (not a copy link) placed it."""
        assert article.id is not None
        clustered = False
        story_id = self._copy_story(article, report, touched)
        if story_id is None:
            assignment = self.clusterer.add(_doc(article, self._entities(article)))
            story_id, is_new = self._story_for(assignment.story_id)
            report.new_stories += int(is_new)
            touched.update(self._move(assignment.moved, report))
            touched.update(self._merge(assignment.merged, report))
            unlinked.add(story_id)
            clustered = True
        self.store.set_story(article.id, story_id)
        if story_id != NO_STORY:
            touched.add(story_id)
            report.assigned += 1
        return clustered

    def _link_storylines(self, stories: set[int], lines: dict[int, int]) -> None:
        """Find a storyline for each of ``stories`` (store ids) that has none; into ``lines``.

        ``lines`` holds the storylines found in this run and not yet written.
        """
        store_id = self.ids
        self._storylines_into(
            lines,
            lambda clusters, line_of: link_storylines(
                self.clusterer,
                clusters,
                line_of,
                new_line=lambda cluster: store_id.get(cluster, -1),
                model=self.settings.storyline_model or STORYLINE_MODEL,
            ),
            stories,
        )

    def _relink_storylines(self, stories: set[int], lines: dict[int, int]) -> None:
        """Move those of ``stories`` (store ids) that now belong more closely to another
        storyline than to their own (see :func:`relink_storylines`); into ``lines``."""
        self._storylines_into(
            lines,
            lambda clusters, line_of: relink_storylines(
                self.clusterer,
                clusters,
                line_of,
                model=self.settings.storyline_model or STORYLINE_MODEL,
            ),
            stories,
        )

    def _storylines_into(
        self,
        lines: dict[int, int],
        decide: Callable[[list[int], Callable[[int], int | None]], dict[int, int]],
        stories: set[int],
    ) -> None:
        """Run ``decide`` over ``stories`` (store ids) in clusterer ids, with each story's
        storyline (this run's ``lines``, else the store's); its answers go into ``lines``."""
        store_id = self.ids
        cluster_of = {story: cluster for cluster, story in store_id.items()}

        def line_of(cluster: int) -> int | None:
            story = store_id.get(cluster)
            if story is None:
                return None
            return lines.get(story) or self.store.storyline_of(story)

        decided = decide([cluster_of[story] for story in stories if story in cluster_of], line_of)
        for cluster, line in decided.items():
            if cluster in store_id and line > 0:
                lines[store_id[cluster]] = line

    def _entities(self, article: Article) -> tuple[str, ...]:
        """Language-neutral anchors of an article: watched entities and reported figures."""
        return cluster_anchors(self.store.enrichment(article.id or 0))

    def _copy_story(self, article: Article, report: StoryReport, touched: set[int]) -> int | None:
        """A copy joins its original's story; a large one-site family is boilerplate."""
        if article.duplicate_of is None:
            return None
        original = self.store.get_article(article.duplicate_of)
        if original is None or original.id is None or original.story_id is None:
            return None
        family = [original, article]
        family += [
            a
            for a in (self.store.get_article(i) for i in self.store.copies_of(original.id))
            if a is not None and a.id != article.id
        ]
        same_site = [a for a in family if a.outlet == original.outlet]
        if article.outlet == original.outlet and len(same_site) >= BOILERPLATE_FAMILY:
            # Those the clusterer placed (the original, or a copy that arrived before its
            # original had a story) leave its stories too, so that its state and the store agree.
            for cluster_id in self.clusterer.forget({str(a.id) for a in same_site}):
                if cluster_id in self.ids:
                    touched.add(self.ids[cluster_id])
            for member in same_site:
                if member.story_id == NO_STORY or member.id is None:
                    continue
                if member.story_id is not None:
                    touched.add(member.story_id)
                self.store.set_story(member.id, NO_STORY)
                self.store.record_rejection(
                    RejectedInput(
                        member.source,
                        Reason.BOILERPLATE,
                        f"one of {len(same_site)} near-identical pages from {member.outlet}; "
                        "kept in the store, left out of stories",
                    )
                )
                report.boilerplate += 1
            return NO_STORY
        report.copies += 1
        return original.story_id

    def _move(self, moved: Sequence[tuple[str, int]], report: StoryReport) -> set[int]:
        """Articles a split took out of a story into a new one (their copies follow them)."""
        touched = set()
        for article_key, cluster_id in moved:
            article = self.store.get_article(int(article_key))
            if article is None or article.id is None:
                continue
            story_id, is_new = self._story_for(cluster_id)
            report.new_stories += int(is_new)
            report.split += 1
            for member in [article.id, *self.store.copies_of(article.id)]:
                self.store.set_story(member, story_id)
            if article.story_id is not None:
                touched.add(article.story_id)
            touched.add(story_id)
        return touched

    def _merge(self, merged: Sequence[tuple[int, int]], report: StoryReport) -> set[int]:
        touched = set()
        for absorbed, into in merged:
            if absorbed not in self.ids:
                continue
            source, target = self.ids.pop(absorbed), self._story_for(into)[0]
            if source != target:
                self.store.move_story(source, target)
                report.merged += 1
            touched.add(target)
        return touched

    def rebuild(self, story_id: int) -> None:
        """Recompute a story's summary row from its members (text read for 50 at most)."""
        facts = self.store.story_facts(story_id, titles=_TITLE_CANDIDATES)
        if facts is None:
            self.store.delete_story(story_id)
            return
        members = facts["members"]
        # The collection time of an undated member is no date of the story: it counts only
        # when no member has a date of its own.
        dated = [m for m in members if m["published"] is not None]
        dates = [from_iso(m["seen"]) for m in dated or members]
        self.store.save_story(
            {
                "id": story_id,
                "title": representative_title(facts["first"]),
                "first_seen": min(d for d in dates if d is not None),
                "last_seen": max(d for d in dates if d is not None),
                "articles": len(members),
                "independent_sources": count_sources(
                    SourceFacts(
                        id=m["id"],
                        outlet=m["outlet"],
                        source=m["source"],
                        duplicate_of=m["duplicate_of"],
                        credited=m["origin_outlet"],
                        parent_id=m.get("parent_id"),
                    )
                    for m in members
                ),
                "outlets": sorted({m["outlet"] or "unknown" for m in members}),
            }
        )


def cluster_anchors(enrichment: Mapping[str, Any] | None) -> tuple[str, ...]:
    """What an article says that reads the same in any language, for the entity view.

    The canonical names of the watched entities it mentions (found through their aliases in
    any script, e.g. Hangul) and the values of the figures it reports ("#168", "#310000000"),
    so that a Korean report of an event joins the English reports of it.
    """
    if not enrichment:
        return ()
    anchors = {m["canonical"] for m in enrichment.get("entities", ()) if m.get("known")}
    for figure in enrichment.get("figures", ()):
        value = figure.get("value")
        if isinstance(value, int | float) and math.isfinite(value) and value >= 10:
            anchors.add(f"#{value:.6g}")
    return tuple(sorted(anchors))


def _doc(article: Article, entities: tuple[str, ...]) -> ClusterDoc:
    # An undated article is compared on content alone: its fetch time says nothing of when the
    # event happened, so it must not push the article away from its story.
    return ClusterDoc(
        id=str(article.id),
        title=article.title or "",
        text=article.text,
        published=article.published,
        entities=entities,
    )


@dataclass(frozen=True, slots=True)
class SourceFacts:
    """What the independent-source count reads of one story member."""

    id: int
    outlet: str | None
    source: str
    duplicate_of: int | None = None
    #: The outlet the article credits as its origin (a syndicated re-post).
    credited: str | None = None
    #: The digest page the article is an item of.
    parent_id: int | None = None


def originating_source(member: SourceFacts, members: Mapping[int, SourceFacts]) -> str:
    """The outlet a member's report comes from (a key; see :func:`originating_sources`)."""
    return _origin(member, members, _family_credits(members))[0]


def _family(member: SourceFacts, members: Mapping[int, SourceFacts]) -> SourceFacts | None:
    """The original a chain of copies leads to within ``members`` (``None``: it leads outside
    the story, or round in a loop)."""
    seen = set()
    while member.duplicate_of is not None:
        original = members.get(member.duplicate_of)
        if original is None or original.id in seen:
            return None
        seen.add(member.id)
        member = original
    return member


def _family_credits(members: Mapping[int, SourceFacts]) -> dict[int, str]:
    """The origin each family of copies credits, by its original's id: the original's own
    credit, else the first credit among its copies. Copies of one text are one report, so one
    copy's "(AP)" dateline names the source of the original that lacks it too."""
    credits: dict[int, str] = {}
    for member_id in sorted(members):
        member = members[member_id]
        if not (member.credited and member.credited.strip()):
            continue
        root = _family(member, members)
        if root is None:
            continue
        if root.credited and root.credited.strip():
            credits[root.id] = root.credited
        else:
            credits.setdefault(root.id, member.credited)
    return credits


def _origin(
    member: SourceFacts, members: Mapping[int, SourceFacts], credits: Mapping[int, str]
) -> tuple[str, str]:
    """The key and display name of the outlet a member's report comes from.

    A credited origin wins, its own or its family's (see :func:`_family_credits`); a copy takes
    its original's source (an original outside the story counts as a source of its own); an
    item of a digest page without an outlet of its own takes the page; anything else its
    outlet, host or file.
    """
    if member.credited and member.credited.strip():
        return outlet_key(member.credited, member.source), " ".join(member.credited.split())
    root = _family(member, members)
    if root is None:
        return f"article:{member.duplicate_of}", f"the original of article {member.id}"
    credited = credits.get(root.id)
    if credited is not None:
        return outlet_key(credited, member.source), " ".join(credited.split())
    member = root
    if member.parent_id is not None and not (member.outlet and member.outlet.strip()):
        page = member.source.split("#", 1)[0]
        return f"page:{member.parent_id}", f"digest page {_file_name(page)}"
    key = outlet_key(member.outlet, member.source)
    if member.outlet and member.outlet.strip():
        return key, " ".join(member.outlet.split())
    if key.startswith("host:"):
        host = urlsplit(member.source.split("#", 1)[0]).hostname or key[5:]
        return key, host.removeprefix("www.")
    return key, _file_name(key[5:])


def _file_name(location: str) -> str:
    """The last part of a path or URL (the whole of it when it has none)."""
    name = location.rstrip("/").rsplit("/", 1)[-1]
    return name or location


def originating_sources(members: Iterable[SourceFacts]) -> dict[str, str]:
    """Distinct originating outlets of a story's members: key → name to show, by first member.

    Members are read in id order, so the same members always give the same names.
    """
    by_id = {member.id: member for member in members}
    credits = _family_credits(by_id)
    names: dict[str, str] = {}
    for member_id in sorted(by_id):
        key, name = _origin(by_id[member_id], by_id, credits)
        names.setdefault(key, name)
    return names


def count_sources(members: Iterable[SourceFacts]) -> int:
    """Distinct originating outlets of a story's members (never more than the members)."""
    return len(originating_sources(members))


def source_facts(article: Article) -> SourceFacts:
    """What the independent-source count reads of a stored article."""
    return SourceFacts(
        id=article.id or 0,
        outlet=article.outlet,
        source=article.source,
        duplicate_of=article.duplicate_of,
        credited=article.origin.outlet if article.origin else None,
        parent_id=article.parent_id,
    )


def independent_sources(members: Sequence[Article]) -> int:
    """Outlets reporting a story: copies, re-posts and items of one page count once."""
    return count_sources(source_facts(a) for a in members)


def source_names(members: Sequence[Article]) -> list[str]:
    """The independent sources of a story's members, named, sorted (one name per source).

    Two sources can share a name (an outlet and a file of the same name): both are listed.
    """
    names = originating_sources(source_facts(a) for a in members).values()
    return sorted(names, key=lambda name: (name.casefold(), name))


def representative_title(members: Sequence[Article]) -> str | None:
    """A member's headline, the one closest to what all members say; else an opening clause.

    Headlines an extractor made up from the text (a first sentence cut short with "…") are
    not headlines: when no member has a real one, the title is the opening clause of the
    earliest member's text (:func:`opening_clause`), never a sentence cut mid-word.
    """
    pool = [a for a in members[:_TITLE_CANDIDATES] if a.kind != "digest-page"]
    candidates = [a for a in pool if a.title and not _derived_title(a)]
    if not candidates:
        for article in pool:
            clause = opening_clause(article.text)
            if clause:
                return clause
        return None
    story = Counter(w for a in members[:_TITLE_CANDIDATES] for w in _words(f"{a.title} {a.text}"))
    norm = math.sqrt(sum(v * v for v in story.values())) or 1.0

    def score(article: Article) -> tuple[float, int]:
        words = Counter(_words(article.title or ""))
        length = math.sqrt(sum(v * v for v in words.values())) or 1.0
        cosine = sum(story[w] * n for w, n in words.items()) / (norm * length)
        return cosine, -(article.id or 0)

    return max(candidates, key=score).title


#: Longest story title made from a text; a longer opening clause ends at its last whole word.
TITLE_CHARS = 120
_SENTENCE = re.compile(r"(?<=[.!?])[\"”’')\]]*\s+")
_CLAUSE_BREAK = re.compile(r"[,;:]\s|\s[–—-]\s")


def _derived_title(article: Article) -> bool:
    """Whether a headline is only the start of the text, cut short (no headline of its own)."""
    title = (article.title or "").strip()
    if not title.endswith(("…", "...")):
        return False
    stem = title.rstrip(".… ").strip()
    return bool(stem) and " ".join(article.text.split()).startswith(stem)


def opening_clause(text: str, *, limit: int = TITLE_CHARS) -> str | None:
    """The text's first sentence, or its opening clause when that is too long.

    Cut at the last clause break (comma, semicolon, colon, dash) within ``limit`` characters,
    else after the last whole word that fits; never mid-word, never with an ellipsis. The
    sentence's closing full stop is dropped, as in a headline.
    """
    flat = " ".join(text.split())
    if not flat:
        return None
    sentence = _SENTENCE.split(flat, maxsplit=1)[0].rstrip()
    if len(sentence) <= limit:
        return sentence.rstrip(".") or None
    head = sentence[: limit + 1]
    breaks = [m.start() for m in _CLAUSE_BREAK.finditer(head) if m.start() >= limit // 3]
    if breaks:
        return head[: breaks[-1]].rstrip(" ,;:–—-")
    cut = head.rfind(" ")
    return head[: cut if cut > 0 else limit].rstrip(" ,;:–—-")


def _words(text: str) -> list[str]:
    return [w for w in _WORD.findall(text.lower()) if len(w) > 2]


def assign_stories(
    store: Store,
    *,
    settings: ClusterSettings | None = None,
    embedder: Embedder | None = None,
    isolation: Isolation | None = None,
) -> StoryReport:
    """Put every new article of ``store`` into a story."""
    return StoryAssigner(store, settings=settings, embedder=embedder).run(isolation=isolation)
