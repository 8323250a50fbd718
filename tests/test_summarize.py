"""Extractive summaries: verbatim quotes, distinct facts, disputed figures, pinned ROUGE floors."""

from __future__ import annotations

from datetime import UTC, datetime
from itertools import combinations
from pathlib import Path

import pytest

from nkwatch.sample import LabelledCorpus
from nkwatch.sentences import split_sentences
from nkwatch.summarize import (
    METHODS,
    REDUNDANCY_CUTOFF,
    StoryMember,
    SummarySentence,
    rouge,
    sentence_similarities,
    summarize_article,
    summarize_story,
)

REPO_ROOT = Path(__file__).resolve().parents[1]

# Pinned just under the measured scores of the default summariser (bench/RESULTS.md,
# "Summaries"): articles 0.795 / 0.753 / 0.776, stories 0.689 / 0.584 / 0.614.
ARTICLE_FLOORS = (0.78, 0.74, 0.76)
STORY_FLOORS = (0.675, 0.57, 0.60)


from bench import summaries as bench  # noqa: E402


@pytest.fixture(scope="module")
def corpus() -> LabelledCorpus:
    return bench.load_corpus()


def _member(article_id: int, text: str, *, day: int = 1, title: str = "") -> StoryMember:
    return StoryMember(
        article_id=article_id,
        title=title,
        text=text,
        published=datetime(2026, 10, day, tzinfo=UTC),
        outlet=None,
    )


def _assert_quoted(summary: list[SummarySentence], texts: dict[int | None, str]) -> None:
    for sentence in summary:
        text = texts[sentence.article_id]
        assert sentence.text in text
        assert sentence.text in split_sentences(text)[sentence.sentence_index]


# -- the sample corpus --------------------------------------------------------------------------


def test_reference_set_is_large_enough_and_still_verbatim(corpus: LabelledCorpus) -> None:
    reference = bench.load_json("reference.json")
    assert len(reference["articles"]) >= 30
    assert len(reference["stories"]) >= 30
    for entry in reference["articles"]:
        assert 1 <= len(entry["sentences"]) <= 3
        assert all(s in corpus.matched[entry["path"]].text for s in entry["sentences"])
    for entry in reference["stories"]:
        assert 2 <= len(entry["sentences"]) <= 4
        assert all(s["text"] in corpus.matched[s["path"]].text for s in entry["sentences"])


@pytest.mark.parametrize("method", METHODS)
def test_every_summary_sentence_is_quoted_verbatim(corpus: LabelledCorpus, method: str) -> None:
    reference = bench.load_json("reference.json")
    for entry in reference["articles"]:
        article = corpus.matched[entry["path"]]
        summary = summarize_article(
            title=article.title or "", text=article.text, article_id=article.id, method=method
        )
        assert 1 <= len(summary) <= 3
        _assert_quoted(summary, {article.id: article.text})
    for entry in reference["stories"]:
        members = bench.story_members(corpus, entry)
        summary = summarize_story(members, method=method)
        assert 2 <= len(summary) <= 4
        _assert_quoted(summary, {m.article_id: m.text for m in members})


@pytest.mark.parametrize("method", METHODS)
def test_no_two_story_sentences_reach_the_cutoff(corpus: LabelledCorpus, method: str) -> None:
    for entry in bench.load_json("reference.json")["stories"]:
        members = bench.story_members(corpus, entry)
        summary = summarize_story(members, method=method)
        assert bench.max_similarity(summary, members) < REDUNDANCY_CUTOFF, entry["story"]


def test_cutoff_separates_the_labelled_pairs(corpus: LabelledCorpus) -> None:
    pairs = bench.pair_similarities(corpus)
    same = [s for label, s in pairs if label == "same-fact"]
    distinct = [s for label, s in pairs if label == "distinct"]
    assert len(same) >= 30 and len(distinct) >= 30
    assert all(s < REDUNDANCY_CUTOFF for s in distinct)
    assert sum(s >= REDUNDANCY_CUTOFF for s in same) / len(same) >= 0.85


