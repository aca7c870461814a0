"""The storage Protocol: what every backend offers and what each method raises.

Driver errors never cross this boundary: implementations wrap them in ``StorageError``.
Writes are idempotent upserts keyed by stable ids (an article's canonical URL, a feed
entry's source + guid), so re-running a batch never loses or duplicates a story.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from newsfeed.types import (
    Article,
    ArticleRecord,
    Page,
    Revision,
    SearchHit,
    Source,
    SourceKind,
    Story,
)


@dataclass(frozen=True, slots=True)
class NewArticle:
    """An article to store, with where and when it was found."""

    article: Article
    source_id: int | None = None
    guid: str | None = None
    fetched_at: datetime | None = None
    extract_error: str | None = None
    """Why the page could not be extracted; the article then holds the feed's own content."""


@dataclass(frozen=True, slots=True)
class UpsertResult:
    """What happened to one ``NewArticle``: its id, and whether it was new or changed."""

    article_id: int
    created: bool
    changed: bool
    """True when an existing story's title, text or editor's notes changed (a new revision)."""


@dataclass(frozen=True, slots=True)
class ArticleFilter:
    """Filters shared by listing and search. ``None`` means "any"."""

    source_id: int | None = None
    author: str | None = None
    story_id: int | None = None
    since: datetime | None = None
    until: datetime | None = None
    saved: bool | None = None
    read: bool | None = None
    entity: str | None = None
    """An entity key ("person:vladimir-putin"): only articles that name it."""


@dataclass(frozen=True, slots=True)
class AuthorSummary:
    """An author with how many stored stories credit them."""

    name: str
    role: str | None
    bio: str | None
    avatar_url: str | None
    article_count: int


@dataclass(frozen=True, slots=True)
class EntityRef:
    """One entity as one article names it: how often, and with which roles."""

    key: str
    name: str
    kind: str
    mentions: int
    roles: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class EntitySummary:
    """A person, organisation or place, with how many stored stories name it."""

    key: str
    name: str
    kind: str
    article_count: int


@dataclass(frozen=True, slots=True)
class EntityAnalysis:
    """A stored article that names an entity, with the article's whole analysis."""

    article_id: int
    title: str
    url: str | None
    published: datetime
    """Published, else first seen."""
    analysis: dict[str, Any]


@dataclass(frozen=True, slots=True)
class StoryChanges:
    """What story clustering decided for a batch: articles to assign as (article id, story
    id), merged stories as (absorbed id, surviving id), story titles as (id, title), and
    near-duplicates to link as (article id, duplicate of), all saved in one transaction.

    A story's times, article count and outlet count are derived from its articles by the
    store; a story given no title keeps its own, or takes its first article's."""

    assign: tuple[tuple[int, int], ...] = ()
    merged: tuple[tuple[int, int], ...] = ()
    titles: tuple[tuple[int, str], ...] = ()
    duplicates: tuple[tuple[int, int], ...] = ()


@dataclass(frozen=True, slots=True)
class VectorRow:
    """An article's stored embedding and MinHash signature (bytes, as their makers gave)."""

    article_id: int
    embedding: bytes | None
    signature: bytes | None


