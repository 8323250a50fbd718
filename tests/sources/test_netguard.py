"""The address guard: no request reaches a non-public address unless its network is allowed.

Every "reachable" form below points at a real server on loopback that counts connections; with
``allow_networks`` empty it must see none, for pages, redirect hops and robots.txt alike.
"""

from __future__ import annotations

import ipaddress
import sqlite3
import ssl
from collections.abc import Callable, Iterator, Sequence
from dataclasses import replace
from pathlib import Path

import httpx
import pytest
import trustme
from hypothesis import given
from hypothesis import strategies as st

from nkwatch.config import load_settings
from nkwatch.errors import FetchError, Reason
from nkwatch.pipeline import Pipeline
from nkwatch.sources.http import Fetcher, FetchSettings, InMemoryValidatorStore
from nkwatch.sources.netguard import AddressPolicy, parse_networks, system_resolver
from nkwatch.store import SQLiteStore

from .conftest import RawServer, http_response, routes

ROBOTS = http_response(200, b"User-agent: *\nDisallow:\n", {"Content-Type": "text/plain"})
SECRET = http_response(200, b"secret-key-material", {"Content-Type": "text/plain"})


def fetcher_for(
    *,
    allow: Sequence[str] = (),
    resolver: Callable[[str, int], Sequence[str]] | None = None,
    robots: bool = True,
) -> Fetcher:
    settings = FetchSettings(
        allow_networks=tuple(allow),
        per_host_delay=0.0,
        max_retries=0,
        total_timeout=5.0,
        respect_robots=robots,
    )
    return Fetcher(
        settings,
        validators=InMemoryValidatorStore(),
        resolver=resolver or system_resolver,
        sleep=lambda seconds: None,
    )


@pytest.fixture
def fetch() -> Iterator[Callable[..., Fetcher]]:
    made: list[Fetcher] = []

    def make(**options: object) -> Fetcher:
        fetcher = fetcher_for(**options)  # type: ignore[arg-type]
        made.append(fetcher)
        return fetcher

    yield make
    for fetcher in made:
        fetcher.close()


@pytest.fixture
def secret_v4(raw_server: Callable[..., RawServer]) -> RawServer:
    return raw_server("127.0.0.1", routes({"/robots.txt": ROBOTS, "/admin/keys": SECRET}))


@pytest.fixture
def secret_v6(raw_server: Callable[..., RawServer]) -> RawServer:
    return raw_server("::1", routes({"/robots.txt": ROBOTS, "/admin/keys": SECRET}))


#: Spellings that reach the IPv4 loopback server (``{port}`` is its port).
LOOPBACK_V4_FORMS = [
    "127.0.0.1",
    "localhost",
    "LOCALHOST",
    "127.1",
    "127.0.1",
    "0",
    "0.0.0.0",
    "2130706433",
    "0x7f000001",
    "0x7f.0.0.1",
    "0x7f.1",
    "017700000001",
    "0177.0.0.1",
    "127.000.000.001",
    "[::ffff:127.0.0.1]",
    "[::ffff:7f00:1]",
    "[0:0:0:0:0:ffff:127.0.0.1]",
]
#: Spellings that reach the IPv6 loopback server.
LOOPBACK_V6_FORMS = ["[::1]", "[0:0:0:0:0:0:0:1]", "[0000::0001]", "[::]"]
#: Addresses that are not loopback but must be refused before any connection is tried.
OTHER_REFUSED = {
    "169.254.169.254": "link-local",
    "10.0.0.1": "private",
    "172.16.5.4": "private",
    "192.168.1.1": "private",
    "100.64.0.1": "carrier-grade NAT",
    "224.0.0.1": "multicast",
    "239.255.255.250": "multicast",
    "255.255.255.255": "reserved",
    "240.0.0.1": "reserved",
    "198.18.0.1": "special-purpose",
    "192.0.2.1": "special-purpose",
    "[fe80::1]": "link-local",
    "[fc00::1]": "unique-local",
    "[fd12:3456::1]": "unique-local",
    "[ff02::1]": "multicast",
    "[fec0::1]": "site-local",
    "[::ffff:169.254.169.254]": "IPv6 form of 169.254.169.254, a link-local",
    "[::ffff:10.0.0.1]": "IPv6 form of 10.0.0.1, a private",
    "[::127.0.0.1]": "IPv6 form of 127.0.0.1, a loopback",
    "[64:ff9b::7f00:1]": "IPv6 form of 127.0.0.1, a loopback",
    "[2002:a9fe:a9fe::1]": "IPv6 form of 169.254.169.254, a link-local",
    "[2001:db8::1]": "special-purpose",
}


