"""Entities: the people, organisations and places an article names.

Reads an article's text and a :class:`~nkwatch.enrich.profile.Profile`; returns
:class:`EntityMention` spans with character offsets into that text.

Profile entities are found by alias look-up over tokens (longest alias wins), so spelling
variants of one name meet: case, hyphen or space ("Kim Jong-un" = "Kim Jong Un"), apostrophes,
accents, and a possessive 's. A Hangul alias may carry Korean particles ("김정은은", "평양에서").
Short all-caps acronyms match only in capitals. The look-up table is built once per profile.
An alias may count only after another entity has come up (``after``: "Security Council" once the
UN has), and a Hangul place name that is also a common word ("나선") only next to a particle or a
place noun. News outlets come from the caller's metadata (the ``[outlets]`` table of the
settings), never from a list of words: a place inside a known outlet's name ("Pyongyang Monitor")
names the outlet, which is an organisation.
A bare surname ("Choe", "Kim") after a person's full name is linked to that person.

Names the profile does not know are found by conservative rules and marked ``known=False``: a
title before a name ("Gen.", "Minister", "defector"), a romanised Korean name after a Korean
surname ("Ri Yong Su", "Pak Song-chol"), a Hangul name next to a Korean title, organisation
heads ("... Ministry", "... Bureau", "Committee of ..."),
place suffixes or cues ("... Province", "... County", "the town of ...", "traders in ..."),
wire-style datelines ("SEOUL/VIENNA, Sept 15 (Hanbando Wire)"), and a name before an age
("Ji-young, a 43-year-old defector").
Precision comes first: a rule fires only with such a cue, never on a capitalised word alone.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from nkwatch.enrich.profile import (
    COMMON_WORDS,
    HANGUL,
    HANGUL_COMMON_WORDS,
    Alias,
    Entity,
    EntityType,
    Profile,
    Token,
    fold,
    phrase_key,
    tokenize,
)
from nkwatch.lexicon import DATELINE_HEAD, dateline_day


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


@dataclass(frozen=True, slots=True)
class EntityMention:
    """One mention of a named entity: ``text[start:end] == surface``."""

    canonical: str
    type: EntityType
    surface: str
    start: int
    end: int
    known: bool


def find_entities(
    text: str, *, profile: Profile, outlets: Iterable[str] = ()
) -> list[EntityMention]:
    """Every known and (by rule) unknown entity mention in ``text``, in text order.

    ``outlets`` are the names of the news outlets the desk knows (from its settings): each one
    written in the text is an organisation (``known=False``), and a profile place inside it
    ("Pyongyang" in "Pyongyang Monitor") is not a mention of that place. A bare surname after a
    person's full name ("Choe" after "Choe Son Hui") is a known mention of that person.
    """
    named_outlets = outlet_mentions(text, outlets)
    inside = [(m.start, m.end) for m in named_outlets]
    matcher = entity_matcher(profile)
    known = [
        (mention, entity)
        for mention, entity in matcher.find_named(text)
        if not any(_overlaps((mention.start, mention.end), span) for span in inside)
    ]
    mentions = [mention for mention, _ in known]
    unknown = find_unknown_entities(text, taken=[(m.start, m.end) for m in mentions] + inside)
    taken = [(m.start, m.end) for m in (*mentions, *unknown, *named_outlets)]
    surnames = _back_references(text, known, taken)
    return sorted([*mentions, *named_outlets, *unknown, *surnames], key=lambda m: (m.start, m.end))


def outlet_mentions(text: str, outlets: Iterable[str]) -> list[EntityMention]:
    """Where the names of known outlets are written in ``text`` (case as given, whole words)."""
    names = tuple(sorted({" ".join(name.split()) for name in outlets if name and name.strip()}))
    if not names:
        return []
    pattern = _outlet_pattern(names)
    return [
        EntityMention(
            " ".join(match.group(0).split()),
            "organisation",
            match.group(0),
            match.start(),
            match.end(),
            False,
        )
        for match in pattern.finditer(text)
    ]


@lru_cache(maxsize=8)
def _outlet_pattern(names: tuple[str, ...]) -> re.Pattern[str]:
    """One pattern for all the outlet names, longest first, any run of spaces between words."""
    alternatives = "|".join(
        r"[ \u00a0]+".join(map(re.escape, name.split()))
        for name in sorted(names, key=len, reverse=True)
    )
    return re.compile(rf"(?<![\w-])(?:{alternatives})(?![\w-])")


@lru_cache(maxsize=8)
def entity_matcher(profile: Profile) -> EntityMatcher:
    """The alias matcher for ``profile``, built once and reused."""
    return EntityMatcher(profile)


# Korean particles and light suffixes that attach to a noun without a space.
_PARTICLES = sorted(
    _words(
        """
    은 는 이 가 을 를 의 에 와 과 로 도 만 나 랑 측 시 들 께 야 아
    에서 에게 한테 께서 으로 까지 부터 처럼 보다 마저 조차 이나 이며 이고 이다 였다 이랑 과의 와의
    에는 에도 로는 로도 에서의 으로의 에게서 으로서 으로써 에서는 에서도 에게는 께서는 으로는 이었다
    이라고 라고 이라는 라는 에선 으론 이란 란 인 께선 행
    """
    ),
    key=len,
    reverse=True,
)


def _hangul_stems(word: str) -> list[tuple[str, int]]:
    """The word and its stems with up to two particles removed, with how many chars went."""
    stems = [(word, 0)]
    frontier = [(word, 0)]
    for _ in range(2):
        following: list[tuple[str, int]] = []
        for stem, cut in frontier:
            for particle in _PARTICLES:
                if stem.endswith(particle) and len(stem) > len(particle):
                    following.append((stem[: -len(particle)], cut + len(particle)))
        stems.extend(following)
        frontier = following
    return stems


class EntityMatcher:
    """Longest-alias matching of one profile's entities over tokenised text."""

    def __init__(self, profile: Profile) -> None:
        self._folded: dict[tuple[str, ...], tuple[Entity, Alias]] = {}
        self._exact: dict[tuple[str, ...], tuple[Entity, Alias]] = {}
        longest = 1
        for entity in profile.entities:
            for alias in entity.aliases:
                key = phrase_key(alias.text, case_sensitive=alias.case_sensitive)
                table = self._exact if alias.case_sensitive else self._folded
                table.setdefault(key, (entity, alias))
                longest = max(longest, len(key))
        self._longest = longest
        # The first word of every alias: a token that starts none (and is not Hangul, whose
        # particles are cut before matching) starts no mention, so it is passed at once.
        self._first_folded = {key[0] for key in self._folded if key}
        self._first_exact = {key[0] for key in self._exact if key}

    def find(self, text: str) -> list[EntityMention]:
        """Known-entity mentions in ``text``; where aliases overlap, the longest wins."""
        return [mention for mention, _ in self.find_named(text)]

    def find_named(
        self, text: str, tokens: list[Token] | None = None
    ) -> list[tuple[EntityMention, Entity]]:
        """Like :meth:`find`, with the profile entity each mention names (``tokens``: the
        text's :func:`tokenize` when the caller has it already)."""
        if tokens is None:
            tokens = tokenize(text)
        mentions: list[tuple[EntityMention, Entity]] = []
        named: set[str] = set()
        index = 0
        while index < len(tokens):
            found = self._match_at(tokens, index, named)
            if found is None:
                index += 1
                continue
            entity, length, end = found
            start = tokens[index].start
            index += length
            if length > 1 and text[end : end + 1] == "." and text[end - 2 : end - 1] == ".":
                # An initialism such as "U.S." keeps its last full stop.
                end += 1
            named.add(entity.id)
            mentions.append(
                (EntityMention(entity.name, entity.type, text[start:end], start, end, True), entity)
            )
        return mentions

    def _match_at(
        self, tokens: list[Token], index: int, named: set[str]
    ) -> tuple[Entity, int, int] | None:
        first = tokens[index]
        if (
            first.key not in self._first_folded
            and first.text not in self._first_exact
            and not HANGUL.match(first.text)
        ):
            return None
        limit = 1
        while (
            limit < self._longest and index + limit < len(tokens) and tokens[index + limit].joined
        ):
            limit += 1
        for length in range(limit, 0, -1):
            window = tokens[index : index + length]
            last = window[-1]
            folded = tuple(t.key for t in window)
            exact = tuple(t.text for t in window)
            found = self._folded.get(folded) or self._exact.get(exact)
            if found is not None and self._counts(found[1], tokens, index, length, 0, named):
                return found[0], length, last.end
            if HANGUL.match(last.text):
                for stem, cut in _hangul_stems(last.text)[1:]:
                    found = self._folded.get((*folded[:-1], fold(stem)))
                    if found is not None and self._counts(
                        found[1], tokens, index, length, cut, named
                    ):
                        return found[0], length, last.end - cut
        return None

    @staticmethod
    def _counts(
        alias: Alias, tokens: list[Token], index: int, length: int, cut: int, named: set[str]
    ) -> bool:
        """Whether an alias found at ``tokens[index:index + length]`` names its entity here."""
        if alias.after:
            if named.isdisjoint(alias.after):
                return False
            previous = tokens[index - 1] if index else None
            # "National Security Council", "Russia's Security Council": part of another name.
            if tokens[index].joined and previous is not None and previous.text[:1].isupper():
                return False
        if alias.text in HANGUL_COMMON_WORDS and cut == 0:
            following = tokens[index + length] if index + length < len(tokens) else None
            return following is not None and following.text in _HANGUL_PLACE_WORDS
        return True


