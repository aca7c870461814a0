"""The reading pages: the river, articles, authors, sources, stories, search."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Form, HTTPException, Query, Request
from starlette.responses import RedirectResponse, Response

from newsfeed.store._base import ArticleFilter
from newsfeed.types import ArticleRecord, Author, Page, SearchHit
from newsfeed.web._annotate import annotated_body
from newsfeed.web._context import check_csrf, ctx, local_path, render, require_user
from newsfeed.web._coverage import duplicates_of, related_for, story_badges
from newsfeed.web._entity_view import parsed

router = APIRouter()
Cursor = Annotated[str | None, Query(max_length=500)]
FormStr = Annotated[str, Form()]
FormBool = Annotated[bool, Form()]


def source_titles(request: Request) -> dict[int, str]:
    return ctx(request).sources.titles()


def next_url(request: Request, cursor: str | None) -> str | None:
    if not cursor:
        return None
    url = request.url.remove_query_params(["fragment"]).include_query_params(cursor=cursor)
    return f"{url.path}?{url.query}"


def parse_day(value: str | None, *, end: bool = False) -> datetime | None:
    """A ``YYYY-MM-DD`` form field as the start (or end) of that day in UTC."""
    if not value:
        return None
    try:
        day = date.fromisoformat(value)
    except ValueError as exc:
        raise HTTPException(400, f"{value!r} is not a date like 2025-08-07") from exc
    return datetime.combine(day, time.max if end else time.min, tzinfo=UTC)


def list_page(request: Request, filter: ArticleFilter, cursor: str | None) -> Page[ArticleRecord]:
    try:
        return ctx(request).store.list_articles(
            filter, cursor=cursor, limit=ctx(request).settings.page_size, body=False
        )
    except ValueError as exc:
        raise HTTPException(400, "That page link is broken or too old: start again.") from exc


def river_response(
    request: Request,
    filter: ArticleFilter,
    cursor: str | None,
    template: str = "river.html",
    page: Page[ArticleRecord] | None = None,
    **values: Any,
) -> Response:
    page = page or list_page(request, filter, cursor)
    values.update(
        records=page.items,
        stories=story_badges(ctx(request).store, page.items),
        sources=source_titles(request),
        next_url=next_url(request, page.next_cursor),
        feed_path=values.get("feed_path"),
        cursor=cursor,
    )
    if request.query_params.get("fragment"):
        return render(request, "_cards.html", **values)
    return render(request, template, **values)


@router.get("/", include_in_schema=False)
def river(request: Request, cursor: Cursor = None, unread: bool = False) -> Response:
    filter = ArticleFilter(read=False if unread else None)
    return river_response(
        request, filter, cursor, heading="News Feed", feed_path="/feeds/river", unread=unread
    )


@router.get("/saved", include_in_schema=False)
def saved(request: Request, cursor: Cursor = None) -> Response:
    return river_response(request, ArticleFilter(saved=True), cursor, heading="Saved for later")


@router.get("/articles/{article_id}", include_in_schema=False)
def article_page(request: Request, article_id: int) -> Response:
    store = ctx(request).store
    record = store.get_article(article_id)
    source = ctx(request).sources.get(record.source_id) if record.source_id else None
    revisions = store.get_revisions(article_id) if record.revision_count > 1 else []
    saved = store.get_analysis(article_id)
    analysis = parsed(saved)
    duplicates = duplicates_of(store, article_id)
    related = related_for(store, record, saved, ctx(request).recent, (d.id for d in duplicates))
    return render(request, "article.html", record=record, a=record.article, source=source,
                  revisions=revisions, analysis=analysis, duplicates=duplicates, related=related,
                  sources=source_titles(request),
                  body=annotated_body(record.article, analysis))  # fmt: skip


def _author_details(records: tuple[ArticleRecord, ...], name: str) -> Author:
    for record in records:
        for author in record.article.authors:
            if author.name == name and (author.bio or author.role or author.avatar_url):
                return author
    return Author(name=name)


@router.get("/authors", include_in_schema=False)
def authors(request: Request) -> Response:
    return render(request, "authors.html", authors=ctx(request).store.list_authors(limit=500))


@router.get("/authors/{name:path}", include_in_schema=False)
def author_page(request: Request, name: str, cursor: Cursor = None) -> Response:
    filter = ArticleFilter(author=name)
    page = list_page(request, filter, cursor)
    if not page.items and cursor is None:
        raise HTTPException(404, f"No stories by {name}.")
    return river_response(
        request, filter, cursor, template="author.html", page=page, heading=name,
        author=_author_details(page.items, name), feed_path=f"/feeds/author/{quote(name, safe='')}",
    )  # fmt: skip


@router.get("/sources/{source_id}", include_in_schema=False)
def source_page(request: Request, source_id: int, cursor: Cursor = None) -> Response:
    store = ctx(request).store
    source = store.get_source(source_id)
    filter = ArticleFilter(source_id=source_id)
    return river_response(
        request, filter, cursor, template="source.html", heading=source.title, source=source,
        count=store.count_articles(filter), feed_path=f"/feeds/source/{source_id}",
    )  # fmt: skip


def parse_id(value: str | None) -> int | None:
    """An optional id from a form field, where an empty choice means "any"."""
    if not value:
        return None
    try:
        return int(value)
    except ValueError as exc:
        raise HTTPException(400, f"{value!r} is not a number") from exc


def search_filter(
    source_id: str | None, author: str | None, since: str | None, until: str | None
) -> ArticleFilter:
    return ArticleFilter(
        source_id=parse_id(source_id),
        author=author or None,
        since=parse_day(since),
        until=parse_day(until, end=True),
    )


def run_search(
    request: Request, q: str, filter: ArticleFilter, cursor: str | None, limit: int
) -> Page[SearchHit]:
    try:
        return ctx(request).store.search(q, filter, cursor=cursor, limit=limit)
    except ValueError as exc:
        raise HTTPException(400, f"Cannot search for that: {exc}") from exc


@router.get("/search", include_in_schema=False)
def search(
    request: Request,
    q: Annotated[str, Query(max_length=500)] = "",
    source_id: str | None = None,
    author: Annotated[str | None, Query(max_length=200)] = None,
    since: str | None = None,
    until: str | None = None,
    cursor: Cursor = None,
) -> Response:
    filter = search_filter(source_id, author, since, until)
    hits: tuple[SearchHit, ...] = ()
    more = None
    if q.strip():
        page = run_search(request, q, filter, cursor, ctx(request).settings.page_size)
        hits, more = page.items, next_url(request, page.next_cursor)
    values: dict[str, Any] = {
        "hits": hits,
        "next_url": more,
        "q": q,
        "source_id": filter.source_id,
        "author": author or "",
        "since": since or "",
        "until": until or "",
        "sources": source_titles(request),
        "all_sources": ctx(request).sources.all(),
        "unindexed": ctx(request).store.search_backlog() if q.strip() else 0,
    }
    if request.query_params.get("fragment"):
        return render(request, "_hits.html", **values)
    return render(request, "search.html", **values)


@router.post("/articles/{article_id}/read", include_in_schema=False)
def mark_read(request: Request, article_id: int, csrf: FormStr, value: FormBool = True,
              next: FormStr = "") -> Response:  # fmt: skip
    require_user(request)
    check_csrf(request, csrf)
    ctx(request).store.set_read(article_id, value)
    return RedirectResponse(local_path(next, f"/articles/{article_id}"), status_code=303)


@router.post("/articles/{article_id}/save", include_in_schema=False)
def mark_saved(request: Request, article_id: int, csrf: FormStr, value: FormBool = True,
               next: FormStr = "") -> Response:  # fmt: skip
    require_user(request)
    check_csrf(request, csrf)
    ctx(request).store.set_saved(article_id, value)
    return RedirectResponse(local_path(next, f"/articles/{article_id}"), status_code=303)
