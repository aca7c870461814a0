"""All 30 real feeds in ../shared/data/feeds.

Two independent checks: every ``*.expected.json`` (another library's parse, either
feed-rs or rss-parser) and, for every XML feed, a plain lxml reading of each item's title,
link and guid straight from the document.
"""

from __future__ import annotations

import html
import json
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

import pytest
from lxml import etree
from tests.conftest import SHARED_DATA

from newsfeed.errors import ParseError
from newsfeed.feeds import parse_feed
from newsfeed.types import Entry, Feed

FEEDS = SHARED_DATA / "feeds"
INDEX = json.loads((FEEDS / "index.json").read_text()) if FEEDS.is_dir() else {"feeds": []}
CASES = {case["file"]: case for case in INDEX["feeds"]}
BROKEN = "reuters_most_read_invalid.xml"
# The BBC capture repeats one item verbatim; the parser keeps its first copy.
REPEATED = {"bbc_news_frontpage_2024-08-08.xml": 1}
# Feed titles as a reader sees them, for the feeds without an expected.json.
TITLES = {
    "bbc_news_frontpage_2024-08-08.xml": "BBC News",
    "cnn_hp_hero_2024-08-08.xml": "CNN.com - RSS Channel - HP Hero",
    "nyt_world_2024-08-08.xml": "NYT > World News",
    "washingtonpost_wellness.xml": (
        "Wellness: Health, Fitness, Nutrition & More - The Washington Post"
    ),
    "tpm_all_news.atom": "All TPM News",
    "npr_technology.json": "Technology",
    "ukrainska_pravda_cp1251.xml": "Украинская правда",
    "unian_uk.xml": "Інформаційне Агентство УНІАН",
    "liga_novosti_ru.xml": "ЛІГА.Новости",
    "ukranews.xml": "Українські Новини",
    "oren_ru_cp1251.xml": "Новости Оренбурга и области / Раздел Новости",
    "dailymail_us_1item.xml": "Home | Mail Online",
    "orf_news_rdf_1item.xml": "news.ORF.at",
    "google_news_fr_be_1item.xml": "À la une - Google Actualités",
    "news18_hindi_china_1item.xml": "Latest News चीन News18 हिंदी",
    "aif_ru_1item.xml": "Аргументы и Факты",
    "liberal_gr_iso8859-7_1item.xml": "Liberal - ΕΠΙΚΑΙΡΟΤΗΤΑ",
}


def _parse(name: str) -> Feed:
    return parse_feed((FEEDS / name).read_bytes(), f"https://feeds.example/{name}")


@pytest.fixture(params=sorted(CASES) or ["(no shared data)"])
def case(request: pytest.FixtureRequest, shared_data: Path) -> dict[str, Any]:
    return dict(CASES[request.param])


def test_all_thirty_feeds_are_listed(shared_data: Path) -> None:
    assert FEEDS.is_dir(), f"no feeds at {FEEDS}"
    assert len(CASES) == 30


def test_feed_parses_with_every_item(case: dict[str, Any]) -> None:
    name = case["file"]
    if name == BROKEN:
        with pytest.raises(ParseError, match=r"reuters_most_read_invalid\.xml: .*broken"):
            _parse(name)
        return
    feed = _parse(name)
    assert len(feed.entries) == case["items"] - REPEATED.get(name, 0)
    assert feed.title
    if name in TITLES:
        assert feed.title == TITLES[name]
    guids = [e.guid for e in feed.entries]
    assert len(set(guids)) == len(guids), "guids must be unique within a feed"
    for entry in feed.entries:
        assert entry.title
        assert entry.link
        assert entry.link.startswith("http")
        for when in (entry.published, entry.updated):
            assert when is None or when.utcoffset() == timedelta(0)
    # every feed here states a date for its items, except UOL's unparseable Portuguese ones
    dated = [e for e in feed.entries if e.published]
    assert dated


