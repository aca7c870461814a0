"""The renewer behind the feed locks and the host slots stops when its block ends."""

from __future__ import annotations

import asyncio
import contextlib
import threading

from newsfeed.distributed._locks import renewing


def test_renewing_stops_even_when_a_renewal_swallows_the_cancellation() -> None:
    renewals = 0

    async def renew() -> None:
        nonlocal renewals
        renewals += 1
        with contextlib.suppress(asyncio.CancelledError):  # as a client library may
            await asyncio.sleep(0.3)

    async def block() -> None:
        async with renewing(renew, 0.01):
            while renewals == 0:  # leave while the first renewal is still waiting
                await asyncio.sleep(0.001)

    # In a thread, so that a renewer that never stops fails the test instead of hanging it.
    runner = threading.Thread(target=asyncio.run, args=(block(),), daemon=True)
    runner.start()
    runner.join(timeout=10)
    assert not runner.is_alive(), "the block never ended: its renewer kept going"
    assert renewals == 1


def test_renewing_renews_while_the_block_runs() -> None:
    renewals = 0

    async def renew() -> None:
        nonlocal renewals
        renewals += 1

    async def block() -> None:
        async with renewing(renew, 0.01):
            await asyncio.sleep(0.2)

    asyncio.run(block())
    assert 5 <= renewals <= 20
