"""Every publisher's output of a store seeded with private people leaks none of their values.

Three pages from two outlets tell of one defector (name in Latin and Hangul, age and town,
phone, KakaoTalk ID, e-mail, street address) and a broker (WeChat ID, a phone with spaces).
Each command that publishes is run over the store, and every output is searched for each value,
raw and JSON-escaped; the record fields the stage protects are walked one by one as well.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from nkwatch.cli import cli
from nkwatch.enrich.profile import load_profile
from nkwatch.protect import Protector
from nkwatch.protect.stage import RECORD_TEXT_FIELDS, protect_fields, protect_row
from nkwatch.publish.digest import FORMATS
from nkwatch.publish.export import export_rows
from nkwatch.store import SQLiteStore

PAGE = """<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8">
<title>{title} | {outlet}</title>
<meta property="article:published_time" content="{date}T06:00:00+00:00">
<link rel="canonical" href="https://{host}/{slug}"></head>
<body><article><h1>{title}</h1>{body}</article></body></html>"""

PAGES = [
    (
        "ledger.example",
        "Border Ledger",
        # the outlet's link spells the defector's name and town
        "pak-mi-ran-of-suwon-says-a-caller-knew-her-number",
        "2026-11-18",
        "Pak Mi-ran says a caller from home knew her number",
        "<p>Pak Mi-ran (박미란), a 39-year-old defector who now lives in Suwon, said the caller "
        "knew her phone number, 010-3381-2290, and her KakaoTalk ID, miran_sw85. Pak said the "
        "broker who once carried money to her mother in Musan, Jin Meihua, was arrested in China "
        "in March.</p><p>Jin kept the numbers of about 40 defectors on her phone, which also "
        "held her WeChat account, meihua_tumen77, and a second number, +86 139 4432 1087.</p>"
        "<p>The ministry said it could not confirm the account, and officials declined to "
        "comment on the calls described by the families, several of whom have moved since.</p>",
    ),
    (
        "tumen.example",
        "Tumen Watch",
        "broker-phone",
        "2026-11-19",
        "Arrested broker's phone exposed defectors, says Pak Mi-ran",
        "<p>A defector in Suwon, Pak Mi-ran, said on Wednesday that the arrest of the broker "
        "Jin Meihua in China had exposed her phone number, 010-3381-2290, to callers from the "
        "North. Mi-ran, 39, asked that her e-mail, miran.pak85@gmail.com, not be shared.</p>"
        "<p>She has since moved from her flat at 27 Nonhyeon-ro, Namdong-gu. The ministry said "
        "it could not confirm the arrest, and officials declined to comment on the calls.</p>",
    ),
    (
        "tumen.example",
        "Tumen Watch",
        "hangul",
        "2026-11-20",
        "탈북민 박미란 씨 \u201c보위성 전화 받았다\u201d",
        "<p>탈북민 박미란(39) 씨는 체포된 브로커의 휴대전화에 자신의 번호 010-3381-2290이 "
        "저장돼 있었다고 말했다. 미란 씨는 수원에 산다. 그는 지난달 보위성 요원이라는 남성에게서 "
        "어머니의 안부를 묻는 전화를 받았다고 했다. 통일부는 사실을 확인할 수 없다고 밝혔으며, "
        "관계 당국은 탈북민 연락처 유출 경위를 조사하고 있다고 전했다.</p>",
    ),
]
PRIVATE = (
    "Pak Mi-ran",
    "Mi-ran",
    "박미란",
    "미란",
    "010-3381-2290",
    "miran_sw85",
    "miran.pak85@gmail.com",
    "27 Nonhyeon-ro",
    "Jin Meihua",
    "meihua_tumen77",
    "+86 139 4432 1087",
    "Suwon",
    "수원",
)


def invoke(db: Path, *args: str) -> str:
    result = CliRunner().invoke(cli, ["--db", str(db), *args], catch_exceptions=False)
    assert result.exit_code == 0, (args, result.output)
    return result.output


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("seeded")
    for host, outlet, slug, date, title, body in PAGES:
        lang = "ko" if slug == "hangul" else "en"
        (folder / f"{slug}.html").write_text(
            PAGE.format(
                lang=lang, title=title, outlet=outlet, date=date, host=host, slug=slug, body=body
            ),
            encoding="utf-8",
        )
    path = folder / "p.db"
    invoke(path, "ingest", str(folder))
    return path


def _slug(value: str) -> str:
    """A value as a link's path spells it: "pak-mi-ran"."""
    return "-".join(re.findall(r"[^\W_]+", value.casefold()))


def _leaks(output: str) -> list[str]:
    return [
        value
        for value in PRIVATE
        if value in output
        or json.dumps(value, ensure_ascii=True)[1:-1] in output
        or _slug(value) in output.casefold()
    ]


