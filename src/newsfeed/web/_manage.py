"""Managing sources: add, remove, per-source settings, OPML import and export."""

from __future__ import annotations

import dataclasses
from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Form, HTTPException, Request, UploadFile
from starlette.responses import RedirectResponse, Response

from newsfeed import _sources
from newsfeed.errors import FetchError, ParseError
from newsfeed.feeds import write_opml
from newsfeed.fetch import FetchOptions
from newsfeed.store._base import Storage
from newsfeed.types import Source
from newsfeed.web._context import check_csrf, ctx, render, require_user

router = APIRouter()
MAX_OPML_BYTES = 5 * 1024 * 1024
FormStr = Annotated[str, Form()]


def add_source_from_url(
    store: Storage, url: str, category: str | None = None, options: FetchOptions | None = None
) -> Source:
    """Follow the feed at or behind ``url``: a feed URL is followed as it is, a site's page
    is searched for the feeds it links to (``newsfeed._sources``, shared with the CLI) and
    the first verified one is followed. Raises ``HTTPException(400)`` with a reason a
    person can act on.
    """
    url = url.strip()
    if not url.startswith(("http://", "https://")) or len(url) > 2000:
        raise HTTPException(400, "Give the full address of a feed or site, starting with https://")
    if known := store.get_source_by_url(url):
        return known
    try:
        return _sources.add_source(store, url, options or FetchOptions(), category=category or None)
    except FetchError as exc:
        raise HTTPException(400, f"Could not fetch {url}: {exc}") from exc
    except ParseError as exc:
        raise HTTPException(400, f"No feed found at {url}: give the feed's own address.") from exc


@router.get("/sources", include_in_schema=False)
def sources_page(request: Request) -> Response:
    return render(request, "sources.html", all_sources=ctx(request).store.list_sources(),
                  message=request.query_params.get("message"))  # fmt: skip


@router.post("/sources", include_in_schema=False)
def add_source(request: Request, url: FormStr, csrf: FormStr, category: FormStr = "") -> Response:
    require_user(request)
    check_csrf(request, csrf)
    context = ctx(request)
    source = add_source_from_url(context.store, url, category, context.settings.fetch_options)
    context.sources.forget()
    return RedirectResponse(f"/sources/{source.id}", status_code=303)


@router.post("/sources/{source_id}/delete", include_in_schema=False)
def remove_source(request: Request, source_id: int, csrf: FormStr) -> Response:
    require_user(request)
    check_csrf(request, csrf)
    ctx(request).store.remove_source(source_id)
    ctx(request).sources.forget()
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
    require_user(request)
    check_csrf(request, csrf)
    store = ctx(request).store
    source = store.get_source(source_id)
    title = title.strip()[:300] or source.title
    store.update_source(
        dataclasses.replace(
            source, title=title, category=category.strip() or None, fetch_full_page=fetch_full_page
        )
    )
    ctx(request).sources.forget()
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
    require_user(request)
    check_csrf(request, csrf)
    data = file.file.read(MAX_OPML_BYTES + 1)
    if len(data) > MAX_OPML_BYTES:
        raise HTTPException(413, "The OPML file is larger than 5 MB.")
    try:
        report = _sources.import_opml(ctx(request).store, data, file.filename or "the OPML file")
    except ParseError as exc:
        raise HTTPException(400, str(exc)) from exc
    ctx(request).sources.forget()
    message = f"Imported {report.added} new sources ({report.already_followed} already followed)."
    return RedirectResponse(f"/sources?message={quote(message)}", status_code=303)
