"""Boilerplate removal: before scoring (page furniture) and after (inside the chosen body).

``drop_non_content_tags`` and ``is_furniture`` find what is never article text: scripts and
styles, form controls, navigation, share bars, newsletter and membership banners, comments,
cookie notices, hidden elements.
``clean_conditionally`` then prunes link lists, image galleries and widgets that sit inside
the chosen container, with the rules Mozilla's Readability found to work on real pages.
"""

from __future__ import annotations

import re
from functools import lru_cache

from lxml.html import HtmlElement

from ._text import text_within

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
    r"(?:^|[\s_-])(?:share|sharing|sharebar|social|socials|comments?|comment-list|news-?letter|"
    r"subscribe|subscription|cookies?|consent|gdpr|sidebar|breadcrumbs?|popup|modal|advert|"
    r"advertisement|adslot|ad-slot|ad-container|ads|ad|dfp|outbrain|taboola|disqus|sr-only|"
    r"visually-hidden|screen-reader-text|skip-link|signup|sign-up|membership|promo|sponsored|"
    r"print-only|author-card|author-bio|about-author|byline|social-links|follow-us|"
    r"donate|donation|paywall-banner|recirculation|onetrust|ot-sdk|cookiebot|usercentrics|"
    r"didomi|cmp(?=$|[\s_])|cmp-(?:banner|ui|root|wrapper|modal|popup|overlay|dialog|layer)|"
    r"consent-banner|comments-area|comment-form|kommentare?|kommune|disclaimer|disclosure|affiliate|"
    r"postmetadata|entry-meta|post-meta|entry-footer|post-footer|cta|saboxplugin-wrap)"
    r"(?:$|[\s_-])",
    re.I,
)
_HARD_NEGATIVE = re.compile(
    r"(?:^|[\s_-])(?:comments?-(?:list|container|area|section|wrapper|block|thread)|"
    r"comment-?list|commentlist|disqus|onetrust|ot-sdk-container|otpc|cookiebot|usercentrics|"
    r"didomi|cookie-?consent|cookie-?banner|cookie-?notice|sp_message)"
    r"(?:$|[\s_-])",
    re.I,
)
_TEASER = re.compile(r"teaser", re.I)
_SHARE = re.compile(r"(?:^|[\s_-])(?:share|sharing|sharedaddy|social)(?:$|[\s_-])", re.I)
_HARD_IDS = frozenset({"comments", "disqus_thread", "onetrust-consent-sdk", "respond"})
_WEAK_NEGATIVE = re.compile(
    r"-ad-|banner|combx|comment|community|cover-wrap|extra|footer|gdpr|header|legends|menu|"
    r"related|remark|replies|rss|shoutbox|sidebar|skyscraper|social|sponsor|supplemental|"
    r"ad-break|agegate|pagination|pager|popup|yom-remote|masthead|byline|toolbar|navigation",
    re.I,
)
_MAYBE_CONTENT = re.compile(
    r"and|article|body|column|content|main|mathjax|shadow|story|post|contenido|cuerpo|texto|"
    r"inhalt|artikel|contenu|corps|testo|conteudo|nota|noticia",
    re.I,
)
_BODY_HINT = re.compile(
    r"article-?body|articlebody|post-?content|entry-?content|story-?body|main-?content|"
    r"text-?content|rich-?text|cuerpo|contenido|inhalt|contenu|articolo|artikeltext",
    re.I,
)
_POSITIVE = re.compile(
    r"article|body|content|entry|hentry|h-entry|main|page|pagination|post|text|blog|story|"
    r"gh-content|prose|rich-text|richtext",
    re.I,
)
_NEGATIVE = re.compile(
    r"-ad-|hidden|^hid$| hid$| hid |^hid |banner|combx|comment|com-|contact|footer|gdpr|"
    r"masthead|media|meta|outbrain|promo|related|scroll|share|shoutbox|sidebar|skyscraper|"
    r"sponsor|shopping|tags|widget|newsletter|subscribe|social|byline|author|cookie|consent|"
    r"privacy|gdpr",
    re.I,
)
_STREAMED = re.compile(r"^[SBP]:\d+$")
_HIDDEN_CLASS = re.compile(r"(?:^|\s)(?:d-none|hidden|is-hidden|hide|u-hide)(?:$|\s)")
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)
_NEVER_BY_CLASS = frozenset(
    [
        "a",
        "span",
        "i",
        "b",
        "em",
        "strong",
        "small",
        "img",
        "source",
        "picture",
        "time",
        "abbr",
        "label",
        "figure",
        "figcaption",
        "td",
        "tr",
        "sup",
        "sub",
        "u",
        "s",
        "font",
        "cite",
        "q",
        "code",
        "br",
        "wbr",
    ]
)  # inline and text-level tags: never furniture by class alone
_KEEP = frozenset({"html", "body", "article", "main"})


