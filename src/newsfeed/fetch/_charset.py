"""Which character encoding a fetched document is in.

Order: a byte-order mark; the HTTP ``charset``; ``<meta charset>`` / ``http-equiv`` or the
XML declaration; for undeclared documents UTF-8 if the bytes are valid UTF-8; else
detection with charset_normalizer. A declared label that cannot decode the bytes falls
through to detection, and so does a Latin-1 label on text that decodes to mojibake
(Cyrillic served as "iso-8859-1" is the classic case).
"""

from __future__ import annotations

import codecs
import re
import unicodedata

import charset_normalizer

_BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_HEADER_CHARSET = re.compile(r"""charset\s*=\s*["']?([\w.:-]+)""", re.I)
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([\w.:-]+)""", re.I)
_XML_DECL = re.compile(rb"""^\s*<\?xml[^>]*encoding\s*=\s*["']([\w.:-]+)["']""")
_WEAK = {"iso8859-1", "latin-1", "cp1252", "ascii"}
_SNIFF_BYTES = 4096
# Most used first (W3Techs); a detector's close call between these and a rarer sibling
# goes to these.
_WEB_ENCODINGS = tuple(
    codecs.lookup(name).name
    for name in (
        "utf-8",
        "cp1252",
        "cp1251",
        "shift_jis",
        "gb18030",
        "euc-kr",
        "cp1250",
        "cp1256",
        "euc-jp",
        "cp1253",
        "cp1254",
        "big5",
        "cp1255",
        "cp1257",
        "cp874",
        "cp1258",
    )
)


def detect_charset(body: bytes, content_type: str | None = None) -> str:
    """The Python codec name to decode ``body`` with; never fails."""
    for bom, name in _BOMS:
        if body.startswith(bom):
            return name
    declared = _declared(body, content_type)
    if declared and _decodes(body, declared):
        if _normal(declared) in _WEAK and _looks_like_mojibake(body, declared):
            return _detect(body) or declared
        return declared
    if not declared and _decodes(body, "utf-8"):
        return "utf-8"
    return _detect(body) or "utf-8"


def decode(body: bytes, content_type: str | None = None) -> tuple[str, str]:
    """The decoded text and the charset used (BOM removed, bad bytes replaced)."""
    charset = detect_charset(body, content_type)
    codec = "utf-8-sig" if _normal(charset) == "utf-8" else charset
    return body.decode(codec, errors="replace"), charset


def _declared(body: bytes, content_type: str | None) -> str | None:
    candidates: list[str] = []
    if content_type and (header := _HEADER_CHARSET.search(content_type)):
        candidates.append(header.group(1))
    head = body[:_SNIFF_BYTES]
    for pattern in (_XML_DECL, _META_CHARSET):
        if found := pattern.search(head):
            candidates.append(found.group(1).decode("ascii", "replace"))
    for label in candidates:
        if _known(label):
            return _known(label)
    return None


def _known(label: str) -> str | None:
    try:
        name = codecs.lookup(label).name
    except LookupError:
        return None
    # WHATWG: pages labelled Latin-1 or ASCII are decoded as windows-1252.
    return "cp1252" if name in ("iso8859-1", "latin-1", "ascii") else name


def _normal(name: str) -> str:
    try:
        return codecs.lookup(name).name
    except LookupError:
        return name


def _decodes(body: bytes, charset: str) -> bool:
    try:
        body.decode(charset)
    except (UnicodeDecodeError, LookupError):
        return False
    return True


def _looks_like_mojibake(body: bytes, charset: str) -> bool:
    """True when most letters are non-ASCII, as when Cyrillic bytes are read as Latin-1."""
    text = body[:65536].decode(charset, errors="replace")
    letters = [c for c in text if c.isalpha()]
    if len(letters) < 20:
        return False
    return sum(1 for c in letters if ord(c) > 127) / len(letters) > 0.3


def _detect(body: bytes) -> str | None:
    """charset_normalizer's guess, nudged towards the code pages the web actually uses.

    Among near-equal candidates the detector often picks a rare sibling (Russian as
    mac-cyrillic, Portuguese as Baltic cp1257); a common web encoding that explains the
    text almost as well wins, and Latin-script text that windows-1252 decodes gets it.
    """
    matches = list(charset_normalizer.from_bytes(body[:262144]))
    if not matches:
        return None
    best = matches[0]
    close = {
        _normal(m.encoding)
        for m in matches
        if m.chaos <= best.chaos + 0.02 and m.coherence >= best.coherence * 0.75
    }
    for name in _WEB_ENCODINGS:
        if name in close:
            return name
    name = _normal(best.encoding)
    if _decodes(body, "cp1252") and _latin_only(str(best)):
        return "cp1252"
    return name


def _latin_only(text: str) -> bool:
    letters = [c for c in text if c.isalpha() and ord(c) > 127]
    return all(unicodedata.name(c, "").startswith("LATIN") for c in letters)
