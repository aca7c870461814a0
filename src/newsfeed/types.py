"""Public data types: frozen dataclasses, no behaviour beyond small derived properties.

Parsed input (``Feed``, ``Entry``, ``Article`` as returned by ``extract``) is kept apart from
stored records (``Source``, ``ArticleRecord``, ``Revision``, ``Story``), as in lemon24/reader.
All datetimes are timezone-aware (UTC where the source gave no zone).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Generic, Literal, TypeVar

BlockKind = Literal["paragraph", "heading", "quote", "list", "figure", "embed"]
NoteKind = Literal["editor_note", "correction", "update"]
SourceKind = Literal["rss", "atom", "jsonfeed", "rdf", "sitemap", "page"]
DiffOp = Literal["equal", "insert", "delete"]

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Author:
    """A person credited with a story, as the page describes them."""

    name: str
    role: str | None = None
    bio: str | None = None
    avatar_url: str | None = None
    url: str | None = None


@dataclass(frozen=True, slots=True)
class Image:
    """An image with its caption and photo credit kept apart."""

    url: str
    alt: str | None = None
    caption: str | None = None
    credit: str | None = None
    width: int | None = None
    height: int | None = None


@dataclass(frozen=True, slots=True)
class EditorNote:
    """An editor's note, correction or update notice; never part of the body."""

    text: str
    kind: NoteKind = "editor_note"


@dataclass(frozen=True, slots=True)
class RelatedLink:
    """A link to another story; ``excerpt`` is cut at a word boundary."""

    title: str
    url: str
    excerpt: str | None = None


@dataclass(frozen=True, slots=True)
class Block:
    """One piece of the article body in reading order.

    ``text`` holds the plain text; a list keeps its items in ``items``, a heading its
    ``level``, a figure its ``image`` and an embed its ``url``.
    """

    kind: BlockKind
    text: str = ""
    level: int | None = None
    items: tuple[str, ...] = ()
    ordered: bool = False
    image: Image | None = None
    url: str | None = None


@dataclass(frozen=True, slots=True)
class Article:
    """A news page turned into a structured story (the result of ``extract``)."""

    title: str
    url: str | None = None
    canonical_url: str | None = None
    dek: str | None = None
    section: str | None = None
    site_name: str | None = None
    authors: tuple[Author, ...] = ()
    published: datetime | None = None
    updated: datetime | None = None
    language: str | None = None
    lead_image: Image | None = None
    figures: tuple[Image, ...] = ()
    editor_notes: tuple[EditorNote, ...] = ()
    blocks: tuple[Block, ...] = ()
    text: str = ""
    html: str = ""
    related: tuple[RelatedLink, ...] = ()
    tags: tuple[str, ...] = ()
    paywalled: bool = False
    stated_reading_time: int | None = None
    """Minutes, as the page itself states ("3 min read"), if it does."""
    reading_time: int = 0
    """Minutes, computed: see ``newsfeed.enrich.reading_time`` for the formula."""
    word_count: int = 0

    @property
    def key(self) -> str | None:
        """The stable identity of the story: its canonical URL, else its URL."""
        return self.canonical_url or self.url


@dataclass(frozen=True, slots=True)
class Entry:
    """One item of a parsed feed or sitemap."""

    guid: str
    link: str | None = None
    title: str | None = None
    summary: str | None = None
    content_html: str | None = None
    authors: tuple[Author, ...] = ()
    published: datetime | None = None
    updated: datetime | None = None
    image: Image | None = None
    tags: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Feed:
    """A parsed feed (RSS, Atom, JSON Feed, RDF) or news sitemap."""

    url: str
    kind: SourceKind
    title: str | None = None
    link: str | None = None
    description: str | None = None
    language: str | None = None
    updated: datetime | None = None
    image_url: str | None = None
    ttl_minutes: int | None = None
    """The publisher's hint for how often to poll (RSS ``ttl``, ``sy:updatePeriod``)."""
    entries: tuple[Entry, ...] = ()


@dataclass(frozen=True, slots=True)
class Source:
    """A followed publisher feed, as stored."""

    id: int
    url: str
    title: str
    kind: SourceKind = "rss"
    site_url: str | None = None
    category: str | None = None
    added: datetime | None = None
    last_fetched: datetime | None = None
    last_error: str | None = None
    next_check: datetime | None = None
    error_count: int = 0
    etag: str | None = None
    last_modified: str | None = None
    interval_seconds: int = 3600
    fetch_full_page: bool = True


@dataclass(frozen=True, slots=True)
class ArticleRecord:
    """A stored story: the extracted article plus what newsfeed knows about it."""

    id: int
    article: Article
    source_id: int | None = None
    guid: str | None = None
    first_seen: datetime | None = None
    last_checked: datetime | None = None
    extract_error: str | None = None
    story_id: int | None = None
    revision_count: int = 1
    read: bool = False
    saved: bool = False

    @property
    def order_key(self) -> tuple[datetime, int]:
        """Where the record sorts in time: (published, else first seen; id)."""
        when = self.article.published or self.first_seen
        if when is None:
            raise ValueError(f"article {self.id} has neither a publication nor a first-seen time")
        return when, self.id


@dataclass(frozen=True, slots=True)
class DiffChunk:
    """A run of words that stayed, was inserted or was deleted between two revisions."""

    op: DiffOp
    text: str


@dataclass(frozen=True, slots=True)
class Revision:
    """One stored version of a story, with the word-level diff from the previous one."""

    article_id: int
    number: int
    fetched_at: datetime
    title: str
    text: str
    editor_notes: tuple[EditorNote, ...] = ()
    diff: tuple[DiffChunk, ...] = ()
    added_notes: tuple[EditorNote, ...] = ()
    """Editor's notes, corrections and updates that first appear in this revision: the
    update events ("Editor's note: The story was updated with …")."""


@dataclass(frozen=True, slots=True)
class Story:
    """One event as covered by one or more outlets."""

    id: int
    title: str
    first_seen: datetime
    last_seen: datetime
    article_ids: tuple[int, ...] = ()
    outlet_count: int = 0


@dataclass(frozen=True, slots=True)
class SearchHit:
    """A search result: the record, its rank (higher is better) and a highlighted snippet."""

    record: ArticleRecord
    rank: float
    snippet: str = ""


@dataclass(frozen=True, slots=True)
class Page(Generic[T]):
    """One page of results; pass ``next_cursor`` back to get the next page."""

    items: tuple[T, ...] = field(default_factory=tuple)
    next_cursor: str | None = None
