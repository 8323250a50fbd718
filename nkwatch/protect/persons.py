"""Person names: found in Latin and Hangul, then judged private (protected) or public (kept).

A name is a candidate when it has the shape of a Korean name in any romanisation ("Kim Ji-young",
"Ri Jong Chol", "Jiyoung Kim"), is a Hangul name (a proper noun from ``kiwipiepy`` that starts
with a Korean surname, or a name before 씨/군/양), or is any capitalised name in a position that
only people take (after a role word, before an age, after "named" or "Mr.", before "said").

A candidate is **public** when the watch profile knows it as a person or lists it as public, or
when a public office, profession or byline describes it ("Minister ...", "..., an analyst at",
"By ..."). It is **protected** when the profile lists it as protected, or when a vulnerable role
(POW, defector, broker, source, child, victim, worker abroad, or their relatives) is named in
its sentence or the next one, or, failing both, when the text speaks of such roles at all:
when unsure whether a person is private, protect. Later mentions of a person (the given name,
"Mr. Kim", a bare surname) follow the most recent full name they can belong to, so a public
figure who shares a surname with a protected person keeps it.
"""

from __future__ import annotations

import bisect
import collections
import itertools
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace
from functools import cache, lru_cache
from typing import Any, TypeVar

from nkwatch.enrich.entities import entity_matcher
from nkwatch.enrich.profile import COMMON_WORDS, Entity, Profile, fold, tokenize
from nkwatch.protect.cues import PUBLIC_CUE, STRONG_ROLES, public_cues, role_cues
from nkwatch.protect.gazetteer import regions
from nkwatch.protect.recognisers import (
    HANGUL_SURNAMES,
    SEX_MARK,
    countries,
    find_ages,
    hangul_names,
    hangul_proper_nouns,
    word_tokens,
)
from nkwatch.protect.records import NAME_WORD_BEFORE, PERSON, Detection

_SURNAMES = (
    "Kim|Gim|Ri|Rhee|Rim|Lim|Im|Yi|Lee|Pak|Park|Bak|Choe|Choi|Chwe|Jang|Chang|Jong|Jung|Jeong"
    "|Chung|Chong|Ryu|Yu|Yoo|Kang|Gang|Han|Hyon|Hyun|Yun|Yoon|Ro|Roh|Noh|No|Jo|Cho|Yang|Hwang"
    "|Kwon|Gwon|Paek|Baek|Paik|Sin|Shin|Thae|Tae|Ryom|Yeom|Kye|Jon|Jeon|Chon|Chun|Hong|Ju|Joo"
    "|Ko|Koh|Go|Oh|O|Mun|Moon|Nam|Seo|Suh|So|Bae|Pae|Byun|Pyon|Heo|Huh|Ho|Ahn|An|Kwak|Min|Cha"
    "|Won|Song|Kil|Gil|Sung|Seong|Tak|Ma|Uh|Um|Eom|Om|Jin|Chin|Ji|Chi|Ha|Sim|Shim|Son|Sohn|Ku"
    "|Koo|Gu|Na|Ra|Bang|Pang|Yeo|Yo|Woo|U|Jeon|Hyeon|Seol|Sol|Byeon|Pyeon|Ryang|Sok|Seok|Suk"
    "|Yeon|Yon|Ye|Chae|Chai|Bong|Pong|Hwangbo|Namgung|Do|To|Gye|Kyo|Pyo|Maeng|Eun|Geum|Kum"
    "|Ok|Yook|Yuk|Tong|Dong|Son|Sun|Sohn|Piao|Pu|Cui|Choi|Jin|Jiang|Zhang|Wang|Li|Liu|Zhao"
    "|Zhou|Chen|Yin|Xu|Sun|Hu|Guo|He|Gao|Lin|Luo|Zheng|Liang|Xie|Tang|Feng|Yu|Dong|Cao|Han"
    "|Byon|Pyun|Kong|Gong|Chu|Choo|Keum|Gum|Rah|Sa|Seon|Myong|Myung|Pi|Ki|Gi|Yom|Rho|Pyeong"
    "|Ham|Hahm|Wi|Guk|Kook"
)
_SURNAME_SET = frozenset(_SURNAMES.split("|"))


def _words(text: str) -> list[str]:
    return text.split()


#: Common English words (the profile's list without its romanised Korean syllables).
_ENGLISH_WORDS = COMMON_WORDS - frozenset(
    _words("kim lee park choi choe ri pak jang jong han kang moon yoon kwon song jo cho o ju")
)


