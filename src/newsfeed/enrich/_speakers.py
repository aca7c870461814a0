"""Who a speaker phrase refers to: a name, a pronoun or a description ("the Ukrainian
president")."""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass

from newsfeed.enrich import _gazetteer as gaz
from newsfeed.enrich.entities import Entity

SPEECH = (
    r"(?:said|says|told|tells|added|adds|stated|states|claimed|claims|stressed|stresses|wrote|writes"
    r"|noted|notes|explained|explains|argued|argues|asked|asks|insisted|insists|warned|warns|declared"
    r"|declares|announced|announces|tweeted|tweets|posted|posts|replied|replies|continued|continues"
    r"|recalled|recalls|acknowledged|acknowledges|admitted|admits|suggested|suggests|emphasi[sz]ed"
    r"|emphasi[sz]es|urged|urges|remarked|remarks|commented|comments|predicted|predicts|confirmed"
    r"|confirms|denied|denies|promised|promises|vowed|vows|pledged|pledges|conceded|concedes"
    r"|countered|counters|responded|responds|observed|observes|joked|jokes|alleged|alleges|charged"
    r"|contended|contends|maintained|maintains|cautioned|cautions|recounted|recounts|complained"
    r"|complains|lamented|laments|boasted|boasts|proclaimed|proclaims|reported|reports|believes"
    r"|believed|thinks|thought|testified|testifies|explained|pointed\s+out|went\s+on|shot\s+back"
    r"|told\s+reporters|told\s+(?:[A-Z][\w.]*\s?){1,4}|demanded|demands|wondered|wonders|quipped"
    r"|quips|snapped|shouted|yelled|concluded|concludes|chimed\s+in|interjected|retorted|mused|sang"
    r"|sings|chanted|described|describes|called|dismissed|mocked|labell?ed|branded|accused"
    r"|accuses|praised|critici[sz]ed|blasted|slammed|texted|emailed|agreed|agrees|read"
    r"|saying|telling|claiming|describing|calling|writing|adding|noting|arguing|insisting|warning"
    r"|asking|declaring|tweeting|stressing|accusing)"
)
# Words between a speaker and the cue: "He's claiming", "Gingrich cynically dismissed".
AUX = r"(?:\s*['’]s)?(?:\s+(?:is|was|has|had|have|also|later|then|repeatedly|again|once|\w+ly))*"
CUE_TAIL = (
    r"(?:\s+(?:on|in|at|to|during)\s+(?:X|Twitter|Telegram|Facebook|Instagram|Truth\s+Social"
    r"|a\s+(?:statement|post|press\s+conference|briefing|speech|video\s+address|video|interview)"
    r"|an\s+(?:interview|address|op-ed|email|evening\s+address)))?"
)
# Name words are bounded in length and start at a word start, so that a run of capitals
# ("AAAA…") cannot make the search quadratic.
_CAP = r"(?<![\w'’.\-])[A-Z][\w'’.\-]{0,40}"
# "Tulsa police Chief Chuck Jordan (D-Okla.)": optional lead-in words, then up to four names.
_LEAD = rf"(?:(?:{_CAP}\s+){{1,3}}(?:[a-z][\w\-]*\s+){{1,3}})?"
# "Brian Fallon, the campaign's press secretary, noted": an appositive between name and cue.
_APPOSITIVE = r"(?:,\s+(?:a|an|the|one|who|[a-z]\w*)\b[^,;:“”\"\n]{2,90},)?"
NAME = rf"{_LEAD}(?:{_CAP}\s+){{0,3}}{_CAP}(?:\s*\([^)]{{1,30}}\))?{_APPOSITIVE}"
PRONOUN = r"(?:he|she|they|He|She|They|it|It|we|We|I)"
_FUNCTION = (
    r"(?:when|that|which|who|whom|he|she|they|it|and|but|as|while|if|because|after|before|to"
    r"|of|in|on|for|with|by|was|is|were|are|has|had|have)\b"
)
DESCRIPTION = (
    rf"(?:[Tt]he|[Aa]n?|[Hh]is|[Hh]er|[Tt]heir)\s+(?:(?!{_FUNCTION})[\w'’\-]+\s+){{0,4}}?"
    rf"(?!{_FUNCTION})[\w\-]+"
)
SPEAKER = rf"(?P<speaker>{NAME}|{PRONOUN}|{DESCRIPTION})"
CUE = rf"(?P<cue>{SPEECH}{CUE_TAIL})"

