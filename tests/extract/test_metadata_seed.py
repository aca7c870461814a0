"""The seed page (a Ghost/Casper article header and author card) read end to end."""

from __future__ import annotations

import copy
from datetime import UTC, datetime
from pathlib import Path

import lxml.html
import pytest

from newsfeed.extract._metadata import Metadata, extract_metadata

FIXTURE = Path(__file__).parent / "fixtures" / "meta_seed_ghost.html"
URL = "https://kyivindependent.com/putin-trump-to-meet-in-the-coming-days-moscow-says/"


@pytest.fixture(scope="module")
def meta() -> Metadata:
    return extract_metadata(lxml.html.fromstring(FIXTURE.read_text(encoding="utf-8")), URL)


def test_headline_without_site_name(meta: Metadata) -> None:
    assert meta.title == "Putin, Trump to meet in the coming days, Moscow says"
    assert meta.site_name == "The Kyiv Independent"


def test_stated_reading_time(meta: Metadata) -> None:
    assert meta.stated_reading_time == 3


def test_lead_image_caption_and_credit_apart(meta: Metadata) -> None:
    image = meta.lead_image
    assert image is not None
    # The picture on the page (its widest srcset candidate), not the social-card copy.
    assert image.url == (
        "https://kyivindependent.com/content/images/size/w1200/2025/08/GettyImages-1000420286.jpg"
    )
    assert image.caption == (
        "US President Donald Trump (L) and Russia's President Vladimir Putin (R) at Finland's "
        "Presidential Palace in Helsinki, Finland on July 16, 2018."
    )
    assert image.credit == "Brendan Smialowski / AFP via Getty Images"
    assert image.alt is None  # "Article image" describes the slot, not the picture


def test_author_card(meta: Metadata) -> None:
    assert len(meta.authors) == 1
    author = meta.authors[0]
    assert author.name == "Tim Zadorozhnyy"
    assert author.role == "News Editor"
    assert author.bio is not None
    assert author.bio.startswith("Tim Zadorozhnyy is a news editor at The Kyiv Independent.")
    assert author.bio.endswith("managing editor.")
    assert (
        author.avatar_url == "https://kyivindependent.com/content/images/size/w100/2023/06/tim.jpg"
    )
    assert author.url == "https://kyivindependent.com/author/tim-zadorozhnyy/"


def test_dates_section_tags_and_the_rest(meta: Metadata) -> None:
    assert meta.published == datetime(2025, 8, 7, 14, 12, 31, tzinfo=UTC)
    assert meta.updated == datetime(2025, 8, 7, 16, 40, 2, tzinfo=UTC)
    assert meta.section == "News Feed"
    assert meta.tags == ("News Feed", "Vladimir Putin")
    assert meta.language == "en"
    assert meta.canonical_url == URL
    assert meta.paywalled is False
    assert meta.dek is not None
    assert meta.dek.startswith("Russian President Vladimir Putin")


def test_document_is_not_changed() -> None:
    doc = lxml.html.fromstring(FIXTURE.read_text(encoding="utf-8"))
    before = lxml.html.tostring(copy.deepcopy(doc))
    extract_metadata(doc, URL)
    assert lxml.html.tostring(doc) == before


def test_metadata_is_frozen(meta: Metadata) -> None:
    with pytest.raises(AttributeError):
        meta.title = "changed"  # type: ignore[misc]
