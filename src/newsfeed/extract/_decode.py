"""Bytes to text for HTML pages, best effort, refusing what is clearly not HTML.

Order of evidence, as browsers mostly do it: a byte-order mark, then a ``<meta charset>`` or
``<meta http-equiv="Content-Type">`` in the first 4 KiB, then strict UTF-8, then
charset_normalizer's guess, then Windows-1252 with replacement characters (never fails).

A declared Latin-1/Windows-1252 page whose bytes are valid UTF-8 with non-ASCII content is read
as UTF-8: that mislabel is common and the reverse mistake is impossible to make silently.

Input larger than ``MAX_INPUT_BYTES`` is cut there before decoding; the parser copes with the
truncated tail and the article is best effort.
"""

from __future__ import annotations

import codecs
import re

from newsfeed.errors import NotHTMLError

MAX_INPUT_BYTES = 10 * 1024 * 1024
"""Pages are cut at 10 MiB: real articles are far smaller, and this bounds time and memory."""

_SNIFF_BYTES = 4096
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f]")
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([a-zA-Z0-9_:.+-]+)""", re.I)
_HTML_TAG = re.compile(
    r"<(?:!doctype\s+html|html|head|body|title|meta|p|div|article|section|main|span|a|br|"
    r"h[1-6]|table|ul|ol|li|img|script|link|header|footer|nav|figure|blockquote)[\s>/]",
    re.I,
)
_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"%PDF", "a PDF document"),
    (b"\x89PNG", "a PNG image"),
    (b"GIF8", "a GIF image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"PK\x03\x04", "a ZIP archive (or an Office document)"),
    (b"\x1f\x8b", "gzip-compressed data (decompress it first)"),
    (b"\x7fELF", "an executable"),
    (b"RIFF", "a RIFF media file"),
    (b"\x00asm", "a WebAssembly module"),
    (b"7z\xbc\xaf", "a 7-Zip archive"),
)
_LATIN1_NAMES = {"iso8859-1", "cp1252", "ascii"}


def decode_html(data: str | bytes) -> str:
    """Return the page as text, or raise ``NotHTMLError`` saying why it is not HTML."""
    if isinstance(data, bytes):
        text = _decode_bytes(data[:MAX_INPUT_BYTES])
    else:
        text = data[:MAX_INPUT_BYTES]
    _check_html(text)
    return text


def _decode_bytes(data: bytes) -> str:
    if not data.strip():
        raise NotHTMLError("the page is empty: there is no HTML to extract an article from")
    for magic, what in _MAGIC:
        if data.startswith(magic):
            raise NotHTMLError(f"the input is {what}, not an HTML page")
    bom = _from_bom(data)
    if bom is not None:
        return bom
    declared = _declared_charset(data[:_SNIFF_BYTES])
    if declared is not None:
        text = _try_declared(data, declared)
        if text is not None:
            return text
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    return _guess(data)


def _from_bom(data: bytes) -> str | None:
    for bom, encoding in (
        (codecs.BOM_UTF8, "utf-8"),
        (codecs.BOM_UTF32_LE, "utf-32-le"),
        (codecs.BOM_UTF32_BE, "utf-32-be"),
        (codecs.BOM_UTF16_LE, "utf-16-le"),
        (codecs.BOM_UTF16_BE, "utf-16-be"),
    ):
        if data.startswith(bom):
            return data[len(bom) :].decode(encoding, errors="replace")
    return None


def _declared_charset(head: bytes) -> str | None:
    match = _META_CHARSET.search(head)
    if match is None:
        return None
    name = match.group(1).decode("ascii", errors="ignore").lower()
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def _try_declared(data: bytes, encoding: str) -> str | None:
    if encoding in _LATIN1_NAMES:
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            pass
        else:
            if not text.isascii():
                return text
        # The WHATWG rule: a page labelled Latin-1 is read as Windows-1252.
        encoding = "cp1252"
    if encoding.startswith(("utf-16", "utf-32")):
        # A page that could state its charset in ASCII is not UTF-16: the label is wrong.
        return None
    try:
        return data.decode(encoding)
    except UnicodeDecodeError:
        return None


def _guess(data: bytes) -> str:
    from charset_normalizer import from_bytes

    best = from_bytes(data[:200_000]).best()
    if best is not None and best.encoding:
        return data.decode(best.encoding, errors="replace")
    return data.decode("cp1252", errors="replace")


def _check_html(text: str) -> None:
    head = text[:_SNIFF_BYTES]
    if not text.strip():
        raise NotHTMLError("the page is empty: there is no HTML to extract an article from")
    controls = len(_CONTROL.findall(head))
    if controls > len(head) // 20:
        raise NotHTMLError("the input looks binary (many control bytes), not like an HTML page")
    if _HTML_TAG.search(text, 0, 1_000_000) is None:
        raise NotHTMLError(
            "the input has no HTML tags (no <html>, <body>, <p>, <div> …): it is not an HTML page"
        )
