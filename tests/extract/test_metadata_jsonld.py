"""JSON-LD: article objects at the top, in @graph, in arrays; references; broken JSON."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import lxml.html

from newsfeed.extract._jsonld import read_jsonld
from newsfeed.extract._metadata import Metadata, extract_metadata


def _meta(scripts: str, body: str = "", url: str | None = "https://example.com/a") -> Metadata:
    page = f"<html><head>{scripts}</head><body>{body}</body></html>"
    return extract_metadata(lxml.html.fromstring(page), url)


def _ld(text: str) -> str:
    return f'<script type="application/ld+json">{text}</script>'


def test_news_article_fields() -> None:
    meta = _meta(
        _ld(
            """{"@context": "https://schema.org", "@type": "NewsArticle",
            "headline": "Dam opens", "alternativeHeadline": "A long wait ends",
            "datePublished": "2024-05-02T09:30:00+02:00",
            "dateModified": "2024-05-02T11:00:00+02:00",
            "author": [{"@type": "Person", "name": "Ana Ruiz", "jobTitle": "Reporter",
                        "url": "https://example.com/ana"},
                       {"@type": "Person", "name": "Ben Ode"}],
            "publisher": {"@type": "Organization", "name": "Example Times"},
            "image": {"@type": "ImageObject", "url": "https://example.com/dam.jpg",
                      "caption": "The dam at dawn (Photo: Carl Dee)"},
            "articleSection": "Science", "keywords": "dams, water", "inLanguage": "es",
            "isAccessibleForFree": false}"""
        )
    )
    assert meta.title == "Dam opens"
    assert meta.dek == "A long wait ends"
    assert meta.site_name == "Example Times"
    assert [a.name for a in meta.authors] == ["Ana Ruiz", "Ben Ode"]
    assert meta.authors[0].role == "Reporter"
    assert meta.authors[0].url == "https://example.com/ana"
    assert meta.published == datetime(2024, 5, 2, 9, 30, tzinfo=timezone(timedelta(hours=2)))
    assert meta.updated is not None
    assert meta.updated.hour == 11
    assert meta.section == "Science"
    assert meta.tags == ("dams", "water")
    assert meta.language == "es"
    assert meta.paywalled is True
    assert meta.lead_image is not None
    assert meta.lead_image.url == "https://example.com/dam.jpg"
    assert meta.lead_image.caption == "The dam at dawn"
    assert meta.lead_image.credit == "Carl Dee"


def test_graph_with_id_references() -> None:
    meta = _meta(
        _ld(
            """{"@context": "https://schema.org", "@graph": [
              {"@type": "WebSite", "@id": "https://example.com/#site", "name": "Example"},
              {"@type": "Person", "@id": "https://example.com/#p1", "name": "Cleo Park",
               "description": "Writes about trains.", "image": {"url": "https://example.com/cleo.png"}},
              {"@type": ["Article", "BlogPosting"], "headline": "Trains are back",
               "author": {"@id": "https://example.com/#p1"},
               "datePublished": "2023-01-05"}]}"""
        )
    )
    assert meta.title == "Trains are back"
    assert len(meta.authors) == 1
    author = meta.authors[0]
    assert (author.name, author.bio, author.avatar_url) == (
        "Cleo Park",
        "Writes about trains.",
        "https://example.com/cleo.png",
    )
    assert meta.published == datetime(2023, 1, 5, tzinfo=UTC)


def test_top_level_array_and_the_article_that_matches_the_url() -> None:
    scripts = _ld(
        """[{"@type": "NewsArticle", "headline": "Other story", "url": "https://example.com/b"},
            {"@type": "ReportageNewsArticle", "headline": "This story", "url": "https://example.com/a"}]"""
    )
    assert _meta(scripts).title == "This story"


def test_broken_json_is_repaired() -> None:
    broken = _ld(
        """<!--
        {"@type": "NewsArticle", "headline": "Line one
        line two", "datePublished": "2022-03-04T05:06:07Z",}
        -->"""
    )
    meta = _meta(broken)
    assert meta.title == "Line one line two"
    assert meta.published == datetime(2022, 3, 4, 5, 6, 7, tzinfo=UTC)


def test_garbage_is_ignored() -> None:
    meta = _meta(_ld("{not json at all") + _ld("") + _ld('"just a string"'))
    assert meta.title is None
    assert meta.authors == ()


def test_organisation_only_credit_becomes_the_author() -> None:
    meta = _meta(
        _ld(
            '{"@type": "NewsArticle", "headline": "X", '
            '"author": {"@type": "Organization", "name": "Associated Press"}}'
        )
    )
    assert [a.name for a in meta.authors] == ["Associated Press"]


def test_organisation_next_to_a_person_is_dropped() -> None:
    meta = _meta(
        _ld(
            '{"@type": "NewsArticle", "headline": "X", "author": ['
            '{"@type": "Organization", "name": "Associated Press"}, '
            '{"@type": ["Person", "Organization"], "name": "Kyle Wiggers"}]}'
        )
    )
    assert [a.name for a in meta.authors] == ["Kyle Wiggers"]


def test_main_entity_inside_web_page() -> None:
    doc = lxml.html.fromstring(
        "<html><head>"
        + _ld('{"@type": "WebPage", "mainEntity": {"@type": "BlogPosting", "headline": "Inner"}}')
        + "</head></html>"
    )
    found = read_jsonld(doc)
    assert found.article is not None
    assert found.article["headline"] == "Inner"
