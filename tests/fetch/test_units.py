"""Small pure parts of the fetcher: Retry-After, backoff, capped decoding."""

from __future__ import annotations

import gzip
import random
import zlib
from datetime import UTC, datetime

import brotli
import pytest

from newsfeed.errors import ConfigError, FetchError, ResponseTooLarge
from newsfeed.fetch import FetchOptions, parse_retry_after
from newsfeed.fetch._decode import BodyReader
from newsfeed.fetch._retry import backoff

NOW = datetime(2025, 8, 4, 10, 0, 0, tzinfo=UTC)


def test_retry_after_seconds_and_http_date() -> None:
    assert parse_retry_after("120", NOW) == 120
    assert parse_retry_after("Mon, 04 Aug 2025 10:00:30 GMT", NOW) == 30
    assert parse_retry_after("Mon, 04 Aug 2025 09:00:00 GMT", NOW) == 0  # in the past
    assert parse_retry_after("soon", NOW) is None
    assert parse_retry_after(None, NOW) is None


def test_backoff_doubles_with_jitter() -> None:
    rng = random.Random(1)
    for attempt in range(5):
        delay = backoff(attempt, 0.5, rng)
        assert 0.5 * 2**attempt <= delay <= 2 * 0.5 * 2**attempt
    assert len({backoff(2, 0.5, rng) for _ in range(10)}) > 1  # jitter varies


def _read(encoding: str | None, body: bytes, cap: int, chunk: int = 1000) -> bytes:
    reader = BodyReader(encoding, cap, "https://x/")
    for start in range(0, len(body), chunk):
        reader.feed(body[start : start + chunk])
    return reader.body()


PLAIN = b"news " * 20_000


@pytest.mark.parametrize(
    ("encoding", "packed"),
    [
        ("gzip", gzip.compress(PLAIN)),
        ("x-gzip", gzip.compress(PLAIN)),
        ("deflate", zlib.compress(PLAIN)),
        ("deflate", zlib.compress(PLAIN)[2:-4]),  # raw deflate, as some servers send
        ("br", brotli.compress(PLAIN)),
        (None, PLAIN),
        ("identity", PLAIN),
    ],
)
def test_decoding(encoding: str | None, packed: bytes) -> None:
    assert _read(encoding, packed, cap=len(PLAIN)) == PLAIN


@pytest.mark.parametrize("encoding", ["gzip", "deflate", "br"])
def test_bombs_stop_at_the_cap(encoding: str) -> None:
    zeros = b"\0" * (50 * 1024 * 1024)
    packed = {
        "gzip": gzip.compress,
        "deflate": zlib.compress,
        "br": brotli.compress,
    }[encoding](zeros)
    assert len(packed) < 200_000
    with pytest.raises(ResponseTooLarge, match="larger than the 1 MB limit"):
        _read(encoding, packed, cap=1024 * 1024, chunk=65536)


def test_corrupt_and_unknown_encodings() -> None:
    with pytest.raises(FetchError, match="corrupt"):
        _read("gzip", b"not gzip at all", cap=1000)
    with pytest.raises(FetchError, match="unsupported Content-Encoding 'zstd'"):
        _read("zstd", b"x", cap=1000)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"total_timeout": 0}, "total_timeout must be positive"),
        ({"per_host_concurrency": 0}, "per_host_concurrency must be positive"),
        ({"retries": -1}, "retries cannot be negative"),
        ({"allowed_networks": ("localhost",)}, "'localhost' is not a network"),
    ],
)
def test_bad_options_are_refused(changes: dict[str, object], message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        FetchOptions(**changes)  # type: ignore[arg-type]
