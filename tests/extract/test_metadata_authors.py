"""Authors: byline cleaning, each structured source, author cards."""

from __future__ import annotations

import lxml.html
import pytest

from newsfeed.extract._bylines import clean_names
from newsfeed.extract._metadata import extract_metadata
from newsfeed.types import Author


@pytest.mark.parametrize(
    ("byline", "names"),
    [
        ("By Jane Doe and John Roe", ["Jane Doe", "John Roe"]),
        ("BY JANE DOE", ["JANE DOE"]),
        ("Von Anna Meier und Paul Schulz", ["Anna Meier", "Paul Schulz"]),
        ("Par Sébastien Farcis", ["Sébastien Farcis"]),
        ("Jane Doe, John Roe & Ann Poe", ["Jane Doe", "John Roe", "Ann Poe"]),
        ("Jane Doe (jane@example.com)", ["Jane Doe"]),
        ("Jane Doe jane@example.com", ["Jane Doe"]),
        ("By Jane Doe | March 25, 2015", ["Jane Doe"]),
        ("Jane Doe, Associated Press", ["Jane Doe"]),
        ("Jane Doe, Jane Doe", ["Jane Doe"]),
        ("Written by Rob Ewaschuk", ["Rob Ewaschuk"]),
        ("https://www.facebook.com/jane", []),
        ("@janedoe", []),
        ("", []),
    ],
)
def test_clean_names(byline: str, names: list[str]) -> None:
    assert clean_names(byline) == names


def test_clean_names_drops_the_site_itself() -> None:
    assert clean_names("Jane Doe, Example Times", ["Example Times"]) == ["Jane Doe"]


def _authors(page: str, url: str | None = "https://ex.com/story") -> tuple[Author, ...]:
    return extract_metadata(lxml.html.fromstring(page), url).authors


def _names(page: str) -> list[str]:
    return [author.name for author in _authors(page)]


def test_meta_author_tags() -> None:
    assert _names('<html><head><meta name="author" content="By Ida Lee"></head></html>') == [
        "Ida Lee"
    ]
    parsely = '<html><head><meta name="parsely-author" content="Max Roe"></head></html>'
    assert _names(parsely) == ["Max Roe"]
    sailthru = '<html><head><meta name="sailthru.author" content="Kim Yu"></head></html>'
    assert _names(sailthru) == ["Kim Yu"]
    dublin = '<html><head><meta name="DC.creator" content="Lu Wen"></head></html>'
    assert _names(dublin) == ["Lu Wen"]


def test_article_author_url_is_skipped() -> None:
    page = """<html><head><meta property="article:author" content="https://facebook.com/x">
    <meta name="author" content="Ola Nor"></head></html>"""
    assert _names(page) == ["Ola Nor"]


def test_microdata_author() -> None:
    page = """<html><body><article itemscope itemtype="https://schema.org/NewsArticle">
    <span itemprop="author" itemscope itemtype="https://schema.org/Person">
    <span itemprop="name">Rui Costa</span></span></article></body></html>"""
    assert _names(page) == ["Rui Costa"]


def test_rel_author_link() -> None:
    page = '<html><body><a rel="author" href="/people/sam">Sam Vale</a></body></html>'
    assert _names(page) == ["Sam Vale"]


def test_visible_byline() -> None:
    page = '<html><body><p class="byline">By Tom Hart and Lia Moss, Staff Writers</p></body></html>'
    assert _names(page) == ["Tom Hart", "Lia Moss"]


def test_wordpress_author_bio_box() -> None:
    page = """<html><head><meta name="author" content="Nina Berg"></head><body>
    <div class="author-bio">
      <img src="/wp-content/uploads/nina-96x96.jpg" alt="">
      <h4 class="author-name"><a href="/author/nina/">Nina Berg</a></h4>
      <p>Nina Berg covers city hall and transport for the paper since 2015.</p>
    </div></body></html>"""
    (author,) = _authors(page)
    assert author.name == "Nina Berg"
    assert author.bio == "Nina Berg covers city hall and transport for the paper since 2015."
    assert author.avatar_url == "https://ex.com/wp-content/uploads/nina-96x96.jpg"
    assert author.url == "https://ex.com/author/nina/"


def test_card_alone_gives_the_author_with_role() -> None:
    page = """<html><body><section class="author-card">
      <a href="/author/eva/"><img data-src="/img/eva.jpg" src="data:image/gif;base64,R0l"></a>
      <div><h4 class="author-card-name">Eva Lind</h4><span>Senior Correspondent</span></div>
    </section></body></html>"""
    (author,) = _authors(page)
    assert author.role == "Senior Correspondent"
    assert author.avatar_url == "https://ex.com/img/eva.jpg"
    assert author.url == "https://ex.com/author/eva/"


@pytest.mark.parametrize(
    ("byline", "names"),
    [
        ("Veröffentlicht vonChris Jung", ["Chris Jung"]),
        ("AuthorAndreas Kalt", ["Andreas Kalt"]),
        ("Eingestellt von der Michel", ["der Michel"]),
        ("Christoph Hein Chefredakteur", ["Christoph Hein"]),
        ("Williams Perdomo @wperdomod", ["Williams Perdomo"]),
        ("~ Cem Basman", ["Cem Basman"]),
        ("Gabi sagt", []),
        ("Name *", []),
        ("Byron Kay", ["Byron Kay"]),
    ],
)
def test_clean_names_labels_titles_and_noise(byline: str, names: list[str]) -> None:
    assert clean_names(byline) == names


def test_comment_form_and_footer_are_not_bylines() -> None:
    page = """<html><body><article><h1>T</h1><p>Text.</p></article>
    <footer><span class="author">Theme by Jon Doe</span></footer>
    <form><p class="comment-form-author"><label>Sam Hill</label></p></form>
    <div class="comment-author">Ann Lee</div></body></html>"""
    assert _names(page) == []


def test_byline_with_one_name_per_child() -> None:
    page = """<html><body><div class="article-byline"><span>Birgit Baumann</span>
    <span>Anna Giulia Fink</span><span>Jan Michael Marchart</span></div></body></html>"""
    assert _names(page) == ["Birgit Baumann", "Anna Giulia Fink", "Jan Michael Marchart"]


def test_microdata_authors_of_the_first_item_only() -> None:
    page = """<html><body>
    <article itemscope itemtype="https://schema.org/NewsArticle">
      <span itemprop="author">Rui Costa</span></article>
    <div itemscope itemtype="https://schema.org/NewsArticle">
      <span itemprop="author">Teaser Writer</span></div></body></html>"""
    assert _names(page) == ["Rui Costa"]


def test_wire_credit_alone_is_kept() -> None:
    page = '<html><head><meta name="author" content="dpa"></head></html>'
    assert _names(page) == ["dpa"]
