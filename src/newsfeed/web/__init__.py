"""The web layer: HTML pages, the JSON API and feeds out, over any ``Storage``.

``create_app(store, settings)`` builds the FastAPI app; ``serve(store, host, port, settings)``
runs it with uvicorn (bound to 127.0.0.1 unless told otherwise).
"""

from __future__ import annotations

import gc
import os
import secrets
from pathlib import Path

import sqlalchemy as sa
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException
from starlette.responses import JSONResponse, Response

from newsfeed.errors import ConfigError, NotFoundError, StorageError
from newsfeed.store._base import Storage
from newsfeed.web import _api, _auth, _entities, _feeds_out, _manage, _pages, _story_pages
from newsfeed.web._accounts import AccountStore, SqlAccountStore, open_accounts
from newsfeed.web._cache import MicroCache
from newsfeed.web._context import Context, SourceCache, render
from newsfeed.web._coverage import RecentPool
from newsfeed.web._render import make_environment, static_dir
from newsfeed.web._security import CsrfTokens, RateLimiter, SecurityHeaders
from newsfeed.web._settings import WebSettings

__all__ = [
    "AccountStore",
    "WebSettings",
    "create_app",
    "freeze_heap",
    "load_secret_key",
    "open_accounts",
    "serve",
]


def load_secret_key(path: Path) -> str:
    """The key that signs sessions and CSRF tokens, kept in ``path`` so that sign-ins survive
    a restart; made (readable by its owner only) on first use."""
    try:
        if path.exists():
            key = path.read_text(encoding="ascii").strip()
            if len(key) >= 32:
                return key
        key = secrets.token_hex(32)
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="ascii") as out:
            out.write(key + "\n")
        return key
    except (OSError, UnicodeError) as exc:
        raise ConfigError(f"cannot read or write the web secret key file {path}: {exc}") from exc


def _accounts_for(store: Storage) -> AccountStore:
    """Account tables in the store's own database, when the store shows its engine."""
    engine = getattr(store, "engine", None)
    if not isinstance(engine, sa.Engine):
        raise ConfigError(
            "the web app needs somewhere to keep accounts: pass "
            "`accounts=open_accounts(database_url)` (the store exposes no `engine`)"
        )
    return SqlAccountStore(engine)


def _error(request: Request, status: int, message: str) -> Response:
    if request.url.path.startswith(("/api/", "/feeds/")):
        return JSONResponse({"detail": message}, status_code=status)
    return render(request, "error.html", status=status, status_code=status, message=message)


def _install_error_pages(app: FastAPI) -> None:
    @app.exception_handler(HTTPException)
    def http_error(request: Request, exc: HTTPException) -> Response:
        if exc.status_code == 304 or exc.status_code < 400:
            return Response(status_code=exc.status_code)
        response = _error(request, exc.status_code, str(exc.detail))
        if exc.headers:
            response.headers.update(exc.headers)
        return response

    @app.exception_handler(RequestValidationError)
    def bad_input(request: Request, exc: RequestValidationError) -> Response:
        if request.url.path.startswith("/api/"):
            return JSONResponse({"detail": exc.errors()}, status_code=422)
        fields = ", ".join(str(e.get("loc", ["?"])[-1]) for e in exc.errors())
        return _error(request, 400, f"Some of the input is not valid: {fields}.")

    @app.exception_handler(NotFoundError)
    def not_found(request: Request, exc: NotFoundError) -> Response:
        return _error(request, 404, str(exc) or "Not found.")

    @app.exception_handler(StorageError)
    def storage_failed(request: Request, exc: StorageError) -> Response:
        return _error(request, 503, f"The database failed: {exc}")


def create_app(
    store: Storage, settings: WebSettings, *, accounts: AccountStore | None = None
) -> FastAPI:
    """The whole web app over ``store``; account tables go in the store's database."""
    app = FastAPI(
        title=settings.site_title,
        version="1",
        description="newsfeed: articles, sources, authors, search and stories.",
        docs_url=None,  # Swagger UI loads from a CDN with inline script: the CSP forbids both
        redoc_url=None,
        openapi_url="/api/v1/openapi.json",
    )
    app.state.ctx = Context(
        store=store,
        accounts=accounts or _accounts_for(store),
        settings=settings,
        templates=make_environment(),
        csrf=CsrfTokens(settings.secret_key),
        signin_limiter=RateLimiter(settings.signin_attempts_per_minute, 60.0),
        signin_ip_limiter=RateLimiter(settings.signin_attempts_per_minute * 4, 60.0),
        sources=SourceCache(store),
        recent=RecentPool(store),
    )
    _install_error_pages(app)
    for module in (_auth, _manage, _pages, _story_pages, _api, _entities, _feeds_out):
        app.include_router(module.router)
    app.mount("/static", StaticFiles(directory=static_dir()), name="static")
    app.add_middleware(SecurityHeaders)
    # Outermost, so kept responses carry the security headers too.
    app.add_middleware(MicroCache, ttl=settings.cache_seconds, skip_prefixes=("/static/",))
    return app


def freeze_heap() -> None:
    """Call once the app is built, before serving: collect, then move every object alive
    now (modules, the app, templates, caches: ~200k objects) out of the collector's sight.
    A full collection walked all of them, stalling every request in flight for tens of
    milliseconds (more on a busy machine) now and then; now it walks what requests made."""
    gc.collect()
    gc.freeze()


def serve(
    store: Storage,
    host: str = "127.0.0.1",
    port: int = 8080,
    settings: WebSettings | None = None,
    *,
    accounts: AccountStore | None = None,
) -> None:
    """Run the app with uvicorn in this process until interrupted (bench/serve.py shows how
    to run several worker processes)."""
    import uvicorn

    if settings is None:  # sessions then end on restart: the CLI should pass a stored key
        settings = WebSettings(secret_key=secrets.token_hex(32))
    app = create_app(store, settings, accounts=accounts)
    freeze_heap()
    uvicorn.run(app, host=host, port=port, log_level="info", server_header=False)
