"""Sentence splitting keeps abbreviations, initials and decimals inside sentences."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from nkwatch.sentences import _ABBREVIATIONS, _CLOCK, lead, split_sentences


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


def test_a_short_quotation_stays_in_its_sentence() -> None:
    assert split_sentences("South Dakota says, 'Meth. We're on it.' The ad cost $449,000.") == [
        "South Dakota says, 'Meth. We're on it.'",
        "The ad cost $449,000.",
    ]
    # a long quotation is still split at its stops
    long = (
        'He said: "We fled in 2019. My mother stayed behind in Hyesan and we never spoke again '
        'after that winter." Then he left.'
    )
    assert len(split_sentences(long)) == 3


def test_no_ends_a_sentence_unless_a_number_follows() -> None:
    assert split_sentences("Her mother said no. She stayed at No. 5 Main Street.") == [
        "Her mother said no.",
        "She stayed at No. 5 Main Street.",
    ]


def test_lead_takes_the_first_two() -> None:
    assert lead("One. Two. Three.", 2) == "One. Two."
    assert lead("", 2) == ""


# The splitter as first written: it searched each sentence so far for its last word, which reads
# a long run of letters or digits once per position in it. The linear splitter must agree with it.
_OLD_CANDIDATE = re.compile(r"([.!?。？！]['\"”’)\]]*)(\s+)(?=[\"“‘'(\[]?[A-Z0-9\u3131-\ud7a3])")


_REF_QUOTE = re.compile(
    r"(?P<open>(?:(?<=[\s(\[])|^)[\"“‘'](?=\w))|(?P<close>(?<=[\w.!?,])[\"”’'](?=[\s.,;:!?)\]]|$))"
)


def _reference_split(text: str) -> list[str]:
    sentences: list[str] = []
    for paragraph in re.split(r"\n\s*\n|\n", text):
        paragraph = paragraph.strip()
        if not paragraph:
            continue
        start = 0
        for match in _OLD_CANDIDATE.finditer(paragraph):
            end = match.end(1)
            before = paragraph[start:end]
            word = re.search(r"([\w.'’]+)[.!?。？！]['\"”’)\]]*$", before)
            token = word.group(1).lower() if word else ""
            if (
                match.group(1).startswith(".")
                and (token in _ABBREVIATIONS or (len(token) == 1 and token.isalpha()))
                and not (token == "no" and not paragraph[match.end() : match.end() + 1].isdigit())
            ):
                continue
            if token in _CLOCK and paragraph[match.end() : match.end() + 1] == "(":
                continue
            quotes = [m.lastgroup for m in _REF_QUOTE.finditer(paragraph, start, end)]
            if (
                quotes
                and quotes[-1] == "open"
                and not set("\"”’'") & set(match.group(1))
                and "close" in [m.lastgroup for m in _REF_QUOTE.finditer(paragraph, end, end + 60)]
            ):
                continue
            sentence = paragraph[start:end].strip()
            if sentence:
                sentences.append(sentence)
            start = match.end()
        tail = paragraph[start:].strip()
        if tail:
            sentences.append(tail)
    return sentences


_PIECES = st.sampled_from(
    [
        *["Mr", "Gen", "U.S", "a.m", "p.m", "No", "x", "Kim", "11,000", "3.5", "2024", "it's"],
        *[".", ".", ".", "!", "?", "。", "'", '"', "”", "’", ")", "]", "(", "[", "“", "‘", "’s"],
        *[" ", "  ", "\n", "\n\n", "A", "The", "7", "한국"],
    ]
)


@settings(max_examples=400, deadline=None)
@given(st.lists(_PIECES, max_size=40).map("".join))
def test_linear_splitter_agrees_with_the_reference(text: str) -> None:
    assert split_sentences(text) == _reference_split(text)


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from("ab1. '’\"!?)\nAZ9"), max_size=80))
def test_linear_splitter_agrees_on_any_text(text: str) -> None:
    assert split_sentences(text) == _reference_split(text)


def test_long_digit_and_letter_runs() -> None:
    # 200,000 digits with no break, then stops: each character is read a bounded number of
    # times (the reference took minutes on this), and the split is still right.
    digits = "7" * 200_000
    text = f"Mr. {digits} troops. The {digits}. Sen. X. Y went home."
    assert split_sentences(text) == [
        f"Mr. {digits} troops.",
        f"The {digits}.",
        "Sen. X. Y went home.",
    ]
    many = " ".join(["No. 1."] * 20_000) + " End."
    assert len(split_sentences(many)) == 20_001