# Nouns that follow a place name as a separate word ("나선 경제무역지대", "개성 공업지구").
_HANGUL_PLACE_WORDS = _words(
    "시 항 특별시 경제특구 특구 지구 지역 일대 일원 부근 경제무역지대 공업지구 공단 주민 시내"
)


# --- bare surnames --------------------------------------------------------------------------

_SURNAME_TITLES = _words(
    """
    mr mrs ms dr president chairman chairwoman leader minister premier marshal general gen
    comrade sister secretary ambassador envoy vice first deputy foreign director commander
    """
)


def _surname(entity: Entity, surnames: frozenset[str]) -> str | None:
    """The surname a bare back-reference to this person would use ("Kim", "Lavrov")."""
    words = entity.name.split()
    if len(words) < 2 or not re.fullmatch(r"[A-Za-z\u00c0-\u024f'’-]+", words[0]):
        return None
    surname = words[0] if words[0] in surnames else words[-1].split("-")[0]
    if fold(surname) in _ENGLISH_SHORT | _LEADING_STOP:
        # "No Kwang Chol": a bare "No" is the English word.
        return None
    return surname


def _back_references(
    text: str, known: list[tuple[EntityMention, Entity]], taken: list[tuple[int, int]]
) -> list[EntityMention]:
    """Bare surnames that refer back to a person named in full earlier in ``text``.

    A surname shared by several people named so far goes to the one named first: the lead of a
    report names its subject before the people it is described by ("Kim Yo Jong, the sister of
    Kim Jong Un ... Kim said").
    """
    people: dict[str, list[tuple[int, Entity]]] = {}
    for mention, entity in known:
        if entity.type != "person":
            continue
        surname = _surname(entity, _SURNAME_SET)
        if surname is not None:
            people.setdefault(surname, []).append((mention.end, entity))
    found: list[EntityMention] = []
    for surname, named in people.items():
        for match in re.finditer(rf"(?<![\w'’.-]){re.escape(surname)}(?![\w-])", text):
            span = (match.start(), match.end())
            if any(_overlaps(span, other) for other in taken):
                continue
            if re.match(rf"[ \u00a0]*[-‐]?[ \u00a0]*[{_UPPER}]", text[match.end() :]):
                continue  # "Kim Song Nam": the start of another full name
            previous = re.search(
                r"([\w'’-]+)[ \u00a0]+$", text[max(0, match.start() - 30) : match.start()]
            )
            if (
                previous is not None
                and previous.group(1)[:1].isupper()
                and fold(previous.group(1).rstrip(".")) not in _SURNAME_TITLES | _LEADING_STOP
            ):
                continue  # "Sung Kim", "Ji-young Kim": a given name before it
            earlier = [entity for end, entity in named if end <= match.start()]
            if not earlier:
                continue
            entity = earlier[0]
            found.append(
                EntityMention(entity.name, entity.type, surname, match.start(), match.end(), True)
            )
    return found


