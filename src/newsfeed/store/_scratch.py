"""A throwaway PostgreSQL schema, for tests and benchmarks that share one database."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import sqlalchemy as sa


def schema_url(base: str, schema: str) -> str:
    """``base`` with its connections confined to ``schema`` (through ``search_path``)."""
    url = sa.make_url(base).update_query_dict({"options": f"-csearch_path={schema}"})
    return url.render_as_string(hide_password=False)


@contextmanager
def scratch_schema(base: str, schema: str) -> Iterator[str]:
    """Create ``schema`` empty, yield a URL confined to it, and drop it afterwards."""
    admin = sa.create_engine(base)
    try:
        with admin.begin() as conn:
            conn.exec_driver_sql(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
            conn.exec_driver_sql(f'CREATE SCHEMA "{schema}"')
        try:
            yield schema_url(base, schema)
        finally:
            with admin.begin() as conn:
                conn.exec_driver_sql(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
    finally:
        admin.dispose()
