"""Authors: names from structured data or the byline, details from author cards.

Names come from the first source that names a person, in this order: JSON-LD ``author``,
meta tags (``author``, ``article:author``, Parse.ly, Sailthru, Dublin Core), microdata
``itemprop=author`` (of the first item that has one), ``rel=author`` links, the visible
byline (not in comments, forms, navigation or footers), then author cards. Organisations
("Associated Press", "dpa", the site itself) are dropped next to people; a page that
credits only an organisation gets that organisation as its author. Author cards add
role, bio, avatar and profile URL to the matching names (see ``_author_cards``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

from lxml import etree, html

from newsfeed.extract import _dom
from newsfeed.extract._author_cards import enrich, find_cards
from newsfeed.extract._bylines import Byline, read_byline
from newsfeed.extract._jsonld import JsonLd, as_list, text_of, type_names
from newsfeed.extract._meta_tags import MetaTags, parsely_page
from newsfeed.extract._sources import ClassIndex, Sources
from newsfeed.types import Author

_BYLINE_CLASSES = ("byline", "author-name", "article-author", "author", "autor", "creator")
_NOT_BYLINE = ("comment", "respond", "reply", "newsletter", "related", "teaser", "widget")
_CHROME_TAGS = frozenset({"form", "label", "nav", "footer", "aside", "button", "select"})
_ORG_TYPES = frozenset({"organization", "newsmediaorganization", "corporation"})

_Found = tuple[tuple[Author, ...], tuple[str, ...]]


def find_authors(src: Sources, site_name: str | None = None) -> tuple[Author, ...]:
    known = _organisations(src.jsonld, src.tags, site_name)
    sources: tuple[Callable[[], _Found], ...] = (
        lambda: _from_jsonld(src.jsonld, known),
        lambda: _from_names(_meta_values(src.tags), known),
        lambda: _from_names(_microdata_values(src.doc), known),
        lambda: _from_names(_rel_author_values(src.doc), known),
        lambda: _from_byline(src.classes, known),
    )
    cards = find_cards(src.classes, src.base)
    organisations: tuple[str, ...] = ()
    for source in sources:
        people, orgs = source()
        if people:
            return tuple(enrich(author, cards) for author in people)
        organisations = organisations or orgs
    if cards:
        return tuple(enrich(Author(name=card.name), cards) for card in cards)
    return tuple(Author(name=name) for name in organisations)


def _organisations(jsonld: JsonLd, tags: MetaTags, site_name: str | None) -> set[str]:
    names = {site_name} if site_name else set()
    for obj in jsonld.of_type("Organization", "NewsMediaOrganization", "WebSite"):
        name = text_of(obj.get("name"))
        if name and "person" not in type_names(obj):
            names.add(name)
    for key in ("og:site_name", "application-name", "twitter:site"):
        value = tags.first(key)
        if value:
            names.add(value)
    return names


def _from_jsonld(jsonld: JsonLd, known: set[str]) -> _Found:
    if jsonld.article is None:
        return (), ()
    people: list[Author] = []
    orgs: list[str] = []
    for raw in as_list(jsonld.article.get("author")) + as_list(jsonld.article.get("creator")):
        item = jsonld.resolve(raw)
        if isinstance(item, Mapping):
            found_people, found_orgs = _person(item, jsonld, known)
            people += found_people
            orgs += found_orgs
        elif isinstance(item, str):
            byline = read_byline(item, known)
            people += [Author(name=name) for name in byline.people]
            orgs += byline.organisations
    return _dedupe(people), tuple(dict.fromkeys(orgs))


def _person(item: Mapping[str, Any], jsonld: JsonLd, known: set[str]) -> _Found:
    name = text_of(item.get("name"))
    if not name:
        return (), ()
    types = type_names(item)
    if types & _ORG_TYPES and "person" not in types:
        return (), (name,)
    byline = read_byline(name, known)
    if len(byline.people) != 1:
        return tuple(Author(name=each) for each in byline.people), byline.organisations
    image = jsonld.resolve(item.get("image"))
    avatar = image.get("url") if isinstance(image, Mapping) else text_of(image)
    author = Author(
        name=byline.people[0],
        role=text_of(item.get("jobTitle")),
        bio=text_of(item.get("description")),
        avatar_url=avatar if isinstance(avatar, str) else None,
        url=text_of(item.get("url")) or _first_profile(item.get("sameAs")),
    )
    return (author,), ()


def _first_profile(value: Any) -> str | None:
    for item in as_list(value):
        if isinstance(item, str) and item.startswith("http"):
            return item
    return None


def _from_names(values: Iterable[str], known: set[str]) -> _Found:
    people: list[str] = []
    orgs: list[str] = []
    for value in values:
        if value.startswith(("http://", "https://")):
            continue
        byline = read_byline(value, known)
        people += byline.people
        orgs += byline.organisations
    return _dedupe(Author(name=name) for name in people), tuple(dict.fromkeys(orgs))


def _meta_values(tags: MetaTags) -> list[str]:
    parsely = parsely_page(tags).get("author")
    values = [
        *tags.every("author", "article:author", "parsely-author", "sailthru.author"),
        *tags.every("dc.creator", "dcterms.creator", "dc.creator.author", "citation_author"),
        *tags.every("byl", "byline", "cxenseparse:author"),
    ]
    if (tags.first("twitter:label1") or "").lower().startswith(("written", "author", "von")):
        values += tags.every("twitter:data1")
    if isinstance(parsely, str):
        values.append(parsely)
    return values


def _microdata_values(doc: html.HtmlElement) -> list[str]:
    """Author names of the first item on the page that has any (not of every teaser)."""
    owner: etree._Element | None = None
    values: list[str] = []
    for element in doc.xpath('//*[@itemprop="author" or @itemprop="creator"]'):
        scope = next((a for a in element.iterancestors() if a.get("itemscope") is not None), None)
        if values and scope is not owner:
            continue
        owner = scope
        named = element.xpath('.//*[@itemprop="name"]')
        target = named[0] if named else element
        values.append(target.get("content") or _dom.text(target))
    return values


def _rel_author_values(doc: html.HtmlElement) -> list[str]:
    links = doc.xpath('//a[contains(concat(" ", normalize-space(@rel), " "), " author ")]')
    return [_dom.text(link) for link in links if not _in_chrome(link)]


def _from_byline(classes: ClassIndex, known: set[str]) -> _Found:
    orgs: tuple[str, ...] = ()
    for element in classes.find(*_BYLINE_CLASSES):
        if element.tag in ("body", "html", "article", "section", "main") or _in_chrome(element):
            continue
        byline = _read_byline_element(element, known)
        if byline.people:
            return tuple(Author(name=name) for name in byline.people), ()
        orgs = orgs or byline.organisations
    return (), orgs


def _read_byline_element(element: etree._Element, known: set[str]) -> Byline:
    value = _dom.text(element)
    if not value or len(value) > 160:
        return Byline()
    byline = read_byline(value, known)
    if byline.people or byline.organisations:
        return byline
    # "<span>Birgit Baumann</span> <span>Anna Giulia Fink</span>": one name per child.
    parts = [_dom.text(child) for child in element if isinstance(child.tag, str)]
    return read_byline(", ".join(part for part in parts if part), known)


def _in_chrome(element: etree._Element) -> bool:
    for node in (element, *element.iterancestors()):
        if node.tag in _CHROME_TAGS:
            return True
        names = _dom.classes(node)
        if any(word in names for word in _NOT_BYLINE):
            return True
    return False


def _dedupe(authors: Iterable[Author]) -> tuple[Author, ...]:
    seen: dict[str, Author] = {}
    for author in authors:
        seen.setdefault(author.name.casefold(), author)
    return tuple(seen.values())
