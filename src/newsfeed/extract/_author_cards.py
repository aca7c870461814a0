"""Author cards: the box with a name, job title, bio, avatar and profile link.

Ghost/Casper (``.author-card``, ``.article-byline``), WordPress (``.author-bio``,
``.author-box``) and similar markup. A byline with the avatar and a bottom card with the
role and bio for the same person are merged into one card.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from lxml import etree

from newsfeed.extract import _dom
from newsfeed.extract._bylines import ROLE_WORDS, clean_names
from newsfeed.extract._sources import ClassIndex
from newsfeed.types import Author

_PROFILE_PATH = re.compile(r"/(author|authors|autor|autoren|profile|people|staff|team)/")
CARD_CLASSES = (
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


@dataclass(frozen=True, slots=True)
class Card:
    name: str
    role: str | None = None
    bio: str | None = None
    avatar_url: str | None = None
    url: str | None = None


def find_cards(classes: ClassIndex, base: str | None) -> list[Card]:
    cards: dict[str, Card] = {}
    for element in classes.find(*CARD_CLASSES):
        card = _read_card(element, base)
        if card is None:
            continue
        key = card.name.casefold()
        cards[key] = _merge(cards[key], card) if key in cards else card
    return list(cards.values())


def enrich(author: Author, cards: list[Card]) -> Author:
    """``author`` with the role, bio, avatar and profile URL of the card of the same name."""
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


def _merge(first: Card, second: Card) -> Card:
    return Card(
        name=first.name,
        role=first.role or second.role,
        bio=first.bio or second.bio,
        avatar_url=first.avatar_url or second.avatar_url,
        url=first.url or second.url,
    )


def _read_card(element: etree._Element, base: str | None) -> Card | None:
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
    return Card(
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
        if value and name not in value and len(value.split()) <= 5 and ROLE_WORDS.search(value):
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
