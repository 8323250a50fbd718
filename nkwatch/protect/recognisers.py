"""Recognisers: each finds one kind of personal value, with a score per detection.

Built the way Microsoft Presidio builds them: a recogniser has patterns, context words that
raise its score, and returns :class:`~nkwatch.protect.records.Detection` spans. Phone numbers
are parsed by ``phonenumbers`` (Google's libphonenumber); Korean names in Hangul are found with
the ``kiwipiepy`` morphological analyser (its model ships in the ``kiwipiepy-model`` wheel and
loads offline). Every regular expression here runs in linear time: alternations of literals and
bounded repeats of character classes, no nested unbounded quantifiers.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Protocol

import phonenumbers

from nkwatch.protect.records import (
    AGE,
    EMAIL,
    MESSENGER_ID,
    PHONE,
    PLACE_OF_ORIGIN,
    STREET_ADDRESS,
    Detection,
)

log = logging.getLogger(__name__)


def _words(text: str) -> list[str]:
    return text.split()


def normalise(text: str) -> str:
    """Same-length text for matching: full-width digits and signs folded, line breaks as spaces.

    Only characters whose compatibility form is one character are folded, so every offset into
    the result is an offset into ``text``.
    """
    chars = []
    for char in text:
        if char in "\n\r\t\u00a0\u2009\u202f\u3000":
            chars.append(" ")
        elif ord(char) < 128:
            chars.append(char)
        else:
            folded = unicodedata.normalize("NFKC", char)
            if len(folded) == 1 and (folded.isdigit() or folded in "+-()./@_ "):
                chars.append(str(unicodedata.digit(folded)) if folded.isdigit() else folded)
            elif char in "\u2010\u2011\u2012\u2013\u2014\u2212":
                chars.append("-")
            else:
                chars.append(char)
    return "".join(chars)


class Recogniser(Protocol):
    """Finds spans of one or more kinds in normalised text."""

    name: str

    def analyse(self, text: str, flat: str) -> list[Detection]:
        """Detections in ``text``; ``flat`` is :func:`normalise` of it (same offsets)."""
        ...


def _near(flat: str, start: int, end: int, pattern: re.Pattern[str], *, window: int) -> bool:
    return pattern.search(flat, max(0, start - window), min(len(flat), end + window)) is not None


# --- phone numbers ----------------------------------------------------------------------------

PHONE_CONTEXT = re.compile(
    r"(?i)(?<![\w])(?:phone|telephone|mobile|cell(?:phone)?|number|call(?:s|ed|ing)?|dial(?:led)?"
    r"|text(?:ed)?|contact|reach(?:ed)?|hotline|tel|ring|rang|whatsapp|signal)(?![\w])"
    r"|전화|번호|연락처|휴대폰|핸드폰|문자|통화"
)
# A run of digit groups as phone numbers are written: 8 to 15 digits, groups joined by one
# space, hyphen, dot or a bracket, optionally with a leading + and country code.
_DIGIT_RUN = re.compile(r"(?<![\w.,/+-])\+?\(?\d{1,4}\)?(?:[ .\-]{1,2}\(?\d{1,5}\)?){1,5}(?![\w])")
_DATE_LIKE = re.compile(
    r"^(?:\d{4}[-./]\d{1,2}[-./]\d{1,2}|\d{1,2}[-./]\d{1,2}[-./]\d{2,4}|\d{4}[-–]\d{2,4})$"
)
_NUMBER_LIKE = re.compile(r"^\d{1,3}(?:,\d{3})+(?:\.\d+)?$|^\d+(?:\.\d+)?$")
PHONE_REGIONS = ("KR", "CN", "RU", "JP", "US")


@dataclass(frozen=True, slots=True)
class PhoneRecogniser:
    """Phone numbers in any common format: libphonenumber first, then digit runs by context.

    ``phonenumbers`` finds valid numbers for the regions listed (international ones from any
    country); a digit run that it does not accept (a made-up or partial number) still counts
    when a phone word stands near it and it is not a date or an amount.
    """

    name: str = "phone"
    regions: tuple[str, ...] = PHONE_REGIONS

    def analyse(self, text: str, flat: str) -> list[Detection]:
        found: dict[tuple[int, int], Detection] = {}
        for region in self.regions:
            for match in phonenumbers.PhoneNumberMatcher(
                flat, region, leniency=phonenumbers.Leniency.VALID, max_tries=10_000
            ):
                score = (
                    0.85 if _near(flat, match.start, match.end, PHONE_CONTEXT, window=60) else 0.7
                )
                found.setdefault(
                    (match.start, match.end),
                    Detection(PHONE, match.start, match.end, score, self.name),
                )
        taken = sorted(found)
        for match in _DIGIT_RUN.finditer(flat):
            raw = match.group().strip()
            digits = sum(c.isdigit() for c in raw)
            if digits < 8 or digits > 15 or _DATE_LIKE.match(raw) or _NUMBER_LIKE.match(raw):
                continue
            start, end = match.start(), match.end()
            if any(s < end and start < e for s, e in taken):
                continue
            has_plus = raw.startswith("+")
            if has_plus or _near(flat, start, end, PHONE_CONTEXT, window=60):
                found[(start, end)] = Detection(PHONE, start, end, 0.6, self.name)
        return list(found.values())


# --- messenger IDs and e-mail ------------------------------------------------------------------

_MESSENGERS = (
    r"WeChat|Weixin|微信|KakaoTalk|Kakao Talk|Kakao|카카오톡|카톡|Telegram|텔레그램|Line|LINE|라인"
    r"|Signal|WhatsApp|Viber|QQ|Zalo|Skype|위챗|큐큐|왓츠앱|시그널"
)
# A messenger's name, or a word that introduces an ID; the ID follows within a short window.
_ID_KEYWORD = re.compile(
    rf"(?<![A-Za-z])(?:{_MESSENGERS}|ID|I\.D\.|handle|username|user name|account name|아이디"
    r"|계정|메신저)(?![A-Za-z])"
)
# An ID: letters and digits with an underscore, dot, hyphen or digit in it (a plain word is
# prose), an @handle, or a bare number of 5 to 12 digits (QQ and Line numbers).
_ID_TOKEN = re.compile(
    r"(?<![\w@.+-])(?:@[A-Za-z][A-Za-z0-9_.]{2,40}[A-Za-z0-9_]"
    r"|[A-Za-z][A-Za-z0-9]{0,40}[_.\-0-9][A-Za-z0-9_.\-]{0,40}[A-Za-z0-9_]"
    r"|[A-Za-z0-9_]{0,20}_[A-Za-z0-9_]{1,20}"
    r"|\d{5,12})(?![A-Za-z0-9_@-]|\.[A-Za-z])"
)
_AT_HANDLE = re.compile(r"(?<![\w@.])@[A-Za-z][A-Za-z0-9_]{3,31}(?![\w@])")
MESSENGER_CONTEXT = re.compile(
    rf"(?i)(?<![\w])(?:{_MESSENGERS}|messenger|messaging|handle|channel|chat|DM|account)(?![\w])"
)
_ID_WINDOW = 45


@dataclass(frozen=True, slots=True)
class MessengerRecogniser:
    """WeChat, KakaoTalk, Telegram, QQ, Line and other messenger IDs, by context.

    An ID-shaped token (letters with digits, underscores or dots; an @handle; a QQ-style
    number) counts when a messenger's name or "ID", "handle", "아이디" stands shortly before it in
    the same sentence; an @handle also counts with a messenger word after it. E-mail addresses
    and web addresses are left to their own recognisers.
    """

    name: str = "messenger"

    def analyse(self, text: str, flat: str) -> list[Detection]:
        found: dict[tuple[int, int], Detection] = {}
        for keyword in _ID_KEYWORD.finditer(flat):
            window_end = min(len(flat), keyword.end() + _ID_WINDOW)
            stop = re.compile(r"[.!?](?:\s|$)|\n").search(flat, keyword.end(), window_end)
            window_end = stop.start() if stop else window_end
            token = _ID_TOKEN.search(flat, keyword.end(), window_end)
            if token is None:
                continue
            value = token.group()
            if value.isdigit() and not re.search(
                r"QQ|Line|LINE|라인|큐큐|number|번호", flat[keyword.start() : token.start()]
            ):
                continue
            if _looks_like_other(value):
                continue
            found[(token.start(), token.end())] = Detection(
                MESSENGER_ID, token.start(), token.end(), 0.9, self.name
            )
        for match in _AT_HANDLE.finditer(flat):
            start, end = match.start(), match.end()
            if any(s <= start < e for s, e in found):
                continue
            if _near(flat, start, end, MESSENGER_CONTEXT, window=80):
                found[(start, end)] = Detection(MESSENGER_ID, start, end, 0.8, self.name)
        return list(found.values())


def _looks_like_other(value: str) -> bool:
    """Style numbers, dates, versions and amounts are not IDs ("SS26-4471", "2024-11", "v1.2")."""
    return bool(
        re.fullmatch(
            r"[A-Z]{1,4}\d{1,4}(?:-[A-Z0-9]{1,6})+|\d{1,4}(?:[-.]\d{1,4})+|v?\d+(?:\.\d+)+", value
        )
        or re.fullmatch(r"(?:https?|www)\S*", value)
    )


_EMAIL = re.compile(
    r"(?<![\w.+-])[A-Za-z0-9][A-Za-z0-9._%+-]{0,63}@[A-Za-z0-9-]{1,63}(?:\.[A-Za-z0-9-]{1,63}){1,4}"
    r"(?![A-Za-z0-9-])"
)
#: Local parts of an organisation's desk, not of a person.
_DESK_MAILBOXES = frozenset(
    _words(
        """
        info press media contact contacts news newsroom tips editor editors office help support
        admin webmaster inquiries enquiries hello desk secretariat
        """
    )
)


@dataclass(frozen=True, slots=True)
class EmailRecogniser:
    """E-mail addresses, except an organisation's desk (press@, info@ ...)."""

    name: str = "email"

    def analyse(self, text: str, flat: str) -> list[Detection]:
        detections = []
        for match in _EMAIL.finditer(flat):
            local = match.group().split("@", 1)[0].casefold()
            if local in _DESK_MAILBOXES:
                continue
            detections.append(Detection(EMAIL, match.start(), match.end(), 0.9, self.name))
        return detections


