"""The lead image of a feed entry, from the places feeds put one.

Preference: the widest ``media:content`` image, then ``media:thumbnail``, an image
``enclosure``, ``itunes:image``. The photo credit (``media:credit``) and caption
(``media:description``/``media:title``) are kept apart from the URL.
"""

from __future__ import annotations

import re
from typing import Any

from newsfeed.types import Image

_IMAGE_PATH = re.compile(r"\.(jpe?g|png|gif|webp|avif)(\?|$)", re.I)


def entry_image(item: Any) -> Image | None:
    candidates = _media_images(item) or _thumbnails(item) or _enclosures(item)
    if candidates:
        best = max(candidates, key=lambda c: _int(c.get("width")) or 0)
        url = _str(best, "url") or _str(best, "href")
        if url:
            return Image(
                url=url,
                caption=_str(item, "media_description") or _str(item, "media_title"),
                credit=_credit(item),
                width=_int(best.get("width")),
                height=_int(best.get("height")),
            )
    itunes = item.get("image")
    if isinstance(itunes, dict) and (href := _str(itunes, "href")):
        return Image(url=href)
    return None


def _media_images(item: Any) -> list[dict[str, Any]]:
    return [c for c in _dicts(item, "media_content") if _is_image(c, "url")]


def _thumbnails(item: Any) -> list[dict[str, Any]]:
    return [c for c in _dicts(item, "media_thumbnail") if _str(c, "url")]


def _enclosures(item: Any) -> list[dict[str, Any]]:
    return [c for c in _dicts(item, "enclosures") if _is_image(c, "href")]


def _is_image(media: dict[str, Any], key: str) -> bool:
    url = _str(media, key)
    if not url:
        return False
    kind = (_str(media, "type") or "").lower()
    medium = (_str(media, "medium") or "").lower()
    if kind or medium:
        return kind.startswith("image/") or medium == "image"
    return bool(_IMAGE_PATH.search(url)) or "width" in media


def _credit(item: Any) -> str | None:
    for credit in _dicts(item, "media_credit"):
        if text := _str(credit, "content"):
            return text
    return None


def _dicts(item: Any, key: str) -> list[dict[str, Any]]:
    value = item.get(key)
    return [v for v in value if isinstance(v, dict)] if isinstance(value, list) else []


def _str(data: Any, key: str) -> str | None:
    value = data.get(key) if isinstance(data, dict) else None
    return value.strip() or None if isinstance(value, str) else None


def _int(value: Any) -> int | None:
    try:
        return int(str(value)) if value is not None else None
    except ValueError:
        return None