XML_FEEDS = sorted(n for n in CASES if n != BROKEN and not n.endswith(".json"))


@pytest.mark.parametrize("name", XML_FEEDS or ["(no shared data)"])
def test_items_match_the_document_read_with_lxml(name: str, shared_data: Path) -> None:
    oracle: dict[str, tuple[str, str, str | None]] = {}
    for title, link, guid in _lxml_items((FEEDS / name).read_bytes()):
        absolute = urljoin(f"https://feeds.example/{name}", link)
        oracle.setdefault(guid or absolute, (title, absolute, guid))
    feed = _parse(name)
    assert len(oracle) == len(feed.entries)
    for (title, link, guid), entry in zip(oracle.values(), feed.entries, strict=True):
        assert entry.title == title
        assert entry.link == link
        assert entry.guid == (guid or link)


def _lxml_items(body: bytes) -> list[tuple[str, str, str | None]]:
    try:
        root = etree.fromstring(body, etree.XMLParser(resolve_entities=False))
    except etree.XMLSyntaxError:  # UOL: Latin-1 without a declaration
        root = etree.fromstring(body, etree.XMLParser(encoding="cp1252"))
    items = []
    for node in root.iter():
        local = etree.QName(node).localname if isinstance(node.tag, str) else ""
        if local not in ("item", "entry"):
            continue
        children = {etree.QName(c).localname: c for c in reversed(node) if isinstance(c.tag, str)}
        title = " ".join("".join(children["title"].itertext()).split())
        if local == "entry":
            links = [c for c in node if etree.QName(c).localname == "link"]
            alternate = [c for c in links if c.get("rel", "alternate") == "alternate"]
            link = (alternate or links)[0].get("href")
            guid = children["id"].text
        else:
            link = (children["link"].text or "").strip()
            about = node.get("{http://www.w3.org/1999/02/22-rdf-syntax-ns#}about")
            guid = children["guid"].text if "guid" in children else about
        items.append((html.unescape(title), link, guid.strip() if guid else None))
    return items


EXPECTED = sorted(name for name in CASES if "expected" in CASES[name])


@pytest.mark.parametrize("name", EXPECTED or ["(no shared data)"])
def test_matches_expected_json(name: str, shared_data: Path) -> None:
    expected = _load_expected(FEEDS / CASES[name]["expected"])
    feed = _parse(name)
    if "feed_type" in expected:
        _compare_feed_rs(feed, expected)
    else:
        _compare_rss_parser(feed, expected["feed"])


def _load_expected(path: Path) -> dict[str, Any]:
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:  # rss-parser wrote the Latin-1 feeds' bytes through
        text = raw.decode("cp1252")
    data: dict[str, Any] = json.loads(text)
    return data


def _compare_feed_rs(feed: Feed, expected: dict[str, Any]) -> None:
    assert feed.title == _plain(expected["title"]["content"])
    assert feed.ttl_minutes == expected.get("ttl") or expected.get("ttl") is None
    assert len(feed.entries) == len(expected["entries"])
    for entry, want in zip(feed.entries, expected["entries"], strict=True):
        assert entry.title == _plain(want["title"]["content"])
        links = [link["href"] for link in want["links"]]
        assert entry.link in links
        if not _invented_by_feed_rs(want["id"]):
            assert entry.guid == want["id"]
        dates = {_iso(want.get("published")), _iso(want.get("updated"))} - {None}
        if dates:
            assert entry.published in dates
        for author in want["authors"]:
            assert any(
                a.name == author["name"] or a.name in (author.get("email") or "")
                for a in entry.authors
            ), (author, entry.authors)
        _check_image(entry, _feed_rs_images(want))


def _invented_by_feed_rs(guid: str) -> bool:
    """feed-rs makes up an MD5 id for items that have none."""
    return len(guid) == 32 and all(c in "0123456789abcdef" for c in guid)