# --- street addresses ---------------------------------------------------------------------------

_STREET_WORDS = (
    r"Street|St\.?|Road|Rd\.?|Avenue|Ave\.?|Lane|Ln\.?|Boulevard|Blvd\.?|Drive|Dr\.?|Way|Alley"
    r"|Place|Pl\.?|Court|Ct\.?|Terrace|Ulitsa|ulitsa|Prospekt|Jie|Lu|Dajie|Hutong"
)
_CAPWORD = r"[A-Z][A-Za-z'’.-]{0,30}"
_UNIT = r"(?:Apt\.?|Apartment|Unit|Flat|Room|Suite|No\.?|#)[ ]?\d{1,5}[A-Za-z]?"
_POSTCODE = r"(?:[A-Z]{1,2}\d[A-Z\d]?[ ]\d[A-Z]{2}|\d{5}(?:-\d{4})?)"
_KO_REGION = (
    r"(?:(?:서울|부산|대구|인천|광주|대전|울산|세종|경기|강원|충북|충남|전북|전남|경북|경남|제주)"
    r"(?:특별시|광역시|특별자치시|도)?[ ]|[가-힣]{1,6}(?:시|도|구|군|읍|면)[ ]){0,3}"
)
_STREET = re.compile(
    # "Flat 4, 22 Amber Lane, New Malden KT3 5QR", "221B Baker Street, Apt 3", "14 Sinchon-ro"
    rf"(?<![\w])(?:{_UNIT},?[ ])?\d{{1,5}}[A-Za-z]?,?[ ](?:{_CAPWORD}[ ]){{0,3}}"
    rf"(?:{_CAPWORD}-(?:ro|gil|daero|dong|ri|gu)\b|{_CAPWORD}[ ](?:{_STREET_WORDS})(?![\w]))"
    rf"(?:,?[ ]{_UNIT})?(?:,[ ](?:{_CAPWORD}[ ]){{0,2}}{_POSTCODE}|[ ]{_POSTCODE})?"
    # "Sinchon-ro 14-3", "ulitsa Russkaya 57"
    rf"|(?<![\w])(?:{_CAPWORD}[ ]){{0,2}}{_CAPWORD}-(?:ro|gil|daero|dong)[ ]"
    r"\d{1,5}(?:-\d{1,5})?"
    rf"(?:,?[ ]{_UNIT})?"
    rf"|(?<![\w])(?:ulitsa|ul\.|prospekt|pr\.|pereulok|per\.|Ulitsa|Prospekt)[ ]{_CAPWORD}"
    r"(?:[ ][A-Z][a-z]+)?[ ]\d{1,5}[A-Za-z]?(?:/\d{1,4})?"
    # "apartment 1203 in building 7", "Building 5, Unit 302", "Room 502"
    r"|(?<![\w])(?:[Bb]uilding|[Bb]lock|[Aa]partment|[Aa]pt\.?|[Uu]nit|[Ff]lat)[ ]\d{1,5}[A-Za-z]?"
    r"(?:,?[ ](?:[Uu]nit|[Rr]oom|[Ff]lat|[Aa]partment|[Ff]loor)[ ]\d{1,5})?"
    # Korean: "서울 양천구 목동서로 77, 1502호", "대구 달서구 월배로 188, 305동 1104호"
    rf"|{_KO_REGION}[가-힣0-9]{{1,10}}(?:로|길|대로)[ ]?\d{{1,5}}(?:-\d{{1,5}})?"
    r"(?:번길[ ]?\d{1,5})?(?:,?[ ]?(?:\d{1,4}동[ ]?)?\d{1,5}호)?"
    rf"|{_KO_REGION}[가-힣]{{1,10}}동[ ]?\d{{1,5}}(?:-\d{{1,5}})?[ ]?번지"
    r"|\d{1,4}동[ ]?\d{1,5}호"
)
ADDRESS_CONTEXT = re.compile(
    r"(?i)(?<![\w])(?:lives?|living|lived|address|apartment|flat|house|home|resides?|stays?"
    r"|staying|moved|rented|shelter|safe house|hideout|room)(?![\w])|주소|거주|살고|집|아파트|숙소"
)


