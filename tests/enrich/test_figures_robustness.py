"""The figure extractor on hostile input: every word its patterns accept, long runs, bad tables.

Each case asserts no exception, finite bounded values, and offsets that hold the number; none
asserts a speed (speed is measured in ``bench/enrich.py``), and one holds a generous hang guard.
"""

from __future__ import annotations

import math

from hypothesis import given, settings
from hypothesis import strategies as st

from nkwatch.enrich import figures as fig
from nkwatch.enrich.claims import Rejection
from nkwatch.enrich.figures import MAX_VALUE, extract_figures, vague_magnitude
from nkwatch.isolation import time_budget

# Every word the number patterns accept, so that each alternative of each pattern is drawn.
_WORDS = sorted(
    {
        *fig._SMALL_NUMBERS,
        *fig._SCALES,
        *fig._VAGUE_WORDS,
        *fig._FRACTIONS,
        *fig._FOLD_WORDS,
        *fig._SUFFIX_MULTIPLIERS,
        *fig._KOREAN_SCALES,
        *fig._KOREAN_UNITS,
        *fig._MULTIPLIER_VERBS,
        *fig._APPROX_BEFORE,
        *fig._APPROX_AFTER,
        *fig._CURRENCY_SYMBOLS,
        *(
            word
            for pattern, _unit in fig._UNIT_TABLE
            for word in pattern.split("|")
            if word.isalpha()
        ),
        "of",
        "and",
        "to",
        "in",
        "the",
        "fold",
        "-fold",
        "여",
        "약",
        "이상",
        "percent",
        "troops",
        "won",
        "said",
        "according to",
        "since",
        "ago",
        "summer",
        "last year",
        "two years ago",
    }
)
_TOKENS = st.one_of(
    st.sampled_from(_WORDS),
    st.integers(min_value=0, max_value=10**30).map(str),
    st.integers(min_value=1, max_value=999).map(lambda n: f"{n:,}000"),
    st.builds(
        lambda c, n: c * n,
        st.sampled_from(["1", "9", "0", ",", "만", "억", " ", "a", "-"]),
        st.integers(1, 600),
    ),
    st.sampled_from(["\n", "\t", "  ", ".", ",", "(", ")", "–", "$", "%", "₩", "\u00a0"]),
)
_SEPARATORS = st.sampled_from(["", " ", " ", " ", "\n", "  "])
_HOSTILE = st.lists(st.tuples(_TOKENS, _SEPARATORS), max_size=60).map(
    lambda parts: "".join(token + gap for token, gap in parts)
)


def _check(text: str) -> None:
    rejected: list[Rejection] = []
    for figure in extract_figures(text, rejected=rejected):
        assert math.isfinite(figure.value) and abs(figure.value) <= MAX_VALUE, figure
        if figure.value_max is not None:
            assert math.isfinite(figure.value_max) and figure.value_max <= MAX_VALUE, figure
            assert figure.value_max > figure.value
        assert text[figure.start : figure.end] in figure.sentence
    for rejection in rejected:
        assert rejection.reason in {"too-large", "too-many-digits", "not-finite"}
        assert text[rejection.start : rejection.end] == rejection.text


@settings(max_examples=400, deadline=None)
@given(_HOSTILE)
def test_every_accepted_word_in_any_order_gives_finite_figures(text: str) -> None:
    _check(text)


def test_every_vague_chain_has_a_value() -> None:
    words = list(fig._VAGUE_WORDS)
    for first in words:
        for second in words:
            for third in words:
                sentence = f"Officials said {first} of {second} of {third} of people fled."
                rejected: list[Rejection] = []
                found = extract_figures(sentence, rejected=rejected)
                _check(sentence)
                if found:
                    assert found[0].value == vague_magnitude(found[0].approx or "")
                elif {first, second, third} != {"tens"}:  # "tens" alone never ends a chain
                    assert [r.reason for r in rejected] == ["too-large"], sentence
    assert vague_magnitude("hundreds of billions of") == 1e11


def test_hundreds_of_billions_is_read() -> None:
    [figure] = extract_figures("The hackers stole hundreds of billions of won, prosecutors said.")
    assert (figure.value, figure.approx, figure.unit) == (1e11, "hundreds of billions of", "KRW")


