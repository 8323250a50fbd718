"""The protection stage: what leaves the store is published without exposing private people.

Reads text about to be published (a digest story, an export row, a search snippet, a figure's
sentence) together with the article it comes from, and returns it with private values replaced
(:class:`~nkwatch.protect.records.Protected`: the text and its marks). The store keeps the
original text; only publishing boundaries call this stage.

An excerpt is judged in the context of its whole article: the sentence "Ji-young said the fee
hurts" is protected because the article said earlier that Ji-young is a defector. Labels are
consistent within a scope (one story's articles, or one exported article).
"""

from __future__ import annotations

import bisect
import dataclasses
import functools
import hashlib
import logging
import posixpath
import re
import threading
import urllib.parse
from collections import Counter, OrderedDict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from nkwatch.enrich.profile import Profile
from nkwatch.isolation import code_digest
from nkwatch.protect.anonymise import LabelBook, anonymise
from nkwatch.protect.records import (
    AGE,
    EMAIL,
    MESSENGER_ID,
    NAME_WORD_BEFORE,
    PERSON,
    PHONE,
    PLACE_OF_ORIGIN,
    Detection,
    Protected,
)

# The recognisers (``nkwatch.protect.persons``, ``.recognisers``, ``.cues``: large patterns
# compiled at import, phonenumbers' metadata) are imported when a text is first analysed, not
# with this module: a command whose texts all have stored analyses never loads them.
if TYPE_CHECKING:
    from nkwatch.protect.recognisers import Recogniser
    from nkwatch.publish.digest import DigestStory
    from nkwatch.record import Article
    from nkwatch.store import Store

log = logging.getLogger(__name__)

#: Detections scoring below this are not replaced.
THRESHOLD = 0.5
#: Texts are analysed in pieces of at most this many characters (split at paragraph breaks),
#: so a huge page costs time in proportion to its size and no more.
PIECE_CHARS = 50_000
#: Analyses kept in memory (a digest reads each member a few times; a page shows a few hundred
#: short strings besides its articles' texts).
_CACHE_SIZE = 4096
#: The pipeline stage that stores articles' analyses (its name in the isolation records).
STAGE = "protect"


@dataclass(frozen=True, slots=True)
class Analysis:
    """Every detection in one text (public names included, marked ``public``)."""

    text: str
    detections: tuple[Detection, ...]

    @property
    def protected(self) -> list[Detection]:
        """The detections that are replaced when the text is published."""
        return [d for d in self.detections if d.protected and d.score >= THRESHOLD]


class Protector:
    """Runs the recognisers over a text and anonymises what they find."""

    def __init__(self, profile: Profile, *, threshold: float = THRESHOLD) -> None:
        self.profile = profile
        self.threshold = threshold
        self._cache: OrderedDict[str, Analysis] = OrderedDict()
        #: Articles whose analyses of these texts the store in use holds (read back or kept
        #: here), by id; forgotten when the store changes or there are too many.
        self._kept: dict[int, str] = {}
        self._local = threading.local()
        self._version: str | None = None

    @functools.cached_property
    def recognisers(self) -> tuple[Recogniser, ...]:
        """The recognisers, built when a text is first analysed."""
        from nkwatch.protect.persons import PersonRecogniser
        from nkwatch.protect.recognisers import (
            AddressRecogniser,
            EmailRecogniser,
            MessengerRecogniser,
            PhoneRecogniser,
        )

        return (
            PhoneRecogniser(),
            MessengerRecogniser(),
            EmailRecogniser(),
            AddressRecogniser(),
            PersonRecogniser(self.profile),
        )

    @property
    def version(self) -> str:
        """What stored analyses were made with: the profile's people and entities, the
        threshold and the code. An analysis stored under another version is made again."""
        if self._version is None:
            content = repr(dataclasses.replace(self.profile, sources=()))
            text = f"{content}\n{self.threshold!r}\n{protection_code()}"
            self._version = hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]
        return self._version

    def use_store(self, store: Store | None) -> None:
        """Read and keep articles' analyses in ``store`` (for this thread) from now on."""
        if store is None:
            self._kept.clear()  # the next store may hold other analyses
        self._local.store = store

    def prepare(self, sources: Iterable[tuple[int | None, str]], *, strict: bool = False) -> None:
        """Have the analyses of these articles' texts (id, text) at hand.

        With a store in use, an analysis stored for the article and the same text by the same
        version is read back; a missing or stale one is made and stored. A store that cannot
        keep it costs only the keeping (logged), unless ``strict``. Without a store, nothing
        is done: texts are analysed when first protected.
        """
        store: Store | None = getattr(self._local, "store", None)
        if store is None:
            return
        # An article this protector read back or kept earlier is not asked for again.
        wanted = {
            article_id: text
            for article_id, text in sources
            if article_id is not None and self._kept.get(article_id) != text
        }
        if not wanted:
            return
        found = store.protection_analyses(list(wanted), self.version)
        for article_id, text in wanted.items():
            digest = text_hash(text)
            stored = found.get(article_id)
            if stored is not None and stored[0] == digest:
                if text not in self._cache:
                    self._remember(Analysis(text, tuple(decode(row) for row in stored[1])))
                self._keep(article_id, text)
                continue
            analysis = self.analyse(text)
            rows = [encode(d) for d in analysis.detections]
            try:
                store.save_protection_analysis(article_id, digest, self.version, rows)
                self._keep(article_id, text)
            except Exception:
                if strict:
                    raise
                log.warning("could not keep the protection analysis of article %s", article_id)

    def recall(self, texts: Iterable[str]) -> None:
        """Have the analyses of these texts, each judged alone, at hand.

        For strings that are no article's text (a title or a name shown by itself, a search
        snippet): with a store in use, analyses kept by the text's hash and the same version
        are read back in one query, and those missing are made and kept in one write (a store
        that cannot keep them costs only the keeping, logged). Without a store, nothing is
        done: texts are analysed when first protected.
        """
        store: Store | None = getattr(self._local, "store", None)
        if store is None:
            return
        wanted: dict[str, str] = {}
        for text in dict.fromkeys(texts):
            if text and text not in self._cache:
                wanted[text_hash(text)] = text
        if not wanted:
            return
        found = store.text_analyses(list(wanted), self.version)
        made: list[tuple[str, list[list[Any]]]] = []
        for digest, text in wanted.items():
            stored = found.get(digest)
            if stored is not None:
                self._remember(Analysis(text, tuple(decode(row) for row in stored)))
            else:
                made.append((digest, [encode(d) for d in self.analyse(text).detections]))
        try:
            store.save_text_analyses(self.version, made)
        except Exception:
            log.warning("could not keep the protection analyses of %d texts", len(made))

    def _remember(self, analysis: Analysis) -> None:
        self._cache[analysis.text] = analysis
        if len(self._cache) > _CACHE_SIZE:
            self._cache.popitem(last=False)

    def _keep(self, article_id: int, text: str) -> None:
        if len(self._kept) >= _CACHE_SIZE:
            self._kept.clear()
        self._kept[article_id] = text

    def analyse(self, text: str) -> Analysis:
        """Every detection in ``text`` (cached: the same text is analysed once)."""
        cached = self._cache.get(text)
        if cached is not None:
            self._cache.move_to_end(text)
            return cached
        detections: list[Detection] = []
        for offset, piece in _pieces(text):
            for detection in self._analyse_piece(piece):
                detections.append(
                    dataclasses.replace(
                        detection, start=detection.start + offset, end=detection.end + offset
                    )
                )
        analysis = Analysis(text, tuple(sorted(detections, key=lambda d: (d.start, d.end))))
        self._remember(analysis)
        return analysis

    def _analyse_piece(self, text: str) -> list[Detection]:
        from nkwatch.protect.persons import earlier_given_names, names_spelt_by_contacts
        from nkwatch.protect.recognisers import normalise

        flat = normalise(text)
        detections: list[Detection] = []
        for recogniser in self.recognisers:
            detections.extend(recogniser.analyse(text, flat))
        detections.extend(names_spelt_by_contacts(flat, detections))
        detections.extend(earlier_given_names(flat, detections))
        detections.extend(_ages_and_places(flat, detections))
        return [d for d in detections if d.public or d.score >= self.threshold]

    def protect(self, text: str, *, book: LabelBook | None = None) -> Protected:
        """``text`` with its private values replaced, judged on ``text`` alone."""
        return anonymise(text, self.analyse(text).protected, book or LabelBook())

    def scope(self, contexts: Iterable[str] = ()) -> Scope:
        """A labelling scope over the given source texts (one story's articles, say)."""
        return Scope(self, tuple(contexts))

    def counts(self, text: str) -> Counter[str]:
        """How many values of each kind ``text`` has that publishing would replace."""
        return Counter(d.kind for d in self.analyse(text).protected)


