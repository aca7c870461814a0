"""Entities keep how many stories name them, so the entity index reads a few rows.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-06

Counting every link at read time made the entity index (and the web's entity pages) cost
more with every story stored: about 2 s a query at 200,000 stories. The count is now kept
by the writes that link stories to entities, and an index per ordering serves the lists.
Links that go because their story was deleted (a cascade, not a write of the store's) are
taken off the count by a trigger.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

_STORY_GONE = "NOT EXISTS (SELECT 1 FROM articles WHERE id = OLD.article_id)"
_UNCOUNT = "UPDATE entities SET article_count = article_count - 1 WHERE key = OLD.entity_key"


def upgrade() -> None:
    op.add_column(
        "entities",
        sa.Column("article_count", sa.Integer, nullable=False, server_default="0"),
    )
    op.execute(
        "UPDATE entities SET article_count = "
        "(SELECT count(*) FROM article_entities WHERE article_entities.entity_key = entities.key)"
    )
    op.create_index(
        "ix_entities_by_count", "entities", [sa.text("article_count DESC"), "name", "key"]
    )
    op.create_index(
        "ix_entities_kind_by_count",
        "entities",
        ["kind", sa.text("article_count DESC"), "name", "key"],
    )

    if op.get_bind().dialect.name == "sqlite":
        op.execute(
            "CREATE TRIGGER article_entities_pruned AFTER DELETE ON article_entities "
            f"WHEN {_STORY_GONE} BEGIN {_UNCOUNT}; END"
        )
        return
    op.execute(
        "CREATE FUNCTION article_entities_pruned() RETURNS trigger LANGUAGE plpgsql AS $$ "
        f"BEGIN IF {_STORY_GONE} THEN {_UNCOUNT}; END IF; RETURN NULL; END $$"
    )
    op.execute(
        "CREATE TRIGGER article_entities_pruned AFTER DELETE ON article_entities "
        "FOR EACH ROW EXECUTE FUNCTION article_entities_pruned()"
    )
