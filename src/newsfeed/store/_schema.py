"""The tables as SQLAlchemy Core sees them (the migrations create them; keep both in step).

Search structures live outside these tables: on SQLite an external-content FTS5 table
``articles_fts`` kept in sync by triggers, on PostgreSQL a generated ``tsv`` column with a
GIN index. Both are created by the migrations and used through ``_search``.
"""

from __future__ import annotations

import sqlalchemy as sa

from newsfeed.store._types import UTCDateTime

metadata = sa.MetaData()

sources = sa.Table(
    "sources",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("url", sa.Text, nullable=False, unique=True),
    sa.Column("title", sa.Text, nullable=False),
    sa.Column("kind", sa.String(16), nullable=False),
    sa.Column("site_url", sa.Text),
    sa.Column("category", sa.Text),
    sa.Column("added", UTCDateTime, nullable=False),
    sa.Column("last_fetched", UTCDateTime),
    sa.Column("last_error", sa.Text),
    sa.Column("next_check", UTCDateTime),
    sa.Column("error_count", sa.Integer, nullable=False),
    sa.Column("etag", sa.Text),
    sa.Column("last_modified", sa.Text),
    sa.Column("interval_seconds", sa.Integer, nullable=False),
    sa.Column("fetch_full_page", sa.Boolean, nullable=False),
)

articles = sa.Table(
    "articles",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    # The story's identity (Article.key): its canonical URL, else its URL.
    sa.Column("url_key", sa.Text, unique=True),
    sa.Column("canonical_url", sa.Text),
    sa.Column("url", sa.Text),
    sa.Column("source_id", sa.Integer, sa.ForeignKey("sources.id", ondelete="SET NULL")),
    sa.Column("guid", sa.Text),
    sa.Column("title", sa.Text, nullable=False),
    sa.Column("dek", sa.Text),
    sa.Column("section", sa.Text),
    sa.Column("site_name", sa.Text),
    sa.Column("published", UTCDateTime),
    sa.Column("updated", UTCDateTime),
    sa.Column("first_seen", UTCDateTime, nullable=False),
    sa.Column("last_checked", UTCDateTime, nullable=False),
    sa.Column("sort_time", UTCDateTime, nullable=False),
    sa.Column("language", sa.String(35)),
    sa.Column("text", sa.Text, nullable=False),
    sa.Column("html", sa.Text, nullable=False),
    sa.Column("authors", sa.JSON, nullable=False),
    sa.Column("lead_image", sa.JSON),
    sa.Column("figures", sa.JSON, nullable=False),
    sa.Column("editor_notes", sa.JSON, nullable=False),
    sa.Column("blocks", sa.JSON, nullable=False),
    sa.Column("related", sa.JSON, nullable=False),
    sa.Column("tags", sa.JSON, nullable=False),
    sa.Column("reading_time", sa.Integer, nullable=False),
    sa.Column("stated_reading_time", sa.Integer),
    sa.Column("word_count", sa.Integer, nullable=False),
    sa.Column("paywalled", sa.Boolean, nullable=False),
    sa.Column("extract_error", sa.Text),
    sa.Column("story_id", sa.Integer),
    sa.Column("read", sa.Boolean, nullable=False),
    sa.Column("saved", sa.Boolean, nullable=False),
    sa.Column("revision_count", sa.Integer, nullable=False),
)

article_authors = sa.Table(
    "article_authors",
    metadata,
    sa.Column(
        "article_id",
        sa.Integer,
        sa.ForeignKey("articles.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    sa.Column("position", sa.Integer, primary_key=True),
    sa.Column("name", sa.Text, nullable=False),
    sa.Column("role", sa.Text),
    sa.Column("bio", sa.Text),
    sa.Column("avatar_url", sa.Text),
)

revisions = sa.Table(
    "revisions",
    metadata,
    sa.Column(
        "article_id",
        sa.Integer,
        sa.ForeignKey("articles.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    sa.Column("number", sa.Integer, primary_key=True),
    sa.Column("fetched_at", UTCDateTime, nullable=False),
    sa.Column("title", sa.Text, nullable=False),
    # NULL on the latest revision: its text is the article's own (saves storing it twice).
    sa.Column("text", sa.Text),
    sa.Column("editor_notes", sa.JSON, nullable=False),
    sa.Column("diff", sa.JSON, nullable=False),
)


def _article_fk() -> sa.Column[int]:
    return sa.Column(
        "article_id", sa.Integer, sa.ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True
    )


stories = sa.Table(
    "stories",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("title", sa.Text, nullable=False),
    sa.Column("first_seen", UTCDateTime, nullable=False),
    sa.Column("last_seen", UTCDateTime, nullable=False),
    sa.Column("article_count", sa.Integer, nullable=False),
    sa.Column("outlet_count", sa.Integer, nullable=False),
)

article_duplicates = sa.Table(
    "article_duplicates",
    metadata,
    _article_fk(),
    sa.Column(
        "duplicate_of",
        sa.Integer,
        sa.ForeignKey("articles.id", ondelete="CASCADE"),
        primary_key=True,
    ),
)

article_vectors = sa.Table(
    "article_vectors",
    metadata,
    _article_fk(),
    sa.Column("embedding", sa.LargeBinary),
    sa.Column("signature", sa.LargeBinary),
)

state = sa.Table(
    "state",
    metadata,
    sa.Column("name", sa.String(100), primary_key=True),
    sa.Column("value", sa.LargeBinary, nullable=False),
    sa.Column("updated", UTCDateTime, nullable=False),
)

article_analyses = sa.Table(
    "article_analyses",
    metadata,
    _article_fk(),
    sa.Column("analysis", sa.JSON, nullable=False),
)

entities = sa.Table(
    "entities",
    metadata,
    sa.Column("key", sa.String(200), primary_key=True),
    sa.Column("name", sa.Text, nullable=False),
    sa.Column("kind", sa.String(16), nullable=False),
    sa.Column("article_count", sa.Integer, nullable=False, server_default="0"),
)
"""``article_count``: how many stories link to the entity, kept by the writes that link."""

article_entities = sa.Table(
    "article_entities",
    metadata,
    _article_fk(),
    sa.Column(
        "entity_key",
        sa.String(200),
        sa.ForeignKey("entities.key", ondelete="CASCADE"),
        primary_key=True,
    ),
    sa.Column("mentions", sa.Integer, nullable=False),
    sa.Column("roles", sa.JSON, nullable=False),
)