#: What one text of a scope protects that is protected wherever the scope quotes it: the full
#: name of a person given a role and their contact values (not ages, towns or addresses, whose
#: words another article may use of something else).
_SHARED_KINDS = frozenset({PERSON, PHONE, EMAIL, MESSENGER_ID})
#: The score of a person protected for a role found beside the name (not merely when unsure).
_SURE_PRIVATE = 0.85
#: Below this score a person is protected only because nothing says who they are.
_UNSURE_ONLY = 0.6
#: A contact value worth looking for in other texts: it has a digit or an @ (a word alone
#: that one text took for a handle is a word in the next).
_CONTACT_VALUE = re.compile(r"[\d@]")


class Scope:
    """Consistent labels over several texts, each excerpt judged in its source's context."""

    def __init__(self, protector: Protector, contexts: tuple[str, ...]) -> None:
        self.protector = protector
        self.contexts = contexts
        self.book = LabelBook()
        self.counts: Counter[str] = Counter()
        self._aliases: dict[str, str] | None = None
        self._roles: dict[str, str] = {}
        self._patterns: dict[
            tuple[str, ...], tuple[dict[str, Detection], re.Pattern[str] | None]
        ] = {}
        self._shared_values: tuple[dict[str, Detection], re.Pattern[str] | None] | None = None
        self._public_names: set[str] = set()
        self._public_surnames: set[str] = set()
        self._headline_names: set[str] = set()
        self._lifted_keys: dict[str, set[str]] = {}

    @property
    def aliases(self) -> dict[str, str]:
        """Person keys of the scope's texts that name one person, mapped to the first key.

        A full name written the same way in two articles of a story is one person, and so is a
        spelling in another script given in brackets ("Pak Mi-ran (박미란)" in one article,
        "박미란 씨" in the next): they share a label. Bare surnames and given names never
        join two articles' people, but a given name used before the full name ("Mi-ran said
        ... Pak Mi-ran's sister") is that person when the scope has one full name ending in it.
        A person's label carries the most telling role any of the texts gives them.
        """
        if self._aliases is None:
            first: dict[str, str] = {}
            aliases: dict[str, str] = {}
            people: list[Detection] = []
            for context in self.contexts:
                for detection in self.protector.analyse(context).protected:
                    if detection.kind != PERSON or detection.key is None:
                        continue
                    people.append(detection)
                    surface = context[detection.start : detection.end]
                    if not _full_name(surface):
                        continue
                    owner = first.setdefault(surface, aliases.get(detection.key, detection.key))
                    if owner != detection.key:
                        aliases.setdefault(detection.key, owner)
            keys = {d.key for d in people if d.key is not None}
            for key in keys:
                longer = {k for k in keys if k.endswith(f" {key}")}
                if key not in aliases and len(longer) == 1:
                    owner = longer.pop()
                    aliases[key] = aliases.get(owner, owner)
            for detection in people:
                key = aliases.get(detection.key or "", detection.key or "")
                if detection.role and (
                    self._roles.get(key) in (None, "person")
                    # "arrested on fraud charges" in one report, "arrested" alone in the next:
                    # the accused, whom the bare word made a victim
                    or (self._roles.get(key) == "victim" and detection.role == "accused")
                ):
                    self._roles[key] = detection.role
            self._aliases = aliases
        return self._aliases

    def _anonymise(self, text: str, detections: Sequence[Detection]) -> Protected:
        aliases = self.aliases
        people = []
        for detection in detections:
            if detection.kind == PERSON and detection.key is not None:
                key = aliases.get(detection.key, detection.key)
                role = self._roles.get(key, detection.role)
                detection = dataclasses.replace(detection, key=key, role=role)
            people.append(detection)
        return anonymise(text, people, self.book)

    def protect(self, text: str, *, context: str | None = None) -> Protected:
        """``text`` protected as part of ``context`` (or of the scope text that contains it).

        An excerpt found verbatim in its source keeps exact marks; one that is not (a search
        snippet with highlights) is analysed alone and every value protected in the scope's
        sources is replaced wherever it occurs in it.
        """
        if not text:
            return Protected(text)
        sources = [context] if context is not None else []
        sources += [c for c in self.contexts if c is not context]
        for source in sources:
            offset = source.find(text)
            if offset >= 0:
                result = self._excerpt(source, offset, len(text))
                break
        else:
            result = self._loose(text, sources)
        self.counts.update(result.counts)
        return result

    def _excerpt(self, source: str, offset: int, length: int) -> Protected:
        end = offset + length
        inside = [
            dataclasses.replace(
                d, start=max(d.start, offset) - offset, end=min(d.end, end) - offset
            )
            for d in self.protector.analyse(source).protected
            if d.start < end and offset < d.end
        ]
        excerpt = source[offset:end]
        values, pattern = self._shared()
        lifted = self._lifted(source)
        inside = _without_lifted(excerpt, inside, lifted)
        if pattern is not None:
            # A person one article of the scope protects is protected in every article's
            # excerpts: a name hidden in one report and printed in the next is published.
            for match in pattern.finditer(excerpt):
                found = values[match.group()]
                at = offset + match.start()
                if found.kind == PERSON and NAME_WORD_BEFORE.search(source, max(0, at - 30), at):
                    continue  # "James Van Der Beek" is not "Van Der Beek"
                if not any(d.start < match.end() and match.start() < d.end for d in inside):
                    inside.append(
                        dataclasses.replace(found, start=match.start(), end=match.end(), score=1.0)
                    )
        return self._anonymise(excerpt, inside)

    def _shared(self) -> tuple[dict[str, Detection], re.Pattern[str] | None]:
        """The full names and contact values any of the scope's texts protects, and a pattern
        finding them as whole words (kept for the scope)."""
        if self._shared_values is None:
            values: dict[str, Detection] = {}
            public: set[str] = set()
            # Full names another article prints as they are ("SpaceX's founder Elon Musk", left
            # alone there): the story publishes them, so hiding one where the stage merely
            # could not tell who it is protects no one.
            printed: set[str] = set()
            # The surnames of full names some article protects for a role: a private
            # namesake keeps the surname protected everywhere.
            private_surnames: set[str] = set()
            for context in self.contexts:
                analysis = self.protector.analyse(context)
                protected = set(analysis.protected)
                taken = bytearray(len(context) + 1)
                for detection in analysis.protected:
                    taken[detection.start : detection.end] = b"\x01" * (
                        detection.end - detection.start
                    )
                    surface = context[detection.start : detection.end]
                    if (
                        detection.kind == PERSON
                        and detection.score >= _UNSURE_ONLY
                        and _full_name(surface)
                    ):
                        private_surnames.add(_surname(surface))
                printed.update(
                    match.group()
                    for match in _CAPITALISED_RUN.finditer(context)
                    if not any(taken[match.start() : match.end()])
                )
                for detection in analysis.detections:
                    value = context[detection.start : detection.end].strip()
                    if detection.public:
                        public.add(value)
                    elif detection not in protected:
                        continue
                    elif detection.kind == PERSON:
                        # A full name one article gives a role (a victim, a defector): not a
                        # surname or given name alone, which may be anyone's, nor a name
                        # protected only for want of knowing who it is.
                        if _full_name(value) and detection.score >= _SURE_PRIVATE:
                            values.setdefault(value, detection)
                    elif detection.kind in _SHARED_KINDS and _CONTACT_VALUE.search(value):
                        values.setdefault(value, detection)
            for value in public & set(values):
                del values[value]  # another article of the scope shows a public figure's
            self._public_names = {value for value in public if _full_name(value)} | printed
            # "Musk" alone in one article, "SpaceX's chief executive, Elon Musk" in another:
            # the surname of a public or printed full name, unless a private namesake has it.
            self._public_surnames = {
                _surname(value) for value in self._public_names if _LATIN_NAME.fullmatch(value)
            } - private_surnames
            # A name an article's headline gives ("Tarantino Breaks Silence on Uma Thurman
            # Crash"): the outlet made it the news. Only a name the stage could not place is
            # lifted by it; one a role makes private stays protected.
            headlines = [m.group(1) for c in self.contexts if (m := _HEADLINE.match(c))]
            for headline in headlines:
                for match in _HEADLINE_NAME.finditer(headline):
                    self._headline_names.add(match.group(1))
                # "Packers sign center Linsley to contract extension": one capitalised word
                # after the first, in a headline written in sentence case
                self._headline_names.update(
                    word
                    for word in _HEADLINE_WORD.findall(headline, 1)
                    if word not in private_surnames
                )
            pattern = (
                re.compile(
                    r"(?<!\w)(?:"
                    + "|".join(re.escape(v) for v in sorted(values, key=len, reverse=True))
                    + r")(?!\w)"
                )
                if values
                else None
            )
            self._shared_values = (values, pattern)
        return self._shared_values

    def _lifted(self, source: str) -> set[str]:
        """Keys of the people ``source`` protects only for want of knowing who they are, whose
        full name another text of the scope shows as a public figure's ("Rafael Grossi told
        the board" beside "Rafael Grossi, the IAEA director general, said"); kept per source,
        as a story page protects many excerpts of one article."""
        found = self._lifted_keys.get(source)
        if found is None:
            self._shared()  # which also collects the scope's public names
            protected = self.protector.analyse(source).protected
            # a person any mention of whom a role makes private ("Defector Kim" in the
            # headline, "Kim said" in the text) is never lifted
            sure = {d.key for d in protected if d.kind == PERSON and d.score >= _UNSURE_ONLY}
            found = self._lifted_keys[source] = {
                d.key
                for d in protected
                if d.kind == PERSON
                and d.key is not None
                and d.key not in sure
                and d.score < _UNSURE_ONLY
                and (
                    source[d.start : d.end].strip() in self._public_names
                    or source[d.start : d.end].strip() in self._public_surnames
                    or source[d.start : d.end].strip() in self._headline_names
                )
            }
        return found

    def _loose(self, text: str, sources: Sequence[str]) -> Protected:
        lifted = self._lifted(text)
        detections = _without_lifted(text, list(self.protector.analyse(text).protected), lifted)
        values, pattern = self._values(sources)
        if pattern is not None:
            # A value the sources protect wins over the text's own reading of it (its score is
            # 1.0): "Pak Mi-ran" in a title alone reads as a person, in the story as a defector,
            # and the label must be the story's.
            for match in pattern.finditer(text):
                found = values[match.group()]
                detections.append(
                    dataclasses.replace(found, start=match.start(), end=match.end(), score=1.0)
                )
        return self._anonymise(text, detections)

    def _values(
        self, sources: Sequence[str]
    ) -> tuple[dict[str, Detection], re.Pattern[str] | None]:
        """The values ``sources`` protect (first detection of each) and a pattern finding any
        of them, longest first; kept per list of sources (one scope protects many strings
        against the same articles)."""
        key = tuple(sources)
        found = self._patterns.get(key)
        if found is None:
            values: dict[str, Detection] = {}
            for source in sources:
                lifted = self._lifted(source)
                for detection in self.protector.analyse(source).protected:
                    if detection.kind == PERSON and detection.key in lifted:
                        continue
                    value = source[detection.start : detection.end].strip()
                    if len(value) >= 2:
                        values.setdefault(value, detection)
            pattern = (
                re.compile("|".join(re.escape(v) for v in sorted(values, key=len, reverse=True)))
                if values
                else None
            )
            found = self._patterns[key] = (values, pattern)
        return found


