"""What every view needs: the store, the accounts, settings, templates, and the helpers that
turn a result into a response (conditional GET, CSRF cookie, who is signed in)."""

from __future__ import annotations

import hashlib
import threading
import time
from dataclasses import dataclass
from datetime import datetime
from email.utils import format_datetime, parsedate_to_datetime
from typing import Any

import jinja2
from fastapi import HTTPException, Request
from starlette.responses import HTMLResponse, Response

from newsfeed.store._base import Storage
from newsfeed.types import Source
from newsfeed.web._accounts import AccountStore, User
from newsfeed.web._coverage import RecentPool
from newsfeed.web._security import CsrfTokens, RateLimiter
from newsfeed.web._settings import WebSettings

SESSION_COOKIE = "nf_session"
SOURCES_TTL_SECONDS = 5.0


class SourceCache:
    """The source list, kept a few seconds: every card needs its source's title, and asking
    the database for all sources on every request costs more than rendering the page.
    Changes made through this app drop it at once (``forget``)."""

    def __init__(self, store: Storage) -> None:
        self._store = store
        self._lock = threading.Lock()
        self._sources: list[Source] = []
        self._by_id: dict[int, Source] = {}
        self._titles: dict[int, str] = {}
        self._loaded = -SOURCES_TTL_SECONDS

    def _fresh(self) -> None:
        with self._lock:
            if time.monotonic() - self._loaded < SOURCES_TTL_SECONDS:
                return
            self._sources = self._store.list_sources()
            self._by_id = {s.id: s for s in self._sources}
            self._titles = {s.id: s.title for s in self._sources}
            self._loaded = time.monotonic()

    def all(self) -> list[Source]:
        self._fresh()
        return self._sources

    def get(self, source_id: int) -> Source:
        """The source, from the kept list when it is there (else asked for: it may be new).
        Raises ``NotFoundError``."""
        self._fresh()
        return self._by_id.get(source_id) or self._store.get_source(source_id)

    def titles(self) -> dict[int, str]:
        self._fresh()
        return self._titles

    def forget(self) -> None:
        with self._lock:
            self._loaded = -SOURCES_TTL_SECONDS


@dataclass(frozen=True, slots=True)
class Context:
    store: Storage
    accounts: AccountStore
    settings: WebSettings
    templates: jinja2.Environment
    csrf: CsrfTokens
    signin_limiter: RateLimiter
    """Attempts per IP and name (guessing one account's password)."""
    signin_ip_limiter: RateLimiter
    """Attempts per IP over all names (trying one password on many accounts)."""
    sources: SourceCache
    recent: RecentPool
    """Recent articles as related-coverage candidates (see ``_coverage``)."""


def ctx(request: Request) -> Context:
    context: Context = request.app.state.ctx
    return context


def local_path(target: str | None, fallback: str = "/") -> str:
    """Only same-site paths are followed after a form (no open redirect)."""
    if target and target.startswith("/") and not target.startswith(("//", "/\\")):
        return target
    return fallback


def base_url(request: Request) -> str:
    configured = ctx(request).settings.base_url
    return configured.rstrip("/") if configured else str(request.base_url).rstrip("/")


def current_user(request: Request) -> User | None:
    """The account behind the session cookie or the ``Authorization: Bearer`` token."""
    if "nf_user" in request.scope:
        user: User | None = request.scope["nf_user"]
        return user
    context = ctx(request)
    user = None
    auth = request.headers.get("authorization", "")
    if auth.lower().startswith("bearer "):
        user = context.accounts.user_for_token(auth[7:].strip())
    elif session_id := request.cookies.get(SESSION_COOKIE):
        user = context.accounts.user_for_session(session_id)
    request.scope["nf_user"] = user
    return user


def uses_bearer(request: Request) -> bool:
    return request.headers.get("authorization", "").lower().startswith("bearer ")


def csrf_seed(request: Request) -> str:
    """This browser's CSRF seed; a new one is made (and set as a cookie) when absent."""
    seed = request.cookies.get(CsrfTokens.cookie_name) or request.scope.get("nf_new_csrf")
    if not seed:
        seed = CsrfTokens.new_seed()
        request.scope["nf_new_csrf"] = seed
    return str(seed)


def check_csrf(request: Request, token: str | None) -> None:
    """Refuse a state-changing request whose CSRF token does not match this browser."""
    if uses_bearer(request):
        return  # a bearer token cannot be sent by a forged cross-site form
    token = token or request.headers.get("x-csrf-token")
    if not ctx(request).csrf.valid(token, request.cookies.get(CsrfTokens.cookie_name)):
        raise HTTPException(403, "The form expired or came from another site: reload and retry.")


def require_user(request: Request) -> User:
    user = current_user(request)
    if user is None:
        raise HTTPException(401, "Sign in (or send an API token) to do that.")
    return user


def etag_for(body: bytes) -> str:
    return '"' + hashlib.blake2b(body, digest_size=12).hexdigest() + '"'


def not_modified(request: Request, etag: str, last_modified: datetime | None = None) -> bool:
    if inm := request.headers.get("if-none-match"):
        return etag in {t.strip().removeprefix("W/") for t in inm.split(",")} or inm == "*"
    if last_modified and (ims := request.headers.get("if-modified-since")):
        try:
            return last_modified.replace(microsecond=0) <= parsedate_to_datetime(ims)
        except (TypeError, ValueError):
            return False
    return False


def conditional(
    request: Request,
    body: bytes,
    media_type: str,
    *,
    last_modified: datetime | None = None,
    cache: str = "no-cache",
) -> Response:
    """A 200 with ETag (and Last-Modified), or a bodiless 304 when the client has it."""
    etag = etag_for(body)
    headers = {"ETag": etag, "Cache-Control": cache, "Vary": "Cookie, Authorization"}
    if last_modified:
        headers["Last-Modified"] = format_datetime(last_modified, usegmt=True)
    if not_modified(request, etag, last_modified):
        return Response(status_code=304, headers=headers)
    return Response(body, media_type=media_type, headers=headers)


def render(
    request: Request, template: str, *, status: int = 200, forms: bool = False, **values: Any
) -> Response:
    """Render an HTML page with the values every page uses.

    Pages get a CSRF token when someone is signed in (their forms change things) or when
    they carry a form for anyone (``forms``: sign-in, setup). Other pages for anonymous
    readers carry none and set no cookie, so they are the same for everyone and cacheable.
    """
    context = ctx(request)
    user = current_user(request)
    token = ""
    if user is not None or forms:
        token = context.csrf.token(csrf_seed(request))
    html = context.templates.get_template(template).render(
        request=request,
        user=user,
        csrf_token=token,
        site_title=context.settings.site_title,
        **values,
    )
    body = html.encode()
    if status == 200:
        response = conditional(request, body, "text/html; charset=utf-8", cache="private, no-cache")
    else:
        response = HTMLResponse(body, status_code=status)
    if "nf_new_csrf" in request.scope:
        response.set_cookie(
            CsrfTokens.cookie_name,
            request.scope["nf_new_csrf"],
            max_age=30 * 86400,
            httponly=True,
            samesite="lax",
            secure=context.settings.secure_cookies,
        )
    return response
