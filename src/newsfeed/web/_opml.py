"""OPML in and out for the sources page.

STAND-IN: the fetch helper's ``newsfeed.feeds`` owns OPML parsing and writing; once it is on
main, point ``read_opml``/``write_opml`` at it (the routes call only these two functions).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import format_datetime

from lxml import etree  # type: ignore[import-untyped]

from newsfeed.errors import ParseError
from newsfeed.types import Source

MAX_OPML_BYTES = 5 * 1024 * 1024


@dataclass(frozen=True, slots=True)
class OpmlFeed:
    url: str
    title: str
    site_url: str | None = None
    category: str | None = None


def read_opml(data: bytes) -> list[OpmlFeed]:
    """The feeds an OPML subscription list names; nested outlines give the category."""
    if len(data) > MAX_OPML_BYTES:
        raise ParseError("the OPML file is larger than 5 MB")
    parser = etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False
    )
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        raise ParseError(f"this is not an OPML file: {exc}") from exc
    if root.tag != "opml" or root.find("body") is None:
        raise ParseError("this is not an OPML file: no <opml><body>")
    feeds: list[OpmlFeed] = []
    for outline in root.iter("outline"):
        url = (outline.get("xmlUrl") or "").strip()
        if not url.startswith(("http://", "https://")):
            continue
        parent = outline.getparent()
        category = parent.get("text") or parent.get("title") if parent.tag == "outline" else None
        title = outline.get("title") or outline.get("text") or url
        feeds.append(OpmlFeed(url, title.strip(), outline.get("htmlUrl"), category))
    return feeds


def write_opml(sources: list[Source], title: str = "newsfeed subscriptions") -> bytes:
    root = etree.Element("opml", version="2.0")
    head = etree.SubElement(root, "head")
    etree.SubElement(head, "title").text = title
    etree.SubElement(head, "dateCreated").text = format_datetime(datetime.now(UTC), usegmt=True)
    body = etree.SubElement(root, "body")
    groups: dict[str, etree._Element] = {}
    for source in sources:
        parent = body
        if source.category:
            if source.category not in groups:
                groups[source.category] = etree.SubElement(
                    body, "outline", text=source.category, title=source.category
                )
            parent = groups[source.category]
        attrs = {"type": "rss", "text": source.title, "title": source.title, "xmlUrl": source.url}
        if source.site_url:
            attrs["htmlUrl"] = source.site_url
        etree.SubElement(parent, "outline", attrs)
    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True))
