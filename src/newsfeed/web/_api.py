"""The JSON API under ``/api/v1``: cursor-paged lists, ETags, token-protected writes."""

from __future__ import annotations

import json
from typing import Annotated, Any

from fastapi import APIRouter, Body, HTTPException, Query, Request
from starlette.responses import Response

from newsfeed.store._base import ArticleFilter
from newsfeed.web import _schemas as s
from newsfeed.web._context import base_url, check_csrf, conditional, ctx, require_user
from newsfeed.web._coverage import duplicates_of, related_for
from newsfeed.web._manage import add_source_from_url
from newsfeed.web._pages import parse_day, run_search, source_titles

router = APIRouter(prefix="/api/v1", tags=["newsfeed"])
Cursor = Annotated[str | None, Query(max_length=500, description="next_cursor of the last page")]
Limit = Annotated[int, Query(ge=1, le=100)]


def _json(request: Request, data: Any) -> Response:
    body = json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode()
    return conditional(request, body, "application/json")


def _next(request: Request, cursor: str | None) -> str | None:
    if not cursor:
        return None
    url = request.url.include_query_params(cursor=cursor)
    return f"{base_url(request)}{url.path}?{url.query}"


def _guard_write(request: Request) -> None:
    require_user(request)
    check_csrf(request, None)


@router.get("/articles", responses={200: {"model": s.ArticlePageOut}})
def list_articles(
    request: Request,
    cursor: Cursor = None,
    limit: Limit = 20,
    source_id: int | None = None,
    author: str | None = None,
    story_id: int | None = None,
    since: str | None = Query(None, description="YYYY-MM-DD"),
    until: str | None = Query(None, description="YYYY-MM-DD"),
    read: bool | None = None,
    saved: bool | None = None,
    entity: str | None = Query(None, max_length=200, description="an entity key"),
) -> Response:
    """Articles newest first."""
    filter = ArticleFilter(source_id=source_id, author=author, story_id=story_id,
                           since=parse_day(since), until=parse_day(until, end=True),
                           read=read, saved=saved, entity=entity)  # fmt: skip
    try:
        page = ctx(request).store.list_articles(filter, cursor=cursor, limit=limit, body=False)
    except ValueError as exc:
        raise HTTPException(400, "cursor is not valid: start from the first page") from exc
    sources = source_titles(request)
    return _json(request, {
        "items": [s.summary_json(r, sources) for r in page.items],
        "next_cursor": page.next_cursor,
        "next_url": _next(request, page.next_cursor),
    })  # fmt: skip


@router.get("/articles/{article_id}", responses={200: {"model": s.ArticleOut}})
def get_article(request: Request, article_id: int) -> Response:
    """The article with its analysis (entities, quotes, cited sources, dates, timeline;
    ``null`` until analysed), its near-duplicates and related coverage."""
    store = ctx(request).store
    record = store.get_article(article_id)
    sources = source_titles(request)
    analysis = store.get_analysis(article_id)
    duplicates = duplicates_of(store, article_id)
    related = related_for(store, record, analysis, ctx(request).recent, (d.id for d in duplicates))
    return _json(request, s.article_json(record, sources) | {
        "analysis": analysis,
        "duplicates": [s.duplicate_json(d, sources) for d in duplicates],
        "related_coverage": [s.related_json(r) for r in related],
    })  # fmt: skip


@router.get("/articles/{article_id}/revisions", responses={200: {"model": list[s.RevisionOut]}})
def get_revisions(request: Request, article_id: int) -> Response:
    revisions = ctx(request).store.get_revisions(article_id)
    return _json(request, [s.revision_json(r) for r in revisions])


@router.put("/articles/{article_id}/read", status_code=204)
def set_read(request: Request, article_id: int, value: Annotated[bool, Body(embed=True)]) -> None:
    """Mark read (``{"value": true}``) or unread."""
    _guard_write(request)
    ctx(request).store.set_read(article_id, value)


@router.put("/articles/{article_id}/saved", status_code=204)
def set_saved(request: Request, article_id: int, value: Annotated[bool, Body(embed=True)]) -> None:
    """Save for later (``{"value": true}``) or unsave."""
    _guard_write(request)
    ctx(request).store.set_saved(article_id, value)


