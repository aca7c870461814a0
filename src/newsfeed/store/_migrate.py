"""Alembic, run by newsfeed itself: bring a database to the newest schema on open.

The migration scripts ship inside the package (``migrations/versions``), append-only.
A database stamped with a revision this code does not know was written by a newer
newsfeed: refuse it with ``SchemaError`` rather than guess.
"""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.engine import Connection

from newsfeed.errors import SchemaError

_SCRIPTS = Path(__file__).with_name("migrations")


def _config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(_SCRIPTS))
    return config


def head() -> str:
    """The newest schema revision this code knows."""
    revision = ScriptDirectory.from_config(_config()).get_current_head()
    assert revision is not None
    return revision


def current(conn: Connection) -> set[str]:
    return set(MigrationContext.configure(conn).get_current_heads())


def check_known(conn: Connection, where: str) -> bool:
    """Raise ``SchemaError`` for a schema newer than this code; True when one is needed."""
    scripts = ScriptDirectory.from_config(_config())
    known = {s.revision for s in scripts.walk_revisions()}
    stamped = current(conn)
    unknown = stamped - known
    if unknown:
        raise SchemaError(
            f"the database {where} has schema revision {', '.join(sorted(unknown))}, "
            "newer than this newsfeed knows: upgrade newsfeed"
        )
    return stamped != {head()}


def upgrade(conn: Connection) -> None:
    """Migrate to head on ``conn``, inside the caller's transaction."""
    config = _config()
    config.attributes["connection"] = conn
    command.upgrade(config, "head")
