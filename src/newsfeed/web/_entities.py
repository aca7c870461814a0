"""Entity pages and the entity API: people, organisations and places, with their stories
(newest first, paged like the river), their quotes and their timeline."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Path, Query, Request
from starlette.responses import Response

from newsfeed.store import ArticleFilter
from newsfeed.web._api import _json
from newsfeed.web._context import base_url, ctx, render
from newsfeed.web._entity_view import (
    KIND_LABELS,
    KIND_PLURALS,
    EntityOut,
    EntitySummaryOut,
    entity_view,
    summary_json,
    view_json,
)
from newsfeed.web._pages import Cursor, river_response

router = APIRouter()
Key = Annotated[str, Path(min_length=1, max_length=200)]
Kind = Literal["person", "org", "place"]
STORIES_FOR_DETAILS = 50
"""The newest stories whose quotes and dated sentences make an entity's page."""


@router.get("/entities", include_in_schema=False)
def entities_page(request: Request, kind: Kind | None = None) -> Response:
    store = ctx(request).store
    kinds = [kind] if kind else list(KIND_PLURALS)
    limit = 500 if kind else 60
    groups = [(k, KIND_PLURALS[k], store.list_entities(k, limit=limit)) for k in kinds]
    return render(request, "entities.html", groups=groups, kind=kind)


@router.get("/entities/{key:path}", include_in_schema=False)
def entity_page(request: Request, key: Key, cursor: Cursor = None) -> Response:
    store = ctx(request).store
    entity = store.get_entity(key)
    view = None
    if not request.query_params.get("fragment"):
        view = entity_view(entity, store.entity_analyses(key, limit=STORIES_FOR_DETAILS))
    return river_response(
        request, ArticleFilter(entity=key), cursor, template="entity.html",
        heading=entity.name, entity=entity, view=view, kind_label=KIND_LABELS.get(entity.kind),
    )  # fmt: skip


@router.get(
    "/api/v1/entities", tags=["newsfeed"], responses={200: {"model": list[EntitySummaryOut]}}
)
def list_entities(
    request: Request, kind: Kind | None = None, limit: Annotated[int, Query(ge=1, le=500)] = 100
) -> Response:
    """People, organisations and places named in stored stories, most stories first."""
    found = ctx(request).store.list_entities(kind, limit=limit)
    return _json(request, [summary_json(e, base_url(request)) for e in found])


@router.get("/api/v1/entities/{key:path}", tags=["newsfeed"], responses={200: {"model": EntityOut}})
def get_entity(request: Request, key: Key) -> Response:
    """One entity with the names and roles it goes by, its quotes and its timeline, from
    its newest stories; its stories are at ``articles_url``."""
    store = ctx(request).store
    entity = store.get_entity(key)
    view = entity_view(entity, store.entity_analyses(key, limit=STORIES_FOR_DETAILS))
    return _json(request, view_json(view, base_url(request)))