def _feed_rs_images(want: dict[str, Any]) -> list[str]:
    urls = []
    for media in want.get("media") or []:
        for content in media["content"]:
            if (content.get("content_type") or "").startswith("image/"):
                urls.append(content["url"])
        urls += [thumb["image"]["uri"] for thumb in media["thumbnails"]]
    return urls


def _compare_rss_parser(feed: Feed, expected: dict[str, Any]) -> None:
    assert _same_text(feed.title, expected["title"])
    assert len(feed.entries) == len(expected["items"])
    for entry, want in zip(feed.entries, expected["items"], strict=True):
        assert _same_text(entry.title, want["title"])
        assert entry.link == want["link"].strip()
        if want.get("guid"):
            assert entry.guid == want["guid"]
        if want.get("isoDate"):
            assert entry.published == _iso(want["isoDate"])
        creator = (want.get("creator") or "").strip()
        if creator:
            assert [a.name for a in entry.authors] == [creator]
        images = [m["$"]["url"] for m in want.get("media:content", [])]
        if want.get("enclosure", {}).get("type", "").startswith("image/"):
            images.append(want["enclosure"]["url"])
        _check_image(entry, images)


def _same_text(ours: str | None, theirs: str) -> bool:
    """Equal after collapsing spaces; a U+FFFD rss-parser wrote for a byte it could not
    decode stands for any one character."""
    pattern = ".".join(re.escape(part) for part in " ".join(theirs.split()).split("\ufffd"))
    return ours is not None and re.fullmatch(pattern, ours) is not None


def _check_image(entry: Entry, images: list[str]) -> None:
    if images:
        assert entry.image is not None
        assert entry.image.url in images


def _plain(text: str | None) -> str | None:
    return " ".join(html.unescape(text).split()) if text else None


def _iso(value: str | None) -> datetime | None:
    if not value:
        return None
    return datetime.fromisoformat(value.replace("Z", "+00:00")).astimezone(UTC)


def test_guardian_images_keep_credit_apart(shared_data: Path) -> None:
    entry = _parse("guardian_us.rss").entries[0]
    assert entry.image is not None
    assert "w=460" in entry.image.url  # the widest of the media:content sizes
    assert entry.image.width == 460
    assert entry.image.credit == "Photograph: Networ/Sipa USA/REX/Shutterstock"


def test_charsets_are_decoded(shared_data: Path) -> None:
    assert _parse("uol_noticias_br.rss").entries[0].title == (
        "Ibope: Bolsonaro perde de Haddad, Ciro e Alckmin em simulações de 2º turno"
    )
    assert _parse("oren_ru_cp1251.xml").entries[0].title.startswith("В Бузулуке")  # type: ignore[union-attr]
    assert _parse("liberal_gr_iso8859-7_1item.xml").entries[0].title.startswith("«Πορτραίτα")  # type: ignore[union-attr]


def test_localised_and_free_form_dates(shared_data: Path) -> None:
    assert _parse("uol_noticias_br.rss").entries[0].published == datetime(
        2018, 9, 24, 22, 42, 40, tzinfo=UTC
    )
    assert _parse("news18_hindi_china_1item.xml").entries[0].published == datetime(
        2021, 1, 29, 16, 42, tzinfo=UTC
    )


def test_ttl_and_sy_update_period(shared_data: Path) -> None:
    assert _parse("bbc_news_frontpage_2024-08-08.xml").ttl_minutes == 15
    # sy:updatePeriod hourly, sy:updateFrequency 2 → every 30 minutes
    assert _parse("orf_news_rdf_1item.xml").ttl_minutes == 30


def test_kinds(shared_data: Path) -> None:
    assert _parse("golem_rss1_iso8859_1item.xml").kind == "rdf"
    assert _parse("tpm_all_news.atom").kind == "atom"
    assert _parse("npr_technology.json").kind == "jsonfeed"
    assert _parse("guardian_us.rss").kind == "rss"
