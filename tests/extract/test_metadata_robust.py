"""Hostile and random pages: extract_metadata always returns, never raises."""

from __future__ import annotations

import time

import lxml.html
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newsfeed.extract._metadata import Metadata, extract_metadata

_TAGS = ["div", "p", "span", "h1", "figure", "figcaption", "img", "time", "a", "meta", "script"]
_ATTRS = [
    'class="byline"',
    'class="author-card"',
    'class="date"',
    'itemprop="author"',
    'property="og:image" content="//x/y.jpg"',
    'name="author" content="By A and B"',
    'datetime="2020-13-45"',
    'type="application/ld+json"',
    'srcset="a 1x, , b 9999999999w"',
    'rel="author"',
]


def _meta(page: str, url: str | None = "https://ex.com/a") -> Metadata:
    return extract_metadata(lxml.html.fromstring(page), url)


@st.composite
def _pages(draw: st.DrawFn) -> str:
    parts = ["<html><head><title>t</title></head><body>"]
    for _ in range(draw(st.integers(0, 30))):
        tag = draw(st.sampled_from(_TAGS))
        attr = draw(st.sampled_from(["", *_ATTRS]))
        text = draw(st.text(max_size=40))
        parts.append(f"<{tag} {attr}>{text}")
        if draw(st.booleans()):
            parts.append(f"</{tag}>")
    return "".join(parts)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_pages())
def test_random_pages_never_raise(page: str) -> None:
    try:
        doc = lxml.html.fromstring(page)
    except (ValueError, lxml.etree.ParserError):
        return  # not HTML at all: the caller's parser rejects it before we are called
    assert isinstance(extract_metadata(doc, "https://ex.com/a"), Metadata)


@pytest.mark.parametrize(
    "page",
    [
        "<html><head>"
        + '<script type="application/ld+json">'
        + "[" * 5000
        + "]" * 5000
        + "</script></head></html>",
        "<html><head>"
        + '<script type="application/ld+json">{"@type": "NewsArticle", "author": '
        + '{"name": ' * 300
        + '"x"'
        + "}" * 300
        + "}</script></head></html>",
        "<html><body>"
        + "<div class='byline'>" * 3000
        + "By Al Roe"
        + "</div>" * 3000
        + "</body></html>",
        "<html><body><h1>" + "<span>" * 3000 + "Deep" + "</span>" * 3000 + "</h1></body></html>",
        "<html><body>" + "<p>3 min read</p>" * 20000 + "</body></html>",
        '<html><head><meta property="article:published_time" content="'
        + "9" * 5000
        + '"></head></html>',
    ],
    ids=["deep-json-array", "deep-json-names", "deep-byline", "deep-h1", "many-nodes", "long-date"],
)
def test_hostile_pages_finish_quickly(page: str) -> None:
    started = time.perf_counter()
    meta = _meta(page)
    assert isinstance(meta, Metadata)
    assert time.perf_counter() - started < 10


def test_fragment_and_missing_url() -> None:
    meta = extract_metadata(lxml.html.fromstring("<p>By Ida Lee</p>"), None)
    assert meta.canonical_url is None
    assert meta.lead_image is None