def test_rouge_floors_of_the_default_summariser(corpus: LabelledCorpus) -> None:
    articles = bench.evaluate_articles(corpus, "default")
    stories = bench.evaluate_stories(corpus, "default")
    assert articles.rouge1 >= ARTICLE_FLOORS[0]
    assert articles.rouge2 >= ARTICLE_FLOORS[1]
    assert articles.rouge_l >= ARTICLE_FLOORS[2]
    assert stories.rouge1 >= STORY_FLOORS[0]
    assert stories.rouge2 >= STORY_FLOORS[1]
    assert stories.rouge_l >= STORY_FLOORS[2]
    lead_articles = bench.evaluate_articles(corpus, "lead")
    lead_stories = bench.evaluate_stories(corpus, "lead")
    # On the clean sample corpus the default is level with the lead baseline; never behind it.
    assert articles.rouge1 >= lead_articles.rouge1 - 0.01
    assert stories.rouge1 >= lead_stories.rouge1 - 0.01


def test_wire_chrome_before_the_dateline_is_not_quoted(corpus: LabelledCorpus) -> None:
    article = corpus.matched["html/hw_kursk_troops.html"]
    summary = summarize_article(title=article.title or "", text=article.text)
    assert summary[0].text.startswith("SEOUL, Sept 16 (Hanbando Wire) - North Korea has about")
    assert all("|" not in s.text and "Reporting by" not in s.text for s in summary)


def test_a_web_address_alone_is_not_quoted() -> None:
    text = (
        "Home Depot cut its sales forecast on Tuesday as lumber prices fell across the country.\n"
        "https://www.news.example/articles/home-depot-earnings-51574168486\n"
        "Shares fell 5% in early trading after the company reported weaker quarterly sales.\n"
        "Analysts said the housing market would decide how the holiday quarter turns out."
    )
    for method in METHODS:
        summary = summarize_article(title="Home Depot cuts forecast", text=text, method=method)
        assert summary and all("https://" not in s.text for s in summary), method


def test_an_archive_menu_of_months_is_not_quoted() -> None:
    months = " ".join(f"{m} 2017" for m in ("December", "November", "October", "September"))
    text = (
        "The airline apologised on Friday to three players removed from a flight in Miami.\n"
        f"Archives Select Month January 2018 {months} August 2017\n"
        "The players were later flown to their destination, a spokesman said on Saturday.\n"
        "The team said it had asked the airline for an explanation of what happened on board."
    )
    for method in METHODS:
        summary = summarize_article(title="Airline apologises", text=text, method=method)
        assert summary and all("Archives" not in s.text for s in summary), method


@pytest.mark.parametrize(
    "caption",
    [
        "Enlarge this image toggle caption Kim Min-ji/AP Kim Min-ji/AP",
        "Hide Caption 3 of 12 Photos: Flooding in North Hamgyong province",
        "Image copyright AFP Image caption A train crosses the bridge at Tumen",
        "FILE - In this Oct. 3, 2025 file photo, soldiers march through Kim Il Sung Square.",
        # a map's labels run into the text
        "SINPO SHIPYARD SUBMARINE PEN DRY DOCK The launch site lies 2 km to the east.",
        # a headline and its time stamp run into one line
        "Missiles land near Japan's zone: officials Updated: 2026-10-21 08:10 (Newswire)",
        # a site's promotion closing its stories
        "Add Korea as a topic to stay up to date on the latest news, video and analysis.",
        # an agency photo closing with its own dateline
        "Soldiers are seen during a parade in Pyongyang, North Korea, October 10, 2025.",
    ],
)
def test_a_photo_caption_is_not_quoted(caption: str) -> None:
    text = (
        f"{caption}\n"
        "KCNA said the DPRK fired two short-range ballistic missiles into the sea on Tuesday, "
        "and South Korea's JCS confirmed the launch.\n"
        "The missiles flew about 350 kilometres before landing outside Japan's economic zone.\n"
        "The launch was the third this month, officials in Seoul said."
    )
    summary = summarize_article(title="North Korea fires two missiles", text=text)
    assert all(caption[:20] not in s.text for s in summary)
    # acronyms standing apart in a sentence are no run of capitals
    assert summary[0].text.startswith("KCNA said the DPRK fired")


#: A short missile report that caption paragraphs are put before.
_MISSILE_REPORT = (
    "KCNA said the DPRK fired two short-range ballistic missiles into the sea on Tuesday, "
    "and South Korea's JCS confirmed the launch.\n"
    "The missiles flew about 350 kilometres before landing outside Japan's economic zone.\n"
    "The launch was the third this month, officials in Seoul said.\n"
    "Officials in Tokyo said the missiles fell outside the zone and caused no damage."
)


