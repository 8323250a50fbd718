"""Context words: the roles that make a person private, and the offices that make one public.

Every list is matched on word boundaries, case-insensitively, by one alternation per list, so
a look-up is linear in the text. A role cue also names the label a protected person gets.
"""

from __future__ import annotations

import re
from functools import lru_cache

# Role cue -> the label's role word. Order matters only for readability; the nearest cue wins.
VULNERABLE_ROLES: dict[str, str] = {
    r"prisoners? of war|POWs?|captured|captives?|taken prisoner|surrendered|held captive": "POW",
    r"desert(?:er|ers|ed|ing)|defect(?:or|ors|ed|ing)|escapees?|escaped|fled|fleeing"
    r"|crossed (?:the|into)|defector's|runaway": "defector",
    r"refugees?|asylum[- ]seekers?": "refugee",
    r"brokers?|brokered|smugglers?|smuggled|smuggling|people[- ]smugglers?|middlem[ae]n"
    r"|couriers?|traffickers?": "broker",
    r"sources?|informants?|contacts? inside|residents? (?:of|in) (?:the )?North"
    r"|(?:a|one) resident|inside North Korea": "source",
    r"child|children|boy|girl|minors?|teenagers?|teenage|schoolgirl|schoolboy|orphans?"
    r"|kotjebi|students?": "child",
    r"victims?|trafficked|trafficking|abused|abuse|sold (?:to|into)|forced (?:to marry|marriage)"
    r"|forcibly repatriated|repatriated|prisoners?|detainees?|detained|arrested|jailed"
    r"|interrogated|tortured|camp survivor|survivors?|prisons?|imprisoned|kwalliso|kyohwaso"
    r"|(?:prison|labou?r|political|detention|re-?education|holding) camps?|in a camp"
    r"|(?:was|were|been|being) held|held (?:in|at|for)|served (?:a )?(?:sentence|\w+ years)"
    r"|punished|executed|executions?|public trial|sentenced": "victim",
    r"workers?(?!['’]?s? Party)|co-workers?|labou?rers?|dispatched|overseas worker": "worker",
    r"mother|father|sister|brother|son|daughter|wife|husband|parents?|relatives?|family"
    r"|families|cousin|uncle|aunt|grandmother|grandfather|niece|nephew": "relative",
    r"soldiers?|private|conscripts?|infantrym[ae]n|sergeant": "soldier",
}
HANGUL_VULNERABLE_ROLES: dict[str, str] = {
    "포로": "POW",
    "탈북민|탈북자|탈북|새터민|귀순|망명|도강": "defector",
    "난민": "refugee",
    "브로커|밀수|중개인": "broker",
    "소식통|내부 소식통|주민": "source",
    "아이|어린이|아동|소년|소녀|학생|미성년": "child",
    "피해자|인신매매|강제북송|수감|구금|체포|고문": "victim",
    "노동자|근로자": "worker",
    "어머니|아버지|딸|아들|남편|아내|가족|동생|언니|누나|형|오빠|친척": "relative",
    "병사|군인|전사": "soldier",
}
#: Roles that make a name private on their own; a relative, soldier or worker counts only in a
#: text that has one of these too (a minister's wife is not at risk; a defector's mother is).
STRONG_ROLES = frozenset(
    {
        "POW",
        "defector",
        "refugee",
        "broker",
        "source",
        "child",
        "victim",
        "worker",
        "soldier",
        # a private person arrested or jailed for a crime: protected as before, labelled as
        # what the text says they are
        "accused",
    }
)

