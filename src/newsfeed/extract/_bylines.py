"""Byline text to names: "By Jane Doe and John Roe, Staff" → people and organisations.

A byline is split at commas, "and"/"und"/"et"/"y"/"&", slashes and bars; each part loses
its "By"/"Von"/"Par"/"Written by"/"Veröffentlicht von" lead, e-mail addresses, handles,
parenthesised asides, dates and trailing job titles ("Christoph Hein Chefredakteur").
What remains is a person's name, an organisation ("Associated Press", "dpa", the site
itself), or nothing (comment authors, form labels, navigation text).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

_PREFIX = re.compile(
    r"^\s*(?:(?:written|posted|reported|edited|text|story|words|reporting|"
    r"(?:eingestellt|veröffentlicht|erstellt|geschrieben|verfasst|gepostet|publiziert)\s*von|"
    r"ein (?:gastbeitrag|kommentar|interview|bericht|essay|text) von|"
    r"eine (?:analyse|reportage|glosse|kolumne) von|ein kommentar|"
    r"by|von|vom|par|por|door|av|af|von unserer?|autor(?:in)?|author|"
    r"auteur|autore|texto|text und fotos|fotos?)\b\s*:?\s*)+",
    re.IGNORECASE,
)
# Labels run into the name by inline markup: "AuthorAndreas Kalt", "vonChris Jung".
_GLUED_LABEL = re.compile(r"\b((?i:by|von|author|autor|par|por))(?=[A-ZÄÖÜÉ])")
_WIRES = frozenset({"dpa", "afp", "apa", "kna", "epd", "sid", "ap", "ansa", "efe", "ddp"})
_LOWER_PREFIX = re.compile(r"^(?:di|de|da)\s+(?=[A-Z])")
_SPLIT = re.compile(
    r"\s*(?:,|;|\||\s&\s|&amp;|\band\b|\bund\b|\bet\b|\by\b|\be\b|\bog\b|\boch\b|\ben\b|"
    r"\bsowie\b|\s/\s|\n|·|•)\s*",
    re.IGNORECASE,
)
_EMAIL = re.compile(r"\S+@\S+\.\w+")
_HANDLE = re.compile(r"(?<!\w)@\w+")
_URLISH = re.compile(r"https?://|www\.|\.(com|org|net|de|co\.uk)\b", re.I)
_DIGITS = re.compile(r"\d")
_COMMENTER = re.compile(r"\s(?:sagt|says|schreibt|meint|dit|writes|said)$", re.I)
_WEEKDAY = re.compile(r"\s(?:mo|di|mi|do|fr|sa|so|mon|tue|wed|thu|fri|sat|sun)\.?$", re.I)
_NOT_NAMES = frozenset(
    {"name", "name*", "anonymous", "anonym", "admin", "administrator", "guest", "gast"}
    | {"share", "teilen", "folgen", "follow", "more", "mehr"}
)
ROLE_WORDS = re.compile(
    r"\b(editor|reporter|correspondent|writer|journalist|columnist|contributor|producer|"
    r"redakteur(?:in)?|chefredakteur(?:in)?|korrespondent(?:in)?|autor(?:in)?|chef|head|"
    r"director|manager|analyst|photographer|intern|anchor|host|critic|fellow|volontär(?:in)?)\b",
    re.I,
)
_ORG_WORDS = re.compile(
    r"\b(staff|redaktion|newsroom|editorial|editors|team|desk|agency|agencies|press|"
    r"news|media|online|digital|associated|reuters|afp|dpa|apa|ap|ansa|efe|epd|kna|sid|"
    r"newsdesk|wires?|services?|group|gmbh|inc|ltd|verlag|zeitung|times|post|daily|"
    r"nachrichten|presse|agentur|agence|foundation|stiftung|verband|bund|collectif|spiegel|"
    r"online|magazin|magazine|tribune|herald|journal|gazette|report|reports)\b",
    re.I,
)
_ACRONYM = re.compile(r"^[A-Z]{2,5}$")


@dataclass(frozen=True, slots=True)
class Byline:
    """Names read from one byline, people and organisations apart."""

    people: tuple[str, ...] = ()
    organisations: tuple[str, ...] = field(default_factory=tuple)


def clean_names(raw: str, organisations: Iterable[str] = ()) -> list[str]:
    """The people named in a byline such as "By Jane Doe and John Roe, Staff"."""
    return list(read_byline(raw, organisations).people)


def read_byline(raw: str, organisations: Iterable[str] = ()) -> Byline:
    known = {org.casefold() for org in organisations}
    text = _HANDLE.sub(" ", _EMAIL.sub(" ", re.sub(r"\(.*?\)", " ", raw)))
    people: list[str] = []
    orgs: list[str] = []
    for part in _SPLIT.split(text):
        name = _clean_one(part)
        if not name:
            continue
        if name.casefold() in known or is_organisation(name):
            if name not in orgs:
                orgs.append(name)
        elif name not in people:
            people.append(name)
    return Byline(tuple(people), tuple(orgs))


def is_organisation(name: str) -> bool:
    return bool(_ORG_WORDS.search(name) or _ACRONYM.match(name))


def _clean_one(part: str) -> str | None:
    name = " ".join(part.split()).strip(" .:-–—|·•~*")
    if _COMMENTER.search(name):
        return None
    name = _PREFIX.sub("", _GLUED_LABEL.sub(r"\1 ", name))
    name = _LOWER_PREFIX.sub("", name).strip(" .:-–—|·•~*")
    name = _WEEKDAY.sub("", _strip_roles(name)).strip(" .:-–—|·•~*")
    if not name or _DIGITS.search(name) or _URLISH.search(name):
        return None
    words = name.split()
    if len(words) > 5 or len(name) > 60 or name.casefold() in _NOT_NAMES:
        return None
    if len(words) == 1 and (len(name) < 2 or name.islower()) and name not in _WIRES:
        return None
    return name


def _strip_roles(name: str) -> str:
    """Drop job titles after a name: "Christoph Hein Chefredakteur" → "Christoph Hein"."""
    words = name.split()
    while len(words) > 2 and ROLE_WORDS.fullmatch(words[-1]):
        words.pop()
    return " ".join(words)
