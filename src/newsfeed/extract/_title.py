"""The headline and the site name.

The headline starts from the first of: JSON-LD ``headline`` (only when another source
agrees with it: Wikipedia puts a description there), Dublin Core title, ``og:title``,
``twitter:title``, Parse.ly/Sailthru titles, microdata ``itemprop=headline``; then
``<title>``; then the first ``<h1>``. Two corrections follow:

- a site name around it (" | Site", " - Site", "Site: ") is cut off when it matches the
  known site name or the host name (or, for ``<title>`` only, when the last part after a
  separator is short and the rest long);
- when the page's visible ``<h1>`` (without its kicker: ``.kicker``, ``.subtitle``,
  ``.dachzeile`` …) is a proper part of that title, the ``<h1>`` is the headline: the rest
  is a kicker or an SEO addition ("Klimaschutz: Bohren, bis es heiß wird").
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from lxml import etree, html

from newsfeed.extract import _dom
from newsfeed.extract._jsonld import JsonLd, text_of
from newsfeed.extract._meta_tags import MetaTags, parsely_page
from newsfeed.extract._sources import Sources

_SEPARATORS = (" | ", " - ", " – ", " — ", " :: ", " · ", " • ", " « ", " » ", " / ", ": ")
_KICKER = re.compile(
    r"kicker|subtitle|overline|dachzeile|topline|eyebrow|roofline|supertitle|spitzmarke|"
    r"visually-hidden|sr-only|screen-reader|offscreen|label|flag|rubric|category",
    re.I,
)
_MIN_HEADING = 12
_SKIP = frozenset({"script", "style", "noscript", "template"})
_MAX_DEPTH = 40  # headings are shallow; a deeper one is broken markup, not a headline


def find_site_name(src: Sources) -> str | None:
    jsonld, tags = src.jsonld, src.tags
    found = tags.first(
        "og:site_name", "application-name", "al:ios:app_name", "apple-mobile-web-app-title"
    )
    if found:
        return found
    if jsonld.article is not None:
        name = text_of(jsonld.resolve(jsonld.article.get("publisher")))
        if name:
            return name
    for obj in jsonld.of_type("WebSite", "NewsMediaOrganization"):
        name = text_of(obj.get("name"))
        if name:
            return name
    return None


def find_title(src: Sources, site_name: str | None) -> str | None:
    doc, jsonld, tags, url = src.doc, src.jsonld, src.tags, src.url
    headings = _headings(doc)
    title_tag = _dom.text(next(iter(doc.iter("title")), None))
    structured = _structured_titles(doc, jsonld, tags)
    others = [value for _, value in structured] + [title_tag, *(h[0] for h in headings[:1])]
    for source, candidate in structured:
        if site_name and _squash(candidate) == _squash(site_name):
            continue
        if source == "jsonld" and not _corroborated(candidate, others):
            continue
        return _prefer_heading(strip_site_name(candidate, site_name, url), headings)
    if title_tag:
        return _prefer_heading(_from_title_tag(title_tag, site_name, url), headings)
    return headings[0][1] if headings else None


def strip_site_name(title: str, site_name: str | None, url: str | None = None) -> str:
    """Remove a " | Site Name" style suffix or prefix when we can tell it is the site's."""
    title = " ".join(title.split())
    for separator in _SEPARATORS:
        if separator not in title:
            continue
        head, _, tail = title.rpartition(separator)
        if head and _is_site(tail, site_name, url):
            return strip_site_name(head, site_name, url)
        first, _, rest = title.partition(separator)
        if rest and _is_site(first, site_name, url):
            return strip_site_name(rest, site_name, url)
    return title


def _structured_titles(
    doc: html.HtmlElement, jsonld: JsonLd, tags: MetaTags
) -> list[tuple[str, str]]:
    parsely = parsely_page(tags).get("title")
    found: list[tuple[str, str | None]] = [
        ("jsonld", text_of(jsonld.article.get("headline")) if jsonld.article else None),
        ("meta", tags.first("dc.title", "dcterms.title")),
        ("meta", tags.first("og:title")),
        ("meta", tags.first("twitter:title")),
        ("meta", parsely if isinstance(parsely, str) else None),
        ("meta", tags.first("parsely-title", "sailthru.title", "title", "headline")),
        ("microdata", _microdata_headline(doc)),
    ]
    return [(source, value) for source, value in found if value]


