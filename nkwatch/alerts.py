"""Watches and alerts: rules a reader sets, checked after every ingest run.

A :class:`Watch` is a rule over what the pipeline learned: an entity, a theme, a tracked
measure, a keyword, an outlet and a minimum number of independent sources (every field that is
set must hold). :func:`check_watches` reads the articles a run stored or changed, their
enrichment and their stories, and adds an :class:`Alert` per watch and new matching story (or,
for a measure watch, per new matching claim); an alert is never raised twice. A watch with a
``source`` and ``silent_days`` raises a "source went silent" alert when nothing from that
source was stored for that many days. Alerts are read in the web UI, as an Atom feed and a JSON
Feed per watch, and optionally POSTed to the watch's webhook through the fetcher's address guard
(so a webhook cannot reach the machine's own network unless ``[fetch] allow_networks`` says so).
"""

from __future__ import annotations

import ipaddress
import json
import logging
import xml.etree.ElementTree as ET
from collections.abc import Iterable
from dataclasses import asdict, dataclass, replace
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

import httpx

from nkwatch.enrich.profile import Profile
from nkwatch.enrich.tracker import assign_measure
from nkwatch.errors import NkwatchError
from nkwatch.publish.digest import safe_link, web_link
from nkwatch.record import Article
from nkwatch.sources import netguard
from nkwatch.sources.http import FetchSettings, _GuardedTransport
from nkwatch.store import Store
from nkwatch.web.publishable import protect_view

log = logging.getLogger(__name__)

#: The fields a watch rule matches on; at least one of them (or a silent-source rule) is needed.
RULE_FIELDS = ("entity", "theme", "measure", "keyword", "outlet")
#: Longest keyword or name a watch takes.
MAX_RULE_CHARS = 200
#: Most bytes of an article's text a keyword is looked for in.
KEYWORD_SCAN_CHARS = 200_000
TAG = "tag:nkwatch,2026"


class WatchError(NkwatchError):
    """A watch rule is malformed or names something the profile does not have."""


@dataclass(frozen=True, slots=True)
class Watch:
    """A rule: every field that is set must hold for a story or claim to raise an alert."""

    id: int | None
    name: str
    entity: str | None = None
    theme: str | None = None
    measure: str | None = None
    keyword: str | None = None
    outlet: str | None = None
    min_sources: int = 0
    source: str | None = None
    silent_days: int | None = None
    webhook: str | None = None
    created_at: datetime | None = None

    def describe(self) -> str:
        """The rule in words: ``entity = Kim Yo Jong, at least 2 sources``."""
        parts = [f"{name} = {getattr(self, name)}" for name in RULE_FIELDS if getattr(self, name)]
        if self.min_sources:
            parts.append(f"at least {self.min_sources} independent sources")
        if self.source:
            parts.append(f"{self.source} silent for {self.silent_days} days")
        return ", ".join(parts)


@dataclass(frozen=True, slots=True)
class Alert:
    """A story, claim or silent source that matched a watch."""

    id: int | None
    watch_id: int
    key: str
    kind: str  # "story", "claim" or "silent"
    title: str
    detail: str
    story_id: int | None
    article_id: int | None
    url: str | None
    run_id: int | None
    created_at: datetime | None
    delivery: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """Plain data (API, JSON Feed, webhook body)."""
        data = asdict(self)
        data["created_at"] = self.created_at.isoformat() if self.created_at else None
        return data


def _clean(value: str | None) -> str | None:
    if value is None:
        return None
    value = value.strip()
    if len(value) > MAX_RULE_CHARS:
        raise WatchError(f"{value[:40]!r}… is longer than {MAX_RULE_CHARS} characters")
    return value or None