# --- names the profile does not know -----------------------------------------------------

_UPPER = "A-ZÀ-ÖØ-Þ"
_LOWER = "a-zß-öø-ÿ"
_NAME = rf"[{_UPPER}][{_LOWER}]+(?:[-‐][{_UPPER}{_LOWER}][{_LOWER}]+)?"
_CAP = rf"(?:[{_UPPER}][{_LOWER}{_UPPER}'’.&-]*[{_LOWER}{_UPPER}]|[{_UPPER}])"

_HONORIFICS = (
    r"(?:Lt\.|Maj\.|Brig\.)[ \u00a0]?(?:Gen\.|Col\.)|Mr\.|Mrs\.|Ms\.|Dr\.|Gen\.|Lt\.|Col\."
    r"|Maj\.|Capt\.|Adm\.|Sgt\.|Prof\."
)
_TITLES = (
    # The qualifier owns the spaces after it, so a long run of spaces is never rescanned.
    r"(?:(?:Lt\.|Maj\.|Lieutenant|Major|Colonel|Vice|Deputy|First|Foreign|Defence|Defense"
    r"|Prime|Senior|Former|former|Unification|Security|Army|Air|Navy)\s{1,3})?"
    r"(?:General|Marshal|Minister|Premier|President|Ambassador|Envoy|Chairman|Chairwoman"
    r"|Secretary|Director|Commander|Admiral|Colonel|Captain|Lieutenant|Governor|Mayor"
    r"|Senator|Professor|Spokesperson|Spokesman|Spokeswoman|Rapporteur|Chief)"
)
_ROLES = (
    r"leader|minister|ambassador|envoy|spokesperson|spokesman|spokeswoman|defector|escapee"
    r"|analyst|researcher|lawmaker|diplomat|commander|general|professor|activist|official"
    r"|journalist|reporter|director|scholar|pastor|broker|smuggler|resident|refugee"
)
_ROLE_WORDS = frozenset(_ROLES.split("|"))
_TITLED_PERSON = re.compile(
    rf"(?<![\w.])(?:(?P<honorific>{_HONORIFICS})|(?P<title>{_TITLES})|(?P<role>{_ROLES}))"
    rf"[ \u00a0]+(?P<name>{_NAME}(?:[ \u00a0]+{_NAME}){{0,3}})(?![\w-])"
)
_APPOSITION = re.compile(
    rf"(?<![\w.'’])(?P<name>{_NAME}(?:[ \u00a0]+{_NAME}){{1,3}}),[ \u00a0]+(?:a|an|the)[ \u00a0]+"
    rf"(?:(?:former|senior|veteran|North Korean|South Korean|Russian|US|American|young|retired)"
    rf"[ \u00a0]+)*(?:{_ROLES}|defector|expert|scientist|historian|economist)\b"
)