class Storage(Protocol):
    """A newsfeed database. Every method may raise ``StorageError``."""

    def close(self) -> None:
        """Release connections. Safe to call twice."""

    # --- sources ---------------------------------------------------------------------

    def add_source(
        self,
        url: str,
        title: str,
        *,
        kind: SourceKind = "rss",
        site_url: str | None = None,
        category: str | None = None,
    ) -> Source:
        """Follow a feed. Adding a URL that is already followed returns the existing source."""

    def get_source(self, source_id: int) -> Source:
        """Raises ``SourceNotFoundError``."""

    def get_source_by_url(self, url: str) -> Source | None:
        """The source following exactly this feed URL, if any."""

    def list_sources(self) -> list[Source]:
        """All sources, ordered by title."""

    def update_source(self, source: Source) -> None:
        """Save a source's mutable fields (title, category, fetch state, settings).

        Raises ``SourceNotFoundError``.
        """

    def remove_source(self, source_id: int) -> None:
        """Stop following a source. Its stories stay, detached. Raises ``SourceNotFoundError``."""

    # --- articles --------------------------------------------------------------------

    def upsert_articles(
        self, items: Sequence[NewArticle], *, defer_search: bool = False
    ) -> list[UpsertResult]:
        """Insert or update articles in one transaction, keyed by canonical URL, else by
        source + guid. When a stored story's title, text or editor's notes differ, a new
        ``Revision`` with a word diff is written. Results are in the order given.

        Search finds the articles once this returns, unless ``defer_search``: then they
        wait for ``update_search`` (a bulk import stores faster that way).
        """

    def get_article(self, article_id: int) -> ArticleRecord:
        """Raises ``NotFoundError``."""

    def get_article_by_url(self, url: str) -> ArticleRecord | None:
        """Looks up by canonical URL, then by the URL the page was fetched from."""

    def stored_urls(self, urls: Sequence[str]) -> set[str]:
        """Which of these URLs a stored article has as its canonical URL or as the URL its
        page was fetched from (``get_article_by_url`` for many at once)."""

    def list_articles(
        self,
        filter: ArticleFilter = ArticleFilter(),
        *,
        cursor: str | None = None,
        limit: int = 20,
        body: bool = True,
    ) -> Page[ArticleRecord]:
        """Newest first (published, else first seen), paged by an opaque keyset cursor.

        ``body=False`` leaves out what only an article page shows (text, HTML, blocks,
        figures, editor's notes, related links: their fields hold their defaults, and the
        text is kept only when ``word_count`` is 0, as the reading time then counts its
        words), for lists of cards and summaries, which then read a fraction of each row.

        Raises ``ValueError`` for a cursor this store did not make.
        """

    def count_articles(self, filter: ArticleFilter = ArticleFilter()) -> int:
        """How many stored articles match."""

    def search(
        self,
        query: str,
        filter: ArticleFilter = ArticleFilter(),
        *,
        cursor: str | None = None,
        limit: int = 20,
    ) -> Page[SearchHit]:
        """Full-text search over title and body, best match first. The snippet marks
        matches with ``<mark>`` and is otherwise plain, HTML-escaped text.
        """

    def update_search(self, *, batch: int = 2000) -> int:
        """Make every article stored with ``defer_search`` searchable, ``batch`` articles
        per transaction; how many there were."""

    def search_backlog(self) -> int:
        """How many stored articles search cannot find yet (waiting for ``update_search``)."""

    def set_read(self, article_id: int, read: bool) -> None:
        """Raises ``NotFoundError``."""

    def set_saved(self, article_id: int, saved: bool) -> None:
        """Raises ``NotFoundError``."""

    def get_revisions(self, article_id: int) -> list[Revision]:
        """Oldest first; the first revision has an empty diff. Raises ``NotFoundError``."""

    def list_authors(self, *, limit: int = 100) -> list[AuthorSummary]:
        """Authors by number of stories, most first."""

    # --- the update pipeline ---------------------------------------------------------

    def known_guids(self, source_id: int, guids: Sequence[str]) -> set[str]:
        """Which of these feed entry guids the source already has stored."""

    def recheck_candidates(self, born_after: datetime) -> list[ArticleRecord]:
        """Stories published (else first seen) after ``born_after``, newest first: the ones
        that may still be re-checked for edits."""

    def mark_checked(self, article_id: int, when: datetime) -> None:
        """Record that the story's page was looked at again at ``when``."""

    # --- enrichment ------------------------------------------------------------------

    def save_analysis(
        self, article_id: int, analysis: Mapping[str, Any], entities: Sequence[EntityRef]
    ) -> None:
        """Replace the article's analysis (any JSON object) and the entities it names, in one
        transaction; saving the same again changes nothing. An entity keeps the name and
        kind it was first saved with. Raises ``NotFoundError`` for an unknown article.
        """

    def save_analyses(
        self, items: Sequence[tuple[int, Mapping[str, Any], Sequence[EntityRef]]]
    ) -> None:
        """``save_analysis`` for many articles (article id, analysis, entities) in one
        transaction. Raises ``NotFoundError`` if any article is unknown, saving none."""

    def get_analysis(self, article_id: int) -> dict[str, Any] | None:
        """The article's saved analysis, or ``None`` when it has none yet."""

    def get_analyses(self, article_ids: Sequence[int]) -> dict[int, dict[str, Any]]:
        """The saved analyses of ``article_ids``, by id (those without one are absent)."""

    def get_entity(self, key: str) -> EntitySummary:
        """Raises ``NotFoundError``."""

    def list_entities(self, kind: str | None = None, *, limit: int = 100) -> list[EntitySummary]:
        """Entities named by at least one stored story, most stories first, then by name."""

    def entity_analyses(self, key: str, *, limit: int = 50) -> list[EntityAnalysis]:
        """The analyses of the newest ``limit`` stories naming the entity, newest first."""

    # --- stories and near-duplicates ---------------------------------------------------

    def apply_story_changes(self, changes: StoryChanges) -> None:
        """Move merged stories' articles to the survivor, assign articles, then bring every
        touched story's row up to date from its articles."""

    def get_story(self, story_id: int) -> Story:
        """The story with its article ids in time order. Raises ``NotFoundError``."""

    def get_stories(self, story_ids: Sequence[int]) -> dict[int, Story]:
        """The stories of ``story_ids`` that exist, by id, each as ``get_story`` gives it."""

    def list_stories(
        self, *, cursor: str | None = None, limit: int = 20, min_articles: int = 1
    ) -> Page[Story]:
        """Stories by latest activity, newest first; ``ValueError`` for a foreign cursor."""

    def add_duplicates(self, article_id: int, duplicate_of: Sequence[int]) -> None:
        """Link near-duplicates (idempotent)."""

    def get_duplicates(self, article_id: int) -> list[int]:
        """Ids linked as near-duplicates of the article, either way round."""

    def save_vectors(self, rows: Sequence[VectorRow]) -> None:
        """Store (replace) embeddings and signatures."""

    def list_vectors(
        self, *, since: datetime | None = None, after_id: int = 0, limit: int = 1000
    ) -> list[VectorRow]:
        """Stored vectors by article id, of articles sorted at or after ``since``."""

    def save_state(self, name: str, value: bytes) -> None:
        """Keep a named blob (e.g. the clusterer's snapshot)."""

    def load_state(self, name: str) -> bytes | None:
        """A named blob, if saved."""

    def reset_stories(self) -> None:
        """Forget all stories, duplicate links, vectors and state (before a rebuild)."""

    def articles_in_order(
        self, *, after: tuple[datetime, int] | None = None, limit: int = 500
    ) -> list[ArticleRecord]:
        """Stored articles oldest first (published, else first seen), keyset-paged by the
        last record's ``order_key``."""