def test_the_values_are_stored_so_the_checks_can_fail(db: Path) -> None:
    with SQLiteStore(db) as store:
        stored = "\n".join(f"{a.title}\n{a.text}" for a in store.iter_articles())
    assert not [v for v in PRIVATE if v not in stored]
    assert set(_leaks(invoke(db, "export", "--unprotected"))) == set(PRIVATE)


COMMANDS = [
    ("export",),
    ("export", "--format", "csv"),
    ("stories", "--since", "2026-11-01", "--until", "2026-11-30"),
    ("stories", "--json", "--since", "2026-11-01", "--until", "2026-11-30"),
    ("storylines", "--min-stories", "1"),
    ("storylines", "--json", "--min-stories", "1"),
    ("search", "defector"),
    ("search", "--json", "defector"),
    ("search", "--json", "broker"),
    ("search", "탈북민"),
    ("figures",),
    ("figures", "--json"),
    ("protection", "report"),
    ("protection", "report", "--json"),
    ("status",),
    *[
        ("digest", "--since", "2026-11-01", "--until", "2026-11-30", "--format", fmt)
        for fmt in FORMATS
    ],
]


@pytest.mark.parametrize("args", COMMANDS, ids=" ".join)
def test_no_publishing_command_leaks_a_private_value(db: Path, args: tuple[str, ...]) -> None:
    output = invoke(db, *args)
    assert _leaks(output) == []


def test_stories_and_storylines_are_published_at_all(db: Path) -> None:
    """The leak checks above look at real output: stories, titles and summaries are there."""
    stories = [
        json.loads(line)
        for line in invoke(
            db, "stories", "--json", "--since", "2026-11-01", "--until", "2026-11-30"
        ).splitlines()
    ]
    assert stories and any(story["summary"] for story in stories)
    assert any("[defector A]" in json.dumps(story, ensure_ascii=False) for story in stories)
    lines = invoke(db, "storylines", "--json", "--min-stories", "1").splitlines()
    assert lines and all("Pak" not in line for line in lines)


def _fields(value: Any) -> Iterator[tuple[str, Any]]:
    if isinstance(value, dict):
        for key, item in value.items():
            if key in RECORD_TEXT_FIELDS:
                yield key, item
            yield from _fields(item)
    elif isinstance(value, list):
        for item in value:
            yield from _fields(item)


def test_every_record_text_field_of_an_export_row_is_protected(db: Path) -> None:
    protector = Protector(load_profile())
    with SQLiteStore(db) as store:
        rows = list(export_rows(store.iter_articles(), store))
    seen: set[str] = set()
    for row in rows:
        protected = protect_row(row, protector)
        for key, value in _fields(protected):
            seen.add(key)
            assert _leaks(json.dumps(value, ensure_ascii=False)) == [], key
        # The raw row does hold them: the walk is over fields that carried private values.
    raw = [key for row in rows for key, value in _fields(row) if _leaks(json.dumps(value))]
    assert {"title", "text", "summary"} <= set(raw)
    assert {"title", "text", "summary"} <= seen


def test_protect_fields_walks_nested_records_and_keeps_other_fields() -> None:
    protector = Protector(load_profile())
    source = (
        "Pak Mi-ran, a defector, gave her number, 010-3381-2290. Officials in Seoul did not "
        "comment."
    )
    scope = protector.scope([source])
    record = {
        "id": 7,
        "url": "https://ledger.example/calls",
        "stories": [{"title": "Pak Mi-ran speaks", "outlet": "Border Ledger"}],
        "entities": [{"surface": "Pak Mi-ran", "canonical": "Pak Mi-ran", "type": "person"}],
        "summary": ["Pak Mi-ran, a defector, gave her number, 010-3381-2290."],
        "name": "Pak Mi-ran",
    }
    protected = protect_fields(record, scope)
    text = json.dumps(protected, ensure_ascii=False)
    assert "Pak Mi-ran" not in text and "010-3381-2290" not in text
    assert protected["id"] == 7 and protected["url"] == record["url"]
    assert protected["stories"][0]["outlet"] == "Border Ledger"
    # One scope, one label: the same person is the same label in every field.
    assert protected["name"] == protected["entities"][0]["canonical"] == "[defector A]"


def test_entity_lists_and_story_pages_leave_private_people_out(db: Path) -> None:
    """The web desk's entity list and story page, before its last protecting pass."""
    from nkwatch.web import views

    with SQLiteStore(db) as store:
        raw = [
            mention
            for article in store.iter_articles()
            for mention in (store.enrichment(article.id or 0) or {}).get("entities", [])
        ]
        listed = views.entities(store, views.Paging(per_page=100), known_only=False)
        story_ids = {a.story_id for a in store.iter_articles() if a.story_id}
        pages = [views.story(store, load_profile(), story_id) for story_id in story_ids]
    # The enrichment stage does record the private names as entities: the list had them to drop.
    assert _leaks(json.dumps(raw, ensure_ascii=False))
    assert _leaks(json.dumps(listed, ensure_ascii=False)) == []
    assert pages and _leaks(json.dumps(pages, ensure_ascii=False)) == []
