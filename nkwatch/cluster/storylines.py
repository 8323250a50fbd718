"""Storylines: link the stories of one thread over months (a deployment and its casualties, a
data breach and its aftermath).

Reads the active stories of a :class:`~nkwatch.cluster.stories.StoryClusterer` and adds a
storyline id to each story it is asked about: a story joins the storyline of the most similar
other story when a looser model than the story join says they belong to one thread (whole-text
and headline cosines of the two stories' centroids, with a far weaker time-gap cost than
within a story); otherwise it starts a storyline of its own. A story keeps its storyline once
linked, so storyline ids stay stable from run to run.
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
