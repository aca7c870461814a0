"""Initial schema: sources, articles, article_authors, revisions and full-text search.

Revision ID: 0001
Revises:
Create Date: 2026-11-25
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from newsfeed.store._types import UTCDateTime

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    _sources()
    _articles()
    _children()
    if op.get_bind().dialect.name == "postgresql":
        _postgres_search()
    else:
        _sqlite_search()


def _sources() -> None:
    op.create_table(
        "sources",
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


def _articles() -> None:
    op.create_table(
        "articles",
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
    op.create_index("ix_articles_sort", "articles", ["sort_time", "id"])
    op.create_index("ix_articles_source_sort", "articles", ["source_id", "sort_time", "id"])
    op.create_index("ix_articles_story", "articles", ["story_id"])
    op.create_index("ix_articles_url", "articles", ["url"])
    op.create_index(
        "ux_articles_source_guid",
        "articles",
        ["source_id", "guid"],
        unique=True,
        sqlite_where=sa.text("guid IS NOT NULL"),
        postgresql_where=sa.text("guid IS NOT NULL"),
    )


def _children() -> None:
    op.create_table(
        "article_authors",
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
    op.create_index("ix_article_authors_name", "article_authors", ["name", "article_id"])
    op.create_table(
        "revisions",
        sa.Column(
            "article_id",
            sa.Integer,
            sa.ForeignKey("articles.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("number", sa.Integer, primary_key=True),
        sa.Column("fetched_at", UTCDateTime, nullable=False),
        sa.Column("title", sa.Text, nullable=False),
        sa.Column("text", sa.Text),
        sa.Column("editor_notes", sa.JSON, nullable=False),
        sa.Column("diff", sa.JSON, nullable=False),
    )


def _postgres_search() -> None:
    # 'simple' config: no stemming, works for every language the feeds carry. The body is
    # capped because a tsvector holds at most 1 MB. '<' becomes a space because the parser
    # would drop "<b and x>" from "a<b and x>y" as if it were an HTML tag.
    op.execute(
        "ALTER TABLE articles ADD COLUMN tsv tsvector GENERATED ALWAYS AS ("
        "setweight(to_tsvector('simple'::regconfig, replace(title, '<', ' ')), 'A') || "
        "setweight(to_tsvector('simple'::regconfig, "
        "replace(left(text, 200000), '<', ' ')), 'B')) STORED"
    )
    op.execute("CREATE INDEX ix_articles_tsv ON articles USING gin (tsv)")


def _sqlite_search() -> None:
    op.execute(
        "CREATE VIRTUAL TABLE articles_fts USING fts5("
        "title, text, content='articles', content_rowid='id', "
        "tokenize='unicode61 remove_diacritics 2')"
    )
    # Merge segments eight at a time rather than four: about a tenth less work per insert,
    # for a few more segments to read per query.
    op.execute("INSERT INTO articles_fts(articles_fts, rank) VALUES ('automerge', 8)")
    op.execute(
        "CREATE TRIGGER articles_fts_ai AFTER INSERT ON articles BEGIN "
        "INSERT INTO articles_fts(rowid, title, text) VALUES (new.id, new.title, new.text); END"
    )
    op.execute(
        "CREATE TRIGGER articles_fts_ad AFTER DELETE ON articles BEGIN "
        "INSERT INTO articles_fts(articles_fts, rowid, title, text) "
        "VALUES ('delete', old.id, old.title, old.text); END"
    )
    op.execute(
        "CREATE TRIGGER articles_fts_au AFTER UPDATE OF title, text ON articles BEGIN "
        "INSERT INTO articles_fts(articles_fts, rowid, title, text) "
        "VALUES ('delete', old.id, old.title, old.text); "
        "INSERT INTO articles_fts(rowid, title, text) VALUES (new.id, new.title, new.text); END"
    )
