"""Managing sources: add, remove, per-source settings, OPML import and export."""

from __future__ import annotations

import dataclasses
from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Form, HTTPException, Request, UploadFile
from starlette.responses import RedirectResponse, Response

from newsfeed.errors import ParseError
from newsfeed.store._base import Storage
from newsfeed.types import Source
from newsfeed.web._context import check_csrf, ctx, render, require_user
from newsfeed.web._opml import MAX_OPML_BYTES, read_opml, write_opml

router = APIRouter()
FormStr = Annotated[str, Form()]


def add_source_from_url(store: Storage, url: str, category: str | None = None) -> Source:
    """Follow the feed at ``url``: the ONE place where a typed-in URL becomes a source.

    LEAD: switch this to discovery (``newsfeed.feeds.find_feeds``) once it is on main, so a
    site's home page URL finds its feed; today the URL is followed as given.
    """
    url = url.strip()
    if not url.startswith(("http://", "https://")) or len(url) > 2000:
        raise HTTPException(400, "Give the full address of a feed, starting with https://")
    return store.add_source(url, url, category=category or None)


@router.get("/sources", include_in_schema=False)
def sources_page(request: Request) -> Response:
    return render(request, "sources.html", all_sources=ctx(request).store.list_sources(),
                  message=request.query_params.get("message"))  # fmt: skip


@router.post("/sources", include_in_schema=False)
def add_source(request: Request, url: FormStr, csrf: FormStr, category: FormStr = "") -> Response:
    check_csrf(request, csrf)
    require_user(request)
    source = add_source_from_url(ctx(request).store, url, category)
    return RedirectResponse(f"/sources/{source.id}", status_code=303)


@router.post("/sources/{source_id}/delete", include_in_schema=False)
def remove_source(request: Request, source_id: int, csrf: FormStr) -> Response:
    check_csrf(request, csrf)
    require_user(request)
    ctx(request).store.remove_source(source_id)
    return RedirectResponse("/sources", status_code=303)


@router.post("/sources/{source_id}/settings", include_in_schema=False)
def source_settings(
    request: Request,
    source_id: int,
    csrf: FormStr,
    title: FormStr,
    category: FormStr = "",
    fetch_full_page: Annotated[bool, Form()] = False,
) -> Response:
    check_csrf(request, csrf)
    require_user(request)
    store = ctx(request).store
    source = store.get_source(source_id)
    title = title.strip()[:300] or source.title
    store.update_source(
        dataclasses.replace(
            source, title=title, category=category.strip() or None, fetch_full_page=fetch_full_page
        )
    )
    return RedirectResponse(f"/sources/{source_id}", status_code=303)


@router.get("/sources.opml", include_in_schema=False)
def export_opml(request: Request) -> Response:
    body = write_opml(ctx(request).store.list_sources(), ctx(request).settings.site_title)
    return Response(
        body,
        media_type="text/x-opml; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="newsfeed.opml"'},
    )


@router.post("/sources/opml", include_in_schema=False)
def import_opml(request: Request, file: UploadFile, csrf: FormStr) -> Response:
    check_csrf(request, csrf)
    require_user(request)
    data = file.file.read(MAX_OPML_BYTES + 1)
    try:
        feeds = read_opml(data)
    except ParseError as exc:
        raise HTTPException(400, str(exc)) from exc
    store = ctx(request).store
    added = 0
    for feed in feeds:
        if store.get_source_by_url(feed.url) is None:
            store.add_source(feed.url, feed.title, site_url=feed.site_url, category=feed.category)
            added += 1
    message = f"Imported {added} new sources ({len(feeds) - added} already followed)."
    return RedirectResponse(f"/sources?message={quote(message)}", status_code=303)
