"""Reading time, language, canonical URL, paywall, section and tags."""

from __future__ import annotations

import lxml.html
import pytest

from newsfeed.extract._metadata import Metadata, extract_metadata


def _meta(page: str, url: str | None = "https://ex.com/a") -> Metadata:
    return extract_metadata(lxml.html.fromstring(page), url)


@pytest.mark.parametrize(
    ("snippet", "minutes"),
    [
        ("<span>3 min read</span>", 3),
        ("<div><span>•</span> 5 minute read</div>", 5),
        ("<p>12-minute read</p>", 12),
        ("<span>Lesezeit: 4 Min.</span>", 4),
        ("<span>Reading time: 7 minutes</span>", 7),
        ("<span>2 min de lecture</span>", 2),
        ('<span class="reading-time">6</span>', 6),
        ("<p>We met 5 minutes later and read the paper.</p>", None),
        ("<span>0 min read</span>", None),
    ],
)
def test_stated_reading_time(snippet: str, minutes: int | None) -> None:
    assert _meta(f"<html><body>{snippet}</body></html>").stated_reading_time == minutes


def test_reading_time_from_twitter_label_and_jsonld() -> None:
    tw = """<html><head><meta name="twitter:label1" content="Est. reading time">
    <meta name="twitter:data1" content="8 minutes"></head></html>"""
    assert _meta(tw).stated_reading_time == 8
    ld = """<html><head><script type="application/ld+json">{"@type": "Article",
    "headline": "x", "timeRequired": "PT9M"}</script></head></html>"""
    assert _meta(ld).stated_reading_time == 9


@pytest.mark.parametrize(
    ("page", "language"),
    [
        ('<html lang="en-us"><body></body></html>', "en-US"),
        ('<html lang="DE"><body></body></html>', "de"),
        ('<html><head><meta property="og:locale" content="fr_FR"></head></html>', "fr-FR"),
        ('<html><head><meta http-equiv="content-language" content="pt"></head></html>', "pt"),
        ('<html lang="not a language"><body></body></html>', None),
    ],
)
def test_language(page: str, language: str | None) -> None:
    assert _meta(page).language == language


def test_canonical_link_then_og_url() -> None:
    page = '<html><head><link rel="canonical" href="/story/1"><meta property="og:url" content="https://ex.com/og"></head></html>'
    assert _meta(page).canonical_url == "https://ex.com/story/1"
    page = '<html><head><meta property="og:url" content="https://ex.com/og"></head></html>'
    assert _meta(page).canonical_url == "https://ex.com/og"
    assert _meta("<html></html>").canonical_url is None


def test_paywall_from_class_and_meta() -> None:
    box = '<div class="paywall">Subscribe to keep reading: this story is for members.</div>'
    assert _meta(f"<html><body>{box}</body></html>").paywalled
    # Empty or hidden paywall containers (present on free pages too) are no evidence.
    assert not _meta('<html><body><div class="paywall"></div></body></html>').paywalled
    hidden = '<div class="paywall" style="display: none">Subscribe to keep reading now.</div>'
    assert not _meta(f"<html><body>{hidden}</body></html>").paywalled
    tier = '<html><head><meta property="article:content_tier" content="locked"></head></html>'
    assert _meta(tier).paywalled
    assert not _meta("<html><body><p>free</p></body></html>").paywalled


def test_section_sources() -> None:
    og = '<html><head><meta property="article:section" content="Politics"></head></html>'
    assert _meta(og).section == "Politics"
    crumbs = """<html><head><script type="application/ld+json">{"@type": "BreadcrumbList",
    "itemListElement": [{"@type": "ListItem", "position": 1, "name": "Home"},
    {"@type": "ListItem", "position": 2, "name": "Sport"},
    {"@type": "ListItem", "position": 3, "name": "The match"}]}</script></head></html>"""
    assert _meta(crumbs).section == "Sport"


def test_tags_merged_and_deduplicated() -> None:
    page = """<html><head><meta property="article:tag" content="Rail">
    <meta property="article:tag" content="Budget">
    <meta name="keywords" content="rail, Trains ,budget">
    </head></html>"""
    assert _meta(page).tags == ("Rail", "Budget", "Trains")


def test_dek_and_site_name_from_meta() -> None:
    page = """<html><head><meta name="description" content="Short summary.">
    <meta property="og:site_name" content="Ex News"></head></html>"""
    meta = _meta(page)
    assert (meta.dek, meta.site_name) == ("Short summary.", "Ex News")
