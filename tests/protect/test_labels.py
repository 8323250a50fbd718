"""Labels within one story: the same person is one label across its articles, another person
another label, and a protected excerpt still matches its article outside the marks."""

from __future__ import annotations

import re

from nkwatch.enrich.profile import load_profile
from nkwatch.protect import Protector
from nkwatch.protect.anonymise import LabelBook, anonymise
from nkwatch.protect.records import AGE, PERSON, Detection

PROTECTOR = Protector(load_profile())

FIRST = (
    "Pak Mi-ran (박미란), a 39-year-old defector who lives in Suwon, said a caller knew her "
    "number. The broker who carried her money, Jin Meihua, was arrested in March. Another "
    "defector, Pak Yong-su, said he had received the same call."
)
SECOND = (
    "Officials declined to comment. Mi-ran said she changed her number the next day, and Pak "
    "Mi-ran's sister in Musan has not been called. Jin Meihua has not been charged."
)
THIRD = "탈북민 박미란(39) 씨는 보위성 요원의 전화를 받았다고 말했다. 미란 씨는 번호를 바꿨다."


def _labels(text: str) -> list[str]:
    return re.findall(r"\[[^\]]+\]", text)


def test_one_person_one_label_across_a_storys_articles() -> None:
    scope = PROTECTOR.scope([FIRST, SECOND, THIRD])
    first = scope.protect(FIRST.split(". ")[0] + ".", context=FIRST).text
    second = scope.protect("Mi-ran said she changed her number the next day", context=SECOND)
    third = scope.protect(THIRD.split(" 말했다.")[1].strip(), context=THIRD)
    broker_first = scope.protect("Jin Meihua, was arrested in March", context=FIRST).text
    broker_second = scope.protect("Jin Meihua has not been charged.", context=SECOND).text
    defector = _labels(first)[0]
    assert defector.startswith("[defector ")
    # The Latin name, its Hangul spelling in brackets, and the given name alone elsewhere.
    assert _labels(first)[:2] == [defector, defector]
    assert _labels(second.text)[0] == defector
    assert _labels(third.text)[0] == defector
    # The broker is somebody else in both articles, and the same label in each.
    broker = _labels(broker_first)[0]
    assert broker != defector and _labels(broker_second)[0] == broker


def test_a_different_person_with_the_same_surname_gets_another_label() -> None:
    scope = PROTECTOR.scope([FIRST])
    text = scope.protect(FIRST).text
    labels = _labels(text)
    assert "Pak" not in text and "Yong-su" not in text
    pak_mi_ran, pak_yong_su = labels[0], labels[-1]
    assert pak_yong_su.startswith("[defector ") and pak_yong_su != pak_mi_ran


def test_labels_start_again_in_another_scope() -> None:
    one = PROTECTOR.scope([SECOND]).protect(SECOND).text
    other = PROTECTOR.scope([FIRST]).protect(FIRST).text
    assert _labels(one)[0].endswith(" A]") and _labels(other)[0].endswith(" A]")


def test_an_excerpt_equals_its_article_outside_the_marks() -> None:
    scope = PROTECTOR.scope([FIRST])
    excerpt = FIRST[: FIRST.index(" The broker")]
    protected = scope.protect(excerpt, context=FIRST)
    assert protected.marks
    pieces, cursor = [], 0
    for mark in protected.marks:
        assert protected.text[mark.start : mark.end] == mark.label
        pieces += [re.escape(protected.text[cursor : mark.start]), "(.+?)"]
        cursor = mark.end
    pieces.append(re.escape(protected.text[cursor:]))
    match = re.fullmatch("".join(pieces), excerpt, re.DOTALL)
    assert match is not None
    assert {"Pak Mi-ran", "박미란", "39", "Suwon"} <= set(match.groups())


def test_a_person_one_article_gives_a_role_is_protected_in_the_others() -> None:
    # The second report names the broker with no word of who he is; the first says.
    first = "The broker, Viktor Lenz, 52, who carried the defectors' money, was arrested."
    second = "Viktor Lenz was seen in Yanji last week, a resident said."
    scope = PROTECTOR.scope([first, second])
    assert "Viktor Lenz" not in scope.protect(second, context=second).text
    # A name one article only guesses at, or shows to be a public figure's, is not spread.
    guessed = "The drive is working, Maren Holt says."
    public = "Gov. Maren Holt opened the hall; Maren Holt said it cost $2 million."
    scope = PROTECTOR.scope([guessed, public])
    assert "Maren Holt" in scope.protect(public, context=public).text


def test_a_name_one_article_shows_public_is_public_where_another_only_guesses() -> None:
    # The lead names the office and not the man; the other report names both.
    lead = (
        "The new hall is similar to known enrichment plants, the head of the atomic agency "
        "said on Tuesday. Anton Weller told the board in Vienna that the roof was finished."
    )
    other = "Anton Weller, the agency's director general, said the hall could hold centrifuges."
    assert "Anton Weller" not in PROTECTOR.scope([lead]).protect(lead, context=lead).text
    scope = PROTECTOR.scope([lead, other])
    assert "Anton Weller told the board" in scope.protect(lead, context=lead).text
    snippet = "Anton Weller told the board"  # a search hit, not found verbatim with markup
    assert scope.protect(f"<b>{snippet}</b>").text == f"<b>{snippet}</b>"
    # A person another article gives a role stays protected even beside a public namesake.
    witness = "Anton Weller, 34, a defector from Hyesan, said the hall was new."
    scope = PROTECTOR.scope([witness, other])
    assert "Anton Weller" not in scope.protect(witness, context=witness).text


