"""The headline and the site name.

The headline is the first of JSON-LD ``headline``, ``og:title``, ``twitter:title``,
Parse.ly/Sailthru/Dublin Core titles, the article's ``<h1>``, and ``<title>``. Titles
that come from ``<title>`` or social tags often carry the site name (" | Site",
" - Site", "Site: "); it is cut off when it matches the known site name, or when an
``<h1>`` on the page equals the remaining part.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from lxml import html

from newsfeed.extract import _dom
from newsfeed.extract._jsonld import JsonLd, text_of
from newsfeed.extract._meta_tags import MetaTags, parsely_page

_SEPARATORS = (" | ", " - ", " – ", " — ", " :: ", " · ", " • ", " « ", " » ", " / ", ": ")


def find_site_name(jsonld: JsonLd, tags: MetaTags, url: str | None) -> str | None:
    found = tags.first(
        "og:site_name", "application-name", "al:ios:app_name", "apple-mobile-web-app-title"
    )
    if found:
        return found
    if jsonld.article is not None:
        publisher = jsonld.resolve(jsonld.article.get("publisher"))
        name = text_of(publisher)
        if name:
            return name
    for obj in jsonld.of_type("WebSite", "NewsMediaOrganization"):
        name = text_of(obj.get("name"))
        if name:
            return name
    return None


def find_title(
    doc: html.HtmlElement, jsonld: JsonLd, tags: MetaTags, site_name: str | None, url: str | None
) -> str | None:
    headings = _headings(doc)
    candidates: list[str | None] = []
    if jsonld.article is not None:
        candidates.append(text_of(jsonld.article.get("headline")))
    parsely = parsely_page(tags).get("title")
    candidates += [
        tags.first("og:title"),
        tags.first("twitter:title"),
        parsely if isinstance(parsely, str) else None,
        tags.first("parsely-title", "sailthru.title", "dc.title", "dcterms.title", "title"),
        tags.first("headline"),
        headings[0] if headings else None,
        _dom.text(next(iter(doc.iter("title")), None)),
    ]
    for candidate in candidates:
        if candidate:
            return strip_site_name(candidate, site_name, headings, url)
    return None


def strip_site_name(
    title: str,
    site_name: str | None,
    headings: list[str] | tuple[str, ...] = (),
    url: str | None = None,
) -> str:
    """Remove a " | Site Name" style suffix or prefix when we can tell it is the site's."""
    title = " ".join(title.split())
    if title in headings:
        return title
    for heading in headings:
        if heading and len(heading) > 10 and heading in title and _is_wrapped(title, heading):
            return heading
    for separator in _SEPARATORS:
        if separator not in title:
            continue
        head, _, tail = title.rpartition(separator)
        if _is_site(tail, site_name, url) and head:
            return head.strip()
        first, _, rest = title.partition(separator)
        if _is_site(first, site_name, url) and rest:
            return rest.strip()
    return title


def _is_wrapped(title: str, heading: str) -> bool:
    """``title`` is ``heading`` plus a short separator-led prefix or suffix."""
    rest = title.replace(heading, "", 1).strip()
    return any(rest.startswith(sep.strip()) or rest.endswith(sep.strip()) for sep in _SEPARATORS)


def _is_site(part: str, site_name: str | None, url: str | None) -> bool:
    key = _squash(part)
    if not key:
        return False
    if site_name and (key == _squash(site_name) or key in _squash(site_name)):
        return True
    host = urlsplit(url).hostname if url else None
    if host:
        labels = [label for label in host.split(".") if label not in {"www", "m", "amp"}]
        if any(key == _squash(label) for label in labels) or key == _squash(".".join(labels)):
            return True
    return False


def _squash(text: str) -> str:
    return re.sub(r"[\W_]+", "", text.casefold())


def _headings(doc: html.HtmlElement) -> list[str]:
    found: list[str] = []
    for h1 in doc.iter("h1"):
        value = _dom.text(h1)
        if value and len(value) < 400:
            found.append(value)
    return found
