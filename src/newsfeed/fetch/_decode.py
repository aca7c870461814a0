"""Content-Encoding decoding with a hard cap on the decompressed size.

httpx's own decoders inflate each network chunk in full, so one 64 KB chunk of a gzip bomb
can become gigabytes before any check runs. These decoders never produce more than the
remaining budget plus one byte per call, so a bomb is caught after at most ``cap + 1``
bytes of output.
"""

from __future__ import annotations

import zlib
from collections.abc import Callable

import brotli

from newsfeed.errors import FetchError, ResponseTooLarge

ACCEPT_ENCODING = "gzip, deflate, br"


class BodyReader:
    """Feed raw chunks in, get the decoded body out; raises once the cap is passed."""

    def __init__(self, encoding: str | None, cap: int, url: str) -> None:
        self._cap = cap
        self._url = url
        self._parts: list[bytes] = []
        self._size = 0
        self._step = _decoder(_last_coding(encoding), url)

    def feed(self, chunk: bytes) -> None:
        for piece in self._step(chunk, self._cap - self._size + 1):
            self._size += len(piece)
            if self._size > self._cap:
                raise too_large(self._url, self._cap)
            self._parts.append(piece)

    def body(self) -> bytes:
        self.feed(b"")
        return b"".join(self._parts)


def too_large(url: str, cap: int) -> ResponseTooLarge:
    return ResponseTooLarge(
        f"{url}: the response is larger than the {_mb(cap)} limit (after decompression)",
        url=url,
    )


Step = Callable[[bytes, int], list[bytes]]


def _last_coding(encoding: str | None) -> str:
    codings = [c.strip().lower() for c in (encoding or "").split(",") if c.strip()]
    if len(codings) > 1:
        # Stacked codings are legal but unused in practice; refusing them keeps the cap simple.
        raise FetchError(f"unsupported stacked Content-Encoding {encoding!r}")
    return codings[0] if codings else "identity"


def _decoder(coding: str, url: str) -> Step:
    if coding in ("identity", ""):
        return lambda data, budget: [data] if data else []
    if coding in ("gzip", "x-gzip"):
        return _zlib_step(zlib.decompressobj(16 + zlib.MAX_WBITS), url)
    if coding == "deflate":
        return _deflate_step(url)
    if coding == "br":
        return _brotli_step(url)
    raise FetchError(f"{url}: unsupported Content-Encoding {coding!r}", url=url)


def _zlib_step(obj: zlib._Decompress, url: str) -> Step:
    def step(data: bytes, budget: int) -> list[bytes]:
        out: list[bytes] = []
        try:
            piece = obj.decompress(data, budget)
            out.append(piece)
            while obj.unconsumed_tail and sum(map(len, out)) < budget:
                out.append(obj.decompress(obj.unconsumed_tail, budget))
        except zlib.error as exc:
            raise FetchError(f"{url}: the compressed body is corrupt ({exc})", url=url) from None
        return [p for p in out if p]

    return step


def _deflate_step(url: str) -> Step:
    # "deflate" should be zlib-wrapped, but some servers send raw deflate; decide on the
    # first bytes as browsers do.
    chosen: list[Step] = []

    def step(data: bytes, budget: int) -> list[bytes]:
        if not chosen:
            if not data:
                return []
            wrapped = len(data) >= 2 and data[0] & 0x0F == 8 and (data[0] << 8 | data[1]) % 31 == 0
            wbits = zlib.MAX_WBITS if wrapped else -zlib.MAX_WBITS
            chosen.append(_zlib_step(zlib.decompressobj(wbits), url))
        return chosen[0](data, budget)

    return step


def _brotli_step(url: str) -> Step:
    obj = brotli.Decompressor()

    def step(data: bytes, budget: int) -> list[bytes]:
        out: list[bytes] = []
        try:
            out.append(obj.process(data, output_buffer_limit=budget))
            while not obj.can_accept_more_data() and sum(map(len, out)) < budget:
                out.append(obj.process(b"", output_buffer_limit=budget))
        except brotli.error as exc:
            raise FetchError(f"{url}: the compressed body is corrupt ({exc})", url=url) from None
        return [p for p in out if p]

    return step


def _mb(size: int) -> str:
    return f"{size / 1024 / 1024:g} MB" if size >= 1024 * 1024 else f"{size} bytes"