def test_the_suite_covers_at_least_twenty_forms() -> None:
    assert len(LOOPBACK_V4_FORMS) + len(LOOPBACK_V6_FORMS) + len(OTHER_REFUSED) >= 20


@pytest.mark.parametrize("robots", [True, False], ids=["with-robots", "without-robots"])
def test_no_loopback_spelling_reaches_the_server(
    fetch: Callable[..., Fetcher], secret_v4: RawServer, secret_v6: RawServer, robots: bool
) -> None:
    fetcher = fetch(robots=robots)
    refused: list[str] = []
    for forms, server in ((LOOPBACK_V4_FORMS, secret_v4), (LOOPBACK_V6_FORMS, secret_v6)):
        for form in forms:
            url = f"http://{form}:{server.port}/admin/keys"
            with pytest.raises(FetchError) as caught:
                fetcher.fetch(url)
            if caught.value.reason is Reason.REFUSED_ADDRESS:
                refused.append(form)
                assert caught.value.source == url
                assert caught.value.detail.startswith("refused: ")
                assert caught.value.detail.endswith("allow it with [fetch] allow_networks")
            else:
                # httpx rejects leading-zero dotted quads as invalid URLs before any lookup.
                assert caught.value.reason is Reason.UNSUPPORTED, (form, caught.value)

    assert (secret_v4.hits, secret_v6.hits) == (0, 0)
    assert len(refused) >= len(LOOPBACK_V4_FORMS) + len(LOOPBACK_V6_FORMS) - 2


@pytest.mark.parametrize("form", sorted(OTHER_REFUSED))
def test_non_public_addresses_are_refused_before_connecting(
    fetch: Callable[..., Fetcher], form: str
) -> None:
    fetcher = fetch()

    with pytest.raises(FetchError) as caught:
        fetcher.fetch(f"http://{form}/page")

    assert caught.value.reason is Reason.REFUSED_ADDRESS
    assert OTHER_REFUSED[form] in caught.value.detail
    assert caught.value.detail.startswith("refused: ")


def test_refusal_message_names_the_address_and_the_setting(
    fetch: Callable[..., Fetcher], secret_v4: RawServer
) -> None:
    fetcher = fetch()

    with pytest.raises(FetchError) as literal:
        fetcher.fetch(f"http://127.0.0.1:{secret_v4.port}/admin/keys")
    with pytest.raises(FetchError) as named:
        fetcher.fetch(f"http://localhost:{secret_v4.port}/admin/keys")
    with pytest.raises(FetchError) as numeric:
        fetcher.fetch(f"http://2130706433:{secret_v4.port}/admin/keys")

    assert literal.value.detail == (
        "refused: 127.0.0.1 is a loopback address; allow it with [fetch] allow_networks"
    )
    assert named.value.detail == (
        "refused: localhost resolves to 127.0.0.1, a loopback address; "
        "allow it with [fetch] allow_networks"
    )
    assert "2130706433 resolves to 127.0.0.1, a loopback address" in numeric.value.detail
    assert secret_v4.hits == 0


def test_allowed_network_is_fetched(fetch: Callable[..., Fetcher], secret_v4: RawServer) -> None:
    fetcher = fetch(allow=["127.0.0.0/8"])

    result = fetcher.fetch(f"http://localhost:{secret_v4.port}/admin/keys")

    assert result.content == b"secret-key-material"
    assert secret_v4.paths == ["/robots.txt", "/admin/keys"]


