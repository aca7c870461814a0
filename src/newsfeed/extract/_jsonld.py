"""JSON-LD (schema.org) in ``<script type="application/ld+json">``.

Pages put the article object at the top, inside ``@graph``, inside arrays or under a
``WebPage``'s ``mainEntity``, and sometimes ship broken JSON (trailing commas, raw
newlines in strings, HTML comments, several objects back to back). All of that is read
here; ``{"@id": …}`` references are resolved against every object on the page.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from lxml import html

ARTICLE_TYPES = frozenset(
    {
        "article",
        "newsarticle",
        "reportagenewsarticle",
        "analysisnewsarticle",
        "opinionnewsarticle",
        "reviewnewsarticle",
        "backgroundnewsarticle",
        "askpublicnewsarticle",
        "blogposting",
        "socialmediaposting",
        "liveblogposting",
        "techarticle",
        "scholarlyarticle",
        "report",
        "posting",
        "livebloggosting",
        "medicalwebpage",
        "satiricalarticle",
        "advertisertcontentarticle",
    }
)
_MAX_SCRIPT = 2_000_000
_MAX_NODES = 20_000
_TRAILING_COMMA = re.compile(r",\s*([}\]])")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")

JsonObject = Mapping[str, Any]


@dataclass(frozen=True, slots=True)
class JsonLd:
    """Every JSON-LD object on the page, the chosen article object, and an ``@id`` index."""

    objects: tuple[JsonObject, ...] = ()
    article: JsonObject | None = None
    by_id: Mapping[str, JsonObject] = field(default_factory=dict)

    def resolve(self, value: Any) -> Any:
        """Follow a bare ``{"@id": …}`` reference to the full object when the page has it."""
        if isinstance(value, Mapping) and set(value) <= {"@id", "@type"}:
            target = self.by_id.get(str(value.get("@id")))
            if target is not None:
                return target
        return value

    def of_type(self, *types: str) -> Iterator[JsonObject]:
        wanted = {name.lower() for name in types}
        for obj in self.objects:
            if type_names(obj) & wanted:
                yield obj


def read_jsonld(doc: html.HtmlElement, url: str | None = None) -> JsonLd:
    objects: list[JsonObject] = []
    for script in doc.iter("script"):
        kind = (script.get("type") or "").lower()
        if "ld+json" not in kind:
            continue
        text = script.text or ""
        if len(text) > _MAX_SCRIPT:
            continue
        for top in _loads_tolerant(text):
            objects.extend(_walk(top))
            if len(objects) > _MAX_NODES:
                break
    by_id = {str(obj["@id"]): obj for obj in objects if isinstance(obj.get("@id"), str)}
    articles = [obj for obj in objects if type_names(obj) & ARTICLE_TYPES]
    return JsonLd(objects=tuple(objects), article=_best_article(articles, url), by_id=by_id)


def type_names(obj: JsonObject) -> set[str]:
    raw = obj.get("@type")
    names = raw if isinstance(raw, list) else [raw]
    return {name.rsplit("/", 1)[-1].lower() for name in names if isinstance(name, str)}


def as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def text_of(value: Any, _depth: int = 0) -> str | None:
    """A plain string from a JSON-LD value: a string, a ``{"name"}``/``{"@value"}`` object
    or the first of a list."""
    if _depth > 8:
        return None
    for item in as_list(value):
        if isinstance(item, str | int | float) and not isinstance(item, bool):
            text = " ".join(str(item).split())
            if text:
                return text
        if isinstance(item, Mapping):
            for key in ("name", "@value", "text"):
                found = text_of(item.get(key), _depth + 1)
                if found:
                    return found
    return None


def _best_article(articles: list[JsonObject], url: str | None) -> JsonObject | None:
    if not articles:
        return None

    def score(obj: JsonObject) -> tuple[int, int]:
        own = str(obj.get("url") or text_of(obj.get("mainEntityOfPage")) or "")
        matches_url = int(bool(url) and bool(own) and own.rstrip("/") == (url or "").rstrip("/"))
        has_headline = int(bool(obj.get("headline")))
        return (matches_url * 2 + has_headline, len(obj))

    return max(articles, key=score)


def _walk(node: Any, depth: int = 0) -> Iterator[JsonObject]:
    """Every object in a JSON-LD tree, outermost first, down to a sane depth."""
    if depth > 12:
        return
    if isinstance(node, list):
        for item in node:
            yield from _walk(item, depth + 1)
        return
    if not isinstance(node, Mapping):
        return
    if "@type" in node:
        yield node
    for key, value in node.items():
        if key in {"@graph", "mainEntity", "itemListElement", "hasPart", "about"} or (
            isinstance(value, Mapping | list) and key not in {"@context"}
        ):
            yield from _walk(value, depth + 1)


def _loads_tolerant(text: str) -> list[Any]:
    cleaned = text.strip()
    for wrapper in ("<!--", "-->", "<![CDATA[", "]]>", "//<![CDATA[", "//]]>"):
        cleaned = cleaned.replace(wrapper, "")
    cleaned = cleaned.strip().rstrip(";")
    for attempt in (cleaned, _repair(cleaned)):
        found = _decode_all(attempt)
        if found:
            return found
    return []


def _repair(text: str) -> str:
    text = _CONTROL.sub(" ", text)
    text = text.replace("\r", " ").replace("\n", " ").replace("\t", " ")
    return _TRAILING_COMMA.sub(r"\1", text)


def _decode_all(text: str) -> list[Any]:
    """Several JSON values back to back are legal in practice, if not in the spec."""
    decoder = json.JSONDecoder(strict=False)
    found: list[Any] = []
    index = 0
    while index < len(text):
        while index < len(text) and text[index] in " \t\r\n,;":
            index += 1
        if index >= len(text):
            break
        try:
            value, index = decoder.raw_decode(text, index)
        except (ValueError, RecursionError):  # broken, or nested beyond reason
            break
        found.append(value)
    return found
