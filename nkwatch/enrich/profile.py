"""The watch profile: the themes, entities and measures the enrichment stages look for.

A profile is a TOML file of ``[[theme]]``, ``[[entity]]`` and ``[[measure]]`` tables. The package
ships a default for North Korea (``nkwatch/data/profile.toml``); a user's file extends it (same
``id`` = field-by-field override, new ``id`` = added, ``[remove]`` drops entries) or replaces it.
A ``[people]`` table lists names the protection stage keeps as public (``public = [...]``) or
always protects (``protected = [...]``); a user's lists add to the default's.
The file is parsed and checked once into a frozen :class:`Profile` that the stages take as an
argument. Every problem is a :class:`~nkwatch.errors.ConfigError` naming the file, the line and
the key.

This module also holds the tokeniser the matchers share, so that an alias or cue term is
normalised exactly as the text it is looked for in.
"""

from __future__ import annotations

import bisect
import re
import tomllib
import unicodedata
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any, Literal, TypeVar, cast

from nkwatch.errors import ConfigError

EntityType = Literal["person", "organisation", "place"]
_T = TypeVar("_T", "Theme", "Entity", "Measure")
ENTITY_TYPES: tuple[EntityType, ...] = ("person", "organisation", "place")
_TYPE_SPELLINGS = {"organization": "organisation", "org": "organisation", "location": "place"}

#: Weight of one strong and one weak cue term in theme scoring.
STRONG_WEIGHT = 3.0
WEAK_WEIGHT = 1.0

_SECTIONS = {"theme": "theme", "entity": "entity", "measure": "measure"}
_ID = re.compile(r"^[a-z0-9][a-z0-9_-]*$")


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Single words that would fire all over ordinary prose if used as a case-insensitive alias.
# Bare Korean surnames are here too: "Kim" alone names no one in particular.
COMMON_WORDS = _words(
    """
    a about above across act after again against age agency air all also am an and any are area
    arm army as at attack back bad bank base be bear before being best big bill black block blue
    board body border both bridge but by call camp can capital case cell center centre change
    charge chief city class clear close club coast cold command commander committee company
    council country court cover cross cut day dear deal defence defense do does dog down draft
    drive east end even every fall far field fire first five fly for force forces foreign free
    from front general gold good grand great green guard guide gun had has have he head health
    her here high him his hold home hope how i if in inside is it its job joint just key king
    kind labor labour land last law lead leader left let level light like line long lord lot love
    low main major march mark mass may me mine minister ministry mission more most mother mount
    my name nation navy near new news next night no north not now of off office oil old on one
    only open or order other our out over park part party pass peace people place plan play
    point police port post power press prime public rail range red rock rose round royal rule
    run safe say sea second security see service set she ship shot show side sign so south space
    spring square staff star state station steel still stone strike sun supreme swift than that
    the their them then there these they this those three time to top town trade train trump
    two under union unit up us victory vision wall war was watch water way we well west what
    when where white who will wind with work world yes you young your
    kim lee park choi choe ri pak jang jong han kang moon yoon kwon song jo cho o ju
    """
)

# Hangul place names that are also everyday words: "나선" is Rason and "stepped forward" (나서다),
# "개성" is Kaesong and "personality". Such an alias counts only in a place-like context.
HANGUL_COMMON_WORDS = _words("나선 개성")

# Tokens: a run of Latin letters/digits (with combining accents), a run of Hangul, or a run of
# any other letters (Cyrillic, Han). Splitting by script lets a particle glued to a Latin name
# ("Kim은") or a Hangul name stand apart.
TOKEN = re.compile(
    r"[0-9A-Za-z\u00c0-\u024f\u1e00-\u1eff\u0300-\u036f]+"
    r"|[\uac00-\ud7a3]+"
    r"|[^\W_0-9A-Za-z\u00c0-\u024f\u1e00-\u1eff\uac00-\ud7a3]+"
)
# What may stand between two tokens of one name: spaces, hyphens, an apostrophe or a full stop
# of an initialism, never a comma or a paragraph break.
_JOINER = re.compile(
    r"[ \t\u00a0\u2009\u202f]*[-\u2010\u2011\u2012\u2013]?[ \t\u00a0]*|['’ʼ][ \t\u00a0]?|\."
)
_POSSESSIVE_S = re.compile(r"['’ʼ]s$")
HANGUL = re.compile(r"^[\uac00-\ud7a3]+$")
_ACRONYM = re.compile(r"^(?=.*[A-Z])[A-Z0-9.&]{2,8}$")