@router.get("/sources", responses={200: {"model": list[s.SourceOut]}})
def list_sources(request: Request) -> Response:
    return _json(request, [s.source_json(x) for x in ctx(request).store.list_sources()])


@router.post("/sources", status_code=201, responses={201: {"model": s.SourceOut}})
def add_source(
    request: Request,
    url: Annotated[str, Body(max_length=2000)],
    category: Annotated[str | None, Body(max_length=200)] = None,
) -> Response:
    """Follow a feed, or the first feed a site's page links to. Following a URL twice
    returns the same source."""
    _guard_write(request)
    context = ctx(request)
    source = add_source_from_url(context.store, url, category, context.settings.fetch_options)
    context.sources.forget()
    body = json.dumps(s.source_json(source)).encode()
    return Response(body, status_code=201, media_type="application/json",
                    headers={"Location": f"/api/v1/sources/{source.id}"})  # fmt: skip


@router.get("/sources/{source_id}", responses={200: {"model": s.SourceOut}})
def get_source(request: Request, source_id: int) -> Response:
    return _json(request, s.source_json(ctx(request).store.get_source(source_id)))


@router.delete("/sources/{source_id}", status_code=204)
def remove_source(request: Request, source_id: int) -> None:
    """Stop following a source; its stories stay."""
    _guard_write(request)
    ctx(request).store.remove_source(source_id)
    ctx(request).sources.forget()


@router.get("/authors", responses={200: {"model": list[s.AuthorSummaryOut]}})
def list_authors(request: Request, limit: Annotated[int, Query(ge=1, le=1000)] = 100) -> Response:
    authors = ctx(request).store.list_authors(limit=limit)
    return _json(request, [s.author_summary_json(a) for a in authors])


@router.get("/search", responses={200: {"model": s.SearchPageOut}})
def search(
    request: Request,
    q: Annotated[str, Query(min_length=1, max_length=500)],
    cursor: Cursor = None,
    limit: Limit = 20,
    source_id: int | None = None,
    author: str | None = None,
    since: str | None = Query(None, description="YYYY-MM-DD"),
    until: str | None = Query(None, description="YYYY-MM-DD"),
) -> Response:
    """Full-text search, best match first; ``snippet_html`` marks matches with ``<mark>``."""
    filter = ArticleFilter(source_id=source_id, author=author, since=parse_day(since),
                           until=parse_day(until, end=True))  # fmt: skip
    page = run_search(request, q, filter, cursor, limit)
    sources = source_titles(request)
    return _json(request, {
        "items": [s.hit_json(h, sources) for h in page.items],
        "next_cursor": page.next_cursor,
        "next_url": _next(request, page.next_cursor),
    })  # fmt: skip


@router.get("/stories", responses={200: {"model": s.StoryPageOut}})
def list_stories(
    request: Request,
    cursor: Cursor = None,
    limit: Limit = 20,
    min_articles: Annotated[int, Query(ge=1, le=1000)] = 1,
) -> Response:
    """Stories by latest activity, newest first; ``min_articles=2`` for those covered more
    than once."""
    try:
        page = ctx(request).store.list_stories(cursor=cursor, limit=limit,
                                               min_articles=min_articles)  # fmt: skip
    except ValueError as exc:
        raise HTTPException(400, "cursor is not valid: start from the first page") from exc
    return _json(request, {
        "items": [s.story_summary_json(x) for x in page.items],
        "next_cursor": page.next_cursor,
        "next_url": _next(request, page.next_cursor),
    })  # fmt: skip


@router.get("/stories/{story_id}", responses={200: {"model": s.StoryOut}})
def get_story(
    request: Request, story_id: int, cursor: Cursor = None, limit: Limit = 20
) -> Response:
    """The story: title, first and last seen, counts, every article id in time order, and
    a page of its articles newest first."""
    store = ctx(request).store
    story = store.get_story(story_id)
    filter = ArticleFilter(story_id=story_id)
    try:
        page = store.list_articles(filter, cursor=cursor, limit=limit, body=False)
    except ValueError as exc:
        raise HTTPException(400, "cursor is not valid: start from the first page") from exc
    sources = source_titles(request)
    return _json(request, s.story_summary_json(story) | {
        "article_ids": list(story.article_ids),
        "articles": [s.summary_json(r, sources) for r in page.items],
        "next_cursor": page.next_cursor,
        "next_url": _next(request, page.next_cursor),
    })  # fmt: skip
