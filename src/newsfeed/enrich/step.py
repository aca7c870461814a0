"""Enrichment in the update pipeline: analyse each stored story and save what was found.

``EnrichStep`` is an after-store step (``UpdateOptions.after_store``): the pipeline hands it
every story that is new or whose text changed, so an edited story is analysed again. The
analysis itself is pure and as costly as extraction, so it is the step's ``prepare``: the
pipeline runs it in the extraction pool, and the step only links names and saves.
Saving replaces the previous analysis, so running it twice on a story changes nothing.
``enrich_stored`` analyses stories already in a database (stored before enrichment ran, or
analysed by an older version of the rules).

Across articles, a story that names someone only by surname ("Putin") or an organisation only
by acronym is filed under the one full name it stands for, among the people and organisations
the database already knows best and those of the same batch (``entities.link_keys``).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from newsfeed.enrich._store import (
    FORMAT_VERSION,
    analysis_to_json,
    entity_refs,
)
from newsfeed.enrich.analysis import Analysis, analyse
from newsfeed.enrich.entities import Entity, link_keys
from newsfeed.store import ArticleFilter, Storage
from newsfeed.types import Article

if TYPE_CHECKING:
    from newsfeed.update import StoredArticle

__all__ = [
    "MAX_CHARS",
    "EnrichStep",
    "analyse_article",
    "analysed_text",
    "enrich_articles",
    "enrich_stored",
    "stored_entity_keys",
]

log = logging.getLogger("newsfeed.enrich")

MAX_CHARS = 100_000
"""Only this much of a story's text is analysed: a page that runs on (a live blog, a dump of
a whole site) would otherwise hold up the pipeline. Offsets stay true for the prefix."""
KNOWN_FOR_LINKING = 500
"""How many of the most-named people (and organisations) short names may be linked to."""


def analysed_text(article: Article) -> str:
    """What is analysed: the story's text, then its photo captions (where places and people
    are often named, as Helsinki is in the seed story), each as its own paragraph. The text
    comes first so that offsets into it are offsets into ``Article.text``."""
    images = ((article.lead_image,) if article.lead_image else ()) + article.figures
    captions = [i.caption for i in images if i.caption and i.caption not in article.text]
    text = article.text[:MAX_CHARS]
    return text + "".join(f"\n\n{c}" for c in dict.fromkeys(captions))


def analyse_article(article: Article) -> Analysis | None:
    """The analysis, or ``None`` (logged) when the rules fail on this text: a bug in them
    must not stop stories arriving; ``enrich_stored`` retries later."""
    try:
        return analyse(analysed_text(article), article.published or article.updated, article.tags)
    except Exception:
        log.exception("could not analyse the story at %s", article.url or article.title)
        return None


def _known(store: Storage) -> list[Entity]:
    found = [*store.list_entities("person", limit=KNOWN_FOR_LINKING)]
    found += store.list_entities("org", limit=KNOWN_FOR_LINKING)
    return [Entity(e.key, e.name, e.kind, ()) for e in found]


class _Relinker:
    """Replaces short keys by the full ones they stand for, names along with them."""

    def __init__(self, links: Mapping[str, str], names: Mapping[str, str]) -> None:
        self.links = {k: v for k, v in links.items() if k != v}
        self.names = names

    def key(self, key: str | None) -> str | None:
        return self.links.get(key, key) if key else key

    def name(self, key: str | None, old: str | None) -> str | None:
        return self.names.get(self.links[key], old) if key in self.links else old

    def entity(self, e: Entity) -> Entity:
        if e.key not in self.links:
            return e
        return replace(e, key=self.links[e.key], name=self.name(e.key, e.name) or e.name)

    def analysis(self, a: Analysis) -> Analysis:
        if not self.links:
            return a
        quotes = tuple(
            replace(
                q, speaker_key=self.key(q.speaker_key), speaker=self.name(q.speaker_key, q.speaker)
            )
            for q in a.quotes
        )
        events = tuple(
            replace(
                t,
                said_by_key=self.key(t.said_by_key),
                said_by=self.name(t.said_by_key, t.said_by),
                entity_keys=tuple(dict.fromkeys(self.links.get(k, k) for k in t.entity_keys)),
            )
            for t in a.timeline
        )
        return replace(
            a,
            entities=tuple(self.entity(e) for e in a.entities),
            quotes=quotes,
            cited_sources=tuple(replace(c, key=self.key(c.key)) for c in a.cited_sources),
            timeline=events,
        )


def enrich_articles(store: Storage, items: Iterable[tuple[int, Article]]) -> int:
    """Analyse stored stories (id, article), link their short names, save each analysis.
    Returns how many were saved."""
    return save_analyses(store, ((i, analyse_article(art)) for i, art in items))


def save_analyses(store: Storage, analysed: Iterable[tuple[int, Analysis | None]]) -> int:
    """Link the short names of stored stories' analyses (id, analysis; ``None`` where the
    rules failed) and save each. Returns how many were saved."""
    done = [(i, a) for i, a in analysed if a is not None]
    if not done:
        return 0
    known = _known(store)
    links = link_keys([known, *(a.entities for _, a in done)])
    names = {e.key: e.name for e in known} | {e.key: e.name for _, a in done for e in a.entities}
    relink = _Relinker(links, names)
    rows = []
    for article_id, analysis in done:
        linked = relink.analysis(analysis)
        rows.append((article_id, analysis_to_json(linked), entity_refs(linked)))
    store.save_analyses(rows)  # one transaction for the batch
    return len(done)


class EnrichStep:
    """The after-store step. Storage errors propagate as from any other write."""

    prepare = staticmethod(analyse_article)

    def __call__(self, store: Storage, stored: Sequence[StoredArticle]) -> None:
        save_analyses(store, ((s.article_id, _analysis(s)) for s in stored))


def _analysis(stored: StoredArticle) -> Analysis | None:
    """The analysis the pipeline prepared, else (a page that could not be extracted, a
    caller outside the pipeline) one made now."""
    if analyse_article in stored.prepared:
        prepared = stored.prepared[analyse_article]
        return prepared if isinstance(prepared, Analysis) else None
    return analyse_article(stored.article)


def stored_entity_keys(store: Storage, article_ids: Sequence[int]) -> dict[int, frozenset[str]]:
    """The keys of the people, places and organisations each stored story names (none when
    it has not been analysed): what story clustering weighs besides the text. One query for
    them all."""
    saved = store.get_analyses(article_ids)
    return {i: _entity_keys(saved.get(i)) for i in article_ids}


def _entity_keys(saved: Mapping[str, Any] | None) -> frozenset[str]:
    if not saved or saved.get("version") != FORMAT_VERSION:
        return frozenset()
    # The keys straight from the JSON: parsing the whole analysis costs more than the lookup.
    return frozenset(e["key"] for e in saved.get("entities", ()))


def enrich_stored(store: Storage, *, redo: bool = False, batch: int = 100) -> int:
    """Analyse every stored story that has no analysis of the current format (every story
    when ``redo``). Returns how many were analysed."""
    done = 0
    cursor: str | None = None
    while True:
        page = store.list_articles(ArticleFilter(), cursor=cursor, limit=batch)
        todo = []
        for record in page.items:
            saved = None if redo else store.get_analysis(record.id)
            if saved is None or saved.get("version") != FORMAT_VERSION:
                todo.append((record.id, record.article))
        done += enrich_articles(store, todo)
        if page.next_cursor is None:
            return done
        cursor = page.next_cursor