def _check_webhook_address(url: str, allow_networks: Iterable[str]) -> None:
    try:
        host = urlsplit(url.strip()).hostname or ""
    except ValueError as exc:
        raise WatchError(f"webhook {url[:80]!r} is not a valid URL: {exc}") from None
    if not host:
        raise WatchError(f"webhook {url[:80]!r} names no host")
    if host == "localhost" or host.endswith(".localhost"):
        host = "127.0.0.1"  # this machine, whatever the resolver says
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return  # a name: the address guard checks what it resolves to when delivering
    try:
        policy = netguard.AddressPolicy.from_strings(allow_networks)
    except ValueError as exc:
        raise WatchError(f"[fetch].allow_networks: {exc}") from None
    why = policy.refusal(address)
    if why is not None:
        raise WatchError(
            f"webhook {url[:80]!r} points at {why}; fetches and webhooks only reach public "
            "addresses unless [fetch].allow_networks includes it"
        )


def make_watch(
    *,
    name: str | None = None,
    entity: str | None = None,
    theme: str | None = None,
    measure: str | None = None,
    keyword: str | None = None,
    outlet: str | None = None,
    min_sources: int = 0,
    source: str | None = None,
    silent_days: int | None = None,
    webhook: str | None = None,
    profile: Profile | None = None,
    allow_networks: Iterable[str] = (),
) -> Watch:
    """A checked watch (not yet stored): raises :class:`WatchError` saying what is wrong.

    A webhook at a literal address the fetcher would refuse (loopback, private, link-local,
    outside ``allow_networks``) is refused here already; names are checked when delivering.
    """
    fields = {
        "entity": _clean(entity),
        "theme": _clean(theme),
        "measure": _clean(measure),
        "keyword": _clean(keyword),
        "outlet": _clean(outlet),
    }
    source = _clean(source)
    if not any(fields.values()) and not source:
        raise WatchError(
            "a watch needs at least one of entity, theme, measure, keyword, outlet, "
            "or a source with silent_days"
        )
    if not 0 <= min_sources <= 1000:
        raise WatchError(f"min_sources must be between 0 and 1000, not {min_sources}")
    if source and (silent_days is None or not 1 <= silent_days <= 3650):
        raise WatchError("a silent-source watch needs silent_days between 1 and 3650")
    if profile is not None:
        if fields["theme"] and fields["theme"] not in {t.id for t in profile.themes}:
            known = ", ".join(t.id for t in profile.themes)
            raise WatchError(f"theme {fields['theme']!r} is not in the profile; themes: {known}")
        if fields["measure"] and fields["measure"] not in {m.id for m in profile.measures}:
            known = ", ".join(m.id for m in profile.measures)
            raise WatchError(
                f"measure {fields['measure']!r} is not in the profile; measures: {known}"
            )
    webhook = _clean(webhook)
    if webhook and web_link(webhook) is None:
        raise WatchError(f"webhook {webhook[:80]!r} is not an http(s) URL")
    if webhook:
        _check_webhook_address(webhook, allow_networks)
    watch = Watch(
        id=None,
        name="",
        entity=fields["entity"],
        theme=fields["theme"],
        measure=fields["measure"],
        keyword=fields["keyword"],
        outlet=fields["outlet"],
        min_sources=min_sources,
        source=source,
        silent_days=silent_days if source else None,
        webhook=webhook,
    )
    return replace(watch, name=_clean(name) or watch.describe())


def _watch(row: dict[str, Any]) -> Watch:
    created = row.get("created_at")
    return Watch(
        id=row["id"],
        name=row["name"],
        entity=row["entity"],
        theme=row["theme"],
        measure=row["measure"],
        keyword=row["keyword"],
        outlet=row["outlet"],
        min_sources=row["min_sources"],
        source=row["source"],
        silent_days=row["silent_days"],
        webhook=row["webhook"],
        created_at=datetime.fromisoformat(created) if created else None,
    )


