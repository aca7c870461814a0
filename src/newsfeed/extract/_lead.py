"""The lead paragraph (standfirst, dek, "chapô", "Vorspann"): body text that themes often
put in the article header, outside the body container.

It is found before furniture removal (headers are furniture) and put back in front of the
body when it sits just before it and the body does not already carry it.
"""

from __future__ import annotations

import re
from functools import lru_cache

from lxml.html import HtmlElement

from ._text import clean_text, element_text

_LEAD_CLASS = re.compile(
    r"(?:^|[\s_-])(?:lead|lede|intro|summary|chapo|chapeau|standfirst|teaser-text|excerpt|dek|"
    r"deck|subtitle|subheadline|sub-headline|bajada|entradilla|sumario|abstract|vorspann|"
    r"kurztext|anriss|teaser-intro|article-teaser|occhiello|catenaccio|sommario|perex)(?:$|[\s_-])",
    re.I,
)
_LEAD_TAGS = ("p", "div", "h2", "h3", "section", "span", "strong")
_MIN, _MAX = 40, 1200
WINDOW = 800
"""How many elements before the body a lead may sit and still count as its lead."""


def find_lead(body: HtmlElement, dek: str | None = None) -> HtmlElement | None:
    """The first lead-classed element holding a sentence or a few, not a link list; failing
    that, the element showing the page's own summary (``dek``) as its text."""
    found = _by_class(body)
    if found is None and dek and len(dek) >= _MIN:
        found = _by_text(body, clean_text(dek))
    return found


def _by_text(body: HtmlElement, dek: str) -> HtmlElement | None:
    head = dek[:20]
    for el in body.iter("p", "h2", "div", "span", "strong"):
        if clean_text(el.text or "")[:20] == head and element_text(el).rstrip(".… ") == dek.rstrip(
            ".… "
        ):
            return el
    return None


def _by_class(body: HtmlElement) -> HtmlElement | None:
    for el in body.iter(*_LEAD_TAGS):
        cls = el.get("class")
        if not cls or not _is_lead_class(cls):
            continue
        text = element_text(el)
        if not _MIN <= len(text) <= _MAX:
            continue
        links = sum(len(element_text(a)) for a in el.iter("a"))
        if links < len(text) * 0.3:
            return el
    return None


@lru_cache(maxsize=4096)
def _is_lead_class(cls: str) -> bool:
    return bool(_LEAD_CLASS.search(cls))
