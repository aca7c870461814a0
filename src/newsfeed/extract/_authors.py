"""Authors: names from structured data or the byline, details from author cards.

Names come from the first source that has any, in this order: JSON-LD ``author``, meta
tags (``author``, ``article:author``, Parse.ly, Sailthru, Dublin Core), microdata
``itemprop=author``, ``rel=author`` links, then the visible byline. Each name is cleaned
("By", dates, e-mail addresses and organisation names dropped; "A and B" split). Author
cards (Ghost/Casper ``.author-card``/``.article-byline``, WordPress ``.author-bio``,
generic ``.author-box``) then add role, bio, avatar and profile URL to the matching names.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from typing import Any

from lxml import etree, html

from newsfeed.extract import _dom
from newsfeed.extract._jsonld import JsonLd, as_list, text_of, type_names
from newsfeed.extract._meta_tags import MetaTags, parsely_page
from newsfeed.extract._sources import ClassIndex, Sources
from newsfeed.types import Author

_PREFIX = re.compile(
    r"^\s*(?:(?:written|posted|reported|edited|text|story|words|reporting|"
    r"ein (?:gastbeitrag|kommentar|interview|bericht|essay|text) von|"
    r"eine (?:analyse|reportage|glosse|kolumne) von|ein kommentar|"
    r"by|von|vom|par|por|door|av|af|von unserer?|autor(?:in)?|author|"
    r"auteur|autore|texto|text und fotos|fotos?|redaktion)\b\s*:?\s*)+",
    re.IGNORECASE,
)
_LOWER_PREFIX = re.compile(r"^(?:di|de|da)\s+(?=[A-Z])")
_SPLIT = re.compile(
    r"\s*(?:,|;|\||\s&\s|&amp;|\band\b|\bund\b|\bet\b|\by\b|\be\b|\bog\b|\boch\b|\ben\b|"
    r"\bsowie\b|\s/\s|\n)\s*",
    re.IGNORECASE,
)
_EMAIL = re.compile(r"\S+@\S+\.\w+")
_URLISH = re.compile(r"https?://|www\.|\.(com|org|net|de|co\.uk)\b", re.I)
_DIGITS = re.compile(r"\d")
_TWITTER = re.compile(r"^@\w+$")
_ORG_WORDS = re.compile(
    r"\b(staff|redaktion|newsroom|editorial|editors|team|desk|agency|agencies|press|"
    r"news|media|online|digital|associated|reuters|afp|dpa|apa|ap|ansa|efe|epd|kna|sid|"
    r"newsdesk|wires?|services?|group|gmbh|inc|ltd|verlag|zeitung|times|post|daily)\b",
    re.I,
)
_ROLE_WORDS = re.compile(
    r"\b(editor|reporter|correspondent|writer|journalist|columnist|contributor|producer|"
    r"redakteur(?:in)?|korrespondent(?:in)?|autor(?:in)?|chef|head|director|manager|"
    r"analyst|photographer|intern|anchor|host|critic|fellow)\b",
    re.I,
)
_PROFILE_PATH = re.compile(r"/(author|authors|autor|autoren|profile|people|staff|team)/")
_CARD_CLASSES = (
    "author-card",
    "article-byline",
    "author-bio",
    "author-box",
    "about-author",
    "author-info",
    "author-profile",
    "authorbox",
    "author-details",
    "post-author",
    "byline-card",
)
_BYLINE_CLASSES = ("byline", "author-name", "article-author", "author", "autor", "creator")


@dataclass(frozen=True, slots=True)
class _Card:
    name: str
    role: str | None
    bio: str | None
    avatar_url: str | None
    url: str | None


def find_authors(src: Sources, site_name: str | None = None) -> tuple[Author, ...]:
    known = _organisations(src.jsonld, src.tags, site_name)
    found = (
        _from_jsonld(src.jsonld, known)
        or _from_meta(src.tags, known)
        or _from_microdata(src.doc, known)
        or _from_rel_author(src.doc, known)
        or _from_byline(src.classes, known)
    )
    cards = _cards(src.classes, src.base)
    if not found:
        found = tuple(Author(name=card.name) for card in cards)
    return tuple(_enrich(author, cards) for author in found)


def clean_names(raw: str, organisations: Iterable[str] = ()) -> list[str]:
    """Split a byline such as "By Jane Doe and John Roe, Staff" into person names."""
    known = {org.casefold() for org in organisations}
    text = _EMAIL.sub(" ", re.sub(r"\(.*?\)", " ", raw))
    names: list[str] = []
    for part in _SPLIT.split(text):
        name = _clean_one(part)
        if name and name.casefold() not in known and name not in names:
            names.append(name)
    return names


def _clean_one(part: str) -> str | None:
    name = " ".join(part.split()).strip(" .:-–—|·•")
    name = _LOWER_PREFIX.sub("", _PREFIX.sub("", name)).strip(" .:-–—|·•")
    if not name or _DIGITS.search(name) or _URLISH.search(name) or _TWITTER.match(name):
        return None
    words = name.split()
    if len(words) > 5 or len(name) > 60:
        return None
    if len(words) == 1 and (len(name) < 2 or name.islower()):
        return None
    if len(words) > 1 and _ORG_WORDS.search(name):
        return None
    return name


def _organisations(jsonld: JsonLd, tags: MetaTags, site_name: str | None) -> set[str]:
    names = {site_name} if site_name else set()
    for obj in jsonld.of_type("Organization", "NewsMediaOrganization", "WebSite"):
        name = text_of(obj.get("name"))
        if name:
            names.add(name)
    for key in ("og:site_name", "application-name", "twitter:site"):
        value = tags.first(key)
        if value:
            names.add(value)
    return names


def _from_jsonld(jsonld: JsonLd, known: set[str]) -> tuple[Author, ...]:
    if jsonld.article is None:
        return ()
    people: list[Author] = []
    for raw in as_list(jsonld.article.get("author")) + as_list(jsonld.article.get("creator")):
        item = jsonld.resolve(raw)
        if isinstance(item, Mapping):
            people.extend(_person(item, jsonld, known))
        elif isinstance(item, str):
            people.extend(Author(name=name) for name in clean_names(item, known))
    return _dedupe(people)


def _person(item: Mapping[str, Any], jsonld: JsonLd, known: set[str]) -> list[Author]:
    if type_names(item) & {"organization", "newsmediaorganization", "corporation"}:
        return []
    name = text_of(item.get("name"))
    if not name:
        return []
    names = clean_names(name, known)
    if len(names) != 1:
        return [Author(name=each) for each in names]
    image = jsonld.resolve(item.get("image"))
    avatar = image.get("url") if isinstance(image, Mapping) else text_of(image)
    url = text_of(item.get("url")) or _first_profile(item.get("sameAs"))
    return [
        Author(
            name=names[0],
            role=text_of(item.get("jobTitle")),
            bio=text_of(item.get("description")),
            avatar_url=avatar if isinstance(avatar, str) else None,
            url=url,
        )
    ]


def _first_profile(value: Any) -> str | None:
    for item in as_list(value):
        if isinstance(item, str) and item.startswith("http"):
            return item
    return None


def _from_meta(tags: MetaTags, known: set[str]) -> tuple[Author, ...]:
    parsely = parsely_page(tags).get("author")
    values = [
        *tags.every("author", "article:author", "parsely-author", "sailthru.author"),
        *tags.every("dc.creator", "dcterms.creator", "dc.creator.author", "citation_author"),
        *tags.every("byl", "byline", "cxenseparse:author", "twitter:data1"),
    ]
    if isinstance(parsely, str):
        values.append(parsely)
    names: list[str] = []
    for value in values:
        if value.startswith(("http://", "https://")):
            continue
        names.extend(clean_names(value, known))
    return _dedupe(Author(name=name) for name in names)


def _from_microdata(doc: html.HtmlElement, known: set[str]) -> tuple[Author, ...]:
    names: list[str] = []
    for element in doc.xpath('//*[@itemprop="author" or @itemprop="creator"]'):
        named = element.xpath('.//*[@itemprop="name"]')
        if named:
            value = named[0].get("content") or _dom.text(named[0])
        else:
            value = element.get("content") or _dom.text(element)
        names.extend(clean_names(value, known))
    return _dedupe(Author(name=name) for name in names)


def _from_rel_author(doc: html.HtmlElement, known: set[str]) -> tuple[Author, ...]:
    names: list[str] = []
    for link in doc.xpath('//a[contains(concat(" ", normalize-space(@rel), " "), " author ")]'):
        names.extend(clean_names(_dom.text(link), known))
    return _dedupe(Author(name=name) for name in names)


def _from_byline(classes: ClassIndex, known: set[str]) -> tuple[Author, ...]:
    for element in classes.find(*_BYLINE_CLASSES):
        if element.tag in ("body", "html", "article", "section", "main"):
            continue
        value = _dom.text(element)
        if not value or len(value) > 120:
            continue
        names = clean_names(value, known)
        if names:
            return _dedupe(Author(name=name) for name in names)
    return ()


def _cards(classes: ClassIndex, base: str | None) -> list[_Card]:
    """Every author card on the page, one per name; a byline and a bottom card for the
    same person are merged (the byline has the avatar, the card the role and bio)."""
    cards: dict[str, _Card] = {}
    for element in classes.find(*_CARD_CLASSES):
        card = _read_card(element, base)
        if card is None:
            continue
        key = card.name.casefold()
        cards[key] = _merge(cards[key], card) if key in cards else card
    return list(cards.values())


def _merge(first: _Card, second: _Card) -> _Card:
    return _Card(
        name=first.name,
        role=first.role or second.role,
        bio=first.bio or second.bio,
        avatar_url=first.avatar_url or second.avatar_url,
        url=first.url or second.url,
    )


def _read_card(element: etree._Element, base: str | None) -> _Card | None:
    name_el = _first(element, "name")
    if name_el is None:
        name_el = _first_profile_link(element, with_text=True)
    if name_el is None:
        return None
    names = clean_names(_dom.text(name_el))
    if len(names) != 1:
        return None
    link = name_el if name_el.tag == "a" else next(iter(name_el.iter("a")), None)
    if link is None:
        link = _first_profile_link(element, with_text=False)
    img = next(iter(element.iter("img")), None)
    return _Card(
        name=names[0],
        role=_card_role(element, names[0]),
        bio=_card_bio(element),
        avatar_url=_dom.absolute(_dom.image_source(img), base) if img is not None else None,
        url=_dom.absolute(link.get("href"), base) if link is not None else None,
    )


def _first(element: etree._Element, needle: str) -> etree._Element | None:
    for child in element.iter():
        if child is element or not isinstance(child.tag, str):
            continue
        if needle in _dom.classes(child) and _dom.text(child):
            return child
    return None


def _first_profile_link(element: etree._Element, *, with_text: bool) -> etree._Element | None:
    for link in element.iter("a"):
        href = link.get("href") or ""
        if _PROFILE_PATH.search(href) and (_dom.text(link) or not with_text):
            return link
    return None


def _card_role(element: etree._Element, name: str) -> str | None:
    for needle in ("role", "job", "position", "author-title", "jobtitle"):
        found = _first(element, needle)
        if found is not None:
            return _dom.text(found)
    for child in element.iter("p", "span", "div", "h5", "h6", "small"):
        value = _dom.text(child)
        if value and name not in value and len(value.split()) <= 5 and _ROLE_WORDS.search(value):
            return value
    return None


def _card_bio(element: etree._Element) -> str | None:
    for needle in ("bio", "description", "author-card-excerpt", "excerpt"):
        found = _first(element, needle)
        if found is not None and len(_dom.text(found).split()) >= 5:
            return _dom.text(found)
    paragraphs = [_dom.text(p) for p in element.iter("p")]
    long = [value for value in paragraphs if len(value.split()) >= 8]
    return max(long, key=len) if long else None


def _enrich(author: Author, cards: list[_Card]) -> Author:
    for card in cards:
        if card.name.casefold() == author.name.casefold():
            return replace(
                author,
                role=author.role or card.role,
                bio=author.bio or card.bio,
                avatar_url=author.avatar_url or card.avatar_url,
                url=author.url or card.url,
            )
    return author


def _dedupe(authors: Iterable[Author]) -> tuple[Author, ...]:
    seen: dict[str, Author] = {}
    for author in authors:
        key = author.name.casefold()
        if key not in seen:
            seen[key] = author
    return tuple(seen.values())
