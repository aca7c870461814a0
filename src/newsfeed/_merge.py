"""Combining what a feed entry says with what its page says: pure functions.

The page wins where it speaks (it is the fuller, more careful record); the feed fills what
the page lacks. Where the page could not be had at all, the feed's own content is the story.
"""

from __future__ import annotations

from dataclasses import replace

from newsfeed.errors import NewsfeedError
from newsfeed.extract import extract
from newsfeed.types import Article, Entry, Source


def merge_entry(article: Article, entry: Entry, source: Source) -> Article:
    """The extracted ``article`` with gaps filled from its feed ``entry``."""
    return replace(
        article,
        title=article.title or entry.title or "",
        url=article.url or entry.link,
        authors=article.authors or entry.authors,
        published=article.published or entry.published or entry.updated,
        updated=article.updated or entry.updated,
        lead_image=article.lead_image or entry.image,
        tags=article.tags or entry.tags,
        site_name=article.site_name or source.title,
    )


def article_from_entry(entry: Entry, source: Source) -> Article:
    """An article built from the feed's own content (for feeds whose pages are not fetched,
    or whose page failed)."""
    body = entry.content_html or entry.summary or ""
    article = Article(title=entry.title or "", url=entry.link)
    if body.strip():
        try:
            article = extract(f"<html><body><article>{body}</article></body></html>", entry.link)
        except NewsfeedError:
            article = Article(title=entry.title or "", url=entry.link)
    return merge_entry(replace(article, title=entry.title or article.title), entry, source)