# Offices, professions and bylines that make a person public when they describe the person.
PUBLIC_ROLES = (
    r"president|vice[- ]president|prime minister|premier|chancellor|minister|vice[- ]minister"
    r"|deputy minister|secretary|spokes(?:person|man|woman)|ambassador|envoy|diplomats?|consul"
    r"|lawmakers?|legislators?|senator|congress(?:man|woman)|parliamentarian|MP|assemblym[ae]n"
    r"|member of parliament|counsell?ors?|advocates?|analysts?|experts?|professor|researchers?"
    r"|research fellow|fellow"
    r"|scholars?|economist|historian|scientist|director|chairman|chairwoman|chair|head"
    r"|chief|leader|founder|co-founder|executive|CEO|journalists?|reporters?|correspondent"
    r"|presenter|anchor|anchorman|anchorwoman|newsreader|announcer|counsel"
    r"|(?:committee|commission|panel|board|council|politburo|presidium|cabinet) members?"
    r"|editor|columnist|commentator|author|rapporteur|governor|mayor|general|lieutenant general"
    r"|major general|colonel|commander|admiral|marshal|officer|official|officials|prosecutor"
    r"|judge|lawyer|attorney|activist|campaigner|pastor|priest|coordinator|representative"
    r"|delegate|negotiator|adviser|advisor|aide|secretary-general|coach|lecturer|dean|inspector"
    r"|investigator|detective|police|policeman|policewoman|rapporteur|commissioner|envoy"
    r"|ombudsm[ae]n|ombudsperson|councillor|councilor|superintendent|moderator"
    r"|constable|administrator|sheriff|magistrate|trooper|comptroller|treasurer"
    r"|Rep\.|Sen\.|Gov\.|Amb\.|Gen\.|Col\.|Adm\.|Supt\.|Insp\.|Prof\.|operative"
    r"|(?:security|intelligence|state security|MSS|NIS|FBI|CIA|police|secret|federal|special)"
    r" agents?"
    r"|(?:Assembly|House|parliamentary|parliament's|assembly) speaker"
    # plurals of offices, for an apposition shared by several names ("X and Y, the
    # committee's two secretaries", "both lawyers"); only after a determiner, a number or an
    # owner: "identities that investigators linked" describes the names by "identities"
    # (the owner's word bounded: tried from every letter of "A.A.A.…", an unbounded one made
    # the search quadratic)
    r"|(?:(?:both|two|three|four|the|its|their)[ ]"
    r"|[\w.-]{1,40}['’]s[ ](?:two[ ]|three[ ]|four[ ])?)"
    r"(?:secretaries|ministers|spokespeople|spokespersons|spokesmen|spokeswomen|ambassadors"
    r"|envoys|senators|professors|economists|historians|scientists|directors|chairmen"
    r"|executives|editors|columnists|commentators|governors|mayors|generals|prosecutors"
    r"|judges|lawyers|attorneys|activists|campaigners|negotiators|advisers|advisors|aides"
    r"|commissioners|councillors|inspectors|investigators|detectives|representatives|delegates)"
    # heads of state by birth and the royal family, and heads of churches
    # (as titles only: "a queen bee" is no office)
    r"|(?-i:King|Queen|Crown Prince|Crown Princess|Prince|Princess|Emperor|Empress|Sultan|Emir"
    r"|Sheikh|Pope|Cardinal|Archbishop)"
)
HANGUL_PUBLIC_TITLES = (
    "위원장|부위원장|부장|제1부부장|부부장|총리|장관|차관|대사|외무상|국방상|대변인|의원|비서|총비서"
    "|원수|차수|대장|상장|중장|사령관|국장|부상|대통령|주석|교수|기자|연구위원|연구원|대표|이사장"
    "|소장|실장|처장|박사|특파원|논설위원|목사|변호사|검사|판사|상좌|중좌|대좌|소좌|상위|중위|의장"
    "|사무국장|사무총장|팀장|센터장|원장|회장|총장|단장|간부|경찰관|보안원|지도원|교수는|연구위원은"
    # a broadcast's host and presenters ("진행 한소희:")
    "|진행자|진행|사회자|앵커|아나운서"
)
#: Phrases saying that the person leads something or speaks on the record.
PUBLIC_PHRASES = (
    # a scientist of a named university or institute: "a physiologist at Johns Hopkins
    # University", "an immunologist at the University of California"
    r"(?:[a-z]+[ ])?[a-z]+(?:ologist|icist|omist|ographer|ometrist)[ ](?:at|with|of)[ ](?:the[ ])?"
    r"(?:[A-Z][\w.'’&-]*[ ]){0,4}(?:University|Institute|College|Laboratory|Academy"
    r"|Observatory)(?![\w-])"
    r"|who (?:leads|heads|founded|chairs|directs)|head of|leader of|founder of|director of"
    r"|chairman of|president of|said in a statement|told reporters|at a press conference"
    r"|at a briefing|told a briefing|wrote in|testified before|in an op-ed|on the record"
    r"|said on (?:state|national) (?:TV|television|radio)|told parliament"
    # (not "written by": a letter or a post written by someone names its private author;
    # a byline's "Written by" opens a line and is read as a byline)
    r"|(?:reported|conducted|photographed|filmed|edited|reporting|interviewed) by"
    r"|(?:led|chaired|co-chaired|headed|directed) by"
    # an actor named for a part ("played by Han Ji-min"): a performer, not the character
    r"|(?:played|portrayed|voiced) by(?: (?:the )?(?:actor|actress))?"
    # "who runs Durihana", "who runs a rescue group"; "who runs a guesthouse" is no office.
    r"|who runs (?:(?-i:[A-Z])[\w-]*|(?:a|an|the) (?:[\w-]+ ){0,2}"
    r"(?:group|organi[sz]ation|NGO|network"
    r"|cent(?:er|re)|institute|foundation|charity|association|campaign|mission|radio|website"
    r"|school|church|shelter)\b)"
)

