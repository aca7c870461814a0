"""Shared test fixtures: where the shared data lives, and a PostgreSQL URL when one answers.

Locally, tests that need something absent (the shared data, a PostgreSQL server, Chromium)
skip with a message saying why. With ``CI=true`` the same absence fails the run instead.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED_DATA = Path(os.environ.get("NEWSFEED_SHARED_DATA", ROOT.parent / "shared" / "data"))
IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}
DEFAULT_POSTGRES_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


def need(condition: bool, why: str) -> None:
    """Skip locally, fail in CI, when something a test needs is missing."""
    if condition:
        return
    if IN_CI:
        pytest.fail(f"{why} (CI=true, so this fails instead of skipping)")
    pytest.skip(why)


@pytest.fixture(scope="session")
def shared_data() -> Path:
    need(SHARED_DATA.is_dir(), f"shared data not found at {SHARED_DATA}")
    return SHARED_DATA


@pytest.fixture(scope="session")
def postgres_url() -> str:
    """The PostgreSQL server the tests may use (``NEWSFEED_TEST_POSTGRES_URL`` overrides)."""
    import sqlalchemy as sa

    url = os.environ.get("NEWSFEED_TEST_POSTGRES_URL", DEFAULT_POSTGRES_URL)
    try:
        engine = sa.create_engine(url, connect_args={"connect_timeout": 3})
        with engine.connect():
            pass
        engine.dispose()
    except Exception as exc:  # any driver failure means "not reachable" here
        need(False, f"PostgreSQL at {url} is not reachable: {exc.__class__.__name__}")
    return url