def _alert(row: dict[str, Any]) -> Alert:
    return Alert(
        id=row["id"],
        watch_id=row["watch_id"],
        key=row["key"],
        kind=row["kind"],
        title=row["title"],
        detail=row["detail"],
        story_id=row["story_id"],
        article_id=row["article_id"],
        url=row["url"],
        run_id=row["run_id"],
        created_at=datetime.fromisoformat(row["created_at"]),
        delivery=row["delivery"],
    )


def add_watch(store: Store, watch: Watch) -> Watch:
    """Store a watch made by :func:`make_watch`; returns it with its id."""
    values = asdict(watch)
    values.pop("id")
    values.pop("created_at")
    watch_id = store.add_watch(values)
    return get_watch(store, watch_id)


def list_watches(store: Store) -> list[Watch]:
    """Every stored watch, oldest first."""
    return [_watch(row) for row in store.watches()]


def get_watch(store: Store, watch_id: int) -> Watch:
    """One stored watch; :class:`WatchError` if there is none with that id."""
    row = store.get_watch(watch_id)
    if row is None:
        raise WatchError(f"no watch with id {watch_id}")
    return _watch(row)


def remove_watch(store: Store, watch_id: int) -> None:
    """Delete a watch and its alerts; :class:`WatchError` if there is none with that id."""
    if not store.remove_watch(watch_id):
        raise WatchError(f"no watch with id {watch_id}")


def list_alerts(
    store: Store, *, watch_id: int | None = None, limit: int = 50, offset: int = 0
) -> list[Alert]:
    """Alerts, newest first (of one watch, if given)."""
    return [_alert(row) for row in store.alerts(watch_id=watch_id, limit=limit, offset=offset)]


# -- matching ----------------------------------------------------------------------------


def _article_matches(watch: Watch, article: Article, data: dict[str, Any]) -> bool:
    """Entity, theme, keyword and outlet rules against one article (measure is per claim)."""
    if watch.outlet and (article.outlet or "").casefold() != watch.outlet.casefold():
        return False
    if watch.theme and watch.theme not in {hit["theme"] for hit in data.get("themes", [])}:
        return False
    if watch.entity:
        wanted = watch.entity.casefold()
        names = {m["canonical"].casefold() for m in data.get("entities", [])}
        if wanted not in names:
            return False
    if watch.keyword:
        wanted = watch.keyword.casefold()
        haystack = f"{article.title or ''}\n{article.text[:KEYWORD_SCAN_CHARS]}".casefold()
        if wanted not in haystack:
            return False
    return True


def _story_alerts(
    watch: Watch,
    article: Article,
    data: dict[str, Any],
    story: dict[str, Any] | None,
    profile: Profile | None,
) -> list[dict[str, Any]]:
    if not _article_matches(watch, article, data):
        return []
    sources = story["independent_sources"] if story else 1
    if sources < watch.min_sources:
        return []
    url = safe_link(article.url) or safe_link(article.canonical_url)
    if watch.measure:
        if profile is None:
            return []
        alerts = []
        for index, figure in enumerate(data.get("figures", [])):
            measure = assign_measure(profile, figure)
            if measure is None or measure.id != watch.measure:
                continue
            alerts.append(
                {
                    "key": f"claim:{article.id}:{index}",
                    "kind": "claim",
                    "title": f"{measure.label}: {figure.get('value')} ({article.outlet})",
                    "detail": figure.get("sentence", ""),
                    "story_id": article.story_id,
                    "article_id": article.id,
                    "url": url,
                }
            )
        return alerts
    title = (story or {}).get("title") or article.title or "(untitled story)"
    return [
        {
            "key": f"story:{article.story_id or f'article-{article.id}'}",
            "kind": "story",
            "title": title,
            "detail": f"{sources} independent source(s); first matching article: "
            f"{article.title or '(untitled)'} ({article.outlet or 'unknown outlet'})",
            "story_id": article.story_id,
            "article_id": article.id,
            "url": url,
        }
    ]


