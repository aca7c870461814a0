"""Name candidates: runs of capitalised words, with titles and roles split off.

"Russia's President Vladimir Putin" gives two candidates: "Russia" and "Vladimir Putin" (with
the role "President"); "US President Donald Trump" gives "US" and "Donald Trump" (role "US
President"); "foreign policy aide Yuri Ushakov" gives "Yuri Ushakov" (role "foreign policy aide").
"""

from __future__ import annotations

import re
from typing import NamedTuple

from newsfeed.enrich import _gazetteer as gaz
from newsfeed.enrich._gazetteer import words as _words
from newsfeed.enrich._text import OPENERS, Layout, Span

_TOKEN = re.compile(r"[^\W\d_][\w'’.\-]*|&|\d+(?:st|nd|rd|th)?")
_ELIDED = re.compile(r"(?:d|l|al)['’-][A-Z]")
_CONNECTORS = frozenset(
    _words(
        """
    of de da di du del der van von la le bin ibn al y & for the on
    """
    )
)
_DOTTED = re.compile(r"(?:[A-Z]\.){2,}|[A-Z][a-z]{0,3}\.")
_HYPHENATED = re.compile(r"(?<=[a-z])-[a-z]+$")


class Token(NamedTuple):
    """A word and its place in the text. A tuple, with ``cap`` and ``folded`` worked out
    as it is made: an article has thousands of words and each is asked both many times."""

    text: str
    start: int
    end: int
    possessive: bool
    cap: bool
    folded: str


class Candidate(NamedTuple):
    """A run of capitalised words that may be a name, with what surrounds it. A tuple, like
    ``Token``: an article makes a hundred or more, and a frozen dataclass costs several
    times as much to make."""

    text: str
    start: int
    end: int
    tokens: tuple[Token, ...]
    role: str = ""
    after_title: bool = False
    has_the: bool = False
    speech_after: bool = False
    sentence_start: bool = False
    in_role: bool = False
    """This candidate qualifies a title ("US" in "US President Donald Trump")."""
    speech_before: bool = False
    """A speech verb right before it: "said Strömmer"."""
    prev_word: str = ""
    """The lower-case word right before it, if any ("in" Galway, "newspaper" Dagens Nyheter)."""
    region_after: bool = False
    """Followed by a comma and a state or country: "Rathdrum, Idaho"."""
    in_headline: bool = False
    """In a Title Case line, where capitals say nothing about names."""
    quoted: bool = False
    """The whole of a quoted title: “So High School”, ‘The Alchemy’."""


def _tokens(text: str, start: int = 0, end: int | None = None) -> list[Token]:
    """The words of ``text[start:end]`` that can be part of a name, at their offsets in
    ``text``: capitalised words, and connectors ("of", "de", "van") that may join two.

    Any other word only ends a run of capitals, and so does the distance it leaves between
    its neighbours (``_joined``), so it is left out. Most words of a text are such words, and
    ``_SCAN`` passes over them inside the regular expression engine: a token made of each
    would cost more than all the rest of finding names."""
    out: list[Token] = []
    fold = gaz.fold
    for m in _SCAN.finditer(text, start, len(text) if end is None else end):
        word = m.group(1)
        if word is None:  # only plain words were left
            break
        possessive = False
        # Most words end in none of these and hold no hyphen: nothing to take off them.
        if word[-1] in _TRAILERS or "-" in word:
            word, possessive = _bare(word)
            if not word:
                continue
        first = word[0]
        # "d’Alene", "O'Brien", "al-Assad" count as capitalised name parts.
        if first.isupper() or (first in "dla" and _ELIDED.match(word) is not None):
            at = m.start(1)
            out.append(Token(word, at, at + len(word), possessive, True, fold(word)))
        elif (folded := fold(word)) in _CONNECTORS:
            at = m.start(1)
            out.append(Token(word, at, at + len(word), possessive, False, folded))
    return out


_GAP = r"(?:[^\w&]|_)*"
"""What lies between two words: anything that cannot begin a ``_TOKEN``."""
_PLAIN = r"[a-z]+(?![\w'’.\-])"
"""A word of lower-case ASCII letters and nothing else: never a name, never elided."""
_SCAN = re.compile(
    # A plain word right after a token may be a connector ("Bank of France"); past that,
    # connectors follow a plain word and join nothing, so every plain word is passed over.
    rf"{_GAP}(?:(?!(?:{'|'.join(sorted(w for w in _CONNECTORS if w.isalpha()))})(?![\w'’.\-]))"
    rf"{_PLAIN}(?:{_GAP}{_PLAIN})*{_GAP})?({_TOKEN.pattern})?"
)
"""The next word that may be part of a name (group 1), past the plain words before it; no
group 1 when only plain words are left."""
_TRAILERS = frozenset("s'’.-")