def drop_non_content_tags(body: HtmlElement) -> None:
    """Remove scripts, styles, forms controls and the like (never article text)."""
    for el in list(body.iter(*_DROP_TAGS)):
        if el.tag == "noscript" and not _small(el, 1000):
            # An unclosed tag in a <noscript> makes libxml2 nest the rest of the page in it
            # (browsers read noscript as raw text): keep what it swallowed.
            el.drop_tag()
        else:
            _drop(el)
    for ruby in list(body.iter("ruby")):
        if ruby.find("rp") is None:
            # Furigana without <rp> fallbacks would run into the base text ("子こども");
            # with them the reading stays, in brackets, as text-only readers show it.
            for rt in list(ruby.iter("rt")):
                _drop(rt)


def is_furniture(el: HtmlElement, by_class: bool = True) -> bool:
    """Navigation, share bars, banners, hidden and furniture-classed elements (not too big)."""
    tag = el.tag
    if tag in _KEEP:
        return False
    attrib = el.attrib
    if not attrib:
        return tag in _LANDMARKS and _small(el)
    if "hidden" in attrib or ("style" in attrib and _HIDDEN_STYLE.search(attrib["style"])):
        # React streams server-rendered content into hidden <div id="S:1"> boundaries; a
        # hidden inline element (a formula's MathML beside its image) never holds the body.
        return not _STREAMED.match(attrib.get("id", "")) and (tag == "span" or _small(el))
    cls = attrib.get("class", "")
    if ("hid" in cls or "d-none" in cls) and _HIDDEN_CLASS.search(cls):
        return _small(el)
    if tag in _NEVER_BY_CLASS:
        return False
    ident = attrib.get("id", "")
    if by_class and ((cls and _is_hard_furniture(cls)) or ident in _HARD_IDS):
        return True
    if attrib.get("aria-hidden") == "true":
        return _small(el, 300)
    role = attrib.get("role", "").lower()
    if role == "tablist":
        # Accordions mark their panels a tablist: paragraphs there are body text.
        return _small(el) and not _has_paragraphs(el)
    if role in _BAD_ROLES or (tag in _LANDMARKS and not _is_article_header(el)):
        return _small(el)
    if not by_class:
        # the relaxed retry: only a comment form or a line or two under a share class
        return (ident in _HARD_IDS and _small(el)) or (
            bool(cls) and _is_share_class(cls) and _small(el, _RELAXED_SMALL)
        )
    weak = tag != "table"  # "table-header", "header-row": table styling, not page chrome
    furniture = (len(cls) > 2 and _is_furniture_class(cls, weak)) or (
        len(ident) > 2 and _is_furniture_class(ident, weak)
    )
    if not furniture and _is_teaser_class(f"{cls} {ident}"):
        # A teaser links to another story; a "teaser" without links is the article's lead.
        furniture = any(a.get("href") for a in el.iter("a"))
    return furniture and _small(el)


@lru_cache(maxsize=4096)
def _is_hard_furniture(cls: str) -> bool:
    """Comment threads and consent managers: furniture however much text they hold."""
    return bool(_HARD_NEGATIVE.search(cls))


_RELAXED_SMALL = 200


@lru_cache(maxsize=4096)
def _is_share_class(cls: str) -> bool:
    return bool(_SHARE.search(cls))


@lru_cache(maxsize=4096)
def _is_teaser_class(attrs: str) -> bool:
    return bool(_TEASER.search(attrs)) and not _BODY_HINT.search(attrs)


