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


def prepare_many(pages: Sequence[PageIn], prepares: Sequence[Prepare]) -> list[Prepared]:
    """``prepare`` over a batch: one pool task carries many pages, so that the cost of
    handing work to another process is spread over them."""
    return [prepare(page, prepares) for page in pages]