def test_a_name_another_article_prints_is_not_hidden_where_only_guessed() -> None:
    # One report names the man and his age only; another gives him a company.
    guessed = "Vance Orrell, 52, announced the launch on Friday. Orrell said the car was ready."
    printed = "The carmaker's founder Vance Orrell unveiled the roadster in a hangar."
    alone = PROTECTOR.scope([guessed]).protect(guessed, context=guessed).text
    assert "Orrell" not in alone and "52" not in alone
    scope = PROTECTOR.scope([guessed, printed])
    lifted = scope.protect(guessed, context=guessed).text
    assert "Vance Orrell, 52, announced" in lifted and "Orrell said" in lifted
    # A surname alone is lifted too, unless a private namesake in the story has it.
    surname = "Orrell, 52, made the announcement on Friday."
    assert "Orrell, 52" in PROTECTOR.scope([surname, printed]).protect(surname).text
    namesake = "Ada Orrell, 34, a defector from Hyesan, said the car was hers."
    hidden = PROTECTOR.scope([surname, printed, namesake]).protect(surname).text
    assert "Orrell" not in hidden


def test_a_name_the_headline_gives_is_not_hidden_where_only_guessed() -> None:
    body = "Tom Ardley said the move was right. Ardley has started 40 games for the club."
    story = f"Club signs forward Ardley to a new contract\n\n{body}"
    assert "Ardley" not in PROTECTOR.scope([body]).protect(body, context=body).text
    assert PROTECTOR.scope([story]).protect(body, context=story).text == body
    # A headline about a vulnerable role lifts no one, nor does a role in the text.
    for headline, text in [
        ("Defector Ardley tells of the crossing", body),
        ("Ardley tells of the crossing", "Tom Ardley, a defector, said the river was cold."),
    ]:
        story = f"{headline}\n\n{text}"
        assert "Ardley" not in PROTECTOR.scope([story]).protect(text, context=story).text


def test_an_adult_named_near_the_word_child_is_no_child() -> None:
    text = "The man who took the child, Dale Rourke, was armed. Jurors convicted Rourke, 51."
    protected = PROTECTOR.scope([text]).protect(text).text
    assert "Rourke" not in protected and "[child" not in protected


def test_a_person_arrested_for_a_crime_is_labelled_accused_not_victim() -> None:
    text = (
        "Dale Prentice, 58, of Elmwood was arrested on wire fraud and money laundering "
        "charges, police said. A defector, Kim Ok-sun, was arrested by Chinese police and "
        "sent back."
    )
    protected = PROTECTOR.scope([text]).protect(text).text
    assert protected.startswith("[accused A], [age], of [place] was arrested")
    assert "[defector B]" in protected


def test_a_childs_age_is_said_once_by_the_label() -> None:
    cases = {
        "Kim Ha-na, 12, crossed the river with her mother in March, a broker said.": (
            "[child A, 12] crossed the river"
        ),
        "The girl, Kim Ha-na, 12, crossed the river with her mother in March.": (
            "The girl, [child A, 12], crossed the river"
        ),
        "Activists hailed Kim Ha-na (12) as a symbol of the families who fled.": (
            "hailed [child A, 12] as a symbol"
        ),
    }
    for text, expected in cases.items():
        protected = PROTECTOR.scope([text]).protect(text)
        assert expected in protected.text, protected.text
        assert "[age]" not in protected.text and "12" not in protected.text.replace("A, 12", "")
        # The mark covers the age it absorbed: outside the marks the text is the source's.
        start, end = protected.marks[0].start, protected.marks[0].end
        assert text.startswith(protected.text[:start])
        assert text.endswith(protected.text[end:])


def test_an_age_the_label_states_from_another_text_is_not_said_again() -> None:
    # One text of the story gave the child's age; this one names her with the age but only
    # the story knows she is a child: the label states the age, so it is not repeated.
    book = LabelBook()
    earlier = "Lee, 16, was detained."
    anonymise(earlier, [Detection(PERSON, 0, 3, 0.9, "name", "child", "lee su bin", 16)], book)
    text = "Lee Su-bin, 16, was charged this week."
    found = [
        Detection(PERSON, 0, 10, 0.9, "name", "child", "lee su bin"),
        Detection(AGE, 12, 14, 0.9, "age"),
    ]
    protected = anonymise(text, found, book)
    assert protected.text == "[child A, 16] was charged this week."
    # Where the label states no age, the age is hidden as one.
    other = anonymise(text, found, LabelBook())
    assert other.text == "[child A], [age], was charged this week."
