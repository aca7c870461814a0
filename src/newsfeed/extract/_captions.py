"""Captions and photo credits kept apart.

The credit is taken from a credit-like child of the caption or figure (``.credit``,
``.copyright``, ``.photographer`` …) or split off the caption text: a trailing
"(Name / Agency)", "Photo: X", "Credit: X", "Foto: X", "© X". JSON-LD ``ImageObject``
gives ``caption`` and ``creditText``/``copyrightHolder``/``author``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from lxml import etree

from newsfeed.extract import _dom
from newsfeed.extract._jsonld import JsonLd, as_list, text_of

CAPTION_CLASSES = (
    "caption",
    "legend",
    "bildunterschrift",
    "image-text",
    "img-text",
    "media-text",
    "subline",
)
_CREDIT_CLASSES = (
    "credit",
    "copyright",
    "photographer",
    "source",
    "byline",
    "attribution",
    "courtesy",
    "image-author",
    "bildnachweis",
    "quelle",
)
_LABEL = (
    r"(?:photo(?:graph)?s?|image|picture|pic|credit|foto(?:s|grafie)?|bild|quelle|"
    r"source|crédit(?:\s+photo)?|crédito|fuente|illustration|grafik|copyright|isithombe|"
    r"symbolfoto|archivfoto|fotó|zdjęcie|kuva|사진|写真)"
)
_TRAILING_LABEL = re.compile(rf"\s*[(\[]?\s*{_LABEL}\s*(?:by|von|:)\s*([^()]+?)[)\]]?\s*$", re.I)
_TRAILING_PAREN = re.compile(r"\s*[(\[]([^()\[\]]{2,120})[)\]]\s*\.?\s*$")
_TRAILING_COPY = re.compile(r"\s*(?:©|\(c\)|copyright)\s*([^©]{2,120})$", re.I)
_NAME_LIKE = re.compile(r"^[A-ZÄÖÜÉ][\w'.-]+(?:\s+[A-ZÄÖÜÉ][\w'.-]+){1,3}$")
_SENTENCE_END = re.compile(r"[.!?]\s+")
_LAST_BAR = re.compile(r"\s+[|/]\s+([^|/]{2,80})$")
_CREDITISH = re.compile(
    r"/|\bvia\b|getty|afp|reuters|\bap\b|\bdpa\b|epa|imago|shutterstock|images?\b|photo|"
    r"foto|press|agency|alamy|istock|picture alliance|courtesy|handout|pool|xinhua|"
    r"anadolu|sipa|efe|ansa|keystone|apa|bloomberg|wikimedia|unsplash|supplied|©",
    re.I,
)


def split_credit(text: str) -> tuple[str | None, str | None]:
    """Split a caption into (caption, credit) when it ends with a credit."""
    value = " ".join(text.split())
    if not value:
        return None, None
    for pattern in (_TRAILING_LABEL, _TRAILING_COPY):
        match = pattern.search(value)
        if match and match.start() > 0:
            return _or_none(value[: match.start()]), _or_none(match.group(1))
        if match:
            return None, _or_none(match.group(1))
    match = _TRAILING_PAREN.search(value)
    if match and _is_credit(match.group(1), allow_name=True):
        return _or_none(value[: match.start()]), _or_none(match.group(1))
    match = _LAST_BAR.search(value)
    if match and _is_credit(match.group(1), allow_name=True):
        return _or_none(value[: match.start()]), _or_none(match.group(1))
    # "… in Madrid. EFE/ J.J. Guillén": the shortest last sentence(s) that read as a credit.
    for boundary in reversed(list(_SENTENCE_END.finditer(value))):
        tail = value[boundary.end() :]
        if len(tail) > 80:
            break
        if _is_credit(tail, allow_name=False):
            return _or_none(value[: boundary.start() + 1]), _or_none(tail)
    return value, None


def _is_credit(text: str, *, allow_name: bool) -> bool:
    """Looks like "Name / Agency", "Getty Images", "Supplied" (or, in parentheses, a
    bare photographer's name such as "(Edu Luque)")."""
    words = text.split()
    if len(words) > 10:
        return False
    if _CREDITISH.search(text):
        return len(words) <= 8 or "/" in text
    return allow_name and bool(_NAME_LIKE.match(text.strip()))


def _or_none(value: str) -> str | None:
    cleaned = value.strip(" \t\n|–—-:,;")
    return cleaned or None


def jsonld_caption(jsonld: JsonLd) -> tuple[str | None, str | None]:
    if jsonld.article is None:
        return None, None
    for item in as_list(jsonld.article.get("image")):
        obj = jsonld.resolve(item)
        if not isinstance(obj, Mapping):
            continue
        caption = text_of(obj.get("caption")) or text_of(obj.get("description"))
        credit = text_of(obj.get("creditText")) or text_of(obj.get("copyrightHolder"))
        credit = credit or text_of(obj.get("author"))
        if caption and not credit:
            return split_credit(caption)
        if caption or credit:
            return caption, credit
    return None, None


def figure_caption(figure: etree._Element) -> tuple[str | None, str | None]:
    caption_el = next(iter(figure.iter("figcaption")), None)
    if caption_el is None:
        caption_el = next(_dom.iter_class(figure, *CAPTION_CLASSES), None)
    if caption_el is None:
        return None, None
    inside = (el for el in _dom.iter_class(caption_el, *_CREDIT_CLASSES) if _dom.text(el))
    credit_el = next(inside, None)
    if credit_el is None:
        near = _dom.iter_class(figure, *_CREDIT_CLASSES)
        credit_el = next((el for el in near if el is not caption_el and _dom.text(el)), None)
    # Caption text and credit are often sibling spans: keep a space between them.
    full = _dom.text(caption_el, spaced=True)
    if credit_el is None:
        return split_credit(full)
    credit = _dom.text(credit_el, spaced=True)
    caption = full.replace(credit, "") if credit and credit in full else full
    return _or_none(_drop_open_paren(caption)), _or_none(_strip_label(credit))


def _drop_open_paren(caption: str) -> str:
    """ "… festgenommen. (Symbol" once the credit inside the parentheses is gone."""
    if caption.count("(") > caption.count(")"):
        return caption[: caption.rindex("(")]
    return caption


def _strip_label(credit: str) -> str:
    return re.sub(rf"^\s*(?:{_LABEL}\s*(?:by|:)|©|\(c\))\s*", "", credit, flags=re.I)