# "Ji-young, a 43-year-old defector": one given name is enough before an age.
_AGE_APPOSITION = re.compile(
    rf"(?<![\w.'’-])(?P<name>{_NAME}(?:[ \u00a0]+{_NAME}){{0,2}}),[ \u00a0]+an?[ \u00a0]+"
    r"\d{1,3}-year-old\b"
)

_SURNAMES = (
    "Kim|Ri|Rim|Pak|Park|Choe|Choi|Jang|Jong|Jung|Jeong|Ryu|Yu|Kang|Han|Hyon|Hyun|Yun|Yoon|Ro|Roh"
    "|Noh|Lee|Jo|Cho|Yang|Hwang|Kwon|Paek|Baek|Sin|Shin|Thae|Tae|Ryom|Kye|Jon|Jeon|Chon|Hong|Ju"
    "|Ko|Oh|Mun|Moon|Nam|Seo|So|Bae|Pae|Byun|Pyon|Heo|Ho|Ahn|An|Lim|Im|Kwak|Min|Cha|Won|Song"
    "|Chung|Kil|Gil|Sung|Song|Tak|Ma|Uh"
)
_SURNAME_SET = frozenset(_SURNAMES.split("|"))
_KOREAN_NAME = re.compile(
    rf"(?<![\w'’.-])(?P<surname>{_SURNAMES})[ \u00a0]+"
    rf"(?P<given>[{_UPPER}][{_LOWER}]{{0,5}}(?:[ \u00a0]+[{_UPPER}][{_LOWER}]{{0,5}}"
    rf"|[-‐][{_UPPER}{_LOWER}][{_LOWER}]{{0,5}}))(?![\w-])"
)
_SYLLABLE = re.compile(
    r"^(?:kk|tt|pp|ss|jj|ch|ph|th|kh|sh|[gkndtrlmbpsjh])?"
    r"(?:yae|yeo|wae|weo|woo|ae|ya|eo|ye|yo|wa|oe|wo|we|wi|yu|eu|ui|ee|oo|a|e|o|u|i|y?ŏ|ŭ|wŏ)"
    r"(?:ng|n|m|l|k|p|t|r|g|b)?$"
)