# A romanised Korean syllable (McCune-Reischauer, Revised Romanisation, common spellings).
_SYLLABLE = (
    r"(?:kk|tt|pp|ss|jj|ch|ph|th|kh|sh|[gkndtrlmbpsjhcyw])?"
    # "ah" as in "Seo-ah", "Yeon-ah": a common spelling of the vowel alone
    r"(?:yae|yeo|wae|weo|woo|ae|ya|eo|ye|yo|wa|oe|wo|we|wi|yu|eu|ui|ee|oo|ou|ah|a|e|o|u|i|ŏ|ŭ)"
    r"(?:ng|n|m|l|k|p|t|r|g|b)?"
)
_SYLLABLE_RE = re.compile(rf"^(?:{_SYLLABLE}){{1,2}}$", re.IGNORECASE)
_UP = "A-ZÀ-ÖØ-Þ"
_LO = "a-zß-öø-ÿŏŭ"
# Separators inside one name: a space, a line break (names split across lines), a hyphen.
_SP = r"[ \t\u00a0]{1,3}(?:\n[ \t]{0,3})?|\n[ \t]{0,3}"
# A hyphen may end a line ("Myong-" / "chol"); matching text has the break as a space.
_HY = r"[-\u2010\u2011](?:\n[ \t]{0,3}|[ ](?=[a-z]))?"
_GIVEN = (
    rf"[{_UP}][{_LO}]{{1,7}}(?:{_HY}[{_UP}{_LO}][{_LO}]{{0,6}}|(?:{_SP})[{_UP}][{_LO}]{{1,6}})?"
)
_KOREAN_FULL = re.compile(
    rf"(?<![\w'’.-])(?P<surname>{_SURNAMES})(?:{_SP})(?P<given>{_GIVEN})(?![\w-])"
)
_KOREAN_REVERSED = re.compile(
    rf"(?<![\w'’.-])(?P<given>[{_UP}][{_LO}]{{1,6}}{_HY}[{_UP}{_LO}][{_LO}]{{0,6}})"
    rf"(?:{_SP})(?P<surname>{_SURNAMES})(?![\w-])"
)
# A Chinese name in pinyin: a surname and a given name of one or two syllables ("Piao Chunhua",
# "Zhang Yuxuan"); the given name must read as pinyin and not as an English word.
_CHINESE_SURNAMES = (
    "Zhang|Wang|Li|Liu|Chen|Yang|Zhao|Huang|Zhou|Wu|Xu|Sun|Hu|Zhu|Gao|Lin|He|Guo|Ma|Luo|Liang"
    "|Song|Zheng|Xie|Han|Tang|Feng|Yu|Dong|Xiao|Cheng|Cao|Yuan|Deng|Fu|Shen|Zeng|Peng|Lu|Su"
    "|Jiang|Cai|Jia|Ding|Wei|Xue|Ye|Yan|Pan|Du|Dai|Xia|Zhong|Tian|Ren|Fan|Fang|Shi|Yao|Tan|Liao"
    "|Zou|Xiong|Jin|Hao|Kong|Bai|Cui|Kang|Mao|Qiu|Qin|Gu|Hou|Shao|Meng|Long|Duan|Lei|Qian|Yin"
    "|Piao|Quan|Nan|Pu|Jin|Bian|Geng|Hong|Wen|Yi|Zhai|Qi|Niu|Lian|Ji|Mu"
)
_CHINESE_FULL = re.compile(
    rf"(?<![\w'’.-])(?P<surname>{_CHINESE_SURNAMES})[ \u00a0](?P<given>[A-Z][a-z]{{1,11}})(?![\w-])"
)
# A Korean name in Cyrillic, as Russian and Ukrainian records write it ("Ким Ён Чер",
# "Лі Чхоль Мін", "Пак Мён-сук"): a Korean surname and one or two short given-name syllables.
_CYRILLIC_SURNAMES = (
    "Ким|Ли|Лі|Ри|Рі|Пак|Пэк|Пек|Чхве|Цой|Чой|Хан|Кан|Чон|Чжон|Чо|Юн|Ю|Мун|Нам|Со|Сон|Син|Шин"
    "|Хон|Хван|Квон|Ан|Чан|Лим|Рим|Им|Ян|Рян|Чу|Чжу|Хо|Тхэ|Ро|Но|Ха|Пэ|Мин|Чха|Ку|Ко|Пён|Хён"
    "|Хен|Ом|Мэн|Чи|Пан|Сок|Ток|Пхё|Пё|Ок|Тхак|Кым|Кие|Кве|Чвэ|Бан|Пхан|Пхак"
)
_CYRILLIC_SYLLABLE = r"[А-ЯЁІЇЄ][а-яёіїєь]{0,5}"
_CYRILLIC_FULL = re.compile(
    rf"(?<![\w-])(?:{_CYRILLIC_SURNAMES})[ \u00a0]{_CYRILLIC_SYLLABLE}"
    rf"(?:(?:[ \u00a0]|-){_CYRILLIC_SYLLABLE}|-[а-яёіїє]{{1,5}})?(?![\w-])"
)
# A name in Chinese characters standing alone in Latin or Hangul text ("金美善", "张天"): two or
# three characters, the first a common surname; longer runs are Chinese prose or addresses.
_HAN_SURNAMES = (
    "金李朴崔郑鄭赵趙姜尹张張韩韓吴吳徐申权權黄黃安宋柳洪全高文梁孙孫裴白许許南沈卢盧河郭成车車"
    "朱禹具闵閔陈陳王刘劉杨楊周胡林何罗羅马馬谢謝唐冯馮于董曹袁邓鄧傅曾彭吕呂苏蘇蒋蔣蔡贾賈丁魏"
    "薛叶葉阎潘杜戴夏钟鍾田任范方石姚谭譚廖邹鄒熊郝孔毛邱秦顾顧侯邵孟龙龍段雷钱錢元池玄秋太千延片"
    "卞睦慶庆奇都房尚表玉邊边琴明芮魯鲁咸陸陆"
)
_HAN_NAME = re.compile(
    rf"(?<![\u3400-\u9fff])[{_HAN_SURNAMES}][\u4e00-\u9fff]{{1,2}}(?![\u3400-\u9fff])"
)
#: Hiragana or katakana: the text around is Japanese.
_KANA = re.compile(r"[\u3041-\u309f\u30a1-\u30fa]")
#: After a name in Japanese: a form of address, or the role the press gives a person.
_JAPANESE_NAME_AFTER = re.compile(
    r"[ 　]?(?:さん|さま|様|氏|君|くん|ちゃん|容疑者|被告|被告人|受刑者|元死刑囚|記者|議員"
    r"|首相|大臣|長官|委員長|代表|会長|社長|教授|医師|弁護士|選手|監督|[（(][0-9０-９]{1,3}[）)])"
)
_PINYIN_SYLLABLE = (
    r"(?:zh|ch|sh|[bpmfdtnlgkhjqxrzcsyw])?"
    r"(?:iang|iong|uang|ang|eng|ing|ong|ian|iao|uai|uan|ai|ei|ao|ou|an|en|in|un|ia|ie|iu|ua|uo"
    r"|ue|ui|er|a|o|e|i|u)"
)
_PINYIN_GIVEN = re.compile(rf"(?:{_PINYIN_SYLLABLE}){{1,2}}", re.IGNORECASE)
_HYPHEN_GIVEN = re.compile(
    rf"(?<![\w'’.-])[{_UP}][{_LO}]{{1,6}}{_HY}[{_UP}{_LO}][{_LO}]{{1,6}}(?![\w-])"
)
_CAPNAME = rf"[{_UP}][{_LO}'’]{{1,15}}(?:{_HY}[{_UP}{_LO}][{_LO}]{{0,12}})?"
# "Gregory L. Haines", "Kim J. Song": a middle initial between two parts of a name.
# A name ends at a word's end: "TraderTraitor" holds no "Trader".
_NAME_RUN = (
    rf"{_CAPNAME}(?:(?:{_SP})[{_UP}]\.(?=(?:{_SP})[{_UP}]))?(?:(?:{_SP}){_CAPNAME}){{0,2}}"
    rf"(?![{_UP}{_LO}0-9])"
)
_ROLE_NOUNS = (
    r"defector|escapee|refugee|broker|smuggler|soldier|private|Private|Pvt\.|POW|prisoner|captive"
    r"|victim|worker|labou?rer|girl|boy|son|daughter|mother|father|wife|husband|sister|brother"
    r"|niece|nephew|grandmother|grandfather|cousin|source|informant|teenager|student|conscript"
    r"|sergeant|Sergeant|Sgt\.|Corporal|Cpl\."
)
_COMPANIONS = (
    r"partner|co-worker|roommate|supervisor|interpreter|captain|recruiter|neighbou?r|friend"
    r"|colleague|comrade|boss|landlord|employer|driver|guide|cellmate|classmate|fianc[ée]e?"
)
# Forms of address and kinship words that stand before a private person's name or nickname
# ("Mr. Cui", "Auntie Kyong", "Big Brother Zhang", "as Old Pak"); "Old" only inside a sentence.
_TITLES = (
    r"(?:Mr|Mrs|Ms|Miss|Mx)\.?|Auntie|Aunt|Uncle|Granny|Grandma|Grandpa|Big[ ](?:Brother|Sister)"
    r"|Elder[ ](?:Brother|Sister)|(?<=[a-z,][ ])Old|(?<=[a-z,][ ][\"“‘])Old"
    # "known along the route as Sister Mei": inside a sentence, as "Old"
    r"|(?<=[a-z,][ ])(?:Sister|Brother)|(?<=[a-z,][ ][\"“‘])(?:Sister|Brother)"
)
_TITLES = rf"(?:{_TITLES})"
# "Peter Jo (조성철), 44,": the name's spelling in another script, in brackets, may stand
# between a name and the words that show it is a person's.
_SPELT = (
    r"(?:[ \u00a0][(（][ ]?(?:[가-힣]{2,4}|[\u4e00-\u9fff]{2,4}"
    r"|[А-ЯЁ][а-яё]{1,20}(?:[ ][А-ЯЁ][а-яё]{1,20}){0,2})[ ]?[)）])?"
)
#: After an owner's name, the office that makes the name before it a public person's: "Mark
#: Lippert, President Barack Obama's ambassador to Seoul".
_OWNED_PERSON = (
    r"(?:ambassador|envoy|advis[eo]r|aide|spokes(?:man|woman|person)|minister|secretary"
    r"|director|president|chairman|chairwoman|founder|leader|commander|coach|counsel"
    r"|negotiator|representative|chief)"
)
_CONTEXT_NAMES = re.compile(
    rf"(?<![\w])(?:{_ROLE_NOUNS})[ \u00a0](?:named[ ])?(?:{_TITLES}[ \u00a0])?(?P<n1>{_NAME_RUN})"
    rf"|(?<![\w])(?:named|called|identified(?: only)? as|surnamed|nicknamed"
    # "known to traders as", "known among the brokers only as"
    rf"|known(?: only)?(?: (?:to|among|in)(?: [\w'’-]+){{1,4}})?(?: only)? as"
    rf"|pseudonym|alias|goes by|went by|posed as|posing as|posted as|under the name|the name"
    # 'worked as "Victor Lim"', 'hired as "Jason Tan"': a persona, always in quotes after "as"
    rf"|(?:worked|working|works|hired|employed|registered|applied) as(?= [\"“‘'])"
    # a seized phone's contact list: "an entry saved as "Yanji Aunt" with the number ..."
    rf"|saved (?:as|under)"
    # 'used the identities "Brian Cho" and ...', "under the identity of Alex Moreno"
    rf"|identit(?:y|ies)(?: of)?"
    rf"|(?:goes|went|go) by the (?:nick)?name|code-?named|code name|family name|first name"
    rf"|last name"
    # "whom we are calling Jin-su", "a worker we will call Chol", "asked that we call her Ok-soon",
    # "calling himself", "called me", "referred to in court as", "whose pseudonym ... is"
    rf"|(?:we|we're|we've|I)(?: are| will| shall| would| have)? call(?:ing|ed)?"
    rf"(?: (?:him|her|them))?"
    rf"|call (?:him|her|them|me)|calling (?:himself|herself)|called (?:me|him|her|them)"
    # "a broker the women call Black Cat", "signs himself Old Fourth", "addressed as Kye"
    rf"|(?:they|people|locals|villagers|(?:the|other) [a-z]+) call"
    rf"|sign(?:s|ed)? (?:himself|herself|his messages|her messages)|addressed(?: only)? as"
    rf"|referred to(?: [a-z]+){{0,3}} as|identif(?:y|ied|ies)(?: (?:him|her|them))?"
    # "identified by police as", "named the manager as", "the app name"
    rf"(?: by [a-z]+(?: [a-z]+)?)?(?: only)? as"
    rf"|named (?:the|her|his|their|an?) [a-z]+(?: [a-z]+)? as"
    rf"|(?:app|user|screen|profile|account|display) ?name"
    rf"|gives (?:only )?(?:his|her|their) (?:first |given |full )?(?:sur)?name as"
    rf"|(?:pseudonym|nickname|alias|code name)(?: [a-z]+){{1,4}} is"
    # "identified by his nickname, Big Zhao", "the code name he uses with us, Sonamu"
    rf"|by (?:his|her|their|the|a) (?:nickname|pseudonym|alias|code name)"
    rf"|(?:nickname|pseudonym|alias|code name)(?: [a-z]+){{1,6}},"
    rf"|name is|name was|calls? (?:himself|herself)|calls|surname|given name"
    rf"|kn(?:ew|ows?)(?: (?:him|her|them))?(?: only)? as"
    rf"|gave (?:only )?(?:his|her|their) (?:first |given |full )?(?:sur)?name(?: only)? as)"
    rf"[ ,]{{1,2}}[\"“‘']?(?:{_TITLES}[ \u00a0])?"
    rf"(?!(?:Mr|Mrs|Ms|Miss|Mx)\.?[ ][A-Z](?![\w’'-]))(?P<n2>{_NAME_RUN})"
    rf"|(?<![\w]){_TITLES}[ \u00a0](?P<n3>{_NAME_RUN})"
    rf"|(?<![\w'’.-])(?P<n4>{_NAME_RUN}){_SPELT}"
    # an age ends its phrase ("Kim, 36, said"); "Green, 1 Red, 1 Yellow" is a list of counts
    rf",[ ](?:(?:a|an|the|now|who|whose|aged|age)\b|\d{{1,2}}(?:[,)]|[ ](?:and|or"
    rf"|years?|who|from|of|is|was|when|at|in|said|says|told)\b)"
    # "Mark Lippert, President Barack Obama's ambassador to Seoul,": an owner's office or kin
    rf"|(?:[A-Z][\w.'’-]*[ ]){{0,3}}[A-Z][\w'’-]*['’]s[ ](?:[a-z-]+[ ]){{0,2}}{_OWNED_PERSON}\b)"
    rf"|(?<![\w'’.-])(?P<n5>{_NAME_RUN}){_SPELT}[ ]\(\d{{1,2}}\)"
    rf"|(?<![\w'’.-])(?P<n6>{_NAME_RUN}){_SPELT}"
    rf"[ ](?:said|says|told|recalled|added|explained|remembered"
    rf"|wrote|recounted|described|asked)(?![\w])"
    rf"|(?:said|says|recalled|added|explained|recounted)[ ](?P<n7>{_NAME_RUN})(?=[,.])"
    # "her partner, Piao Wen," "A co-worker, Ryu Song-il,"
    rf"|(?<![\w])(?:{_ROLE_NOUNS}|{_COMPANIONS})s?,[ ](?:{_TITLES}[ \u00a0])?"
    rf"(?P<n8>{_NAME_RUN})(?=[,.;]|[ ]\()"
    rf"|(?<![\w'’.-])(?P<n9>{_NAME_RUN}){_SPELT},[ ]\d{{1,2}}(?=[,;.])"
    # "Ji-yeon (not her real name)", "Min-ho, not his real name,"
    rf"|(?<![\w'’.-])(?P<n12>{_NAME_RUN}){_SPELT}(?:[ ]\(|,[ ])(?:not (?:his|her|their) real name"
    r"|(?:a |an )?(?:pseudonym|alias)|name (?:has been )?changed)"
    # "by her initials, K.M.J."; "referred to as KJH", "known as MJ": initials stand for a name
    r"|initials,?[ ](?P<n11>[A-Z]\.(?:[ ]?[A-Z]\.){1,3})"
    r"|(?:referred to(?: [a-z]+){0,3} as|known(?: only)? as|identified(?: only)? as"
    r"|designated(?: only)? as|anonymi[sz]ed as)[ ](?P<n14>[A-Z]{2,4})(?![\w.])"
    # one letter for a withheld name: "Ms. K, 27,", "whom we identify only as Mr. P", "referred
    # to only as "worker W"" (not a first initial: "Mr. P. Kim")
    r"|(?<![\w])(?:Mr|Ms|Mrs|Miss)\.?[ ](?P<n18>[A-Z])(?![\w’'-]|\.[ ]?[A-Z])"
    r"|(?:referred to(?: [a-z]+){0,4} as|known(?: [a-z]+){0,2} as|identified(?: [a-z]+){0,3} as"
    r"|designated(?: only)? as)[ ][\"“‘']?(?:[a-z]+[ ])?(?P<n19>[A-Z])(?![\w’'-]|\.[ ]?[A-Z])"
    # a chat log's or a transcript's speaker after the time: "14:05 Xiao Mei 小梅:", "09:12
    # Smith (team lead):"
    rf"|(?:^|[ \n])\d{{1,2}}:\d{{2}}[ ](?P<n13>{_NAME_RUN}(?:[ ][\u4e00-\u9fff]{{1,4}})?)"
    r"(?=(?:[ ]\([^()\n]{1,30}\))?:[ ])"
    # a classified ad's contact: "Ask for Sunny Cho at ...", "Text Joyce at +1 ..."
    rf"|(?<![\w])Ask[ ]for[ ](?P<n16>{_NAME_RUN})"
    rf"|(?<![\w])(?:[Tt]ext|[Cc]all|[Rr]ing|[Mm]essage|[Pp]ing|[Cc]ontact|[Rr]each)[ ]"
    # (not a word for a parent: "call Mama on ...")
    r"(?!(?:Mama|Papa|Mom|Mum|Dad|Daddy|Mommy|Mummy|Grandma|Grandpa|Granny|Mother|Father)\b)"
    rf"(?P<n17>{_NAME_RUN})[ ](?:at|on)[ ](?=[+(]?\d)"
    # a transcript's speaker tag in capitals: "MS. LEE HAN-BYEOL: Thank you"
    r"|(?:^|[ \n])(?:MR|MS|MRS|MISS|DR)\.[ ](?P<n15>[A-Z][A-Z'’]+(?:[- ][A-Z][A-Z'’]+){0,2})"
    r"(?=:[ ])"
)
# "이름은 정은향.", "본명이 최광남이며": the name a person is given, after the word for a name.
_HANGUL_NAME_IS = re.compile(
    r"(?:이름은|이름이|본명은|본명이|실명은|실명이)[ ](?P<name>[가-힣]{2,4}?)"
    r"(?=[.,]|(?:이다|이며|이고|였다|이었다|이라고|라고)(?![가-힣]))"
)
# "저는 2018년에 혜산에서 나온 윤설희입니다": a speaker who introduces themself by name.
# "병사는 자신을 원산 출신 석광진이라고 소개했다": the same, reported.
_HANGUL_SELF = re.compile(
    r"(?:^|(?<=[\s\"“'‘]))(?:저는|전|제가)[ ](?:[^.?!\n]{0,40}?[ ])?(?P<name>[가-힣]{2,4}?)"
    r"(?=(?:입니다|이에요|예요|이고요|이라고[ ]합니다|라고[ ]합니다)(?![가-힣]))"
    r"|(?<![가-힣])자신(?:을|의[ ]이름을)[ ](?:[^.?!\n\"“”]{0,40}?[ ])?(?P<reported>[가-힣]{2,4}?)"
    r"(?=(?:이라고|라고)[ ](?:소개|밝히|밝힌|밝혔|말하|말한|말했))"
)
# "콩나물 장사를 하는 박춘심 아주머니가": a full name before a form of address for an elder
# or a relative, which no office holder is given.
_HANGUL_NAME_ADDRESSED = re.compile(
    r"(?<![가-힣])(?P<name>[가-힣]{2,3})(?:이)?[ ](?:할머니|할아버지|아주머니|아줌마|아저씨|영감"
    r"|노인|언니|오빠|누나|이모|삼촌)(?=[은는이가을를의과와도에께(]|[ ,.'’\"”]|님)"
)
_INITIAL_SSI = re.compile(
    r"(?<![A-Za-z0-9])(?P<name>[A-Z])[ ]?씨(?=[은는이가을를의와과도에께(]|[ ,.])"
)
# "사장 문옥순 010.2274.8816": a full name right before a mobile number is its owner's.
_HANGUL_NAME_MOBILE = re.compile(
    r"(?<![가-힣])(?P<name>[가-힣]{3})[ ]?(?=(?:\+82[ -]?|\(\+82\)[ ]?)?0?1[016789][-. ]?\d{3,4}"
    r"[-. ]?\d{4}(?!\d)|\+86[ -]?1\d{2})"
)
# "김은주, 46, 부산 ...": a list row's full name and age.
_HANGUL_NAME_ROW = re.compile(r"(?<![가-힣])(?P<name>[가-힣]{3})(?=,[ ]?\d{1,2}(?:세|살)?,)")
# A turn of a chat copied as prose: "순희: 중국 쪽에 아는 분 있어요? 미옥: 이분요".
_HANGUL_TURN = re.compile(
    r"(?:^|(?<=[.!?~)…」”\"'] )|(?<=\n)|(?<=[가-힣?!.] ))(?P<name>[가-힣]{2,3}):[ ]"
)
# A chat's speaker in Hangul after the time: "오후 8:14 두만강 사장: ...", "22:12 털보: ...".
_HANGUL_CHAT_SPEAKER = re.compile(
    r"(?:^|[ \n])(?:오[전후][ ])?\d{1,2}:\d{2}[ ](?P<name>[가-힣]{1,8}(?:[ ][가-힣]{1,6})?)(?=:[ ])"
)
# "A Chinese supervisor at the plant, Zhou Xiaomei," "a partner in Yanji, Cui Hongmei."
_DESCRIBED_NAME = re.compile(
    rf"(?<![\w])(?:[Aa]n?|[Tt]he|[Hh]er|[Hh]is|[Tt]heir|[Oo]ne)[ ][^,.;:\n\"“”]{{1,60}},[ ]"
    rf"(?P<n10>{_NAME_RUN})(?=[,.;]|[ ]\()"
)
_HANGUL_ROLES_EARLY = (
    "탈북민|탈북자|브로커|중개인|소식통|포로|병사|노동자|피해자|운반책|밀수꾼|증언자|제보자|증인"
    "|탈영병|꽃제비"
)
# A nickname or pseudonym in quotes: whom clients call "Auntie Sun", the nickname "Mackerel".
_NICKNAME = re.compile(
    r"(?:\bcall(?:s|ed)?|\bkn(?:own|ows?|ew)\b[^\"“”.\n]{0,30}?\bas|\bsign(?:s|ed)|nickname[ds]?"
    r"|\bpos(?:ed|ing|ted)[ ]as|\bwent[ ]by|\bgoes[ ]by"
    r"|\bdubbed|\bpseudonym|\balias|\bname[ds]?|가명|별명|이름)[^\"“”.\n]{0,40}?[\"“‘']"
    r"(?P<name>[A-Z][\w'’-]{1,20}(?:[ ][A-Z][\w'’-]{1,20}){0,2}|[가-힣]{1,5}(?:[ ][가-힣]{1,4})?)"
    r"[.,!?]?[\"”’']"
    r"|(?P<hname>[가-힣]{2,4})[ ]?\((?:가명|별명|본명)\)"
    r"|['\"‘“](?P<hname2>[가-힣]{1,6}(?:[ ][가-힣]{1,4})?)['\"’”](?:이?라고|으로|로)만?[ ]"
    r"(?:부르|부른|부릅|부를|불렀|불린|불러|불렸|불리|했|한다|알고|알았|안다)"
    # "(가명 이수진·32)": a pseudonym given in brackets after an anonymised name
    r"|\((?:가명|별명|본명|(?:한국|중국|조선|러시아|북한)[ ]?이름)[ ](?P<hname7>[가-힣]{2,4})"
    r"(?=[·・,)])"
    # "'해솔'이라는 가명으로", "'큰언니'란 별명"
    r"|['\"‘“](?P<hname6>[가-힣]{1,6}(?:[ ][가-힣]{1,4})?"
    # "'Mike Jung'이라는 영문 이름": a Latin name before the same formula
    r"|[A-Z][a-z]{1,15}(?:[ ][A-Z][a-z]{1,15}){0,2})['\"’”](?:이?라는|이란|란)[ ]"
    r"(?:[가-힣]{1,4}[ ])?(?:가명|별명|이름|닉네임|대화명"
    r"|아이디)"
    # "김정아라는 이름은", "김정숙이라는 이름으로": a name before "the name"
    rf"|(?<![가-힣])(?P<hname8>[{HANGUL_SURNAMES}][가-힣]{{2}})(?:이라는|라는)[ ]이름"
    r"(?:은|으로|이|을|를|만)"
    r"|(?:본명|실명|이름)은[ ](?P<hname3>[가-힣]{2,4}?)"
    r"(?:이고|이다|이며|이었다|였다|다|로|으로)(?![가-힣])"
    # 'called Cucumber Uncle' without quotes: "오이 아저씨로 불린 브로커".
    # A quoted nickname after a role word: "브로커 '김 사장'은".
    rf"|(?:{_HANGUL_ROLES_EARLY})[ ]['‘\"“](?P<hname5>[가-힣]{{1,4}}(?:[ ][가-힣]{{1,4}})?)['’\"”]"
    r"|(?<![가-힣])(?!가명|별명|이름)"
    r"(?P<hname4>[가-힣]{1,4}[ ][가-힣]{2,3}|[가-힣]{2,4}?)(?:으로|로)[ ]"
    r"(?:불린|불리는|불리던|불렸|불려|통하는|통했|부르는|부르기로|부른다|부르던|불러)"
)
# Words that start a capitalised run but are not names.
_NOT_NAME = frozenset(
    _words(
        """
        Dear The A An And But Or If When While After Before Since Although Though Because As At
        In On
        Of For From To By With Without Into Over Under About Between Among Against During
        Through This That These Those There Here He She It We They I You His Her Its Our Their
        My Your Who What Where Why How Which Some Many Most Few All Both Each Every Such No Not
        Yes One Two Three Four Five Six Seven Eight Nine Ten Monday Tuesday Wednesday Thursday
        Friday Saturday Sunday January February March April May June July August September
        October November December North South East West Korea Korean Koreans China Chinese
        Russia Russian Japan Japanese Seoul Pyongyang Beijing Moscow Ukraine Ukrainian American
        Americans Mr Mrs Ms Dr Prof General Minister President Officials Police Army Government
        Ministry Party Workers Unification Asked Speaking According Earlier Later Last Next Now
        Then Today Yesterday Tomorrow Also Still Yet Even Only Just Another Other Others Former
        Several Thousands Hundreds Dozens Defector Defectors Broker Brokers Soldiers Soldier
        Children Child Mother Father Sister Brother Daughter Son Wife Husband Family Relatives
        Sources Source Human Rights Camp Prison Province County City Town Village River Sea
        Kwalliso Radio Free Asia Daily NK News Times Post Telegram WeChat KakaoTalk Line Signal
        Facebook Google Reuters Yonhap KCNA Rodong Sinmun Women Men People Nobody Everyone
        Everybody Someone Somebody Anyone Residents Traders Farmers Smugglers Parents Locals
        Villagers Officers Guards Police Authorities Citizens Students Many Some Most Others
        None Neither Either Whoever Whatever God Lord Christ Jesus Tel Fax Mob Mandarin
        Cantonese English Vietnamese Thai Mongolian Uzbek Kazakh French German Spanish
        """
    )
)
# Head words of outlets, organisations and places: a run with one of them names no person.
_NOT_PERSON_HEADS = frozenset(
    _words(
        """
        Monitor Times Wire Report Reports News Lines Daily Watch Sosik Post Herald Journal
        Agency Service Ministry Department Office Committee Council Treasury University
        Institute Center Centre Foundation Association Network Group Bank Company Corporation
        Commission Bureau Province County City Town Village River Mountain Mountains Sea Bay
        Strait Island Islands Street Road Bridge Market Station Airport Port Camp Prison
        Hospital School Church Embassy Party Army Navy Force Forces Guard Command Assembly
        Parliament Congress Court Union Nations Korea Koreas China Russia Japan Ukraine America
        Kremlin Pentagon House Team Board Body Panel Mission Programme Program Project Lab Labs
        Studies Affairs Relations Research Security Strategy Policy
        Initiative Sleet Typhoon Blizzard Storm Lazarus Kimsuky Andariel
        Europe Asia
        Solutions Corp Inc Ltd LLC Holdings Services Systems Technologies Industries Partners
        Airlines Airways Motors Enterprises Insurance Logistics Shipping Telecom
        Series Cup Championship Championships League Bowl Olympics Prize Award Awards Festival
        Summit Forum Conference Expo Tournament Marathon
        Equities Securities Investments Capital Fund Funds Media Press Presse Studios Pictures
        Entertainment
        """
    )
)
#: A blank line after a word: a paragraph, or a headline, ends there without a stop.
_BLANK_LINE = re.compile(r"(?<=[^\W_])\n[ \t]*\n")
#: Between a name and the office it is named or appointed as: " as Boko Haram's ", " as the
#: new ", " as acting ".
_GIVEN_AS = re.compile(
    # (the rest of a name the run stopped short of may come first: "Abu Musab al-Barnawi")
    r"(?:[ ](?:[a-z]{1,3}-)?[A-Z][\w'’-]*){0,2}[ ]as[ ](?:the[ ]|an?[ ])?"
    r"(?:[A-Z][\w.&'’-]*[ ]){0,3}(?:[\w.&-]+['’]s[ ])?"
    r"(?:new[ ]|acting[ ]|interim[ ]|deputy[ ]|vice[ ]|first[ ]|chief[ ])?"
)
#: A title of state that a name run may start with ("Queen Elizabeth", "President Moon").
_TITLE_IN_NAME = re.compile(
    r"(?:King|Queen|Prince|Princess|Emperor|Empress|Pope|Sultan|Emir|Sheikh|President"
    r"|Premier|Chancellor|Senator|Governor|Mayor|General|Admiral|Ambassador|Minister)[ ]"
)
#: What a person's name may name after it: "Kim Chaek University", "Kim Il Sung Square".
_NAMED_AFTER_A_PERSON = re.compile(
    r"[ ](?:University|College|Institute|Academy|Hospital|Airport|Stadium|Station|Bridge"
    r"|Foundation|Prize|Award|Memorial|Mausoleum|Palace|Library|Square)\b"
)
#: Words for the members of an armed group or movement, written after its name.
_MEMBERS_AFTER = re.compile(
    r"[ ](?:militants?|fighters?|insurgents?|insurgency|extremists?|jihadists?|rebels?"
    r"|gunmen|militiam[ae]n|militias?|mercenar(?:y|ies)|stronghold|strongholds|hideouts?)\b"
)
_PLACE_PREPOSITION = re.compile(
    r"(?:in|of|from|at|near|to|into|across|the|The|outside|inside|In|At|From|Near|Outside)[ ]$"
)
#: A surname alone before 씨/군/양 ("리 씨", "최씨는"): a later mention, or an anonymised name.
_SURNAMES_BEFORE_ADDRESS = "".join(c for c in HANGUL_SURNAMES if c not in "이한전고현")
#: A bracket with a pseudonym mark or an age, then 씨/군/양: "(가명·12) 군", "(41)씨".
_BRACKET_THEN_ADDRESS = re.compile(
    r"\((?:(?:가명|별명|본명)[·,・][ ]?)?\d{1,2}(?:세|살)?\)[ ]?(?:씨|군|양)"
)
#: Surnames that may stand before 모 ("so-and-so") without spelling a word with it.
_SURNAMES_BEFORE_MO = "".join(
    c for c in HANGUL_SURNAMES if c not in "이고조부노계양소공사추유생규원지"
)
# Korean surnames of two syllables ("남궁선화" is 남궁 + 선화; "남궁 씨" is she).
_COMPOUND_SURNAMES = "남궁|황보|제갈|선우|독고|사공|서문|동방"
_HANGUL_SURNAME_HONORIFIC = re.compile(
    rf"(?<![가-힣])(?P<name>(?:{_COMPOUND_SURNAMES}|[{HANGUL_SURNAMES}])(?:[ ]?모)?)"
    r"[ ]?(?:씨|군|양)"
    r"(?:에게(?:서|는)?|께서|와의?|과의?|로만|으로만|라고만|로|라고|만|도|까지)?(?![가-힣]{2})"
    # "임 할머니는", "'장 선생'으로": a surname set apart before a form of address (이 is left
    # out: "이 할머니" is "this grandmother")
    rf"|(?<![가-힣])(?P<addressed>[{HANGUL_SURNAMES.replace('이', '')}])[ ]"
    r"(?:선생|사장|할머니|할아버지|아주머니|아저씨|영감|노인)"
    r"(?=[은는이가을를의과와도에께]|[ ,.'’\"”(]|님)"
    # "강 이모라고만 불리던", "'왕 아줌마'로", "박 과장", "류 집사님": more forms of address and
    # office titles after a surname (not after 한, 전, 고, 현: "한 언니" is "a sister", "전
    # 과장" "the former section chief")
    rf"|(?<![가-힣])(?P<kin>[{_SURNAMES_BEFORE_ADDRESS}])[ ]"
    r"(?:이모|고모|삼촌|아줌마|언니|누나|오빠|형님|실장|과장|부장|반장|집사|동무|여사)"
    r"(?=[은는이가을를의과와도에께라로랑한]|[ ,.'’\"”]|님)"
    # "탈북민 A(41) 씨", "피해자 B씨": the press's letter for a person it does not name
    r"|(?<![A-Za-z0-9가-힣])(?P<initial>[A-Z])(?=(?:\([^()]{1,12}\))?[ ]?(?:씨|군|양)"
    r"(?:에게(?:서|는)?|께서|와의?|과의?|로만|으로만|라고만|로|라고|만|도|까지)?(?![가-힣]{2}))"
    # "리모라는 스물세 살 청년": "so-and-so Ri", called so (not after syllables that make a word
    # with 모: 이모, 고모, 조모, 부모, 노모, 추모, 공모 …)
    rf"|(?<![가-힣])(?P<anon>[{_SURNAMES_BEFORE_MO}]모)(?=(?:라는|라고)(?![가-힣]))"
)
# A surname alone before a subject or topic particle, as a word of its own ("림은", "류가");
# 이 is left out: "이는", "이가" are ordinary words far more often than a surname.
_HANGUL_BARE_SURNAME = re.compile(
    rf"(?<![가-힣])(?P<name>[{HANGUL_SURNAMES.replace('이', '')}])"
    r"(?:은|는|이|가|의|에게|을|를)(?=[ ,.])"
)
# What a Korean name may carry in brackets: an age, an age and a town ("52·경기 안산"), a
# Chinese-character spelling with or without an age ("金明花·47"), or "가명".
_HANGUL_BRACKET = (
    r"\((?:(?:(?:당시|만)[ ]?)?\d{1,2}(?:세|살)?(?:[·・][ ]?[^()\n]{1,20})?"
    # "탁준(일곱 살) 군": an age in words
    r"|(?:스무|(?:열|스물|서른|마흔|쉰|예순|일흔|여든|아흔)"
    r"(?:한|두|세|네|다섯|여섯|일곱|여덟|아홉)?|한|두|세|네|다섯|여섯|일곱|여덟|아홉)[ ]?살"
    r"|[\u4e00-\u9fff]{2,4}(?:[·・][ ]?\d{1,2})?"
    r"|(?:가명|별명|본명)(?:[·・][ ]?\d{1,2})?"
    # "최나탈리야(Наталья Цой)씨", "탄웨이밍(Tan Wei Ming·48) 씨": the name in another alphabet,
    # with or without an age
    r"|[A-Za-zА-Яа-яЁё][A-Za-zА-Яа-яЁё'’.-]{1,20}"
    r"(?:[ ][A-Za-zА-Яа-яЁё][A-Za-zА-Яа-яЁё'’.-]{1,20}){0,2}(?:[·・][ ]?\d{1,2})?"
    r")\)"
)
_HANGUL_HAN_SPELLING = re.compile(
    rf"(?<![가-힣])(?P<name>[{HANGUL_SURNAMES}][가-힣]{{1,3}})[ ]?"
    r"\((?P<han>[\u4e00-\u9fff]{2,4})(?:[·・,][ ]?\d{1,2})?\)"
)
# "쑨창하이(孙长海)", "가오젠민(高建民·46) 씨": a Chinese name in Hangul, spelt in brackets
# in characters that start with a Chinese surname (attested as a person: ``_han_attested``).
_HANGUL_CHINESE_NAME = re.compile(
    rf"(?<![가-힣])(?P<name>[가-힣]{{2,6}})[ ]?\((?P<han>[{_HAN_SURNAMES}][\u4e00-\u9fff]{{1,2}})"
    r"(?:[·・,][ ]?\d{1,2})?\)"
)
# What follows a person's name spelt in characters: an age, 씨, or "was called".
_HAN_PERSON_AFTER = re.compile(
    r"[·・,][ ]?\d|\)[ ]?(?:씨|(?:으로|로|이라고|라고|이란|란|이라는|라는)[ ]?(?:불|이름))"
)
# "김옥희(33·혜산)", "방혁(28)": a surname and one or two syllables before an age.
_HANGUL_NAME_AGE = re.compile(
    rf"(?<![가-힣])(?P<name>[{HANGUL_SURNAMES}][가-힣]{{1,2}})[ ]?"
    # "한옥련(여, 39세)", "박용준(남, 45)": a casework list's sex before the age
    rf"\((?P<sex>{SEX_MARK})?(?:당시[ ]?|만[ ]?)?\d{{1,2}}(?:세|살)?(?=[·・,)])"
)