_VULNERABLE = re.compile(
    r"(?<![\w-])(?:"
    + "|".join(f"(?P<r{index}>{pattern})" for index, pattern in enumerate(VULNERABLE_ROLES))
    + r")(?![\w-])"
    # "a defector advocate", "refugee groups": a role word that qualifies an office or an
    # organisation describes no vulnerable person.
    r"(?![ ](?:advocates?|activists?|lawmakers?|researchers?|journalists?|scholars?|groups?"
    r"|organi[sz]ations?|leaders?|NGOs?|lawyers?|attorneys?|law|judges?|courts?|doctors?"
    r"|psychologists?|therapists?|counsell?ors?|experts?|specialists?|policy|rights)\b)",
    re.IGNORECASE,
)
_ROLE_BY_GROUP = {f"r{index}": role for index, role in enumerate(VULNERABLE_ROLES.values())}
# A Korean role word starts a word: "전사" (a fallen soldier) is no cue inside "운전사" (a driver),
# nor "딸" inside "딸기", nor "아이" inside "아이디".
_HANGUL_VULNERABLE = re.compile(
    "(?<![가-힣])(?:"
    + "|".join(f"(?P<h{index}>{pattern})" for index, pattern in enumerate(HANGUL_VULNERABLE_ROLES))
    + ")"
)
_HANGUL_ROLE_BY_GROUP = {
    f"h{index}": role for index, role in enumerate(HANGUL_VULNERABLE_ROLES.values())
}
# The leader of a work team, squad or platoon is a private person, not an office holder.
_SMALL_UNIT = r"(?<!team )(?<!squad )(?<!platoon )(?<!brigade )(?<!shift )(?<!group )(?<!gang )"
PUBLIC_CUE = re.compile(
    rf"(?<![\w-]){_SMALL_UNIT}(?:{PUBLIC_ROLES}|{PUBLIC_PHRASES})(?![\w-])", re.IGNORECASE
)
HANGUL_PUBLIC_CUE = re.compile(HANGUL_PUBLIC_TITLES)


def role_cues(text: str) -> list[tuple[int, int, str]]:
    """Every vulnerable-role cue in ``text``: ``(start, end, role)``."""
    return list(_role_cues_in(text))


@lru_cache(maxsize=8)
def _role_cues_in(text: str) -> tuple[tuple[int, int, str], ...]:
    # Kept for the few texts analysed last: the person recogniser and the stage both ask.
    cues: list[tuple[int, int, str]] = []
    for match in _VULNERABLE.finditer(text):
        role = _ROLE_BY_GROUP.get(match.lastgroup or "", "person")
        if (
            role in {"relative", "soldier"}
            and match.group()[0].isupper()
            and re.match(r"[ ][A-Z]", text[match.end() : match.end() + 2])
        ):
            continue  # "Son Su-hui": a name that starts like a cue word
        if role == "victim" and _CHARGED_AFTER.search(text, match.end(), match.end() + 160):
            role = "accused"  # "arrested on wire fraud charges": the accused, not a victim
        cues.append((match.start(), match.end(), role))
    for match in _HANGUL_VULNERABLE.finditer(text):
        group = match.lastgroup or ""
        cues.append((match.start(), match.end(), _HANGUL_ROLE_BY_GROUP.get(group, "person")))
    cues.sort()
    return tuple(cues)


#: After "arrested", "jailed" or "sentenced" (in the next 160 characters), the crime a person is
#: accused of: "arrested on wire fraud charges", "jailed for fraud", "was arrested this week
#: ... He has been charged with 269 counts of wire fraud".
_CHARGED_AFTER = re.compile(
    r"(?<![\w-])(?:on[ ](?:[\w-]+[ ]){0,5}charges?|on[ ]suspicion[ ]of|charged[ ]with"
    r"|accused[ ]of|suspected[ ]of|convicted[ ]of|counts?[ ]of|pleaded[ ](?:not[ ])?guilty"
    r"|for[ ](?:the[ ])?(?:fraud|murder|manslaughter|theft|robbery|assault|rape|kidnapping"
    r"|embezzlement|bribery|money[ ]laundering|drug|drugs|tax[ ]evasion|stealing|killing"
    r"|shooting|stabbing|possession))(?![\w-])",
    re.IGNORECASE,
)
#: After an office word, what makes it describe something other than its holder: a possessive
#: ("a trade official's nephew" is the nephew) or, for the police, a thing of theirs ("the
#: police statement").
_NOT_THE_HOLDER = re.compile(r"['’]s\b")
_POLICE_THING = re.compile(
    r"[ ](?:statement|report|records?|files?|station|stations|custody|raid|raids|cell|van|car"
    r"|checkpoint|data|database|sources?|figures|investigation|case|complaint)\b",
    re.IGNORECASE,
)


def public_cues(text: str) -> list[tuple[int, int]]:
    """Every public-office cue in ``text``: ``(start, end)``."""
    spans = [
        (m.start(), m.end())
        for m in PUBLIC_CUE.finditer(text)
        if not _NOT_THE_HOLDER.match(text, m.end())
        and not (m.group().casefold() == "police" and _POLICE_THING.match(text, m.end()))
    ]
    spans += [(m.start(), m.end()) for m in HANGUL_PUBLIC_CUE.finditer(text)]
    spans.sort()
    return spans
