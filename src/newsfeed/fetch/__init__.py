"""A polite, safe async HTTP client for feeds and pages.

Per-host concurrency and spacing, a global limit, robots.txt, conditional GET, retries
with backoff that honour Retry-After, a cap on the decompressed body, manual redirects with
a cap and loop detection, and an SSRF guard checked on every hop and at connect time.
"""

from newsfeed.fetch._charset import decode, detect_charset
from newsfeed.fetch._client import Fetcher
from newsfeed.fetch._guard import AddressPolicy, check_url
from newsfeed.fetch._limit import HostLimiter, LocalHostLimiter
from newsfeed.fetch._options import DEFAULT_USER_AGENT, FetchOptions, FetchResult
from newsfeed.fetch._retry import parse_retry_after

__all__ = [
    "DEFAULT_USER_AGENT",
    "AddressPolicy",
    "FetchOptions",
    "FetchResult",
    "Fetcher",
    "HostLimiter",
    "LocalHostLimiter",
    "check_url",
    "decode",
    "detect_charset",
    "parse_retry_after",
]
