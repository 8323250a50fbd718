"""The web application: server-rendered pages and the JSON API (``/api/v1/``) over one store.

Reads through :mod:`nkwatch.web.views` (pages and API show the same data) and
:mod:`nkwatch.alerts`; every payload passes :func:`~nkwatch.web.publishable.protect_view` before
it is rendered or encoded, and pages and responses refuse any string not marked
:class:`~nkwatch.web.shown.Shown`. Read-only payloads are kept, protected, in a
:class:`~nkwatch.web.cache.ReadCache` until a run changes the store. FastAPI (on Starlette)
checks parameters and writes the OpenAPI document; Jinja2 renders pages with autoescaping;
uvicorn serves it.

Security by default: the server binds to 127.0.0.1 and only answers to loopback host names
(a page elsewhere cannot re-point its own name at the server); binding elsewhere needs an access
token, and then every page and API call needs it (``Authorization: Bearer``, ``X-Nkwatch-Token``,
or the cookie set by the login form). Forms that change state carry a CSRF token; API writes
need a JSON body (which a page elsewhere cannot send without the server's consent). Every
response carries a Content-Security-Policy without any script, ``X-Content-Type-Options``,
``Referrer-Policy`` and ``X-Frame-Options``.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import logging
import secrets
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import replace
from datetime import datetime
from importlib import resources
from typing import Annotated, Any
from urllib.parse import quote, urlencode

from fastapi import Depends, FastAPI, Form, Query, Request
from fastapi import Path as PathParam
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from jinja2 import Environment, PackageLoader
from markupsafe import Markup
from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException

from nkwatch import alerts as alerts_mod
from nkwatch.config import Settings
from nkwatch.enrich.claims import claimant_text
from nkwatch.enrich.profile import Profile, load_profile
from nkwatch.errors import NkwatchError
from nkwatch.publish.charts import measure_chart, slug, volume_chart
from nkwatch.publish.digest import MeasureChart, Point
from nkwatch.store import Store
from nkwatch.store.pool import StorePool
from nkwatch.web import views
from nkwatch.web.cache import ReadCache
from nkwatch.web.publishable import protect_view, protector, use_profile
from nkwatch.web.shown import Shown, literal, literals, require_shown

log = logging.getLogger(__name__)

API = "/api/v1"
SESSION_COOKIE = "nkwatch_session"
CSRF_COOKIE = "nkwatch_csrf"
TOKEN_HEADER = "x-nkwatch-token"
LOOPBACK_NAMES = ("127.0.0.1", "localhost", "::1", "[::1]")
#: No script at all: the pages work without JavaScript.
CSP = (
    "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; "
    "base-uri 'none'; frame-ancestors 'none'"
)
SECURITY_HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
}
#: Paths reachable without the access token (the login form and its style sheet).
_OPEN_PATHS = ("/login", "/static/web.css")

Page = Annotated[int, Query(ge=1, le=100_000, description="1-based page number")]
PerPage = Annotated[int, Query(ge=1, le=views.MAX_PER_PAGE, description="items per page")]
PageNumber = Annotated[int, Query(alias="page", ge=1, le=100_000)]
Text = Annotated[str | None, Query(max_length=200)]
When = Annotated[
    str | None, Query(max_length=40, description="a window (7d, 12h, 2w) or a date (2026-11-01)")
]
#: A stored row id: SQLite integers are 64-bit.
Id = Annotated[int, PathParam(ge=0, le=2**63 - 1)]
MinSources = Annotated[int, Query(ge=0, le=1000, description="independent sources at least")]


def story_query(
    theme: Text = None,
    entity: Text = None,
    outlet: Text = None,
    language: Text = None,
    min_sources: MinSources = 0,
    storyline: Annotated[
        str | None,
        Query(max_length=19, description="only stories of this storyline (its id); empty: any"),
    ] = None,
    since: When = None,
    until: When = None,
) -> views.StoryQuery:
    """The story filters of one request (the stories page and the API take the same ones)."""
    return views.StoryQuery.parse(
        theme=theme,
        entity=entity,
        outlet=outlet,
        language=language,
        min_sources=min_sources,
        storyline=storyline,
        since=since,
        until=until,
    )


Stories = Annotated[views.StoryQuery, Depends(story_query)]


class WatchIn(BaseModel):
    """A watch rule as the API takes it (every set field must hold)."""

    name: str | None = Field(None, max_length=alerts_mod.MAX_RULE_CHARS)
    entity: str | None = Field(None, max_length=alerts_mod.MAX_RULE_CHARS)
    theme: str | None = Field(None, max_length=alerts_mod.MAX_RULE_CHARS)
    measure: str | None = Field(None, max_length=alerts_mod.MAX_RULE_CHARS)
    keyword: str | None = Field(None, max_length=alerts_mod.MAX_RULE_CHARS)
    outlet: str | None = Field(None, max_length=alerts_mod.MAX_RULE_CHARS)
    min_sources: int = Field(0, ge=0, le=1000)
    source: str | None = Field(None, max_length=alerts_mod.MAX_RULE_CHARS)
    silent_days: int | None = Field(None, ge=1, le=3650)
    webhook: str | None = Field(None, max_length=alerts_mod.MAX_RULE_CHARS)


def is_loopback(host: str) -> bool:
    """Whether binding to ``host`` keeps the server on this machine."""
    if host in ("localhost", "[::1]"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _session_value(token: str) -> str:
    return hmac.new(token.encode(), b"nkwatch-session", hashlib.sha256).hexdigest()


def _environment() -> Environment:
    env = Environment(
        loader=PackageLoader("nkwatch.web", "templates"),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["day"] = lambda value: (value or "")[:10]
    env.filters["claimant"] = lambda value: claimant_text(value) if value else value
    env.filters["moment"] = lambda value: (value or "")[:16].replace("T", " ")
    return env


def _page_url(request: Request, page: int) -> str:
    params = [(k, v) for k, v in request.query_params.multi_items() if k != "page"]
    return f"{request.url.path}?{urlencode([*params, ('page', str(page))])}"


def _chart(measure: dict[str, Any]) -> Markup:
    """A measure's chart, drawn from its already protected reports."""
    points = tuple(
        Point(datetime.fromisoformat(r["published"]), r["value"], r["value_max"], r["outlet"])
        for r in measure["reports"]
        if r["published"]
    )
    chart = MeasureChart(measure["id"], measure["label"], measure["unit"], points)
    # measure_chart escapes every label it writes.
    return Markup(measure_chart(chart, element_id=f"measure-{slug(measure['id'])}"))


