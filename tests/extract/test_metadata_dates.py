"""Date parsing: formats, zones kept, absurd dates rejected, <time>, URL patterns."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import lxml.html
import pytest

from newsfeed.extract._dates import date_from_url, parse_date
from newsfeed.extract._metadata import extract_metadata

CET = timezone(timedelta(hours=1))


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2019-10-16T08:00:00+01:00", datetime(2019, 10, 16, 8, tzinfo=CET)),
        ("2019-10-16T08:00:00+0100", datetime(2019, 10, 16, 8, tzinfo=CET)),
        ("2019-10-16 08:00:00", datetime(2019, 10, 16, 8, tzinfo=UTC)),
        ("2019-10-16", datetime(2019, 10, 16, tzinfo=UTC)),
        ("2019-10-16T07:00:00.000Z", datetime(2019, 10, 16, 7, tzinfo=UTC)),
        ("Wed, 16 Oct 2019 08:00:00 +0100", datetime(2019, 10, 16, 8, tzinfo=CET)),
        ("1571212800", datetime(2019, 10, 16, 8, tzinfo=UTC)),
        ("1571212800000", datetime(2019, 10, 16, 8, tzinfo=UTC)),
        ("16. Oktober 2019", datetime(2019, 10, 16, tzinfo=UTC)),
        ("Aug. 7, 2025", datetime(2025, 8, 7, tzinfo=UTC)),
        ("Published on 3rd March 2021", datetime(2021, 3, 3, tzinfo=UTC)),
        ("16.10.2019, 18:15 Uhr", datetime(2019, 10, 16, 18, 15, tzinfo=UTC)),
        ("le 5 juillet 2022", datetime(2022, 7, 5, tzinfo=UTC)),
    ],
)
def test_parse_date(raw: str, expected: datetime) -> None:
    assert parse_date(raw) == expected


@pytest.mark.parametrize(
    "raw",
    ["", "soon", "0000-00-00", "1970-01-01T00:00:00Z", "2999-01-01", "March 5", "12:30", "1e9"],
)
def test_rejects_missing_or_absurd_dates(raw: str) -> None:
    assert parse_date(raw) is None


def test_future_is_measured_from_now() -> None:
    now = datetime(2020, 1, 1, tzinfo=UTC)
    assert parse_date("2020-01-02", now=now) is not None
    assert parse_date("2020-02-01", now=now) is None


@pytest.mark.parametrize(
    ("url", "day"),
    [
        ("https://ex.com/2019/10/16/story", datetime(2019, 10, 16, tzinfo=UTC)),
        ("https://ex.com/news/2019-10-16-story.html", datetime(2019, 10, 16, tzinfo=UTC)),
        ("https://ex.com/news/story-20191016.html", datetime(2019, 10, 16, tzinfo=UTC)),
        ("https://ex.com/2019/13/45/story", None),
        ("https://ex.com/story/123456", None),
        (None, None),
    ],
)
def test_date_from_url(url: str | None, day: datetime | None) -> None:
    assert date_from_url(url) == day


def _published(page: str, url: str | None = None) -> datetime | None:
    return extract_metadata(lxml.html.fromstring(page), url).published


def test_meta_tag_beats_time_element_and_url() -> None:
    page = """<html><head><meta property="article:published_time" content="2021-06-01T10:00:00Z">
    </head><body><time datetime="2020-01-01">old</time></body></html>"""
    assert _published(page, "https://ex.com/2019/01/01/x") == datetime(2021, 6, 1, 10, tzinfo=UTC)


def test_time_element_marked_published_wins_over_first_time() -> None:
    page = """<html><body><time datetime="2024-02-02">a comment</time>
    <div class="published"><time datetime="2023-03-03T12:00:00+01:00">3 March</time></div>
    </body></html>"""
    assert _published(page) == datetime(2023, 3, 3, 12, tzinfo=CET)


def test_url_date_is_the_last_resort() -> None:
    page = "<html><body><p>no dates here</p></body></html>"
    assert _published(page, "https://ex.com/2018/07/16/a") == datetime(2018, 7, 16, tzinfo=UTC)
    assert _published(page, "https://ex.com/a") is None


def test_dublin_core_and_itemprop_dates() -> None:
    dc = '<html><head><meta name="DC.date.issued" content="2017-05-05"></head></html>'
    assert _published(dc) == datetime(2017, 5, 5, tzinfo=UTC)
    micro = (
        '<html><body><meta itemprop="datePublished" content="2016-04-04T04:04:04Z"></body></html>'
    )
    assert _published(micro) == datetime(2016, 4, 4, 4, 4, 4, tzinfo=UTC)


def test_jsonld_outvoted_by_three_sources_that_agree() -> None:
    page = """<html><head><script type="application/ld+json">{"@type": "NewsArticle",
    "headline": "x", "datePublished": "2023-11-03T10:25:56+00:00"}</script>
    <meta property="article:published_time" content="2023-11-06T14:25:00+00:00">
    </head><body><h1>Headline</h1><p>Von Kim Roe, 6. November 2023, 15:25 Uhr</p>
    <span class="date">6. November 2023</span></body></html>"""
    published = _published(page)
    assert published is not None
    assert published.date().isoformat() == "2023-11-06"


def test_jsonld_kept_against_a_single_dissenter() -> None:
    page = """<html><head><script type="application/ld+json">{"@type": "NewsArticle",
    "headline": "x", "datePublished": "2024-08-04T13:23:00Z"}</script>
    <meta property="article:published_time" content="2024-08-05T19:49:50Z"></head></html>"""
    assert _published(page) == datetime(2024, 8, 4, 13, 23, tzinfo=UTC)


def test_utc_time_shown_in_the_day_the_page_prints() -> None:
    page = """<html><head><meta property="article:published_time" content="2021-11-04T23:00Z">
    </head><body><h1>Headline here</h1><div class="date">5. November 2021</div></body></html>"""
    published = _published(page)
    assert published == datetime(2021, 11, 4, 23, tzinfo=UTC)  # the same instant …
    assert published is not None
    assert published.date().isoformat() == "2021-11-05"  # … in the page's own zone


def test_naive_jsonld_time_takes_the_zone_of_the_other_dates() -> None:
    page = """<html><head><script type="application/ld+json">{"@type": "NewsArticle",
    "headline": "x", "datePublished": "2022-05-10T23:35:55",
    "dateModified": "2022-05-11T04:10:00-03:00"}</script></head></html>"""
    minus_three = timezone(timedelta(hours=-3))
    assert _published(page) == datetime(2022, 5, 10, 23, 35, 55, tzinfo=minus_three)


def test_byline_date_under_the_headline_beats_a_sidebar_time() -> None:
    page = """<html><body><aside><time datetime="2009-04-11">old post</time></aside>
    <article><h1>Professionell entlöten</h1><p>von Limespacer · 22. Oktober 2019</p>
    <p>Text.</p></article></body></html>"""
    assert _published(page) == datetime(2019, 10, 22, tzinfo=UTC)


def test_masthead_date_is_not_the_publication_date() -> None:
    page = """<html><body><header><span class="date">Mittwoch, 26.02.2020</span></header>
    <article><p>Kein Datum hier.</p></article></body></html>"""
    assert _published(page, "https://ex.com/2017/05/01/story") == datetime(2017, 5, 1, tzinfo=UTC)


def test_web_page_jsonld_date_and_day_first_canonical_url() -> None:
    page = """<html><head><script type="application/ld+json">{"@graph": [{"@type": "WebPage",
    "datePublished": "2018-06-07T10:13:17+00:00"}]}</script></head></html>"""
    assert _published(page) == datetime(2018, 6, 7, 10, 13, 17, tzinfo=UTC)
    canonical = (
        '<html><head><link rel="canonical" href="https://ex.de/news/29-10-2021"></head></html>'
    )
    assert _published(canonical) == datetime(2021, 10, 29, tzinfo=UTC)


def test_milliseconds_after_a_colon() -> None:
    assert parse_date("2022-01-10T22:06:08:684Z") == datetime(
        2022, 1, 10, 22, 6, 8, 684000, tzinfo=UTC
    )