@pytest.mark.parametrize(
    ("caption", "marker"),
    [
        # A wire photo's caption runs on after its first sentence: every sentence of it
        # describes the picture, and the later ones carry no caption marker of their own.
        (
            "FILE - In this Oct. 3, 2025 file photo, a courier is led into a court in Hyesan. "
            "The court sentenced her to ten years on Monday for carrying letters across the "
            "border. It also fined her family.",
            "court",
        ),
        # a video player's close button before the clips' blurbs
        (
            "CLOSE Seoul's spy agency says troops were sent to the front; Kim visits a factory. AP",
            "CLOSE",
        ),
    ],
)
def test_a_whole_caption_paragraph_is_not_quoted(caption: str, marker: str) -> None:
    text = f"{caption}\n{_MISSILE_REPORT}"
    for method in METHODS:
        summary = summarize_article(
            title="North Korea fires two missiles", text=text, method=method
        )
        assert summary and all(marker not in s.text for s in summary), method


def test_korean_article(corpus: LabelledCorpus) -> None:
    article = corpus.matched["html/hanbandososik_defectors_ko.html"]
    summary = summarize_article(title=article.title or "", text=article.text, article_id=7)
    assert len(summary) == 3
    assert summary[0].text.startswith("올해 1월부터 9월까지")
    _assert_quoted(summary, {7: article.text})


# -- behaviour on small inputs -----------------------------------------------------------------

STORY = [
    _member(
        1,
        "North Korea fired a ballistic missile on Tuesday, South Korea's military said. "
        "The missile flew about 350 km before falling into the sea. "
        "It was the first launch since July.",
        day=2,
        title="North Korea fires missile",
    ),
    _member(
        2,
        "A ballistic missile was fired by North Korea on Tuesday, according to Seoul's military. "
        "Japan's defence ministry said it landed outside Japan's exclusive economic zone. "
        '"This is a provocation," an official said.',
        day=1,
        title="Missile launch",
    ),
    _member(
        3,
        "The missile travelled roughly 400 km, Japan's defence ministry said. "
        "The United States condemned the launch and called for talks.",
        day=3,
        title="Japan tracks missile",
    ),
]


def test_one_article_story_is_the_article_summary() -> None:
    member = STORY[0]
    assert summarize_story([member]) == summarize_article(
        title=member.title, text=member.text, article_id=member.article_id, max_sentences=4
    )


def test_empty_texts() -> None:
    assert summarize_article(title="Nothing", text="") == []
    assert summarize_article(title="Nothing", text="   \n\n ") == []
    assert summarize_story([]) == []
    assert summarize_story([_member(1, ""), _member(2, "|  |")]) == []
    # A member without sentences is skipped; what is left is a one-article story.
    assert summarize_story([_member(1, ""), STORY[0]]) == summarize_story([STORY[0]])


def test_a_member_of_page_chrome_alone_gives_the_story_no_quote() -> None:
    # A saved page whose text is its site's menus scores below zero everywhere; scaled by its
    # own (negative) best, its worst lines had come out on top of the story.
    chrome = _member(
        9,
        "INSIGHTS MONTHLY MAGAZINES\nSubscribe to Updates\nFREE TEST SERIES NOW OPEN\n"
        "Categories Select Category 2025 MAINS SELF STUDY GUIDE 2026 TEST SERIES",
        day=2,
    )
    summary = summarize_story([*STORY, chrome], max_sentences=4)
    assert summary and all(s.article_id != 9 for s in summary)


def test_story_summary_prefers_the_earliest_attributed_version() -> None:
    summary = summarize_story(STORY, max_sentences=3)
    _assert_quoted(summary, {m.article_id: m.text for m in STORY})
    # Articles 1 and 2 open with the same fact; article 2 was published first.
    leads = [s for s in summary if "Tuesday" in s.text]
    assert [s.article_id for s in leads] == [2]
    similarity = sentence_similarities(
        [s.text for s in summary], background=[x for m in STORY for x in split_sentences(m.text)]
    )
    for i, j in combinations(range(len(summary)), 2):
        assert similarity[i, j] < REDUNDANCY_CUTOFF