def _mentions_chart(entity: dict[str, Any]) -> Markup:
    days = tuple((d["day"], d["articles"]) for d in entity["per_day"])
    chart = volume_chart([("mentions", entity["name"], days)], element_id="mentions")
    return Markup(chart)  # volume_chart escapes every label


def _error_message(exc: RequestValidationError) -> str:
    parts = []
    for error in exc.errors():
        where = [str(p) for p in error.get("loc", ()) if p not in ("query", "body", "path")]
        kind = {"query": "query parameter", "path": "path parameter"}.get(
            str(error.get("loc", ("",))[0]), "field"
        )
        name = ".".join(where) or "body"
        parts.append(f"{kind} {name!r}: {error.get('msg', 'invalid')}")
    return "; ".join(parts) or "invalid request"


def create_app(
    settings: Settings,
    *,
    token: str | None = None,
    allowed_hosts: Sequence[str] | None = None,
    profile: Profile | None = None,
) -> FastAPI:
    """The application over ``settings.db_path``.

    ``token``: when set, every page and API call needs it. ``allowed_hosts``: the ``Host``
    header values answered (``None``: any).
    """
    app = FastAPI(
        title="nkwatch",
        version="1",
        description="Stories, articles, figures, entities, search, sources, watches and alerts.",
        openapi_url=f"{API}/openapi.json",
        docs_url=None,
        redoc_url=None,
    )
    env = _environment()
    chosen_profile = profile or load_profile(settings.enrich.profile or None)
    use_profile(chosen_profile)  # every page and response protects with this profile's people
    session = _session_value(token) if token else None
    hosts = {h.lower() for h in allowed_hosts} if allowed_hosts is not None else None
    css = (resources.files("nkwatch.web") / "static" / "web.css").read_text(encoding="utf-8")

    # The profile's own labels (configuration, not scraped text).
    theme_choices = literals([(t.id, t.label) for t in chosen_profile.themes])
    theme_labels = literals({t.id: t.label for t in chosen_profile.themes})

    cache = ReadCache()
    app.state.read_cache = cache

    def read(store: Store, key: tuple[Any, ...], build: Callable[[], Any]) -> Any:
        """A read-only view's protected payload, built once per data version of the store."""
        return cache.get(
            views.data_version(store),
            key,
            lambda: require_shown(protect_view(build()), where=str(key[0])),
        )

    stores = StorePool(settings.db_path)  # a server store's connection serves many requests
    app.router.on_shutdown.append(stores.close)

    @contextmanager
    def open_store() -> Iterator[Store]:
        with stores.borrow() as store:
            protector().use_store(store)  # articles' stored protection analyses are read back
            try:
                yield store
            finally:
                protector().use_store(None)

    def authorized(request: Request) -> bool:
        if token is None:
            return True
        offered = request.headers.get(TOKEN_HEADER)
        bearer = request.headers.get("authorization", "")
        if bearer.lower().startswith("bearer "):
            offered = bearer[7:].strip()
        if offered is not None:
            return hmac.compare_digest(offered.encode(), token.encode())
        cookie = request.cookies.get(SESSION_COOKIE)
        return cookie is not None and session is not None and hmac.compare_digest(cookie, session)

    def wants_json(request: Request) -> bool:
        return request.url.path.startswith(f"{API}/") or request.url.path == API

    def error_response(request: Request, status: int, message: str) -> Response:
        if wants_json(request):
            return JSONResponse({"error": {"status": status, "message": message}}, status)
        # Messages name the bad parameter and echo the reader's own input, never scraped text.
        return page(
            request,
            "error.html",
            status=status,
            title=literal(f"Error {status}"),
            message=literal(message),
        )

    def page(request: Request, template: str, *, status: int = 200, **context: Any) -> Response:
        """A rendered page; every string in ``context`` must be cleared to be shown."""
        require_shown(context, where=template)
        html = env.get_template(template).render(
            request_path=literal(request.url.path),  # the reader's own request
            csrf=literal(getattr(request.state, "csrf", "")),
            locked=token is not None,
            page_url=lambda n: Shown(_page_url(request, n)),
            **context,
        )
        return HTMLResponse(html, status)

    def api(data: Any) -> JSONResponse:
        return JSONResponse(require_shown(protect_view(data), where="response"))

    def cleared(data: Any) -> JSONResponse:
        """A response of a payload :func:`read` protected and checked when it built it."""
        return JSONResponse(data)

    def check_csrf(request: Request, offered: str) -> None:
        expected = request.cookies.get(CSRF_COOKIE)
        if not expected or not offered or not hmac.compare_digest(expected, offered):
            raise HTTPException(403, "the form's CSRF token is missing or stale; reload the page")

    @app.middleware("http")
    async def guard(request: Request, call_next: Any) -> Response:
        host = (request.headers.get("host") or "").rsplit(":", 1)[0].lower()
        if request.headers.get("host", "").startswith("["):
            host = request.headers["host"].split("]")[0] + "]"
        response: Response
        if hosts is not None and host not in hosts:
            response = JSONResponse(
                {"error": {"status": 400, "message": f"unknown host {host[:80]!r}"}}, 400
            )
        elif not authorized(request) and request.url.path not in _OPEN_PATHS:
            if wants_json(request):
                response = JSONResponse(
                    {
                        "error": {
                            "status": 401,
                            "message": "an access token is needed: send 'Authorization: "
                            "Bearer TOKEN' or the X-Nkwatch-Token header",
                        }
                    },
                    401,
                )
            else:
                target = quote(request.url.path, safe="/")
                response = RedirectResponse(f"/login?next={target}", 303)
        else:
            csrf = request.cookies.get(CSRF_COOKIE)
            request.state.csrf = csrf or secrets.token_urlsafe(32)
            response = await call_next(request)
            if not csrf:
                response.set_cookie(
                    CSRF_COOKIE, request.state.csrf, httponly=True, samesite="strict", path="/"
                )
        for name, value in SECURITY_HEADERS.items():
            response.headers[name] = value
        return response

    @app.exception_handler(RequestValidationError)
    async def bad_request(request: Request, exc: RequestValidationError) -> Response:
        return error_response(request, 400, _error_message(exc))

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, exc: HTTPException) -> Response:
        return error_response(request, exc.status_code, str(exc.detail))

    @app.exception_handler(views.BadParameter)
    async def bad_parameter(request: Request, exc: views.BadParameter) -> Response:
        return error_response(request, 400, str(exc))

    @app.exception_handler(alerts_mod.WatchError)
    async def bad_watch(request: Request, exc: alerts_mod.WatchError) -> Response:
        status = 404 if str(exc).startswith("no watch") else 400
        return error_response(request, status, str(exc))

    @app.exception_handler(views.NotFound)
    async def not_found(request: Request, exc: views.NotFound) -> Response:
        return error_response(request, 404, str(exc))

    @app.exception_handler(NkwatchError)
    async def nkwatch_error(request: Request, exc: NkwatchError) -> Response:
        return error_response(request, 503, f"the store cannot answer: {exc}")

    def read_stories(store: Store, query: views.StoryQuery, paging: views.Paging) -> Any:
        # Keyed on the window as written ("7d"), which the cache's age limit keeps current.
        key = ("stories", replace(query, since=None, until=None), paging)
        return read(store, key, lambda: views.stories(store, query, paging))

    def read_search(
        store: Store,
        q: str,
        paging: views.Paging,
        *,
        outlet: str | None,
        language: str | None,
        since: str | None,
        until: str | None,
    ) -> Any:
        end = views.parse_when(until, name="until")
        start = views.parse_when(since, name="since", until=end)
        key = ("search", q, outlet or None, language or None, since, until, paging)
        return read(
            store,
            key,
            lambda: views.search(
                store,
                q,
                paging,
                outlet=outlet or None,
                language=language or None,
                since=start,
                until=end,
            ),
        )

    # -- pages ----------------------------------------------------------------------------

    @app.get("/static/web.css", include_in_schema=False)
    def stylesheet() -> Response:
        return Response(css, media_type="text/css", headers={"Cache-Control": "max-age=3600"})

    @app.get("/login", include_in_schema=False)
    def login_form(request: Request, next: str = "/") -> Response:
        return page(
            request, "login.html", title=literal("Sign in"), next=literal(next), message=None
        )

    @app.post("/login", include_in_schema=False)
    def login(
        request: Request,
        token_field: Annotated[str, Form(alias="token", max_length=500)] = "",
        csrf: Annotated[str, Form(max_length=200)] = "",
        next: Annotated[str, Form(max_length=500)] = "/",
    ) -> Response:
        check_csrf(request, csrf)
        target = next if next.startswith("/") and not next.startswith("//") else "/"
        if token is None:
            return RedirectResponse(target, 303)
        if not hmac.compare_digest(token_field.encode(), token.encode()):
            return page(
                request,
                "login.html",
                status=403,
                title=literal("Sign in"),
                next=literal(target),
                message=literal("That access token is not right."),
            )
        response = RedirectResponse(target, 303)
        response.set_cookie(
            SESSION_COOKIE, session or "", httponly=True, samesite="strict", path="/"
        )
        return response

    @app.get("/", include_in_schema=False)
    def today_page(request: Request, since: When = None) -> Response:
        window = since or settings.run.digest_since
        with open_store() as store:
            data = read(
                store, ("today", window), lambda: views.today(store, chosen_profile, since=window)
            )
        return page(
            request, "today.html", title=literal("Today"), digest=data, window=literal(window)
        )

    @app.get("/stories", include_in_schema=False)
    def stories_page(
        request: Request,
        query: Stories,
        page_number: PageNumber = 1,
        per_page: PerPage = 20,
    ) -> Response:
        with open_store() as store:
            data = read_stories(store, query, views.Paging(page_number, per_page))
        form = literals(query.form())  # the reader's own filters, echoed
        return page(
            request,
            "stories.html",
            title=literal("Stories"),
            result=data,
            form=form,
            themes=theme_choices,
        )

    @app.get("/stories/{story_id}", include_in_schema=False)
    def story_page(request: Request, story_id: Id) -> Response:
        with open_store() as store:
            data = read(
                store, ("story", story_id), lambda: views.story(store, chosen_profile, story_id)
            )
        return page(request, "story.html", title=data["title"], story=data, labels=theme_labels)

    @app.get("/articles/{article_id}", include_in_schema=False)
    def article_page(request: Request, article_id: Id) -> Response:
        with open_store() as store:
            data = read(store, ("article", article_id), lambda: views.article(store, article_id))
        title = data["title"] or literal("Article")
        return page(request, "article.html", title=title, article=data)

    def figures_response(request: Request, measure: str | None, since: str | None) -> Response:
        """The figures page, of every measure or of one, with the window it shows."""
        with open_store() as store:
            data = read(
                store,
                ("figures", measure, since),
                lambda: views.figures(store, chosen_profile, measure=measure, since=since),
            )
            start = views.figures_window(store, since)
        charts = {m["id"]: _chart(m) for m in data}
        return page(
            request,
            "figures.html",
            title=literal("Figures") if measure is None else data[0]["label"],
            measures=data,
            charts=charts,
            start=literal(start.date().isoformat()) if start else None,
            since=literal(since) if since else None,
        )

    @app.get("/figures", include_in_schema=False)
    def figures_page(request: Request, since: When = None) -> Response:
        return figures_response(request, None, since)

    @app.get("/figures/{measure}", include_in_schema=False)
    def measure_page(request: Request, measure: str, since: When = None) -> Response:
        return figures_response(request, measure, since)

    @app.get("/entities", include_in_schema=False)
    def entities_page(
        request: Request,
        page_number: PageNumber = 1,
        per_page: PerPage = 50,
    ) -> Response:
        with open_store() as store:
            paging = views.Paging(page_number, per_page)
            data = read(store, ("entities", paging), lambda: views.entities(store, paging))
        return page(request, "entities.html", title=literal("Entities"), result=data)

    @app.get("/entities/{name}", include_in_schema=False)
    def entity_page(request: Request, name: str) -> Response:
        with open_store() as store:
            data = read(store, ("entity", name[:200]), lambda: views.entity(store, name[:200]))
        return page(
            request, "entity.html", title=data["name"], entity=data, chart=_mentions_chart(data)
        )

    @app.get("/search", include_in_schema=False)
    def search_page(
        request: Request,
        q: Annotated[str, Query(max_length=500)] = "",
        outlet: Text = None,
        language: Text = None,
        since: When = None,
        until: When = None,
        page_number: PageNumber = 1,
        per_page: PerPage = 20,
    ) -> Response:
        views.parse_when(since, name="since", until=views.parse_when(until, name="until"))
        data = None
        if q.strip():
            with open_store() as store:
                data = read_search(
                    store,
                    q,
                    views.Paging(page_number, per_page),
                    outlet=outlet,
                    language=language,
                    since=since,
                    until=until,
                )
        form = literals(  # the reader's own query, echoed
            {
                "q": q,
                "outlet": outlet or "",
                "language": language or "",
                "since": since or "",
                "until": until or "",
            }
        )
        return page(request, "search.html", title=literal("Search"), result=data, form=form)

    @app.get("/sources", include_in_schema=False)
    def sources_page(request: Request) -> Response:
        with open_store() as store:
            data = protect_view(views.sources(store))
        return page(request, "sources.html", title=literal("Sources"), data=data)

    def watches_data(store: Store) -> dict[str, Any]:
        return {
            "watches": [_watch_dict(w) for w in alerts_mod.list_watches(store)],
            "alerts": [a.to_dict() for a in alerts_mod.list_alerts(store, limit=50)],
        }

    @app.get("/watches", include_in_schema=False)
    def watches_page(request: Request) -> Response:
        with open_store() as store:
            data = protect_view(watches_data(store))
        return page(
            request,
            "watches.html",
            title=literal("Watches and alerts"),
            data=data,
            message=None,
            themes=theme_choices,
            measures=literals([(m.id, m.label) for m in chosen_profile.measures]),
        )

    @app.post("/watches", include_in_schema=False)
    def add_watch_form(
        request: Request,
        csrf: Annotated[str, Form(max_length=200)] = "",
        name: Annotated[str, Form(max_length=200)] = "",
        entity: Annotated[str, Form(max_length=200)] = "",
        theme: Annotated[str, Form(max_length=200)] = "",
        measure: Annotated[str, Form(max_length=200)] = "",
        keyword: Annotated[str, Form(max_length=200)] = "",
        outlet: Annotated[str, Form(max_length=200)] = "",
        min_sources: Annotated[int, Form(ge=0, le=1000)] = 0,
        source: Annotated[str, Form(max_length=200)] = "",
        silent_days: Annotated[str, Form(max_length=5)] = "",
        webhook: Annotated[str, Form(max_length=200)] = "",
    ) -> Response:
        check_csrf(request, csrf)
        watch = alerts_mod.make_watch(
            name=name,
            entity=entity,
            theme=theme,
            measure=measure,
            keyword=keyword,
            outlet=outlet,
            min_sources=min_sources,
            source=source,
            silent_days=_days(silent_days),
            webhook=webhook,
            profile=chosen_profile,
            allow_networks=settings.fetch.allow_networks,
        )
        with open_store() as store:
            stored = alerts_mod.add_watch(store, watch)
        return RedirectResponse(f"/watches/{stored.id}", 303)

    @app.post("/watches/{watch_id}/delete", include_in_schema=False)
    def remove_watch_form(
        request: Request, watch_id: Id, csrf: Annotated[str, Form(max_length=200)] = ""
    ) -> Response:
        check_csrf(request, csrf)
        with open_store() as store:
            alerts_mod.remove_watch(store, watch_id)
        return RedirectResponse("/watches", 303)

    @app.get("/watches/{watch_id}", include_in_schema=False)
    def watch_page(request: Request, watch_id: Id) -> Response:
        with open_store() as store:
            watch = alerts_mod.get_watch(store, watch_id)
            data = protect_view(
                {
                    "watch": _watch_dict(watch),
                    "alerts": [
                        a.to_dict()
                        for a in alerts_mod.list_alerts(store, watch_id=watch_id, limit=100)
                    ],
                }
            )
        return page(request, "watch.html", title=data["watch"]["name"], data=data)

    def protected_alerts(store: Store, watch_id: int) -> list[alerts_mod.Alert]:
        found = alerts_mod.list_alerts(store, watch_id=watch_id, limit=100)
        result = []
        for alert in found:
            shown = protect_view({"title": alert.title, "detail": alert.detail, "url": alert.url})
            result.append(replace(alert, **shown))
        return result

    @app.get("/watches/{watch_id}/feed.atom", include_in_schema=False)
    def watch_atom(request: Request, watch_id: Id) -> Response:
        with open_store() as store:
            watch = alerts_mod.get_watch(store, watch_id)
            shown = protected_alerts(store, watch_id)
        base = str(request.base_url).rstrip("/")
        return Response(
            alerts_mod.atom_feed(watch, shown, base_url=base),
            media_type="application/atom+xml",
        )

    @app.get("/watches/{watch_id}/feed.json", include_in_schema=False)
    def watch_json_feed(request: Request, watch_id: Id) -> Response:
        with open_store() as store:
            watch = alerts_mod.get_watch(store, watch_id)
            shown = protected_alerts(store, watch_id)
        base = str(request.base_url).rstrip("/")
        return Response(
            alerts_mod.json_feed(watch, shown, base_url=base), media_type="application/feed+json"
        )

    # -- JSON API -------------------------------------------------------------------------

    @app.get(f"{API}/digest", tags=["digest"])
    def api_digest(since: When = None) -> JSONResponse:
        """The current digest: stories of the window ending at the newest article."""
        with open_store() as store:
            window = since or settings.run.digest_since
            return cleared(
                read(
                    store,
                    ("today", window),
                    lambda: views.today(store, chosen_profile, since=window),
                )
            )

    @app.get(f"{API}/stories", tags=["stories"])
    def api_stories(
        query: Stories,
        page_number: PageNumber = 1,
        per_page: PerPage = 20,
    ) -> JSONResponse:
        """Stories active in a window, most independent sources first, filtered and paged."""
        with open_store() as store:
            return cleared(read_stories(store, query, views.Paging(page_number, per_page)))

    @app.get(f"{API}/stories/{{story_id}}", tags=["stories"])
    def api_story(story_id: Id) -> JSONResponse:
        """One story: summary, timeline, figures, entities, outlets."""
        with open_store() as store:
            return cleared(
                read(
                    store,
                    ("story", story_id),
                    lambda: views.story(store, chosen_profile, story_id),
                )
            )

    @app.get(f"{API}/articles", tags=["articles"])
    def api_articles(
        outlet: Text = None,
        since: When = None,
        until: When = None,
        page_number: PageNumber = 1,
        per_page: PerPage = 20,
    ) -> JSONResponse:
        """Articles newest first, in the export schema (docs/export-schema.md)."""
        end = views.parse_when(until, name="until")
        start = views.parse_when(since, name="since", until=end)
        paging = views.Paging(page_number, per_page)
        with open_store() as store:
            return cleared(
                read(
                    store,
                    ("articles", paging, outlet or None, since, until),
                    lambda: views.articles(
                        store, paging, outlet=outlet or None, since=start, until=end
                    ),
                )
            )

    @app.get(f"{API}/articles/{{article_id}}", tags=["articles"])
    def api_article(article_id: Id) -> JSONResponse:
        """One article in the export schema."""
        with open_store() as store:
            return cleared(
                read(store, ("article", article_id), lambda: views.article(store, article_id))
            )

    @app.get(f"{API}/figures", tags=["figures"])
    def api_figures(since: When = None) -> JSONResponse:
        """Every tracked measure with its reports (claims) over time and disagreements: the
        half year before the newest article, or from ``since`` (a date, or a window such as
        365d counted back from the newest article)."""
        with open_store() as store:
            return cleared(
                {
                    "items": read(
                        store,
                        ("figures", None, since),
                        lambda: views.figures(store, chosen_profile, since=since),
                    )
                }
            )

    @app.get(f"{API}/figures/{{measure}}", tags=["figures"])
    def api_measure(
        measure: Annotated[str, PathParam(max_length=200)], since: When = None
    ) -> JSONResponse:
        """One measure's reports and disagreements (over the period ``since`` chooses, as for
        every measure)."""
        with open_store() as store:
            found = read(
                store,
                ("figures", measure, since),
                lambda: views.figures(store, chosen_profile, measure=measure, since=since),
            )
            return cleared(found[0])

    @app.get(f"{API}/entities", tags=["entities"])
    def api_entities(
        page_number: PageNumber = 1,
        per_page: PerPage = 50,
    ) -> JSONResponse:
        """Known entities by how many articles mention them."""
        paging = views.Paging(page_number, per_page)
        with open_store() as store:
            return cleared(read(store, ("entities", paging), lambda: views.entities(store, paging)))

    @app.get(f"{API}/entities/{{name}}", tags=["entities"])
    def api_entity(name: str) -> JSONResponse:
        """One entity: mentions per day, stories, latest articles."""
        with open_store() as store:
            return cleared(
                read(store, ("entity", name[:200]), lambda: views.entity(store, name[:200]))
            )

    @app.get(f"{API}/search", tags=["search"])
    def api_search(
        q: Annotated[str, Query(min_length=1, max_length=500, description="search terms")],
        outlet: Text = None,
        language: Text = None,
        since: When = None,
        until: When = None,
        page_number: PageNumber = 1,
        per_page: PerPage = 20,
    ) -> JSONResponse:
        """Full-text search over titles and text; snippets as runs with matches flagged."""
        if not q.strip():
            raise HTTPException(400, "query parameter 'q' must contain a search term")
        with open_store() as store:
            return cleared(
                read_search(
                    store,
                    q,
                    views.Paging(page_number, per_page),
                    outlet=outlet,
                    language=language,
                    since=since,
                    until=until,
                )
            )

    @app.get(f"{API}/sources", tags=["sources"])
    def api_sources(
        limit: Annotated[int, Query(ge=1, le=500)] = 50,
    ) -> JSONResponse:
        """Stored counts, runs, fetch log, rejections and quarantined articles."""
        with open_store() as store:
            return api(views.sources(store, limit=limit))

    @app.get(f"{API}/watches", tags=["watches"])
    def api_watches() -> JSONResponse:
        """Every watch rule."""
        with open_store() as store:
            return api({"items": [_watch_dict(w) for w in alerts_mod.list_watches(store)]})

    @app.post(f"{API}/watches", tags=["watches"], status_code=201)
    def api_add_watch(request: Request, body: WatchIn) -> JSONResponse:
        """Add a watch rule (JSON body)."""
        if not request.headers.get("content-type", "").startswith("application/json"):
            raise HTTPException(415, "send the watch as JSON (Content-Type: application/json)")
        watch = alerts_mod.make_watch(
            **body.model_dump(),
            profile=chosen_profile,
            allow_networks=settings.fetch.allow_networks,
        )
        with open_store() as store:
            stored = alerts_mod.add_watch(store, watch)
        response = api(_watch_dict(stored))
        response.status_code = 201
        return response

    @app.get(f"{API}/watches/{{watch_id}}", tags=["watches"])
    def api_watch(watch_id: Id) -> JSONResponse:
        """One watch rule."""
        with open_store() as store:
            return api(_watch_dict(alerts_mod.get_watch(store, watch_id)))

    @app.delete(f"{API}/watches/{{watch_id}}", tags=["watches"], status_code=204)
    def api_remove_watch(watch_id: Id) -> Response:
        """Delete a watch and its alerts."""
        with open_store() as store:
            alerts_mod.remove_watch(store, watch_id)
        return Response(status_code=204)

    @app.get(f"{API}/alerts", tags=["alerts"])
    def api_alerts(
        watch: Annotated[int | None, Query(ge=1, description="only this watch's alerts")] = None,
        page_number: PageNumber = 1,
        per_page: PerPage = 50,
    ) -> JSONResponse:
        """Alerts, newest first."""
        paging = views.Paging(page_number, per_page)
        with open_store() as store:
            if watch is not None:
                alerts_mod.get_watch(store, watch)
            found = alerts_mod.list_alerts(
                store, watch_id=watch, limit=per_page + 1, offset=paging.offset
            )
        items = [a.to_dict() for a in found[:per_page]]
        return api(
            {
                "items": items,
                "page": paging.page,
                "per_page": per_page,
                "total": None,
                "has_next": len(found) > per_page,
            }
        )

    @app.api_route(
        f"{API}/{{rest:path}}",
        methods=["GET", "POST", "PUT", "DELETE", "PATCH"],
        include_in_schema=False,
    )
    def api_unknown(rest: str) -> Response:
        raise HTTPException(404, f"no API endpoint {API}/{rest[:100]}")

    return app


