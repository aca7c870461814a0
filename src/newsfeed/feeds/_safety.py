"""Shared guards for XML input: refuse entity declarations, decode to text safely.

Entities can only be declared in a DOCTYPE's internal subset, before the root element,
so that is where the scan looks. Real feeds never declare entities; XML bombs (billion
laughs, quadratic blow-up) and external-entity tricks always do.
"""

from __future__ import annotations

import re
import zlib

from lxml import etree

from newsfeed.errors import ParseError
from newsfeed.fetch import decode

_ROOT = re.compile(r"<[A-Za-z_]")
_ENTITY = re.compile(r"<!ENTITY", re.I)
_XML_DECL = re.compile(r"^(\s*<\?xml[^>]*?encoding\s*=\s*)([\"'])[\w.:-]+\2")
MAX_SITEMAP_BYTES = 50 * 1024 * 1024


def xml_text(body: bytes, url: str, content_type: str | None = None) -> str:
    """Decode an XML document (charset from header, BOM, declaration or detection) and
    refuse it if it declares entities."""
    text, _ = decode(body, content_type)
    text = text.lstrip("\ufeff")
    refuse_entities(text, url)
    return text


def refuse_entities(text: str, url: str) -> None:
    root = _ROOT.search(text)
    prolog = text[: root.start()] if root else text
    if _ENTITY.search(prolog):
        raise ParseError(
            f"{url}: the document declares XML entities, which newsfeed refuses "
            "(a common way to build an XML bomb); no feed uses them"
        )


def as_utf8_xml(text: str) -> bytes:
    """The text as UTF-8 bytes whose XML declaration says so."""
    return _XML_DECL.sub(r"\1\2utf-8\2", text, count=1).encode("utf-8")


def safe_parser() -> etree.XMLParser:
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        huge_tree=False,
        load_dtd=False,
        dtd_validation=False,
        remove_comments=True,
        remove_pis=True,
    )


def parse_xml(text: str, url: str, what: str) -> etree._Element:
    refuse_entities(text, url)
    try:
        return etree.fromstring(as_utf8_xml(text), safe_parser())
    except etree.XMLSyntaxError as exc:
        raise ParseError(f"{url}: this {what} is not well-formed XML ({exc})") from None


def gunzip_capped(body: bytes, url: str, cap: int = MAX_SITEMAP_BYTES) -> bytes:
    """Inflate a gzip file (a ``.xml.gz`` sitemap) without letting it grow past ``cap``."""
    inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
    try:
        out = inflater.decompress(body, cap + 1)
    except zlib.error as exc:
        raise ParseError(f"{url}: the gzip file is corrupt ({exc})") from None
    if len(out) > cap:
        raise ParseError(f"{url}: the file inflates to more than {cap // 1024 // 1024} MB")
    return out
