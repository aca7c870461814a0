"""JSON shapes of the API, as plain dicts (fast) and as pydantic models (for OpenAPI).

Views build dicts with the functions here; the models only document them, and a test checks
that every dict validates against its model so the two cannot drift apart.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel

from newsfeed.store._base import AuthorSummary
from newsfeed.stories import Related
from newsfeed.types import (
    Article,
    ArticleRecord,
    Author,
    Image,
    Revision,
    SearchHit,
    Source,
    Story,
)
from newsfeed.web._analysis_schema import AnalysisOut
from newsfeed.web._render import article_content_html, reading_minutes
from newsfeed.web._security import safe_snippet


class AuthorOut(BaseModel):
    name: str
    role: str | None = None
    bio: str | None = None
    avatar_url: str | None = None
    url: str | None = None


class ImageOut(BaseModel):
    url: str
    alt: str | None = None
    caption: str | None = None
    credit: str | None = None


class ArticleSummaryOut(BaseModel):
    id: int
    url: str | None
    title: str
    dek: str | None
    section: str | None
    source_id: int | None
    source_title: str | None
    authors: list[AuthorOut]
    published: datetime | None
    reading_minutes: int
    lead_image: ImageOut | None
    story_id: int | None
    read: bool
    saved: bool
    revision_count: int


class DuplicateOut(BaseModel):
    id: int
    title: str
    source_title: str | None
    url: str | None
    published: datetime | None


class RelatedOut(BaseModel):
    id: int
    title: str
    excerpt: str
    reason: str
    shared: list[str]
    score: float


class ArticleOut(ArticleSummaryOut):
    canonical_url: str | None
    updated: datetime | None
    language: str | None
    editor_notes: list[dict[str, str]]
    related: list[dict[str, str | None]]
    tags: list[str]
    text: str
    content_html: str
    analysis: AnalysisOut | None = None
    duplicates: list[DuplicateOut] = []
    """Near-duplicates: the same text published elsewhere (wire copies, republications)."""
    related_coverage: list[RelatedOut] = []
    """Same story first, then recent articles sharing entities or terms (``related`` holds
    the publisher's own "Read more" links)."""


class StorySummaryOut(BaseModel):
    id: int
    title: str
    first_seen: datetime
    last_seen: datetime
    article_count: int
    outlet_count: int


class StoryPageOut(BaseModel):
    items: list[StorySummaryOut]
    next_cursor: str | None
    next_url: str | None


class StoryOut(StorySummaryOut):
    article_ids: list[int]
    """Every article of the story, in time order."""
    articles: list[ArticleSummaryOut]
    """A page of the story's articles, newest first; ``next_cursor`` pages on."""
    next_cursor: str | None
    next_url: str | None


class ArticlePageOut(BaseModel):
    items: list[ArticleSummaryOut]
    next_cursor: str | None
    next_url: str | None


class SearchHitOut(BaseModel):
    article: ArticleSummaryOut
    rank: float
    snippet_html: str


class SearchPageOut(BaseModel):
    items: list[SearchHitOut]
    next_cursor: str | None
    next_url: str | None


class SourceOut(BaseModel):
    id: int
    url: str
    title: str
    kind: str
    site_url: str | None
    category: str | None
    last_fetched: datetime | None
    last_error: str | None
    next_check: datetime | None
    error_count: int
    fetch_full_page: bool


class AuthorSummaryOut(BaseModel):
    name: str
    role: str | None
    bio: str | None
    avatar_url: str | None
    article_count: int


class RevisionOut(BaseModel):
    number: int
    fetched_at: datetime
    title: str
    editor_notes: list[dict[str, str]]
    diff: list[dict[str, str]]


def _time(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def author_json(author: Author) -> dict[str, Any]:
    return {"name": author.name, "role": author.role, "bio": author.bio,
            "avatar_url": author.avatar_url, "url": author.url}  # fmt: skip


def image_json(image: Image | None) -> dict[str, Any] | None:
    if image is None:
        return None
    return {"url": image.url, "alt": image.alt, "caption": image.caption, "credit": image.credit}


def summary_json(record: ArticleRecord, sources: dict[int, str]) -> dict[str, Any]:
    a: Article = record.article
    return {
        "id": record.id,
        "url": a.url or a.canonical_url,
        "title": a.title,
        "dek": a.dek,
        "section": a.section,
        "source_id": record.source_id,
        "source_title": sources.get(record.source_id or -1, a.site_name),
        "authors": [author_json(x) for x in a.authors],
        "published": _time(a.published or record.first_seen),
        "reading_minutes": reading_minutes(a),
        "lead_image": image_json(a.lead_image),
        "story_id": record.story_id,
        "read": record.read,
        "saved": record.saved,
        "revision_count": record.revision_count,
    }


def article_json(record: ArticleRecord, sources: dict[int, str]) -> dict[str, Any]:
    a = record.article
    return summary_json(record, sources) | {
        "canonical_url": a.canonical_url,
        "updated": _time(a.updated),
        "language": a.language,
        "editor_notes": [{"kind": n.kind, "text": n.text} for n in a.editor_notes],
        "related": [{"title": r.title, "url": r.url, "excerpt": r.excerpt} for r in a.related],
        "tags": list(a.tags),
        "text": a.text,
        "content_html": article_content_html(a),
    }


def hit_json(hit: SearchHit, sources: dict[int, str]) -> dict[str, Any]:
    return {"article": summary_json(hit.record, sources), "rank": hit.rank,
            "snippet_html": str(safe_snippet(hit.snippet))}  # fmt: skip


def source_json(source: Source) -> dict[str, Any]:
    return {
        "id": source.id,
        "url": source.url,
        "title": source.title,
        "kind": source.kind,
        "site_url": source.site_url,
        "category": source.category,
        "last_fetched": _time(source.last_fetched),
        "last_error": source.last_error,
        "next_check": _time(source.next_check),
        "error_count": source.error_count,
        "fetch_full_page": source.fetch_full_page,
    }


def author_summary_json(author: AuthorSummary) -> dict[str, Any]:
    return {"name": author.name, "role": author.role, "bio": author.bio,
            "avatar_url": author.avatar_url, "article_count": author.article_count}  # fmt: skip


def revision_json(revision: Revision) -> dict[str, Any]:
    return {
        "number": revision.number,
        "fetched_at": revision.fetched_at.isoformat(),
        "title": revision.title,
        "editor_notes": [{"kind": n.kind, "text": n.text} for n in revision.editor_notes],
        "diff": [{"op": c.op, "text": c.text} for c in revision.diff],
    }


def duplicate_json(record: ArticleRecord, sources: dict[int, str]) -> dict[str, Any]:
    a = record.article
    return {
        "id": record.id,
        "title": a.title,
        "source_title": sources.get(record.source_id or -1, a.site_name),
        "url": a.canonical_url or a.url,
        "published": _time(a.published or record.first_seen),
    }


def related_json(related: Related) -> dict[str, Any]:
    return {
        "id": related.article_id,
        "title": related.title,
        "excerpt": related.excerpt,
        "reason": related.reason,
        "shared": list(related.shared),
        "score": related.score,
    }


def story_summary_json(story: Story) -> dict[str, Any]:
    return {
        "id": story.id,
        "title": story.title,
        "first_seen": story.first_seen.isoformat(),
        "last_seen": story.last_seen.isoformat(),
        "article_count": len(story.article_ids),
        "outlet_count": story.outlet_count,
    }