@dataclass(frozen=True, slots=True)
class Token:
    """A word of a text with its offsets and its matching key."""

    text: str
    start: int
    end: int
    key: str
    #: True when this token may be joined to the previous one inside one name or term.
    joined: bool


def fold(word: str) -> str:
    """Case-folded, accent-free form of one token: the key aliases and text are compared on."""
    if word.isascii():  # nothing to decompose, and ASCII case-folds as it lowers
        return word.lower()
    return _fold_unicode(word)


@lru_cache(maxsize=65536)
def _fold_unicode(word: str) -> str:
    decomposed = unicodedata.normalize("NFKD", word)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def tokenize(text: str, *, case_sensitive: bool = False) -> list[Token]:
    """Split ``text`` into tokens, marking which ones continue the previous token's phrase."""
    tokens: list[Token] = []
    previous_end = -1
    for match in TOKEN.finditer(text):
        word = match.group()
        joined = False
        if tokens:
            gap = text[previous_end : match.start()]
            joined = _JOINER.fullmatch(gap) is not None or (
                # "U.N. Security Council": an initial's full stop and a space.
                gap in {". ", ".\u00a0"} and len(tokens[-1].text) == 1 and tokens[-1].text.isupper()
            )
            # An apostrophe gap is a possessive ('s) or an elision, and "s" carries no meaning.
            if word in {"s", "S"} and gap in {"'", "’", "ʼ"}:
                previous_end = match.end()
                continue
        key = word if case_sensitive else fold(word)
        tokens.append(Token(word, match.start(), match.end(), key, joined))
        previous_end = match.end()
    return tokens


def phrase_key(phrase: str, *, case_sensitive: bool = False) -> tuple[str, ...]:
    """The token keys of an alias or cue term, as the matchers look them up."""
    return tuple(t.key for t in tokenize(phrase, case_sensitive=case_sensitive))


@dataclass(frozen=True, slots=True)
class Theme:
    """A topic an article can be about (several can apply)."""

    id: str
    label: str
    description: str
    strong: tuple[str, ...]
    weak: tuple[str, ...] = ()
    #: Phrases that count for nothing and hide the cues inside them ("according to defectors").
    ignore: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Alias:
    """One way of writing an entity's name."""

    text: str
    case_sensitive: bool = False
    #: Entity ids one of which must be named earlier in the same text for this alias to count
    #: ("Security Council" is the UN's only once the UN has come up); empty = always counts.
    after: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Entity:
    """A person, organisation or place the profile knows by name."""

    id: str
    name: str
    type: EntityType
    aliases: tuple[Alias, ...]


@dataclass(frozen=True, slots=True)
class Measure:
    """A quantity the figure tracker follows over time (e.g. troops sent to Russia)."""

    id: str
    label: str
    unit: str
    counted: tuple[str, ...]
    cues: tuple[str, ...] = ()
    description: str = ""
    #: Words that, in a figure's clause, say it counts something else ("prisoners of war").
    exclude: tuple[str, ...] = ()
    #: A running count that only grows (a death toll, arrests): a larger count on a later day
    #: updates an earlier one instead of disputing it.
    cumulative: bool = False
    #: A quantity summed over a period (arrivals, shells sent, money stolen), not a level at a
    #: time (troops present, a price): claims about periods that do not overlap count different
    #: things, so neither revises the other.
    flow: bool = False


