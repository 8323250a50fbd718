"""The watch profile: the bundled default, a user's extension, and errors naming file, line, key."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from nkwatch.enrich.profile import load_profile
from nkwatch.errors import ConfigError

REQUIRED_THEMES = {
    "troops-abroad",
    "weapons-missiles",
    "nuclear",
    "human-rights",
    "defectors",
    "remittances-markets",
    "food-economy",
    "diplomacy-sanctions",
    "cyber-it",
    "information-control",
    "border-incidents",
}


def test_default_profile_loads() -> None:
    profile = load_profile()
    assert {t.id for t in profile.themes} == REQUIRED_THEMES
    assert all(t.description and (t.strong or t.weak) for t in profile.themes)
    types = [e.type for e in profile.entities]
    assert types.count("person") >= 40
    assert types.count("organisation") >= 15
    assert types.count("place") >= 25
    kim = profile.entity("kim-jong-un")
    assert {a.text for a in kim.aliases} >= {"Kim Jong Un", "Kim Jong-eun", "김정은"}
    mss = profile.entity("mss")
    assert [a.case_sensitive for a in mss.aliases if a.text == "MSS"] == [True]
    assert {m.id for m in profile.measures} >= {
        "north-korean-troops-in-russia",
        "artillery-shells-to-russia",
        "workers-drone-production",
        "defector-arrivals",
        "remittance-fee",
        "rice-price",
        "it-workers-revenue",
    }
    assert profile.measure("rice-price").unit == "KPW/kg"
    # sums over a period, against levels at a time
    assert profile.measure("crypto-stolen").flow and profile.measure("defector-arrivals").flow
    assert not profile.measure("north-korean-troops-in-russia").flow
    assert not profile.measure("usd-exchange-rate").flow


def test_user_profile_extends_overrides_and_removes(tmp_path: Path) -> None:
    user = tmp_path / "mine.toml"
    user.write_text(
        """
[[theme]]
id = "fisheries"
label = "Fisheries"
description = "Fishing boats, catches and squid sold to China."
strong = ["squid", "fishing boat*"]
weak = ["catch"]

[[theme]]
id = "nuclear"
label = "Nuclear weapons"

[[entity]]
id = "kim-jong-un"
add_aliases = ["Marshal Kim Jong Un"]

[[entity]]
name = "Kim Song Nam"
type = "person"
aliases = ["Kim Song-nam", "김성남"]

[remove]
themes = ["cyber-it"]
""",
        encoding="utf-8",
    )
    profile = load_profile(user)
    ids = {t.id for t in profile.themes}
    assert "fisheries" in ids
    assert "cyber-it" not in ids
    nuclear = profile.theme("nuclear")
    assert nuclear.label == "Nuclear weapons"
    assert "yongbyon" in nuclear.strong  # fields not set by the user keep the default
    aliases = {a.text for a in profile.entity("kim-jong-un").aliases}
    assert {"Marshal Kim Jong Un", "김정은"} <= aliases
    assert profile.entity("kim-song-nam").type == "person"
    assert profile.sources[-1] == str(user)

    alone = load_profile(_standalone(tmp_path), extend_default=False)
    assert [t.id for t in alone.themes] == ["fisheries"]
    assert alone.entities == ()


def _standalone(tmp_path: Path) -> Path:
    path = tmp_path / "alone.toml"
    path.write_text(
        '[[theme]]\nid = "fisheries"\nlabel = "Fisheries"\n'
        'description = "Fishing."\nstrong = ["squid"]\n',
        encoding="utf-8",
    )
    return path


THEME = '[[theme]]\nid = "{id}"\nlabel = "L"\ndescription = "D."\nstrong = ["x"]\n'


@pytest.mark.parametrize(
    ("body", "pattern"),
    [
        ('[[theme]]\nid = "food"\nlabel = \n', r"line 3.*not valid TOML|not valid TOML.*line 3"),
        (
            '[[theme]]\nid = "food"\nlabel = "Food"\ndescription = "Food."\n',
            r"line 1: theme 'food': has no cue terms",
        ),
        (
            '[[entity]]\nname = "X Y"\ntype = "thing"\n',
            r"line 3: entity 'x-y': has an unknown type 'thing'; use person, organisation or place",
        ),
        (
            THEME.format(id="food") + "\n" + THEME.format(id="food"),
            r"line 7: theme 'food': duplicate id 'food'",
        ),
        (
            '[[entity]]\nname = "Kim Jong Un"\ntype = "person"\naliases = ["Kim"]\n',
            r"line 4: entity 'kim-jong-un': alias 'Kim' is a common word.*case_sensitive = true",
        ),
        (
            '[[entity]]\nname = "Example Agency"\ntype = "organisation"\naliases = ["party"]\n',
            r"line 4: .*alias 'party' is a common word",
        ),
        (
            THEME.format(id="food") + 'colour = "red"\n',
            r"line 6: theme 'food': unknown key 'colour'",
        ),
        (
            '[[entity]]\nname = "Somebody Else"\ntype = "person"\naliases = ["Kim Jong-un"]\n',
            r"line 4: entity 'somebody-else': alias 'Kim Jong-un' is also an alias of entity "
            r"'kim-jong-un'",
        ),
        (
            '[[measure]]\nid = "squid-price"\nlabel = "Squid"\nunit = "KPW/kg"\n',
            r"line 1: measure 'squid-price': needs counted",
        ),
        (
            '[[measure]]\nid = "squid-catch"\nlabel = "Squid"\nunit = "t"\ncounted = ["squid"]\n'
            'flow = "yes"\n',
            r"measure 'squid-catch': flow is true or false",
        ),
        (
            '[[theme]]\nid = "Food Prices"\n',
            r"line 2: theme 'Food Prices': id 'Food Prices' must be lowercase",
        ),
        (
            '[[entity]]\nid = "nobody"\nadd_aliases = ["N"]\n',
            r"line 3: entity 'nobody': add_aliases extends an entry",
        ),
        ("[things]\na = 1\n", r"unknown section\(s\) things"),
        ('[remove]\nthemes = ["no-such-theme"]\n', r"no theme 'no-such-theme' to remove"),
    ],
)
def test_malformed_profiles_name_file_line_and_key(tmp_path: Path, body: str, pattern: str) -> None:
    path = tmp_path / "profile.toml"
    path.write_text(body, encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        load_profile(path)
    message = str(info.value)
    assert str(path) in message
    assert re.search(pattern, message), message


def test_case_sensitive_common_word_alias_is_allowed(tmp_path: Path) -> None:
    path = tmp_path / "profile.toml"
    path.write_text(
        '[[entity]]\nname = "Victory Shipping"\ntype = "organisation"\n'
        'aliases = [{ text = "Victory", case_sensitive = true }]\n',
        encoding="utf-8",
    )
    profile = load_profile(path)
    assert [a.case_sensitive for a in profile.entity("victory-shipping").aliases] == [False, True]


def test_missing_profile_file(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="does not exist"):
        load_profile(tmp_path / "nope.toml")


def test_alias_after_names_profile_entities(tmp_path: Path) -> None:
    unsc = load_profile().entity("unsc")
    assert [a.after for a in unsc.aliases if a.text == "Security Council"] == [
        ("united-nations", "unsc")
    ]
    user = tmp_path / "mine.toml"
    user.write_text(
        '[[entity]]\nname = "Central Committee"\ntype = "organisation"\n'
        'aliases = [{ text = "Committee", after = ["no-such-entity"] }]\n',
        encoding="utf-8",
    )
    with pytest.raises(ConfigError, match=r"no-such-entity.*'after'"):
        load_profile(user)
