"""Forms of names, numbers and places the protection stage must handle (issue 12, third round).

Each case is a sentence written for this test: the values after it must be replaced (protected
cases) or left alone (public cases). They cover the general mechanisms, not any labelled text.
"""

from __future__ import annotations

import pytest

from nkwatch.enrich.profile import load_profile
from nkwatch.protect import Protector

CONTEXT = "A defector, Ri Chol-ho, 34, said he fled in 2019. "

PROTECTED = [
    (
        "The outlet calls the second source Chol-u; he asked that nothing else be printed.",
        ["Chol-u"],
    ),
    ("The man asked that only his surname, Yun, be used.", ["Yun"]),
    ("A guard she knew only as Big Jaw beat her.", ["Big Jaw"]),
    ("Russian records name the worker Ким Ён Чер, 41.", ["Ким Ён Чер"]),
    ("The card reads 金美善, the characters for Kim Mi-son, a refugee.", ["金美善", "Kim Mi-son"]),
    ("We spoke to Ryu, a former soldier who deserted near Kursk.", ["Ryu"]),
    ("The second captive gave his name as Baek and his age as 26.", ["Baek", "26"]),
    ("Myong-chol's mother, Ri Sun-ok, still lives in Hamhung.", ["Myong-chol", "Ri Sun-ok"]),
    ("The broker can be reached on 8613944310021, defectors say.", ["8613944310021"]),
    ("The defector's email, kim.sr1990 at naver dot com, was in a ledger.", ["kim.sr1990"]),
    ("She left her mother's house at fourteen to cross the river.", ["fourteen"]),
    (
        "꽃제비였던 문철 군(13)은 어머니 번호만 기억했다. 철 군의 고향은 청진이다.",
        ["문철", "철", "청진"],
    ),
    (
        "탈북민들 사이에서 오이 아저씨로 불린 브로커는 체포됐다. 본명은 허광수다.",
        ["오이 아저씨", "허광수"],
    ),
    ("순철 씨는 양강도 김정숙군에 산다.", ["양강도 김정숙군"]),
    ("딸 은정 씨는 올해 스물이 됐다. 탈북민 최순옥(가명·41) 씨가 말했다.", ["스물", "41"]),
    (
        "탈북민 박솔 씨는 러시아 블라디보스토크 건설현장에서 일하는 남편과 통화했다.",
        ["블라디보스토크"],
    ),
    ("탈북민 여지수 씨의 주소 서울 노원구 상계로 12길 34, 502호가 유출됐다.", ["상계로 12길 34"]),
    (
        "The worker's dormitory is at 丹东市振兴区 锦山大街 88号 3栋, police said.",
        ["锦山大街 88号"],
    ),
]

PUBLIC = [
    ("Rep. Kim Gi-hyeon raised the case in parliament.", "Kim Gi-hyeon"),
    (
        "In a statement, the State Department's Matthew Miller said Washington was concerned.",
        "Matthew Miller",
    ),
    ("The lawyer for the family, Jang Yoon-mi, said she would appeal.", "Jang Yoon-mi"),
    ("The ombudsman, Dmytro Lubinets, said families had a right to know.", "Dmytro Lubinets"),
    ("The interview was conducted by Lee Hyun-seung of the Chosun Ilbo.", "Lee Hyun-seung"),
    ("Defectors say the calls come from a state security agent, Kang Myong-guk.", "Kang Myong-guk"),
]


@pytest.fixture(scope="module")
def protector() -> Protector:
    return Protector(load_profile())


@pytest.mark.parametrize(("sentence", "values"), PROTECTED)
def test_private_values_are_replaced(
    protector: Protector, sentence: str, values: list[str]
) -> None:
    text = CONTEXT + sentence
    spans = [(d.start, d.end) for d in protector.analyse(text).protected]
    for value in values:
        start = text.index(value, len(CONTEXT))
        uncovered = [
            text[i]
            for i in range(start, start + len(value))
            if text[i].isalnum() and not any(s <= i < e for s, e in spans)
        ]
        assert not uncovered, (value, uncovered)


@pytest.mark.parametrize(("sentence", "name"), PUBLIC)
def test_public_figures_are_kept(protector: Protector, sentence: str, name: str) -> None:
    text = CONTEXT + sentence
    start = text.index(name)
    spans = [(d.start, d.end) for d in protector.analyse(text).protected]
    assert not any(s < start + len(name) and start < e for s, e in spans)


def test_a_team_leader_is_private(protector: Protector) -> None:
    text = CONTEXT + "His team leader, Jo Hyon-su, said the men get $60 a month."
    protected = {text[d.start : d.end] for d in protector.analyse(text).protected}
    assert "Jo Hyon-su" in protected


def test_an_event_place_is_not_a_home_town(protector: Protector) -> None:
    text = "The soldier, Paek Un-gyong, 21, was taken near Sudzha after a shell hit his unit."
    protected = {text[d.start : d.end] for d in protector.analyse(text).protected}
    assert "Paek Un-gyong" in protected and "Sudzha" not in protected


@pytest.mark.parametrize(
    ("text", "kept", "protected"),
    [
        # A contingent in a text that names no private person ties no one to its place.
        (
            "North Korea has about 11,000 soldiers in Russia's Kursk region, Seoul says. "
            "Thousands of workers at the Alabuga plant build drones.",
            ["Kursk", "Alabuga"],
            [],
        ),
        # A few people, or sources, still do; so does a contingent beside a named member.
        (
            "The boat belonged to one family from the fishing town of Kimchaek, sources said.",
            [],
            ["Kimchaek"],
        ),
        (
            "North Korean IT workers in Shenyang posed as freelancers. One of them, Han "
            "Chol-jun, is 31.",
            [],
            ["Shenyang", "Han Chol-jun"],
        ),
        # An occupation or a scope before 출신 / 에 정착 is no town.
        (
            "노동자나 외교관 출신 탈북민이 늘었다. 1990년대 이후 국내에 정착한 탈북민은 3만4천여 명이다.",
            ["외교관", "국내"],
            [],
        ),
    ],
)
def test_places_of_groups_and_non_towns(
    protector: Protector, text: str, kept: list[str], protected: list[str]
) -> None:
    spans = {text[d.start : d.end] for d in protector.analyse(text).protected}
    assert not any(value in span for value in kept for span in spans), spans
    assert all(any(value in span for span in spans) for value in protected), spans
