"""Stories, near-duplicates and enrichment (entities, quotes, dates, timelines).

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-25

* ``stories``: one event's coverage; ``articles.story_id`` points here.
* ``article_duplicates``: near-duplicate links (syndicated copies), kept, not dropped.
* ``article_vectors``: per-article embedding and MinHash signature, so the in-memory indexes
  can be rebuilt without re-reading every text.
* ``state``: named blobs, such as the story clusterer's snapshot.
* ``article_analyses``: the whole enrichment of an article (entities, quotes, cited sources,
  dates, timeline) as JSON; ``entities`` and ``article_entities`` index it for entity pages.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from newsfeed.store._types import UTCDateTime

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def _article_fk(primary_key: bool = True) -> sa.Column[int]:
    return sa.Column(
        "article_id",
        sa.Integer,
        sa.ForeignKey("articles.id", ondelete="CASCADE"),
        primary_key=primary_key,
    )


def upgrade() -> None:
    op.create_table(
        "stories",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("title", sa.Text, nullable=False),
        sa.Column("first_seen", UTCDateTime, nullable=False),
        sa.Column("last_seen", UTCDateTime, nullable=False),
        sa.Column("article_count", sa.Integer, nullable=False),
        sa.Column("outlet_count", sa.Integer, nullable=False),
    )
    op.create_index("ix_stories_last_seen", "stories", ["last_seen", "id"])
    op.create_table(
        "article_duplicates",
        _article_fk(),
        sa.Column(
            "duplicate_of",
            sa.Integer,
            sa.ForeignKey("articles.id", ondelete="CASCADE"),
            primary_key=True,
        ),
    )
    op.create_index("ix_article_duplicates_of", "article_duplicates", ["duplicate_of"])
    op.create_table(
        "article_vectors",
        _article_fk(),
        sa.Column("embedding", sa.LargeBinary),
        sa.Column("signature", sa.LargeBinary),
    )
    op.create_table(
        "state",
        sa.Column("name", sa.String(100), primary_key=True),
        sa.Column("value", sa.LargeBinary, nullable=False),
        sa.Column("updated", UTCDateTime, nullable=False),
    )
    op.create_table(
        "article_analyses",
        _article_fk(),
        sa.Column("analysis", sa.JSON, nullable=False),
    )
    op.create_table(
        "entities",
        sa.Column("key", sa.String(200), primary_key=True),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
    )
    op.create_table(
        "article_entities",
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
    op.create_index("ix_article_entities_key", "article_entities", ["entity_key", "article_id"])