# Short English words that also parse as romanised syllables ("Han Do It").
_ENGLISH_SHORT = _words(
    """
    do it is an go no so to on in at me he we be up us or as by my can run hot bad big top mom
    ban tan god dog gun new old one two ten all and the our out now not got get let set bet met
    yet has had his her him see say day way may too put but cut hit bit sit pen ten hen den bed
    red led fed wed tie die lie pie toe hoe woe key hey bay hay lay pay ray say way
    """
)
_HANGUL_SURNAMES = (
    "김리이박최정조강윤장한오서신권황안송류유홍전고문양손배백허남심노하"
    "곽성차주우구민진지엄채원천방공현함변염여추도소석선설길연위표명기반라왕금옥육인맹제모탁국태"
)
_HANGUL_TITLES = (
    "위원장|부위원장|부장|제1부부장|부부장|총리|장관|대사|외무상|국방상|동지|씨|대변인|의원|비서|총비서"
    "|원수|차수|대장|상장|중장|소장|대좌|사령관|국장|부상|대통령|주석|교수|기자|선생"
)
_HANGUL_PARTICLES = "은|는|이|가|을|를|의|에게|와|과|도|께서|께서는|에게는"
_HANGUL_NAME = re.compile(
    rf"(?<![가-힣])(?P<name>[{_HANGUL_SURNAMES}][가-힣]{{2}})(?![가-힣])[ \u00a0]*"
    rf"(?:{_HANGUL_TITLES})"
    rf"(?:{_HANGUL_PARTICLES})?(?![가-힣])"
    rf"|(?<![가-힣])(?:{_HANGUL_TITLES})[ \u00a0]+(?P<name2>[{_HANGUL_SURNAMES}][가-힣]{{2}})"
    rf"(?=(?:{_HANGUL_PARTICLES})?(?![가-힣]))"
)

_ORG_HEADS = _words(
    """
    ministry agency bureau institute party committee service department commission council
    corporation company group university academy association federation union bank office army
    navy force forces guard command centre center foundation organisation organization front
    directorate administration assembly league corps division brigade regiment network coalition
    alliance ltd inc trust board secretariat court tribunal police university school college
    """
)
_PLACE_SUFFIXES = _words(
    """
    province county city district oblast krai region prefecture island islands peninsula strait
    bay river port airport airbase harbour harbor valley mountain mountains lake reservoir dam
    village town ri dong gun si county-level
    """
)
_ORG_ONLY_HEADS = {"front", "ltd", "inc"}
_CONNECTORS = {"of", "for", "and", "on", "the", "de", "&", "with"}
_CHROME = _words(
    """
    copyright subscribe newsletter cookie cookies privacy terms share facebook twitter
    advertisement sign login log menu home search related read more follow email print comments
    rights reserved
    """
)
_LEADING_STOP = _words(
    """
    the a an this that these those its his her their our former senior new both yesterday today
    meanwhile however officials earlier later last sources several some many most when while
    after before according in on at for from with under since during despite although though if
    as also still then now thus instead reports residents analysts experts observers critics
    members one two three four five each every all another local but and or so why how what
    where who which there here monday tuesday wednesday thursday friday saturday sunday january
    february march april may june july august september october november december photo image
    video file update breaking exclusive analysis opinion editorial by via said says inside
    outside
    """
)
# Words that are never part of a person's name: stops, months, heads and suffixes, adjectives.
_NOT_NAME = (
    _LEADING_STOP
    | _ORG_HEADS
    | _PLACE_SUFFIXES
    | _CHROME
    | COMMON_WORDS - {"kim", "lee", "park", "choi", "choe", "ri", "pak", "jang", "jong", "han"}
    | _ROLE_WORDS
    | {"gen", "col", "lt", "maj", "capt", "adm", "sgt", "prof", "mr", "mrs", "ms", "dr"}
    | _words(
        """
        korea korean koreans russia russian china chinese japan japanese ukraine ukrainian
        american america united states nations north south east west central national people
        people's peoples workers general staff affairs foreign defence defense unification state
        security military supreme premier minister president his democratic republic federation
        european western day week year pyongyang seoul moscow beijing kyiv washington tokyo
        kursk red cross times news daily post herald journal radio free asia voice agency
        television tv online press media intelligence hamgyong hwanghae pyongan kangwon gangwon
        jagang chagang ryanggang
        """
    )
)