def _bare(word: str) -> tuple[str, bool]:
    """The word without a possessive, closing apostrophe, full stop or hyphenated tail,
    and whether it was a possessive."""
    possessive = False
    if word.endswith(("'s", "’s")):
        word, possessive = word[:-2], True
    elif word.endswith(("'", "’")):
        word = word[:-1]
    if word.endswith(".") and not _DOTTED.fullmatch(word):
        word = word.rstrip(".")
    word = word.rstrip("-")
    # "Thompson-designed", "Kremlin-backed": the name is the part before the hyphen.
    if "-" in word and word[:1].isupper() and (suffix := _HYPHENATED.search(word)):
        word = word[: suffix.start()]
    return word, possessive


def _joined(text: str, a: Token, b: Token) -> bool:
    return b.start == a.end + 1 and text[a.end] == " " and not a.possessive


def _runs(text: str, tokens: list[Token]) -> list[list[Token]]:
    """Maximal runs of capitalised tokens, allowing connectors between them."""
    runs: list[list[Token]] = []
    i = 0
    while i < len(tokens):
        if not tokens[i].cap:
            i += 1
            continue
        run = [tokens[i]]
        j = i + 1
        while j < len(tokens) and _joined(text, run[-1], tokens[j]):
            tok = tokens[j]
            if tok.cap:
                run.append(tok)
                j += 1
                continue
            nxt = tokens[j + 1] if j + 1 < len(tokens) else None
            if tok.folded in _CONNECTORS and nxt and nxt.cap and _joined(text, tok, nxt):
                run.extend([tok, nxt])
                j += 2
                continue
            break
        runs.append(run)
        i = j
    return runs


def _split_stopwords(run: list[Token]) -> list[list[Token]]:
    parts: list[list[Token]] = [[]]
    for tok in run:
        connector = tok.folded in _CONNECTORS and not tok.cap and bool(parts[-1])
        # "WHO" is not "who"; "TODAY" still is "today".
        acronym = tok.text.isupper() and tok.folded in gaz.known_orgs()
        if (
            tok.folded in gaz.STOPWORDS
            and not acronym
            and not connector
            and not (tok.folded == "the" and parts[-1])
        ):
            parts.append([])
        else:
            parts[-1].append(tok)
    return [_trim(p) for p in parts if _trim(p)]


def _trim(part: list[Token]) -> list[Token]:
    while part and (part[0].folded in _CONNECTORS or not part[0].cap):
        part = part[1:]
    while part and (part[-1].folded in _CONNECTORS or not part[-1].cap):
        part = part[:-1]
    return part


def _title_split(part: list[Token]) -> tuple[list[Token], list[Token]]:
    """Split "US President Donald Trump" into the role words and the name words."""
    for i in range(len(part) - 2, -1, -1):
        if part[i].folded.rstrip(".") not in gaz.TITLE_HEADS:
            continue
        name = part[i + 1 :]
        role = part[: i + 1]
        if name and name[0].folded == "of":
            if len(name) <= 2:
                return [], part  # "Chief of Staff": a title, no name after it
            role, name = role + name[:2], name[2:]
        if not name or any(t.folded in gaz.ORG_HEADS or t.folded in gaz.PLACE_HEADS for t in name):
            return [], part
        if name[0].folded.rstrip(".") in gaz.TITLE_HEADS:
            continue
        if len(name) == 1 and part[i].folded in _ROYAL:
            return role, [part[i], *name]  # "Prince Harry", "Pope Francis" keep their title
        return role, name
    return [], part


_ROYAL = _words("prince princess king queen pope sheikh emir sultan emperor empress")


def _split_affiliation(part: list[Token]) -> list[list[Token]]:
    """ "David Watt of Rosenberg Research" is a person and an organisation, not one name."""
    for k, tok in enumerate(part):
        if tok.folded != "of" or k not in (2, 3):
            continue
        left, right = part[:k], part[k + 1 :]
        whole = " ".join(t.folded for t in part)
        if whole in gaz.places() or whole in gaz.known_orgs():
            return [part]  # "United States of America"
        place = " ".join(t.folded for t in right) in gaz.places()
        if right and (left[0].folded in gaz.first_names() or place):
            return [left, right]
    return [part]


_ROLE_ENDINGS = tuple(gaz.PERSON_ROLES)
_ROLE_WORDS = re.compile(r"\b((?:[a-z][\w-]*\s+){0,3}[a-z][\w-]*)\s+$")


def _role_before(text: str, start: int, sentence_start: int) -> str:
    """Lower-case role words before a name: "foreign policy aide" in "aide Yuri Ushakov"."""
    before = text[sentence_start:start]
    # The last of the words is a role, so the text before the name ends with one; asked
    # first, since the search below tries every position of the sentence so far.
    if not before.rstrip().endswith(_ROLE_ENDINGS):
        return ""
    m = _ROLE_WORDS.search(before)
    if not m:
        return ""
    words = m.group(1).split()
    if words[-1] not in gaz.PERSON_ROLES:
        return ""
    cut = max((i + 1 for i, w in enumerate(words) if w in gaz.STOPWORDS), default=0)
    return " ".join(words[cut:])


_VERB_AFTER = re.compile(r",?\s+(?:who\s+|has\s+|had\s+|also\s+|later\s+|then\s+)?([a-z]+)")


def _speech_after(text: str, end: int) -> bool:
    m = _VERB_AFTER.match(text[end : end + 30])
    return bool(m and m.group(1) in gaz.SPEECH_VERBS)


