"""Extraction and enrichment's analysis of one page, together: the CPU-bound part of storing
a page, as one pure function that a process pool can run.

The parent process then only stores the article and saves the analysis it is handed
(``EnrichStep.with_analyses``), so a pool of N processes does nearly all the work on N
cores. Pages and results cross the process boundary as bytes and frozen dataclasses.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime

from newsfeed.enrich.analysis import Analysis
from newsfeed.enrich.step import analyse_article
from newsfeed.errors import NewsfeedError
from newsfeed.extract import extract
from newsfeed.stories.step import signature_of
from newsfeed.types import Article

log = logging.getLogger("newsfeed.prepare")


@dataclass(frozen=True, slots=True)
class PageIn:
    """A page to prepare: its address, its bytes, and a date for it should it show none."""

    url: str
    body: bytes
    date: datetime | None = None


@dataclass(frozen=True, slots=True)
class Prepared:
    """A page extracted (``article``) and analysed (``analysis``, when asked for and the
    rules did not fail), or why it could not be extracted (``error``)."""

    url: str
    article: Article | None = None
    analysis: Analysis | None = None
    signature: bytes | None = None
    """The near-duplicate signature of the text (``StoryStep.with_prepared``)."""
    error: str | None = None


def prepare(page: PageIn, *, analyse: bool) -> Prepared:
    """Extract the page, its own date first and then ``page.date``; when ``analyse``, make
    what the after-store steps would make of it (enrichment's analysis, the signature)."""
    try:
        article = extract(page.body, page.url)
    except NewsfeedError as exc:
        return Prepared(page.url, error=str(exc))
    article = replace(article, published=article.published or page.date)
    if not analyse:
        return Prepared(page.url, article)
    return Prepared(page.url, article, _analysis(article), signature_of(article))


def prepare_many(pages: Sequence[PageIn], analyse: bool) -> list[Prepared]:
    """``prepare`` over a batch: one pool task carries many pages, so that the cost of
    handing work to another process is spread over them."""
    return [prepare(page, analyse=analyse) for page in pages]


def _analysis(article: Article) -> Analysis | None:
    try:
        return analyse_article(article)
    except Exception:  # a bug in the rules must not lose the story; the parent retries it
        log.exception("could not analyse %s", article.url)
        return None