@dataclass(frozen=True, slots=True)
class _Candidate:
    start: int
    end: int
    type: EntityType
    surface: str


def find_unknown_entities(
    text: str, *, taken: list[tuple[int, int]] | None = None
) -> list[EntityMention]:
    """Names found by rule (``known=False``), skipping spans that overlap ``taken`` ones."""
    candidates = [
        *_titled_people(text),
        *_korean_names(text),
        *_hangul_names(text),
        *_organisations_and_places(text),
        *_datelines(text),
        *_places_by_cue(text),
    ]
    candidates = _with_repeats(text, candidates)
    occupied = sorted(taken or [])
    chosen: list[_Candidate] = []
    # Longer spans first, so "Korea Computer Center" beats a shorter rule hit inside it.
    for candidate in sorted(candidates, key=lambda c: (-(c.end - c.start), c.start)):
        span = (candidate.start, candidate.end)
        if any(_overlaps(span, other) for other in occupied):
            continue
        occupied.append(span)
        chosen.append(candidate)
    return [
        EntityMention(c.surface, c.type, c.surface, c.start, c.end, False)
        for c in sorted(chosen, key=lambda c: c.start)
    ]


def _overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def _name_words_ok(words: list[str]) -> bool:
    return all(fold(w).strip("'’") not in _NOT_NAME for w in words)


def _titled_people(text: str) -> list[_Candidate]:
    found: list[_Candidate] = []
    for match in _TITLED_PERSON.finditer(text):
        words = match.group("name").split()
        # Stop the name at the first word that cannot be part of one ("Minister Kim Said").
        kept: list[str] = []
        for word in words:
            if not _name_words_ok([word]):
                break
            kept.append(word)
        needed = 1 if match.group("honorific") else 2
        if len(kept) < needed:
            continue
        start = match.start("name")
        end = start + len(" ".join(kept))
        if text[start:end] != " ".join(kept):
            # The name was separated by a non-breaking space; measure it token by token.
            end = start + sum(len(w) for w in kept) + (len(kept) - 1)
        found.append(_Candidate(start, end, "person", text[start:end]))
    for match in _AGE_APPOSITION.finditer(text):
        words = match.group("name").split()
        if not _name_words_ok(words) or _sentence_initial_common(text, match.start("name")):
            continue
        found.append(
            _Candidate(match.start("name"), match.end("name"), "person", match.group("name"))
        )
    for match in _APPOSITION.finditer(text):
        start = match.start("name")
        words = match.group("name").split()
        # "Analyst Peter Hallam, a former diplomat": the role word is not part of the name.
        while words and fold(words[0]) in _ROLE_WORDS:
            start += len(words[0]) + 1
            words = words[1:]
        if len(words) < 2 or not _name_words_ok(words) or _sentence_initial_common(text, start):
            continue
        found.append(
            _Candidate(start, match.end("name"), "person", text[start : match.end("name")])
        )
    return found


def _korean_names(text: str) -> list[_Candidate]:
    found: list[_Candidate] = []
    for match in _KOREAN_NAME.finditer(text):
        syllables = [fold(s) for s in re.split(r"[ \u00a0\-‐]+", match.group("given"))]
        if len(syllables) != 2 or not all(_SYLLABLE.match(s) for s in syllables):
            continue
        if any(s in _ENGLISH_SHORT for s in syllables):
            continue
        following = text[match.end() : match.end() + 30]
        # "Kim Song Nam Province" or a longer capitalised run is not a person's name.
        if re.match(rf"[ \u00a0]+[{_UPPER}]", following):
            next_word = re.match(rf"[ \u00a0]+([{_UPPER}][\w'’]*)", following)
            if next_word and fold(next_word.group(1)) not in {"said", "says"}:
                continue
        found.append(_Candidate(match.start(), match.end(), "person", match.group()))
    return found


