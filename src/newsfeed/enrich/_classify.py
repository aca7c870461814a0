"""Deciding whether a name candidate is a person, an organisation or a place."""

from __future__ import annotations

import itertools
import re
from functools import cache
from importlib import resources
from typing import NamedTuple

from newsfeed.enrich import _gazetteer as gaz
from newsfeed.enrich._candidates import Candidate
from newsfeed.enrich._gazetteer import words as _words

_ACRONYM = re.compile(r"(?:[A-Z]\.){2,}|[A-Z][A-Z0-9&]{1,5}")
# Capitalised all-caps words that are not organisations.
_NOT_ORGS = frozenset(
    _words(
        """
    ceo cfo tv gdp covid ai am pm ok ii iii iv vs faq pdf id usd eur nft vip dna hiv uk
    us ap
    """
    )
)
_NAME_PARTICLES = frozenset(
    _words(
        """
    de da di du del der van von la le bin ibn al y jr sr
    """
    )
)


class Verdict(NamedTuple):
    """What a candidate is. A tuple, as ``Candidate`` is: one is made for every candidate."""

    kind: str | None  # "person", "org", "place" or None when unsure
    name: str
    skip: int = 0
    """Leading words of the candidate that are not part of the name."""
    take: int = 0
    """How many words after those make the name (0: all the rest)."""


@cache
def last_names(limit: int = 40_000) -> frozenset[str]:
    """The ``limit`` commonest US census surnames: the list runs on to rare names that are
    also words, so callers needing more certainty ask for fewer."""
    text = resources.files("names").joinpath("dist.all.last").read_text(encoding="utf-8")
    rows = [line.split()[0].lower() for line in text.splitlines() if line.strip()]
    return frozenset(rows[:limit])


def _looks_like_acronym(text: str) -> bool:
    return bool(_ACRONYM.fullmatch(text)) and gaz.fold(text) not in _NOT_ORGS


def _person_evidence(c: Candidate, words: list[str]) -> bool:
    if c.after_title or c.role or (c.speech_before and len(words) > 1):
        return True
    if c.prev_word == "year-old":
        return True  # "20-year-old Xana Kernodle"
    if len(words) < 2:
        return False
    if words[0] in gaz.first_names():
        return True
    # The census surname list holds words too ("Journey", "Plunge"): only its commoner part.
    return c.speech_after or words[-1] in last_names(10_000)


def classify(c: Candidate, tags: frozenset[str] = frozenset()) -> Verdict:
    folded = gaz.fold(c.text)
    words = [gaz.fold(t.text) for t in c.tokens]
    if len(folded) < 2 or not any(ch.isalpha() for ch in folded):
        return Verdict(None, c.text)
    org = gaz.known_orgs().get(folded)
    if org:
        return Verdict("org", org)
    if c.in_headline:
        return _headline(c, folded)
    if len(words) > 1 and words[0].endswith("ing") and words[0] not in gaz.first_names():
        # "Celebrating Taylor Swift", "Following Donald Trump": a verb, then the name.
        rest = _sub(c, 1, len(c.tokens))
        verdict = classify(rest, tags)
        return verdict._replace(skip=verdict.skip + 1)
    if c.prev_word in gaz.WORK_NOUNS or c.quoted:
        return Verdict(None, c.text)  # "album The Tortured Poets Department", “So High School”
    if c.prev_word in gaz.ORG_NOUNS and len(words) > 1:
        return Verdict("org", c.text)  # "newspaper Dagens Nyheter", "carrier Yeti Airlines"
    place = gaz.places().get(folded)
    if place and not _person_shadows_place(c, words, place) and _place_context(c, place):
        return Verdict("place", place.name)
    of_org = any(w in gaz.ORG_HEADS and nxt == "of" for w, nxt in itertools.pairwise(words))
    if len(words) > 1 and (words[-1] in gaz.ORG_HEADS or words[0] in gaz.ORG_STARTS or of_org):
        return Verdict("org", _org_name(c))
    if len(words) > 1 and words[-1] in gaz.PLACE_HEADS:
        return Verdict("place", c.text)
    if _place_led(words):
        return Verdict("org", c.text)  # "Nottingham Forest", "Manchester United"
    if _looks_like_acronym(c.text):
        return Verdict("org", c.text)
    if c.sentence_start and len(words) == 2 and words[0] not in gaz.first_names():
        tail = gaz.places().get(words[1]) or None
        if tail is not None and tail.kind in {"country", "state", "region"}:
            return Verdict("place", tail.name, skip=1)  # "Mountainous Nepal has …"
    if words[0] in gaz.DEMONYMS and not c.after_title:
        return Verdict(None, c.text)  # "Irish Open", "Russian Railways": not a person's name
    if _person_evidence(c, words) and _name_shaped(c):
        return Verdict("person", c.text)
    if c.region_after and c.prev_word in _LOCATIVE:
        return Verdict("place", c.text)  # "of Rathdrum, Idaho": a town too small for the lists
    if folded in tags:
        return Verdict("person" if len(words) > 1 else "org", c.text)
    return Verdict(None, c.text)


