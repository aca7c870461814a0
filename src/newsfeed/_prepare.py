"""Extraction and the after-store steps' ``prepare`` work on one page, together: the
CPU-bound part of storing a page, as one pure function that a process pool can run.

The parent process then only stores the article and hands each step what its ``prepare``
made (``StoredArticle.prepared``), so a pool of N processes does nearly all the work on N
cores. Pages and results cross the process boundary as bytes and frozen dataclasses.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from functools import partial

from newsfeed.errors import NewsfeedError
from newsfeed.types import Article
from newsfeed.update import Prepare, extract_prepared


@dataclass(frozen=True, slots=True)
class PageIn:
    """A page to prepare: its address, its bytes, and a date for it should it show none."""

    url: str
    body: bytes
    date: datetime | None = None


@dataclass(frozen=True, slots=True)
class Prepared:
    """A page extracted (``article``) with what each step's ``prepare`` made of it, in the
    order the steps were given (``made``), or why it could not be extracted (``error``)."""

    url: str
    article: Article | None = None
    made: tuple[object, ...] = ()
    error: str | None = None


def prepare(page: PageIn, prepares: Sequence[Prepare]) -> Prepared:
    """Extract the page, its own date first and then ``page.date``, and run ``prepares``."""
    try:
        finish = partial(_dated, date=page.date)
        article, made = extract_prepared(page.body, page.url, finish, tuple(prepares))
    except NewsfeedError as exc:
        return Prepared(page.url, error=str(exc))
    return Prepared(page.url, article, made)


def _dated(article: Article, date: datetime | None) -> Article:
    return replace(article, published=article.published or date)


_SAMPLE = b"""<!doctype html><html lang="en"><head><title>Warm-up | Example News</title>
<meta property="og:type" content="article">
<meta property="article:published_time" content="2024-03-05T10:00:00Z"></head>
<body><article><h1>Warm-up</h1>
<p>PARIS (Reuters) - Angela Merkel met officials of the United Nations in Paris on Monday,
the ministry said. "We will meet again next week," she told reporters in Berlin.</p>
<p>The talks, which began on March 1, are due to end on Friday in New York, according to a
statement from the World Health Organization. Prices rose 3% in January.</p>
</article></body></html>"""
"""A small story naming people, places, organisations, quotes and dates, for ``warm_up``."""


def warm_up(prepares: Sequence[Prepare]) -> None:
    """Prepare a small sample page so that what extraction and the steps load on first use
    (word lists, gazetteers) is loaded here: processes forked after this start warm."""
    prepare(PageIn("https://news.example/2024/03/05/warm-up", _SAMPLE), prepares)


def prepare_many(pages: Sequence[PageIn], prepares: Sequence[Prepare]) -> list[Prepared]:
    """``prepare`` over a batch: one pool task carries many pages, so that the cost of
    handing work to another process is spread over them."""
    return [prepare(page, prepares) for page in pages]
