"""Is a capitalised word after "from" or "in" a place? (nkwatch.protect.gazetteer)"""

from __future__ import annotations

import pytest

from nkwatch.protect.gazetteer import about_korea_or_china, known_place


def _known(text: str, value: str) -> bool:
    start = text.index(value)
    return known_place(value, text, start, start + len(value))


@pytest.mark.parametrize(
    ("text", "value"),
    [
        # towns, states and countries GeoNames holds
        ("She flew in from Winnipeg for the hearing.", "Winnipeg"),
        ("A nurse from Nebraska wrote to the board.", "Nebraska"),
        ("The family came by bus from Hyesan.", "Hyesan"),
        # a name with its level, before or after it
        ("His mother still farms in Pukchang county.", "Pukchang"),
        ("She grew up in a flat in Dobong-gu with her aunt.", "Dobong-gu"),
        ("A boy from the village of Tolbuk was among them.", "Tolbuk"),
        # a name set before a known place that holds it
        ("A welder from Little Harwood, England, said so.", "Little Harwood"),
        ("The pastor, 58, of Glenfield, Ind., was charged.", "Glenfield"),
        # a romanised county too small for the list, in a text about Korea
        ("A North Korean defector from Ullyul said the mine closed.", "Ullyul"),
        # the Korean context may be a Korean given name alone
        ("Pak Su-ryon left Kwaksan as a teenager.", "Kwaksan"),
    ],
)
def test_places(text: str, value: str) -> None:
    assert _known(text, value)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("The deal needs fresh money from Lockheed before spring.", "Lockheed"),
        ("Since her split from Mortimer she has kept quiet.", "Mortimer"),
        ("Probes will look for ice on Europa next decade.", "Europa"),
        ("Fans queued outside Fenway Park all night.", "Fenway Park"),
        # a romanised-looking word in a text about neither Korea nor China
        ("Investors in Titan saw the shares fall.", "Titan"),
        ("A grant from Vantorix kept the lab open.", "Vantorix"),
    ],
)
def test_not_places(text: str, value: str) -> None:
    assert not _known(text, value)


def test_a_text_about_korea_or_china() -> None:
    assert about_korea_or_china("The boat reached Wonsan at dawn.")  # a town there
    assert about_korea_or_china("Ri Chol-min, 34, spoke to us.")  # a Korean given name
    assert about_korea_or_china("탈북민 김 씨")
    assert not about_korea_or_china("The mayor of Lyon met Jean-Paul and the Coca-Cola board.")
