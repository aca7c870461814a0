"""Sanitising, the last step of extraction: the body HTML through an nh3 allowlist.

Everything else in ``extract`` works on the parsed tree; only this step's output is ever
meant to reach a browser, so it is the only place that decides what HTML is safe.
"""

from __future__ import annotations

import nh3

_TAGS = {
    "p", "br", "h2", "h3", "h4", "h5", "h6", "blockquote", "ul", "ol", "li", "figure",
    "figcaption", "img", "a", "em", "strong", "b", "i", "u", "s", "sub", "sup", "small",
    "code", "pre", "q", "cite", "abbr", "mark", "time", "span", "table", "thead", "tbody",
    "tr", "td", "th", "caption", "hr", "dl", "dt", "dd",
}  # fmt: skip
_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "width", "height"},
    "abbr": {"title"},
    "time": {"datetime"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan"},
}


def sanitize(html: str) -> str:
    """Only allowlisted tags and attributes, http(s)/mailto links, ``rel=noopener``."""
    return str(
        nh3.clean(
            html,
            tags=_TAGS,
            clean_content_tags={"script", "style"},
            attributes=_ATTRIBUTES,
            url_schemes={"http", "https", "mailto"},
            link_rel="noopener noreferrer nofollow",
        )
    )