def source_prefix(source: str) -> str:
    """What a configured source's articles start with: a URL's ``scheme://host``, else the path."""
    parts = urlsplit(source)
    if parts.scheme in ("http", "https") and parts.netloc:
        return f"{parts.scheme}://{parts.netloc}"
    return source


def _silent_alert(store: Store, watch: Watch, now: datetime) -> dict[str, Any] | None:
    if not watch.source or not watch.silent_days:
        return None
    last = store.latest_stored_from(source_prefix(watch.source))
    if last is not None and now - last < timedelta(days=watch.silent_days):
        return None
    since = last.date().isoformat() if last else "never"
    return {
        "key": f"silent:{watch.source}:{since}",
        "kind": "silent",
        "title": f"{watch.source} went silent",
        "detail": (
            f"nothing stored from {watch.source} for {watch.silent_days} days (last: {since})"
        ),
        "url": safe_link(watch.source),
    }


def check_watches(
    store: Store,
    *,
    since_run: int | None,
    profile: Profile | None = None,
    fetch: FetchSettings | None = None,
    now: datetime | None = None,
) -> list[Alert]:
    """Raise the alerts of what run ``since_run`` stored or changed, and of silent sources.

    Returns the new alerts (a story or claim already alerted is not alerted again). A watch
    with a webhook gets each new alert POSTed to it when ``fetch`` settings are given.
    """
    watches = list_watches(store)
    if not watches:
        return []
    now = now or datetime.now(UTC)
    started = store.run_started(since_run) if since_run is not None else None
    articles = store.articles_stored_since(started) if started is not None else []
    originals = [a for a in articles if a.duplicate_of is None]
    enrichment = {a.id: store.enrichment(a.id or 0) or {} for a in originals}
    stories: dict[int, dict[str, Any] | None] = {}
    created: list[Alert] = []
    for watch in watches:
        found: list[dict[str, Any]] = []
        matches_articles = any(getattr(watch, name) for name in RULE_FIELDS)
        for article in originals if matches_articles else ():
            if article.story_id and article.story_id not in stories:
                stories[article.story_id] = store.get_story(article.story_id)
            story = stories.get(article.story_id) if article.story_id else None
            found.extend(_story_alerts(watch, article, enrichment[article.id], story, profile))
        silent = _silent_alert(store, watch, now)
        if silent:
            found.append(silent)
        for values in found:
            alert_id = store.add_alert(
                {**values, "watch_id": watch.id, "run_id": since_run, "created_at": now}
            )
            if alert_id is None:
                continue
            alert = _alert(store.alerts(watch_id=watch.id, limit=1)[0])
            created.append(alert)
            if watch.webhook and fetch is not None:
                delivery = deliver_webhook(watch, alert, fetch)
                store.set_alert_delivery(alert_id, delivery)
    if created:
        log.info("%d new alert(s)", len(created))
    return created


# -- delivery ----------------------------------------------------------------------------


def deliver_webhook(
    watch: Watch,
    alert: Alert,
    fetch: FetchSettings,
    *,
    transport: httpx.BaseTransport | None = None,
) -> str:
    """POST an alert as JSON to the watch's webhook; returns ``sent 200`` or why it failed.

    The connection goes through the same address guard as every fetch: only public addresses
    (plus ``[fetch] allow_networks``), no proxies, no redirects, one overall deadline.
    """
    url = web_link(watch.webhook)
    if url is None:
        return "refused: not an http(s) URL"
    if transport is None:
        policy = netguard.AddressPolicy.from_strings(fetch.allow_networks)
        transport = _GuardedTransport(netguard.GuardedBackend(policy))
    # The body carries scraped titles and sentences out of the machine: it passes the same
    # door as every page and API response.
    body = protect_view({"watch": {"id": watch.id, "name": watch.name}, "alert": alert.to_dict()})
    timeout = httpx.Timeout(fetch.connect_timeout, read=fetch.read_timeout)
    try:
        with (
            httpx.Client(
                transport=transport,
                timeout=timeout,
                follow_redirects=False,
                trust_env=False,
                headers={"User-Agent": fetch.user_agent},
            ) as client,
            netguard.overall_deadline(fetch.total_timeout),
        ):
            response = client.post(url, json=body)
    except netguard.AddressRefused as exc:
        log.warning("webhook %s refused: %s", url, exc)
        return f"refused: {exc}"
    except httpx.HTTPError as exc:
        cause = exc.__context__ if isinstance(exc.__context__, netguard.AddressRefused) else exc
        log.warning("webhook %s failed: %s", url, cause)
        return f"failed: {type(cause).__name__}: {cause}"
    if response.is_success:
        return f"sent {response.status_code}"
    return f"failed: HTTP {response.status_code}"


