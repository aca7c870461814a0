"""Turning stored articles into HTML: the Jinja environment and the body renderer.

The body is built from the article's structured blocks, every piece of text escaped; only
when an article has no blocks is its stored HTML used, and then only after ``sanitise_html``.
"""

from __future__ import annotations

import math
from datetime import UTC, datetime
from importlib.resources import files
from pathlib import Path

import jinja2
from markupsafe import Markup, escape

from newsfeed.types import Article, Block, Image
from newsfeed.web._entity_links import day_span, entity_url
from newsfeed.web._security import safe_snippet, safe_url, sanitise_html

WORDS_PER_MINUTE = 230


def template_dir() -> Path:
    return Path(str(files("newsfeed.web") / "templates"))


def static_dir() -> Path:
    return Path(str(files("newsfeed.web") / "static"))


def reading_minutes(article: Article) -> int:
    """The publisher's own figure when stated, else the computed one, else from the text."""
    if article.stated_reading_time:
        return article.stated_reading_time
    if article.reading_time:
        return article.reading_time
    words = article.word_count or len(article.text.split())
    return max(1, math.ceil(words / WORDS_PER_MINUTE))


def time_ago(when: datetime | None, now: datetime | None = None) -> str:
    if when is None:
        return ""
    now = now or datetime.now(UTC)
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    seconds = int((now - when).total_seconds())
    if seconds < 60:
        return "just now"
    for size, unit in ((86400 * 365, "year"), (86400 * 30, "month"), (86400, "day"),
                       (3600, "hour"), (60, "minute")):  # fmt: skip
        if seconds >= size:
            count = seconds // size
            return f"{count} {unit}{'s' if count != 1 else ''} ago"
    return "just now"


def iso(when: datetime | None) -> str:
    return when.isoformat() if when else ""


def diff_context(text: str, words: int = 12) -> str:
    """An unchanged run of a diff, shortened to its ends so the changes stand out."""
    parts = text.split()
    if len(parts) <= 2 * words:
        return " ".join(parts)
    return " ".join(parts[:words]) + " … " + " ".join(parts[-words:])


def _figure(image: Image) -> Markup:
    caption = escape(image.caption or "")
    credit = escape(image.credit or "")
    parts = [
        Markup(
            '<figure><img src="{}" alt="{}" loading="lazy" referrerpolicy="no-referrer">'
        ).format(safe_url(image.url), image.alt or image.caption or "")
    ]
    if caption or credit:
        parts.append(Markup("<figcaption>"))
        if caption:
            parts.append(Markup('<span class="caption">{}</span>').format(caption))
        if credit:
            parts.append(Markup(' <span class="credit">{}</span>').format(credit))
        parts.append(Markup("</figcaption>"))
    parts.append(Markup("</figure>"))
    return Markup("").join(parts)


def _block(block: Block) -> Markup:
    if block.kind == "heading":
        level = min(max(block.level or 2, 2), 6)
        return Markup("<h{0}>{1}</h{0}>").format(level, block.text)
    if block.kind == "quote":
        return Markup("<blockquote><p>{}</p></blockquote>").format(block.text)
    if block.kind == "list":
        tag = "ol" if block.ordered else "ul"
        items = Markup("").join(Markup("<li>{}</li>").format(item) for item in block.items)
        return Markup("<{0}>{1}</{0}>").format(Markup(tag), items)
    if block.kind == "figure":
        return _figure(block.image) if block.image else Markup("")
    if block.kind == "embed":
        return Markup('<p class="embed"><a href="{}" rel="noopener nofollow">{}</a></p>').format(
            safe_url(block.url), block.text or block.url or "embedded content"
        )
    return Markup("<p>{}</p>").format(block.text)


def article_body(article: Article) -> Markup:
    """The article body as safe HTML."""
    if article.blocks:
        return Markup("\n").join(_block(b) for b in article.blocks)
    if article.html:
        return Markup(sanitise_html(article.html))
    paragraphs = [p for p in article.text.split("\n") if p.strip()]
    return Markup("\n").join(Markup("<p>{}</p>").format(p) for p in paragraphs)


def article_content_html(article: Article) -> str:
    """A self-contained HTML rendering for feeds out: lead image, notes, body."""
    parts: list[Markup] = []
    if article.lead_image:
        parts.append(_figure(article.lead_image))
    for note in article.editor_notes:
        parts.append(Markup("<p><em>{}</em></p>").format(note.text))
    parts.append(article_body(article))
    # Sanitising the finished HTML again costs little and guards the feed readers too.
    return sanitise_html(str(Markup("\n").join(parts)))


def make_environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(template_dir()),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        auto_reload=False,
    )
    env.filters.update(
        time_ago=time_ago,
        iso=iso,
        safe_url=safe_url,
        snippet=safe_snippet,
        reading_minutes=reading_minutes,
        article_body=article_body,
        figure=_figure,
        diff_context=diff_context,
        entity_url=entity_url,
        day_span=day_span,
    )
    return env


def render_block(block: Block) -> Markup:
    """One body block as safe HTML."""
    return _block(block)