@dataclass(frozen=True, slots=True)
class AddressRecogniser:
    """Street addresses (house number and street, flat numbers; Korean road and block forms)."""

    name: str = "address"

    def analyse(self, text: str, flat: str) -> list[Detection]:
        detections = []
        for match in _STREET.finditer(flat):
            start, end = match.start(), match.end()
            score = 0.8 if _near(flat, start, end, ADDRESS_CONTEXT, window=80) else 0.55
            detections.append(Detection(STREET_ADDRESS, start, end, score, self.name))
        return detections


# --- ages and places of origin or residence ----------------------------------------------

_AGE = re.compile(
    r"(?<![\w])(?P<a1>\d{1,2})[- ]year[- ]old(?![\w])"
    r"|(?<![\w])(?:aged|age|now|at age|at the age of)[ ](?P<a2>\d{1,2})(?![\w%])"
    r"|(?<=[A-Za-z가-힣]),[ ](?P<a3>\d{1,2}),"
    r"|(?<=[A-Za-z가-힣])[ ]?\((?P<a4>\d{1,2})\)"
    r"|(?<![\d])(?P<a5>\d{1,2})[ ]?(?:세|살)(?![가-힣])"
    r"|(?<![\w])(?P<a6>\d{1,2})s?[ ]years? of age(?![\w])"
)
_PLACE_NAME = r"[A-Z][A-Za-z'’-]{1,30}(?:[ ](?:[A-Z][A-Za-z'’-]{1,30}|of|upon)){0,3}"
_PLACE = re.compile(
    r"(?<![\w])(?:from|native of|hometown(?: of)?|home town(?: of)?|born in|grew up in"
    r"|raised in|(?:now |still )?lives? in|(?:now |still )?living in|lived in|settled in"
    r"|resettled in|resident of|resides in|moved to|relocated to|based in|stays? in"
    r"|staying in|hails from|comes from|came from|originally from)[ ]"
    rf"(?:the (?:city|town|county|village|province) of |(?:a|the) (?:city|town|village) of )?"
    rf"(?P<place>{_PLACE_NAME})"
    r"|(?P<hplace>[가-힣]{2,10})[ ]?(?:출신|태생)"
    r"|(?:고향인?|고향은)[ ](?P<home>[가-힣]{2,10}?)(?:에서|에|의|은|는|이|가)?(?![가-힣])"
    r"|(?P<lives>[가-힣]{2,10}?)(?:에서|에)[ ](?:살고|살며|산다|사는|살았|거주|정착)"
)
#: Capitalised words a place pattern may reach that are not places.
_NOT_PLACES = frozenset(
    _words(
        """
        The A An His Her Their North South China Korea Russia January February March April May
        June July August September October November December Monday Tuesday Wednesday Thursday
        Friday Saturday Sunday
        """
    )
)


