from __future__ import annotations

from collections.abc import Iterator

import pytest
from tests.simulator import Simulator


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture
def sim() -> Iterator[Simulator]:
    """Three synthetic publishers, each on its own loopback port."""
    with Simulator(publishers=3, items=5) as simulator:
        yield simulator
