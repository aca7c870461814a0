"""The story pages: the index of stories by latest activity, and one story's coverage
across outlets side by side."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, HTTPException, Request
from starlette.responses import Response

from newsfeed.types import Page, Story
from newsfeed.web._context import ctx, render
from newsfeed.web._coverage import story_view
from newsfeed.web._pages import Cursor, next_url, source_titles

router = APIRouter()


def story_page_of(request: Request, cursor: str | None, min_articles: int) -> Page[Story]:
    try:
        return ctx(request).store.list_stories(
            cursor=cursor, limit=ctx(request).settings.page_size, min_articles=min_articles
        )
    except ValueError as exc:
        raise HTTPException(400, "That page link is broken or too old: start again.") from exc


@router.get("/stories", include_in_schema=False)
def stories(request: Request, cursor: Cursor = None, all: bool = False) -> Response:
    """Stories by latest activity; only those covered more than once unless ``all``."""
    page = story_page_of(request, cursor, 1 if all else 2)
    values: dict[str, Any] = {
        "items": page.items,
        "next_url": next_url(request, page.next_cursor),
        "all": all,
    }
    if request.query_params.get("fragment"):
        return render(request, "_story_cards.html", **values)
    return render(request, "stories.html", **values)


@router.get("/stories/{story_id}", include_in_schema=False)
def story_page(request: Request, story_id: int) -> Response:
    view = story_view(ctx(request).store, story_id, source_titles(request))
    return render(request, "story.html", view=view, story=view.story,
                  feed_path=f"/feeds/story/{story_id}")  # fmt: skip
