"""English date expressions: one regular expression and one resolver per kind of expression.

Each resolver turns a match into a ``Resolved`` span relative to the publication date. The
rules are ordered from specific to general; overlapping matches keep the longest.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from newsfeed.enrich import _calendar as cal
from newsfeed.enrich._calendar import Resolved
from newsfeed.enrich._gazetteer import words as _words

_MON = (
    r"(?P<mon>Jan(?:uary|\.)?|Feb(?:ruary|\.)?|Mar(?:ch|\.)?|Apr(?:il|\.)?|May|June?|July?"
    r"|Aug(?:ust|\.)?|Sept?(?:ember|\.)?|Oct(?:ober|\.)?|Nov(?:ember|\.)?|Dec(?:ember|\.)?)"
)
_DOM = r"(?P<dom>[0-3]?\d)(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>(?:1[6-9]|20)\d\d)"
_WEEKDAY = r"(?P<wd>Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
_REL = (
    r"(?P<rel>last|this|next|past|previous|coming|current|the\s+(?:past|previous|coming|current))"
)
_NUM = (
    r"(?P<num>\d+|a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve"
    r"|several|a\s+few|a\s+couple\s+of)"
)
# Nouns after a four-digit number that make it a quantity, not a year.
_MEASURES = (
    r"percent|per\s+cent|dollars|euros|pounds|people|troops|soldiers|tons|tonnes|votes|shares"
    r"|units|km|kilometers|kilometres|miles|meters|metres|feet|acres|barrels|jobs|points"
)
_FUTURE = re.compile(
    r"\b(?:will|shall|won't|\w+'ll|(?:is|are|was|were)\s+(?:expected|scheduled|set|due|going|"
    r"planned|slated)\s+to|plans?\s+to|to\s+be\s+held|upcoming|next)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Context:
    published: date
    sentence: str
    window: str = ""
    """The words around the expression: its tense is read there, not across the sentence."""

    @property
    def future(self) -> bool:
        return bool(_FUTURE.search(self.window or self.sentence))


Resolver = Callable[[re.Match[str], Context], Resolved | None]


def _iso(m: re.Match[str], ctx: Context) -> Resolved | None:
    d = cal.safe_date(int(m["year"]), int(m["m"]), int(m["dom"]))
    return cal.day(d) if d else None


def _month_day(m: re.Match[str], ctx: Context) -> Resolved | None:
    mon, dom = cal.month_number(m["mon"]), int(m["dom"])
    y = int(m["year"]) if m["year"] else cal.year_for(ctx.published, mon, dom, ctx.future)
    d = cal.safe_date(y, mon, dom)
    return cal.day(d) if d else None


def _month_year(m: re.Match[str], ctx: Context) -> Resolved | None:
    return cal.month(int(m["year"]), cal.month_number(m["mon"]))


def _month_alone(m: re.Match[str], ctx: Context) -> Resolved | None:
    mon = cal.month_number(m["mon"])
    rel = (m.groupdict().get("rel") or "").lower()
    pub = ctx.published
    yrel = (m.groupdict().get("yrel") or "").lower()
    if yrel:
        y = pub.year + {"last": -1, "this": 0, "next": 1}[yrel]
    elif rel == "last":
        y = pub.year if mon < pub.month else pub.year - 1
    elif rel == "next":
        y = pub.year if mon > pub.month else pub.year + 1
    elif rel == "this":
        y = pub.year
    else:
        y = cal.year_for(pub, mon, 15, ctx.future)
    return cal.month(y, mon)


def _weekday(m: re.Match[str], ctx: Context) -> Resolved | None:
    wd = cal.WEEKDAYS.index(m["wd"].lower())
    rel = (m.groupdict().get("rel") or "").lower()
    pub = ctx.published
    if rel in {"next", "coming", "this coming"}:
        d = cal.weekday_near(pub + timedelta(days=1), wd, future=True)
    elif rel == "last":
        d = cal.weekday_near(pub - timedelta(days=1), wd, future=False)
    else:
        d = cal.weekday_near(pub, wd, future=ctx.future)
    return cal.day(d)


_DEICTIC_DAYS = {
    "today": 0,
    "tonight": 0,
    "this morning": 0,
    "this afternoon": 0,
    "this evening": 0,
    "yesterday": -1,
    "tomorrow": 1,
    "the day before yesterday": -2,
    "the day after tomorrow": 2,
}


def _deictic(m: re.Match[str], ctx: Context) -> Resolved | None:
    key = re.sub(r"\s+", " ", m.group().lower())
    key = re.sub(r"^(?:yesterday|tomorrow)\s+\w+$", lambda x: x.group().split()[0], key)
    return cal.day(ctx.published + timedelta(days=_DEICTIC_DAYS[key]))


def _relative_unit(m: re.Match[str], ctx: Context) -> Resolved | None:
    rel = m["rel"].lower().split()[-1]
    unit = m["unit"].lower()
    step = {"last": -1, "past": -1, "previous": -1, "next": 1, "coming": 1}.get(rel, 0)
    return _shift(ctx.published, unit, step)


def _shift(pub: date, unit: str, step: int) -> Resolved | None:
    if unit == "week":
        return cal.week(pub + timedelta(weeks=step))
    if unit == "weekend":
        return cal.weekend(pub + timedelta(weeks=step))
    if unit == "month":
        return cal.month(*cal.add_months(pub.year, pub.month, step))
    if unit == "quarter":
        q = (pub.month - 1) // 3 + step
        return cal.quarter(pub.year + q // 4, q % 4 + 1)
    if unit == "year":
        return cal.year(pub.year + step)
    if unit == "decade":
        return cal.decade(pub.year // 10 * 10 + 10 * step)
    if unit == "century":
        return cal.century(pub.year // 100 * 100 + 100 * step)
    if unit in cal.SEASONS:
        return _season(pub, unit, step)
    return None


def _season(pub: date, name: str, step: int) -> Resolved:
    _, first = cal.SEASONS[name]
    y = pub.year
    if step < 0 and first >= pub.month:
        y -= 1
    elif step > 0 and first <= pub.month:
        y += 1
    return cal.season(y, name)


def _ago(m: re.Match[str], ctx: Context) -> Resolved | None:
    n = cal.number(re.sub(r"\s+", " ", m["num"]))
    if n is None or n > 500:
        return None
    unit = m["unit"].lower()
    sign = 1 if m["dir"].lower() in {"from now", "later", "hence"} else -1
    pub = ctx.published
    if unit == "day":
        return cal.day(pub + timedelta(days=sign * n))
    if unit == "week":
        return cal.week(pub + timedelta(weeks=sign * n))
    if unit == "month":
        return cal.month(*cal.add_months(pub.year, pub.month, sign * n))
    if unit == "decade":
        return cal.decade((pub.year + sign * 10 * n) // 10 * 10)
    return cal.year(pub.year + sign * n)


def _quarter(m: re.Match[str], ctx: Context) -> Resolved | None:
    q = cal.ORDINALS.get(m["ord"].lower())
    if q is None:
        return None
    y = int(m["year"]) if m["year"] else ctx.published.year
    return cal.quarter(y, q)


def _half(m: re.Match[str], ctx: Context) -> Resolved | None:
    h = 1 if m["ord"].lower() in {"first", "1st"} else 2
    y = int(m["year"]) if m["year"] else ctx.published.year
    return cal.half(y, h)


def _season_named(m: re.Match[str], ctx: Context) -> Resolved | None:
    name = m["season"].lower()
    if m["year"]:
        return cal.season(int(m["year"]), name)
    rel = (m["rel"] or "this").lower().split()[-1]
    step = {"last": -1, "past": -1, "previous": -1, "next": 1, "coming": 1}.get(rel, 0)
    return _season(ctx.published, name, step)


def _year(m: re.Match[str], ctx: Context) -> Resolved | None:
    return cal.year(int(m["year"]))


def _decade(m: re.Match[str], ctx: Context) -> Resolved | None:
    if m["full"]:
        return cal.decade(int(m["full"]))
    short = int(m["short"])
    base = 1900 if 1900 + short <= ctx.published.year else 1800
    return cal.decade(base + short)


def _century(m: re.Match[str], ctx: Context) -> Resolved | None:
    return cal.century((int(m["n"]) - 1) * 100)


def _present(m: re.Match[str], ctx: Context) -> Resolved | None:
    return cal.vague(ctx.published, "PRESENT_REF")


def _past(m: re.Match[str], ctx: Context) -> Resolved | None:
    return cal.vague(ctx.published, "PAST_REF")


def _coming(m: re.Match[str], ctx: Context) -> Resolved | None:
    unit = (m["unit"] or "").lower()
    return cal.vague(ctx.published, "FUTURE_REF", cal.COMING.get(unit, 0))


_TENS = r"(?P<tens>ten|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)"
_ONES = r"(?P<ones>one|two|three|four|five|six|seven|eight|nine)"
_TEN_VALUES = {w: 10 * (i + 1) for i, w in enumerate(_TENS.split(">", 1)[1].rstrip(")").split("|"))}


def _spelled_year(m: re.Match[str], ctx: Context) -> Resolved | None:
    ones = cal.number(m["ones"]) if m["ones"] else 0
    y = 1900 + _TEN_VALUES[m["tens"].lower()] + (ones or 0)
    return cal.month(y, cal.month_number(m["mon"])) if m["mon"] else cal.year(y)


def _spelled_decade(m: re.Match[str], ctx: Context) -> Resolved | None:
    word = m["tens"].lower()[:-3] + "y"  # "nineties" → "ninety"
    return cal.decade(1900 + _TEN_VALUES[word])


def _reported_quarter(m: re.Match[str], ctx: Context) -> Resolved | None:
    """ "The quarter" in a results story is the last one completed."""
    q = (ctx.published.month - 1) // 3 - 1
    return cal.quarter(ctx.published.year + q // 4, q % 4 + 1)


def _the_weekend(m: re.Match[str], ctx: Context) -> Resolved | None:
    pub = ctx.published
    if ctx.future or pub.weekday() >= 5:
        return cal.weekend(pub)
    return cal.weekend(pub - timedelta(weeks=1))


_START = r"(?<![\w-])"


def _rule(pattern: str, flags: int = 0) -> re.Pattern[str]:
    # Grouped, so that both word boundaries bound every alternative of a pattern made of
    # several ("recently|in the past|…"), not just its first and last.
    return re.compile(_START + "(?:" + pattern + r")(?![\w])", flags)


_I = re.IGNORECASE
_FOREIGN_MON = "(?P<mon>" + "|".join(sorted(cal.FOREIGN_MONTHS, key=len, reverse=True)) + ")"
_FOREIGN_DAYS = {"heute": 0, "gestern": -1, "vorgestern": -2, "aujourd'hui": 0, "demain": 1}
_FOREIGN_DAYS.update({"hoy": 0, "ayer": -1, "anteayer": -2, "oggi": 0, "ieri": -1, "domani": 1})


def _numeric_day(m: re.Match[str], ctx: Context) -> Resolved | None:
    d = cal.safe_date(int(m["year"]), int(m["m"]), int(m["dom"]))
    return cal.day(d) if d else None


def _foreign_deictic(m: re.Match[str], ctx: Context) -> Resolved | None:
    return cal.day(ctx.published + timedelta(days=_FOREIGN_DAYS[m.group().lower()]))


RULES: tuple[tuple[re.Pattern[str], Resolver], ...] = (
    # Other languages first: their month names would otherwise be read as English ones.
    (
        _rule(
            r"(?P<dom>[0-3]?\d)\.?\s+(?:de\s+)?"
            + _FOREIGN_MON
            + r"(?:\s+(?:de\s+)?"
            + _YEAR
            + r")?",
            _I,
        ),
        _month_day,
    ),
    (_rule(r"(?P<dom>[0-3]?\d)\.(?P<m>[01]?\d)\.(?P<year>(?:1[6-9]|20)\d\d)"), _numeric_day),
    # Lower case only: "Ayer" is also a surname.
    (_rule("|".join(re.escape(w) for w in _FOREIGN_DAYS)), _foreign_deictic),
    (_rule(r"(?P<year>\d{4})-(?P<m>[01]\d)-(?P<dom>[0-3]\d)"), _iso),
    (
        _rule(_WEEKDAY + r",?\s+" + _MON + r"\s+" + _DOM + r"(?:,?\s+" + _YEAR + r")?"),
        _month_day,
    ),
    (
        _rule(_MON + r"\s+(?:of\s+)?(?P<yrel>last|this|next)\s+year"),
        _month_alone,
    ),
    (_rule(r"the\s+(?:(?:latest|recent|past)\s+)?quarter", _I), _reported_quarter),
    (
        _rule(r"(?:" + _MON + r"\s+)?nineteen[-\s]" + _TENS + r"(?:[-\s]" + _ONES + r")?", _I),
        _spelled_year,
    ),
    (
        _rule(
            r"the\s+(?P<tens>twenties|thirties|forties|fifties|sixties|seventies|eighties|nineties)",
            _I,
        ),
        _spelled_decade,
    ),
    (_rule(_MON + r"\s+" + _DOM + r"(?:,?\s+" + _YEAR + r")?"), _month_day),
    (_rule(_DOM + r"\s+(?:of\s+)?" + _MON + r"(?:,?\s+" + _YEAR + r")?"), _month_day),
    (_rule(r"(?:(?:early|mid|late)[-\s])?" + _MON + r",?\s+(?:of\s+)?" + _YEAR), _month_year),
    (
        _rule(
            r"(?:(?P<rel>last|this\s+coming|coming|this|next)\s+)?"
            + _WEEKDAY
            + r"(?:\s+(?:morning|afternoon|evening|night))?"
        ),
        _weekday,
    ),
    (
        _rule(
            r"(?:the\s+day\s+(?:before\s+yesterday|after\s+tomorrow)|yesterday|today|tonight|tomorrow"
            r"|this\s+(?:morning|afternoon|evening))",
            _I,
        ),
        _deictic,
    ),
    (
        _rule(
            r"(?:the\s+)?(?P<ord>first|second|third|fourth|1st|2nd|3rd|4th)[-\s]quarter"
            r"(?:\s+(?:of\s+)?(?:fiscal\s+)?" + _YEAR + r")?",
            _I,
        ),
        _quarter,
    ),
    (_rule(r"(?:the\s+)?(?P<ord>first|second|1st|2nd|last)\s+half\s+of\s+" + _YEAR, _I), _half),
    (
        _rule(
            r"(?:(?P<rel>last|this|next|the\s+past|the\s+coming|early|late|the)\s+)"
            r"(?P<season>spring|summer|fall|autumn|winter)(?:\s+of\s+" + _YEAR + r")?",
            _I,
        ),
        _season_named,
    ),
    (
        _rule(
            r"(?:(?P<rel>last|next|this)\s+)?(?:(?:early|mid|late)-)?"
            + _MON.replace("|May|", "|")
            + r"(?!\s*\d)",
        ),
        _month_alone,
    ),
    (
        _rule(
            r"(?:(?P<rel>last|this|next|since|in|until|by|early|late|mid-?)\s+)(?P<mon>May)(?!\s*\d)"
        ),
        _month_alone,
    ),
    (
        _rule(
            _REL + r"\s+(?P<unit>week|weekend|month|quarter|year|decade|century|summer|winter"
            r"|spring|fall|autumn)",
            _I,
        ),
        _relative_unit,
    ),
    (_rule(r"the\s+(?P<unit>weekend)", _I), _the_weekend),
    (
        _rule(
            _NUM
            + r"\s+(?P<unit>day|week|month|year|decade)s?\s+"
            + r"(?P<dir>ago|earlier|later|from\s+now|hence)",
            _I,
        ),
        _ago,
    ),
    (
        _rule(r"a\s+year\s+(?P<dir>ago|earlier)", _I),
        lambda m, ctx: cal.year(ctx.published.year - 1),
    ),
    (
        _rule(
            r"(?:the\s+)?(?:(?:early|mid|late)[-\s])?(?:(?P<full>(?:1[6-9]|20)\d0)|'(?P<short>\d0))s",
            _I,
        ),
        _decade,
    ),
    (_rule(r"(?:the\s+)?(?P<n>1\d|2\d|\d)(?:st|nd|rd|th)\s+century", _I), _century),
    (_rule(r"(?:fiscal\s+)?" + _YEAR + r"(?![-/]\d|,\d|\s*(?:%|" + _MEASURES + r"))"), _year),
    (
        _rule(
            r"(?:right\s+)?now|currently|nowadays|at\s+present|at\s+the\s+moment|these\s+days", _I
        ),
        _present,
    ),
    (
        _rule(
            r"recently|in\s+the\s+past|the\s+past|in\s+recent\s+(?:years|months|weeks|days)"
            r"|recent\s+years|years\s+ago|not\s+long\s+ago",
            _I,
        ),
        _past,
    ),
    (
        _rule(
            r"(?:in\s+)?the\s+coming\s+(?P<unit>days|weeks|months|years)|(?:in\s+)?the\s+(?:near\s+)?future"
            r"|as\s+soon\s+as\s+possible",
            _I,
        ),
        _coming,
    ),
)


def _anonymous(pattern: re.Pattern[str]) -> str:
    """The pattern without its word start (``ANY_RULE`` checks that once for all), its flags
    inline and its named groups unnamed, to sit beside the others."""
    body = re.sub(r"\(\?P<\w+>", "(?:", pattern.pattern.removeprefix(_START))
    return f"(?i:{body})" if pattern.flags & re.IGNORECASE else f"(?:{body})"


_FIRST_WORDS = _words(
    """
    january jan february feb march mar april apr may june jun july jul august aug september
    sept sep october oct november nov december dec monday tuesday wednesday thursday friday
    saturday sunday heute gestern vorgestern aujourd'hui demain hoy ayer anteayer oggi ieri
    domani the nineteen early mid late last this coming next yesterday today tonight tomorrow
    first second third fourth since in until by past previous current a an one two three four
    five six seven eight nine ten eleven twelve several fiscal right now currently nowadays at
    these recently recent years not as
    """
)
"""Every word a rule can begin with (besides a digit or an apostrophe), whatever its case."""


def _trie(words: Iterable[str]) -> str:
    """An alternation of ``words`` branching letter by letter, which the engine gets through
    in a few steps where a flat one tries every word in turn."""
    heads: dict[str, list[str]] = {}
    for word in sorted(set(words)):
        heads.setdefault(word[:1], []).append(word[1:])
    branches = []
    for head, tails in heads.items():
        if len(tails) == 1:
            branches.append(re.escape(head + tails[0]))
            continue
        rest = [t for t in tails if t]
        optional = "?" if len(rest) < len(tails) else ""
        branches.append(f"{re.escape(head)}(?:{_trie(rest)}){optional}")
    return "|".join(branches)


# Most words begin no rule; the first-word check turns them away before the rules' own
# alternatives are tried one by one, and costs a few steps per word.
ANY_RULE = re.compile(
    _START
    + r"(?=\d|'|(?i:"
    + _trie(_FIRST_WORDS)
    + r")(?!\w))(?="
    + "|".join(_anonymous(p) for p, _ in RULES)
    + ")"
)
"""Where some rule matches (an empty match there): one scan of a text for all of them."""
