"""Settings: packaged defaults overlaid by the user's TOML file, parsed once into frozen objects."""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field, fields
from importlib import resources
from pathlib import Path
from typing import Any

from nkwatch.cluster.settings import ClusterSettings
from nkwatch.errors import ConfigError
from nkwatch.sources.settings import FetchSettings


@dataclass(frozen=True, slots=True)
class IngestSettings:
    """How inputs are read."""

    max_file_bytes: int = 50 * 1024 * 1024
    fetch_feed_links: bool = True
    min_text_chars: int = 120
    #: One document (page, archive record, feed entry) larger than this is rejected unread.
    max_document_bytes: int = 8 * 1024 * 1024
    #: Seconds one document's extraction may take before it is rejected.
    document_seconds: float = 60.0
    #: Seconds one article may take in one later stage before it is quarantined.
    article_seconds: float = 60.0
    #: Inputs (or articles, in the later stages) written in one transaction: a killed run
    #: loses at most the open batch, and an archive resumes after the last committed one.
    batch: int = 64


@dataclass(frozen=True, slots=True)
class EnrichSettings:
    """Which watch profile enrichment uses."""

    #: A profile TOML overlaying the bundled North Korea profile ("" = the bundled one alone).
    profile: str = ""


@dataclass(frozen=True, slots=True)
class RunSettings:
    """What ``nkwatch run`` polls and writes."""

    sources: tuple[str, ...] = ()
    digest_since: str = "1d"
    digest_dir: str = "digests"
    digest_formats: tuple[str, ...] = ("html", "md", "rss", "atom", "jsonfeed")
    #: Where digests are published (RSS channel link, Atom and JSON Feed home page).
    site_url: str = ""


@dataclass(frozen=True, slots=True)
class Settings:
    """Every setting nkwatch reads, in one frozen object passed explicitly."""

    db_path: str = "nkwatch.db"
    fetch: FetchSettings = field(default_factory=FetchSettings)
    ingest: IngestSettings = field(default_factory=IngestSettings)
    run: RunSettings = field(default_factory=RunSettings)
    cluster: ClusterSettings = field(default_factory=ClusterSettings)
    enrich: EnrichSettings = field(default_factory=EnrichSettings)
    outlets: dict[str, str] = field(default_factory=dict)
    config_path: str | None = None


def sample_corpus_path() -> Path:
    """The bundled sample corpus (invented outlets, original text)."""
    return Path(str(resources.files("nkwatch") / "data" / "sample" / "corpus"))


def sample_outlets() -> dict[str, str]:
    """The bundled sample corpus's ``[outlets]`` table (host -> outlet name)."""
    path = Path(str(resources.files("nkwatch") / "data" / "sample" / "outlets.toml"))
    return {k.lower(): v for k, v in _read_toml(path).get("outlets", {}).items()}


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except FileNotFoundError as exc:
        raise ConfigError(f"config file {path} does not exist; check the path") from exc
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"config file {path} is not valid TOML: {exc}") from exc


def _section(cls: type, data: dict[str, Any], *, name: str, origin: str) -> Any:
    known = {f.name: f for f in fields(cls)}
    values: dict[str, Any] = {}
    for key, value in data.items():
        if key not in known:
            raise ConfigError(
                f"{origin}: unknown key [{name}].{key}; known keys: {', '.join(sorted(known))}"
            )
        default = known[key].default
        if isinstance(default, tuple):
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                raise ConfigError(f"{origin}: [{name}].{key} must be a list of strings")
            value = tuple(value)
        elif isinstance(default, bool):
            if not isinstance(value, bool):
                raise ConfigError(f"{origin}: [{name}].{key} must be true or false")
        elif isinstance(default, int | float) and not isinstance(value, bool):
            if not isinstance(value, int | float):
                raise ConfigError(f"{origin}: [{name}].{key} must be a number, not {value!r}")
            value = type(default)(value)
        elif isinstance(default, str) and not isinstance(value, str):
            raise ConfigError(f"{origin}: [{name}].{key} must be a string, not {value!r}")
        values[key] = value
    return cls(**values)


#: The clustering knobs a user may set; the fitted models stay packaged.
_CLUSTER_KEYS = (
    "inactive_after_days",
    "storyline_window_days",
    "max_active_stories",
    "max_candidates",
    "refine_every",
    "use_embeddings",
)


def _cluster_section(data: dict[str, Any], *, origin: str) -> ClusterSettings:
    unknown = set(data) - set(_CLUSTER_KEYS)
    if unknown:
        raise ConfigError(
            f"{origin}: unknown key [cluster].{sorted(unknown)[0]}; "
            f"known keys: {', '.join(_CLUSTER_KEYS)}"
        )
    try:
        return _section(ClusterSettings, data, name="cluster", origin=origin)  # type: ignore[no-any-return]
    except ValueError as exc:
        raise ConfigError(f"{origin}: [cluster] {exc}") from exc


def _fetch_section(data: dict[str, Any], *, origin: str) -> FetchSettings:
    try:
        return _section(FetchSettings, data, name="fetch", origin=origin)  # type: ignore[no-any-return]
    except ValueError as exc:  # an allow_networks entry that is not a CIDR network
        raise ConfigError(f"{origin}: [fetch].allow_networks: {exc}") from exc


def _merge(base: dict[str, Any], overlay: dict[str, Any]) -> dict[str, Any]:
    merged = dict(base)
    for key, value in overlay.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = _merge(merged[key], value)
        else:
            merged[key] = value
    return merged


def load_settings(config_path: str | Path | None = None, *, db_path: str | None = None) -> Settings:
    """Packaged defaults, overlaid by ``config_path`` (or NKWATCH_CONFIG), then by ``db_path``."""
    default_file = Path(str(resources.files("nkwatch") / "data" / "default.toml"))
    data = _read_toml(default_file)
    config_path = config_path or os.environ.get("NKWATCH_CONFIG") or None
    origin = str(default_file)
    if config_path:
        origin = str(config_path)
        user = _read_toml(Path(config_path))
        unknown = set(user) - set(data)
        if unknown:
            raise ConfigError(
                f"{config_path}: unknown section(s) {', '.join(sorted(unknown))}; "
                f"known sections: {', '.join(sorted(data))}"
            )
        data = _merge(data, user)
    outlets = data.get("outlets", {})
    if not all(isinstance(v, str) for v in outlets.values()):
        raise ConfigError(f"{origin}: [outlets] maps host names to outlet names (strings)")
    store = data.get("store", {})
    return Settings(
        db_path=db_path or os.environ.get("NKWATCH_DB") or store.get("path", "nkwatch.db"),
        fetch=_fetch_section(data.get("fetch", {}), origin=origin),
        ingest=_section(IngestSettings, data.get("ingest", {}), name="ingest", origin=origin),
        run=_section(RunSettings, data.get("run", {}), name="run", origin=origin),
        cluster=_cluster_section(data.get("cluster", {}), origin=origin),
        enrich=_section(EnrichSettings, data.get("enrich", {}), name="enrich", origin=origin),
        outlets={k.lower(): v for k, v in outlets.items()},
        config_path=str(config_path) if config_path else None,
    )