def _days(value: str) -> int | None:
    """The form's silent-days field: empty is none, anything else a whole number."""
    if not value.strip():
        return None
    if not value.strip().isdigit():
        raise alerts_mod.WatchError(f"silent days must be a whole number, not {value!r}")
    return int(value)


def _watch_dict(watch: alerts_mod.Watch) -> dict[str, Any]:
    return {
        "id": watch.id,
        "name": watch.name,
        "rule": watch.describe(),
        "entity": watch.entity,
        "theme": watch.theme,
        "measure": watch.measure,
        "keyword": watch.keyword,
        "outlet": watch.outlet,
        "min_sources": watch.min_sources,
        "source": watch.source,
        "silent_days": watch.silent_days,
        "webhook": watch.webhook,
        "created_at": watch.created_at.isoformat() if watch.created_at else None,
        "feeds": {
            "atom": f"/watches/{watch.id}/feed.atom",
            "json": f"/watches/{watch.id}/feed.json",
        },
    }


def serve(
    settings: Settings, *, host: str = "127.0.0.1", port: int = 8080, token: str | None = None
) -> None:
    """Run the server until interrupted; binding beyond loopback needs ``token``."""
    import uvicorn

    if not is_loopback(host) and not token:
        raise NkwatchError(
            f"binding to {host} makes the desk reachable from other machines: set an access "
            "token with --token or NKWATCH_TOKEN (or bind to 127.0.0.1)"
        )
    allowed = None if token else [*LOOPBACK_NAMES, host.lower()]
    app = create_app(settings, token=token, allowed_hosts=allowed)
    # Load the protection models now (the Korean analyser takes seconds), not on a first page.
    log.info("loading the identity-protection models")
    protector().analyse("북한 평양에서 김정은 위원장이 말했다. Pyongyang said on Monday.")
    uvicorn.run(app, host=host, port=port, log_level="info", server_header=False)