#: The code detections depend on (paths in the package) and the libraries the recognisers wrap.
_PROTECTION_CODE = ("protect/", "enrich/entities.py", "enrich/profile.py", "lexicon.py")
_PROTECTION_LIBRARIES = ("nkwatch", "kiwipiepy", "kiwipiepy_model", "phonenumbers")


def protection_code() -> str:
    """A digest of the code and library versions detections are made with: a change to a
    recogniser (or to what it reads) makes the stored analyses stale, other code does not."""
    return code_digest(_PROTECTION_CODE, _PROTECTION_LIBRARIES)


def text_hash(text: str) -> str:
    """The digest an article's stored analysis is checked against."""
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


#: A detection as stored: its fields in this order.
_FIELDS = tuple(f.name for f in dataclasses.fields(Detection))


def encode(detection: Detection) -> list[Any]:
    """A detection as a JSON-ready list of its fields."""
    return [getattr(detection, name) for name in _FIELDS]


def decode(row: Sequence[Any]) -> Detection:
    """A detection back from :func:`encode`'s list."""
    values = dict(zip(_FIELDS, row, strict=True))
    values["score"] = float(values["score"])
    return Detection(**values)


@functools.lru_cache(maxsize=2)
def _protector_for(profile: Profile, threshold: float) -> Protector:
    """One protector per profile and threshold in each process that analyses articles."""
    return Protector(profile, threshold=threshold)