def test_korean_scale_runs_are_read_or_rejected_never_misread() -> None:
    assert extract_figures("부대는 1" + "만" * 40 + "명 규모라고 밝혔다.") == []
    [figure] = extract_figures("국정원은 북한군 약 1만1천명이 러시아에 파병됐다고 밝혔다.")
    assert figure.value == 11000


def test_a_400_digit_number_is_rejected_with_a_reason() -> None:
    rejected: list[Rejection] = []
    sentence = "Officials said " + "7" * 400 + " troops were sent to Russia last year."
    assert extract_figures(sentence, rejected=rejected) == []
    assert [r.reason for r in rejected] == ["too-many-digits"]
    rejected.clear()
    huge = "Officials said 900 trillion trillion dollars were moved through the bank."
    assert all(f.value <= MAX_VALUE for f in extract_figures(huge, rejected=rejected))


def test_bad_input_gives_nothing_absurd() -> None:
    table = "\n".join(
        f"{i} {i * 37 % 1000}.{i % 100:02d} {i * 11} {i * 7} {i * 3}" for i in range(3000)
    )
    _check(table)
    stocks = (
        " ".join(f"ABC{i} {i}.{i % 10}5 +{i % 7}.2% vol {i * 1000:,}" for i in range(2000)) + "."
    )
    _check(stocks)
    phones = "Call +82 2 1234 5678 or 02-123-4567 or 010 9876 5432 before 2024 about the 1990s."
    assert extract_figures(phones) == []
    years = "In 2017, 2018 and 2019 the talks stalled, and in 2020 they stopped altogether."
    assert extract_figures(years) == []
    long_sentence = ("and the convoy moved on " * 420) + "with 30 trucks."
    assert len(long_sentence) > 10_000
    assert [f.value for f in extract_figures(long_sentence)] == [30]
    mixed = (
        "북한군 약 1만1천명 (about 11,000 troops) были отправлены 到俄罗斯 2024年, officials said."
    )
    _check(mixed)
    for run in ("9" * 20_000, " " * 20_000, "만" * 20_000, "-" * 20_000, "a " * 10_000):
        _check(f"Officials said {run} troops were sent.")


def test_titled_person_pattern_reads_long_whitespace_runs() -> None:
    from nkwatch.enrich.entities import _TITLED_PERSON

    # Work, not time: a run of 20,000 spaces and tabs is read and gives no name.
    for run in (" " * 20_000, "\t" * 20_000, "Vice" + " " * 20_000 + "x"):
        assert list(_TITLED_PERSON.finditer(run)) == []
    assert [m.group("name") for m in _TITLED_PERSON.finditer("Vice President Kim Yo Jong")] == [
        "Kim Yo Jong"
    ]


def _korean_group(value: int, spelled: bool) -> str:
    """A number below 10,000 as Korean text writes it: "3500" or "3천5백"."""
    if not spelled:
        return str(value)
    thousands, rest = divmod(value, 1000)
    hundreds, rest = divmod(rest, 100)
    text = f"{thousands}천" if thousands else ""
    text += f"{hundreds}백" if hundreds else ""
    return text + (str(rest) if rest else "")


_KOREAN_GROUPS = st.tuples(
    st.integers(0, 99), st.integers(0, 9999), st.integers(0, 9999), st.integers(0, 9999)
)


@settings(max_examples=300, deadline=None)
@given(_KOREAN_GROUPS, st.booleans(), st.sampled_from(["명", "발", "달러", "원", "개"]))
def test_well_formed_korean_numbers_read_exactly(
    groups: tuple[int, int, int, int], spelled: bool, counter: str
) -> None:
    jo, eok, man, rest = groups
    expected = jo * 10**12 + eok * 10**8 + man * 10**4 + rest
    if expected == 0:
        return
    number = "".join(
        f"{_korean_group(part, spelled)}{scale}"
        for part, scale in ((jo, "조"), (eok, "억"), (man, "만"))
        if part
    ) + (_korean_group(rest, spelled) if rest else "")
    if not number[0].isdigit():
        return  # "천5백" without a leading digit is not a number the pattern reads
    text = f"정부는 약 {number}{counter}이 확인됐다고 밝혔다."
    figures = extract_figures(text)
    assert len(figures) == 1, (text, figures)
    assert figures[0].value == float(expected), (text, figures[0])
    assert figures[0].approx == "약"


