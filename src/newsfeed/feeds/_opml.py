"""OPML import and export, keeping categories.

A feed's category comes from the outlines it is nested in ("News/World" for a feed in a
"World" outline inside a "News" outline), else from its ``category`` attribute (the first
of a comma-separated list, slashes at the ends removed). Export writes categories back as
nested outlines, so a round trip keeps them.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import format_datetime
from typing import Any, Protocol

from lxml import etree

from newsfeed.errors import ParseError
from newsfeed.feeds._safety import parse_xml
from newsfeed.fetch import decode


@dataclass(frozen=True, slots=True)
class OpmlFeed:
    """One feed of an OPML file."""

    url: str
    title: str | None = None
    site_url: str | None = None
    category: str | None = None
    """Nested categories joined with "/", outermost first."""


class SourceLike(Protocol):
    """What ``write_opml`` needs of a source (``newsfeed.types.Source`` fits)."""

    @property
    def url(self) -> str: ...
    @property
    def title(self) -> str | None: ...
    @property
    def site_url(self) -> str | None: ...
    @property
    def category(self) -> str | None: ...


def parse_opml(body: bytes, url: str = "the OPML file") -> list[OpmlFeed]:
    """The feeds listed in an OPML document; ParseError if it is not OPML."""
    root = parse_xml(decode(body)[0], url, "OPML file")
    name = etree.QName(root).localname
    if name.lower() != "opml":
        raise ParseError(f"{url}: this is not an OPML file (its root is <{name}>)")
    body_el = root.find("body")
    if body_el is None:
        raise ParseError(f"{url}: this OPML file has no <body>")
    feeds: list[OpmlFeed] = []
    _walk(body_el, (), feeds)
    return feeds


def _walk(node: Any, path: tuple[str, ...], out: list[OpmlFeed]) -> None:
    for outline in node.iterchildren("outline"):
        title = _attr(outline, "title") or _attr(outline, "text")
        feed_url = _attr(outline, "xmlUrl") or _attr(outline, "xmlurl")
        if feed_url:
            category = "/".join(path) or _category_attr(_attr(outline, "category"))
            out.append(
                OpmlFeed(
                    url=feed_url,
                    title=title,
                    site_url=_attr(outline, "htmlUrl") or _attr(outline, "htmlurl"),
                    category=category or None,
                )
            )
        _walk(outline, (*path, title) if title and not feed_url else path, out)


def _category_attr(value: str | None) -> str | None:
    if not value:
        return None
    first = value.split(",")[0].strip().strip("/")
    return first or None


def _attr(el: Any, name: str) -> str | None:
    value = el.get(name)
    return " ".join(value.split()) or None if isinstance(value, str) else None


def write_opml(sources: Iterable[SourceLike | OpmlFeed], title: str = "newsfeed sources") -> str:
    """An OPML 2.0 document listing ``sources``, nested by their categories."""
    root = etree.Element("opml", version="2.0")
    head = etree.SubElement(root, "head")
    etree.SubElement(head, "title").text = title
    etree.SubElement(head, "dateCreated").text = format_datetime(datetime.now(UTC), usegmt=True)
    body = etree.SubElement(root, "body")
    folders: dict[tuple[str, ...], Any] = {(): body}
    for source in sorted(sources, key=lambda s: ((s.category or ""), (s.title or s.url).lower())):
        parent = _folder(folders, _split(source.category))
        attrs = {"type": "rss", "text": source.title or source.url, "xmlUrl": source.url}
        if source.title:
            attrs["title"] = source.title
        if source.site_url:
            attrs["htmlUrl"] = source.site_url
        etree.SubElement(parent, "outline", attrs)
    xml: bytes = etree.tostring(root, pretty_print=True, xml_declaration=True, encoding="UTF-8")
    return xml.decode("utf-8")


def _split(category: str | None) -> tuple[str, ...]:
    return tuple(part.strip() for part in (category or "").split("/") if part.strip())


def _folder(folders: dict[tuple[str, ...], Any], path: tuple[str, ...]) -> Any:
    if path not in folders:
        parent = _folder(folders, path[:-1])
        folders[path] = etree.SubElement(parent, "outline", text=path[-1], title=path[-1])
    return folders[path]
