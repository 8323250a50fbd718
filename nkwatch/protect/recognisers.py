"""Recognisers: each finds one kind of personal value, with a score per detection.

Built the way Microsoft Presidio builds them: a recogniser has patterns, context words that
raise its score, and returns :class:`~nkwatch.protect.records.Detection` spans. Phone numbers
are parsed by ``phonenumbers`` (Google's libphonenumber); Korean names in Hangul are found with
the ``kiwipiepy`` morphological analyser (its model ships in the ``kiwipiepy-model`` wheel and
loads offline). Every regular expression here runs in linear time: alternations of literals and
bounded repeats of character classes, no nested unbounded quantifiers.
"""

from __future__ import annotations

import bisect
import itertools
import logging
import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Any, Protocol

import phonenumbers

from nkwatch.enrich.profile import COMMON_WORDS
from nkwatch.lexicon import NUMBER_WORDS, WEB_ADDRESS
from nkwatch.protect.gazetteer import known_place
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

    @property
    def name(self) -> str:
        """What the recogniser is called in a detection."""
        ...

    def analyse(self, text: str, flat: str) -> list[Detection]:
        """Detections in ``text``; ``flat`` is :func:`normalise` of it (same offsets)."""
        ...


def _near(flat: str, start: int, end: int, pattern: re.Pattern[str], *, window: int) -> bool:
    return pattern.search(flat, max(0, start - window), min(len(flat), end + window)) is not None


# --- phone numbers ----------------------------------------------------------------------------

PHONE_CONTEXT = re.compile(
    r"(?i)(?<![\w])(?:phone|telephone|mobile|cell(?:phone)?|number|call(?:s|ed|ing)?|dial(?:led)?"
    r"|text(?:ed)?|contact|reach(?:ed)?|hotline|tel|ring|rang|whatsapp|signal|viber|zalo"
    r"|telegram|kakao(?:talk)?|wechat|weixin|(?-i:Line|LINE))(?![\w])"
    r"|전화|번호|연락처|휴대폰|핸드폰|문자|통화|카톡|텔레그램|왓츠앱"
)
# A run of digit groups as phone numbers are written: 8 to 15 digits, groups joined by one
# space, hyphen, dot or a bracket, optionally with a leading + and country code.
# A Korean particle may follow the last group ("081-234-5678로"); a letter or digit may not.
_DIGIT_RUN = re.compile(
    # not from a clock time before the number ("22:41 139 ..."), nor into one after it
    r"(?<![\w.,/+-])(?<!\d:)\+?\(?\d{1,4}\)?(?:[ ]?\(0\)[ ]?\d{1,6})?"
    r"(?:[ .\-]{1,2}\(?\d{1,6}\)?){1,5}"
    r"(?![A-Za-z0-9_]|:\d)"
)
_DATE_LIKE = re.compile(
    r"^(?:\d{4}[-./]\d{1,2}[-./]\d{1,2}|\d{1,2}[-./]\d{1,2}[-./]\d{2,4}|\d{4}[-–]\d{2,4})$"
)
_BARE_DIGITS = re.compile(r"(?<![\w.,/+-])\d{10,13}(?![\w])")
_BARE_MOBILE = re.compile(r"^(?:8[26]|7)?0?1\d{9,10}$")
# A number read out digit by digit: "one-three-nine, four-four-seven-one", "공일공 사사칠일 ...".
_DIGIT_WORD = r"(?:zero|oh|one|two|three|four|five|six|seven|eight|nine)"
_CHINESE_NUMERALS = "〇零一二三四五六七八九幺"
# "〇" and "零" are both zero; "幺" is how one is read out in a phone number.
_CHINESE_DIGITS = {c: d for d, c in enumerate("零一二三四五六七八九")} | {"〇": 0, "幺": 1}
_SPELT_PHONE = re.compile(
    rf"(?i)(?<![\w-]){_DIGIT_WORD}(?:[ ,\-]{{1,2}}{_DIGIT_WORD}){{6,14}}(?![\w-])"
    r"|(?<![가-힣])[공영일이삼사오육륙칠팔구](?:[ ,\-]{0,2}[공영일이삼사오육륙칠팔구]){8,14}"
    # Chinese numerals: "一三九 四三三八 二〇七一"
    rf"|(?<![一-鿿])[{_CHINESE_NUMERALS}](?:[ ,\-]{{0,2}}[{_CHINESE_NUMERALS}]){{8,14}}(?![一-鿿])"
)
#: A national number's shape, three groups ("135 9447 0216", "010ㆍ3352ㆍ1907"): counted when
#: libphonenumber finds it a valid number of a listed region, with no phone word needed (a call
#: log's lines have none).
_PHONE_SHAPE = re.compile(
    r"(?<![\w+/.:,-])\(?\d{2,4}\)?[ .\-ㆍ·・•]{1,2}\d{3,4}[ .\-ㆍ·・•]{1,2}\d{4}"
    r"(?![A-Za-z0-9_]|[.,/:-]\d)"
)
#: A number the writer masked in part ("010-****-9981", "010-88**-1409", "+86 139 xxxx 7781").
_MASKED_PHONE = re.compile(
    r"(?<![\w+*●○/.-])(?:\+\d{1,3}[ .-]?)?\(?\d{2,4}\)?(?:[ .-][\d*xX●○]{2,4}){1,2}"
    r"[ .-][\d*xX●○]{4}(?![A-Za-z0-9_*●○])"
)
#: The start of a number given in parts: a country code and one or two groups ("+86 135").
_PLUS_FRAGMENT = re.compile(r"(?<![\w+])\+\d{1,3}[ -]\d{2,4}(?:[ -]\d{1,4})?(?![\d]|[ -]\d)")
#: Words that say a number is given in parts ("the first part", "the rest", "뒷자리").
_PARTS_OF_A_NUMBER = re.compile(
    r"(?i)\b(?:first|last|second|other|remaining)[ ](?:part|half|digits|four|three|group)"
    r"|\bthe[ ]rest\b|\b(?:two|in)[ ]halves\b|\b(?:begins|starts|ends)[ ](?:with[ ])?[+\d]"
    r"|앞자리|뒷자리|나머지"
)
#: The rest of a number given in parts: "and ends 577 1482", "the rest, 0448 2271".
_NUMBER_REST = re.compile(
    r"(?i)\b(?:ends|ending|the[ ]rest|the[ ]last[ ](?:part|half|digits)|the[ ]second[ ]half)"
    r"(?:[ ](?:with|is|was))?,?[ ](?P<rest>\d{3,4}(?:[ -]?\d{2,4}){0,2})(?![\d])"
)
#: An extension after a number: "ext. 305", "x12", "내선 215".
_EXTENSION = re.compile(r",?[ ]?(?:ext\.?|extension|x|내선|교환)[ ]?\d{1,5}(?!\d)", re.IGNORECASE)
#: A second number written as the first one's last digits: "010-2231-8890/8891".
_SIBLING_NUMBER = re.compile(r"/(\d{2,4})(?![\d/])")
_NUMBER_LIKE = re.compile(r"^\d{1,3}(?:,\d{3})+(?:\.\d+)?$|^\d+(?:\.\d+)?$")
#: Number types libphonenumber knows that only organisations hold.
_SERVICE_TYPES = frozenset(
    {
        phonenumbers.PhoneNumberType.TOLL_FREE,
        phonenumbers.PhoneNumberType.PREMIUM_RATE,
        phonenumbers.PhoneNumberType.SHARED_COST,
        phonenumbers.PhoneNumberType.UAN,
    }
)
PHONE_REGIONS = ("KR", "CN", "RU", "JP", "US")
#: Five digits or more, each within three marks of the next: what any phone number holds.
_DIGIT_CLUSTER = re.compile(r"\d(?:[^\w\n]{0,3}\d){4,}")


#: Words before a digit run that make it another kind of number: a bank account ("Hanmi Bank
#: 2208-4471-90", "농협 351-…"), a case or receipt number, a parcel's tracking code ("1Z 999 AA1
#: 01 2345 6784").
_OTHER_NUMBER_BEFORE = re.compile(
    r"(?i)(?:\b(?:bank|acct\.?|a/c|iban)|은행|농협|계좌|접수번호|사건번호|등록번호"
    r"|\b(?:account|case|receipt|reference|ref\.?|tracking|order|invoice|serial)"
    r"[ ](?:no\.?|number|#))"
    r"(?:는|은|가|이)?[ :#.]*(?:is[ ])?$"
    r"|(?-i:\b[A-Z0-9]*[A-Z][A-Z0-9]*\d[A-Z0-9]*[ ])$"
)
# An organisation's line: Korean service numbers (15xx-xxxx, 16xx, 18xx) or a number that a
# hotline, desk or office word introduces with no person's possessive near it.
_SERVICE_NUMBER = re.compile(r"^(?:\+82[ -]?)?1[568]\d{2}-?\d{4}$")
_ORGANISATION_LINE = re.compile(
    r"(?i)(?<![\w])(?:hotline|helpline|help line|counsell?ing line|information desk|switchboard"
    r"|call cent(?:re|er)|press office|tip line|main line|public line|toll-free|reception"
    r"|ministry|embassy|consulate|foundation|office|department|headquarters|treasury|centre"
    r"|center|agency"
    # "its Telegram channel", "its phone line": "its" holder is never a person
    r"|its(?:[ ][\w-]+){0,2}[ ](?:channel|line|number|account|address)"
    # a body speaking of itself: "our secure line", "Call us on", "this programme"
    r"|our(?:[ ][\w-]+){0,2}[ ](?:line|number|hotline|phone|account|channel)"
    r"|(?:call|contact|reach|text|message)[ ]us|this[ ]programme|this[ ]program"
    r"|desk|clinic|newsroom|broadcaster|press[ ]inquiries|press[ ]enquiries"
    # "Shelter duty phone:", "the bureau's duty line": a line staffed in turns
    r"|duty[ ](?:phone|line|number|officer)"
    r"|support[ ]group|advocacy[ ]group|community[ ]group)(?![\w])"
    r"|상담|콜센터|대표번호|대표전화|센터|재단|부처|대사관|방송국|사무국"
    r"|기관[ ]?(?:긴급|대표)?(?:전화|연락처|번호)"
)
# Words that ask for contact ("for inquiries", "문의", a "channel") without saying who holds
# the line: smugglers and brokers take orders that way too, so they mark an organisation's
# line only when an organisation is named in the same sentence ("the foundation's KakaoTalk
# channel"); alone they leave the value protected.
_REQUEST_LINE = re.compile(
    r"(?i)(?<![\w])(?:for inquiries|for enquiries|inquiries|enquiries|channel)(?![\w])"
    r"|문의|안내|신고"
)
# The request word as a label opening its line: "Enquiries: ", "For inquiries, ", "문의: ".
_REQUEST_LABEL = re.compile(
    r"\s*(?i:for[ ])?(?i:inquiries|enquiries|문의|안내|신고)(?:[ ]?(?:[:：]|,|-|—))"
)
_NAMED_ORGANISATION = re.compile(
    r"(?<![\w])(?:[A-Z][\w&'-]*[ ]){0,4}(?:Foundation|Association|Institute|Network|Alliance"
    r"|Council|Society|Committee|Centre|Center|Ministry|Agency|Service|Group|Union|Church"
    r"|Corporation|Company|Inc\.?|Ltd\.?|Co\.|University|Radio|News|Times|Post|Daily|Bank)"
    r"(?![\w])"
    # Korean: a ministry or agency (통일부, 경찰청: two syllables at least before 부, 청) or an
    # organisation word, with its case ending
    r"|(?:[가-힣]{2,}(?:부|청)|재단|협회|연구소|연구원|국정원|위원회|센터|교회|은행|방송|신문|법인"
    r"|일보|대학교?)(?:의|은|는|이|가|에서)?(?=[ ])"
)
_PERSONAL = re.compile(
    r"(?i)(?<![\w])(?:his|her|my|their|personal|private|mobile|cell|handset|own|whose|"
    r"brother's|sister's|mother's|father's|relative's"
    # "the account she used in 2023": a person's own, said in a relative clause
    r"|(?:she|he|they)[ ](?:used|uses|use|kept|keeps|had|has|opened|ran|runs))(?![\w])"
    r"|휴대|개인|본인|그의|그녀의"
)