def test_allowing_ipv4_loopback_also_allows_its_mapped_form(
    fetch: Callable[..., Fetcher], secret_v4: RawServer, secret_v6: RawServer
) -> None:
    fetcher = fetch(allow=["127.0.0.1/32"])

    assert fetcher.fetch(f"http://[::ffff:127.0.0.1]:{secret_v4.port}/admin/keys").status == 200
    with pytest.raises(FetchError) as caught:
        fetcher.fetch(f"http://[::1]:{secret_v6.port}/admin/keys")

    assert caught.value.reason is Reason.REFUSED_ADDRESS
    assert secret_v6.hits == 0


# -- names resolving to internal addresses ----------------------------------------------------


def fixed_resolver(table: dict[str, list[str]]) -> Callable[[str, int], list[str]]:
    """Resolve the names in ``table``; anything else goes to the system resolver."""

    def resolve(host: str, port: int) -> list[str]:
        return list(table[host]) if host in table else system_resolver(host, port)

    return resolve


def test_public_looking_name_resolving_to_loopback_is_refused(
    fetch: Callable[..., Fetcher], secret_v4: RawServer
) -> None:
    fetcher = fetch(resolver=fixed_resolver({"news.example.org": ["127.0.0.1"]}))

    with pytest.raises(FetchError) as caught:
        fetcher.fetch(f"http://news.example.org:{secret_v4.port}/admin/keys")

    assert caught.value.reason is Reason.REFUSED_ADDRESS
    assert "news.example.org resolves to 127.0.0.1, a loopback address" in caught.value.detail
    assert secret_v4.hits == 0


def test_only_vetted_addresses_of_a_name_are_connected_to(
    fetch: Callable[..., Fetcher], raw_server: Callable[..., RawServer]
) -> None:
    public = raw_server("127.0.0.2", routes({"/robots.txt": ROBOTS, "/page": SECRET}))
    internal = raw_server("127.0.0.1", routes({}), port=0)
    # 127.0.0.2 stands in for a public address; 127.0.0.1 for an internal one on the same name.
    fetcher = fetch(
        allow=["127.0.0.2/32"],
        resolver=fixed_resolver({"mixed.example.org": ["127.0.0.1", "127.0.0.2"]}),
    )

    result = fetcher.fetch(f"http://mixed.example.org:{public.port}/page")

    assert result.content == b"secret-key-material"
    assert internal.hits == 0
    assert public.paths == ["/robots.txt", "/page"]


def same_port_pair(raw_server: Callable[..., RawServer]) -> tuple[RawServer, RawServer]:
    """Servers on 127.0.0.2 and 127.0.0.1 listening on one port number."""
    page = http_response(200, b"public page")
    for _ in range(50):
        public = raw_server("127.0.0.2", routes({"/page": page}))
        try:
            internal = raw_server("127.0.0.1", routes({"/page": SECRET}), port=public.port)
        except OSError:
            public.close()
            continue
        return public, internal
    pytest.skip("no port free on both 127.0.0.1 and 127.0.0.2")


def test_dns_rebinding_between_connections_cannot_reach_the_internal_address(
    fetch: Callable[..., Fetcher], raw_server: Callable[..., RawServer]
) -> None:
    public, internal = same_port_pair(raw_server)
    answers = [["127.0.0.2"], ["127.0.0.1"]]
    asked: list[str] = []

    def rebinding(host: str, port: int) -> list[str]:
        asked.append(host)
        return answers[min(len(asked), len(answers)) - 1]

    fetcher = fetch(allow=["127.0.0.2/32"], resolver=rebinding, robots=False)
    url = f"http://rebind.example.org:{public.port}/page"

    assert fetcher.fetch(url).content == b"public page"
    with pytest.raises(FetchError) as caught:
        fetcher.fetch(url)  # the server closed the connection, so this one is new

    assert caught.value.reason is Reason.REFUSED_ADDRESS
    # One lookup per connection, and the address looked up is the one vetted and connected to.
    assert asked == ["rebind.example.org", "rebind.example.org"]
    assert (public.hits, internal.hits) == (1, 0)


# -- redirects and robots.txt -----------------------------------------------------------------