def candidates(text: str, layout: Layout | None = None) -> list[Candidate]:
    layout = layout or Layout(text)
    found: list[Candidate] = []
    for sent in layout.sentences:
        runs = _runs(text, _tokens(text, sent.start, sent.end))
        if not runs:
            continue
        # A sentence lies within one paragraph: whether that is a headline, asked once.
        headline = _title_case(text, layout.paragraph_at(sent.start))
        for run in runs:
            has_the = run[0].folded == "the" and len(run) > 1
            for part in _split_stopwords(run):
                for piece in _split_affiliation(part):
                    found.extend(_from_part(text, piece, has_the, sent.start, layout, headline))
    return found


_OWNER = re.compile(r"([A-Z][\w.]*['’]s)\s+$")


def _from_part(
    text: str, part: list[Token], has_the: bool, sent_start: int, layout: Layout, headline: bool
) -> list[Candidate]:
    role_toks, name_toks = _title_split(part)
    out: list[Candidate] = []
    role = ""
    if role_toks:
        role = text[role_toks[0].start : role_toks[-1].end]
        owner = _OWNER.search(text[max(0, part[0].start - 40) : part[0].start])
        if owner:
            role = owner.group(1) + " " + role
        qualifier = [t for t in role_toks if t.folded.rstrip(".") not in gaz.TITLES]
        for piece in _split_stopwords(qualifier):
            out.append(_make(text, piece, False, sent_start, layout, headline, "", in_role=True))
    else:
        role = _role_before(text, part[0].start, sent_start)
    out.append(
        _make(
            text,
            name_toks,
            has_the,
            sent_start,
            layout,
            headline,
            role,
            after_title=bool(role_toks),
        )
    )
    return out


def _make(
    text: str,
    toks: list[Token],
    has_the: bool,
    sent_start: int,
    layout: Layout,
    headline: bool,
    role: str,
    after_title: bool = False,
    in_role: bool = False,
) -> Candidate:
    start, end = toks[0].start, toks[-1].end
    return Candidate(
        text=text[start:end],
        start=start,
        end=end,
        tokens=tuple(toks),
        role=role,
        after_title=after_title,
        has_the=has_the,
        speech_after=_speech_after(text, end + (2 if toks[-1].possessive else 0)),
        # The candidate lies in the sentence that starts at sent_start.
        sentence_start=not text[sent_start:start].strip(OPENERS),
        in_role=in_role,
        speech_before=_speech_before(text, start),
        prev_word=_prev_word(text, start),
        region_after=_region_after(text, end),
        quoted=_quoted(text, start, end),
        in_headline=headline,
    )


_OPENING = re.compile(r"[“‘\"']\s*(?:The\s+|A\s+|So\s+)?$")
_CLOSING = re.compile(r"[,.!?]?[”’\"']")
_REGION = re.compile(r",\s+([A-Z][\w.]*(?:\s[A-Z][\w.]*)?)")
_WORD = re.compile(r"[^\W\d_][\w'’-]*")


def _quoted(text: str, start: int, end: int) -> bool:
    after = _CLOSING.match(text[end : end + 3])
    return bool(after and _OPENING.search(text[max(0, start - 8) : start]))


def _region_after(text: str, end: int) -> bool:
    m = _REGION.match(text[end : end + 40])
    if not m:
        return False
    for candidate in (m.group(1), m.group(1).split()[0]):
        place = gaz.places().get(gaz.fold(candidate))
        if place is not None and place.kind in {"state", "country", "subdivision"}:
            return True
    return False


def _title_case(text: str, para: Span) -> bool:
    """A headline in Title Case: a one-line paragraph, no closing period, capitals throughout."""
    line = text[para.start : para.end].strip()
    if line.endswith((".", ")", "”", '"')) or len(line.split()) > 30:
        return False
    words = _WORD.findall(line)
    long = [w for w in words if len(w) > 3]
    return len(long) >= 4 and sum(w[0].isupper() for w in long) >= 0.8 * len(long)


_VERBS_BEFORE = ("said", "says", "added", "wrote", "asked", "told", "according to", "continued",
                 "explained")  # fmt: skip
_SPEECH_BEFORE = re.compile(
    r"\b(?:" + "|".join(v.replace(" ", r"\s+") for v in _VERBS_BEFORE) + r")\s+$"
)
_SPEECH_ENDINGS = tuple(v.split()[-1] for v in _VERBS_BEFORE)


def _speech_before(text: str, start: int) -> bool:
    """A speech verb right before ``start``. Asked first whether the text there ends with
    one, as ``_role_before`` does: the search tries every position of the 30 characters."""
    at = max(0, start - 30)
    if not text[at:start].rstrip().endswith(_SPEECH_ENDINGS):
        return False
    return _SPEECH_BEFORE.search(text, at, start) is not None


_PREV_WORD = re.compile(r"\b([a-z][a-z-]*)\s+(?:(?:The|A|An)\s+)?$")


def _prev_word(text: str, start: int) -> str:
    m = _PREV_WORD.search(text[max(0, start - 34) : start])
    return m.group(1) if m else ""