def _hangul_names(text: str) -> list[_Candidate]:
    found: list[_Candidate] = []
    for match in _HANGUL_NAME.finditer(text):
        group = "name" if match.group("name") else "name2"
        found.append(_Candidate(match.start(group), match.end(group), "person", match.group(group)))
    return found


_CAP_RUN = re.compile(
    rf"{_CAP}(?:(?:[ \u00a0]+(?:of|for|and|on|the|de|&|with)[ \u00a0]+(?:the[ \u00a0]+)?"
    rf"|[ \u00a0]+){_CAP})*"
)
_CHROME_LINE = re.compile(r"(?i)copyright|©|all rights reserved|(?:^|\n)[^\n]*\|")
_PLACE_LOWER = re.compile(
    rf"(?<![\w'’-])(?P<name>{_NAME}(?:[ \u00a0]+{_NAME})?)[ \u00a0]+"
    r"(?P<suffix>region|province|county|oblast|district|krai)\b"
)
_PLACE_OF = re.compile(
    rf"\b[Tt]he[ \u00a0]+(?:[{_UPPER}][{_LOWER}]+[ \u00a0]+)?"
    r"(?:town|city|village|port|county|district|region|province|border city"
    r"|border town|mining town|port city)[ \u00a0]+of[ \u00a0]+"
    rf"(?P<name>{_NAME}(?:[ \u00a0]+{_NAME})?)(?![\w-])"
)
# "Traders in Hunchun", "residents of Changbai", "a defector who now lives in Incheon".
_PLACE_AFTER_PEOPLE = re.compile(
    r"\b(?i:sources?|traders?|residents?|smugglers?|merchants?|brokers?|farmers?|villagers"
    r"|people|women|men|families|lives|living|based)[ \u00a0]+(?:in|of)[ \u00a0]+"
    rf"(?P<name>{_NAME}(?:[ \u00a0]+{_NAME})?)(?![\w-])"
)
# A wire-style dateline: "SEOUL/VIENNA, Sept 15 (Hanbando Wire) -", "CHEORWON, South Korea, ...".
_DATELINE = re.compile(rf"(?m)^[ \t]*{DATELINE_HEAD}(?:[ \u00a0]+\((?P<outlet>[^()\n]{{2,40}})\))?")


# Capitalised words that open names as often as sentences ("North Hamgyong Province").
_NAME_FORMING = {
    "north",
    "south",
    "east",
    "west",
    "central",
    "national",
    "state",
    "supreme",
    "general",
    "joint",
    "security",
    "foreign",
    "people",
    "red",
    "royal",
    "grand",
    "united",
    "air",
    "army",
    "navy",
    "defence",
    "defense",
    "space",
    "white",
    "black",
    "yellow",
    "blue",
    "green",
    "great",
    "high",
    "main",
    "mount",
    "new",
    "public",
    "trade",
    "world",
    "international",
    "party",
}
_ORDINARY_STARTS = (_LEADING_STOP | COMMON_WORDS) - _NAME_FORMING


def _place_words_ok(words: list[str]) -> bool:
    return fold(words[0]) not in _LEADING_STOP and not any(fold(w) in _CHROME for w in words)


def _sentence_initial_common(text: str, start: int) -> bool:
    before = text[max(0, start - 3) : start]
    if start > 0 and not re.search(r"(?:^|[.!?:\"“”]\s*|\n\s*)$", before):
        return False
    first = re.match(r"[\w'’]+", text[start:])
    return first is not None and fold(first.group()) in _ORDINARY_STARTS


def _organisations_and_places(text: str) -> list[_Candidate]:
    found: list[_Candidate] = []
    for match in _CAP_RUN.finditer(text):
        words = [(m.group(), m.start() + match.start()) for m in re.finditer(r"\S+", match.group())]
        keys = [fold(w).rstrip(".,;:") for w, _ in words]
        if any(k in _CHROME for k in keys):
            continue
        for span, kind in _named_spans(keys):
            first, last = span
            start = words[first][1]
            if first == 0 and _sentence_initial_common(text, start):
                continue
            if _CHROME_LINE.search(text[max(0, start - 60) : start]):
                continue
            end = words[last][1] + len(words[last][0])
            surface = text[start:end].rstrip(".,;:'’")
            if surface.endswith(("'s", "’s")):
                continue
            found.append(_Candidate(start, start + len(surface), kind, surface))
            acronym = re.match(r"[ \u00a0]*\(([A-Z]{2,6})\)", text[start + len(surface) :])
            if acronym and kind == "organisation":
                found.extend(_acronym_mentions(text, acronym.group(1)))
    for pattern in (_PLACE_LOWER, _PLACE_OF):
        for match in pattern.finditer(text):
            names = match.group("name").split()
            if not _place_words_ok(names) or _sentence_initial_common(text, match.start("name")):
                continue
            group = "name" if pattern is _PLACE_OF else 0
            found.append(
                _Candidate(match.start(group), match.end(group), "place", match.group(group))
            )
    return found