_SENTENCE_STOP = re.compile(r"(?<!\bTel)(?<!\bFax)(?<!\bNo)(?<!\bMob)(?<!\bext)\.[ ]|\n")


def _organisation_line(flat: str, start: int, end: int) -> bool:
    """Whether a phone number belongs to an organisation rather than a person."""
    raw = re.sub(r"[ .()]", "", flat[start:end])
    digits = re.sub(r"\D", "", raw)
    if _SERVICE_NUMBER.match(raw) or len(set(digits[-8:])) == 1:
        return True
    return _organisation_context(flat, start, end)


def _organisation_context(flat: str, start: int, end: int) -> bool:
    """Whether an office, ministry or foundation owns the value, and no person's word is near."""
    before = flat[max(0, start - 90) : start]
    # The sentence the number is in; "Tel. " and "No. " end no sentence.
    ends = [m.end() for m in _SENTENCE_STOP.finditer(before)]
    before = before[ends[-1] :] if ends else before
    after = flat[end : end + 30]
    said = bool(_ORGANISATION_LINE.search(before) or _ORGANISATION_LINE.match(after.strip()))
    if not said and (_REQUEST_LINE.search(before) or _REQUEST_LINE.match(after.strip())):
        said = _NAMED_ORGANISATION.search(before) is not None
        if not said and _REQUEST_LABEL.match(before):
            # "Enquiries: 02-…" closing a statement: the line of the body the text is about
            earlier = flat[max(0, start - 300) : start - len(before)]
            said = bool(_ORGANISATION_LINE.search(earlier) or _NAMED_ORGANISATION.search(earlier))
    return said and not _PERSONAL.search(before[-45:])


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
        services: list[tuple[int, int]] = []
        # Every valid number has five digits or more (a country code and four): a text with no
        # such cluster of digits is not handed to the matcher, once per region, at all.
        regions = self.regions if _DIGIT_CLUSTER.search(flat) else ()
        for region in regions:
            for number in phonenumbers.PhoneNumberMatcher(
                flat, region, leniency=phonenumbers.Leniency.VALID, max_tries=10_000
            ):
                if phonenumbers.number_type(number.number) in _SERVICE_TYPES:
                    # A toll-free, premium or shared-cost line is an organisation's.
                    services.append((number.start, number.end))
                    continue
                score = (
                    0.85 if _near(flat, number.start, number.end, PHONE_CONTEXT, window=60) else 0.7
                )
                found.setdefault(
                    (number.start, number.end),
                    Detection(PHONE, number.start, number.end, score, self.name),
                )
        taken = sorted([*found, *services])
        for match in itertools.chain(_DIGIT_RUN.finditer(flat), _BARE_DIGITS.finditer(flat)):
            raw = match.group().strip()
            digits = sum(c.isdigit() for c in raw)
            # "8613944310021": a mobile number written without separators, next to a phone word.
            bare_mobile = _BARE_MOBILE.match(raw) is not None
            if digits < 8 or digits > 15 or _DATE_LIKE.match(raw):
                continue
            if _NUMBER_LIKE.match(raw) and not bare_mobile:
                continue
            start, end = match.start(), match.end()
            if _other_number(flat, start, end):
                continue  # a bank account, a case, receipt or tracking number
            has_plus = raw.startswith("+")
            inside = [(s, e) for s, e in taken if s < end and start < e]
            if (
                inside
                and has_plus
                and all(start <= s and e <= end and (s, e) in found for s, e in inside)
            ):
                # "+44 (0)7700 900 321": a number read without its country code; take it whole.
                for span in inside:
                    found.pop(span, None)
            elif inside:
                continue
            if has_plus or _near(flat, start, end, PHONE_CONTEXT, window=60):
                found[(start, end)] = Detection(PHONE, start, end, 0.6, self.name)
        for match in _PHONE_SHAPE.finditer(flat):
            start, end = match.start(), match.end()
            if _overlaps([*found, *services], start, end):
                continue
            national = re.sub(r"\D", "", match.group())
            if any(_valid_in(national, region) for region in self.regions):
                found[(start, end)] = Detection(PHONE, start, end, 0.7, self.name)
        fragments = 0
        for match in _PLUS_FRAGMENT.finditer(flat):
            start, end = match.start(), match.end()
            code = int(re.split(r"[ -]", match.group(), maxsplit=1)[0][1:])
            if (
                code in phonenumbers.COUNTRY_CODE_TO_REGION_CODE
                and not _overlaps([*found, *services], start, end)
                and _near(flat, start, end, _PARTS_OF_A_NUMBER, window=60)
            ):
                found[(start, end)] = Detection(PHONE, start, end, 0.6, self.name)
                fragments += 1
        if fragments:
            # the rest of a number whose first part was given with its country code
            for match in _NUMBER_REST.finditer(flat):
                start, end = match.start("rest"), match.end("rest")
                if not _overlaps([*found, *services], start, end):
                    found[(start, end)] = Detection(PHONE, start, end, 0.6, self.name)
        for match in _MASKED_PHONE.finditer(flat):
            raw = match.group()
            masks = sum(c in "*xX●○" for c in raw)
            shown = sum(c.isdigit() for c in raw)
            start, end = match.start(), match.end()
            if masks >= 2 and shown >= 4 and not _overlaps(found, start, end):
                found[(start, end)] = Detection(PHONE, start, end, 0.7, self.name)
        for match in _SPELT_PHONE.finditer(flat):
            start, end = match.start(), match.end()
            # "... 이이구공이다": the copula's 이 is no digit.
            if flat[end - 1] == "이" and re.match(r"[가-힣]", flat[end : end + 1]):
                end -= 1
            if re.match(r"[가-힣]", flat[end : end + 1]) and not re.match(
                r"(?:이|가|을|를|은|는|으로|로|에|과|와|다|였|이었|입|인|라|야|요|번)",
                flat[end : end + 3],
            ):
                continue  # the digits run into a longer Korean word
            chinese = "".join(
                str(_CHINESE_DIGITS[c]) for c in flat[start:end] if c in _CHINESE_DIGITS
            )
            digit_words = len(re.findall(_DIGIT_WORD, flat[start:end], re.IGNORECASE))
            if (
                _near(flat, start, end, PHONE_CONTEXT, window=60)
                # nine digits read out one by one are a number, whatever is said around them
                or digit_words >= 9
                # a number in Chinese numerals that is a valid number needs no phone word
                or (chinese and any(_valid_in(chinese, region) for region in self.regions))
            ):
                found[(start, end)] = Detection(PHONE, start, end, 0.6, self.name)
        addresses = [match.span() for match in WEB_ADDRESS.finditer(flat)]
        widened: list[Detection] = []
        for detection in found.values():
            extension = _EXTENSION.match(flat, detection.end)
            if extension:
                detection = replace(detection, end=extension.end())
            widened.append(detection)
            sibling = _SIBLING_NUMBER.match(flat, detection.end)
            if sibling:
                # the same person's second line, written as the first one's last digits
                widened.append(replace(detection, start=sibling.start(1), end=sibling.end(1)))
        return [
            d
            for d in widened
            if not _organisation_line(flat, d.start, d.end)
            and not (flat[d.start] != "+" and _other_number(flat, d.start, d.end))
            and not _table_row(flat[d.start : d.end])
            and not _in_a_web_address(flat, d.start, addresses)
        ]


def _table_row(value: str) -> bool:
    """Whether digits read as a number are a row of a table ("2339 1 1 8 17 8": points, wins,
    places): single digits beside longer groups. A number read out digit by digit has only
    single digits after its country code ("+86 1 3 8 4 ...")."""
    groups = re.findall(
        r"\d+", value.lstrip("+").split(" ", 1)[-1] if value.startswith("+") else value
    )
    singles = sum(len(group) == 1 for group in groups)
    return singles >= 2 and singles < len(groups)


def _other_number(flat: str, start: int, end: int) -> bool:
    """Whether the digits at ``start:end`` are a bank account, a case, receipt or tracking
    number by the words around them."""
    return bool(
        _OTHER_NUMBER_BEFORE.search(flat, max(0, start - 30), start)
        or re.match(r"[ ]?계좌", flat[end : end + 3])
    )


def _overlaps(spans: Iterable[tuple[int, int]], start: int, end: int) -> bool:
    """Whether any of ``spans`` (start, end) overlaps ``[start, end)``."""
    return any(s < end and start < e for s, e in spans)


def _valid_in(digits: str, region: str) -> bool:
    """Whether ``digits`` are a valid number of ``region`` (a national number)."""
    try:
        return phonenumbers.is_valid_number(phonenumbers.parse(digits, region))
    except phonenumbers.NumberParseException:
        return False


# --- messenger IDs and e-mail ------------------------------------------------------------------