def find_ages(flat: str) -> list[tuple[int, int, int]]:
    """Exact ages in ``flat``: ``(start, end, age)`` of the digits."""
    ages = []
    for match in _AGE.finditer(flat):
        group = match.lastgroup or ""
        value = int(match.group(group))
        if 0 < value < 100:
            ages.append((match.start(group), match.end(group), value))
    return ages


def find_places(flat: str) -> list[tuple[int, int]]:
    """Home towns and current cities named after "from", "lives in", "출신" and the like."""
    places = []
    for match in _PLACE.finditer(flat):
        group = match.lastgroup or ""
        if group not in {"place", "hplace", "home", "lives"}:
            continue
        start, end = match.start(group), match.end(group)
        value = flat[start:end]
        if group == "place":
            words = value.split()
            # "from North Hamgyong" keeps "North"; a lone "North" or "China" is not a town.
            if words[0] in {"The", "A", "An", "His", "Her", "Their"} or (
                len(words) == 1 and value in _NOT_PLACES
            ):
                continue
        places.append((start, end))
    return places


@dataclass(frozen=True, slots=True)
class Place:
    """A place or age detection before the stage decides whether it is protected."""

    kind: str
    start: int
    end: int
    age: int | None = None


def ages_and_places(flat: str) -> list[Place]:
    """Every exact age and place of origin/residence, in text order."""
    items = [Place(AGE, s, e, a) for s, e, a in find_ages(flat)]
    items += [Place(PLACE_OF_ORIGIN, s, e) for s, e in find_places(flat)]
    return sorted(items, key=lambda p: (p.start, p.end))


# --- Hangul names --------------------------------------------------------------------------------

HANGUL_SURNAMES = (
    "김리이박최정조강윤장한오서신권황안송류유홍전고문양손배백허남심노하"
    "곽성차주우구민진지엄채원천방공현함변염여추도소석선설길연위표명기반라왕금옥육인맹제모탁국태림"
)


@lru_cache(maxsize=1)
def kiwi() -> Any:
    """The Korean analyser, loaded once (its model comes from the kiwipiepy-model wheel)."""
    from kiwipiepy import Kiwi

    return Kiwi()


def hangul_proper_nouns(text: str) -> list[tuple[int, int, str]]:
    """Proper nouns (NNP) in Hangul text with the tag of the morpheme after each."""
    tokens = kiwi().tokenize(text)
    result = []
    for index, token in enumerate(tokens):
        if token.tag != "NNP":
            continue
        following = tokens[index + 1].form if index + 1 < len(tokens) else ""
        result.append((token.start, token.start + token.len, following))
    return result