def _han_attested(flat: str, start: int, end: int) -> bool:
    """Whether a name in Chinese characters at ``flat[start:end]`` is a person's: three
    characters, or two with an age, 씨 or "was called" after them ("선양(沈阳)" is a city, and a
    two-character place starts with a surname as often as a name does)."""
    return end - start >= 3 or _HAN_PERSON_AFTER.match(flat, end) is not None


_HAN_READING = re.compile(r"(?<![가-힣])[가-힣]{2,4}[ ]?[(（]$")
_PRIVATE_NAMESAKE = re.compile(r"[ ]?(?:\(\d{1,2}[)·・]|씨(?![가-힣]{2}))")
# A Latin-script namesake of a known public figure, marked private by its own mention: a
# naming formula before it ("whom the broadcaster calls Ri Yong-ho"), a vulnerable role word
# right before it ("prisoner Kim Jong-nam") or an age right after it ("Kim Il-song, 11,").
_NAMED_PRIVATELY_BEFORE = re.compile(
    rf"(?:\b(?:calls|called|named|call (?:him|her|them)|calling (?:him|her|them)"
    rf"|identified(?: only)? as|known(?: only)? as|pseudonym|alias|goes by|went by)"
    rf"|(?<![\w])(?:{_ROLE_NOUNS}))[ ,]{{1,2}}[\"“‘']?$"
)
# A roster's row, "6. Ri Yong-gil, 26, Hamhung 7. ...": name, age and home town, as no
# office holder is listed.
_ROW_AFTER = re.compile(
    r",[ ]\d{1,2},[ ][A-Z][a-z]+(?:[ -][A-Z][a-z]+)?(?=[ ]\d{1,3}[.)][ ]|[ ]?[;\n]|$)"
)
_AGED_AFTER = re.compile(r",[ ](?:aged[ ])?\d{1,2}(?=[,;.)]|[ ]and[ ]\d)|[ ]\(\d{1,2}\)")
_HANGUL_NAME_SUFFIX = re.compile(
    # a surname set apart by a space has a two-syllable given name after it ("김 영철 씨"):
    # in "186㎝인 마성훈 씨" the syllable before the space is a copula, not a surname
    rf"(?<![가-힣])(?P<name>[{HANGUL_SURNAMES}](?:[ ][가-힣]{{2}}|[가-힣]{{2,3}})"
    rf"(?=(?:[ ]?{_HANGUL_BRACKET})?[ ]?(?:씨|군|양))"
    # "최나탈리야씨", "박세르게이씨": a Korean surname before a Russian given name, before 씨
    # only ("우크라이나군" is an army).
    rf"|[{HANGUL_SURNAMES}][가-힣]{{4,5}}(?=(?:[ ]?{_HANGUL_BRACKET})?[ ]?씨)"
    rf"|(?!아저씨)[가-힣]{{2}}(?=(?:[ ]?{_HANGUL_BRACKET})?[ ]?씨)"
    # "탄웨이밍(Tan Wei Ming·48) 씨": a foreign name in Hangul, spelt in its own alphabet
    r"|[가-힣]{2,6}(?=[ ]?\([A-Z][A-Za-z'’.-]{1,20}(?:[ ][A-Z][A-Za-z'’.-]{1,20}){0,3}"
    r"(?:[·・,][ ]?\d{1,2})?\)[ ]?씨))"
    rf"(?:[ ]?{_HANGUL_BRACKET})?[ ]?(?P<suffix>씨|군|양)"
    r"(?:에게(?:서|는)?|께서|와의?|과의?)?(?![가-힣]{2})"
)
# Words naming a private role that a Hangul name may follow ("포로 김", "딸 순희").
_HANGUL_ROLES = (
    "포로|병사|브로커|중개인|협력자|노동자|근로자|소식통|피해자|딸|아들|어머니|아버지|남편|아내"
    "|동생|언니|누나|오빠|조카|이모|삼촌|할머니|할아버지|소녀|소년|학생|아이|주민|여성|남성|동료"
    # who a private person is to the story: a nationality or community, a trade, a companion
    "|중국인|조선족|화교|한족|고려인|미국인|일본인|러시아인|한국계|주인|집주인|상인|무역상|공급책"
    "|운반책|밀수꾼|밀매꾼|운전사|운전기사|동기|이웃|친구|지인|선교사|통역|통역사"
    # people of a market, a work team or a village, as witnesses name them
    "|처녀|총각|작업반장|분대장|돈주|대방|장사꾼|안내인|선원|건물주|하숙생"
    # family words and forms of address for someone older
    "|아빠|엄마|손자|손녀|사촌|고모|외삼촌|며느리|사위|부인|아주머니|아줌마|아저씨"
)
_HANGUL_ROLE_WORDS = frozenset(_HANGUL_ROLES.split("|"))
# What a Hangul name may be followed by: an age, "(가명)", or a form of address.
_HANGUL_AFTER_NAME = rf"[ ]?(?:{_HANGUL_BRACKET}|씨|군|양)"
_HANGUL_TRIGGER = re.compile(
    rf"[가-힣]{_HANGUL_AFTER_NAME}|(?:탈북|{_HANGUL_ROLES})[가-힣]{{0,2}}[ ][가-힣]"
)
_HANGUL_PERSON_AFTER = re.compile(_HANGUL_AFTER_NAME)
# A three-syllable name right after a role word, before a particle, an age or a space.
_HANGUL_BROKEN_NAME = re.compile(
    rf"(?:탈북민|탈북자|{_HANGUL_ROLES})[ ](?P<name>[{HANGUL_SURNAMES}])[ ](?P<given>[가-힣]{{2}})"
    r"(?=(?:은|는|이|가|을|를|의|에게|과|와|도|이는|이가|이를|이의)?(?:[ ,.(\"'”’]|$))"
)
_HANGUL_AFTER_ROLE = re.compile(
    # "브로커는 무산 출신 박정덕이었다": after where a person comes from, too
    rf"(?:탈북민|탈북자|출신|{_HANGUL_ROLES})(?:인|이자)?[ ]"
    rf"(?P<name>[{HANGUL_SURNAMES}][가-힣]{{2}})"
    r"(?=(?:은|는|이|가|을|를|의|에게|과|와|도|다|이다|였다|이었다|으로|로|으로부터|로부터|이랑|랑"
    r"|에게서|한테)?(?:[ ,.(\"'”’]|$))"
)
# "고바야시 미쓰코(小林光子·83) 씨": a name of two words, with its bracket and 씨 (checked with the
# analyser: words it knows, "사는 현정애", are no name).
_HANGUL_TWO_WORD_NAME = re.compile(
    rf"(?<![가-힣])(?P<first>[가-힣]{{2,4}})[ ](?P<second>[가-힣]{{2,4}})"
    rf"(?=[ ]?{_HANGUL_BRACKET}[ ]?씨)"
)
#: The case endings a Korean name most often carries ("리영남과", "백성철의").
_ENDINGS = "은|는|이|가|을|를|의|에게|과|와|도"
#: A particle after a name's familiar suffix 이 ("은심이는", "영철이와").
_FAMILIAR_PARTICLE = re.compile(rf"(?:{_ENDINGS}|한테|하고|랑|만)(?![가-힣])")
# A role or nationality word, then a name of two words, maybe after one more word for the
# role ("러시아인 감독 드미트리 코발료프는", "고려인 빅토르 리 씨", "운전사 솜삭 분미도").
# A word in -인 names a nationality or a trade ("말레이시아인", "상인") as often as not.
_HANGUL_ROLE_THEN = re.compile(
    rf"(?:탈북민|탈북자|{_HANGUL_ROLES}|(?<![가-힣])[가-힣]{{1,6}}인)(?:인|이자)?[ ]"
)
_HANGUL_TWO_WORDS = re.compile(
    rf"(?P<first>[가-힣]{{2,5}})[ ](?P<second>[가-힣]{{1,5}}?)"
    rf"(?=(?:[ ]?{_HANGUL_BRACKET})?(?:[ ]?씨)?(?:{_ENDINGS}|한테|이다|였다)?"
    r"(?:[ ,.(\"'”’]|$))"
)
_HANGUL_ONE_WORD = re.compile(r"[가-힣]{2,4}[ ]")
_NAME_IN_SCRIPT = re.compile(
    r"\b(?:(?:writes|wrote|spells|spelt|spelled|gives|gave) (?:his|her|their) (?:full )?name"
    r"|(?:calls|called|signs|signed) (?:himself|herself))(?: as)?[ ]"
    r"(?P<name>[가-힣]{2,4}|[\u4e00-\u9fff]{2,4})(?![가-힣\u4e00-\u9fff])"
)
# A quoted name listed after another: ', "Tony Hsu"', ' and "Michelle Tran"'.
_QUOTED_MORE = re.compile(
    r"(?:,[ ]|,?[ ](?:and|or)[ ])[\"“‘'](?P<name>[A-Z][\w'’-]{1,20}(?:[ ][A-Z][\w'’-]{1,20}){0,2})"
    r"[.,!?]?[\"”’']"
)
# "리영철이라는 사람", "순옥이라는 여성": a name before "a person called".
_HANGUL_CALLED = re.compile(
    rf"(?<![가-힣])(?P<name>[{HANGUL_SURNAMES}][가-힣]{{1,3}}?)(?:(?:이라는|라는|이란|란)[ ]"
    # "왕샤오밍이라는 한족 남자": a word may describe the person first
    r"(?:[가-힣]{1,4}[ ])?"
    r"(?:사람|남자|여자|여성|남성|아이|청년|노인|학생|병사|군인|노동자|주민|탈북민|브로커|소녀|소년)"
    # "한호란이라는 한국 이름으로": a name given as a name
    r"|(?:이라는|라는)[ ](?:[가-힣]{1,4}[ ])?(?:이름|가명|별명|예명))"
)
#: Words for a name ("… 이라는 이름").
_NAME_WORDS = ("이름", "가명", "별명", "예명")
_HANGUL_CHAR = re.compile(r"[가-힣]")
#: A case ending that closes a word: "자오메이는", "자오메이한테".
_ENDING_ALONE = re.compile(rf"(?:{_ENDINGS}|한테)(?![가-힣])")
#: Punctuation that closes a word.
_PUNCTUATION = re.compile(r"[,.\"'”’)(]")
# A second name joined to one after a role word: "리영남과 백성철의", "김철, 박영수는".
_HANGUL_JOINED_NAME = re.compile(
    rf"(?:과|와|[ ]및|,)[ ](?P<name>[{HANGUL_SURNAMES}][가-힣]{{2}})"
    rf"(?=(?:{_ENDINGS})?(?:[ ,.(\"'”’]|$))"
)
# A two-syllable given name with the familiar suffix 이 and a case ending ("정국이의", "금순이는").
_HANGUL_FAMILIAR = re.compile(
    r"(?<![가-힣])(?P<given>[가-힣]{2})이(?P<ending>는|가|의|를|도|와|랑|하고|에게|한테)(?=[ ,.])"
)
# A name before the role noun that says who the person is ("오명훈 선교사는", "위창호 공급책이"):
# the role noun ends the phrase with its case ending; one followed by a word of its own
# introduces what comes next ("장마당 상인 최은숙": a market's trader).
_HANGUL_BEFORE_ROLE = re.compile(
    rf"(?<![가-힣])(?P<name>[{HANGUL_SURNAMES}][가-힣]{{2}})[ ](?:{_HANGUL_ROLES})"
    rf"(?=(?:(?:{_ENDINGS}|이다|였다|으로|로)(?:[ ,.\"'”’]|$)|[,.\"'”’]))"
)
# Any word of two to five syllables after a role word, before a case ending (checked with the
# analyser: only a word it does not know is taken).
_HANGUL_FOREIGN_AFTER_ROLE = re.compile(
    rf"(?:탈북민|탈북자|{_HANGUL_ROLES})(?:인|이자)?[ ](?P<name>[가-힣]{{2,9}})(?=[ ,.(\"'”’]|$)"
)
# What follows a place, not a person: "출신", "에서", "근처".
_NOT_A_NAME_AFTER = re.compile(r"(?:[ ]?(?:출신|근처|일대|지역|시내|외곽)|에서|에[ ])")
_KIN_AFTER = re.compile(
    r"의[ ](?:어머니|아버지|아내|남편|딸|아들|가족|동생|형|누나|언니|오빠|부모|할머니|할아버지"
    r"|이모|삼촌)"
)
# A kin word right before a name: the name is introduced as somebody's relative.
_KIN_BEFORE = re.compile(
    r"(?:\b(?i:(?:grand|step|half-)?(?:mother|father|sister|brother|son|daughter|child)"
    r"|wife|husband|cousin|uncle|aunt|niece|nephew|parent)(?:-in-law)?,?[ ]"
    r"|(?:어머니|아버지|딸|아들|남편|아내|남동생|여동생|동생|언니|누나|형|오빠|조카|할머니|할아버지"
    r"|손자|손녀|이모|삼촌|고모|사촌)[ ])$"
)
_HANGUL_ROLE_BEFORE = re.compile(rf"(?:탈북민|탈북자|형|{_HANGUL_ROLES})(?:인|이자)?[ ]$")
_HANGUL_WORD = re.compile(r"[가-힣]")
# A whole Hangul name of three or four syllables, and what may follow it written again: a
# particle, a form of address or a copula ("장금녀는", "장금녀씨", "장금녀였다").
_HANGUL_NAME_WRITTEN = re.compile(r"(?=(?:[ ]?[가-힣]){3})[가-힣]{1,5}(?:[ ][가-힣]{1,5})?")
_HANGUL_PARTICLE_AFTER = rf"(?:씨|님|군|양|{_ENDINGS}|에|만|한테|께|로|으로|라고|이라|였|이었|이다)"
_COUNTY_BEFORE = re.compile(r"(?<![가-힣])[가-힣]{1,4}도[ ]$")
#: At most this many name candidates per piece of text (a hostile page cannot cost more).
MAX_MENTIONS = 5_000
# One item of a list of names: "12. KIM Byol Ung — brigade 2", "Pak Nam-gyu", "김성명".
_LIST_ITEM = re.compile(
    rf"^[ \t]*(?:\d{{1,4}}[.)][ \t]?)?(?P<name>[A-Z][A-Za-z]{{0,5}}[ \t][A-Z][a-z]{{1,8}}"
    rf"(?:[- \t][A-Za-z][a-z]{{1,8}})?|[{HANGUL_SURNAMES}][가-힣]{{1,3}})"
    r"(?:[ \t]?[—–(-][^\n,]{0,40})?[ \t.]*$"
)
_LIST_CHUNK = re.compile(r"[^,\n;/]+")
#: The fewest names in a row that make a list.
LIST_MIN = 4
# Phrases that introduce a list of public figures.
_PUBLIC_LIST = re.compile(
    r"(?i)members? of (?:the )?(?:national assembly|parliament|congress|the delegation)"
    r"|co-sponsor\w*|signator\w*|lawmakers|legislators|officials|delegat\w+|ministers|diplomats"
    r"|sanctioned|designated|의원|관리|간부|대표단"
)
# A title's full stop ("Rep. Kim", "Dr. Jang") ends no sentence.
_TITLES_WITH_STOPS = "Mr Mrs Ms Dr Rep Sen Gov Gen Col Lt Maj Adm Prof Supt Insp Amb Capt Sgt Cpl"
# Checked after the full stop, so that every alternative starts with its character and the
# pattern engine skips ahead to the next candidate instead of trying each position.
# A middle initial's stop ("Mark W. Lippert") ends no sentence either.
_TITLE_STOPS = "".join(
    rf"(?<!\b{title}\.)" for title in [*_TITLES_WITH_STOPS.split(" "), "Pvt", "[A-Z]"]
)
_SENTENCE_END = re.compile(
    rf"[!?。？！][\"”’')\]]*(?=\s)|\.{_TITLE_STOPS}[\"”’')\]]*(?=\s)|\n[ \t]*\n"
)
_BYLINE = re.compile(
    rf"(?m)(?:^[ \t]*|(?<=[.!?\"”’])[ ]+)(?:By|BY|Written by|Reporting by)[ \t]+"
    rf"(?P<name>{_CAPNAME}(?:[ \t]{_CAPNAME}){{0,2}})[ \t]*(?:$|,|\||[.;](?:[ \t]|$)"
    # "By Hwang Se-jin Hwang Se-jin is a senior fellow ...": the line break lost, the tagline
    # repeats the name
    r"|(?=(?P=name)\b))"
)
_HANGUL_BYLINE = re.compile(r"(?P<name>[가-힣]{2,4})[ ]?(?:기자|특파원|논설위원)")
# Credit lines: "Lee Ji-eun contributed reporting.", "(Photos: Jeon Ho-jin, Kim Da-eun)",
# "Additional reporting by A and B": the names are the outlet's journalists.
_CREDIT_AFTER = re.compile(
    rf"(?P<names>{_CAPNAME}(?:[ ]{_CAPNAME}){{0,2}})[ ]contributed[ ](?:reporting|to[ ]this"
    r"[ ](?:report|story|article))"
)
_CREDIT_BEFORE = re.compile(
    # "(Photos: A, B)" in brackets, or "Photo by A"; "Photo: Defector Kim …" opens a caption
    # about its subject, not a credit
    r"\((?:Photos?|Photographs?|Pictures?|Images?|Video)(?:[ ]by)?:?[ ]"
    r"|\b(?:Photos?|Photographs?|Pictures?|Video)[ ]by[ ]"
    r"|(?:[Aa]dditional[ ])?[Rr]eporting[ ]by[ ]|[Ee]dited[ ]by[ ]"
    r"|\b(?:Text|Captions?|Text[ ]and[ ]captions|Words|Graphics|Illustrations?)[ ]by[ ]"
)
# "Photo: Jung Da-un" closing a caption (the next caption, a credit or the line's end after
# it); "Photo: Defector Kim … stands …" opens one about its subject and is no credit.
_CREDIT_LABEL = re.compile(
    r"(?:^|(?<=[.!?\"”’)])[ ]+|\n)(?:Copy[ ])?(?:[Pp]hotos?|[Pp]hotographs?|[Pp]ictures?|[Ii]mages?"
    r"|[Vv]ideo|[Gg]raphics?|[Ii]llustrations?)(?:[ ]by)?:[ ]"
    rf"(?P<name>{_CAPNAME}(?:[ ]{_CAPNAME}){{0,2}})"
    r"(?=[ \t]*(?:$|\n|\|)|[ ]+(?:Copy[ ])?(?:Photo|Text|Edited|Captions?|Video|For)\b|[ ]?[/;])",
    re.MULTILINE,
)
_CREDIT_NAME = re.compile(
    rf"(?P<name>{_CAPNAME}(?:[ ]{_CAPNAME}){{0,2}})(?P<sep>,[ ]|[ ]and[ ]|;[ ])?"
)


#: Wire and photo agencies, as photo credits write them after or before the photographer.
_AGENCIES = (
    r"AP|AP[ ]Photo|Associated[ ]Press|Reuters|REUTERS|AFP|Getty[ ]Images|Getty|EPA(?:-EFE)?"
    r"|Yonhap|YONHAP|Xinhua|Kyodo|Bloomberg|TASS|Anadolu|Shutterstock|NurPhoto|Sipa|ZUMA"
    r"|Invision|Pool|News1|Newsis"
)
_CREDIT_PERSON = rf"{_CAPNAME}(?:[ ](?:[{_UP}]\.[ ])?{_CAPNAME}){{1,2}}"
# Photo credits: "Lee Jin-man/AP", "Kim Kyung Hoon / Reuters", "REUTERS/Issei Kato",
# "AP Photo/Richard Drew": the photographer is the agency's journalist.
_CREDIT_SLASH = re.compile(
    rf"(?<![\w/])(?P<after>{_CREDIT_PERSON})[ ]?/[ ]?(?:{_AGENCIES})(?![\w])"
    rf"|(?<![\w/])(?:{_AGENCIES})[ ]?/[ ]?(?P<before>{_CREDIT_PERSON})(?![\w])"
)
_AGENCY_WORD = re.compile(rf"(?:{_AGENCIES}|Images|KCNA|Stringer)")


def _credited(text: str) -> Iterator[tuple[int, int]]:
    """The names of the journalists a credit line gives: ``(start, end)`` of each."""
    for match in _CREDIT_SLASH.finditer(text):
        group = "after" if match.group("after") else "before"
        start, end = match.start(group), match.end(group)
        # "Getty Images Toru Yamanaka/AFP": the agency's words before the name are not in it
        while (word := re.match(r"\S+[ ]", text[start:end])) and _AGENCY_WORD.fullmatch(
            word.group().strip()
        ):
            start += word.end()
        if " " in text[start:end]:
            yield start, end
    for match in _CREDIT_AFTER.finditer(text):
        yield match.start("names"), match.end("names")
    for match in _CREDIT_LABEL.finditer(text):
        yield match.start("name"), match.end("name")
    for match in _CREDIT_BEFORE.finditer(text):
        position = match.end()
        for _ in range(6):
            name = _CREDIT_NAME.match(text, position)
            if name is None:
                break
            yield name.start("name"), name.end("name")
            if not name.group("sep"):
                break
            position = name.end()