_LONGEST = 200
_PRONOUNS = frozenset(["he", "she", "they", "it", "we", "i"])


@dataclass(frozen=True)
class Who:
    name: str
    key: str | None
    start: int
    end: int


def _mention_index(entities: tuple[Entity, ...]) -> list[tuple[int, int, Entity]]:
    return sorted(((m.start, m.end, e) for e in entities for m in e.mentions), key=lambda x: x[0])


class Resolver:
    """Resolves speaker phrases against the entities of one article."""

    def __init__(self, entities: tuple[Entity, ...]) -> None:
        self._mentions = _mention_index(entities)
        self._starts = [s for s, _, _ in self._mentions]

    def mentions_in(self, start: int, end: int) -> list[Entity]:
        """Entities named across ``[start, end)``, in text order."""
        # Mentions are short, so any overlapping one starts at most _LONGEST before ``start``.
        lo = bisect_left(self._starts, start - _LONGEST)
        hi = bisect_left(self._starts, end)
        return [e for s, t, e in self._mentions[lo:hi] if s < end and t > start]

    def entity_in(self, start: int, end: int) -> Entity | None:
        """The first person named across ``[start, end)``, else the last other entity."""
        inside = self.mentions_in(start, end)
        people = [e for e in inside if e.kind == "person"]
        if people:
            return people[0]
        return inside[-1] if inside else None

    def last_person_before(
        self, offset: int, head: str = "", demonym: str = "", pronoun: str = ""
    ) -> Entity | None:
        for _, _, e in reversed(self._mentions[: bisect_left(self._starts, offset)]):
            if e.kind != "person":
                continue
            if head and not _role_fits(e, head, demonym):
                continue
            if pronoun and not _gender_fits(e, pronoun):
                continue
            return e
        return None

    def resolve(self, phrase: str, start: int, end: int) -> Who:
        entity = self.entity_in(start, end)
        if entity is not None:
            return Who(entity.name, entity.key, start, end)
        folded = phrase.lower()
        if folded in _PRONOUNS:
            if folded in {"he", "she"}:
                person = self.last_person_before(start, pronoun=folded)
                if person is not None:
                    return Who(person.name, person.key, start, end)
            return Who(phrase, None, start, end)
        words = folded.split()
        if len(words) >= 2 and words[0] in {"the", "his", "her", "their"}:
            demonym = next((gaz.DEMONYMS[w] for w in words[1:-1] if w in gaz.DEMONYMS), "")
            person = self.last_person_before(start, head=words[-1], demonym=demonym)
            if person is not None:
                return Who(person.name, person.key, start, end)
        return Who(phrase, None, start, end)


def _gender_fits(e: Entity, pronoun: str) -> bool:
    """Census first names tell "he" from "she"; unknown names fit either."""
    gender = gaz.name_genders().get(gaz.fold(e.name).split()[0])
    return gender is None or gender == ("m" if pronoun == "he" else "f")


def _role_fits(e: Entity, head: str, demonym: str) -> bool:
    roles = [r.lower() for r in e.roles]
    if not any(head in r.split() for r in roles):
        return False
    if not demonym:
        return True
    for role in roles:
        for word in re.findall(r"[\w.]+", role.replace("'s", "")):
            country = gaz.DEMONYMS.get(word) or _country(word)
            if country and country != demonym:
                return False
    return True


def _country(word: str) -> str:
    place = gaz.places().get(gaz.fold(word))
    return place.name if place and place.kind == "country" else ""