def analysis_rows(profile: Profile, threshold: float, article: Article) -> tuple[str, list[Any]]:
    """The protection stage's per-article half: the digest of the article's text and its
    detections as stored rows. A pure function of the article, so it runs on any executor;
    the writer stores the result under the protector's version."""
    text = article_context(article)
    analysis = _protector_for(profile, threshold).analyse(text)
    return text_hash(text), [encode(d) for d in analysis.detections]


def article_sources(articles: Iterable[Article]) -> list[tuple[int | None, str]]:
    """Articles as the (id, text) pairs :meth:`Protector.prepare` takes."""
    return [(a.id, article_context(a)) for a in articles]


def _without_lifted(text: str, detections: list[Detection], lifted: set[str]) -> list[Detection]:
    """``detections`` without the people whose keys are ``lifted`` and the ages set right
    after their names ("Musk, 46, said")."""
    ends = {d.end for d in detections if d.kind == PERSON and d.key in lifted}
    return [
        d
        for d in detections
        if not (d.kind == PERSON and d.key in lifted)
        and not (d.kind == AGE and _after_a_name(text, d.start, ends))
    ]


def _after_a_name(text: str, start: int, ends: set[int]) -> bool:
    """Whether ``start`` follows one of the name ends ``ends`` across ", ", " (" or ","."""
    return (start - 2 in ends and text[start - 2 : start] in {", ", " ("}) or (
        start - 1 in ends and text[start - 1] == ","
    )


#: The headline :func:`article_context` puts before an article's text.
_HEADLINE = re.compile(r"([^\n]{1,300})\n\n")
#: A name in a headline: two or three capitalised words, each also a possible name part (a
#: headline capitalises every word, so each pair of neighbours is tried).
_HEADLINE_NAME = re.compile(
    r"(?=(?<![\w'’.-])([A-Z][a-z'’-]+(?:[ ][A-Z]\.)?[ ][A-Z][a-z'’-]{2,})(?![\w'’-]))"
)
_HEADLINE_WORD = re.compile(r"(?<![\w'’.-])[A-Z][a-z'’-]{2,}(?![\w'’-])")
#: Two capitalised words or more in a row: a full name, among other things.
_CAPITALISED_RUN = re.compile(r"(?<![\w'’.-])[A-Z][a-z'’-]+(?:[ ][A-Z][a-z'’-]+)+(?![\w'’-])")
#: A full name in Latin letters whose last word is a surname ("Elon Musk", "Mary E. Lovely").
_LATIN_NAME = re.compile(r"[A-Z][\w'’.-]*(?:[ ][A-Z][\w'’.-]*)*[ ][A-Z][a-z'’-]{2,}")


def _surname(name: str) -> str:
    """The last word of a name."""
    return name.strip().rsplit(" ", 1)[-1]