_LOCATIVE = _words(
    "in from to at near outside of across toward towards into via around inside through"
)


def _place_context(c: Candidate, place: gaz.Place) -> bool:
    """Small towns named like words ("Federal", "Independence") need "in", "from", … before."""
    if place.kind not in {"city", "subdivision"} or place.population >= 100_000:
        return True
    return len(c.tokens) > 1 or c.prev_word in _LOCATIVE or c.text.isupper()


def _place_led(words: list[str]) -> bool:
    """A known city or country followed by other words is a club or company named after it."""
    if len(words) < 2 or words[0] in gaz.first_names():
        return False
    for k in range(1, len(words)):
        place = gaz.places().get(" ".join(words[:k]))
        if place is not None and (place.kind != "city" or place.population >= 100_000):
            return True
    return False


def _sub(c: Candidate, i: int, j: int) -> Candidate:
    """The candidate made of tokens ``i`` to ``j``."""
    toks = c.tokens[i:j]
    start, end = toks[0].start, toks[-1].end
    return c._replace(
        text=c.text[start - c.start : end - c.start], start=start, end=end, tokens=toks
    )


def _headline(c: Candidate, folded: str) -> Verdict:
    """In a Title Case headline every word is capitalised: trust only the gazetteers, for
    the longest known name inside the run ("Idaho" in "Idaho Murders Case")."""
    n = len(c.tokens)
    for size in range(min(n, 4), 0, -1):
        for i in range(n - size + 1):
            words = " ".join(t.folded for t in c.tokens[i : i + size])
            org = gaz.known_orgs().get(words)
            if org:
                return Verdict("org", org, skip=i, take=size)
            place = gaz.places().get(words)
            if place is not None and (place.population >= 100_000 or place.kind != "city"):
                return Verdict("place", place.name, skip=i, take=size)
    return Verdict(None, c.text)


def _person_shadows_place(c: Candidate, words: list[str], place: gaz.Place) -> bool:
    """A person's name that is also a town: "Paris Hilton", "President Jackson"."""
    if place.kind not in {"city", "subdivision"} or place.population >= 1_000_000:
        return c.after_title and len(words) == 1 and place.kind == "city"
    if len(words) > 1:
        return words[0] in gaz.first_names()
    return c.after_title or words[0] in gaz.first_names()


def _name_shaped(c: Candidate) -> bool:
    words = [t.text for t in c.tokens]
    if len(words) > 5:
        return False
    return all(w[:1].isupper() or gaz.fold(w) in _NAME_PARTICLES for w in words) and not any(
        _ACRONYM.fullmatch(w) and len(w) > 2 for w in words
    )


def _org_name(c: Candidate) -> str:
    return ("The " + c.text) if c.has_the and c.tokens[-1].folded in _MEDIA_HEADS else c.text


_MEDIA_HEADS = frozenset(
    _words(
        """
    times post news journal independent herald tribune gazette guardian economist
    telegraph observer
    """
    )
)