def _datelines(text: str) -> list[_Candidate]:
    found: list[_Candidate] = []
    for match in _DATELINE.finditer(text):
        if dateline_day(match) is None:
            continue  # a line of capitals without a day is a heading, not a dateline
        cursor = match.start("places")
        for place in match.group("places").split("/"):
            found.append(_Candidate(cursor, cursor + len(place), "place", place))
            cursor += len(place) + 1
        outlet = match.group("outlet")
        if outlet and re.fullmatch(rf"{_CAP}(?:[ \u00a0]+{_CAP})*", outlet):
            found.append(
                _Candidate(match.start("outlet"), match.end("outlet"), "organisation", outlet)
            )
    return found


def _places_by_cue(text: str) -> list[_Candidate]:
    found: list[_Candidate] = []
    for match in _PLACE_AFTER_PEOPLE.finditer(text):
        words = match.group("name").split()
        if not _place_words_ok(words) or not _name_words_ok(words):
            continue
        found.append(
            _Candidate(match.start("name"), match.end("name"), "place", match.group("name"))
        )
    return found


def _named_spans(keys: list[str]) -> list[tuple[tuple[int, int], EntityType]]:
    """Organisation and place spans (first, last word index) in a run of capitalised words."""
    spans: list[tuple[tuple[int, int], EntityType]] = []
    for index, key in enumerate(keys):
        is_org = key in _ORG_HEADS
        is_place = key in _PLACE_SUFFIXES and key not in {"ri", "dong", "gun", "si"}
        if not (is_org or is_place):
            continue
        # Capitalised words right before the head belong to the name ("Missile General Bureau").
        first = index
        while (
            first > 0
            and keys[first - 1] not in _CONNECTORS
            and keys[first - 1] not in _LEADING_STOP
        ):
            first -= 1
        ends = [index]
        # "Ministry of External Economic Relations", "Academy of Defence Science".
        if key in _ORG_HEADS and index + 2 < len(keys) and keys[index + 1] in {"of", "for"}:
            after = index + 2
            if keys[after] == "the":
                after += 1
            while after < len(keys) and keys[after] not in _CONNECTORS - {"and", "&", "with"}:
                after += 1
            while after - 1 > index and keys[after - 1] in _CONNECTORS:
                after -= 1
            if after - 1 > index:
                ends.append(after - 1)
        for last in ends:
            content = [k for k in keys[first : last + 1] if k not in _CONNECTORS]
            if len(content) < 2 or (is_place and any(k in _ORG_HEADS for k in content)):
                continue
            spans.append(((first, last), "organisation" if is_org else "place"))
    # Overlapping spans are all kept: the caller prefers the longest that overlaps nothing known.
    return spans


def _acronym_mentions(text: str, acronym: str) -> list[_Candidate]:
    return [
        _Candidate(m.start(), m.end(), "organisation", acronym)
        for m in re.finditer(rf"(?<![\w-]){re.escape(acronym)}(?![\w-])", text)
    ]


def _with_repeats(text: str, candidates: list[_Candidate]) -> list[_Candidate]:
    """Add later bare mentions of multiword names first found next to a cue."""
    seen = {(c.start, c.end) for c in candidates}
    extra: list[_Candidate] = []
    for surface, kind in {(c.surface, c.type) for c in candidates if " " in c.surface}:
        for match in re.finditer(rf"(?<![\w-]){re.escape(surface)}(?![\w-])", text):
            if (match.start(), match.end()) not in seen:
                seen.add((match.start(), match.end()))
                extra.append(_Candidate(match.start(), match.end(), kind, surface))
    return [*candidates, *extra]


__all__ = [
    "EntityMatcher",
    "EntityMention",
    "entity_matcher",
    "find_entities",
    "find_unknown_entities",
    "outlet_mentions",
]