_MESSENGERS = (
    # Names that are no English word are read in any case ("his wechat is ..."); "Line",
    # "Signal" and "Threads" only capitalised.
    r"(?i:WeChat|Weixin|KakaoTalk|Kakao Talk|Kakao|Telegram|WhatsApp|Viber|Zalo|Skype"
    r"|Instagram|TikTok|Douyin|VKontakte|Weibo|Facebook|Snapchat|YouTube|Discord)"
    r"|微信|카카오톡|카톡|텔레그램|Line|LINE|라인|Signal|QQ|위챗|큐큐|왓츠앱|시그널|인스타그램|유튜브"
    r"|抖音|VK|ВКонтакте|微博|페이스북|Threads|디스코드"
)
# A messenger's name, or a word that introduces an ID; the ID follows within a short window.
_ID_KEYWORD = re.compile(
    rf"(?<![A-Za-z])(?:{_MESSENGERS}|ID|I\.D\.|handle|username|user name|account(?: name)?|아이디"
    # a forum's byline: "Posted by hamgyong_mom:", "Reply from jinju_sister:"
    r"|계정|메신저|[Pp]osted by|[Rr]eply from|[Rr]eplied|작성자|닉네임)(?![A-Za-z])"
)
# An ID: letters and digits with an underscore, dot, hyphen or digit in it (a plain word is
# prose), an @handle, or a bare number of 5 to 12 digits (QQ and Line numbers).
#: The end of the sentence an ID is sought in; "Mrs. Yun's bokhee.yun63" goes on after "Mrs.".
_ID_SENTENCE_STOP = re.compile(r"(?<!\bMr)(?<!\bMrs)(?<!\bMs)(?<!\bDr)(?<!\bSt)[.!?](?:\s|$)")
#: A blank line between paragraphs (or a headline and its story), read in the text as written:
#: the normalised text has spaces for line breaks, so that names split across lines stay names.
_PARAGRAPH_BREAK = re.compile(r"\n[ \t\r\u00a0]*\n")
#: A compound of lower-case words ("family-run", "so-called", "end-to-end"): prose when it
#: modifies the word after it, unless a keyword names it outright ("handle jlim-eng").
_COMPOUND_WORD = re.compile(r"[a-z]+(?:-[a-z]+)+")
_LOWER_WORD_AFTER = re.compile(r"[ ][a-z]")
#: A Discord name with its four-digit tag ("solbit#4471").
_DISCORD = r"[A-Za-z][A-Za-z0-9_.]{1,31}#\d{4}(?![A-Za-z0-9_#])"
_ID_TOKEN = re.compile(
    # "minsu_k#2231": a Discord name with its tag
    rf"(?<![\w@.+:-])(?:{_DISCORD}"
    r"|@[A-Za-z][A-Za-z0-9_.]{2,40}[A-Za-z0-9_]"
    # "live:jinhua_88": Skype's prefix belongs to the ID
    r"|(?:live:)?[A-Za-z][A-Za-z0-9]{0,40}[_.\-0-9][A-Za-z0-9_.\-]{0,40}[A-Za-z0-9_]"
    # a KakaoTalk nickname in Hangul with digits ("희망이88")
    r"|[가-힣]{1,10}\d{1,6}(?![0-9])"
    r"|[A-Za-z0-9_]{0,20}_[A-Za-z0-9_]{1,20}"
    r"|\d{5,12})(?![A-Za-z0-9_@-]|\.[A-Za-z])"
)
_AT_HANDLE = re.compile(
    # a Korean particle may follow at once ("@pyongnaeng_unni이고요")
    # a video site's default handle holds hyphens ("@user-kx7qp2")
    r"(?<![\w@.])@[A-Za-z][A-Za-z0-9_-]{2,30}[A-Za-z0-9_](?:\.[A-Za-z0-9_]{1,30}){0,3}"
    r"(?![A-Za-z0-9_@-])"
)
#: Skype's account names ("live:.cid.9a3f5e21c0b4d7e1", "live:jinhua_88"): always an ID.
_SKYPE_LIVE = re.compile(r"(?<![\w:])live:[A-Za-z0-9._-]{2,60}[A-Za-z0-9_]")
_DISCORD_TAG = re.compile(rf"(?<![\w#@.]){_DISCORD}")
#: Links that open a chat with one account: always an ID.
_CHAT_LINK = re.compile(
    r"(?<![\w/.])(?:https?://)?(?:t\.me|telegram\.me|wa\.me|line\.me/ti/p|qr\.kakao\.com"
    r"|open\.kakao\.com/(?:o|me)|u\.wechat\.com"
    # A social network's page of one account: "vk.com/id48213377", "instagram.com/minji.k".
    r"|(?:www\.|m\.)?(?:vk\.com|ok\.ru/profile|instagram\.com|facebook\.com|fb\.com|m\.me"
    r"|weibo\.com(?:/u)?|douyin\.com/user|tiktok\.com|x\.com|twitter\.com|zalo\.me"
    # a person's page on a code host, a video site or a job network
    r"|github\.com|gitlab\.com|linkedin\.com/in|youtube\.com(?:/c|/channel|/user)?))"
    r"/@?[A-Za-z0-9_~+.-]{2,64}[A-Za-z0-9_]"
    # a Reddit user: "u/sinuiju_throwaway"
    r"|(?<![\w/])u/[A-Za-z0-9_-]{3,20}(?![\w-])"
)
_ON_MESSENGER = re.compile(
    rf"[ ](?:on|via|through|in)[ ](?:(?:his|her|their)[ ])?(?:{_MESSENGERS})(?![A-Za-z])"
    # "ridh_77 (kakao)": the messenger in brackets after the ID
    rf"|[ ]?\((?:{_MESSENGERS})(?:[ ]ID)?\)"
)
_ID_TOKEN_BEFORE = re.compile(
    r"(?<![\w@.+:-])(?P<id>@?[A-Za-z][A-Za-z0-9]{0,40}[_.0-9][A-Za-z0-9_.]{0,40}[A-Za-z0-9_]"
    r"|@[A-Za-z][A-Za-z0-9_]{2,40})$"
)
MESSENGER_CONTEXT = re.compile(
    rf"(?<![\w])(?:(?:{_MESSENGERS}|(?i:messenger|messaging|handles?|channels?|chat|DM|accounts?"
    r"|users?|usernames?))(?![\w])"
    # a Korean word carries its particle: "이용자는", "채널에"
    r"|채널|구독|이용자|사용자|닉네임)"
)
_ID_WINDOW = 45
#: Words run together with dots in a row ("community...and"): prose, not an ID, unless the ID
#: is named right after its keyword.
_PROSE_TOKEN = re.compile(r".*\.{2,}.*")
_ALNUM = re.compile(r"[A-Za-z0-9]")
#: Between a keyword and the ID it names outright: "handle jlim-eng", "ID: kim-su", "is".
_ID_SAID = re.compile(r"[ ]?(?:[:：]|is|was|은|는)?[ ]?[\"“'‘]?")
# A handle that is a plain word, where a messenger's "ID is" or "username:" names it outright:
# "her KakaoTalk ID is sunnyday", "Telegram username: kimcs", "카톡 아이디는 haneul이다".
_PLAIN_HANDLE = re.compile(
    rf"(?:(?:{_MESSENGERS})[ ](?:ID|username|user name|handle|account)|아이디|계정)"
    r"(?:[ ]?(?:is|was|:|은|는|이|가))?,?[ ][\"“'‘]?(?P<handle>[a-z][a-z0-9]{3,30})[\"”'’]?"
    r"(?=[ ]?(?:[,.;)]|$|이다|이며|였다|로|으로|을|를)|[ ](?:and|but|on|in|for|to)\b)"
)


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
        for match in _CHAT_LINK.finditer(flat):
            found[(match.start(), match.end())] = Detection(
                MESSENGER_ID, match.start(), match.end(), 0.95, self.name
            )
        for keyword in _ID_KEYWORD.finditer(flat):
            # The ID starts within the window and may run past it ("... of a cousin,
            # wangmeili_tl"): it is cut only by the end of the sentence.
            window_end = min(len(flat), keyword.end() + _ID_WINDOW)
            reach = min(len(flat), window_end + 64)
            stop = _ID_SENTENCE_STOP.search(flat, keyword.end(), reach)
            reach = stop.start() if stop else reach
            # a headline naming a messenger does not reach into the story below it
            paragraph = _PARAGRAPH_BREAK.search(text, keyword.end(), reach)
            reach = paragraph.start() if paragraph else reach
            token = _ID_TOKEN.search(flat, keyword.end(), reach)
            if token is None or token.start() >= window_end:
                continue
            value = token.group()
            between = flat[keyword.start() : token.start()]
            if value.isdigit() and not re.search(
                r"QQ|Line|LINE|라인|큐큐|number|번호|ID|아이디", between
            ):
                continue
            if _looks_like_other(value) or len(value) < 4 or not _ALNUM.search(value):
                continue  # "______": a rule drawn under a paragraph
            said = _ID_SAID.fullmatch(flat, keyword.end(), token.start())
            if _PROSE_TOKEN.fullmatch(value) and not said:
                continue  # "the YouTube gaming community...and that": words run together
            if (
                _COMPOUND_WORD.fullmatch(value)
                and _LOWER_WORD_AFTER.match(flat, token.end())
                and not said
            ):
                continue  # "WeChat to send money through family-run brokers": a modifier
            if any(s <= token.start() < e for s, e in found):
                continue
            found[(token.start(), token.end())] = Detection(
                MESSENGER_ID, token.start(), token.end(), 0.9, self.name
            )
        # "message sunny_88 on KakaoTalk": the ID right before "on <messenger>".
        for match in _ON_MESSENGER.finditer(flat):
            token = _ID_TOKEN_BEFORE.search(flat, max(0, match.start() - 60), match.start())
            if token is None or _looks_like_other(token.group("id")):
                continue
            start, end = token.start("id"), token.end("id")
            if not any(s <= start < e for s, e in found):
                found[(start, end)] = Detection(MESSENGER_ID, start, end, 0.85, self.name)
        for match in _PLAIN_HANDLE.finditer(flat):
            start, end = match.start("handle"), match.end("handle")
            if match.group("handle") in COMMON_WORDS or any(s <= start < e for s, e in found):
                continue
            found[(start, end)] = Detection(MESSENGER_ID, start, end, 0.8, self.name)
        for match in _SKYPE_LIVE.finditer(flat):
            if not any(s <= match.start() < e for s, e in found):
                found[(match.start(), match.end())] = Detection(
                    MESSENGER_ID, match.start(), match.end(), 0.9, self.name
                )
        for match in _DISCORD_TAG.finditer(flat):
            start, end = match.start(), match.end()
            if _overlaps(found, start, end):
                continue
            if _near(flat, start, end, MESSENGER_CONTEXT, window=200) or _in_contact_row(
                flat, start, end
            ):
                found[(start, end)] = Detection(MESSENGER_ID, start, end, 0.8, self.name)
        for match in _AT_HANDLE.finditer(flat):
            start, end = match.start(), match.end()
            if any(s <= start < e for s, e in found):
                continue
            if _near(flat, start, end, MESSENGER_CONTEXT, window=160) or _in_contact_row(
                flat, start, end
            ):
                found[(start, end)] = Detection(MESSENGER_ID, start, end, 0.8, self.name)
        # "The embassy's WeChat account is ...": an organisation's account is a look-alike.
        return [d for d in found.values() if not _organisation_context(flat, d.start, d.end)]


def _in_contact_row(flat: str, start: int, end: int) -> bool:
    """Whether a handle stands in a row of one person's contacts: an e-mail address or a link
    to an account within a few words of it ("danpark.builds@gmail.com, dpark_dev#0912")."""
    return _near(flat, start, end, _EMAIL, window=60) or _near(
        flat, start, end, _CHAT_LINK, window=60
    )