def _full_name(surface: str) -> bool:
    """A name of several parts ("Pak Mi-ran", "Mi-ran") or of three Hangul syllables or more."""
    surface = surface.strip()
    if re.fullmatch(r"[가-힣]{3,5}", surface):
        return True
    return bool(re.search(r"\w[ \-\u2010\u2011]+\w", surface))


def _pieces(text: str) -> list[tuple[int, str]]:
    if len(text) <= PIECE_CHARS:
        return [(0, text)]
    pieces = []
    start = 0
    while start < len(text):
        end = min(len(text), start + PIECE_CHARS)
        if end < len(text):
            cut = text.rfind("\n", start + PIECE_CHARS // 2, end)
            end = cut + 1 if cut > 0 else end
        pieces.append((start, text[start:end]))
        start = end
    return pieces


# "a source in", "her mother in", "a hairdresser in": a person tied to the place that follows.
_PERSON_BEFORE_PLACE = re.compile(
    r"(?:source|resident|trader|teacher|mother|father|sister|brother|son|daughter|wife|husband"
    r"|relative|family|parents|grandmother|grandfather|cousin|uncle|aunt|friend|driver|worker"
    r"|woman|man|girl|boy|farmer|hairdresser|clerk|nurse|contact|intermediary|partner|cook"
    r"|seamstress|labourer|laborer|student|pupil|child|defector|broker|smuggler|refugee"
    r"|waitress|waiter|miner|plasterer|builder|fisherman|guard|soldier)s?"
    r"(?:[ ][a-z]+){0,5}[ ](?:in|near|of|at)[ ]$"
)


# "was taken near Sudzha", "caught in Tumen", "separated from his mother in Yanji": a bare
# "in"/"near" after what happened to a person names where it happened, not where they live.
_EVENT_BEFORE_PLACE = re.compile(
    r"\b(?:taken|caught|captured|arrested|detained|seized|stopped|separated|sold|wounded|killed"
    r"|beaten|beat|met|interviewed|forced|stationed|deployed|fought|fighting|surrendered|found"
    r"|picked up|rounded up|repatriated|deported|paying|paid|bought|tried|sentenced|trained"
    r"|executed|jailed|imprisoned)\b(?:[ ][\w'’]+){0,4}[ ](?:in|near|at)[ ]$"
    # "protests were held last year in West Virginia": where a gathering took place
    r"|\b(?:protests?|rall(?:y|ies)|demonstrations?|marches|meetings?|talks|ceremon(?:y|ies)"
    r"|festivals?|elections?|summits?|conferences?|funerals?|trials?|hearings?|exercises?"
    r"|drills?|concerts?|games|matches)[ ](?:(?:was|were|is|are|will[ ]be|had[ ]been"
    r"|have[ ]been|has[ ]been)[ ])?(?:held|staged|took[ ]place|happened)\b"
    r"(?:[ ][\w'’]+){0,4}[ ](?:in|near|at)[ ]$"
)
# "held in Yanji, where he had lived since 2001": the place of the event is the person's home.
_HOME_AFTER_PLACE = re.compile(
    r",?[ ]where[ ](?:he|she|they|I|we)[ ](?:has[ ]|had[ ]|have[ ])?(?:lives?|lived|grew[ ]up"
    r"|was[ ]born|were[ ]born|settled|stayed)\b"
)
# A sentence about a person already in view, or told by the private narrator of a testimony
# ("I am 29 now.", "나는 올해 서른일곱이다").
_PRONOUN_START = re.compile(
    r"(?:She|He|They|Her|His|Now|I|I['’]m|My"
    r"|그는|그녀는|그의|그녀의|그[ ]?애는|나는|내가|저는|제가)\b"
    # "One girl from Hyesan was sold ... Another, 15 when she crossed, ...": the next unnamed
    # person of an enumeration, the noun left out
    r"|(?:Another|A[ ](?:second|third|fourth|fifth)|The[ ](?:other|youngest|eldest|oldest)),"
)
_ANONYMOUS_PERSON = re.compile(
    r"\b(?:an?|one|the)[ ](?:\d{1,2}|[a-z]+(?:-[a-z]+)?)-year-old[ ](?:woman|man|girl|boy|mother"
    r"|father|widow|teenager|student|trader|farmer|worker|defector|soldier|source|resident)\b"
    # "A woman in Chongjin whose son ...": an unnamed person introduced by her town
    r"|^[\"“]?(?:An?|One)[ ](?:[a-z]+[ ]){0,2}(?:woman|man|mother|father|widow|trader|farmer"
    r"|worker|resident|teenager|girl|boy)[ ](?:in|from)[ ](?=[A-Z])"
)


def _ages_and_places(flat: str, detections: list[Detection]) -> list[Detection]:
    """Exact ages and home towns or current cities of private people.

    Both are protected in a sentence that names a protected person or a vulnerable role; in a
    sentence about a public figure alone they are kept (a minister's age is public).
    """
    from nkwatch.protect.cues import STRONG_ROLES, role_cues
    from nkwatch.protect.persons import _sentences
    from nkwatch.protect.recognisers import ages_and_places

    items = ages_and_places(flat)
    if not items:
        return []
    sentences = _sentences(flat)
    cues = [c for c in role_cues(flat) if c[2] in STRONG_ROLES]
    people = [d for d in detections if d.kind == PERSON and d.protected]
    # "11,000 soldiers in the Kursk region", "North Korean workers at the Alabuga plant": in a
    # text that names no private person, a contingent ties no one to the place; "a soldier
    # from Kilju" does, and so do "sources in Hyesan" and "IT workers in Shenyang" beside a
    # named worker of theirs.
    single = cues if people else [c for c in cues if not _group_cue(flat, c[0], c[1])]
    public = [d for d in detections if d.kind == PERSON and d.public]
    taken = [(d.start, d.end) for d in detections if d.protected]
    # Sorted positions, so that each question below is a binary search, not a scan.
    people_starts = sorted(d.start for d in people)
    people_ends = sorted(d.end for d in people)
    cue_starts = sorted(c[0] for c in single)
    cue_ends = sorted(c[1] for c in single)
    public_starts = sorted(d.start for d in public)
    public_ends = sorted(d.end for d in public)
    occupied = bytearray(len(flat) + 1)
    for s, e in taken:
        occupied[s:e] = b"\x01" * (e - s)
    # Words of the text's person names: "relatives of Ford" names a person, not a town.
    name_words = {
        word
        for d in detections
        if d.kind == PERSON
        for word in (flat[d.start : d.end], *flat[d.start : d.end].split())
    }
    found: list[Detection] = []
    doc_private = bool(people or cues)
    previous_end = 0
    item_index = 0
    for start, end in sentences:
        sentence = flat[start:end]
        # "She is 66 and lives in Jeonju." after a sentence about a protected person, or "a
        # 72-year-old woman from Hyesan" in a text about defectors: the same private person.
        follows = _any_between(people_starts, previous_end - 400, end)
        anonymous = doc_private and (
            _PRONOUN_START.match(sentence.lstrip(' "“')) is not None
            or _ANONYMOUS_PERSON.search(sentence.lstrip()) is not None
        )
        previous_end = end
        while item_index < len(items) and items[item_index].start < start:
            item_index += 1
        here = []
        while item_index < len(items) and items[item_index].start < end:
            here.append(items[item_index])
            item_index += 1
        if not here:
            continue
        has_private = _any_between(people_starts, start, end) or follows or anonymous
        has_cue = _any_between(cue_starts, start, end)
        has_public = _any_between(public_starts, start, end)
        if not (has_private or (has_cue and not has_public)):
            # "The prisoner, who is 21, had asked ..., the ombudsman said": an age set right
            # after a role word is that unnamed person's, whoever else the sentence names.
            found += [
                Detection(AGE, item.start, item.end, 0.75, "age-place", age=item.age)
                for item in here
                if item.kind == AGE
                and not any(occupied[item.start : item.end])
                and _age_of_role(flat, cue_ends, item.start)
            ]
            continue
        for item in here:
            if any(occupied[item.start : item.end]):
                continue
            if item.kind == PLACE_OF_ORIGIN and flat[item.start : item.end] in name_words:
                continue
            # "Kim Jong Un, 41, inspected ...": an age set right after a public name is theirs.
            if item.kind == AGE and _any_between(public_ends, item.start - 3, item.start):
                continue
            # A bare "in Vientiane" counts when a person is tied to it: a role noun before it,
            # a protected name before it, or a name in apposition right after it ("a waitress
            # at a restaurant in Vientiane, Ri Su-bin,").
            if (
                item.weak
                and _EVENT_BEFORE_PLACE.search(flat, max(start, item.start - 50), item.start)
                and not _HOME_AFTER_PLACE.match(flat, item.end)
            ):
                continue
            if item.weak and not (
                _PERSON_BEFORE_PLACE.search(flat, max(start, item.start - 60), item.start)
                or _any_between(people_ends, max(start, item.start - 100), item.start + 1)
                or _any_between(people_starts, item.end + 2, item.end + 3)
            ):
                continue
            score = 0.75 if has_private else 0.6
            found.append(
                Detection(item.kind, item.start, item.end, score, "age-place", age=item.age)
            )
    settings = _settings(flat, found, sentences, people_starts, cue_starts)
    if settings:
        found = [
            d for d in found if d.kind != PLACE_OF_ORIGIN or flat[d.start : d.end] not in settings
        ]
    return found + _same_town(flat, found, taken)


#: How many sentences that tie no private person to a town make it the story's setting.
SETTING_SENTENCES = 4


def _settings(
    flat: str,
    found: list[Detection],
    sentences: list[tuple[int, int]],
    people_starts: list[int],
    cue_starts: list[int],
) -> set[str]:
    """Towns found as a private person's that are the story's setting: named in several
    sentences that neither name a protected person nor hold a vulnerable-role word ("80 people
    died in Nice", "the atrocity in Nice"). Hiding such a town hides where the news happened
    and ties no one to it."""
    names = {flat[d.start : d.end] for d in found if d.kind == PLACE_OF_ORIGIN}
    if not names:
        return set()
    starts = [s for s, _ in sentences]
    untied: dict[str, set[int]] = {}
    for start, _end, name in _town_mentions(flat, sorted(names, key=len, reverse=True)):
        index = bisect.bisect_right(starts, start) - 1
        s, e = sentences[index]
        if _any_between(people_starts, s, e) or _any_between(cue_starts, s, e):
            continue
        untied.setdefault(name, set()).add(index)
    return {name for name, where in untied.items() if len(where) >= SETTING_SENTENCES}


def _age_of_role(flat: str, cue_ends: list[int], start: int) -> bool:
    """Whether the age at ``start`` is set right after a vulnerable-role word ("the prisoner,
    who is 21", "a defector aged 34"); ``cue_ends`` sorted."""
    low = bisect.bisect_left(cue_ends, start - 20)
    high = bisect.bisect_right(cue_ends, start)
    return any(_AGE_AFTER_ROLE.fullmatch(flat, end, start) for end in cue_ends[low:high])


#: Between a role word and the age said of it.
_AGE_AFTER_ROLE = re.compile(r",?[ ](?:who[ ](?:is|was)|aged|now)[ ]")
#: An English role word naming several people: a plural ("soldiers", "POWs", "children").
_GROUP_WORD = re.compile(r"[A-Za-z]*(?:[^s]s|ren|people|men)")
#: What makes a plural a contingent rather than a few people: a count or a magnitude before it
#: ("11,000 soldiers", "thousands of workers") or the country's name ("North Korean workers").
_CONTINGENT_BEFORE = re.compile(
    r"(?:\d[\d,.]*|dozens[ ]of|hundreds[ ]of|thousands[ ]of|North[ ]Korean|North[ ]Korea's)"
    r"(?:[ ][A-Za-z-]+){0,2}[ ]$"
)


def _group_cue(flat: str, start: int, end: int) -> bool:
    """Whether the role cue ``flat[start:end]`` names a contingent of many people."""
    words = flat[start:end].split()
    return (
        bool(words)
        and _GROUP_WORD.fullmatch(words[-1]) is not None
        and _CONTINGENT_BEFORE.search(flat, max(0, start - 40), start) is not None
    )


def _any_between(positions: list[int], low: int, high: int) -> bool:
    """Whether sorted ``positions`` hold a value in ``[low, high)``."""
    index = bisect.bisect_left(positions, low)
    return index < len(positions) and positions[index] < high


def _same_town(flat: str, found: list[Detection], taken: list[tuple[int, int]]) -> list[Detection]:
    """Every other mention of a town already protected as a private person's: each one ties
    the person to it ("... in Kilju. There was no work in Kilju", "Hyesan security")."""
    towns = {flat[d.start : d.end]: d for d in found if d.kind == PLACE_OF_ORIGIN}
    unsuffixed: set[str] = set()
    # "함경북도 무산" found: a later "무산군" or "무산" is the same town without its province.
    for text, detection in list(towns.items()):
        last = text.rsplit(" ", 1)[-1]
        if last != text and re.fullmatch(r"[가-힣]{2,6}", last):
            towns.setdefault(last, detection)
        # "보천군" found: a later "보천에서는" is the same town without its suffix, written as a
        # word of its own ("남동구" is not "남동생", "의정부시" not "의정부경찰서").
        bare = re.fullmatch(r"([가-힣]{2,5})(?:군|시|구|읍)", last)
        if bare and bare.group(1) not in towns:
            towns[bare.group(1)] = detection
            unsuffixed.add(bare.group(1))
    if not towns:
        return []
    occupied = bytearray(len(flat) + 1)
    for start, end in [*taken, *((d.start, d.end) for d in found)]:
        occupied[start:end] = b"\x01" * (end - start)
    extra = []
    for start, end, name in _town_mentions(flat, sorted(towns, key=len, reverse=True)):
        if name in unsuffixed and not _KOREAN_WORD_END.match(flat, start + len(name)):
            continue
        if not any(occupied[start:end]):
            extra.append(dataclasses.replace(towns[name], start=start, end=end))
    return extra


#: The end of a Korean word after a town's name: a particle, then no more Hangul (not a dateline's
#: "=" nor a compound such as "의정부경찰서").
_KOREAN_WORD_END = re.compile(
    r"(?:에서는|에서도|에서|에는|에도|에|의|은|는|이|가|을|를|으로|로|도|만|까지|부터)?"
    r"(?![가-힣=])"
)


_WORD_CHAR = re.compile(r"\w")
_LATIN_LETTER = re.compile(r"[A-Za-z]")
_HANGUL_LETTER = re.compile(r"[가-힣]")
#: "무산군", "혜산시": a Korean town's administrative suffix, not the start of another word.
_TOWN_SUFFIX = re.compile(r"(?:군|시|구|읍)(?![가-힣]{2})")


def _town_mentions(flat: str, names: list[str]) -> list[tuple[int, int, str]]:
    """Mentions of ``names`` (longest first) in ``flat``, left to right, not overlapping:
    ``(start, end, name)``. A mention starts a word, may take a Korean town's suffix and is
    not followed by a Latin letter. (Found by string search: a pattern made of one text's
    towns would be compiled for that text alone.)"""
    starts: set[int] = set()
    for name in names:
        index = flat.find(name)
        while index >= 0:
            starts.add(index)
            index = flat.find(name, index + 1)
    mentions: list[tuple[int, int, str]] = []
    reach = 0
    for start in sorted(starts):
        if start < reach or (start > 0 and _WORD_CHAR.match(flat, start - 1)):
            continue
        for name in names:
            if not flat.startswith(name, start):
                continue
            end = start + len(name)
            ends = [end]
            if _HANGUL_LETTER.match(flat, end - 1) and (suffix := _TOWN_SUFFIX.match(flat, end)):
                ends.insert(0, suffix.end())
            close = next((e for e in ends if not _LATIN_LETTER.match(flat, e)), None)
            if close is not None:
                mentions.append((start, close, name))
                reach = close
                break
    return mentions


# --- publishing boundaries -----------------------------------------------------------------------

#: The text fields of a published record, wherever they appear in it (an export row, a story, a
#: storyline, an entity list, a figure, a search hit, or nested in their summary, figures,
#: entities, themes, timeline and stories). Every publishing boundary protects each of them
#: through :func:`protect_fields`; ids, links, dates, outlets and theme ids are not person text.
#: An entity's ``canonical`` name and an entity list's ``name`` are protected like the text.
RECORD_TEXT_FIELDS: frozenset[str] = frozenset(
    {
        "title",
        "text",
        "summary",
        "sentence",
        "clause",
        "attribution",
        "evidence",
        "surface",
        "canonical",
        "name",
        "snippet",
    }
)


def protect_fields(value: Any, scope: Scope, *, context: str | None = None) -> Any:
    """A record as plain data with every field in :data:`RECORD_TEXT_FIELDS` protected.

    Strings under a listed key (or lists of them, as a summary is) are protected in ``scope``,
    judged in ``context``; everything else is walked into and copied.
    """
    if isinstance(value, dict):
        return {
            key: _protect_field(item, scope, context)
            if key in RECORD_TEXT_FIELDS
            else protect_fields(item, scope, context=context)
            for key, item in value.items()
        }
    if isinstance(value, list):
        return [protect_fields(item, scope, context=context) for item in value]
    return value


def _field_texts(value: Any, *, inside: bool = False) -> Iterator[str]:
    """The strings :func:`protect_fields` protects in ``value``."""
    if isinstance(value, str):
        if inside and value:
            yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _field_texts(item, inside=key in RECORD_TEXT_FIELDS)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _field_texts(item, inside=inside)


def _protect_field(value: Any, scope: Scope, context: str | None) -> Any:
    if isinstance(value, str):
        return scope.protect(value, context=context).text if value else value
    if isinstance(value, list | tuple):
        return [_protect_field(item, scope, context) for item in value]
    return protect_fields(value, scope, context=context)


def private_mention(mention: dict[str, Any], scope: Scope) -> bool:
    """Whether an entity mention names a protected person in its article (``scope``)."""
    return any(
        bool(value) and bool(scope.protect(value).marks)
        for value in (mention.get("surface"), mention.get("canonical"))
        if isinstance(value, str)
    )


def public_mentions(
    article: Article, mentions: Iterable[dict[str, Any]], protector: Protector
) -> list[dict[str, Any]]:
    """An article's entity mentions less those of protected people, for entity lists.

    A list of names ranked by mentions has no use for "[defector A]": a private person is left
    out of it rather than listed under a label.
    """
    mentions = list(mentions)
    if not mentions:
        return mentions
    protector.prepare(article_sources([article]))
    context = article_context(article)
    protector.recall(
        value
        for m in mentions
        for value in (m.get("surface"), m.get("canonical"))
        if isinstance(value, str) and context.find(value) < 0
    )
    scope = protector.scope([context])
    return [m for m in mentions if not private_mention(m, scope)]


def article_context(article: Article) -> str:
    """The text an article's excerpts are judged in: its title, a blank line, its text."""
    return f"{article.title or ''}\n\n{article.text}"


#: Letters and digits of a link or a value, as words ("fishing-family-from-kimchaek").
_URL_WORD = re.compile(r"[^\W_]+")


def _words_of(text: str) -> list[str]:
    return [w.casefold() for w in _URL_WORD.findall(text)]


def safe_link(url: str | None, values: Iterable[str]) -> str | None:
    """``url``, or its site's front page (a local file's folder) when its path or query
    spells one of the protected ``values`` ("…/boat-defectors-were-a-family-from-kimchaek" for
    a protected home town).

    A value is looked for as a run of whole words of the link; a value too short to tell from
    a common word (under four Latin letters or two Hangul ones, or a number under six digits)
    is not.
    """
    if not url:
        return url
    parts = urllib.parse.urlsplit(url)
    words = _words_of(urllib.parse.unquote(f"{parts.path} {parts.query}"))
    # a local file: its folder, as a link's front page
    front = (
        urllib.parse.urlunsplit((parts.scheme, parts.netloc, "/", "", ""))
        if parts.netloc
        else posixpath.dirname(parts.path) + "/"
    )
    if not words:
        return url
    for value in values:
        wanted = _words_of(value)
        letters = "".join(wanted)
        shortest = 4 if letters.isascii() else 2  # "Kim" is a common word; "박미란" a name
        if not wanted or len(letters) < shortest or (letters.isdigit() and len(letters) < 6):
            continue
        size = len(wanted)
        if any(words[i : i + size] == wanted for i in range(len(words) - size + 1)):
            return front
    return url


def protected_values(protector: Protector, text: str) -> set[str]:
    """The values publishing replaces in ``text`` (ages left out: a number in a link is no
    age)."""
    return {text[d.start : d.end] for d in protector.analyse(text).protected if d.kind != AGE}


def protect_story(
    story: DigestStory, members: Sequence[Article], protector: Protector
) -> DigestStory:
    """A digest story with its title, summary, figures' sentences and link titles protected.

    One scope per story: the same person has the same label in all of them.
    """
    protector.prepare(article_sources(members))
    contexts = {a.id: article_context(a) for a in members}
    scope = protector.scope(contexts.values())
    quotes = []
    for quote in story.summary:
        protected = scope.protect(quote.text, context=contexts.get(quote.article_id))
        quotes.append(
            dataclasses.replace(
                quote,
                text=protected.text,
                protected=tuple((m.start, m.end) for m in protected.marks),
            )
        )
    figures = [
        dataclasses.replace(
            figure,
            sentence=scope.protect(figure.sentence).text,
            attribution=scope.protect(figure.attribution).text if figure.attribution else None,
        )
        for figure in story.figures
    ]
    values = {
        article_id: protected_values(protector, context) for article_id, context in contexts.items()
    }
    links = [
        dataclasses.replace(
            link,
            title=scope.protect(link.title, context=contexts.get(link.article_id)).text,
            url=safe_link(link.url, values.get(link.article_id, ())),
        )
        for link in story.links
    ]
    quotes = [
        dataclasses.replace(quote, url=safe_link(quote.url, values.get(quote.article_id, ())))
        for quote in quotes
    ]
    return dataclasses.replace(
        story,
        title=scope.protect(story.title).text,
        summary=tuple(quotes),
        figures=tuple(figures),
        links=tuple(links),
    )


def protect_row(row: dict[str, Any], protector: Protector) -> dict[str, Any]:
    """An export row with every field in :data:`RECORD_TEXT_FIELDS` protected (one scope)."""
    title, text = row.get("title") or "", row.get("text") or ""
    context = f"{title}\n\n{text}"
    article_id = row.get("id")
    protector.prepare([(article_id if isinstance(article_id, int) else None, context)])
    # Entity names and figure evidence not found verbatim in the article are judged alone too.
    protector.recall(s for s in _field_texts(row) if context.find(s) < 0)
    scope = protector.scope([context])
    protected: dict[str, Any] = protect_fields(row, scope, context=context)
    values = protected_values(protector, context)
    for name in ("url", "canonical_url", "source"):
        if isinstance(row.get(name), str):
            protected[name] = safe_link(row[name], values)
    protected["protected"] = dict(scope.counts)
    return protected


def protect_figures(
    figures: Iterable[tuple[dict[str, Any], dict[str, Any]]],
    store: Any,
    protector: Protector,
) -> Iterator[tuple[dict[str, Any], dict[str, Any]]]:
    """Stored figures with their sentences and claimants protected, one scope per article, for
    every output that lists figures outside a story (the figure tracker, its JSON)."""
    scopes: dict[int, Any] = {}
    values: dict[int, set[str]] = {}
    for figure, article in figures:
        article_id = article["id"]
        if article_id not in scopes:
            source = store.get_article(article_id)
            protector.prepare(article_sources([source] if source else []))
            scopes[article_id] = protector.scope([article_context(source)] if source else [])
            values[article_id] = (
                protected_values(protector, article_context(source)) if source else set()
            )
        scope = scopes[article_id]
        if isinstance(article.get("url"), str):
            article = {**article, "url": safe_link(article["url"], values[article_id])}
        protected = dict(figure)
        # Measures are still matched on the words as written; only what is shown changes.
        protected["clause"] = figure.get("clause") or figure.get("sentence") or ""
        protected["sentence"] = scope.protect(figure.get("sentence") or "").text
        if figure.get("attribution"):
            protected["attribution"] = scope.protect(figure["attribution"]).text
        yield protected, article