@dataclass(frozen=True, slots=True)
class Profile:
    """A checked watch profile: themes, entities and measures, and the files it came from."""

    themes: tuple[Theme, ...]
    entities: tuple[Entity, ...]
    measures: tuple[Measure, ...]
    sources: tuple[str, ...] = ()
    #: People the protection stage keeps as public figures, beyond the profile's person entities.
    public_people: tuple[str, ...] = ()
    #: People whose names are always protected, whatever the text around them says.
    protected_people: tuple[str, ...] = ()

    def theme(self, theme_id: str) -> Theme:
        """The theme with this id."""
        return _by_id(self.themes, theme_id, "theme")

    def entity(self, entity_id: str) -> Entity:
        """The entity with this id."""
        return _by_id(self.entities, entity_id, "entity")

    def measure(self, measure_id: str) -> Measure:
        """The measure with this id."""
        return _by_id(self.measures, measure_id, "measure")


def _by_id(items: tuple[_T, ...], item_id: str, kind: str) -> _T:
    for item in items:
        if item.id == item_id:
            return item
    raise KeyError(f"no {kind} {item_id!r} in the profile")


def default_profile_path() -> Path:
    """The bundled North Korea watch profile."""
    return Path(str(resources.files("nkwatch") / "data" / "profile.toml"))


def load_profile(path: Path | str | None = None, *, extend_default: bool = True) -> Profile:
    """The default profile extended by ``path``, or ``path`` alone with ``extend_default=False``."""
    default = default_profile_path()
    files: list[_File] = []
    if path is None or extend_default:
        files.append(_File.read(default))
    if path is not None:
        files.append(_File.read(Path(path)))
    merged: dict[str, dict[str, _Entry]] = {section: {} for section in _SECTIONS}
    for file in files:
        _overlay(merged, file)
    themes = tuple(_theme(e) for e in merged["theme"].values())
    entities = tuple(_entity(e) for e in merged["entity"].values())
    measures = tuple(_measure(e) for e in merged["measure"].values())
    _check_aliases_unique(merged["entity"], entities)
    _check_alias_references(merged["entity"], entities)
    public, protected = _people(files)
    return Profile(
        themes,
        entities,
        measures,
        tuple(str(f.path) for f in files),
        public_people=public,
        protected_people=protected,
    )


