"""The storage Protocol: what every backend offers and what each method raises.

Driver errors never cross this boundary: implementations wrap them in ``StorageError``.
Writes are idempotent upserts keyed by stable ids (an article's canonical URL, a feed
entry's source + guid), so re-running a batch never loses or duplicates a story.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from newsfeed.types import (
    Article,
    ArticleRecord,
    Page,
    Revision,
    SearchHit,
    Source,
    SourceKind,
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


@dataclass(frozen=True, slots=True)
class AuthorSummary:
    """An author with how many stored stories credit them."""

    name: str
    role: str | None
    bio: str | None
    avatar_url: str | None
    article_count: int


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

    def upsert_articles(self, items: Sequence[NewArticle]) -> list[UpsertResult]:
        """Insert or update articles in one transaction, keyed by canonical URL, else by
        source + guid. When a stored story's title, text or editor's notes differ, a new
        ``Revision`` with a word diff is written. Results are in the order given.
        """

    def get_article(self, article_id: int) -> ArticleRecord:
        """Raises ``NotFoundError``."""

    def get_article_by_url(self, url: str) -> ArticleRecord | None:
        """Looks up by canonical URL, then by the URL the page was fetched from."""

    def list_articles(
        self,
        filter: ArticleFilter = ArticleFilter(),
        *,
        cursor: str | None = None,
        limit: int = 20,
    ) -> Page[ArticleRecord]:
        """Newest first (published, else first seen), paged by an opaque keyset cursor.

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
