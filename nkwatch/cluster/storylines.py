"""Storylines: link the stories of one thread over months (a deployment and its casualties, a
data breach and its aftermath).

Reads the active stories of a :class:`~nkwatch.cluster.stories.StoryClusterer` and adds a
storyline id to each story it is asked about: a story joins the storyline of the most similar
other story when a looser model than the story join says they belong to one thread (whole-text
and headline cosines of the two stories' centroids, with a far weaker time-gap cost than
within a story); otherwise it starts a storyline of its own. A story keeps its storyline once
linked, so storyline ids stay stable from run to run, unless a story changed by a run now
belongs more closely to another thread than to any story of its own (a link made when its first
story was the only candidate, say), when :func:`relink_storylines` moves it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from nkwatch.cluster.model import MergeModel
from nkwatch.cluster.stories import StoryClusterer


def storyline_model(*, cut: float, gap: float) -> MergeModel:
    """Link two stories when 0.7 · text + 0.3 · title cosine, less the gap cost, passes ``cut``.

    Scaled by 20 like the story models, so a probability of 0.5 sits exactly at the cut.
    """
    return MergeModel(
        coefficients=(("text", 14.0), ("title", 6.0), ("log_gap_days", gap)),
        intercept=-20.0 * cut,
    )


# Chosen by ``python bench/stream.py --cv`` on the shared real stream (five folds by gold event,
# each scored on storylines read from the export); see bench/RESULTS.md, "Storylines".
STORYLINE_MODEL = storyline_model(cut=0.12, gap=-0.5)


def link_storylines(
    clusterer: StoryClusterer,
    story_ids: Iterable[int],
    storyline_of: Callable[[int], int | None],
    *,
    new_line: Callable[[int], int] = lambda story_id: story_id,
    model: MergeModel = STORYLINE_MODEL,
) -> dict[int, int]:
    """Storylines for those of ``story_ids`` (clusterer story ids) that have none yet.

    ``storyline_of`` gives a story's storyline if it has one; ``new_line`` names the storyline a
    story starts. Stories are taken oldest first; each joins the storyline of its nearest
    story when ``model`` links them, else starts its own. Returns every storyline set, also
    for a nearest story that had none.
    """
    result: dict[int, int] = {}

    def line_of(story_id: int) -> int | None:
        return result[story_id] if story_id in result else storyline_of(story_id)

    for story_id in sorted(story_ids):
        if line_of(story_id) is not None:
            continue
        nearest = clusterer.nearest_story(story_id, model)
        if nearest is None:
            result[story_id] = new_line(story_id)
            continue
        line = line_of(nearest)
        if line is None:
            line = new_line(min(nearest, story_id))
            result[nearest] = line
        result[story_id] = line
    return result


def relink_storylines(
    clusterer: StoryClusterer,
    story_ids: Iterable[int],
    storyline_of: Callable[[int], int | None],
    *,
    model: MergeModel = STORYLINE_MODEL,
) -> dict[int, int]:
    """Storylines to move some of ``story_ids`` (clusterer ids) to: those whose best link
    (``model`` passing) is to a story of another storyline, and stronger than every link to a
    story of their own. A story whose storyline has no other active story stays where it is.
    """
    moved: dict[int, int] = {}
    for story_id in sorted(story_ids):
        line = storyline_of(story_id)
        if line is None:
            continue
        links = clusterer.story_links(story_id, model)
        own = [p for other, p in links if storyline_of(other) == line]
        if not own:
            continue
        for other, p in links:
            other_line = moved.get(other) or storyline_of(other)
            if p < model.threshold or p <= max(own):
                break
            if other_line is not None and other_line != line:
                moved[story_id] = other_line
                break
    return moved