def _people(files: list[_File]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The ``[people]`` lists of every file, later files adding to earlier ones.

    A name listed as protected in a later file leaves the public list, and the reverse.
    """
    public: dict[str, None] = {}
    protected: dict[str, None] = {}
    for file in files:
        table = file.data.get("people", {})
        if not isinstance(table, dict) or set(table) - {"public", "protected"}:
            raise ConfigError(
                f"{file.path}: [people] takes public = [...] and protected = [...] lists of names"
            )
        for side, names in (("public", public), ("protected", protected)):
            value = table.get(side, [])
            if not _is_str_list(value):
                raise ConfigError(f"{file.path}: [people].{side} must be a list of names")
            other = protected if side == "public" else public
            for name in value:
                if not phrase_key(name):
                    raise ConfigError(
                        f"{file.path}: [people].{side}: {name!r} has no letters or digits"
                    )
                other.pop(name.strip(), None)
                names[name.strip()] = None
    return tuple(public), tuple(protected)


# --- reading -------------------------------------------------------------------------------


@dataclass(slots=True)
class _File:
    path: Path
    lines: list[str]
    data: dict[str, Any]

    @classmethod
    def read(cls, path: Path) -> _File:
        try:
            raw = path.read_text(encoding="utf-8")
        except FileNotFoundError as exc:
            raise ConfigError(f"profile file {path} does not exist; check the path") from exc
        except (OSError, UnicodeDecodeError) as exc:
            raise ConfigError(f"profile file {path} cannot be read as UTF-8 text: {exc}") from exc
        try:
            data = tomllib.loads(raw)
        except tomllib.TOMLDecodeError as exc:
            # The decoder's message ends with "(at line N, column M)".
            raise ConfigError(f"{path}: not valid TOML: {exc}") from exc
        return cls(path, raw.splitlines(), data)

    def headers(self, section: str) -> list[int]:
        pattern = re.compile(rf"^\s*\[\[\s*{section}\s*\]\]")
        return [n for n, line in enumerate(self.lines, 1) if pattern.match(line)]


@dataclass(slots=True)
class _Entry:
    """One table of a profile file, with where it was written, for error messages."""

    section: str
    values: dict[str, Any]
    file: _File
    line: int | None
    end_line: int | None

    @property
    def name(self) -> str:
        return str(self.values.get("id") or self.values.get("name") or "?")

    def where(self, key: str | None = None) -> str:
        line = self.key_line(key) if key else None
        line = line or self.line
        return f"{self.file.path}, line {line}" if line else str(self.file.path)

    def key_line(self, key: str) -> int | None:
        if self.line is None:
            return None
        stop = self.end_line or len(self.file.lines)
        pattern = re.compile(rf"^\s*{re.escape(key)}\s*=")
        for number in range(self.line, stop + 1):
            if pattern.match(self.file.lines[number - 1]):
                return number
        return None

    def fail(self, message: str, *, key: str | None = None) -> ConfigError:
        return ConfigError(f"{self.where(key)}: {self.section} '{self.name}': {message}")


def _entries(file: _File, section: str) -> Iterator[_Entry]:
    tables = file.data.get(section, [])
    if not isinstance(tables, list) or not all(isinstance(t, dict) for t in tables):
        raise ConfigError(f"{file.path}: '{section}' must be written as [[{section}]] tables")
    headers = file.headers(section)
    located = len(headers) == len(tables)
    every = _all_headers(file) if located else []  # read once, not once per table
    for index, table in enumerate(tables):
        line = headers[index] if located else None
        end = None
        if located:
            following = bisect.bisect_right(every, headers[index])
            end = every[following] - 1 if following < len(every) else None
        yield _Entry(section, dict(table), file, line, end)


def _all_headers(file: _File) -> list[int]:
    pattern = re.compile(r"^\s*\[")
    return [n for n, line in enumerate(file.lines, 1) if pattern.match(line)]


def _overlay(merged: dict[str, dict[str, _Entry]], file: _File) -> None:
    unknown = set(file.data) - set(_SECTIONS) - {"remove", "version", "people"}
    if unknown:
        raise ConfigError(
            f"{file.path}: unknown section(s) {', '.join(sorted(unknown))}; "
            "a profile has [[theme]], [[entity]], [[measure]], [people] and [remove]"
        )
    for section in _SECTIONS:
        seen: set[str] = set()
        for entry in _entries(file, section):
            entry_id = _entry_id(entry)
            if entry_id in seen:
                raise entry.fail(f"duplicate id '{entry_id}' in this file; ids must be unique")
            seen.add(entry_id)
            base = merged[section].get(entry_id)
            if base is not None:
                entry = _extend(base, entry)
            elif any(k.startswith("add_") for k in entry.values):
                key = next(k for k in entry.values if k.startswith("add_"))
                raise entry.fail(
                    f"{key} extends an entry, but no earlier profile has id '{entry_id}'", key=key
                )
            entry.values["id"] = entry_id
            merged[section][entry_id] = entry
    remove = file.data.get("remove", {})
    if not isinstance(remove, dict):
        raise ConfigError(f"{file.path}: [remove] must be a table of id lists")
    for key, ids in remove.items():
        section = key.rstrip("s") if key.endswith("s") else key
        section = "entity" if key in {"entities", "entity"} else section
        if section not in _SECTIONS or not _is_str_list(ids):
            raise ConfigError(
                f"{file.path}: [remove].{key}: use themes = [...], entities = [...] or "
                "measures = [...] with lists of ids"
            )
        for entry_id in ids:
            if merged[section].pop(entry_id, None) is None:
                raise ConfigError(
                    f"{file.path}: [remove].{key}: no {section} '{entry_id}' to remove"
                )


def _entry_id(entry: _Entry) -> str:
    value = entry.values.get("id")
    if value is None and entry.section == "entity" and isinstance(entry.values.get("name"), str):
        value = slug(entry.values["name"])
    if not isinstance(value, str) or not value:
        raise entry.fail("needs an id (a short lowercase name such as 'food-economy')", key="id")
    if not _ID.match(value):
        raise entry.fail(f"id '{value}' must be lowercase letters, digits, '-' or '_'", key="id")
    return value


def slug(name: str) -> str:
    """A lowercase id made from a name ("Kim Jong Un" -> "kim-jong-un")."""
    return "-".join(phrase_key(name)) or fold(name)


def _extend(base: _Entry, entry: _Entry) -> _Entry:
    """A user's table over a default one: keys replace, ``add_<list>`` keys append."""
    values = dict(base.values)
    for key, value in entry.values.items():
        if key.startswith("add_"):
            target = key[4:]
            current = values.get(target, [])
            if not isinstance(value, list) or not isinstance(current, list):
                raise entry.fail(f"{key} must be a list that extends the list '{target}'", key=key)
            values[target] = [*current, *value]
        else:
            values[key] = value
    return _Entry(entry.section, values, entry.file, entry.line, entry.end_line)


# --- checking ------------------------------------------------------------------------------


def _is_str_list(value: object) -> bool:
    return isinstance(value, list) and all(isinstance(v, str) and v.strip() for v in value)


def _text(entry: _Entry, key: str, *, required: bool = True) -> str:
    value = entry.values.get(key, "")
    if not isinstance(value, str) or (required and not value.strip()):
        raise entry.fail(f"'{key}' must be a non-empty string", key=key)
    return value.strip()


def _strings(entry: _Entry, key: str) -> tuple[str, ...]:
    value = entry.values.get(key, [])
    if not _is_str_list(value):
        raise entry.fail(f"'{key}' must be a list of non-empty strings", key=key)
    return tuple(dict.fromkeys(v.strip() for v in value))


def _known_keys(entry: _Entry, keys: set[str]) -> None:
    for key in entry.values:
        if key not in keys and not (key.startswith("add_") and key[4:] in keys):
            raise entry.fail(f"unknown key '{key}'; known keys: {', '.join(sorted(keys))}", key=key)


def _theme(entry: _Entry) -> Theme:
    _known_keys(entry, {"id", "label", "description", "strong", "weak", "ignore"})
    strong = _strings(entry, "strong")
    weak = _strings(entry, "weak")
    if not strong and not weak:
        raise entry.fail("has no cue terms; add strong = [...] and/or weak = [...]", key="strong")
    for term in (*strong, *weak):
        bare = term.rstrip("*")
        if not phrase_key(bare):
            raise entry.fail(f"cue term {term!r} has no letters or digits", key="strong")
    return Theme(
        id=entry.values["id"],
        label=_text(entry, "label"),
        description=_text(entry, "description"),
        strong=strong,
        weak=weak,
        ignore=_strings(entry, "ignore"),
    )


def _entity(entry: _Entry) -> Entity:
    _known_keys(entry, {"id", "name", "type", "aliases"})
    name = _text(entry, "name")
    raw_type = _text(entry, "type")
    entity_type = _TYPE_SPELLINGS.get(raw_type.lower(), raw_type.lower())
    if entity_type not in ENTITY_TYPES:
        raise entry.fail(
            f"has an unknown type '{raw_type}'; use person, organisation or place", key="type"
        )
    raw_aliases = entry.values.get("aliases", [])
    if not isinstance(raw_aliases, list):
        raise entry.fail("'aliases' must be a list", key="aliases")
    aliases: dict[tuple[bool, tuple[str, ...]], Alias] = {}
    for item in [name, *raw_aliases]:
        alias = _alias(entry, item)
        key = phrase_key(alias.text, case_sensitive=alias.case_sensitive)
        aliases.setdefault((alias.case_sensitive, key), alias)
    return Entity(entry.values["id"], name, cast(EntityType, entity_type), tuple(aliases.values()))


def _alias(entry: _Entry, item: object) -> Alias:
    after: tuple[str, ...] = ()
    if isinstance(item, str):
        text, explicit = item.strip(), None
    elif isinstance(item, Mapping) and isinstance(item.get("text"), str):
        extra = set(item) - {"text", "case_sensitive", "after"}
        if (
            extra
            or not isinstance(item.get("case_sensitive", False), bool)
            or not _is_str_list(item.get("after", []))
        ):
            raise entry.fail(
                'an alias table is { text = "...", case_sensitive = true, after = ["entity-id"] }',
                key="aliases",
            )
        text, explicit = item["text"].strip(), item.get("case_sensitive")
        after = tuple(item.get("after", []))
    else:
        raise entry.fail(
            f'alias {item!r} must be a string or {{ text = "...", case_sensitive = true }}',
            key="aliases",
        )
    if not phrase_key(text):
        raise entry.fail(f"alias {text!r} has no letters or digits", key="aliases")
    if explicit is not None:
        return Alias(text, bool(explicit), after)
    if _ACRONYM.match(text):
        # Short all-caps acronyms match only in capitals: "MSS", never "mss".
        return Alias(text, True, after)
    words = phrase_key(text)
    if after:
        # An alias that needs an earlier mention is a short form by design, common word or not.
        return Alias(text, False, after)
    if len(words) == 1 and words[0] in COMMON_WORDS:
        raise entry.fail(
            f"alias {text!r} is a common word and would match ordinary text; write it as "
            f'{{ text = "{text}", case_sensitive = true }} to match only that exact spelling, '
            "or use a longer alias",
            key="aliases",
        )
    return Alias(text, False)


def _check_alias_references(entries: dict[str, _Entry], entities: tuple[Entity, ...]) -> None:
    ids = {entity.id for entity in entities}
    for entity in entities:
        for alias in entity.aliases:
            missing = [ref for ref in alias.after if ref not in ids]
            if missing:
                raise entries[entity.id].fail(
                    f"alias {alias.text!r} names unknown entity id(s) {', '.join(missing)} in "
                    "'after'; use the ids of entities in the profile",
                    key="aliases",
                )


def _check_aliases_unique(entries: dict[str, _Entry], entities: tuple[Entity, ...]) -> None:
    owners: dict[tuple[bool, tuple[str, ...]], str] = {}
    for entity in entities:
        for alias in entity.aliases:
            key = (
                alias.case_sensitive,
                phrase_key(alias.text, case_sensitive=alias.case_sensitive),
            )
            other = owners.setdefault(key, entity.id)
            if other != entity.id:
                raise entries[entity.id].fail(
                    f"alias {alias.text!r} is also an alias of entity '{other}'; "
                    "an alias must name one entity",
                    key="aliases",
                )


def _measure(entry: _Entry) -> Measure:
    _known_keys(
        entry,
        {"id", "label", "unit", "counted", "cues", "description", "exclude", "cumulative", "flow"},
    )
    counted = _strings(entry, "counted")
    if not counted:
        raise entry.fail("needs counted = [...] (the nouns a figure counts)", key="counted")
    cumulative = entry.values.get("cumulative", False)
    if not isinstance(cumulative, bool):
        raise entry.fail("cumulative is true or false", key="cumulative")
    flow = entry.values.get("flow", False)
    if not isinstance(flow, bool):
        raise entry.fail("flow is true or false", key="flow")
    return Measure(
        id=entry.values["id"],
        label=_text(entry, "label"),
        unit=_text(entry, "unit"),
        counted=counted,
        cues=_strings(entry, "cues"),
        description=_text(entry, "description", required=False),
        exclude=_strings(entry, "exclude"),
        cumulative=cumulative,
        flow=flow,
    )
