"""Sentence splitting keeps abbreviations, initials and decimals inside sentences."""

from __future__ import annotations

from nkwatch.sentences import lead, split_sentences


def test_abbreviations_initials_and_numbers() -> None:
    text = (
        "Gen. Kim Yong Bok visited the front. About 11,000 troops were sent, said Mr. Lee of "
        "the U.S. State Department. The shells travelled 3.5 km! Was it planned? Officials "
        "declined to say.\n\nA new paragraph starts here."
    )
    assert split_sentences(text) == [
        "Gen. Kim Yong Bok visited the front.",
        "About 11,000 troops were sent, said Mr. Lee of the U.S. State Department.",
        "The shells travelled 3.5 km!",
        "Was it planned?",
        "Officials declined to say.",
        "A new paragraph starts here.",
    ]


def test_quotes_close_sentences() -> None:
    assert split_sentences('"They are dying," he said. "We know." Then he left.') == [
        '"They are dying," he said.',
        '"We know."',
        "Then he left.",
    ]


def test_lead_takes_the_first_two() -> None:
    assert lead("One. Two. Three.", 2) == "One. Two."
    assert lead("", 2) == ""
