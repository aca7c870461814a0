"""Enrichment in the update pipeline: analyse each stored story and save what was found.

``EnrichStep`` is an after-store step (``UpdateOptions.after_store``): the pipeline hands it
every story that is new or whose text changed, so an edited story is analysed again.
Saving replaces the previous analysis, so running it twice on a story changes nothing.
``enrich_stored`` analyses stories already in a database (stored before enrichment ran, or
analysed by an older version of the rules).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import TYPE_CHECKING

from newsfeed.enrich._store import FORMAT_VERSION, analysis_to_json, entity_refs
from newsfeed.enrich.analysis import Analysis, analyse
from newsfeed.store import ArticleFilter, Storage
from newsfeed.types import Article

if TYPE_CHECKING:
    from newsfeed.update import StoredArticle

__all__ = ["MAX_CHARS", "EnrichStep", "analysed_text", "enrich_article", "enrich_stored"]

log = logging.getLogger("newsfeed.enrich")

MAX_CHARS = 100_000
"""Only this much of a story's text is analysed: a page that runs on (a live blog, a dump of
a whole site) would otherwise hold up the pipeline. Offsets stay true for the prefix."""


def analysed_text(article: Article) -> str:
    """What is analysed: the story's text, then its photo captions (where places and people
    are often named, as Helsinki is in the seed story), each as its own paragraph. The text
    comes first so that offsets into it are offsets into ``Article.text``."""
    images = ((article.lead_image,) if article.lead_image else ()) + article.figures
    captions = [i.caption for i in images if i.caption and i.caption not in article.text]
    text = article.text[:MAX_CHARS]
    return text + "".join(f"\n\n{c}" for c in dict.fromkeys(captions))


def _analyse(article: Article) -> Analysis:
    return analyse(analysed_text(article), article.published or article.updated, article.tags)


def _save(store: Storage, article_id: int, analysis: Analysis) -> None:
    store.save_analysis(article_id, analysis_to_json(analysis), entity_refs(analysis))


def enrich_article(store: Storage, article_id: int, article: Article) -> Analysis:
    """Analyse one stored story (its text, against its publication date, with its tags) and
    save the result. Without a publication date, relative dates are left unresolved."""
    analysis = _analyse(article)
    _save(store, article_id, analysis)
    return analysis


class EnrichStep:
    """The after-store step. A story whose analysis fails is logged and left unanalysed
    (``enrich_stored`` retries it): a bug in the text rules must not stop stories arriving.
    Storage errors propagate as they would from any other write."""

    def __call__(self, store: Storage, stored: Sequence[StoredArticle]) -> None:
        for item in stored:
            try:
                analysis = _analyse(item.article)
            except Exception:
                log.exception("could not analyse story %d", item.article_id)
                continue
            _save(store, item.article_id, analysis)


def enrich_stored(store: Storage, *, redo: bool = False, batch: int = 100) -> int:
    """Analyse every stored story that has no analysis of the current format (every story
    when ``redo``). Returns how many were analysed."""
    done = 0
    cursor: str | None = None
    while True:
        page = store.list_articles(ArticleFilter(), cursor=cursor, limit=batch)
        for record in page.items:
            saved = None if redo else store.get_analysis(record.id)
            if saved is None or saved.get("version") != FORMAT_VERSION:
                enrich_article(store, record.id, record.article)
                done += 1
        if page.next_cursor is None:
            return done
        cursor = page.next_cursor