def test_disagreeing_figures_are_quoted_side_by_side() -> None:
    first = "The missile flew about 350 km before falling into the sea."
    second = "The missile travelled roughly 400 km, Japan's defence ministry said."
    claims = {1: [("missile-range-km", 350.0, first)], 3: [("missile-range-km", 400.0, second)]}
    summary = summarize_story(STORY, claims=claims, max_sentences=4)
    texts = [s.text for s in summary]
    assert first in texts and second in texts
    assert abs(texts.index(first) - texts.index(second)) == 1
    assert texts.index(first) < texts.index(second)  # in order of publication
    _assert_quoted(summary, {m.article_id: m.text for m in STORY})
    # At most three values, however many are claimed.
    third = "Japan's defence ministry said it landed outside Japan's exclusive economic zone."
    fourth = "North Korea fired a ballistic missile on Tuesday, South Korea's military said."
    claims[2] = [("missile-range-km", 380.0, third)]
    claims[1] = [*claims[1], ("missile-range-km", 360.0, "North Korea fired a ballistic")]
    quoted = [s.text for s in summarize_story(STORY, claims=claims, max_sentences=3)]
    assert len(quoted) == 3
    assert set(quoted) <= {first, second, third, fourth}


def test_agreeing_figures_are_not_a_dispute() -> None:
    sentence = "The missile flew about 350 km before falling into the sea."
    claims = {1: [("missile-range-km", 350.0, sentence)], 2: [("missile-range-km", 350.0, "x")]}
    assert summarize_story(STORY, claims=claims) == summarize_story(STORY)


def test_summaries_are_deterministic_and_independent_of_member_order() -> None:
    first = summarize_story(STORY)
    assert summarize_story(STORY) == first
    assert summarize_story(list(reversed(STORY))) == first
    assert summarize_article(title="t", text=STORY[1].text) == summarize_article(
        title="t", text=STORY[1].text
    )


def test_markup_is_returned_as_written() -> None:
    text = (
        "Officials said <b>11,000</b> troops & engineers were in Kursk on Monday.\n"
        "<script>alert('x')</script> The agency gave no details of the rotation."
    )
    summary = summarize_article(title="Troops in Kursk", text=text)
    assert [s.text for s in summary] == text.split("\n")


def test_very_long_article_is_capped() -> None:
    text = " ".join(f"Sentence number {i} reports a figure of {i * 7} units." for i in range(5000))
    summary = summarize_article(title="Figures", text=text)
    assert len(summary) == 3
    assert all(s.sentence_index < 200 and s.text in text for s in summary)


def test_clock_times_stay_inside_their_sentence() -> None:
    text = (
        "The missiles were launched at around 8:10 a.m. (2310 GMT Monday) and travelled about "
        "350 km, the military said. Japan lodged a protest."
    )
    assert split_sentences(text)[0].endswith("the military said.")
    summary = summarize_article(title="Missiles launched", text=text, max_sentences=1)
    assert summary[0].text.startswith("The missiles") and "(2310 GMT Monday)" in summary[0].text


def test_unknown_method_is_rejected() -> None:
    with pytest.raises(ValueError, match="unknown summary method"):
        summarize_article(title="t", text="A sentence here.", method="abstractive")


def test_rouge() -> None:
    assert rouge("the cat sat", "the cat sat") == rouge("The cat, sat.", "the cat sat")
    assert rouge("a b c", "a b c").rouge_l == 1.0
    assert rouge("a b c", "d e f").rouge1 == 0.0
    scores = rouge("a b c d", "a c d e")
    assert scores.rouge1 == pytest.approx(0.75)
    assert scores.rouge2 == pytest.approx(1 / 3)
    assert scores.rouge_l == pytest.approx(0.75)
    assert rouge("", "a").rouge1 == 0.0


def test_one_outlet_is_never_quoted_against_itself() -> None:
    from nkwatch.summarize import _disagreement, _Sentence

    first = "The missile flew about 350 km before falling into the sea."
    second = "The missile travelled roughly 400 km, Japan's defence ministry said."
    pool = [_Sentence(first, 0, 0, 0), _Sentence(second, 0, 0, 1)]
    claims = {1: [("range", 350.0, first)], 3: [("range", 400.0, second)]}

    def members(a: str, b: str) -> list[StoryMember]:
        return [
            StoryMember(1, "t", first, datetime(2026, 11, 1, tzinfo=UTC), a),
            StoryMember(3, "t", second, datetime(2026, 11, 2, tzinfo=UTC), b),
        ]

    assert _disagreement(pool, members("Wire", "Times"), claims, 3) == [0, 1]
    assert _disagreement(pool, members("Wire", "wire"), claims, 3) == []
