"""Title choice and site-name stripping."""

from __future__ import annotations

import lxml.html
import pytest

from newsfeed.extract._metadata import extract_metadata
from newsfeed.extract._title import strip_site_name


@pytest.mark.parametrize(
    ("title", "site", "expected"),
    [
        ("Dam opens | Example Times", "Example Times", "Dam opens"),
        ("Dam opens - Example Times", "Example Times", "Dam opens"),
        ("Example Times: Dam opens", "Example Times", "Dam opens"),
        ("Dam opens – EXAMPLE TIMES", "Example Times", "Dam opens"),
        ("Dam opens | Science | Example Times", "Example Times", "Dam opens | Science"),
        ("Q&A - what next?", "Example Times", "Q&A - what next?"),
        ("Dam opens | example", None, "Dam opens"),  # the host name is ex-am-ple.com
    ],
)
def test_strip_site_name(title: str, site: str | None, expected: str) -> None:
    assert strip_site_name(title, site, "https://www.example.com/a") == expected


def _title(page: str, url: str | None = "https://news.ex.com/a") -> str | None:
    return extract_metadata(lxml.html.fromstring(page), url).title


def test_og_title_beats_title_tag() -> None:
    page = """<html><head><title>Page | Ex News</title>
    <meta property="og:title" content="Real headline"></head></html>"""
    assert _title(page) == "Real headline"


def test_title_tag_beats_logo_h1() -> None:
    page = (
        "<html><head><title>Long enough headline here – Ex</title></head>"
        "<body><h1>Ex</h1></body></html>"
    )
    assert _title(page) == "Long enough headline here"


def test_kicker_only_in_meta_title_is_dropped() -> None:
    page = """<html><head><meta property="og:title" content="Climate: Drilling until it gets hot">
    </head><body><h1>Drilling until it gets hot</h1></body></html>"""
    assert _title(page) == "Drilling until it gets hot"


def test_kicker_shown_in_the_h1_stays() -> None:
    page = """<html><head><meta property="og:title" content="Climate: Drilling until it gets hot">
    </head><body><h1><span class="kicker">Climate</span><span class="visually-hidden">: </span>
    <span>Drilling until it gets hot</span></h1></body></html>"""
    assert _title(page) == "Climate: Drilling until it gets hot"


def test_extra_words_in_meta_title_give_way_to_the_h1_without_kicker() -> None:
    page = """<html><head><meta property="og:title" content="Drilling until it gets hot, say banks">
    </head><body><h1><span class="kicker">Climate</span> Drilling until it gets hot</h1>
    </body></html>"""
    assert _title(page) == "Drilling until it gets hot"


def test_jsonld_headline_needs_support_from_another_source() -> None:
    page = """<html><head><title>New Zealand - Wikipedia</title>
    <script type="application/ld+json">{"@type": "Article", "name": "New Zealand",
    "headline": "constitutional monarchy in Oceania"}</script>
    <meta property="og:title" content="New Zealand - Wikipedia"></head></html>"""
    assert _title(page, "https://en.wikipedia.org/wiki/New_Zealand") == "New Zealand"


def test_h1_when_nothing_else() -> None:
    assert _title("<html><body><h1> Only  heading </h1></body></html>") == "Only heading"


def test_no_title() -> None:
    assert _title("<html><body><p>x</p></body></html>") is None
