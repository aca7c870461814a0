"""Boilerplate removal: before scoring (page furniture) and after (inside the chosen body).

``strip_furniture`` drops what is never article text: scripts and styles, forms, navigation,
share bars, newsletter and membership banners, comments, cookie notices, hidden elements.
``clean_conditionally`` then prunes link lists, image galleries and widgets that sit inside
the chosen container, with the rules Mozilla's Readability found to work on real pages.
"""

from __future__ import annotations

import re

from lxml.html import HtmlElement

_DROP_TAGS = (
    "script",
    "style",
    "noscript",
    "template",
    "svg",
    "canvas",
    "object",
    "button",
    "input",
    "select",
    "textarea",
    "option",
    "dialog",
    "menu",
    "link",
    "meta",
    "map",
)
_LANDMARKS = frozenset({"nav", "aside", "footer", "header"})
_BAD_ROLES = frozenset(
    {
        "navigation",
        "complementary",
        "banner",
        "contentinfo",
        "dialog",
        "alertdialog",
        "search",
        "menu",
        "menubar",
        "toolbar",
        "tablist",
    }
)
_STRONG_NEGATIVE = re.compile(
    r"(?:^|[\s_-])(?:share|sharing|sharebar|social|socials|comments?|comment-list|newsletter|"
    r"subscribe|subscription|cookies?|consent|gdpr|sidebar|breadcrumbs?|popup|modal|advert|"
    r"advertisement|adslot|ad-slot|ad-container|ads|ad|dfp|outbrain|taboola|disqus|sr-only|"
    r"visually-hidden|screen-reader-text|skip-link|signup|sign-up|membership|promo|sponsored|"
    r"print-only|author-card|author-bio|about-author|byline|social-links|follow-us|"
    r"donate|donation|paywall-banner|recirculation)(?:$|[\s_-])",
    re.I,
)
_WEAK_NEGATIVE = re.compile(
    r"-ad-|banner|combx|comment|community|cover-wrap|extra|footer|gdpr|header|legends|menu|"
    r"related|remark|replies|rss|shoutbox|sidebar|skyscraper|social|sponsor|supplemental|"
    r"ad-break|agegate|pagination|pager|popup|yom-remote|masthead|byline|toolbar|navigation",
    re.I,
)
_MAYBE_CONTENT = re.compile(r"and|article|body|column|content|main|mathjax|shadow|story|post", re.I)
_POSITIVE = re.compile(
    r"article|body|content|entry|hentry|h-entry|main|page|pagination|post|text|blog|story|"
    r"gh-content|prose|rich-text|richtext",
    re.I,
)
_NEGATIVE = re.compile(
    r"-ad-|hidden|^hid$| hid$| hid |^hid |banner|combx|comment|com-|contact|footer|gdpr|"
    r"masthead|media|meta|outbrain|promo|related|scroll|share|shoutbox|sidebar|skyscraper|"
    r"sponsor|shopping|tags|widget|newsletter|subscribe|social|byline|author",
    re.I,
)
_STREAMED = re.compile(r"^[SBP]:\d+$")
_HIDDEN_CLASS = re.compile(r"(?:^|\s)(?:d-none|hidden|is-hidden|hide|u-hide)(?:$|\s)")
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)
_INLINE = frozenset({"p", "span", "img", "figure", "a", "i", "em", "b", "strong", "picture"})
_KEEP = frozenset({"html", "body", "article", "main"})


def strip_furniture(body: HtmlElement) -> None:
    """Remove page furniture from the tree in place."""
    for el in list(body.iter(*_DROP_TAGS)):
        _drop(el)
    doomed: list[HtmlElement] = []
    _find_furniture(body, doomed)
    for el in doomed:
        _drop(el)


def _find_furniture(el: HtmlElement, doomed: list[HtmlElement]) -> None:
    for child in el:
        if not isinstance(child.tag, str):
            continue
        if child.tag not in _KEEP and _is_furniture(child):
            doomed.append(child)
        else:
            _find_furniture(child, doomed)