def _in_a_web_address(flat: str, start: int, addresses: list[tuple[int, int]]) -> bool:
    """Whether digits at ``start`` are part of a web address's slug or id ("...-report-
    51574168486", "/article/a12345678"), not a number written into a link to call or message it
    ("wa.me/8613944310021", "tel:+82...", "?phone=010..."). ``addresses``: the text's web
    addresses, in order."""
    index = bisect.bisect_right(addresses, (start, len(flat))) - 1
    if index < 0 or not addresses[index][0] < start < addresses[index][1]:
        return False
    return flat[start - 1].isalnum() or flat[start - 1] in "-_"


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
_OBFUSCATED_EMAIL = re.compile(
    # "(골뱅이)" is how Korean spells "@" out; "(점)", "(닷)" its dot
    r"(?<![\w.+-])[A-Za-z0-9][A-Za-z0-9._+-]{0,63}[ ]?(?:[\[({](?:at|골뱅이)[\])}])[ ]?"
    r"[A-Za-z0-9-]{1,63}(?:[ ]?(?:[\[({](?:dot|점|닷)[\])}]|\.)[ ]?[A-Za-z]{2,10}){1,3}"
    # "kim.sr1990 at naver dot com": spelt out with bare words
    r"|(?<![\w.+-])[A-Za-z0-9][A-Za-z0-9._+-]{0,63}(?:[ ](?:dot|DOT)[ ][A-Za-z0-9_+-]{1,30}){0,3}"
    r"[ ](?:at|AT)[ ][A-Za-z0-9-]{1,63}"
    r"(?:[ ](?:dot|DOT)[ ][A-Za-z]{2,10}){1,3}(?![\w])"
)
#: Government, international and organisational domains: a staff address there is an office's.
_INSTITUTION_DOMAIN = re.compile(
    r"(?:\.go\.kr|korea\.kr|\.gov(?:\.[a-z]{2})?|\.int|\.mil|un\.org|\.edu|\.ac\.[a-z]{2}|\.org"
    r"|\.or\.[a-z]{2}|\.org\.[a-z]{2}|\.go\.[a-z]{2})$"
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


def _spelt_emails(flat: str) -> Iterator[re.Match[str]]:
    """Spelt-out addresses; "write to him at sunjin dot park at ..." starts after "him at"."""
    position = 0
    while (match := _OBFUSCATED_EMAIL.search(flat, position)) is not None:
        first = re.match(r"[A-Za-z]+[ ](?:at|AT)[ ]", match.group())
        if first and first.group().split()[0].casefold() in COMMON_WORDS:
            position = match.start() + first.end()  # the address starts after "him at"
            continue
        yield match
        position = match.end()


@dataclass(frozen=True, slots=True)
class EmailRecogniser:
    """E-mail addresses, except an organisation's desk (press@, info@ ...)."""

    name: str = "email"

    def analyse(self, text: str, flat: str) -> list[Detection]:
        detections = []
        for match in [*_EMAIL.finditer(flat), *_spelt_emails(flat)]:
            local = re.split(r"@|[ ]?[\[({](?:at|골뱅이)[\])}]", match.group(), maxsplit=1)[0]
            local = local.casefold()
            domain = match.group().rsplit("@", 1)[-1].casefold()
            if local in _DESK_MAILBOXES or _INSTITUTION_DOMAIN.search(domain):
                continue
            detections.append(Detection(EMAIL, match.start(), match.end(), 0.9, self.name))
        return detections


# --- street addresses ---------------------------------------------------------------------------

_STREET_WORDS = (
    r"Street|St\.?|Road|Rd\.?|Avenue|Ave\.?|Lane|Ln\.?|Boulevard|Blvd\.?|Drive|Dr\.?|Way|Alley"
    r"|Place|Pl\.?|Court|Ct\.?|Terrace|Ulitsa|ulitsa|Prospekt|Jie|Lu|Dajie|Hutong"
    r"|Gardens|Gdns|Close|Crescent|Square|Sq\.?|Row|Grove|Walk|Mews|Parade|Highway|Hwy\.?"
    r"|Circle|Parkway|Pkwy\.?|Quay|Embankment|Turnpike|Tpke\.?"
)
_CAPWORD = r"[A-Z][A-Za-z'’.-]{0,30}"
_UNIT = r"(?:Apt\.?|Apartment|Unit|Flat|Room|Suite|No\.?|#)[ ]?\d{1,5}[A-Za-z]?"
# British ("KT3 5QR"), Canadian ("M4W 2V5") and five-digit postcodes.
_POSTCODE = r"(?:[A-Z]{1,2}\d[A-Z\d]?[ ]\d[A-Z]{2}|[A-Z]\d[A-Z][ ]?\d[A-Z]\d|\d{5}(?:-\d{4})?)"
_COMPASS = r"(?:N|S|E|W|NE|NW|SE|SW|North|South|East|West)"
_KO_REGION = (
    r"(?:(?:서울|부산|대구|인천|광주|대전|울산|세종|경기|강원|충북|충남|전북|전남|경북|경남|제주)"
    r"(?:특별시|광역시|특별자치시|도)?[ ]|[가-힣]{1,6}(?:시|도|구|군|읍|면)[ ]){0,3}"
)
# At least one region, city or district before the street ("단둥시 전흥구 ...").
_KO_REGION1 = (
    r"(?:(?:서울|부산|대구|인천|광주|대전|울산|세종|경기|강원|충북|충남|전북|전남|경북|경남|제주)"
    r"(?:특별시|광역시|특별자치시|도)?[ ]|[가-힣]{1,6}(?:시|도|구|군|구역|현)[ ]){1,3}"
)
_STREET = re.compile(
    # "Flat 4, 22 Amber Lane, New Malden KT3 5QR", "221B Baker Street, Apt 3", "14 Sinchon-ro"
    rf"(?<![\w-])(?:{_UNIT},?[ ])?\d{{1,5}}(?:-\d{{1,4}})?[A-Za-z]?,?[ ](?:{_CAPWORD}[ ]){{0,3}}"
    rf"(?:{_CAPWORD}-(?:ro|gil|daero|dong|ri|gu)\b|{_CAPWORD}[ ](?:{_STREET_WORDS})(?![\w])"
    # "3350 W 6th St": a compass point and a numbered street
    rf"|{_COMPASS}\.?[ ]\d{{1,3}}(?:st|nd|rd|th)[ ](?:{_STREET_WORDS})(?![\w]))"
    # "2150 Lawrence Ave E", "5 Sherbourne Street North": a street's compass point
    rf"(?:[ ]{_COMPASS}\b)?"
    rf"(?:,?[ ]{_UNIT})?(?:,[ ](?:{_CAPWORD}[ ]){{0,2}}{_POSTCODE}|[ ]{_POSTCODE})?"
    # "Sinchon-ro 14-3", "ulitsa Russkaya 57"
    rf"|(?<![\w])(?:{_CAPWORD}[ ]){{0,3}}{_CAPWORD}-(?:ro|gil|daero|dong)[ ]"
    r"\d{1,5}(?:-\d{1,5}|-(?:ban|inminban))?"
    rf"(?:,?[ ]{_UNIT})?"
    rf"|(?<![\w])(?:ulitsa|ul\.|prospekt|pr\.|pereulok|per\.|Ulitsa|Prospekt)[ ]{_CAPWORD}"
    r"(?:[ ][A-Z][a-z]+)?,?[ ](?:d\.[ ]?)?\d{1,5}[A-Za-z]?(?:/\d{1,4})?"
    # "Promyshlennaya ul. 9", "Juzi Street 332": the street's name, its word, then the number
    rf"|(?<![\w])(?:{_CAPWORD}[ ]){{0,2}}{_CAPWORD}[ ](?:ul\.|ulitsa|prospekt|pr\.|per\."
    r"|Street|St\.|Road|Rd\.|Lu|Jie|Dajie|Avenue)[ ](?:d\.[ ]?)?\d{1,5}[A-Za-z]?(?:/\d{1,4})?"
    r"(?![\w.,]\d|[ ]?(?:%|percent|people|years|km|miles))"
    # "3-14-2 Nishi-Kasai, Edogawa-ku": a Japanese block address and its ward or city
    r"|(?<![\w-])\d{1,2}-\d{1,3}(?:-\d{1,3})?[ ][A-Z][a-z]{1,20}(?:-[A-Z][a-z]{1,20})?"
    r",[ ][A-Z][a-z]{1,20}-(?:ku|shi|machi|cho|gun)\b"
    # "No. 8, Lane 3, Xinhua Street": a Chinese lane address
    rf"|(?<![\w])No\.?[ ]?\d{{1,5}},[ ](?:Lane|Alley)[ ]\d{{1,4}},[ ](?:{_CAPWORD}[ ]){{0,2}}"
    rf"{_CAPWORD}[ ](?:{_STREET_WORDS})(?![\w])"
    # "ул. Ленинская Слобода, д. 26", "проспект Мира 12"
    r"|(?<![\w])(?:ул\.|улица|пр\.|проспект|пр-т|пер\.|переулок|ш\.|шоссе|наб\.)[ ]?"
    r"[А-ЯЁ][а-яё]{1,30}(?:-[А-ЯЁа-яё][а-яё]{1,30})?(?:[ ][А-ЯЁа-яё][а-яё-]{1,30})?,?[ ]"
    r"(?:д\.[ ]?)?\d{1,5}[а-я]?(?:/\d{1,4})?"
    # "Hyesan-si Songbong-dong 7-ban": a North Korean city, quarter and neighbourhood unit
    r"|(?<![\w-])[A-Z][a-z]{1,20}-(?:si|gun|guyok|kuyok|gu)[ ][A-Z][a-z]{1,20}-(?:dong|ri)"
    r"(?:[ ]\d{1,3}-?(?:ban|inminban))?"
    # "88/14 Soi Ramkhamhaeng 24": Thai lanes (soi) and villages (moo)
    r"|(?<![\w/])\d{1,5}(?:/\d{1,5})?[ ](?:Soi|Moo|Thanon)[ ](?:[A-Z][a-z]{1,30}|\d{1,3})"
    r"(?:[ ]\d{1,3})?"
    # "Villa 23, Street 14": Gulf addresses number the street
    r"|(?<![\w])(?:Villa|House|Plot|Building)[ ]\d{1,5}[A-Za-z]?,[ ](?:Street|St\.?|Road)[ ]\d{1,4}"
    r"[A-Za-z]?(?![\w])"
    # "apartment 1203", "Flat 4, Room 2": a dwelling's number
    r"|(?<![\w])(?:[Aa]partment|[Aa]pt\.?|[Ff]lat)[ ]\d{1,5}[A-Za-z]?"
    r"(?:,?[ ](?:[Uu]nit|[Rr]oom|[Ff]lat|[Aa]partment|[Ff]loor)[ ]\d{1,5})?"
    # "Building 5, Unit 302": a building's, block's or unit's number with the dwelling's after
    # it; alone, see _LONE_PART
    r"|(?<![\w])(?:[Bb]uilding|[Bb]lock|[Uu]nit)[ ]\d{1,5}[A-Za-z]?"
    r",?[ ](?:[Uu]nit|[Rr]oom|[Ff]lat|[Aa]partment|[Ff]loor)[ ]\d{1,5}"
    # Korean: "서울 양천구 목동서로 77, 1502호", "대구 달서구 월배로 188, 305동 1104호"
    rf"|{_KO_REGION}[가-힣0-9]{{1,10}}(?:(?<!으)로|길|대로)(?:[ ]?\d{{1,4}}(?:번)?길)?[ ]?\d{{1,5}}"
    r"(?:-\d{1,5})?"
    r"(?![0-9]|[ ]?(?:명|개|년|월|일|세|살|시|분|차|번째|대|척|발|곳|kg|톤|%))"
    r"(?:번길[ ]?\d{1,5})?"
    # ", 현대아파트 103동 1204호", ", 2층": the building, block and flat, or the floor
    r"(?:,?[ ]?(?:[가-힣A-Za-z]{1,12}[ ]?)?(?:\d{1,4}동[ ]?)?\d{1,5}호"
    r"|,[ ]?(?:지하[ ]?)?\d{1,3}층)?"
    rf"|{_KO_REGION}[가-힣]{{1,10}}동[ ]?\d{{1,5}}(?:-\d{{1,5}})?[ ]?번지"
    # "평택시 비전동 812-4, 202호", "혜산시 위연동 17인민반", "마르크스 거리 61", "강성대가 88호"
    rf"|{_KO_REGION1}[가-힣]{{1,10}}(?:동|리)[ ]?\d{{1,5}}-\d{{1,5}}"
    # the building may be named, or masked by the writer ("○○빌라 301호")
    r"(?:,?[ ]?(?:[가-힣A-Za-z○●]{1,12}[ ]?)?(?:\d{1,4}동[ ]?)?\d{1,5}호)?"
    rf"|{_KO_REGION1}[가-힣]{{1,10}}(?:동|리|로동자구)[ ]?\d{{1,3}}[ ]?인민반"
    rf"|{_KO_REGION1}[가-힣]{{1,16}}[ ]?"
    r"(?:(?:거리|대가)[ ]?\d{1,5}(?:호|번지)?|가[ ]?\d{1,5}(?:호|번지))"
    r"(?![0-9]|[ ]?(?:명|개|년|월|일|세|살|천|만|억|여|km|m\b))"
    r"|\d{1,4}동[ ]?\d{1,5}호"
    # Chinese: "丹东市振兴区 锦山大街 88号 3栋", "延吉市河南街112号"
    r"|(?:[\u4e00-\u9fff]{1,6}(?:省|市|区|區|县|縣|镇|鎮|乡|鄉)[ ]?){0,3}[\u4e00-\u9fff]{1,8}"
    r"(?:路|街|大街|道|巷|胡同|里)[ ]?\d{1,5}(?:-\d{1,4})?号"
    r"(?:[ ]?\d{1,4}(?:栋|棟|楼|樓|号楼|单元|單元|室|层))*"
    # a village's group and house: "吉林省汪清县天桥岭镇新兴村3组18号"
    r"|(?:[\u4e00-\u9fff]{1,6}(?:省|市|区|區|县|縣|镇|鎮|乡|鄉)[ ]?){0,4}[\u4e00-\u9fff]{1,8}"
    r"(?:村|屯)[ ]?\d{1,3}(?:组|組|队|隊|社)(?:[ ]?\d{1,5}号)?"
    # Japanese: "東京都足立区西新井本町2-14-6": the prefecture, the city or ward, the blocks
    r"|[\u4e00-\u9fff]{1,3}(?:都|道|府|県)[\u4e00-\u9fff\u3040-\u30ff]{1,12}?(?:市|区|郡|町|村)"
    r"[\u4e00-\u9fff\u3040-\u30ff]{0,12}?\d{1,4}(?:[-‐－]\d{1,4}){1,3}"
    # a Chinese village written in Hangul: "목단강시 양명구 철령진 홍기촌 3조"
    r"|[가-힣]{1,6}시[ ][가-힣]{1,6}(?:구|현|시)[ ](?:[가-힣]{1,6}(?:진|향)[ ])?[가-힣]{1,6}촌"
    r"(?:[ ]\d{1,3}조)?"
    # and in pinyin: "Taiping cun 7 zu, Xingkaihu xiang, Mishan"
    r"|(?<![\w])[A-Z][a-z]{1,20}[ ]?cun(?:[ ]\d{1,3}[ ]?zu)?"
    r"(?:,[ ][A-Z][a-z]{1,20}[ ]?(?:xiang|zhen|xian|qu|shi|jiedao))+(?:,[ ][A-Z][a-z]{1,20})?"
    # Vietnamese: "Số 27, ngõ 84 Trần Quang Diệu, Đống Đa, Hà Nội"
    r"|(?<![\w])(?:[Ss]ố[ ]\d{1,5}[A-Za-z]?,?[ ])?(?:ngõ|ngách|hẻm|kiệt|Ngõ|Hẻm)[ ]\d{1,5}"
    r"(?:/\d{1,5})?,?(?:[ ][A-ZĐ][^\W\d_]{0,10}){1,4}(?:,(?:[ ][A-ZĐ][^\W\d_]{0,10}){1,3}){0,3}"
    # a labour camp's room: "Room 14, Block B, Al Quoz Labour Camp 3, Dubai"
    r"|(?<![\w])Room[ ]\d{1,5},[ ]Block[ ][A-Z0-9]{1,3},[ ](?:[A-Z][A-Za-z]+[ ]){1,4}"
    r"(?:Camp|Compound|Accommodation|Residence)(?:[ ]\d{1,3})?(?:,[ ][A-Z][a-z]{2,20})?"
)
_ADDRESS_PART = (
    r"(?:Bldg\.?|Building|Block|Unit|Apt\.?|Apartment|Flat|Room|Suite|Floor|Villa|kv\.?|korp\.?"
    r"|korpus|kvartira|stroenie|vagon|кв\.|корп\.|стр\.|д\.|к\.)[ ]?[\dA-Z][\d-]{0,11}[A-Z]?"
)
_ADDRESS_TAIL = re.compile(
    # a postcode, a US state and ZIP code ("VA 22030"), or a part followed by punctuation
    rf",?[ ](?:{_POSTCODE}(?![\w])|[A-Z]{{2}}[ ](?:\d{{5}}(?:-\d{{4}})?|[A-Z]\d[A-Z][ ]?\d[A-Z]\d)"
    r"(?![\w])"
    rf"|(?:{_ADDRESS_PART}|\d{{1,5}}(?:beon)?-(?:gil|ro)"
    # "Gojan-ro 15, 807-1203": the block and flat after a Korean road address
    r"|\d{1,4}-\d{1,5}"
    rf"|[A-Z][a-z]{{1,20}}-(?:gu|dong|si|ro|gil|daero|ri|myeon|eup|gun|do)"
    rf"|[A-Z][a-z]{{1,20}}(?:[ ][A-Z][a-z]{{1,20}}){{0,2}}(?:[ ]\d{{1,3}})?"
    rf"|[А-ЯЁ][а-яё-]{{2,20}}(?=[,.;\"”’')]))"
    rf"(?=[,.;\"”’')]|[ ]\d|[ ][A-Z]{{1,2}}\d|[ ](?:and|with|where|in|on|for|to|as)\b|$))"
)
_ADDRESS_HEAD = re.compile(
    # "103-1204, Hyundai Apt, 88 Dongtan-daero": block and flat, and the building's name
    rf"(?:(?:{_ADDRESS_PART}|\d{{1,5}}-(?:ho|dong)|\d{{1,4}}-\d{{1,5}}"
    r"|[A-Z][a-z]{1,20}[ ](?:Apt|Apts|Apartments?|Villa|Mansion|Officetel|Tower)\.?"
    # "Владивосток, ул. Алеутская, д. 45": the city written first, as Russian addresses do,
    # maybe with its "г." ("city"); "2F, 9 Suyu-ro": a floor before a Korean road address
    r"|(?<![\w])(?:г\.[ ]?)?[А-ЯЁ][а-яё-]{2,20}|(?<![\w])(?:\d{1,2}F|B\d))"
    r",[ ]){1,3}$"
)
ADDRESS_CONTEXT = re.compile(
    r"(?i)(?<![\w])(?:lives?|living|lived|address|apartment|flat|house|home|resides?|stays?"
    r"|staying|moved|rented|shelter|safe house|hideout|room)(?![\w])|주소|거주|살고|집|아파트|숙소"
)


#: A year where a house number would stand ...
_YEAR_NAMED = re.compile(r"(?:19|20)\d\d[ ]")
#: ... and a capitalised word right after the street, which names something else than a
#: district, a city or a flat: the street's name is part of a longer name.
_NAME_GOES_ON = re.compile(
    r"[ ](?!(?:North|South|East|West|Apt|Apartment|Unit|Flat|Room|Suite|Floor|Building)\b)"
    r"[A-Z][a-z]+(?![\w-])"
)
#: A building's, block's or unit's number alone ("in building 7"): part of an address unless
#: the words around say it is a military or intelligence unit or a machine's version ("Hackers
#: of Unit 180", "its Block 1B variant") and not where someone lives.
_LONE_PART = re.compile(r"(?<![\w])(?:[Bb]uilding|[Bb]lock|[Uu]nit)[ ]\d{1,5}[A-Za-z]?(?![\w])")
_NO_HOME_CONTEXT = re.compile(
    r"(?i)(?<![\w])(?:hack(?:er|ers|ing|ed)?|military|army|armed[ ]forces|intelligence|bureau"
    r"|spy|spies|troops?|soldiers?|served|regiment|battalion|brigade|command|cyber"
    r"|variant|version|rocket|launcher|missile|satellite|reactor)(?![\w])"
)


@dataclass(frozen=True, slots=True)
class AddressRecogniser:
    """Street addresses (house number and street, flat numbers; Korean road and block forms).

    A street found is widened over the building and flat numbers before it and the district,
    city, flat number and postcode after it ("Bldg 104, Unit 1203, 88 Gaebong-ro, Guro-gu").
    """

    name: str = "address"

    def analyse(self, text: str, flat: str) -> list[Detection]:
        detections = []
        for match in _STREET.finditer(flat):
            start, end = match.start(), match.end()
            if _YEAR_NAMED.match(match.group()) and _NAME_GOES_ON.match(flat, end):
                continue  # "the 2018 Welcome Daehak-ro Festival": a year and an event's name
            for _ in range(4):
                more = _ADDRESS_TAIL.match(flat, end)
                if more is None:
                    break
                end = more.end()
            head = _ADDRESS_HEAD.search(flat, max(0, start - 60), start)
            if head is not None:
                start = head.start()
            score = 0.8 if _near(flat, start, end, ADDRESS_CONTEXT, window=80) else 0.55
            detections.append(Detection(STREET_ADDRESS, start, end, score, self.name))
        covered = bytearray(len(flat))
        for detection in detections:
            covered[detection.start : detection.end] = b"\x01" * (detection.end - detection.start)
        for match in _LONE_PART.finditer(flat):
            start, end = match.start(), match.end()
            if any(covered[start:end]):
                continue
            if _near(flat, start, end, ADDRESS_CONTEXT, window=60) or not _near(
                flat, start, end, _NO_HOME_CONTEXT, window=60
            ):
                detections.append(Detection(STREET_ADDRESS, start, end, 0.6, self.name))
        return detections


# --- ages and places of origin or residence ----------------------------------------------

_NUMBER_WORD = (
    r"(?:(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)(?:-(?:one|two|three|four|five"
    r"|six|seven|eight|nine))?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve"
    r"|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen)"
)
# "at one point" is no age: only ten and up follow a bare "at".
_NUMBER_WORD_TEN_UP = (
    r"(?:(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)(?:-(?:one|two|three|four|five"
    r"|six|seven|eight|nine))?|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen"
    r"|eighteen|nineteen)"
)
_KOREAN_NUMBER = (
    r"(?:스무|(?:열|스물|서른|마흔|쉰|예순|일흔|여든|아흔)"
    r"(?:하나|한|둘|두|셋|세|넷|네|다섯|여섯|일곱|여덟|아홉)?"
    r"|한|두|세|네|다섯|여섯|일곱|여덟|아홉)"
)
#: A casework list's sex before an age in brackets: the "여, " of "한옥련(여, 39세)".
SEX_MARK = r"(?:여|남)(?:성|자)?[,·・][ ]?"
_AGE = re.compile(
    rf"(?<![\w])(?P<a1>\d{{1,2}}|{_NUMBER_WORD})[- ]years?[- ]old(?![\w])"
    rf"|(?<![\w])(?:[Aa]ged|age|age as|[Nn]ow|[Tt]hen|at age|(?:at|since|from|by) the age of|is"
    r"|was|turned|turns|at|(?<=I )am"
    r"|would be|will be|must be|may be|might be)[ ]"
    rf"(?P<a2>\d{{1,2}}|{_NUMBER_WORD})(?=[ ]?(?:[,.;)](?![ ]?\d)|and\b(?![ ]\d)|when\b|now\b|$"
    r"|[ ]years\b))"
    r"|(?<=[A-Za-z가-힣\u4e00-\u9fff)]),[ ](?P<a3>\d{1,2})"
    # "Another, 15 when she crossed": the age at the time of what follows
    r"(?=,(?!\d)|[ ]and\b|\.(?!\d)|;|[ ]when[ ](?:she|he|they|I)\b)"
    # "left home at fourteen", "At twenty-three, ...", "crossed at 15 to ..."
    rf"|(?<![\w])[Aa]t[ ](?P<a9>{_NUMBER_WORD_TEN_UP})(?![\w-])"
    r"|(?<![\w])at[ ](?P<a10>\d{1,2})"
    r"(?=,[ ][a-z]|[ ](?:to|he|she|they|I|and|when|with|after|before)\b)"
    r"|(?<=[A-Za-z가-힣])[ ]?\((?P<a4>\d{1,2})\)"
    rf"|(?<![\d])(?P<a5>\d{{1,2}}|{_KOREAN_NUMBER})[ ]?(?:세|살)"
    # "두 살일 때", "아홉 살이 되도록": the copula's and the subject's endings too
    r"(?:이다|이며|이고|이었다|였다|였고|이던|이었던|였던|이었을|였을|이라고|이지만|인데|다|에|의|로|인|때"
    r"|일|이|이었고|이라)?"
    r"(?![가-힣])"
    # "향미씨는 스물일곱, ...", "용씨는 서른셋으로 ...": an age said of a person named just before.
    rf"|(?<=씨는|씨가)[ ](?P<a17>{_KOREAN_NUMBER})"
    r"(?=,|[ ]?(?:으로|로|이다|이며|이고|이었다|였다)(?![가-힣]))"
    # "Pyon, forty-seven, says ...": an age in words set off by commas after a name.
    rf"|(?<=[A-Za-z]),[ ](?P<a18>{_NUMBER_WORD_TEN_UP})(?=,[ ])"
    # "올해 스물이 됐을 것": this year's age, with no 세/살.
    rf"|(?:올해|이제|지금|현재)[ ](?P<a8>\d{{1,2}}|{_KOREAN_NUMBER})(?:[ ]?(?:세|살))?(?:이|가)?[ ]"
    r"(?:됐|되었|된다|됩니다|되셨|되었다|되셨다)"
    # "올해 스물셋이다", "올해 27세다": this year's age with a copula.
    rf"|(?:올해|이제|지금|현재|나이가|나이는)[ ](?P<a12>\d{{1,2}}|{_KOREAN_NUMBER})"
    r"(?:[ ]?(?:세|살))?"
    # "올해 일흔둘이시다", "나이가 스물여덟이시죠?": the honorific copula too
    r"(?:이다|이며|이고|였다|이었다|다|이시다|이셨다|이세요|이시죠|이에요|예요)(?![가-힣])"
    r"|(?<![\w])(?P<a6>\d{1,2})s?[ ]years? of age(?![\w])"
    # "aged about five", "crossed in 2004 aged 15 with her aunt": "aged" says it is an age.
    rf"|(?<![\w])[Aa]ged[ ](?:about|around|roughly|just|only)[ ](?P<a20>\d{{1,2}}|{_NUMBER_WORD})"
    r"(?![\w-])"
    r"|(?<![\w])[Aa]ged[ ](?P<a21>\d{1,2})(?=[ ](?:with|in|at|when|after|before|from|and)\b)"
    # "박용준(남, 45)": a casework list's sex and age in brackets
    rf"|\({SEX_MARK}(?P<a22>\d{{1,2}})(?:세|살)?(?=\))"
    rf"|나이는[ ](?P<a7>\d{{1,2}}|{_KOREAN_NUMBER})"
    r"|\((?:가명|별명|본명)[·,・][ ]?(?P<a11>\d{1,2})(?:세|살)?\)"
    # "김모(52·경기 안산)", "리순애(李顺爱·31)": age and town, or a spelling and age, in brackets.
    r"|(?<=[가-힣])[ ]?\((?P<a13>\d{1,2})[·・][ ]?[^()\n]{1,20}\)"
    # "Choe Kum-ok (43, Yanji)": a list's age and town in brackets after a name
    r"|(?<=[a-z])[ ]\((?P<a19>\d{1,2}),[ ][A-Z][a-z]{1,20}(?:[ -][A-Za-z][a-z]{1,20})?\)"
    r"|(?<=[가-힣])[ ]?\([^()\n\d]{1,12}[·・][ ]?(?P<a14>\d{1,2})\)"
    # "Pak Mi-ran (박미란·47)": a name's spelling in another script and the age, in brackets
    r"|(?<=[a-z])[ ]\((?:[가-힣]{2,4}|[\u4e00-\u9fff]{2,4})[·・,][ ]?(?P<a23>\d{1,2})\)"
    # "a girl of 16", "a boy of twelve"
    r"|(?<![\w])(?:girl|boy|child|teenager|woman|man|son|daughter)[ ]of[ ]"
    rf"(?P<a15>\d{{1,2}}|{_NUMBER_WORD})"
    r"(?![\w])(?![ ](?:years|months|children|sons|daughters))"
    # "who turned 39 this year"
    rf"|(?<![\w])(?:turned|turns)[ ](?P<a16>\d{{1,2}}|{_NUMBER_WORD})[ ](?=(?:this|last)[ ]year\b)"
)
_NUMBER_VALUES = {word: value for word, value in NUMBER_WORDS.items() if value < 20}
_TENS = {word: value for word, value in NUMBER_WORDS.items() if value >= 20}
_KOREAN_TENS = {
    "스무": 20,
    "열": 10,
    "스물": 20,
    "서른": 30,
    "마흔": 40,
    "쉰": 50,
    "예순": 60,
    "일흔": 70,
    "여든": 80,
    "아흔": 90,
}
_KOREAN_UNITS = {
    "한": 1,
    "하나": 1,
    "두": 2,
    "둘": 2,
    "세": 3,
    "셋": 3,
    "네": 4,
    "넷": 4,
    "다섯": 5,
    "여섯": 6,
    "일곱": 7,
    "여덟": 8,
    "아홉": 9,
}


def age_value(word: str) -> int | None:
    """The number an age is written as: "24", "thirty-four", "스물여섯"."""
    if word.isdigit():
        return int(word)
    lowered = word.lower()
    if lowered in _NUMBER_VALUES:
        return _NUMBER_VALUES[lowered]
    tens, _, unit = lowered.partition("-")
    if tens in _TENS:
        return _TENS[tens] + (_NUMBER_VALUES.get(unit, 0) if unit else 0)
    for prefix, value in _KOREAN_TENS.items():
        if word.startswith(prefix):
            rest = word[len(prefix) :]
            return value + _KOREAN_UNITS.get(rest, 0) if not rest or rest in _KOREAN_UNITS else None
    return _KOREAN_UNITS.get(word)


#: Words that say someone was born, grew up or lives somewhere: what follows is a place, even
#: one no gazetteer holds ("born in Tanchon"); after a bare "from" or "in" it must be a known one.
_RESIDENCE_CUE = re.compile(
    r"(?:native of|home[ ]?town|born in|grew up in|raised in|(?:now |still )?liv(?:es?|ing|ed) in"
    r"|settled in|resettled in|residents? of|resides in|moved to|hails from|comes from|came from"
    r"|originally from)"
)
_PLACE_NAME = r"(?:[A-Z][a-z'’-]{2,30}|[A-Z][a-z](?=[ ][A-Z][a-z]))(?:[ ][A-Z][a-z'’-]{2,30}){0,3}"
_PLACE = re.compile(
    r"(?<![\w])(?:from|native of|hometown(?: of| is| was)?|home town(?: of| is| was)?|born in"
    r"|grew up in"
    r"|raised in|(?:now |still )?lives? in|(?:now |still )?living in|lived in|settled in"
    r"|resettled in|resident of|residents of|resides in|moved to|relocated to|based in|stays? in"
    r"|staying in|hails from|comes from|came from|originally from|left|fled|escaped from"
    # "at" only before a place ("at a factory in Asan", "at Busan station"): "editors at Tor",
    # "a professor at Columbia" name employers, not towns
    r"|at(?=[ ](?:an?|the)[ ][a-z]+[ ](?:near|in|outside)[ ]|[ ][A-Z][\w'’-]+[ ](?:station"
    r"|market|port|airport|hospital|border|bridge|crossing|harbou?r)\b)"
    r"|in|near|of)[ ]"
    r"(?:the (?:city|town|county|village|province|port) of |(?:a|the) (?:city|town|village) of"
    r" |a (?:village|town|farm|flat|shelter|restaurant|factory|cafe|market) (?:near|in|outside) )?"
    rf"(?P<place>{_PLACE_NAME})(?![A-Za-z'’-]|[ ][A-Z])"
    # "a Hyesan native", "the Chongjin-born worker"
    rf"|(?<![\w])(?:an?|the)[ ](?P<native>{_PLACE_NAME})(?:[ ]native|-born)(?![\w])"
    # a list's age and town: "Kim Su-ryon, 24, Sinuiju" ending its line, "Choe Kum-ok (43, Yanji)"
    rf"|(?<=[a-z])(?:,[ ]|[ ]\()\d{{1,2}},[ ](?P<listed>{_PLACE_NAME})"
    # ... before the next item's number: "Ri Chol-jin, 34, Kaechon 2. Kim Myong-sop, 41, ..."
    r"(?=[ ]?[);]|[ ]?$|[ ]{2}|[ ][-–•*][ ]|[ ]\d{1,3}[.)][ ])"
    # a Korean list's sex, age and town: "김옥희(여, 31) 양강도 혜산 — ..."
    rf"|(?<=[가-힣])\({SEX_MARK}\d{{1,2}}(?:세|살)?\)[ ]"
    r"(?:[가-힣]{1,4}도[ ])?(?P<klisted>[가-힣]{2,4})(?=[ ]?[—–,;]|[ ]?$)"
    r"|(?P<hplace>[가-힣]{2,6}?)[ ]?(?:출신|태생)"
    r"|(?P<home>[가-힣]{2,6}?)(?:가|이)[ ]고향"
    r"|(?:고향인|고향은)[ ](?P<home2>[가-힣]{2,6}?)(?:에서|에|의|은|는|이|가)?(?![가-힣])"
    # "고향 평성에 있는", "회령을 떠났다", "(52·경기 안산)": a town the analyser knows as a name
    r"|(?<![가-힣])고향(?:을|를)?[ ](?:[가-힣]{1,4}(?:도|성)[ ])?"
    r"(?P<home3>[가-힣]{2,6}?)(?:에서|에|의|은|는|이|가|을|를|으로|로)?(?![가-힣])"
    r"|(?<![가-힣])(?P<left>[가-힣]{2,6}?)(?:을|를)[ ]떠(?:나|났|난|날)"
    r"|(?<=[가-힣])[ ]?\(\d{1,2}[·・][ ]?(?P<paren>[가-힣]{2,6}(?:[ ][가-힣]{2,8}){0,2})\)"
    r"|(?<![가-힣])(?P<lives>[가-힣]{2,8}?)(?:에서|에|의)[ ]"
    r"(?:살고|살며|산다|사는|살았|살던|거주|정착|태어|자란|자랐|나고[ ]자|나서[ ]자"
    r"|있는|있다|있으며|계신|남은|활동하"
    r"|두고[ ]온|남아|머물|숨어|지내는|지낸다|지내던|일하는|일한다|일하며|일하던|근무하는|근무한다"
    r"|(?:초등|중|고등)?학교"
    r"|한[ ](?:소식통|식당|공장|주민|농가|농장|마을|가정)"
    r"|소식통|어머니|아버지|가족|친척|아들|딸|함께)"
    # "경기 구리로 이사했다": the town a person moved to
    r"|(?<![가-힣])(?P<moved>[가-힣]{2,8}?)(?:으로|로)[ ](?:이사|이주|옮겨|거처를)"
)
# "훈춘의 수산물 공장에서 일하는", "투먼에서 식당을 운영하며": where a person works or stays; the
# place must be a proper noun (checked in find_places), the words between are few. Matched apart
# from _PLACE, so that a longer reach here never hides a plainer match there.
_PLACE_KO_CONTEXT = re.compile(
    # A look-ahead at every word start: a reach that starts at an ordinary word ("현재 안산의
    # 보호시설에서 지낸다") does not hide the proper noun after it.
    r"(?<![가-힣])(?=(?P<works>[가-힣]{2,8}?)(?:의|에서|에)?[ ](?:[가-힣0-9]{1,8}[ ]){0,2}?"
    r"[가-힣]{0,8}(?:에서|에|을|를|으로|로)[ ](?:[가-힣]{1,4}[ ])?"
    r"(?:일하는|일한다|일하며|일하고[ ]있|근무하는|근무한다|근무하며|지내는|지낸다|지내며"
    r"|다니는|다닌다|다니며"
    r"|운영하는|운영한다|운영하며|산다|살고|살며|사는)"
    # "목단강 근처 농촌에 산다", "혜산 주민 송미란 씨"
    r"|(?P<near>[가-힣]{2,6}?)[ ]근처[ ](?:[가-힣]{1,8}[ ]){0,1}[가-힣]{0,8}"
    r"(?:에서|에)[ ](?:살|산다|사는|지내는|지낸다|일하는|일한다)"
    r"|(?P<resident>[가-힣]{2,6}?)[ ]주민(?=[ ,])"
    # "인천 남동구에 삽니다", "미옥 씨는 안성에 산다": the town right before "lives"
    r"|(?P<liveshere>(?:[가-힣]{2,6}[ ])?[가-힣]{2,6}?)(?:에서|에)[ ]"
    r"(?:산다|삽니다|살아요|살고|살며|사는|거주한다|거주하는|거주하며|거주합니다)(?![가-힣])"
    # "경기도 시흥시 거주", "(47·여·양천구 거주)": a city or district of residence
    r"|(?P<dwells>[가-힣]{1,6}(?:시|군|구|읍|면))[ ]?거주(?![가-힣]{2})"
    # "양강도 혜산에서 나온 윤설희": the town a person came out of
    r"|(?P<cameout>[가-힣]{2,6}?)에서[ ]"
    r"(?:나온|나왔다|나왔습니다|탈북한|탈북했다|탈출한)(?![가-힣])"
    # "하바롭스크의 북한 노동자 현기철씨", "무산의 남동생", "연길의 조선족 브로커": the town of the
    # person the role or kinship word names.
    r"|(?P<roleplace>[가-힣]{2,8}?)의[ ](?:[가-힣]{1,6}[ ]){0,2}"
    r"(?:노동자|근로자|브로커|중개인|소식통|상인|밀수꾼|남동생|여동생|동생|어머니|아버지|할머니"
    r"|할아버지|아내|남편|딸|아들|가족|친척)(?![가-힣]))"
)
_HANGUL = re.compile(r"[가-힣]")
_LATIN_START = re.compile(r"[A-Za-z]")
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


@lru_cache(maxsize=1)
def countries() -> frozenset[str]:
    """Countries and territories as the Unicode CLDR names them in English (through babel)."""
    from babel import Locale

    return frozenset(Locale("en").territories.values())


#: "aged 13 and 11", "are now 12 and 10": the ages of two people named together.
_AGE_PAIR = re.compile(
    r"(?<![\w])(?:[Aa]ged|are now|were then|are|were)[ ](?P<first>\d{1,2})[ ]and[ ]"
    r"(?P<second>\d{1,2})"
    r"(?=[,.;]|[ ](?:and|when|now)\b|[ ]years\b)"
)


#: A subject that names no one before "is"/"was": "It is", "That was", "There were".
_EXPLETIVE_BEFORE = re.compile(r"(?<![\w])(?:[Ii]t|[Tt]hat|[Tt]his|[Tt]here)[ ]$")


def find_ages(flat: str) -> list[tuple[int, int, int]]:
    """Exact ages in ``flat``: ``(start, end, age)`` of the digits."""
    return list(_ages_in(flat))


@lru_cache(maxsize=8)
def _ages_in(flat: str) -> tuple[tuple[int, int, int], ...]:
    # Kept for the few texts analysed last: the person recogniser and the stage both ask.
    ages: list[tuple[int, int, int]] = []
    for match in _AGE.finditer(flat):
        group = match.lastgroup or ""
        if group == "a2" and _EXPLETIVE_BEFORE.search(
            flat, max(0, match.start() - 7), match.start()
        ):
            continue  # "It is four years since I left": a time, not an age
        value = age_value(match.group(group))
        if value is not None and 0 < value < 100:
            ages.append((match.start(group), match.end(group), value))
    for match in _AGE_PAIR.finditer(flat):
        for group in ("first", "second"):
            value = int(match.group(group))
            span = (match.start(group), match.end(group), value)
            if 0 < value < 100 and span not in ages:
                ages.append(span)
    return tuple(sorted(ages))


#: A province or a country is not a home town ("from North Hamgyong", "lives in China").
_REGIONS = re.compile(
    r"(?:North|South)(?: Korea| Hamgyong| Hamgyŏng| Pyongan| Hwanghae| Phyongan| Chungcheong"
    r"| Gyeongsang| Jeolla)?|(?:Ryanggang|Yanggang|Jagang|Chagang|Kangwon|Gangwon|Gyeonggi"
    r"|Jilin|Liaoning|Heilongjiang|Shandong|Primorye|Kursk)(?: [Pp]rovince)?|China|Russia|Japan"
    r"|Mongolia|Vietnam|Thailand|Laos|Cambodia|the [A-Z][a-z]+|Seoul|Pyongyang|Beijing|Moscow"
    r"|Britain|Great Britain|England|Scotland|Wales|Ireland|Germany|France|Italy|Spain"
    r"|Netherlands|Belgium|Sweden|Norway|Poland|Canada|Australia|America|United States|Europe"
    r"|Asia|Africa|Ukraine|Belarus|Kazakhstan|Uzbekistan|Nepal|Myanmar|Malaysia|Indonesia"
    r"|Philippines|Singapore|Taiwan|Hong Kong|Macau|Dubai|Qatar|Kuwait"
    r"|[가-힣]{2,4}(?:도|성)|한국|북한|중국|러시아|서울|평양|남한|일본|미국|몽골|베트남|라오스|태국"
    r"|캄보디아|우크라이나|경기|강원|충북|충남|전북|전남|경북|경남|제주|함북|함남|평북|평남|황북|황남"
    r"|양강|자강"
)


#: Words that make a capitalised run something other than a town: organisations, titles,
#: days, people's roles, and words that start sentences.
_NOT_PLACE_WORDS = frozenset(
    _words(
        """
        Ministry University Institute Party Committee Council Agency Service Office Department
        Court Police Army Navy Force Forces Assembly Parliament Congress Foundation Association
        Group Network Centre Center Bank Company Corporation Commission Bureau Times News Daily
        Monitor Wire Report Post Radio Television TV International National Human Rights Camp
        Prison Hospital School Church Embassy Consulate Mr Mrs Ms Dr General Minister President
        Colonel Captain Kim Lee Park Choi Choe Ri Pak Jang Jong Han Kang Yoon Kwon Song Jo Cho
        English Korean Chinese Russian Japanese Ukrainian American British European Asian
        However When While After Before Since During Under Over Between Among Against His Her
        Their Its Our This That These Those There Here Today Yesterday Tomorrow Monday Tuesday
        Wednesday Thursday Friday Saturday Sunday Christmas Chuseok Lunar Year Geneva
        Convention Security Council United Nations Workers Kyiv Washington Tokyo London Paris
        Prisoners War Treatment Coordination Headquarters Jan Feb Mar Apr Jun Jul Aug Sep Sept
        Oct Nov Dec January February March April May June July August September October
        November December Ukraine Ukraine's Governors Directors Staff Chiefs Board
        """
    )
)


_AFTER_TOWN = re.compile(
    r"[,.;:)]|[ ](?:in|and|on|at|to|for|where|with|from|until|since|after|before|or)\b|$"
)
_INSTITUTION_OF = re.compile(
    r"\b(?:Ministry|Department|Bureau|University|Institute|Committee|Council|Academy|Commission"
    r"|Office|Court|Bank|Agency|Museum|Federation|Union)[ ]of[ ]$"
)
#: A province (or a Chinese one, 성) or a big city written before a town. The Korean provinces
#: are named: any word before 도 would also take a name with the particle ("조말순도 혜산에").
_REGION_BEFORE = re.compile(
    r"(?<![가-힣])(?:(?:경기|강원|충청[남북]|전라[남북]|경상[남북]|제주|함경[남북]|평안[남북]"
    r"|황해[남북]|양강|자강)도|[가-힣]{1,4}성|경기|강원|충북|충남|전북|전남|경북|경남|제주|함북"
    r"|함남|평북|평남|황북|황남|양강|자강|평양|서울)[ ]$"
)
#: Korean words before 출신/에 사는 that are institutions, groups or plurals, not towns.
#: A lower-case plural noun or a number right after a name: the name modifies it.
_MODIFIER_AFTER = re.compile(
    r"[ ](?:\d(?![\d,]*[.)][ ])|(?!(?:is|was|has|as|this|his|its|us|across|towards|always"
    r"|perhaps|sometimes|afterwards|besides|unless|whereas|thus|yes|less|plus|minus"
    # verbs of a town's people ("a partner in Hyesan hands cash to ...")
    r"|says|tells|hands|sends|runs|works|lives|sells|buys|pays|gets|makes|takes|keeps|helps"
    r"|wants|needs|knows|thinks|remains|becomes|seems|stays|goes|comes|gives|holds|calls"
    r"|moves|brings|owns|uses|earns|writes|reads|sees|hears|meets|asks|visits|lists|shows"
    r"|shares|receives|claims|reports|faces|leads|plans|hopes|tries|looks|appears)\b)"
    r"[a-z]{2,}s\b(?![’']))"
)
#: Nationalities without the "-ian", "-ese", "-ish" endings checked with the place.
_DEMONYM = re.compile(
    r"French|Dutch|Greek|Thai|Swiss|Czech|Welsh|Scots|Basque|Kurdish|Arab|Uzbek|Kazakh|Tajik"
)
_NOT_KOREAN_PLACE = re.compile(
    r"(?:들|대|시설|공항|부대|학교|대학|병원|센터|회사|공장|기관|단체|본부|경비대|보위부|보안서|교화소"
    r"|수용소|관리소|군|당|청|원|곳|농촌|시골|도시|마을|동네|지역|근처|외곽|현장|목장|공사장|작업장|농장"
    r"|사업장|탄광|광산|농가|식당|가게|집)$"
)


#: Korean words that stand where a town would, before 출신 or 에 살다, and are none: an
#: occupation ("외교관 출신", a former diplomat) or a scope ("국내에 정착한", settled at home).
_KOREAN_NOT_TOWN = re.compile(
    r"외교관|관료|간부|교사|교원|의사|기자|장교|군관|공무원|당원|근로자|유학생|대학생|학생|선수|상인"
    # "(17·가명)": a pseudonym's mark; "고향에 남은", "쉼터에 머물고": a home town or a shelter
    # not named
    r"|가명|별명|본명|고향|쉼터|보호소|은신처|숙소|대안학교"
    r"|국내|국외|해외|현지|외국|타지|타국|제3국|제삼국|남쪽|북쪽|남측|북측"
)


#: Place groups that hold any noun before their verb: only a proper noun (or a town the analyser
#: does not know) there is a place.
#: Towns of North Korea and of China's border region, in Hangul, that the analyser misreads
#: ("옌지" as an interjection, "창바이" and "대홍단" as common nouns): where a phrase wants a
#: proper noun for a place, these are one.
_BORDER_TOWNS = frozenset(
    _words(
        """
    옌지 연길 투먼 도문 훈춘 창바이 장백 룽징 용정 허룽 화룡 지안 린장 선양 심양 다롄 대련 단둥 단동
    무산 회령 온성 대홍단 삼지연 김책 단천 길주 명천 보천 갑산 만포 강계 남포 평성 사리원 해주 함흥
    청진 혜산 신의주 라선 나선
    """
    )
)
_PROPER_NOUN_PLACES = frozenset(
    {"works", "moved", "near", "resident", "roleplace", "home3", "left", "liveshere", "cameout"}
)


#: A detention before a town: "held in", "detained at", "jailed in".
_DETAINED_IN = re.compile(
    r"\b(?:held|detained|jailed|imprisoned|interrogated|locked[ ]up|caught|arrested|sentenced)"
    r"[ ](?:in|at)[ ]$"
)


#: "…, where he had lived since 2001": the place of detention is the person's town too.
_LIVED_THERE = re.compile(
    r",?[ ]where[ ](?:he|she|they)[ ](?:had[ ]|has[ ])?(?:lived|lives|worked)"
)


def find_places(flat: str) -> list[tuple[int, int, bool]]:
    """Home towns and current cities: ``(start, end, weak)``.

    After "from", "lives in", "출신" and the like a town is strong; after a bare "in", "near",
    "of" or "at" it is weak, and counts only where a private person is tied to it.
    """
    places = []
    matches = list(_PLACE.finditer(flat))
    if _HANGUL.search(flat):
        matches += _PLACE_KO_CONTEXT.finditer(flat)
    seen: set[tuple[int, int]] = set()
    for match in matches:
        group = match.lastgroup or ""
        if group not in {
            "place",
            "klisted",
            "hplace",
            "home",
            "home2",
            "home3",
            "left",
            "native",
            "listed",
            "paren",
            "lives",
            "moved",
            "works",
            "near",
            "resident",
            "roleplace",
            "liveshere",
            "dwells",
            "cameout",
        }:
            continue
        start, end = match.start(group), match.end(group)
        value = flat[start:end]
        modifier = group == "place" and _MODIFIER_AFTER.match(flat, end) is not None
        if group in {"native", "listed"}:
            group = "place"
        if group == "place":
            words = value.split()
            if _INSTITUTION_OF.search(flat, max(0, match.start() - 16), match.start() + 3):
                continue  # "the Ministry of External Economic Relations"
            if _DETAINED_IN.search(flat, max(0, start - 20), start) and not _LIVED_THERE.match(
                flat, end
            ):
                continue  # "held in Tumen": a place of detention is no one's home

            # "from North Hamgyong" keeps "North"; a lone "North" or "China" is not a town.
            if words[0] in {"The", "A", "An", "His", "Her", "Their"} or (
                len(words) == 1 and value in _NOT_PLACES
            ):
                continue
            if value in countries():
                continue  # "from Algeria", "in Israel": a country is too wide to be a home town
            if re.search(r"['’]s?$|-made$", value) or "New Year" in value:
                continue
            if modifier or _DEMONYM.fullmatch(value):
                # "from Kroger executives", "as Apollo 11", "the French Interior Ministry": the
                # name is a modifier of what follows it, or a nationality, not a town
                continue
            if re.search(r"[ ](?:Province|Oblast|Krai|Region|Prefecture)$", value):
                continue  # "from South Hamgyong Province": a province is no home town
            # "in Ukrainian custody" names a nationality; "in Dalian, ..." a town.
            if re.search(r"(?:ian|ese|ish)$", value) and not _AFTER_TOWN.match(flat, end):
                continue
            if (
                _LATIN_START.match(value)
                and not _RESIDENCE_CUE.match(flat, match.start(), start)
                and not known_place(value, flat, start, end)
            ):
                continue  # "investment from Boeing", "her breakup from Hawke": no town
        if group == "home2":
            # "고향은 청진이다": the copula is not part of the town.
            trimmed = re.sub(r"(?:이다|이며|이고|였다|이었다|다)$", "", value)
            if len(trimmed) >= 2:
                end = start + len(trimmed)
                value = trimmed
        # "국군포로의 아들": before 의 only a proper noun is a place.
        if re.search(r"(?:포로|병사|군인|노동자|탈북민|탈북자|주민|브로커)$", value):
            continue  # "국군포로의 아들": a role, not a town
        if group != "place" and _KOREAN_NOT_TOWN.fullmatch(value):
            continue  # "외교관 출신" (a former diplomat), "국내에 정착한" (settled in the country)
        # "선교사의 딸", "혜산의 가족": before the possessive only a proper noun is a place; so
        # before "에 있다", which any noun takes ("여기에 있다", "특수한 위치에 있는").
        possessive = group == "lives" and (
            flat.startswith("의", end) or re.match(r"에[ ]있", flat[end : end + 3]) is not None
        )
        if (
            (group in _PROPER_NOUN_PLACES or possessive)
            and (
                not (
                    value in _BORDER_TOWNS  # (a set, asked before the analyser)
                    or hangul_names(value)
                    or (group in {"home3", "left", "liveshere", "cameout"} and _town_like(value))
                    # "경기 화성에서": after a province a common-noun reading ("화성", Mars)
                    # gives way
                    or (
                        _REGION_BEFORE.search(flat, max(0, start - 8), start) is not None
                        and _nouns_only(value)
                    )
                )
                # "대구 달서구에 사는": the district after the city is the place found elsewhere
                or re.match(
                    r"[ ][가-힣]{1,5}(?:구|군|시|현)(?:에서|에|의)?[ ]", flat[end : end + 12]
                )
            )
        ):
            continue  # "매일 공장에서 일한다": only a proper noun is a place here
        if _REGIONS.fullmatch(value) or any(w in _NOT_PLACE_WORDS for w in value.split()):
            continue
        # "양강도 김정숙군": a county named after its province is a place, with the province.
        province = re.search(r"(?<![가-힣])[가-힣]{1,4}도[ ]$", flat[max(0, start - 7) : start])
        county = (
            group != "place"
            and value.endswith("군")
            # "무산군 출신": a county whose name the analyser knows, with or without province
            and (
                province is not None
                or (len(value) >= 3 and (hangul_names(value) or hangul_names(value[:-1])))
            )
        )
        if group != "place" and not county:
            # "수원" ends like an institution ("병원", "법원"); the analyser knows it as a name.
            # "황해북도 사리원": after its province a word is a town, whatever its ending.
            after_province = re.search(
                r"(?<![가-힣])[가-힣]{1,4}(?:도|성)[ ]$", flat[max(0, start - 6) : start]
            )
            if (
                _NOT_KOREAN_PLACE.search(value)
                and not (len(value) == 2 and hangul_names(value))
                and not (after_province and hangul_names(value))
            ):
                continue
            # "인천 부평구에 살며": a city named just before the district belongs to the place.
            before = re.search(r"(?<![가-힣])([가-힣]{2,4})[ ]$", flat[max(0, start - 6) : start])
            district = value.endswith(("구", "군", "시", "동"))
            if (
                before
                and hangul_names(before.group(1))
                and (district or not _REGIONS.fullmatch(before.group(1)))
            ):
                start -= len(before.group(0))
        if county and province is not None:
            start -= len(province.group(0))
        if group != "place":
            # "양강도 혜산", "경기 화성", "랴오닝성 단둥": the province written before the town goes
            # with it (the town alone would leave "양강도" standing next to its label).
            region = _REGION_BEFORE.search(flat, max(0, start - 8), start)
            if region is not None and not _REGIONS.fullmatch(flat[start:end]):
                start = region.start()
        if (start, end) in seen:
            continue
        seen.add((start, end))
        cue = flat[match.start() : start].strip().lower()
        weak = group == "place" and cue in {"in", "near", "of", "at"}
        places.append((start, end, weak))
    return places


@dataclass(frozen=True, slots=True)
class Place:
    """A place or age detection before the stage decides whether it is protected."""

    kind: str
    start: int
    end: int
    age: int | None = None
    #: A place after a bare "in"/"near"/"of"/"at": it needs a private person tied to it.
    weak: bool = False


def ages_and_places(flat: str) -> list[Place]:
    """Every exact age and place of origin/residence, in text order."""
    items = [Place(AGE, s, e, a) for s, e, a in find_ages(flat)]
    items += [Place(PLACE_OF_ORIGIN, s, e, weak=w) for s, e, w in find_places(flat)]
    return sorted(items, key=lambda p: (p.start, p.end))


# --- Hangul names --------------------------------------------------------------------------------

HANGUL_SURNAMES = (
    "김리이박최정조강윤장한오서신권황안송류유홍전고문양손배백허남심노하"
    "곽성차주우구민진지엄채원천방공현함변염여추도소석선설길연위표명기반라왕금옥육인맹제모탁국태림"
    "계봉용예경나당두빈사승시아어영온은점종좌창초편평피필학해형호화마견순팽량로렴륙룡임려"
)


@lru_cache(maxsize=8192)
def word_tokens(word: str) -> tuple[Any, ...]:
    """The Korean analyser's reading of one word, kept: a name is judged by several rules and
    recurs through a text, and the analyser is read once per distinct word."""
    return tuple(kiwi().tokenize(word))


def hangul_names(word: str) -> bool:
    """Whether the Korean analyser reads ``word`` as proper nouns only."""
    tokens = word_tokens(word)
    return bool(tokens) and all(token.tag == "NNP" for token in tokens)


def _town_like(word: str) -> bool:
    """Whether ``word`` may be a town the analyser does not know ("평성" read as 평 + 성), not
    one ordinary word ("친구") nor a phrase with a verb or a particle in it."""
    tokens = word_tokens(word)
    if not tokens or (len(tokens) == 1 and tokens[0].tag != "NNP"):
        return False
    return all(token.tag in {"NNP", "NNG", "XSN"} for token in tokens)


def _nouns_only(word: str) -> bool:
    """Whether the analyser reads ``word`` as nouns alone."""
    tokens = word_tokens(word)
    return bool(tokens) and all(token.tag in {"NNP", "NNG", "XSN"} for token in tokens)


@lru_cache(maxsize=1)
def kiwi() -> Any:
    """The Korean analyser, loaded once (its model comes from the kiwipiepy-model wheel).

    Without its dictionary of multi-word expressions it loads in a third of the time (about 1
    s against 2.6 s, paid by every process that meets Hangul, each pool worker included) and
    gives the same detections on every Korean document of the labelled sets.
    """
    from kiwipiepy import Kiwi

    analyser = Kiwi(load_multi_dict=False)
    analyser.tokenize("가")  # the model loads on first use; pay that once, here
    return analyser


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