REDIRECT_TARGETS = [
    "http://127.0.0.1:{port}/admin/keys",
    "http://localhost:{port}/admin/keys",
    "http://2130706433:{port}/admin/keys",
    "http://0x7f000001:{port}/admin/keys",
    "http://[::ffff:127.0.0.1]:{port}/admin/keys",
    "http://0:{port}/admin/keys",
    "http://internal.example.org:{port}/admin/keys",
]


@pytest.mark.parametrize("target", REDIRECT_TARGETS)
def test_redirect_chain_to_loopback_is_refused_at_the_hop(
    fetch: Callable[..., Fetcher],
    raw_server: Callable[..., RawServer],
    secret_v4: RawServer,
    target: str,
) -> None:
    location = target.format(port=secret_v4.port)
    public = raw_server(
        "127.0.0.2",
        routes(
            {
                "/robots.txt": ROBOTS,
                "/story": http_response(301, headers={"Location": "/story/amp"}),
                "/story/amp": http_response(302, headers={"Location": location}),
            }
        ),
    )
    fetcher = fetch(
        allow=["127.0.0.2/32"],
        resolver=fixed_resolver(
            {"news.example.org": ["127.0.0.2"], "internal.example.org": ["127.0.0.1"]}
        ),
    )

    with pytest.raises(FetchError) as caught:
        fetcher.fetch(f"http://news.example.org:{public.port}/story")

    assert caught.value.reason is Reason.REFUSED_ADDRESS
    assert caught.value.source == location
    assert public.paths == ["/robots.txt", "/story", "/story/amp"]
    assert secret_v4.hits == 0


def test_robots_txt_redirect_to_loopback_is_refused(
    fetch: Callable[..., Fetcher], raw_server: Callable[..., RawServer], secret_v4: RawServer
) -> None:
    public = raw_server(
        "127.0.0.2",
        routes(
            {
                "/robots.txt": http_response(
                    302, headers={"Location": f"http://127.0.0.1:{secret_v4.port}/robots.txt"}
                ),
                "/page": http_response(200, b"page"),
            }
        ),
    )
    fetcher = fetch(allow=["127.0.0.2/32"])

    with pytest.raises(FetchError) as caught:
        fetcher.fetch(f"http://127.0.0.2:{public.port}/page")

    # robots.txt could not be read, so the page is not fetched either.
    assert caught.value.reason is Reason.REFUSED_ADDRESS
    assert public.paths == ["/robots.txt"]
    assert secret_v4.hits == 0


def test_robots_txt_on_a_refused_host_is_never_requested(
    fetch: Callable[..., Fetcher], secret_v4: RawServer
) -> None:
    fetcher = fetch()

    for _ in range(2):
        with pytest.raises(FetchError) as caught:
            fetcher.fetch(f"http://127.0.0.1:{secret_v4.port}/admin/keys")
        assert caught.value.reason is Reason.REFUSED_ADDRESS
        assert caught.value.source.endswith("/admin/keys")

    assert secret_v4.hits == 0


# -- the policy on its own ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "address",
    ["8.8.8.8", "1.1.1.1", "93.184.216.34", "2606:4700:4700::1111", "::ffff:8.8.8.8"],
)
def test_public_addresses_pass(address: str) -> None:
    assert AddressPolicy().refusal(ipaddress.ip_address(address)) is None


@pytest.mark.parametrize(
    ("address", "kind"),
    [
        ("127.0.0.1", "a loopback address"),
        ("0.0.0.0", "an unspecified address"),
        ("::", "an unspecified address"),
        ("100.127.255.255", "a shared (carrier-grade NAT) address"),
        ("::ffff:127.0.0.1", "an IPv6 form of 127.0.0.1, a loopback address"),
        ("64:ff9b::a9fe:a9fe", "an IPv6 form of 169.254.169.254, a link-local address"),
    ],
)
def test_refusal_kinds(address: str, kind: str) -> None:
    assert AddressPolicy().refusal(ipaddress.ip_address(address)) == kind