def _is_furniture(el: HtmlElement) -> bool:
    hidden = el.get("hidden") is not None or _HIDDEN_STYLE.search(el.get("style") or "")
    if hidden:
        # React streams server-rendered content into hidden <div id="S:1"> boundaries.
        return not _STREAMED.match(el.get("id") or "") and _small(el)
    if el.get("aria-hidden") == "true" and el.tag not in _INLINE:
        return _small(el, 300)
    if (el.get("role") or "").lower() in _BAD_ROLES or el.tag in _LANDMARKS:
        return _small(el)
    attrs = f"{el.get('class') or ''} {el.get('id') or ''}"
    if _HIDDEN_CLASS.search(attrs):
        return _small(el)
    if len(attrs) < 3 or el.tag in {"a", "p", "img", "figure", "figcaption", "td", "tr"}:
        return False
    if _STRONG_NEGATIVE.search(attrs) or (
        _WEAK_NEGATIVE.search(attrs) and not _MAYBE_CONTENT.search(attrs)
    ):
        return _small(el)
    return False


def _small(el: HtmlElement, limit: int = 2500) -> bool:
    """Landmarks and furniture-classed elements holding a whole article are kept."""
    total = 0
    for text in el.itertext():
        total += len(text)
        if total > limit:
            return False
    return True


def class_weight(el: HtmlElement) -> int:
    """Readability's class weight: +25 for content-like class/id, -25 for furniture-like."""
    weight = 0
    for attr in (el.get("class"), el.get("id")):
        if attr:
            if _NEGATIVE.search(attr):
                weight -= 25
            if _POSITIVE.search(attr):
                weight += 25
    return weight


def clean_conditionally(container: HtmlElement, keep: set[HtmlElement]) -> None:
    """Drop link lists, galleries and widgets inside the chosen body (``keep`` is spared)."""
    total = len("".join(container.itertext()))
    for el in list(container.iter("div", "section", "ul", "ol", "table", "form", "aside", "dl")):
        if el is container or el in keep or el.getparent() is None:
            continue
        if _should_remove(el, total):
            _drop(el)


def _should_remove(el: HtmlElement, total: int) -> bool:
    text = "".join(el.itertext())
    if len(text) > total / 2:
        return False  # a wrapper holding most of the body is the body
    weight = class_weight(el)
    if weight < 0:
        return True
    if text.count(",") + text.count("，") + text.count("،") >= 10:
        return False
    counts = {"p": 0, "img": 0, "li": 0, "input": 0, "embed": 0, "h": 0, "br": 0}
    link_chars = 0
    for node in el.iter():
        tag = node.tag
        if tag == "p" or (tag == "div" and len((node.text or "").strip()) >= 80):
            counts["p"] += 1
        elif tag == "br":
            counts["br"] += 1
        elif tag == "img":
            counts["img"] += 1
        elif tag == "li":
            counts["li"] += 1
        elif tag in {"iframe", "video", "embed", "object"}:
            counts["embed"] += 1
        elif tag in {"h1", "h2", "h3", "h4", "h5", "h6"}:
            counts["h"] += 1
        elif tag == "a":
            link_chars += len("".join(node.itertext()).strip())
    counts["p"] += counts["br"] // 2
    length = len(text.strip())
    link_density = link_chars / length if length else 0.0
    is_list = el.tag in {"ul", "ol", "dl"}
    in_figure = any(a.tag == "figure" for a in el.iterancestors())
    return (
        (counts["img"] > 1 and counts["p"] / counts["img"] < 0.5 and not in_figure)
        or (not is_list and counts["li"] > counts["p"] + 1 and link_density > 0.2)
        or (
            not is_list
            and length < 25
            and (counts["img"] == 0 or counts["img"] > 2)
            and counts["h"] == 0
            and counts["embed"] == 0
            and not in_figure
        )
        or (weight < 25 and link_density > 0.33 and length < 2000)
        or (weight >= 25 and link_density > 0.5)
        or counts["embed"] > 3
    )


def _drop(el: HtmlElement) -> None:
    if el.getparent() is not None:
        el.drop_tree()