def atom_feed(watch: Watch, alerts: list[Alert], *, base_url: str) -> str:
    """A watch's alerts as an Atom 1.0 feed."""
    ns = "http://www.w3.org/2005/Atom"
    ET.register_namespace("", ns)
    feed = ET.Element(f"{{{ns}}}feed")
    ET.SubElement(feed, f"{{{ns}}}id").text = f"{TAG}:watch:{watch.id}"
    ET.SubElement(feed, f"{{{ns}}}title").text = f"nkwatch alerts: {watch.name}"
    updated = max((a.created_at for a in alerts if a.created_at), default=watch.created_at)
    ET.SubElement(feed, f"{{{ns}}}updated").text = _rfc3339(updated)
    ET.SubElement(feed, f"{{{ns}}}link", rel="alternate", href=f"{base_url}/watches/{watch.id}")
    author = ET.SubElement(feed, f"{{{ns}}}author")
    ET.SubElement(author, f"{{{ns}}}name").text = "nkwatch"
    for alert in alerts:
        entry = ET.SubElement(feed, f"{{{ns}}}entry")
        ET.SubElement(entry, f"{{{ns}}}id").text = f"{TAG}:alert:{alert.id}"
        ET.SubElement(entry, f"{{{ns}}}title").text = _xml_text(alert.title)
        ET.SubElement(entry, f"{{{ns}}}updated").text = _rfc3339(alert.created_at)
        ET.SubElement(entry, f"{{{ns}}}summary").text = _xml_text(alert.detail)
        link = _alert_link(alert, base_url)
        if link:
            ET.SubElement(entry, f"{{{ns}}}link", rel="alternate", href=link)
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(feed, encoding="unicode")


def json_feed(watch: Watch, alerts: list[Alert], *, base_url: str) -> str:
    """A watch's alerts as a JSON Feed 1.1."""
    items = []
    for alert in alerts:
        item: dict[str, Any] = {
            "id": f"{TAG}:alert:{alert.id}",
            "title": alert.title,
            "content_text": alert.detail,
            "date_published": _rfc3339(alert.created_at),
            "tags": [alert.kind],
        }
        link = _alert_link(alert, base_url)
        if link:
            item["url"] = link
        items.append(item)
    feed = {
        "version": "https://jsonfeed.org/version/1.1",
        "title": f"nkwatch alerts: {watch.name}",
        "home_page_url": f"{base_url}/watches/{watch.id}",
        "feed_url": f"{base_url}/watches/{watch.id}/feed.json",
        "items": items,
    }
    return json.dumps(feed, ensure_ascii=False, indent=2)


def _alert_link(alert: Alert, base_url: str) -> str | None:
    if alert.story_id:
        return f"{base_url}/stories/{alert.story_id}"
    return safe_link(alert.url)


def _rfc3339(value: datetime | None) -> str:
    value = value or datetime.now(UTC)
    value = value if value.tzinfo else value.replace(tzinfo=UTC)
    return value.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def _xml_text(text: str) -> str:
    """Text without the control characters XML 1.0 cannot carry."""
    return "".join(c for c in text if c in "\t\n\r" or ord(c) >= 0x20)