@dataclass(slots=True)
class _Mention:
    start: int
    end: int
    key: str
    parts: tuple[str, ...]
    full: bool
    public: bool = False
    listed: str | None = None  # "public" or "protected" when the profile lists the name
    role: str | None = None
    age: int | None = None
    score: float = 0.0
    hangul: bool = False
    # A bare name part given to an earlier owner than the latest: the latest owner's key.
    latest: str | None = None


@dataclass(slots=True)
class _Person:
    key: str
    public: bool | None = None
    role: str | None = None
    age: int | None = None
    score: float = 0.0
    mentions: list[_Mention] = field(default_factory=list)


def _sentences(text: str) -> list[tuple[int, int]]:
    spans = []
    start = 0
    for match in _SENTENCE_END.finditer(text):
        spans.append((start, match.end()))
        start = match.end()
    spans.append((start, len(text)))
    return spans


_SENTENCE_START = re.compile(r"(?:^|[.!?][\"”’')]*[ \u00a0]+|\n\s*)$")


def _common_word_opening(flat: str, start: int, end: int) -> int:
    """The length of a run's first word and the space after it, when the run opens a sentence,
    holds at least three words, and the text also writes that first word in lower case
    ("Singer John Legend said ... the singer"); else 0. Words that are names as often as words
    ("Young", "Rose") stay."""
    words = flat[start:end].split(" ")
    if len(words) < 3 or not _SENTENCE_START.search(flat, max(0, start - 4), start):
        return 0
    first = words[0]
    lower = first.lower()
    if first == lower or lower in COMMON_WORDS or len(first) < 3:
        return 0
    if lower not in _lower_case_words(flat):
        return 0
    return len(first) + 1


@lru_cache(maxsize=8)
def _lower_case_words(flat: str) -> frozenset[str]:
    """The words a text writes in lower case, read once per text (a list of ten thousand names
    asks once per name)."""
    return frozenset(re.findall(r"(?<![\w'’-])[a-z]+(?![\w'’-])", flat))


def _written_in_lower_case(flat: str, start: int, end: int) -> bool:
    """Whether the words of a capitalised run of several words also stand in the text in
    lower case: a phrase capitalised as a headline is, not a name."""
    words = flat[start:end].split()
    if len(words) < 2 or flat[start:end].lower() == flat[start:end]:
        return False  # "Hope", "Rose": one-word names are words too; Hangul has no case
    return _phrase_in_lower_case(flat, tuple(word.lower() for word in words))


@lru_cache(maxsize=256)
def _phrase_in_lower_case(flat: str, words: tuple[str, ...]) -> bool:
    """Whether ``words`` stand in ``flat`` as written, as whole words. Kept for the last few
    hundred texts and phrases (a name met many times in a text is looked up once; each entry
    holds its text, so the bound is small), and searched for its letters first: a pattern
    that opens with a look-behind is tried at every position of the text, one with a literal
    is not."""
    if words[0] not in flat:
        return False
    pattern = _lower_case_phrase(words)
    match = pattern.search(flat)
    while match is not None:
        if match.start() == 0 or not _WORD_BEFORE.match(flat, match.start() - 1):
            return True
        match = pattern.search(flat, match.start() + 1)
    return False