@settings(max_examples=200, deadline=None)
@given(
    st.sampled_from(["만", "억", "조", "천", "백"]),
    st.integers(2, 300),
    st.integers(1, 400),
    st.sampled_from(["명", "달러", "원", "", " 이상"]),
)
def test_repeated_korean_scales_and_long_digit_runs_stay_finite(
    scale: str, repeats: int, digits: int, tail: str
) -> None:
    # "1만만만…명": scale words out of order are no number; a long digit run is rejected.
    _check("부대는 1" + scale * repeats + "명 규모라고 밝혔다.")
    assert extract_figures("부대는 1" + scale * repeats + "명 규모라고 밝혔다.") == []
    rejected: list[Rejection] = []
    huge = "9" * digits + scale + tail
    for figure in extract_figures(f"북한은 {huge}를 보냈다.", rejected=rejected):
        assert math.isfinite(figure.value) and figure.value <= MAX_VALUE
    if digits > fig.MAX_DIGITS:
        assert rejected and rejected[0].reason == "too-many-digits"
    _check(("1" + scale) * repeats + tail)


def test_clause_and_score_patterns_read_long_runs() -> None:
    # Work, not time: the superlative span, score, "with ... saying" and "who" clause patterns
    # each read a long run once.
    for text in (
        "the largest " + "word " * 5_000 + "in 3 years.",
        "They won " + "Big " * 5_000 + "3-1 at home.",
        "with " + "officials " * 5_000 + "saying 40 died.",
        "A nurse " + "who " * 5_000 + "said 18 died.",
        "Output, which " + "x " * 5_000 + "in 1990, rose 40%.",
    ):
        _check(text)


def test_a_korean_sentence_is_read_once_for_all_its_figures() -> None:
    # Who a Korean sentence cites, how it hedges and its time phrases belong to the sentence;
    # read again for each of its figures, a sentence of thousands of figures took time that
    # grew with the square of its length (bench/growth.py).
    sentence = "통일부에 따르면 올해 " + "약 3천명의 " * 400 + "탈북민이 입국한 것으로 추정된다."
    fig._korean_source.cache_clear()
    fig._korean_hedge.cache_clear()
    fig._korean_periods.cache_clear()
    found = extract_figures(sentence)
    assert len(found) >= 400
    assert {f.attribution for f in found} == {"통일부"} and {f.hedge for f in found} == {"추정"}
    for reading in (fig._korean_source, fig._korean_hedge, fig._korean_periods):
        assert reading.cache_info().misses == 1


@settings(max_examples=300, deadline=None)
@given(
    st.text(alphabet="올해 1월부터9월까지 2024년대이후들어서만 약천명", max_size=60),
    st.integers(min_value=0, max_value=60),
)
def test_the_time_phrase_before_a_korean_figure_is_the_one_the_cut_sentence_gives(
    sentence: str, start: int
) -> None:
    start = min(start, len(sentence))
    cut = [m.group(0) for m in fig._KOREAN_PERIOD_RE.finditer(sentence, 0, start)]
    assert fig._korean_period(sentence, start) == (cut[-1] if cut else None)


def test_an_overlong_word_is_read_once_and_the_figures_beside_it_stay() -> None:
    # A hang guard, not a speed claim: name and noun patterns read a run of word characters, and
    # tried again from each letter of "A-A-A-…" (or each digit of a long run) they were
    # quadratic; 100,000 such characters took minutes.
    for unit in ("A-", "A.", "AB'", "1", "1,"):
        run = unit * (50_000 // len(unit))
        text = f"{run} More than 5,000 soldiers were killed, officials said. {run}"
        with time_budget(20.0):
            figures = extract_figures(text)
        assert any(f.value == 5000 for f in figures), unit


def test_a_rejection_quotes_the_sentence_as_written() -> None:
    # The walls put over long space runs and overlong words never reach what is stored.
    sentence = "They sent " + "9" * 61 + " dollars," + " " * 30 + "A-" * 40 + " said."
    rejected: list[Rejection] = []
    extract_figures(sentence, rejected=rejected)
    assert rejected and rejected[0].sentence == sentence