def _microdata_headline(doc: html.HtmlElement) -> str | None:
    for element in doc.xpath('//*[@itemprop="headline" or @itemprop="name headline"]'):
        if element.tag != "meta":
            value = _heading_text(element)
            if value:
                return value
    return None


def _corroborated(candidate: str, others: list[str]) -> bool:
    key = _squash(candidate)
    rest = [_squash(other) for other in others if other and other != candidate]
    if not rest or not key:
        return True
    return any(key in other or (len(other) > 10 and other in key) for other in rest)


def _from_title_tag(title: str, site_name: str | None, url: str | None) -> str:
    stripped = strip_site_name(title, site_name, url)
    if stripped != " ".join(title.split()):
        return stripped
    # No site name to go by: drop a short last part after a separator, as readers expect
    # from "<headline> – <site>" when the headline itself is long enough to stand alone.
    for separator in _SEPARATORS[:6]:
        head, found, tail = stripped.rpartition(separator)
        if found and len(tail.split()) <= 3 and len(head.split()) >= 4:
            return head.strip()
    return stripped


def _prefer_heading(title: str, headings: list[tuple[str, str]]) -> str:
    """The visible ``<h1>`` when it is a proper part of ``title``.

    A heading equal to the title confirms it; a heading (kicker included) that the title
    wraps in a separator wins; failing that, the heading without its kicker does, when
    the title is that heading plus more.
    """
    key = _squash(title)
    if any(_squash(full) == key for full, _ in headings[:3]):
        return title
    for full, _ in headings[:3]:
        if len(full) >= _MIN_HEADING and full in title and _is_wrapped(title, full):
            return full
    for _, bare in headings[:3]:
        if len(bare) >= _MIN_HEADING and _squash(bare) in key:
            return bare
    return title


def _is_wrapped(title: str, heading: str) -> bool:
    """``title`` is ``heading`` plus a separator-led prefix or suffix."""
    rest = title.replace(heading, "", 1).strip()
    return any(rest.startswith(sep.strip()) or rest.endswith(sep.strip()) for sep in _SEPARATORS)


def _is_site(part: str, site_name: str | None, url: str | None) -> bool:
    key = _squash(part)
    if len(key) < 2:
        return False
    if site_name and (key == _squash(site_name) or (len(key) > 3 and key in _squash(site_name))):
        return True
    host = urlsplit(url).hostname if url else None
    if host:
        labels = [label for label in host.split(".") if label not in {"www", "m", "amp"}]
        if any(key == _squash(label) for label in labels) or key == _squash(".".join(labels)):
            return True
    return False


def _squash(text: str) -> str:
    return re.sub(r"[\W_]+", "", text.casefold())


def _headings(doc: html.HtmlElement) -> list[tuple[str, str]]:
    """The page's ``<h1>`` texts, with and without kickers, most headline-like first."""
    found: list[tuple[int, str, str]] = []
    for index, h1 in enumerate(doc.iter("h1")):
        full = _dom.text(h1)
        if full and len(full) < 400:
            marked = h1.get("itemprop") == "headline" or bool(
                re.search("title|headline|heading", _dom.classes(h1))
            )
            found.append((0 if marked else 1, full, _heading_text(h1) or full))
        if index > 20:
            break
    return [(full, bare) for _, full, bare in sorted(found, key=lambda item: item[0])]


def _heading_text(element: etree._Element) -> str:
    """The heading's text without kicker, label or screen-reader-only parts."""
    kept: list[str] = []
    _collect(element, kept, 0)
    return " ".join("".join(kept).split()).strip(" :-–|")


def _collect(element: etree._Element, kept: list[str], depth: int) -> None:
    if element.text:
        kept.append(element.text)
    for child in element:
        if (
            depth < _MAX_DEPTH
            and isinstance(child.tag, str)
            and child.tag not in _SKIP
            and not _KICKER.search(_dom.classes(child))
        ):
            _collect(child, kept, depth + 1)
        if child.tail:
            kept.append(child.tail)