@lru_cache(maxsize=1024)
def _lower_case_phrase(words: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile(r"[ \t\n]+".join(re.escape(word) for word in words) + r"(?![\w-])")


_WORD_BEFORE = re.compile(r"[\w'’-]")


def _is_pinyin_given(given: str) -> bool:
    return (
        _PINYIN_GIVEN.fullmatch(given) is not None
        and given.casefold() not in COMMON_WORDS
        and given not in _NOT_NAME
        and given not in _NOT_PERSON_HEADS
    )


def _is_korean_given(given: str) -> bool:
    parts = re.split(r"[-\u2010\u2011\s]+", given)
    if len("".join(parts)) > 10:
        return False
    return all(_SYLLABLE_RE.match(p) for p in parts) and not all(
        p.casefold() in _ENGLISH_WORDS for p in parts
    )


def _name_ok(name: str) -> bool:
    words = re.split(r"\s+", name)
    return (
        bool(words)
        and words[0] not in _NOT_NAME
        and not re.search(r"['’]s$", words[0])
        and all(
            w not in _NOT_NAME
            and w not in _NOT_PERSON_HEADS
            # a middle initial ("L.") is the one word in capitals a name may hold
            and (not w.isupper() or re.fullmatch(r"[A-Z]\.", w) is not None)
            for w in words
        )
    )


def _squeeze(name: str) -> str:
    return "".join(fold(c) for c in name if c.isalnum())


def _key(name: str) -> str:
    return " ".join(fold(p) for p in re.split(r"[\s\-\u2010\u2011]+", name) if p)


class PersonRecogniser:
    """Person names in Latin and Hangul, each judged public or protected (see module doc)."""

    name = "person"

    def __init__(self, profile: Profile) -> None:
        self.profile = profile
        self._known = entity_matcher(profile)
        listed = [
            Entity(f"public-{i}", name, "person", ())
            for i, name in enumerate(profile.public_people)
        ] + [
            Entity(f"protected-{i}", name, "person", ())
            for i, name in enumerate(profile.protected_people)
        ]
        self._listed = entity_matcher(Profile((), tuple(_with_alias(e) for e in listed), ()))
        # Public names written without their hyphen or space ("Kim Jongun") still match.
        self._public_squeezed = {
            _squeeze(alias.text)
            for entity in profile.entities
            if entity.type == "person"
            for alias in entity.aliases
        } | {_squeeze(name) for name in profile.public_people}

    def analyse(self, text: str, flat: str) -> list[Detection]:
        # A name never runs over a blank line: "... nabbed in Louisiana" ending a headline and
        # "Michael Neu, 67" opening the text are two runs (``normalise`` writes line breaks as
        # spaces, so that a name split over two lines is still one; a blank line becomes a bar,
        # which no name holds and which, unlike a full stop, makes no "Miss" a title).
        if "\n" in text:
            chars = list(flat)
            for gap in _BLANK_LINE.finditer(text):
                chars[gap.start()] = "|"
            flat = "".join(chars)
        sentences = _sentences(text)
        cues = role_cues(flat)
        offices = public_cues(flat)
        strong_text = any(role in STRONG_ROLES for _, _, role in cues)
        blocked: list[tuple[int, int]] = []  # spans of known organisations and places
        mentions: list[_Mention] = []
        tokens = tokenize(flat)
        for named, entity in self._listed.find_named(flat, tokens):
            listed = "public" if entity.id.startswith("public-") else "protected"
            mentions.append(
                _Mention(
                    named.start,
                    named.end,
                    _key(entity.name),
                    _parts(entity.name),
                    True,
                    public=listed == "public",
                    listed=listed,
                )
            )
        for named, entity in self._known.find_named(flat, tokens):
            if _overlaps_any(named.start, named.end, mentions):
                continue
            if _PRIVATE_NAMESAKE.match(flat, named.end) and _HANGUL_WORD.match(flat, named.start):
                # "노동자 김영철(44) 씨": an age in brackets or 씨 marks a private namesake
                # of a known official; the press gives officials their titles.
                continue
            if entity.type != "person":
                blocked.append((named.start, named.end))
                continue
            if not _HANGUL_WORD.match(flat, named.start) and _named_privately(
                flat, named.start, named.end, cues
            ):
                # Judged as any other name: its own mention says it is not the official.
                continue
            mentions.append(
                _Mention(
                    named.start,
                    named.end,
                    _key(entity.name),
                    _parts(entity.name),
                    True,
                    public=True,
                    listed="public",
                )
            )
        for match in _BYLINE.finditer(text):
            name = match.group("name")
            if _name_ok(name) and not _overlaps_any(
                match.start("name"), match.end("name"), mentions
            ):
                mentions.append(
                    _Mention(
                        match.start("name"),
                        match.end("name"),
                        _key(name),
                        _parts(name),
                        True,
                        public=True,
                        listed="public",
                    )
                )
        for start, end in _credited(text):
            name = text[start:end]
            if _name_ok(name) and not _overlaps_any(start, end, mentions):
                credit = _Mention(start, end, _key(name), _parts(name), True, public=True)
                credit.listed = "public"
                mentions.append(credit)
        candidates = self._candidates(text, flat, blocked)
        occupied = _Occupied(len(flat))
        for mention in mentions:
            occupied.add(mention.start, mention.end)
        # Name parts seen so far, in text order, to tell a later mention from a new name.
        events = sorted(
            [(m.start, 0, m.parts) for m in mentions] + [(c.start, 1, c.parts) for c in candidates]
        )
        seen_parts: set[str] = set()
        event_index = 0
        for candidate in sorted(candidates, key=lambda m: m.start)[:MAX_MENTIONS]:
            while event_index < len(events) and events[event_index][0] < candidate.start:
                seen_parts.update(events[event_index][2])
                event_index += 1
            if occupied.overlaps(candidate.start, candidate.end):
                continue
            if _squeeze(flat[candidate.start : candidate.end]) in self._public_squeezed and not (
                _PRIVATE_NAMESAKE.match(flat, candidate.end)
                if candidate.hangul
                else _named_privately(flat, candidate.start, candidate.end, cues)
            ):
                candidate.public, candidate.listed = True, "public"
            # A one-word name that is part of an earlier full name is a later mention of it
            # ("Kim said", "지영 씨"); the later-mention pass decides whose.
            surface = flat[candidate.start : candidate.end]
            one_word = candidate.parts == (surface,) or (candidate.hangul and len(surface) == 2)
            if one_word and surface in seen_parts:
                continue
            mentions.append(candidate)
            occupied.add(candidate.start, candidate.end)
        mentions.sort(key=lambda m: (m.start, m.end))
        spellings = _other_script_spellings(flat, mentions, occupied)
        owners = {part: s for s in spellings for part in s.parts}
        for mention in mentions:
            # "미란 씨" after "Pak Mi-ran (박미란)": a later mention, not a new person.
            owner = owners.get(flat[mention.start : mention.end])
            if owner is not None and owner.start < mention.start and mention.listed is None:
                mention.key, mention.full = owner.key, False
        mentions += spellings
        mentions.sort(key=lambda m: (m.start, m.end))
        mentions = self._later_mentions(flat, mentions, blocked)
        people = self._judge(flat, mentions, sentences, cues, offices, strong_text=strong_text)
        _surnames_of_later_public_names(flat, people)
        detections = []
        for judged in people.values():
            for mention in judged.mentions:
                person = judged
                latest = people.get(mention.latest or "")
                if person.public and latest is not None and not latest.public:
                    person = latest  # see _continuing
                detections.append(
                    Detection(
                        PERSON,
                        mention.start,
                        mention.end,
                        person.score if not person.public else 0.0,
                        self.name,
                        role=person.role,
                        key=person.key,
                        age=person.age,
                        public=bool(person.public),
                    )
                )
        return detections

    # -- finding -------------------------------------------------------------------------------

    def _candidates(self, text: str, flat: str, blocked: list[tuple[int, int]]) -> list[_Mention]:
        found: list[_Mention] = []
        occupied = _Occupied(len(flat))
        named = _Occupied(len(flat))  # names only, without the known places and organisations
        for start, end in blocked:
            occupied.add(start, end)

        def add(
            start: int, end: int, name: str, *, hangul: bool = False, quoted: bool = False
        ) -> None:
            # A nickname in quotes may hold a known place ("'단둥 큰손'", "the Dandong Boss").
            taken = named if quoted else occupied
            if len(found) >= MAX_MENTIONS or taken.overlaps(start, end):
                return
            if hangul and re.fullmatch(_COMPOUND_SURNAMES, name):
                return  # "남궁 씨": a surname alone, which the later-mention pass reads
            # "the tanker Yu Jong 2", "in Ho Chi Minh City": a ship's or a place's name
            if (
                _VESSEL_BEFORE.search(flat, max(0, start - 12), start)
                or _PLACE_AFTER.match(flat, end)
                # "the son Kevin, played by ...": a character of a film or a series
                or _PLAYED_BY_AFTER.match(flat, end)
            ):
                return
            if not hangul and (
                # "in Hong Kong", "Stuttgart, Germany,": a country or a major city named as
                # such, not a person who happens to share the shape of a name
                (
                    flat[start:end] in _world_places()
                    and not _AGE_OR_TITLE.match(flat, end)
                    and not _TITLE_BEFORE.search(flat, max(0, start - 6), start)
                )
                # "the Pixel Visual Core", "The Cubs, who": an article makes a run the name of
                # a thing, a team or a group; a person's name takes none
                or _ARTICLE_BEFORE.search(flat, max(0, start - 4), start)
                # "Boko Haram militants", "Wagner fighters": the members of an armed group
                or _MEMBERS_AFTER.match(flat, end)
                # "Kim Chaek University": a thing named after a person
                or _NAMED_AFTER_A_PERSON.match(flat, end)
            ):
                # Its words are no later mention of anyone either.
                occupied.add(start, end)
                blocked.append((start, end))
                return
            if (
                hangul
                and _COUNTY_BEFORE.search(flat, max(0, start - 6), start)
                and flat.startswith("군", end)
            ):
                return  # "양강도 김정숙군": a county named after a person, not the person
            if not hangul and _written_in_lower_case(flat, start, end):
                return  # "for No Longer Considering" in a headline, "no longer" in the text
            if not hangul and (opener := _common_word_opening(flat, start, end)):
                # "Singer John Legend said": a sentence's first word, a noun the text writes
                # in lower case too, is no part of the name that follows it
                start += opener
                name = flat[start:end]
            occupied.add(start, end)
            named.add(start, end)
            found.append(_Mention(start, end, _key(name), _parts(name), True, hangul=hangul))

        for start, end, listed, role in _name_lists(text):
            name = flat[start:end]
            mention = _Mention(start, end, _key(name), (), True, listed=listed, role=role)
            mention.public = listed == "public"
            if not occupied.overlaps(start, end):
                occupied.add(start, end)
                named.add(start, end)
                found.append(mention)
        for match in _KOREAN_FULL.finditer(flat):
            given = match.group("given")
            if _is_korean_given(given) and given.split()[0] not in _NOT_NAME:
                add(match.start(), match.end(), match.group())
            elif _is_korean_given(given.split()[0]) and given.split()[0] not in _NOT_NAME:
                # "Kim Ji Young said": the given name may be one word before other prose.
                first = given.split()[0]
                end = match.start("given") + len(first)
                add(match.start(), end, flat[match.start() : end])
        for match in _CHINESE_FULL.finditer(flat):
            if _is_pinyin_given(match.group("given")):
                add(match.start(), match.end(), match.group())
        for match in _CYRILLIC_FULL.finditer(flat):
            add(match.start(), match.end(), match.group())
        for match in _HAN_NAME.finditer(flat):
            # "선양(沈阳)": two characters glossing the Hangul word before them, with no age or
            # 씨, spell a place as often as a person; a person's come with one.
            if _HAN_READING.search(
                flat, max(0, match.start() - 8), match.start()
            ) and not _han_attested(flat, match.start(), match.end()):
                continue
            # "権利者の許諾を得ずに", "立ち上がらなくする方法": in Japanese prose most words are
            # written in characters, so a run is a person's name only with a form of address or
            # a role after it ("佐藤由美子さん", "金容疑者").
            if _KANA.search(flat, max(0, match.start() - 30), match.end() + 30) and not (
                _JAPANESE_NAME_AFTER.match(flat, match.end())
            ):
                continue
            add(match.start(), match.end(), match.group())
        for match in _KOREAN_REVERSED.finditer(flat):
            if _is_korean_given(match.group("given")):
                add(match.start(), match.end(), match.group())
        for match in [*_CONTEXT_NAMES.finditer(flat), *_DESCRIBED_NAME.finditer(flat)]:
            group = match.lastgroup or ""
            name = match.group(group)
            start, end = match.start(group), match.end(group)
            if group in {"n11", "n14", "n15", "n16", "n18", "n19"}:
                # initials, a transcript's speaker tag, an ad's contact: a name whatever its shape
                add(start, end, name)
                continue
            if group == "n2" and _THING_NAMED.match(flat, match.start()):
                if _THING_CALLED.search(flat, max(0, match.start() - 40), match.start()):
                    continue  # "a mission called Europa Clipper": a thing's head names it
                # only the formula's own sentence ("... the people I taught. It's called Plan")
                lead = flat[max(0, match.start() - 40) : match.start()]
                preceding = re.split(r"[.!?][\"”’')]*\s+", lead)[-1] + flat[match.start() : start]
                if not any(
                    (_PERSON_NOUN.fullmatch(word) and word.lower() not in _THING_NOUNS)
                    or word.lower() in _PERSON_HEADS | _PERSON_PRONOUNS
                    # "Jang had called "Yanji Aunt"": someone's name before the verb
                    or (
                        word[:1].isupper()
                        and word not in _NOT_NAME
                        and not _APOSTROPHE.search(word)
                    )
                    for word in re.findall(r"[\w'’]+", preceding)[-8:]
                ):
                    # "a co-processor called Pixel Visual Core", "It's called Plan": a thing
                    # named, with no person nor pronoun for a person around the word
                    continue
            if group == "n3" and PUBLIC_CUE.fullmatch(name):
                continue  # "Mr. Chairman": an office addressed, not a name
            if group == "n1" and _people_after(flat, end):
                continue  # "21 captive Chibok schoolgirls": the word names where they are from
            if group == "n13" and name.split()[0] not in _NOT_NAME:
                add(start, end, name)  # a chat's speaker, whatever the name's shape
                # "Xiao Mei 小梅": the name in characters too, when the Latin one was found first
                han = re.search(r"[\u4e00-\u9fff]+$", name)
                if han is not None:
                    add(start + han.start(), end, han.group())
                continue
            # "Analyst Peter Ward said", "Ambassador Dorothy Shea said", "her uncle, Senator
            # John Reed,": an office word that opens the run is no part of the name, and it
            # says who the person is (not after a kinship word: "her brother, Officer Kim
            # Chol, 22, a POW" is a captive, whatever rank he held).
            office = re.match(r"\S+[ ]", name)
            if (
                group in {"n4", "n5", "n6", "n7", "n9", "n10"}
                and office
                and PUBLIC_CUE.fullmatch(office.group().strip())
                and " " in name.strip()
            ):
                start += office.end()
                name = name[office.end() :]
            single = len(name.split()) == 1
            described = False
            if group == "n10" and not any(
                _PERSON_NOUN.fullmatch(head) or head.lower() in _PERSON_HEADS
                for head in _phrase_heads(flat[match.start() : start])
            ):
                # "The exchange, Velora,", "an attack in Nice, France,": the phrase before the
                # comma is headed by no person noun
                continue
            if group == "n4" and _THING_APPOSITION.match(flat, end):
                continue  # "Hong Kong, a city of ...", "Qualcomm, the chipmaker": no person
            if group in {"n4", "n6", "n7"} and single:
                # "Hunchun, a border city", "Nobody says": one word before a comma or a verb
                # is a name only in the shape of a Korean given name or before an age, or a
                # surname described by a vulnerable role ("Ryu, a former soldier who ...").
                age_next = re.match(r",[ ](?:an?[ ])?\d|[ ]\(\d", flat[end : end + 8])
                described = (
                    group == "n4"
                    and name in _SURNAME_SET
                    and bool(role_cues(flat[end : _clause_end(flat, end + 2, end + 60)]))
                )
                # "Yevgeny, a Russian trucker who ...": a first name before a person's trade.
                trade = group == "n4" and _TRADE_APPOSITION.match(flat, end) is not None
                if (
                    not (_is_korean_given(name) and "-" in name)
                    and not age_next
                    and not described
                    and not (trade and name not in _NOT_NAME and name.lower() not in COMMON_WORDS)
                ):
                    continue
            # "The ledger of Piao Chunhua, 47,": an age after the name outweighs the "of".
            aged = re.match(r",[ ]\d{1,2}[,;.) ]|[ ]\(\d{1,2}\)", flat[end : end + 6])
            if (
                group in {"n4", "n5", "n6"}
                and not aged
                and not described
                and _PLACE_PREPOSITION.search(flat, max(0, start - 8), start)
            ):
                continue
            if (
                group == "n2"
                and start
                and flat[start - 1] in "\"“‘'"
                and flat[end : end + 1] in ('"', "”", "’", "'")
            ):
                # 'under the name "River Fox"': a name in quotes after a naming formula is a
                # nickname whatever its words are
                add(start, end, name, quoted=True)
            elif _name_ok(name):
                add(start, end, name)
            else:
                # "Defector Kim Ji-young": drop leading words that are not names.
                words = list(re.finditer(r"\S+", name))
                while words and (
                    words[0].group() in _NOT_NAME or re.search(r"['’]s$", words[0].group())
                ):
                    if words[0].group() in {"In", "At", "From", "Near", "Outside", "Inside"}:
                        words = []  # "In Yanji, a woman told us": a place, not a name
                        break
                    words.pop(0)
                if words and _name_ok(" ".join(w.group() for w in words)):
                    add(start + words[0].start(), start + words[-1].end(), name[words[0].start() :])
            if group == "n2" and start and flat[start - 1] in "\"“‘'":
                # 'used the identities "Brian Cho" and "Alex Moreno"': the names listed with it
                position = end + 1
                for _ in range(8):
                    more = _QUOTED_MORE.match(flat, position)
                    if more is None or more.group("name") in _NOT_NAME:
                        break
                    add(more.start("name"), more.end("name"), more.group("name"), quoted=True)
                    position = more.end()
        for match in _HYPHEN_GIVEN.finditer(flat):
            if _is_korean_given(match.group()) and _person_context(
                flat, match.start(), match.end()
            ):
                add(match.start(), match.end(), match.group())
        # "in Korean he writes his name 박춘화", "she signs herself 金春梅": a name in another
        # script after an English formula that names a person
        for match in itertools.islice(_NAME_IN_SCRIPT.finditer(flat), MAX_MENTIONS):
            name = match.group("name")
            add(match.start("name"), match.end("name"), name, hangul=_script(name[0]) == "hangul")
        for match in _NICKNAME.finditer(flat):
            group = next(
                g
                for g in (
                    "name",
                    "hname",
                    "hname2",
                    "hname3",
                    "hname4",
                    "hname5",
                    "hname6",
                    "hname7",
                    "hname8",
                )
                if match.group(g)
            )
            name = match.group(group)
            if group == "hname8":
                tokens = word_tokens(name)
                if tokens[0].tag == "NNG" or (len(tokens) > 1 and tokens[-1].tag in ("VCP", "JKS")):
                    continue  # "사람이라는 이름", "조국이라는": a noun and its copula
            if name and name not in _NOT_NAME:
                before = len(found)
                add(match.start(group), match.end(group), name, quoted=group != "hname4")
                clause = _clause_before(flat, match.start())
                # "A commander who uses the call sign "Bison"": the nickname of an officer.
                if len(found) > before and _public_clause(clause):
                    found[-1].public, found[-1].listed = True, "public"
                    continue
                # 'the aliases "Chris Baker" and "Tony Hsu"': the names listed with it
                position = match.end()
                for _ in range(8):
                    more = _QUOTED_MORE.match(flat, position)
                    if more is None or more.group("name") in _NOT_NAME:
                        break
                    add(more.start("name"), more.end("name"), more.group("name"), quoted=True)
                    position = more.end()
        # "리영철이라는 사람": a name before "a person called"
        for match in _HANGUL_CALLED.finditer(flat):
            name = match.group("name")
            # "… 이라는 한국 이름": given as a name, it is one whatever the analyser reads
            # ("… 라는 이름의 보위성 간부": a person the name describes, decided as any other)
            as_name = match.group().endswith(_NAME_WORDS) and not flat.startswith("의", match.end())
            if (
                as_name
                or hangul_names(name)
                or _no_word(name)
                # "최영수라는 노동자", not "최명수라는 이름의 보위성 간부"
                or (_full_name_shape(name) and not match.group().endswith(_NAME_WORDS))
            ):
                add(match.start("name"), match.end("name"), name, hangul=True)
        if re.search(r"[가-힣]", flat):
            self._hangul(flat, add)
            # "딸 림\n소영이": a Hangul name broken by a line break after its surname.
            for match in _HANGUL_BROKEN_NAME.finditer(flat):
                if text[match.start("given") - 1] in "\r\n":
                    name = match.group("name") + match.group("given")
                    add(match.start("name"), match.end("given"), name, hangul=True)
        return found

    def _hangul(self, flat: str, add: object) -> None:
        assert callable(add)
        public_titles = re.compile(r"[ ]?(?:" + _hangul_public_titles() + ")")
        # The surest shapes first: a name before 씨/군/양, then a name right after a role word
        # ("포로 백성일은"), so that the analyser's split of a name cannot cut it in two.
        # A name of two words after a role or a nationality ("고려인 빅토르 리 씨"), before
        # its last word alone can be taken for a name with 씨.
        for match in itertools.islice(_HANGUL_ROLE_THEN.finditer(flat), MAX_MENTIONS):
            position = match.end()
            between = _HANGUL_ONE_WORD.match(flat, position)
            for start in (position, between.end() if between else -1):
                pair = _HANGUL_TWO_WORDS.match(flat, start) if start >= 0 else None
                if (
                    pair is not None
                    and _foreign_name(pair.group("first"))
                    and _foreign_name(pair.group("second"), last=True)
                ):
                    add(start, pair.end("second"), pair.group(0), hangul=True)
                    break
        for match in _HANGUL_NAME_SUFFIX.finditer(flat):
            add(match.start("name"), match.end("name"), match.group("name"), hangul=True)
        for match in itertools.islice(_HANGUL_NAME_IS.finditer(flat), MAX_MENTIONS):
            name = match.group("name")
            tokens = word_tokens(name)
            # a proper noun, or a word the analyser does not know ("이름은 가명이다" names no one)
            if tokens and (tokens[0].tag == "NNP" or _unknown_word(name, tokens)):
                add(match.start("name"), match.end("name"), name, hangul=True)
        for match in itertools.islice(
            [*_HANGUL_SELF.finditer(flat), *_HANGUL_NAME_ADDRESSED.finditer(flat)], MAX_MENTIONS
        ):
            group = "reported" if match.groupdict().get("reported") else "name"
            name = match.group(group)
            # "순희 언니", "저는 한별이라고 합니다": a given name alone, where the analyser
            # knows no word in it
            # in a self-introduction the given name may be a word too ("림설화": 설화)
            if _full_name_shape(name, given_may_be_a_word=match.re is _HANGUL_SELF) or (
                len(name) == 2
                and (hangul_names(name) or _no_word(name))
                # "'온성 아저씨'": a town and a form of address quoted are one nickname
                and not re.search(r"[\"“‘']" + re.escape(match.group(0)) + r"[\"”’']", flat)
            ):
                add(match.start(group), match.end(group), name, hangul=True)
        # "탈북민 A씨(34)": an initial standing for a withheld name
        for match in itertools.islice(_INITIAL_SSI.finditer(flat), MAX_MENTIONS):
            add(match.start("name"), match.end("name"), match.group("name"), hangul=True)
        for match in itertools.islice(_HANGUL_NAME_MOBILE.finditer(flat), MAX_MENTIONS):
            if _full_name_shape(match.group("name")):
                add(match.start("name"), match.end("name"), match.group("name"), hangul=True)
        # A list's row, "김은주, 46, 부산 사하구 ...": a full name before an age.
        for match in _HANGUL_NAME_ROW.finditer(flat):
            name = match.group("name")
            tokens = word_tokens(name)
            if name[0] in HANGUL_SURNAMES and (
                (tokens and tokens[0].tag == "NNP") or _unknown_word(name, tokens)
            ):
                add(match.start("name"), match.end("name"), name, hangul=True)
        # A chat's speakers with no time: a name that opens two turns or more ("순희: ...").
        turns = collections.Counter(m.group("name") for m in _HANGUL_TURN.finditer(flat))
        for match in _HANGUL_TURN.finditer(flat):
            name = match.group("name")
            tokens = word_tokens(name)
            if turns[name] >= 2 and (
                (tokens and tokens[0].tag == "NNP") or _unknown_word(name, tokens)
            ):
                add(match.start("name"), match.end("name"), name, hangul=True)
        # A chat's speaker: a display name, whatever words it is made of ("창바이 삼촌").
        for match in itertools.islice(_HANGUL_CHAT_SPEAKER.finditer(flat), MAX_MENTIONS):
            add(
                match.start("name"),
                match.end("name"),
                match.group("name"),
                hangul=True,
                quoted=True,
            )
        # "김옥희(33·혜산)": the press's "name (age)" form, whatever the analyser reads; with a
        # one-syllable given name ("방혁(28)") only when the analyser knows the pair as a name
        # or as no word at all ("정부(3)" is a known noun).
        for match in _HANGUL_NAME_AGE.finditer(flat):
            name = match.group("name")
            # "전향(여, 47)": with the person's sex in the bracket, even a word is a name.
            if len(name) == 2 and not match.group("sex"):
                tokens = word_tokens(name)
                if not (
                    (tokens and tokens[0].tag == "NNP" and tokens[0].len == 2)
                    or _unknown_word(name, tokens)
                ):
                    continue
            add(match.start("name"), match.end("name"), name, hangul=True)
        # "정국이의 어머니", "금순이는 일곱 살이었다": a given name with the familiar suffix 이,
        # which the analyser reads as one proper noun with the suffix.
        familiar: dict[str, bool] = {}
        for match in itertools.islice(_HANGUL_FAMILIAR.finditer(flat), MAX_MENTIONS):
            word = match.group("given") + "이"
            if word not in familiar:
                tokens = word_tokens(word + match.group("ending"))
                familiar[word] = (
                    bool(tokens) and tokens[0].tag == "NNP" and tokens[0].form == word
                ) or _no_word(match.group("given"))
            if familiar[word]:
                add(match.start("given"), match.end("given"), match.group("given"), hangul=True)
        # "식당 주인 쑨리핑으로", "이웃 여성 자오메이는": after a role word, a word the analyser
        # knows nothing of is a name, whatever its script's origin (Chinese, Lao, Russian names
        # written in Hangul do not start with a Korean surname).
        for match in itertools.islice(_after_roles(flat, _HANGUL_FOREIGN_AFTER_ROLE), MAX_MENTIONS):
            start, word = match.start("name"), match.group("name")
            # The analyser's reading of the whole word: an unknown noun and its case endings
            # ("쑨리핑" + "으로"; "자오메이" whole, not "자오메" + 이).
            tokens = word_tokens(word)
            if not tokens or tokens[0].start != 0:
                continue
            # or syllables it reads as one-syllable nouns only ("류창으로": 류 + 창 + 으로)
            size = 1 if tokens[0].len >= 2 else 0
            if size == 0:
                while size < len(tokens) and tokens[size].len == 1 and tokens[size].tag[:2] == "NN":
                    size += 1
                if size < 2:
                    continue
            head = word[: tokens[size - 1].start + tokens[size - 1].len]
            # A bare word may be the first of a compound ("탈북민 유튜버 사이버 괴롭힘"): only a
            # word with its case ending, or before punctuation, is read as a name.
            bare = (
                len(tokens) == size
                and not _PUNCTUATION.match(flat, start + len(word))
                and not _used_as_a_name(flat, word)
            )
            if (
                head not in _HANGUL_ROLE_WORDS
                and not bare
                and (size > 1 or _unknown_word(head, tokens[:1]))
                and all(token.tag.startswith("J") for token in tokens[size:])
                and not _NOT_A_NAME_AFTER.match(flat, start + len(head))
            ):
                add(start, start + len(head), head, hangul=True)
        for match in _HANGUL_TWO_WORD_NAME.finditer(flat):
            words = (match.group("first"), match.group("second"))
            if all(_no_word(word) or hangul_names(word) for word in words):
                add(match.start(), match.end("second"), match.group(0), hangul=True)
        # "오명훈 선교사는": a name the analyser does not know, before a private role noun.
        for match in itertools.islice(_HANGUL_BEFORE_ROLE.finditer(flat), MAX_MENTIONS):
            name = match.group("name")
            if _unknown_word(name) and not public_titles.match(flat, match.end("name")):
                add(match.start("name"), match.end("name"), name, hangul=True)
        # "김명화(金明花·47)": a Hangul word with its spelling in Chinese characters, syllable for
        # character, starting with a surname, is a name.
        for match in _HANGUL_HAN_SPELLING.finditer(flat):
            if not _han_attested(flat, match.start("han"), match.end("han")):
                continue  # "선양(沈阳)": a two-syllable reading is a place as often as a name
            if len(match.group("name")) == len(match.group("han")):
                add(match.start("name"), match.end("name"), match.group("name"), hangul=True)
        for match in _HANGUL_CHINESE_NAME.finditer(flat):
            if _han_attested(flat, match.start("han"), match.end("han")):
                add(match.start("name"), match.end("name"), match.group("name"), hangul=True)
        confirmed: dict[str, bool] = {}  # one look-up per distinct name, however often it recurs
        word_starts: set[str] | None = None
        for match in itertools.islice(_after_roles(flat), MAX_MENTIONS):
            name = match.group("name")
            if name not in confirmed:
                if word_starts is None:
                    word_starts = {m.group() for m in _HANGUL_WORD_START.finditer(flat)}
                word = re.match(r"[가-힣]+", flat[match.start("name") :])
                assert word is not None
                confirmed[name] = _hangul_name_confirmed(name, word.group(), word_starts)
            name_confirmed = confirmed[name]
            # "포로 리광철의 어머니": a kinship word after the possessive says it is a person.
            kin = _KIN_AFTER.match(flat, match.end("name")) is not None
            if (name_confirmed or kin) and not public_titles.match(flat, match.end("name")):
                add(match.start("name"), match.end("name"), name, hangul=True)
                # "포로 리영남과 백성철의": a name joined to it shares the role word
                joined = _HANGUL_JOINED_NAME.match(flat, match.end("name"))
                if joined and not public_titles.match(flat, joined.end("name")):
                    other = joined.group("name")
                    word = re.match(r"[가-힣]+", flat[joined.start("name") :])
                    assert word is not None
                    if word_starts is None:
                        word_starts = {m.group() for m in _HANGUL_WORD_START.finditer(flat)}
                    if _hangul_name_confirmed(other, word.group(), word_starts):
                        add(joined.start("name"), joined.end("name"), other, hangul=True)
        nouns: list[tuple[int, int, str]] = []
        # The analyser runs only on sentences that could hold a name it is asked about (one
        # before 씨/군/양 or an age, or after a role word): most of a text costs nothing.
        for s_start, s_end in _sentences(flat):
            sentence = flat[s_start:s_end]
            if _HANGUL_TRIGGER.search(sentence):
                nouns += [
                    (s_start + start, s_start + end, following)
                    for start, end, following in hangul_proper_nouns(sentence)
                ]
        for start, end, following in nouns:
            # "박영철" read as 박 + 영철: a surname syllable that starts the word joins the name.
            if (
                end - start == 2
                and start > 0
                and flat[start - 1] in HANGUL_SURNAMES
                and (start < 2 or not _HANGUL_WORD.match(flat[start - 2]))
            ):
                start -= 1
            name = flat[start:end]
            if (
                not name
                or name[0] not in HANGUL_SURNAMES
                or not re.fullmatch(r"[가-힣]{2,4}", name)
            ):
                continue
            # "정은심이는": a full name with the familiar suffix 이 before a particle, which
            # only a person's name takes.
            suffixed = (
                len(name) == 4
                and name[3] == "이"
                and _FAMILIAR_PARTICLE.match(flat, end) is not None
            )
            if suffixed:
                end -= 1
                name = name[:3]
            # "김철(가명·12) 군": a two-syllable name with its bracket before the form of address
            if len(name) == 2 and not (
                following in {"씨", "군", "양"} or _BRACKET_THEN_ADDRESS.match(flat, end)
            ):
                continue
            if public_titles.match(flat, end):
                continue
            # A proper noun is a person's name next to 씨/군/양 or an age, or after a role
            # word ("브로커 최룡수"); elsewhere it may be a place ("제네바", "인천").
            if not (
                suffixed
                or _HANGUL_PERSON_AFTER.match(flat, end)
                or _HANGUL_ROLE_BEFORE.search(flat, max(0, start - 12), start)
            ):
                continue
            add(start, end, name, hangul=True)

    def _later_mentions(
        self, flat: str, mentions: list[_Mention], blocked: list[tuple[int, int]]
    ) -> list[_Mention]:
        """Given names, surnames and "Mr. Kim" after a full name, tied to the latest owner."""
        owners: dict[str, list[tuple[int, str]]] = {}
        parts_of: dict[str, set[str]] = {}  # each person's name parts, for "Jieun Kim" below
        for mention in mentions:
            parts_of.setdefault(mention.key, set()).update(mention.parts)
            for part in mention.parts:
                owners.setdefault(part, []).append((mention.start, mention.key))
        latin = sorted((p for p in owners if not _HANGUL_WORD.match(p)), key=len, reverse=True)
        hangul = sorted(
            (p for p in owners if _HANGUL_WORD.match(p) and len(p) > 1), key=len, reverse=True
        )
        single = sorted(p for p in owners if _HANGUL_WORD.match(p) and len(p) == 1)
        alternatives = []
        if latin:
            alternatives.append(
                r"(?<![\w'’-])(?:"
                + "|".join(re.escape(p) for p in latin)
                # an apostrophe ends the name before the possessive's s or after a name in s
                # ("Tays’ vehicle"), not before other letters ("O’Neil" holds no "O")
                + r")(?![\w-]|['’](?=\w)(?![sS]\b))"
            )
        if hangul:
            # A Hangul name carries its particle: "지영씨는", "지영이".
            alternatives.append(
                r"(?<![가-힣])(?:" + "|".join(re.escape(p) for p in hangul) + r")(?![A-Za-z0-9])"
            )
        if single:
            # "철 군", "솔 씨": a one-syllable given name stands alone only before 씨/군/양.
            alternatives.append(
                r"(?<![가-힣])(?:" + "|".join(single) + r")(?=[ ]?(?:씨|군|양)(?![가-힣]{2}))"
            )
        pattern = re.compile("|".join(alternatives)) if alternatives else None
        extra: list[_Mention] = []
        occupied = _Occupied(len(flat))
        for mention in mentions:
            occupied.add(mention.start, mention.end)
        for start, end in blocked:
            occupied.add(start, end)
        # The same full name written again ("Kristi Noem says" in a headline, "led by Gov.
        # Kristi Noem" in the text) is the same person named in full: a full mention, so what
        # its own sentence says of the person (an office, a role) is read too.
        written = {
            flat[m.start : m.end]: m
            for m in mentions
            if m.full
            and m.listed is None
            and not _HANGUL_WORD.match(flat, m.start)
            and len(m.parts) > 1
        }
        if written:
            again = re.compile(
                r"(?<![\w'’-])(?:"
                + "|".join(re.escape(w) for w in sorted(written, key=len, reverse=True))
                + r")(?![\w-])"
            )
            for match in again.finditer(flat):
                start, end = match.start(), match.end()
                if occupied.overlaps(start, end) or NAME_WORD_BEFORE.search(
                    flat, max(0, start - 30), start
                ):
                    continue  # "James Van Der Beek": part of a longer name, not this one
                first = written[match.group()]
                extra.append(_Mention(start, end, first.key, first.parts, True))
                occupied.add(start, end)
        # A Hangul name of three syllables or more (a full name, a chat's display name) is the
        # same person wherever the text writes it again, before its telling mention too (a chat
        # log quoted ahead of "어머니 장금녀(63)씨"), with or without its particle.
        hangul_written = {
            flat[m.start : m.end]: m
            for m in mentions
            if m.listed is None and _HANGUL_NAME_WRITTEN.fullmatch(flat, m.start, m.end)
        }
        if hangul_written:
            names = "|".join(re.escape(w) for w in sorted(hangul_written, key=len, reverse=True))
            again = re.compile(
                rf"(?<![가-힣])(?:{names})(?:(?![가-힣])|(?={_HANGUL_PARTICLE_AFTER}))"
            )
            longer: dict[str, list[str]] = {}  # other names by their first three letters
            for surface in {flat[m.start : m.end] for m in mentions}:
                longer.setdefault(surface[:3], []).append(surface)
            # A known place inside a nickname ("압록강 삼촌") does not stop it being the name.
            taken = _Occupied(len(flat))
            for mention in [*mentions, *extra]:
                taken.add(mention.start, mention.end)
            for match in again.finditer(flat):
                start, end = match.start(), match.end()
                if taken.overlaps(start, end) or any(
                    len(other) > end - start and flat.startswith(other, start)
                    for other in longer.get(match.group()[:3], ())
                ):
                    continue  # "창바이 삼촌": the start of a longer name, not this one
                first = hangul_written[match.group()]
                extra.append(_Mention(start, end, first.key, first.parts, True, hangul=True))
                occupied.add(start, end)
                taken.add(start, end)
        starts = {part: [s for s, _ in found] for part, found in owners.items()}
        # A bare name part two earlier people share: a writer who introduces a relative with
        # the subject's surname ("Her brother, Ri Hyang-chol") calls the relative by the given
        # name and the subject still "Ri".
        kin = _kin_introduced(flat, mentions)
        for match in pattern.finditer(flat) if pattern is not None else ():
            start, end = match.start(), match.end()
            if occupied.overlaps(start, end):
                continue
            found_owners = owners.get(match.group(), [])
            before = bisect.bisect_left(starts.get(match.group(), []), start)
            given = _GIVEN_BEFORE.search(flat, max(0, start - 25), start)
            if (
                given is not None
                and match.group() in _SURNAME_SET
                and given.group("given") not in _NOT_NAME
                and given.group("given").casefold() not in COMMON_WORDS
                and (
                    _is_korean_given(given.group("given")) or _is_pinyin_given(given.group("given"))
                )
                and not any(given.group("given") in parts_of[key] for _, key in found_owners)
            ):
                # "RFA's reporter Jieun Kim": a given name first, so another person's full
                # name, judged on its own.
                g_start = given.start("given")
                name = flat[g_start:end]
                extra.append(_Mention(g_start, end, _key(name), (given.group("given"),), True))
                occupied.add(g_start, end)
                continue
            if before == 0:
                # "Byon finally crossed ... Byon Hak-su is now 27": a surname before the only
                # full name that has it belongs to that person.
                keys = {key for _, key in found_owners}
                if match.group() in _SURNAME_SET and len(keys) == 1 and match.group()[0].isupper():
                    extra.append(_Mention(start, end, found_owners[0][1], (), False))
                    occupied.add(start, end)
                continue
            extra.append(_continuing(kin, found_owners, before, start, end))
            occupied.add(start, end)
        hangul_owners: dict[str, list[tuple[int, str]]] = {}
        for mention in mentions:
            if mention.full and _HANGUL_WORD.match(flat[mention.start : mention.start + 1]):
                # "선우진" may be 선 + 우진 or 선우 + 진: either surname finds the name.
                compound = re.match(_COMPOUND_SURNAMES, flat[mention.start : mention.end])
                # "대니얼 오": a name in Western order ends with its surname.
                western = re.search(r"[ ]([가-힣])$", flat[mention.start : mention.end])
                spellings = {
                    flat[mention.start],
                    compound.group() if compound else "",
                    western.group(1) if western and western.group(1) in HANGUL_SURNAMES else "",
                }
                for surname in spellings - {""}:
                    hangul_owners.setdefault(surname, []).append((mention.start, mention.key))
        towns: dict[str, bool] = {}
        for match in _HANGUL_SURNAME_HONORIFIC.finditer(flat):
            group = next(
                g
                for g in ("name", "addressed", "kin", "initial", "anon")
                if match.group(g) is not None
            )
            start, end = match.start(group), match.end(group)
            if occupied.overlaps(start, end):
                continue
            word = flat[start : end + 1]
            if group == "name" and len(word) == 2 and word[1] in "양군":
                # "경기 고양의", "양양군": a town the analyser knows, not "고 양" (Miss Ko)
                if word not in towns:
                    tokens = word_tokens(word)
                    # "여군", "장군" (a woman soldier, a general) are words, not "Miss Yo"
                    towns[word] = len(tokens) == 1 and tokens[0].tag in ("NNP", "NNG")
                if towns[word]:
                    continue
            surname = match.group(group)
            candidates = hangul_owners.get(surname, []) if "모" not in surname[1:] else []
            before = bisect.bisect_left([s for s, _ in candidates], start)
            occupied.add(start, end)
            if before:
                extra.append(_continuing(kin, candidates, before, start, end))
            else:
                # "이모 씨", or a surname with no full name before it: a person of its own.
                extra.append(_Mention(start, end, surname, (), True, hangul=True))
        # "림은 ... 체포된 뒤": a surname alone with its particle, after a full name that has it.
        for match in _HANGUL_BARE_SURNAME.finditer(flat):
            start, end = match.start("name"), match.end("name")
            candidates = hangul_owners.get(match.group("name"), [])
            before = bisect.bisect_left([s for s, _ in candidates], start)
            if before and not occupied.overlaps(start, end):
                # "광고 문의": surname and particle may spell a common noun.
                tokens = word_tokens(match.group(0))
                if tokens and tokens[0].len >= 2 and tokens[0].tag in ("NNG", "NNB"):
                    continue
                occupied.add(start, end)
                extra.append(_continuing(kin, candidates, before, start, end))
        return sorted([*mentions, *extra], key=lambda m: (m.start, m.end))

    # -- judging -------------------------------------------------------------------------------

    def _judge(
        self,
        flat: str,
        mentions: list[_Mention],
        sentences: list[tuple[int, int]],
        cues: list[tuple[int, int, str]],
        offices: list[tuple[int, int]],
        *,
        strong_text: bool,
    ) -> dict[str, _Person]:
        people: dict[str, _Person] = {}
        ages = find_ages(flat)
        sentence_starts = [s for s, _ in sentences]
        # A full name's later mentions belong to the person its latest full mention named.
        current: dict[str, str] = {}
        for mention in mentions:
            key = current.get(mention.key, mention.key)
            if mention.full:
                key = mention.key
                earlier = people.get(key)
                if earlier is not None and self._namesake(
                    flat, mention, earlier, sentences, sentence_starts, offices, cues
                ):
                    # "TV presenter Lee Choon-hee ... has the same name": one name, two people.
                    key = f"{mention.key}@{mention.start}"
                current[mention.key] = key
            person = people.setdefault(key, _Person(key))
            person.mentions.append(mention)
            if mention.listed is not None:
                person.public = mention.listed == "public"
                person.role = (
                    person.role or mention.role or ("person" if not person.public else None)
                )
                person.score = 0.95
                continue
            if not mention.full or (person.public is not None and person.score >= 0.8):
                continue
            index = max(0, bisect.bisect_right(sentence_starts, mention.start) - 1)
            s_start, s_end = sentences[index]
            if _described_as_public(flat, mention, offices, cues, s_start, s_end):
                person.public = True
                person.score = 0.9
                continue
            near = _between(cues, s_start, s_end)
            role = _nearest_role(mention, near, strong_text)
            age = _age_after(mention, ages, s_end, flat)
            if age is not None and age < 18:
                role, person.age = "child", age
            if role is not None:
                person.public, person.role, person.score = False, role, 0.85
                continue
            neighbours = _between(
                cues,
                sentences[max(0, index - 1)][0],
                sentences[min(len(sentences) - 1, index + 1)][1],
            )
            role = _nearest_role(mention, neighbours, strong_text)
            if role is not None and person.score < 0.7:
                person.public, person.role, person.score = False, role, 0.7
                continue
            if person.public is None:
                # No office, no role: when unsure whether a person is private, protect.
                person.public, person.role, person.score = False, "person", 0.55
        for person in people.values():
            if person.public is None:
                person.public = False
                person.role = person.role or "person"
                person.score = 0.5
            if not person.public and person.role not in (None, "person", "child"):
                # The label names a role only where the text ties it to this person: "her
                # mother, Jang Son-ae, left with a broker" labels a relative, not a broker.
                person.role = _attached_role(flat, person.mentions, cues) or "person"
            if person.role == "child" and person.age is None:
                # "the man who kidnapped the child, Michael Webb ... convicting Webb, 51": a
                # role word near the name, but the person's own age says an adult.
                for mention in person.mentions:
                    index = max(0, bisect.bisect_right(sentence_starts, mention.start) - 1)
                    age = _age_after(mention, ages, sentences[index][1], flat)
                    if age is not None and age >= 18:
                        person.role = "person"
                        break
        return people

    @staticmethod
    def _namesake(
        flat: str,
        mention: _Mention,
        earlier: _Person,
        sentences: list[tuple[int, int]],
        sentence_starts: list[int],
        offices: list[tuple[int, int]],
        cues: list[tuple[int, int, str]],
    ) -> bool:
        """Whether a full name already decided for one side is, at this mention, someone on
        the other side: a public figure's namesake described by its own mention."""
        if earlier.public is None:
            return False
        if mention.listed is not None:
            if earlier.public == (mention.listed == "public"):
                return False
            return earlier.public or earlier.score >= 0.7
        index = max(0, bisect.bisect_right(sentence_starts, mention.start) - 1)
        s_start, s_end = sentences[index]
        if not earlier.public:
            # Only against a decision from evidence: a name first met with no role and later
            # described as an official is one official, as before.
            return earlier.score >= 0.7 and _described_as_public(
                flat, mention, offices, cues, s_start, s_end
            )
        if mention.hangul:
            return _PRIVATE_NAMESAKE.match(flat, mention.end) is not None
        return _named_privately(flat, mention.start, mention.end, cues) and not (
            _described_as_public(flat, mention, offices, cues, s_start, s_end)
        )


def _named_privately(flat: str, start: int, end: int, cues: list[tuple[int, int, str]]) -> bool:
    """A Latin-script name whose own mention marks a private person: a naming formula or a
    vulnerable role word right before it, or an age right after it near a vulnerable role."""
    if _NAMED_PRIVATELY_BEFORE.search(flat[max(0, start - 40) : start]):
        return True
    if _ROW_AFTER.match(flat, end):
        return True
    if not _AGED_AFTER.match(flat, end):
        return False
    # The role must be in the name's own sentence: "Kim Jong Un, 41," after a sentence about
    # a defector is still the leader.
    before = flat[max(0, start - 100) : start]
    stops = [m.end() for m in _SENTENCE_END.finditer(before)]
    after = _SENTENCE_END.search(flat, end, end + 60)
    return bool(
        _between(
            cues,
            start - len(before) + (stops[-1] if stops else 0),
            after.start() if after else end + 60,
        )
    )


_GIVEN_BEFORE = re.compile(r"(?<![\w'’.-])(?P<given>[A-Z][a-z]{2,9})[ ]$")


def _name_lists(flat: str) -> list[tuple[int, int, str, str | None]]:
    """Runs of at least :data:`LIST_MIN` names, one per line or comma: ``(start, end, side, role)``.

    The sentence before a list says whose names they are: the nearest cue decides ("co-sponsored
    by 40 members of the National Assembly" is public; "a roster of workers" is protected).
    """
    runs: list[list[tuple[int, int]]] = [[]]
    for chunk in _LIST_CHUNK.finditer(flat):
        match = _LIST_ITEM.match(chunk.group())
        name = match.group("name") if match else ""
        words = name.split()
        latin_ok = (
            len(words) >= 2
            and words[0].capitalize() in _SURNAME_SET
            and _is_korean_given("-".join(words[1:]).replace("--", "-"))
        )
        if match and (latin_ok or _HANGUL_WORD.match(name)):
            start = chunk.start() + match.start("name")
            runs[-1].append((start, start + len(name)))
        elif runs[-1]:
            runs.append([])
    found: list[tuple[int, int, str, str | None]] = []
    for run in runs:
        if len(run) < LIST_MIN:
            continue
        intro_start = max(0, run[0][0] - 400)
        intro = flat[intro_start : run[0][0]]
        vulnerable = [(s, role) for s, _, role in role_cues(intro)]
        public = [m.start() for m in _PUBLIC_LIST.finditer(intro)] + [
            s for s, _ in public_cues(intro)
        ]
        last_vulnerable = max(vulnerable, default=(-1, None))
        side = "public" if public and max(public) > last_vulnerable[0] else "protected"
        role = last_vulnerable[1] if side == "protected" else None
        found += [(start, end, side, role or "person") for start, end in run]
    return found


# A name's spelling in another script, in brackets right after it: "Ri Kyong-suk (李京淑)",
# "리춘란(李春兰·51)", "Ли Сон Хо (Ri Song-ho)"; an age or note may follow a separator.
_SPELLING_NAME = (
    r"(?P<name>[가-힣]{2,4}|[\u4e00-\u9fff]{2,4}"
    r"|[А-ЯЁ][а-яё'’-]{1,20}(?:[ ][А-ЯЁ][а-яё'’-]{1,20}){0,2}"
    r"|[A-Z][a-z'’-]{1,20}(?:[ ][A-Z][a-z'’-]{1,20}){0,2})"
)
# "(朴永哲 in Chinese, 박영철 in Korean)": a spelling may say its language.
_IN_LANGUAGE = r"(?:[ ]in[ ][A-Z][a-z]{2,15})?"
_BRACKETED_SPELLING = re.compile(
    rf"[ \u00a0]?[(（][ ]?{_SPELLING_NAME}{_IN_LANGUAGE}"
    r"[ ]?(?:[·,;][^)）]{0,30})?[)）]"
)
#: A further spelling in the same brackets.
_MORE_SPELLING = re.compile(rf"[,;][ ]{_SPELLING_NAME}{_IN_LANGUAGE}(?=[ ]?[,;)）])")


def _script(character: str) -> str:
    """The script of a name's first letter: Hangul, Han, Cyrillic or Latin."""
    if "가" <= character <= "힣":
        return "hangul"
    if "\u4e00" <= character <= "\u9fff":
        return "han"
    if "А" <= character <= "ё" or character in "Ёё":
        return "cyrillic"
    return "latin"


def _kin_introduced(flat: str, mentions: list[_Mention]) -> set[str]:
    """Keys of the people first named right after a kin word ("Her brother, Ri Hyang-chol")."""
    first: dict[str, int] = {}
    for mention in mentions:
        if mention.full:
            first.setdefault(mention.key, mention.start)
    return {
        key for key, start in first.items() if _KIN_BEFORE.search(flat, max(0, start - 40), start)
    }


def _continuing(
    kin: set[str], owners: list[tuple[int, str]], before: int, start: int, end: int
) -> _Mention:
    """The later mention ``start:end`` of a bare name part, of the first ``before`` of its
    ``owners`` (in text order).

    Its person is the latest owner, passed over when introduced as somebody's relative ("her
    brother, Ri Hyang-chol", in ``kin``) for the latest owner introduced otherwise (among the
    last :data:`_OWNERS_LOOKED_AT`). The latest owner is kept on the mention when passed over:
    if that one is private and the one chosen public, the mention is the latest owner's after
    all, so that the choice never publishes a name the plain reading protects.
    """
    latest = owner = owners[before - 1][1]
    if owner in kin:
        for index in range(before - 2, max(-1, before - 1 - _OWNERS_LOOKED_AT), -1):
            if owners[index][1] not in kin:
                owner = owners[index][1]
                break
    return _Mention(start, end, owner, (), False, latest=latest if latest != owner else None)


#: How far back a bare surname looks for an owner not introduced as a relative.
_OWNERS_LOOKED_AT = 50


def _other_script_spellings(
    flat: str, mentions: list[_Mention], occupied: _Occupied
) -> list[_Mention]:
    """Other spellings of a name given right after it: the same person.

    A spelling in another script in brackets ("Pak Mi-ran (박미란)"), an alias in quotes, a
    spelling the text says is the name's ("— some outlets spell it Lee Kwang-jin or Li
    Guangzhen", "written in Russian as Виктор Пак"), or the next of a list of spellings
    separated by slashes ("Kim Chang-su / 金昌洙 / Ким Чан Су"). Its parts join the name's,
    so that "미란 씨" later in the text is that person too.
    """
    found = []
    # A spelling found as a name of its own ("Ri Kyong-suk (李京淑)" reads 李京淑 as a Chinese
    # name) is re-keyed to the name it spells.
    alone = {(m.start, m.end): m for m in mentions if m.listed is None}
    for mention in mentions:
        if not mention.full:
            continue
        hangul = _HANGUL_WORD.match(flat[mention.start : mention.start + 1]) is not None
        spellings: list[re.Match[str]] = []
        # "최나탈리야(Наталья Цой)씨": a Hangul name's Latin or Cyrillic spelling, likewise.
        match = _BRACKETED_SPELLING.match(flat, mention.end)
        if match is not None and _script(match.group("name")[0]) == _script(flat[mention.start]):
            match = None
        if match is None and not hangul:
            match = _QUOTED_ALIAS.match(flat, mention.end)
            if match is not None and match.group("name").split()[0] in _NOT_NAME:
                match = None
        if match is None:
            match = _SPELT_AS.match(flat, mention.end)
            while match is not None and len(spellings) < 3:
                spellings.append(match)
                match = _OR_SPELLING.match(flat, match.end())
        else:
            spellings.append(match)
            if match.re is _BRACKETED_SPELLING:
                # the rest of a list of spellings in the same brackets, past "in Chinese"
                more = _MORE_SPELLING.search(flat, match.end("name"), match.end())
                while more is not None and len(spellings) < 4:
                    spellings.append(more)
                    more = _MORE_SPELLING.match(flat, more.end(), match.end())
        for match in spellings:
            spelt = alone.get((match.start("name"), match.end("name")))
            if spelt is not None and spelt is not mention and mention.listed is None:
                spelt.key, spelt.full = mention.key, False
                continue
            if occupied.overlaps(match.start("name"), match.end("name")):
                continue
            name = match.group("name")
            occupied.add(match.start("name"), match.end("name"))
            script = _script(name[0])
            found.append(
                _Mention(
                    match.start("name"),
                    match.end("name"),
                    mention.key,
                    _parts(name) if hangul or script in ("hangul", "latin") else (name,),
                    False,
                    public=mention.public,
                    listed=mention.listed,
                    hangul=script in ("hangul", "han"),
                )
            )
    return found


_ANY_SCRIPT_NAME = (
    r"(?P<name>[가-힣]{2,4}|[\u4e00-\u9fff]{2,4}"
    r"|[А-ЯЁ][а-яё'’-]{1,20}(?:[ ][А-ЯЁ][а-яё'’-]{1,20}){1,2}"
    r"|[A-Z][a-z'’-]{1,20}(?:[ ][A-Z][a-z'’-]{1,20}){1,2})(?![\w-])"
)
# A spelling the text gives as the name's: "— some outlets spell it Lee Kwang-jin", ", written
# in Russian as Виктор Пак", " / 金昌洙", "(also written Ch'oe Song-il)".
_SPELT_AS = re.compile(
    r"(?:[ ]/[ ]?"
    r"|,?[ ]?[(（]?(?:[—–-][ ])?(?:(?:some|other|many|foreign|state)[ ][a-z]+[ ])?(?:also[ ])?"
    r"(?:spell(?:s|ed|t)?|writes?|written|render(?:s|ed)?|romani[sz]ed|transliterated)"
    r"(?:[ ](?:it|him|her|his[ ]name|her[ ]name|the[ ]name))?(?:[ ]in[ ][A-Z][a-z]+)?"
    r"(?:[ ]as)?[ ])" + _ANY_SCRIPT_NAME
)
_OR_SPELLING = re.compile(r"(?:[ ](?:or|and)[ ]|,[ ]|[ ]/[ ]?)" + _ANY_SCRIPT_NAME)


# The name a person went by, in quotes right after their own: 'Kang Song-gwang ("Ethan Ross",
# Upwork)', 'My friend Hyon Chung-sik was "Alex Park"'.
_QUOTED_ALIAS = re.compile(
    r"(?:[ ]\(|[ ](?:was|became|posed[ ]as|went[ ]by|goes[ ]by|worked[ ]as|used[ ]the[ ]name)[ ])"
    r"[\"“](?P<name>[A-Z][a-z'’-]{1,20}(?:[ ][A-Z]\.?)?(?:[ ][A-Z][a-z'’-]{1,20}){1,2})[,.]?[\"”]"
)
_HANGUL_WORD_START = re.compile(r"(?<![가-힣])[가-힣]{2}")


def _hangul_name_confirmed(name: str, word: str, word_starts: set[str]) -> bool:
    """Whether a three-syllable word after a role word is a name, not a noun ("노동자").

    The analyser's proper noun says so; failing that ("백성일" read as 백성 + 일), the given name
    used alone elsewhere in the text ("성일은") does.
    """
    tokens = word_tokens(name)
    if tokens and tokens[0].tag == "NNP" and tokens[0].len >= 2:
        return True
    if _unknown_word(name, tokens) and not _known_noun_and_ending(word):
        return True
    # "방철민" read as 방 + 철민: a surname, then a given name the analyser knows as a name.
    if (
        len(tokens) == 2
        and tokens[0].tag == "NNP"
        and tokens[0].len == 1
        and tokens[1].tag == "NNP"
        and tokens[1].len == 2
    ):
        return True
    # "길명수" read as 길 + 명수: a surname syllable, then a two-syllable word, after a role word.
    if (
        len(tokens) == 2
        and tokens[0].len == 1
        and tokens[0].form in HANGUL_SURNAMES
        and tokens[0].tag.startswith("NN")
        and tokens[1].len == 2
        and tokens[1].tag.startswith("NN")
    ):
        return True
    # "최복순" read as 최 + 복 + 순: a surname, then syllables that make no word of their own.
    if (
        len(tokens) >= 2
        # "한옥순" read as 한 (a determiner) + 옥 + 순: the surname may be read as another word
        and (tokens[0].tag == "NNP" or tokens[0].form in HANGUL_SURNAMES)
        and tokens[0].len == 1
        and all(token.len == 1 and token.tag.startswith("NN") for token in tokens[1:])
    ):
        return True
    # The given name starting a word of its own (``word_starts``: the first two syllables of
    # every Hangul word in the text).
    return name[1:] in word_starts


#: The analyser's score of a single noun it does not know (names it has never seen score -19 to
#: -32; dictionary nouns of two to four syllables -6 to -15).
_UNKNOWN_WORD_SCORE = -17.0


def _unknown_word(name: str, tokens: Sequence[Any] | None = None) -> bool:
    """Whether the analyser reads ``name`` as one noun that is in no dictionary: after a role
    word or before an age, an unknown word that starts with a surname is a name ("위창호",
    "방혁"), where a known noun ("노동자", "정부") is not."""
    tokens = word_tokens(name) if tokens is None else tokens
    return (
        len(tokens) == 1
        and tokens[0].tag in {"NNG", "NNP"}
        and tokens[0].len == len(name)
        and tokens[0].score < _UNKNOWN_WORD_SCORE
    )


def _foreign_name(word: str, *, last: bool = False) -> bool:
    """Whether ``word`` may be one word of a name written in Hangul from another language: a
    word the analyser knows as a name or does not know at all; the last may be a surname alone
    ("빅토르 리")."""
    if last and len(word) == 1:
        return word in HANGUL_SURNAMES
    if last and len(word) == 2 and word[0] in HANGUL_SURNAMES and word[1] == "모":
        return False  # "유튜버 곽모 씨": the press's "Kwak so-and-so", a name of its own
    if word in _HANGUL_ROLE_WORDS:
        return False
    return _no_word(word) or bool(hangul_names(word)) or _unknown_word(word)


def _after_roles(flat: str, pattern: re.Pattern[str] | None = None) -> Iterator[re.Match[str]]:
    """Every name candidate after a role word, role words in a row included: in "조선족 공급책
    위창호" the role word 공급책 is a candidate (공 is a surname) and so is the name after it."""
    pattern = _HANGUL_AFTER_ROLE if pattern is None else pattern
    position = 0
    while (match := pattern.search(flat, position)) is not None:
        yield match
        position = match.start("name")


def _full_name_shape(word: str, *, given_may_be_a_word: bool = False) -> bool:
    """Whether ``word``, found where a name is expected, has a Korean full name's shape: a
    surname and two syllables that the analyser does not read as a common noun ("박춘심" as
    박 + 춘 + 심), nor holding one ("유학생": 학생), nor a group of people ("조선족")."""
    if (
        len(word) != 3
        or word[0] not in HANGUL_SURNAMES
        or word in _HANGUL_ROLE_WORDS
        or word.endswith("들")  # a plural: "한족들"
    ):
        return False
    tokens = word_tokens(word)
    if not tokens or tokens[0].tag == "MM" or any(t.tag in ("NR", "VCP") for t in tokens):
        return False  # "하나인": a numeral and a copula; "세번째"
    if tokens[0].tag == "NNP":
        return True
    if tokens[0].len >= 2 and tokens[0].tag in ("NNG", "NNB") and not _unknown_word(word, tokens):
        return False
    given = word[1:]
    return given_may_be_a_word or not any(
        t.len >= 2 and t.tag in ("NNG", "NNB") and not _unknown_word(given, [t])
        for t in word_tokens(given)
    )


def _no_word(syllables: str) -> bool:
    """Whether the analyser finds no word in ``syllables``: one unknown noun, or one-syllable
    nouns only ("경란" as 경 + 란), as it reads given names it has never seen."""
    tokens = word_tokens(syllables)
    return _unknown_word(syllables, tokens) or (
        len(tokens) >= 2 and all(t.len == 1 and t.tag.startswith("NN") for t in tokens)
    )


def _used_as_a_name(flat: str, word: str) -> bool:
    """Whether ``word`` stands elsewhere in the text with a case ending of its own ("자오메이
    덕분이다. 자오메이는 …"): a word repeated as a subject or object is a name, not the first
    noun of a compound."""
    # A search for the word, then one compiled test of what follows: a pattern per word would
    # be compiled anew for most words.
    start = flat.find(word)
    while start >= 0:
        if (start == 0 or not _HANGUL_CHAR.match(flat, start - 1)) and _ENDING_ALONE.match(
            flat, start + len(word)
        ):
            return True
        start = flat.find(word, start + 1)
    return False


def _known_noun_and_ending(word: str) -> bool:
    """Whether ``word`` reads as a dictionary noun and its case endings ("이름으로" is 이름 + 으로,
    so its first three syllables are no name)."""
    tokens = word_tokens(word)
    return (
        len(tokens) >= 2
        and tokens[0].tag.startswith("NN")
        and tokens[0].score >= _UNKNOWN_WORD_SCORE
        and all(token.tag.startswith(("J", "VCP", "E")) for token in tokens[1:])
    )


def _hangul_public_titles() -> str:
    from nkwatch.protect.cues import HANGUL_PUBLIC_TITLES

    return HANGUL_PUBLIC_TITLES


def _with_alias(entity: Entity) -> Entity:
    from nkwatch.enrich.profile import Alias

    return Entity(entity.id, entity.name, entity.type, (Alias(entity.name),))


def _parts(name: str) -> tuple[str, ...]:
    """Name parts a later mention may use alone: each word and the hyphenated given name."""
    if re.fullmatch(r"[가-힣]{3,4}", name):
        # The full name again ("리경수는"), or the given name alone ("경수 씨").
        return (name, name[1:]) if len(name) == 3 else (name, name[1:], name[2:])
    if re.fullmatch(r"[가-힣]{2}", name) and name[0] in HANGUL_SURNAMES:
        # "문철 군" ... "철 군": a one-syllable given name, used alone only before 씨/군/양.
        return (name, name[1:])
    if re.fullmatch(r"[가-힣]+(?:[ ][가-힣]+)+", name):
        return (name,)  # a nickname of several words ("오이 아저씨") recurs whole
    words = [w for w in re.split(r"\s+", name.strip()) if w]
    parts = [w for w in words if len(w) > 1 and w.casefold() not in {"mr", "mrs", "ms"}]
    if len(words) == 3 and words[0] in _SURNAME_SET:
        parts.append(f"{words[1]} {words[2]}")
    return tuple(p for p in parts if p not in _NOT_NAME)


class _Occupied:
    """Characters already taken by a mention: an overlap test costs the span's length only."""

    def __init__(self, size: int) -> None:
        self.bits = bytearray(size + 1)

    def overlaps(self, start: int, end: int) -> bool:
        return self.bits.find(1, start, max(start + 1, end)) != -1

    def add(self, start: int, end: int) -> None:
        self.bits[start:end] = b"\x01" * (end - start)


_S = TypeVar("_S", tuple[int, int], tuple[int, int, str])


def _between(spans: list[_S], start: int, end: int) -> list[_S]:
    """The spans (sorted by start) that start in ``[start, end)``, found by bisection."""
    low = bisect.bisect_left(spans, (start,))
    high = bisect.bisect_left(spans, (end,))
    return spans[low:high]


def _overlaps_any(start: int, end: int, mentions: list[_Mention]) -> bool:
    return any(m.start < end and start < m.end for m in mentions)


def _person_context(flat: str, start: int, end: int) -> bool:
    after = flat[end : end + 32]
    before = flat[max(0, start - 24) : start]
    return bool(
        re.match(
            # '"Yeon-hwa" (39)': a closing quote may come first
            r"[\"”’']?(?:,[ ](?:a|an|now|who|whose|aged|\d)|[ ]\(\d)"
            r"|[ ](?:said|says|told|recalled|was|is|has"
            r"|had|spent|left|lives|lived|works|worked|wants|wanted|asked|cried|called)\b"
            r"|['’]s[ ](?:mother|father|sister|brother|wife|husband|son|daughter|family|parents"
            r"|grandmother|grandfather|aunt|uncle|cousin|baby|child|children|kids)\b"
            # "So-yeon and her father, ..."
            r"|[ ]and[ ](?:his|her|their)[ ](?:mother|father|sister|brother|wife|husband|son"
            r"|daughter|parents|grandmother|grandfather|aunt|uncle|cousin)\b",
            after,
        )
        # "Dear Song-il," opening a letter
        or re.search(r"(?:said|named|called|as|Mr\.?|Ms\.?|Mrs\.?|,|Dear)[ ]$", before)
        # "Call Mi-ran on 010-...": a contact's name before a number or a handle
        or re.search(r"(?:[Cc]all|[Cc]ontact|[Rr]each|[Tt]ext|[Mm]essage|[Aa]sk for)[ ]$", before)
    )


_LEADS = re.compile(
    r"(?:who |and )?(?:now |still )?(?:leads|heads|founded|co-founded|chairs|directs"
    r"|runs (?:a|an|the) (?:[\w-]+ ){0,2}(?:group|organi[sz]ation|NGO|network|cent(?:er|re)"
    r"|institute|foundation|charity|association|campaign|mission|radio|website|channel)\b"
    # "campaigns" as a verb, not "the campaign's social media"
    r"|(?<!the )(?<!a )(?<!her )(?<!his )(?<!its )(?<!their )campaigns?(?!['’])"
    r"|campaigned|has campaigned|speaks? publicly|spoke publicly|testified publicly"
    r"|(?:has |have )?(?:described|discussed|spoken|talked|written)[^.;]{0,40}?[ ]publicly)"
    r"(?![\w])|defector-turned|turned (?:activist|lawmaker)|founder of|director of|head of"
    r"|leader of|president of|chairman of|(?:a|an|the) (?:lawmaker|legislator|researcher|analyst"
    r"|activist|professor|diplomat|official|spokes(?:man|woman|person))"
    # A scholar's relative clause: "who researches ...", "who has documented ...", "who wrote a
    # study of ..."; "who studies" with a topic of two words or more, not "who studies nursing"
    # nor "who studies law at a university".
    r"|who (?:now )?(?:researches|has researched|documents|has documented|tracks|has tracked"
    r"|monitors|has monitored)\b"
    r"|who (?:now )?(?:wrote|has written|co-wrote|authored|co-authored|has authored|edited)[ ]"
    r"(?:a|an|the|two|three|several)[ ](?:[\w-]+[ ]){0,2}?(?:study|studies|books?|reports?"
    r"|papers?|thesis|dissertation|survey|history)\b"
    r"|who (?:now )?studies[ ](?![\w'’-]+(?:[ ][\w'’-]+){0,2}[ ](?:at|in)\b)[\w'’-]+[ ][\w'’-]+"
    # "who has studied North Korea's overseas restaurants", not "who has studied English for"
    r"|who (?:has|have) (?:long )?studied[ ](?![\w'’-]+[ ](?:at|in|for|with)\b)[\w'’-]+[ ][\w'’-]+",
    re.IGNORECASE,
)
# An apposition is a noun phrase; a clause that starts with a verb says what happened instead.
_VERB_START = re.compile(
    r"(?:was|were|is|are|had|has|have|said|says|told|asked|added|did|does|will|would|could|can"
    r"|and|but|then|when|after|before|according|police said|officials said|sent|got|went|came"
    r"|left|fled|crossed|paid|lost|made|took|gave|met|wrote|became|began|spent|kept|sold|bought"
    r"|found|saw|heard|knew|received|returned|married|joined|entered|settled|moved|lives|lived"
    r"|works|worked|wants|wanted|tried|used|uses|helped|escaped|arrived|testified|vouched"
    # "Kim, described as ..., tried to ...": a past tense before a function word
    r"|[a-z]{3,}ed[ ](?:a|an|the|his|her|their|to|in|at|from|on|with|for|by|that|him|them)"
    r")\b"
)
# A noun for a person: the head of a phrase such as "a Chinese supervisor at the plant".
_PERSON_NOUN = re.compile(
    r"(?i)\b(?:\w+(?:er|or|ist|ian|ant|man|woman)|man|woman|men|women|person|partner|friend|wife|husband|mother|father"
    r"|sister|brother|son|daughter|child|girl|boy|relative|cousin|neighbou?r|colleague|resident"
    r"|source|broker|defector|worker|smuggler|refugee|soldier|prisoner|victim|nurse|clerk|guide"
    r"|aunt|uncle|niece|nephew|grandmother|grandfather|escapee|deserter|captive|lady|landlady"
    r"|landlord|tenant|host|pensioner|widow|orphan)s?\b"
)
_PLURAL_PEOPLE = ("girls", "boys", "men", "women", "children", "people")
_NEXT_WORD = re.compile(r"[ \u00a0]([a-z][a-z-]{1,30})\b")


def _people_after(flat: str, end: int) -> bool:
    """Whether a plural noun of people follows right after ``end`` ("Chibok schoolgirls",
    "Hyesan traders"): a capitalised word before it modifies it, as a place or a group, and
    names no one person."""
    found = _NEXT_WORD.match(flat, end)
    if found is None:
        return False
    word = found.group(1)
    plural = word.endswith("s") or word in _PLURAL_PEOPLE
    return plural and (_PERSON_NOUN.fullmatch(word) is not None or word.endswith(_PLURAL_PEOPLE))


# Words of the suffixes of ``_PERSON_NOUN`` that name things: "a co-processor called …". Any
# other "-er" or "-or" word counts as a person ("a courier called Kang"): when unsure, protect.
_THING_NOUNS = frozenset(
    _words(
        "processor computer monitor server container paper newspaper tower center centre sector"
        " order letter number reactor motor error mirror corridor elevator escalator calculator"
        " indicator generator radiator refrigerator conditioner charger speaker player printer"
        " scanner router browser filter poster banner cover folder chapter quarter border river"
        " water weather winter summer matter layer trailer sticker tracker counter meter"
        " thriller blockbuster bestseller giant restaurant plant grant"
    )
)
_OF_INSTITUTION = re.compile(
    rf"(?:[ ]and[ ]{_NAME_RUN})?,?[ ](?:of|at|from)[ ](?:the[ ]|an?[ ])?[^,.;()]{{0,40}}"
    r"(?:[Uu]niversity|[Ii]nstitute|[Cc]ent(?:er|re)|think[- ]tank|[Mm]inistry|[Aa]gency"
    r"|[Cc]ommission|[Cc]ommittee|[Ff]oundation|[Aa]cademy|[Cc]ollege|[Ss]chool of|Department"
    r"|Bureau|Embassy|Council)\b"
)
_CLAUSE_END = re.compile(r"[,;:.!?\n—–(]")
# A reporting verb inside the clause before an apposition: what follows it is the noun phrase
# that describes the name ("Minister X said one of them, Ri Jin-gu, was wounded").
_CLAUSE_VERB = re.compile(
    r"\b(?:said|says|told|tells|added|listed|lists|named|names|identified|showed|shows|reported"
    r"|found|met|interviewed|quoted|described|introduced|included|including"
    # "told researchers that the only calls are from a volunteer, Seo Da-bin": a clause of
    # its own starts after "that"
    r"|that|which"
    # "Police later traced the messages to a man in Gyeonggi, Seo Jae-gon,", "knew the name
    # of her late sister, Yun Bok-sil,": the subject before a verb does not describe the name
    r"|knew|knows|sent|sold|paid|wrote|[a-z]{3,}ed(?=[ ](?:the|a|an|his|her|their|its|him|them)\b))"
    r"\b[ ]"
)
_TRADE_APPOSITION = re.compile(
    r",[ ]an?[ ](?:[\w-]+[ ]){0,3}?(?:trucker|driver|farmer|trader|worker|labou?rer|woman|man|girl"
    r"|boy|teenager|mother|father|widow|nurse|teacher|miner|fisherman|soldier|defector|refugee"
    r"|broker|smuggler|student|guard|cook|waitress|seamstress|builder|logger|housewife|vendor"
    r"|shopkeeper|cleaner|carer|caregiver|mechanic|welder|painter|plasterer)\b"
)
_PLAYED_BY_AFTER = re.compile(r",?[ ][(（]?(?:played|portrayed|voiced)[ ]by\b")
_PLACE_AFTER = re.compile(
    r"(?:[ ][A-Z][a-z]+)?[ ](?:City|Province|County|District|Street|Road|Avenue|Square)\b"
    # "the Yu Jie (IMO 8712346)": a ship is named with its registry number
    r"|(?:[ ]\d{1,3})?[ ]?\((?:IMO|MMSI)\b"
)
_HEAD_STOP = re.compile(
    r"[ ](?:of|in|at|for|from|with|on|to|by|near|inside|outside|who|whose|that|which|is|are|was"
    r"|were|has|had|have|if|when|and|or)\b"
)


def _phrase_heads(phrase: str) -> tuple[str, ...]:
    """Where the head noun of a noun phrase before its comma can be: its last word ("one run by a
    Thai man,"), or its last word before a preposition, a relative word or a verb ("a partner in
    Yanji,"); of a hyphenated word, its last part ("co-owner")."""
    phrase = phrase.rstrip(", ")
    stop = _HEAD_STOP.search(phrase)
    heads = []
    for part in (phrase, phrase[: stop.start()] if stop else ""):
        words = re.findall(r"[\w'’-]+", part)
        if words:
            heads.append(re.split(r"[-'’]", words[-1])[0 if "'" in words[-1] else -1])
    return tuple(heads)


#: Person nouns the suffixes of ``_PERSON_NOUN`` miss.
_PERSON_HEADS = frozenset(
    _words(
        "acquaintance associate contact official national citizen native fan student teen kid"
        " baby guy chief head spouse fiancee fiancée girlfriend boyfriend mate pal classmate"
        " roommate peer teenager youth elder"
    )
)


# "Kim, 36,", "Lee (41)": an age; "in Afghanistan, 18 years after ...": a time, not an age.
_AGE_OR_TITLE = re.compile(
    r",?[ ]\(?\d{1,2}\b(?![ ](?:years?|months?|weeks?|days?|hours?|minutes?)\b(?![ -]old))"
    r"|,[ ]aged\b"
)
_TITLE_BEFORE = re.compile(r"\b(?:Mr|Mrs|Ms|Miss|Dr)\.?[ ]$")


@cache
def _world_places() -> frozenset[str]:
    """Countries and territories (:func:`countries`), the cities time zones are named after
    (the zone's own name, or the Unicode CLDR's English one through babel), the capitals, the
    United States' states and the United Kingdom's nations: "Hong Kong", "Germany",
    "Pyongyang", "Hanoi", "Indiana"."""
    from zoneinfo import available_timezones

    from babel import Locale

    english = Locale("en")
    names = {name for name in countries() if name.isascii()}
    # A zone's city is its second part ("Asia/Hong_Kong"), unless CLDR spells it otherwise;
    # the stations of Antarctica and the old national aliases ("US/Central") are left out.
    for zone in available_timezones():
        area, _, city = zone.partition("/")
        if area in _ZONE_AREAS and city and "/" not in city:
            names.add(city.replace("_", " "))
    names = {name for name in names if not name.isupper()}  # "ACT", "NSW": codes, not names
    names.update(
        city for data in english.time_zones.values() if (city := data.get("city")) is not None
    )
    names.update(regions())  # capitals, states and nations: "Hanoi", "Indiana", "Scotland"
    return frozenset(names - _PLACES_THAT_ARE_NAMES)


_ZONE_AREAS = frozenset(_words("Africa America Asia Atlantic Australia Europe Indian Pacific"))
#: Places of that list that are as often a person's given name or surname ("Jordan", "Davis").
_PLACES_THAT_ARE_NAMES = frozenset(
    _words(
        "Adelaide Chad Darwin Davis Dawson Georgia Israel Jordan Jersey Paris Regina Sydney Stanley"
        " Santiago Sofia Phoenix Denver Lindeman Creston Nome Oral Resolute Thule Louisville"
        " Halifax Lima Perth Kirov Samara Sark Juneau Gambier Pseudo-Accents Pseudo-Bidi world"
        # the compass and the season words of Australia's zone aliases ("Australia/North")
        " Victoria Christmas North South West East Central Eastern Western Yancowinna Currie"
        # capitals and states that are names as often
        " Douglas Hamilton Kingston Washington Male Montana Virginia Jamestown Nassau Stanley"
    )
)


_THING_NAMED = re.compile(r"(?:called|named|nicknamed|dubbed|known(?: only)? as)\b")
_PERSON_PRONOUNS = frozenset(
    _words("he she him her his who whom i me we us they them himself herself")
)
_APOSTROPHE = re.compile("['’]")
_ARTICLE_BEFORE = re.compile(r"(?<![\w'’])(?:[Tt]he|THE)[ \u00a0]$")
# An apposition whose head names a place, a body, a product or a work: "Hong Kong, a city of
# seven million", "Stadia, the company's streaming service", "Nice-Matin, a local newspaper".
_THING_HEADS = (
    r"(?:city|town|village|country|nation|state|province|region|county|district|capital"
    r"|territory|island|port|resort|company|firm|group|organi[sz]ation|agency|service|network"
    r"|channel|newspaper|paper|magazine|broadcaster|outlet|website|site|app|platform|brand"
    r"|product|device|phone|chip|chipmaker|maker|manufacturer|retailer|bank|fund|team|club"
    r"|league|party|militia|movement|ministry|council|committee|school|university|hospital"
    r"|festival|event|series|show|film|movie|book|novel|song|album|game|programme|program"
    r"|plan|scheme|project|operation|treaty|deal|law|bill|system|start-?up|subsidiary"
    r"|exchange|market|restaurant|hotel|airline|carrier|vessel|ship|satellite|missile"
    r"|rocket|index|division|unit|daily|weekly|publication|studio|label|venue|stadium"
    r"|charity|campaign|coalition|alliance|union|federation|association|institute|chip"
    r"|processor|speaker|camera|computer|laptop|car|vehicle|drug|record|holiday|point|cape"
    r"|peninsula|bay|river|lake|mountain|hill|valley|coast|beach|area|zone|site|base|park"
    r"|square|suburb|neighbou?rhood|municipality|prefecture|republic|kingdom|enclave)s?"
)
_THING_APPOSITION = re.compile(
    rf",[ ](?:a|an|the)[ ](?:[\w'’-]+[ ]){{0,4}}?{_THING_HEADS}"
    # the head ends the noun phrase: "a high school student" is a student
    r"(?=[,.;:!?)]|$|[ ](?:of|in|on|at|for|from|with|by|that|which|where|whose|based|owned|run"
    r"|known|called|near|outside|inside|within|across|and|or|set|[a-z]+ed|[a-z]{2,}ing)\b)"
)
#: A thing's head right before the word that names it: "a mission called Europa Clipper",
#: "malware dubbed AppleJeus", "a drill named Freedom Shield". Not the heads that may name a
#: person's handle or a private business ("a channel called ...", "an account named ...").
_THING_CALLED = re.compile(
    r"\b(?:mission|spacecraft|probe|telescope|rover|lander|satellite|rocket|missile|vessel|ship"
    r"|tanker|operation|exercise|drill|project|programme|program|plan|scheme|treaty|law|bill"
    r"|system|malware|virus|worm|software|tool|storm|typhoon|hurricane|festival|film|movie"
    r"|documentary|book|novel|song|album|game|series|show|company|firm|bank|fund|party|movement"
    r"|militia|school|university|hospital|hotel|airline|drug|device|product|brand|city|town"
    r"|village|island|province|region|county|district)s?[ ]$",
    re.IGNORECASE,
)
_VESSEL_BEFORE = re.compile(r"\b(?:tanker|ship|vessel|freighter|trawler|boat|ferry|MV|M/V)[ ]$")
# A clause that is a noun phrase opening with its head: "The lawyer for the family".
_HEAD_PHRASE = re.compile(
    r"[ ]?(?:[Tt]he|[Aa]n?|[Hh]is|[Hh]er|[Tt]heir|[Ii]ts)[ ](?:[\w-]+[ ]){0,2}?(?=\w)"
)
_ORGANISATION_POSSESSIVE = re.compile(
    r"\b(?:Department|Ministry|Agency|Office|Watch|Institute|Institution|Center|Centre|Council"
    r"|Commission|Committee|Foundation|Service|Bureau|Embassy|Mission|Command|Court|Treasury"
    r"|Pentagon|Kremlin|House|University|Group|Network|Association|Union|Nations|Assembly"
    r"|Parliament|Congress|Party|Government|government|ministry|embassy|agency|office)['’]s[ ]$"
    # "Daily NK's Lee Sang-yong", "NK News' Chad O'Carroll", "Yonhap's Kim Soo-jin"
    r"|\b(?:NK|News|Times|Post|Daily|Herald|Journal|Yonhap|Reuters|AP|AFP|RFA|VOA|BBC|CNN|NHK"
    r"|Kyodo|Xinhua|TASS|Interfax|Guardian|Economist|Monitor|Wire|Pro|Sinmun|Ilbo|Hankyoreh"
    r"|Network|Radio|Television|TV|Asia|Press|Magazine|Review|Tribune|Telegraph)(?:['’]s|['’])[ ]$"
    # "Its manager, Hwang In-seop,": an organisation's ("its") office holder
    r"|\b[Ii]ts[ ](?:[a-z]+[ ]){0,2}(?:manager|director|head|chief|founder|co-founder|president"
    r"|chair|chairman|chairwoman|spokesman|spokeswoman|spokesperson|secretary|coordinator"
    r"|researcher|lawyer|editor|representative)s?,?[ ]$"
)


#: Roles no one holds while acting in an office.
_NO_OFFICE_ROLES = frozenset({"POW", "child"})
#: What may stand between a name and the role its apposition gives: an age, an article and a
#: few words of time ("Officer Kim Chol, 22, a captured POW").
_APPOSITION_LEAD = re.compile(
    r"[ ]?,[ ](?:\d{1,3},[ ])?(?:(?:an?|the|now|once|himself|herself|former|captured)[ ])*"
)


def _vulnerable_apposition(
    flat: str, mention: _Mention, cues: list[tuple[int, int, str]], s_end: int
) -> bool:
    """Whether the apposition right after the name makes the person a captive or a child
    ("Officer Kim Chol, 22, a POW"): that they are now, whatever title stands before the name.
    Not other roles: a lawmaker who is a defector speaks on the record."""
    for start, _, role in _between(cues, mention.end, min(s_end, mention.end + 60)):
        if role in _NO_OFFICE_ROLES and _APPOSITION_LEAD.fullmatch(flat, mention.end, start):
            return True
    return False


def _described_as_public(
    flat: str,
    mention: _Mention,
    offices: list[tuple[int, int]],
    cues: list[tuple[int, int, str]],
    s_start: int,
    s_end: int,
) -> bool:
    """A public office next to the name: a title before it, an apposition before or after it.

    In an apposition the first cue decides ("a spokesman for the Treatment of Prisoners of
    War" is public, "a defector from Hyesan" is not), and a vulnerable person who leads an
    organisation or campaigns on the record is public ("a defector who now heads ...").
    """
    if mention.hangul:
        after = flat[mention.end : min(s_end, mention.end + 30)]
        # The words between the name and its title name where the office is ("통일부 장관");
        # a form of address or a word with its case ending closes the name's phrase, and a
        # title after it is someone else's ("이영순(41) 씨는 11일 기자와 만나").
        title = re.match(
            r"[ ]?(?:\([^)]{0,12}\)[ ]?)?"
            r"(?:(?!(?:씨|군|양)(?:[은는이가을를의와과도]|에게|께서)?[ ])[가-힣A-Za-z0-9]{1,12}"
            r"(?<!는)(?<!은)(?<!을)(?<!를)(?<!와)(?<!과)(?<!에게)(?<!에서)(?<!께서)[ ]){0,3}"
            r"(?:" + _hangul_public_titles() + r")(?![가-힣]{2})",
            after,
        )
        before = flat[max(s_start, mention.start - 25) : mention.start]
        return (
            title is not None
            or re.search(r"(?:" + _hangul_public_titles() + r")[ ]?$", before) is not None
        )
    # "Ko Yong-dok, a man she said reported to an official": an apposition headed by "a man"
    # or "a woman" says the person holds no office; an office later in it is someone else's.
    generic = _GENERIC_HEAD.match(flat, mention.end, min(s_end, mention.end + 140))
    if generic and not _WHO_LEADS.match(flat, generic.end(), min(s_end, generic.end() + 100)):
        return False
    # "the State Department's Matthew Miller": an organisation's own person.
    if _ORGANISATION_POSSESSIVE.search(flat, max(s_start, mention.start - 40), mention.start):
        return True
    # "His mother, Queen Elizabeth,": a title read as the first word of the name
    if (title := _TITLE_IN_NAME.match(flat, mention.start)) and title.end() < mention.end:
        return True
    # "named Abu Musab al-Barnawi as Boko Haram's leader": an office the name is given as
    if (given := _GIVEN_AS.match(flat, mention.end)) and PUBLIC_CUE.match(flat, given.end()):
        return True
    before_start = max(s_start, mention.start - 45)
    for start, end in _between(offices, before_start, mention.start):
        if end <= mention.start:
            between = flat[end : mention.start]
            if re.match(r"[ \u00a0]*as[ ]", between) and re.search(
                r"\b(?:by|to|told)[ ](?:the[ ])?$", flat[max(0, start - 9) : start]
            ):
                continue  # "identified by police as Hyun": the office names someone else
            if re.fullmatch(
                # "the governor, named ...", "whose governor is Rhee Chang-yong"
                # "PRESENTER (Yu Ji-hye):", a transcript's label with the name in brackets
                # "the presiding judge as Jin Xiaohong", "lawmakers such as Choi Hye-jin"
                r"[ \u00a0]*(?:\(|(?:named|called|is|was|as|such[ ]as|including)[ \u00a0]+)?"
                # "China's ambassador to Britain Liu Xiaming": where the office is held
                r"(?:(?:to|of|for|at|in)[ ](?:the[ ])?(?=[A-Z]))?"
                r"(?:[A-Z][\w'’.-]*[ \u00a0]+){0,5}",
                between,
            ) and not _vulnerable_apposition(flat, mention, cues, s_end):
                return True
    # "A researcher at a Seoul university, Hyun In-ae, ..."
    described_private = False
    # "Her counsel, Ms. Harriet Odell,": a form of address may stand between the comma and the name
    lead = _COMMA_TITLE_BEFORE.search(flat, max(0, mention.start - 10), mention.start)
    if lead is not None:
        comma = lead.start()
        clause_start = comma
        while clause_start > s_start and not _CLAUSE_END.match(flat, clause_start - 1):
            clause_start -= 1
        verbs = list(_CLAUSE_VERB.finditer(flat, clause_start, comma))
        if verbs:
            clause_start = verbs[-1].end()
        if mention.start - clause_start < 120:
            # "The lawyer for the family, Jang Yoon-mi,": a noun phrase's head comes first.
            head = _HEAD_PHRASE.match(flat, clause_start, comma)
            if head is not None and not _person_head(flat, head.end(), comma, offices, cues):
                # "A list seized by police from a trafficker, Wu Jianping,": a phrase headed by
                # a thing describes the name through its last noun phrase.
                head = None
            decide = _first_cue_public if head else _last_cue_public
            if decide(clause_start, comma, offices, cues):
                return True
            if head and _between(offices, clause_start, comma):
                head_start = min(_between(offices, clause_start, comma))[0]
                described_private = bool(_between(cues, clause_start, head_start))
            else:
                described_private = bool(_between(cues, clause_start, comma))
    after = flat[mention.end : min(s_end, mention.end + 140)]
    apposition = re.match(r"[ ]?(?:,|\(|—|–)[ ]?(?P<body>[^;()—–]{0,120})", after)
    # 'Known only by her alias "Jasmine," the broker runs ...': after a closing quote the main
    # clause goes on; it describes no one in apposition.
    if (
        apposition
        and not _VERB_START.match(apposition.group("body"))
        and not re.match(r"[\"”’']", apposition.group("body"))
    ):
        body_start = mention.end + apposition.start("body")
        body_end = mention.end + apposition.end("body")
        if _LEADS.search(flat, body_start, body_end):
            return True
        body_end = min(body_end, _clause_end(flat, body_start, body_end))
        # "Jay Min, whose real identity police said they knew": a relative clause says what
        # happened; only one that says what the person is ("who is a judge") names an office.
        body = apposition.group("body")
        if re.match(r"whose\b", body) or (
            re.match(r"who\b", body)
            and not re.match(
                r"who(?:['’]s| is| was| has been| serves as| served as| works as| worked as)[ ]",
                body,
            )
        ):
            body_end = body_start
        # "a refugee, Kim Yu-na, who asked reporters ...": the role in the apposition before
        # the name has said who the person is; an office word after it is someone else.
        if not described_private and _first_cue_public(body_start, body_end, offices, cues):
            return True
    # "Jung Da-eun and Thomas Berger of a Seoul university": staff of an institution.
    if _OF_INSTITUTION.match(flat, mention.end, min(s_end, mention.end + 140)):
        return True
    # "Kim Chol-ung and Ho Yong-nam, officials of the bank": a plural office in apposition to
    # both names describes the first too.
    coordinated = _COORDINATED.match(flat, mention.end, min(s_end, mention.end + 140))
    if coordinated is not None:
        body_start = coordinated.end()
        body_end = _clause_end(flat, body_start, min(s_end, body_start + 80))
        found = _between(offices, body_start, body_end)
        if (
            found
            and _first_cue_public(body_start, body_end, offices, cues)
            and flat[found[0][0] : found[0][1]].endswith("s")
        ):
            return True
    # "Kang Min-ju left North Korea in 2009 and now heads the ...", "My name is Park Ji-sun,
    # and I direct the ... Network"
    rest = flat[mention.end : min(s_end, mention.end + 120)]
    return (
        re.search(r"\b(?:and |who )?now (?:heads|leads|chairs|directs)\b", rest) is not None
        or re.match(r",?[ ]and[ ]I[ ](?:now[ ])?(?:direct|lead|head|chair|run|founded)\b", rest)
        is not None
    )


_COMMA_TITLE_BEFORE = re.compile(r",[ ](?:(?:Mr|Mrs|Ms|Miss|Dr|Prof)\.?[ ])?$")
#: "and Ho Yong-nam, ": a second name, then the apposition both share.
_COORDINATED = re.compile(rf"[ ]and[ ]{_NAME_RUN},[ ](?:both[ ]|the[ ]two[ ]|two[ ])?")
_WHO_LEADS = re.compile(
    r"[^.;]{0,30}?\bwho (?:now |still )?(?:leads|heads|founded|co-founded|chairs|directs|runs)\b"
)
_GENERIC_HEAD = re.compile(
    r"[ ]?,[ ](?:an?|one|another)[ ](?:(?:young|old|older|elderly|middle-aged|local|Chinese"
    r"|Korean|Russian|North[ ]Korean|South[ ]Korean)[ ])?(?:man|woman|person|stranger|acquaintance"
    r"|neighbou?r|friend)\b"
)


def _clause_before(flat: str, end: int) -> str:
    """The text from the last clause boundary (within 80 characters) up to ``end``."""
    start = max(0, end - 80)
    window = flat[start:end]
    cut = max(window.rfind(mark) for mark in ",.;:!?")
    return window[cut + 1 :] if cut >= 0 else window


def _public_clause(clause: str) -> bool:
    """Whether the last cue in a clause is a public office (and a vulnerable role is not)."""
    public = [s for s, _ in public_cues(clause)]
    vulnerable = [s for s, _, _ in role_cues(clause)]
    return bool(public) and (not vulnerable or max(public) > max(vulnerable))


def _clause_end(flat: str, start: int, end: int) -> int:
    match = re.compile(r"[,;:.!?]").search(flat, start, end)
    return match.start() if match else end


def _last_cue_public(
    start: int, end: int, offices: list[tuple[int, int]], cues: list[tuple[int, int, str]]
) -> bool:
    public = [span[0] for span in _between(offices, start, end)]
    vulnerable = [cue[0] for cue in _between(cues, start, end)]
    return bool(public) and (not vulnerable or max(public) > max(vulnerable))


#: The words after a determiner that can hold a noun phrase's head ("the deputy head of").
_HEAD_WORDS = re.compile(r"(?:[\w'’-]+[ ]){0,2}[\w'’-]+")


def _person_head(
    flat: str,
    start: int,
    end: int,
    offices: list[tuple[int, int]],
    cues: list[tuple[int, int, str]],
) -> bool:
    """Whether the head of the noun phrase starting at ``start`` (its first three words) is a
    person's office or role."""
    words = _HEAD_WORDS.match(flat, start, end)
    stop = words.end() if words else start
    return bool(_between(offices, start, stop) or _between(cues, start, stop))


def _first_cue_public(
    start: int, end: int, offices: list[tuple[int, int]], cues: list[tuple[int, int, str]]
) -> bool:
    public = [span[0] for span in _between(offices, start, end)]
    vulnerable = [cue[0] for cue in _between(cues, start, end)]
    return bool(public) and (not vulnerable or min(public) < min(vulnerable))


def _attached_role(
    flat: str, mentions: list[_Mention], cues: list[tuple[int, int, str]]
) -> str | None:
    """The role a cue gives one of ``mentions`` by its own phrase, the first such in the text.

    A cue right before the name ("defector Kim", "her mother, Jang", "a broker named Liu",
    "탈북민 장경희") or in an apposition right after it ("Kim, 43, a former soldier,"; not "Kim,
    whose mother"; not "Kim, the defector's mother", which is a relative).
    """
    starts = [c[0] for c in cues]
    for mention in mentions:
        index = bisect.bisect_left(starts, mention.start)
        for _start, end, role in reversed(cues[max(0, index - 3) : index]):
            if end <= mention.start and _ROLE_RIGHT_BEFORE.fullmatch(flat, end, mention.start):
                return role
        after = bisect.bisect_left(starts, mention.end)
        for start, end, role in cues[after : after + 3]:
            if _POSSESSIVE.match(flat, end):
                continue
            if _ROLE_RIGHT_AFTER.fullmatch(flat, mention.end, start):
                return role
    return None


# What may stand between a role word and the name it describes.
_ROLE_RIGHT_BEFORE = re.compile(r"(?:,?[ ]|[ ](?:named|called|known[ ]as)[ ])")
_ROLE_RIGHT_AFTER = re.compile(
    # "Jin Chunmei (金春梅, 51), a broker,": a spelling or an age in brackets may come first
    r"(?:[ ][(（][^()（）\n]{1,30}[)）])?"
    r",[ ](?:\d{1,3},[ ])?(?!(?:who|whose|which|that|when|where)\b)"
    r"(?:(?:a|an|the|his|her|their|one)[ ])?(?:[\w’'-]+[ ]){0,3}"
)
_POSSESSIVE = re.compile(r"['’]s?\b")


def _nearest_role(
    mention: _Mention, cues: list[tuple[int, int, str]], strong_text: bool
) -> str | None:
    # A strong role wins over a weak one in the same span ("captured soldier" is a POW).
    usable = [c for c in cues if c[2] in STRONG_ROLES] or ([c for c in cues] if strong_text else [])
    if not usable:
        return None
    return min(usable, key=lambda c: abs(c[0] - mention.start))[2]


def _age_after(
    mention: _Mention, ages: list[tuple[int, int, int]], s_end: int, flat: str = ""
) -> int | None:
    for start, _, age in ages:
        if mention.end <= start < min(s_end, mention.end + 40):
            # "Choe Song-il's daughter, Choe Un-byol, 9": the age after another name is hers.
            between = flat[mention.end : start]
            if flat and _NAME_BETWEEN.search(between):
                return None
            return age
    return None


_NAME_BETWEEN = re.compile(r"['’]s[ ]|[,;][ ](?:[A-Z][a-z]+[ -]){1,2}[A-Z]?[a-z]+,")


# A run of capitalised words that may be a name, with an optional middle initial.
_CAPITALISED_RUN = re.compile(
    r"(?<![\w.@])[A-Z][a-z]{1,15}(?:[ ][A-Z]\.)?(?:[ ][A-Z][a-z]{1,15}){1,2}"
)
_CONTACT_PARTS = re.compile(r"[a-z]+")


def names_spelt_by_contacts(flat: str, detections: Sequence[Detection]) -> list[Detection]:
    """Names that a protected e-mail address or messenger handle close after them spells out.

    In 'Kevin Zhang, kevin.zhang.dev@outlook.com' or '"Rob K. Tanaka", whose handle was
    rob.tanaka.eng' the address is the person's own: the name is theirs too, whatever its
    origin. The name must end within 120 characters before the contact, and its surname and
    given name (or the given name's first letters) must both be in the contact.
    """
    taken = [(d.start, d.end) for d in detections if d.kind == PERSON]
    found: list[Detection] = []
    for contact in detections:
        if contact.kind not in ("EMAIL", "MESSENGER_ID") or not contact.protected:
            continue
        local = flat[contact.start : contact.end].split("@")[0].lower()
        parts = set(_CONTACT_PARTS.findall(local))
        if not parts:
            continue
        window_start = max(0, contact.start - 120)
        best = None
        for match in _CAPITALISED_RUN.finditer(flat, window_start, contact.start):
            words = [w.lower() for w in re.findall(r"[A-Za-z]{2,}", match.group())]
            if len(words) < 2:
                continue
            if _spells(parts, words[0], words[-1]):
                best = match
        if best is None or any(s < best.end() and best.start() < e for s, e in taken):
            continue
        taken.append((best.start(), best.end()))
        found.append(
            Detection(
                PERSON,
                best.start(),
                best.end(),
                0.8,
                PersonRecogniser.name,
                role="person",
                key=_key(best.group()),
            )
        )
    return found


def _spells(parts: set[str], given: str, surname: str) -> bool:
    """Whether a contact's letter runs hold a surname and its given name or initial."""
    if surname in parts and (given in parts or given[0] in parts):
        return True
    # "danpark", "dpark", "kevinzhang": the given name or its initial joined to the surname
    return len(surname) >= 3 and any(
        p.endswith(surname) and given.startswith(p[: -len(surname)] or "-") for p in parts
    )


#: A given name in the romanised Korean form: two syllables joined by a hyphen.
_HYPHENED_GIVEN = re.compile(r"[A-Z][a-z]{1,6}-[a-z]{1,6}")


def earlier_given_names(flat: str, detections: Sequence[Detection]) -> list[Detection]:
    """A protected given name's mentions before the one that was found ('"medicine for
    Tae-ung". Tae-ung is her nephew'): the same hyphenated given name, as a whole word, is
    the same person wherever it stands in the text."""
    people = [d for d in detections if d.kind == PERSON]
    found: list[Detection] = []
    seen: set[str] = set()
    for person in people:
        surface = flat[person.start : person.end]
        if not person.protected or surface in seen or not _HYPHENED_GIVEN.fullmatch(surface):
            continue
        seen.add(surface)
        pattern = re.compile(rf"(?<![\w'’.-]){re.escape(surface)}(?![\w-])")
        for match in pattern.finditer(flat, 0, person.start):
            if any(d.start < match.end() and match.start() < d.end for d in people):
                continue
            found.append(replace(person, start=match.start(), end=match.end()))
    return found


def _surnames_of_later_public_names(flat: str, people: dict[str, _Person]) -> None:
    """A surname said before the full name it belongs to ("Ms. Park, welcome. MS. PARK: …
    My name is Park Ji-sun, and I direct …"): when exactly one full name in the text has that
    surname, a person known only by the surname before it is that person, public if the text
    shows that one to be. A public figure the profile lists ("Choe Son Hui") lends nothing: a
    "Ms. Choe" before the minister's name is as likely someone else."""
    full_names: dict[str, list[_Person]] = {}
    for person in people.values():
        for mention in person.mentions:
            words = re.split(r"[ \t\n]+", flat[mention.start : mention.end])
            if mention.full and len(words) >= 2:
                for word in (words[0], words[-1]):
                    owners = full_names.setdefault(word.casefold(), [])
                    if person not in owners:
                        owners.append(person)
    for person in people.values():
        surfaces = {flat[m.start : m.end].casefold() for m in person.mentions}
        if person.public or len(surfaces) != 1:
            continue
        (surface,) = surfaces
        owners = full_names.get(surface, [])
        if " " in surface or "-" in surface or len(owners) != 1 or owners[0] is person:
            continue
        owner = owners[0]
        if any(m.listed is not None for m in owner.mentions) or min(
            m.start for m in person.mentions
        ) > min(m.start for m in owner.mentions):
            continue
        if owner.public and person.score < 0.8:
            person.public, person.role, person.score = True, None, owner.score