@lru_cache(maxsize=4096)
def _is_furniture_class(attrs: str, weak: bool = True) -> bool:
    """Pages repeat the same class strings many times: decide once per string."""
    if _BODY_HINT.search(attrs):
        return False
    return bool(
        _STRONG_NEGATIVE.search(attrs)
        or (weak and _WEAK_NEGATIVE.search(attrs) and not _MAYBE_CONTENT.search(attrs))
    )


def _small(el: HtmlElement, limit: int = 2500) -> bool:
    """Landmarks and furniture-classed elements holding a whole article are kept."""
    return text_within(el, limit)


def class_weight(el: HtmlElement) -> int:
    """Readability's class weight: +25 for content-like class/id, -25 for furniture-like."""
    return _weight_of(el.get("class") or "") + _weight_of(el.get("id") or "")


@lru_cache(maxsize=4096)
def _weight_of(attr: str) -> int:
    if not attr:
        return 0
    return (-25 if _NEGATIVE.search(attr) else 0) + (25 if _POSITIVE.search(attr) else 0)


def clean_conditionally(container: HtmlElement, keep: set[HtmlElement]) -> None:
    """Drop link lists, galleries and widgets inside the chosen body (``keep`` is spared)."""
    total = len("".join(container.itertext()))
    for el in list(container.iter("div", "section", "ul", "ol", "table", "form", "aside", "dl")):
        if el is container or el in keep or el.getparent() is None:
            continue
        if _should_remove(el, total):
            _drop(el)


_GALLERY = re.compile(r"gallery|slideshow|carousel|galerie|diashow|bildergalerie", re.I)
_GALLERY_BESIDE = 1000


def _is_gallery(el: HtmlElement) -> bool:
    attrs = f"{el.get('class') or ''} {el.get('id') or ''}"
    return len(attrs) > 6 and bool(_GALLERY.search(attrs)) and not _BODY_HINT.search(attrs)


def _should_remove(el: HtmlElement, total: int) -> bool:
    text = "".join(el.itertext())
    if len(text) > total / 2:
        # a wrapper holding most of the body is the body, unless it is a gallery set into
        # an article that has text of its own (a slideshow page is all gallery)
        return _is_gallery(el) and total - len(text) >= _GALLERY_BESIDE
    weight = class_weight(el)
    if weight < 0 and not _has_paragraphs(el):
        return True
    if text.count(",") + text.count("，") + text.count("،") >= 10:
        return False
    counts = {"p": 0, "img": 0, "li": 0, "input": 0, "embed": 0, "h": 0, "br": 0, "items": 0}
    link_chars = 0
    for node in el.iter():
        tag = node.tag
        if tag in {"li", "td"} and len("".join(node.itertext()).strip()) >= 25:
            counts["items"] += 1  # recipe steps, table rows: text beside each picture
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
        (
            counts["img"] > 1
            and (counts["p"] + counts["items"]) / counts["img"] < 0.5
            and not in_figure
        )
        or (not is_list and counts["li"] > counts["p"] + 1 and link_density > 0.2)
        or (
            not is_list
            and length < 25
            and (counts["img"] == 0 or counts["img"] > 2)
            and counts["h"] == 0
            and counts["embed"] == 0
            and not in_figure
        )
        or (weight < 25 and link_density > (0.5 if is_list else 0.25) and length < 2000)
        or (weight >= 25 and link_density > 0.5)
        or counts["embed"] > 3
    )


def _is_article_header(el: HtmlElement) -> bool:
    """A ``<header>`` carrying prose (a lead, a summary) rather than links: part of the article."""
    if el.tag != "header":
        return False
    text = links = 0
    for node in el.iter():
        if node.text:
            size = len(node.text.strip())
            text += size
            if node.tag == "a" or any(a.tag == "a" for a in node.iterancestors("a")):
                links += size
        if node is not el and node.tail:
            text += len(node.tail.strip())
    return text >= 200 and links < 0.3 * text


def _has_paragraphs(el: HtmlElement) -> bool:
    """Two or more real paragraphs: body text, whatever the class name says."""
    found = 0
    for p in el.iter("p"):
        if len("".join(p.itertext())) > 120:
            found += 1
            if found > 1:
                return True
    return False


def _drop(el: HtmlElement) -> None:
    if el.getparent() is not None:
        el.drop_tree()