def test_allow_networks_are_parsed_and_bad_ones_named() -> None:
    assert parse_networks(["127.0.0.0/8", "::1", "10.1.2.3/8"]) == (
        ipaddress.ip_network("127.0.0.0/8"),
        ipaddress.ip_network("::1/128"),
        ipaddress.ip_network("10.0.0.0/8"),
    )
    with pytest.raises(ValueError, match="'localhost' is not an IP network"):
        parse_networks(["localhost"])
    with pytest.raises(ValueError, match="not an IP network"):
        FetchSettings(allow_networks=("127.0.0.0/33",))


def test_system_resolver_parses_numeric_spellings_itself() -> None:
    for spelling in ("127.1", "2130706433", "0x7f000001", "017700000001"):
        assert system_resolver(spelling, 80) == ["127.0.0.1"]


# -- end to end: a feed whose entries link inside ------------------------------------------------

ARTICLE = (
    "North Korean engineering troops began clearing mines along the border on Tuesday, "
    "according to the South Korean military. The work, which has continued for months, now "
    "covers several sections of the demilitarised zone. Officials said roughly 300 soldiers "
    "were seen at one site, though the number could not be independently confirmed."
)


def test_feed_links_into_the_host_are_refused_and_nothing_of_theirs_is_stored(
    raw_server: Callable[..., RawServer],
    secret_v4: RawServer,
    tmp_path: Path,
) -> None:
    inside = [
        f"http://127.0.0.1:{secret_v4.port}/admin/keys",
        f"http://localhost:{secret_v4.port}/admin/keys",
        f"http://[::ffff:127.0.0.1]:{secret_v4.port}/admin/keys",
        f"http://2130706433:{secret_v4.port}/admin/keys",
        "http://169.254.169.254/latest/meta-data/",
    ]
    page = (
        "<!DOCTYPE html><html><head><title>Troops clear mines</title></head><body><article>"
        f"<h1>Troops clear mines at the border</h1><p>{ARTICLE}</p></article></body></html>"
    ).encode()
    feed_items = "".join(
        f"<item><title>Item {n}</title><link>{link}</link><description>Short.</description></item>"
        for n, link in enumerate(inside)
    )
    table: dict[str, bytes] = {}
    public = raw_server("127.0.0.2", routes(table))  # filled in below, once its port is known
    own_page = f"http://127.0.0.2:{public.port}/news/mines"
    feed = (
        '<?xml version="1.0"?><rss version="2.0"><channel><title>Border Desk</title>'
        f"<link>http://127.0.0.2:{public.port}/</link>{feed_items}"
        f"<item><title>Mines</title><link>{own_page}</link><description>Short.</description>"
        "</item></channel></rss>"
    ).encode()
    table["/robots.txt"] = ROBOTS
    table["/feed.xml"] = http_response(200, feed, {"Content-Type": "application/rss+xml"})
    table["/news/mines"] = http_response(200, page, {"Content-Type": "text/html"})
    base = load_settings(db_path=str(tmp_path / "t.db"))
    fetch = replace(base.fetch, per_host_delay=0.0, max_retries=0, allow_networks=("127.0.0.2/32",))
    settings = replace(base, fetch=fetch)

    with SQLiteStore(settings.db_path) as store:
        pipeline = Pipeline(settings, store, allow_network=True)
        try:
            report = pipeline.ingest([f"http://127.0.0.2:{public.port}/feed.xml"])
        finally:
            pipeline.close()

    assert secret_v4.hits == 0
    refused = {r.source for r in report.rejections if r.reason is Reason.REFUSED_ADDRESS}
    assert refused == set(inside)
    assert report.counts["stored"] == 1
    with sqlite3.connect(settings.db_path) as db:
        tables = [row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        dump = "".join(str(db.execute(f'SELECT * FROM "{t}"').fetchall()) for t in tables)
    assert "secret-key-material" not in dump
    assert "refused-address" in dump  # the rejections are stored with their reason


# -- TLS: the socket goes to the vetted address, the name stays in SNI and Host -----------------


@pytest.fixture
def tls_site(
    raw_server: Callable[..., RawServer], monkeypatch: pytest.MonkeyPatch
) -> Iterator[Callable[[str], RawServer]]:
    """An HTTPS server on 127.0.0.1 with a certificate for a given name, trusted by the fetcher."""
    authority = trustme.CA()
    client_context = ssl.create_default_context()
    authority.configure_trust(client_context)
    # The fetcher builds its context with httpx's defaults; here it trusts the test authority.
    monkeypatch.setattr(httpx, "create_ssl_context", lambda *args, **kwargs: client_context)

    def start(name: str) -> RawServer:
        server_context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        authority.issue_cert(name).configure_cert(server_context)
        return raw_server(
            "127.0.0.1", routes({"/page": http_response(200, b"over tls")}), tls=server_context
        )

    yield start


def test_tls_connects_to_the_vetted_address_and_keeps_the_name(
    fetch: Callable[..., Fetcher], tls_site: Callable[[str], RawServer]
) -> None:
    server = tls_site("news.example.org")
    fetcher = fetch(
        allow=["127.0.0.1/32"],
        resolver=fixed_resolver({"news.example.org": ["127.0.0.1"]}),
        robots=False,
    )

    result = fetcher.fetch(f"https://news.example.org:{server.port}/page")

    assert result.content == b"over tls"
    # The certificate was checked against the name, the name went out in SNI and Host.
    assert server.sni == ["news.example.org"]
    assert f"host: news.example.org:{server.port}".encode() in server.heads[0].lower()


def test_tls_certificate_for_another_name_fails_with_a_reason(
    fetch: Callable[..., Fetcher], tls_site: Callable[[str], RawServer]
) -> None:
    server = tls_site("other.example.net")
    fetcher = fetch(
        allow=["127.0.0.1/32"],
        resolver=fixed_resolver({"news.example.org": ["127.0.0.1"]}),
        robots=False,
    )

    with pytest.raises(FetchError) as caught:
        fetcher.fetch(f"https://news.example.org:{server.port}/page")

    assert caught.value.reason is Reason.FETCH_ERROR
    assert caught.value.detail.startswith("TLS failed: ")
    assert "news.example.org" in caught.value.detail
    assert server.paths == []


# -- properties of the policy ---------------------------------------------------------------------

IPV4 = st.integers(0, 2**32 - 1).map(ipaddress.IPv4Address)
IPV6 = st.integers(0, 2**128 - 1).map(ipaddress.IPv6Address)
#: Special-purpose IPv6 prefixes, so that the search visits them and not only random addresses.
IPV6_SPECIAL = st.sampled_from(
    ["::", "::ffff:0:0", "64:ff9b::", "2002::", "2001::", "fc00::", "fe80::", "ff00::", "fec0::"]
).flatmap(
    lambda base: st.integers(0, 2**96 - 1).map(
        lambda low: ipaddress.IPv6Address(int(ipaddress.IPv6Address(base)) | low)
    )
)


@given(IPV4)
def test_ipv4_mapped_form_gets_the_verdict_of_its_ipv4_address(
    address: ipaddress.IPv4Address,
) -> None:
    mapped = ipaddress.IPv6Address(f"::ffff:{address}")
    policy = AddressPolicy()
    assert (policy.refusal(address) is None) == (policy.refusal(mapped) is None)


@given(st.one_of(IPV4, IPV6, IPV6_SPECIAL))
def test_only_global_unicast_addresses_pass(
    address: ipaddress.IPv4Address | ipaddress.IPv6Address,
) -> None:
    if AddressPolicy().refusal(address) is not None:
        return
    reached = address
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        reached = address.ipv4_mapped  # a socket to ::ffff:a.b.c.d reaches a.b.c.d
    assert reached.is_global
    assert not (reached.is_multicast or reached.is_loopback or reached.is_link_local)
    assert not reached.is_private and not reached.is_reserved


@given(st.integers(0, 2**24 - 1))
def test_an_allowed_network_is_allowed_whole(offset: int) -> None:
    address = ipaddress.IPv4Address(int(ipaddress.IPv4Address("10.0.0.0")) + offset)
    policy = AddressPolicy.from_strings(["10.0.0.0/8"])
    assert policy.refusal(address) is None
    assert policy.refusal(ipaddress.IPv6Address(f"::ffff:{address}")) is None
    assert AddressPolicy().refusal(address) == "a private address"
