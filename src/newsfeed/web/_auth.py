"""Signing in and out, the first-run setup page, and API tokens in the settings page."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated

from fastapi import APIRouter, Form, HTTPException, Request
from starlette.responses import RedirectResponse, Response

from newsfeed.web._accounts import AccountError
from newsfeed.web._context import (
    SESSION_COOKIE,
    check_csrf,
    ctx,
    current_user,
    local_path,
    render,
    require_user,
)

router = APIRouter()
FormStr = Annotated[str, Form()]


def _signed_in(request: Request, user_id: int, target: str) -> Response:
    context = ctx(request)
    lifetime = timedelta(days=context.settings.session_days)
    session_id = context.accounts.create_session(user_id, lifetime)
    response = RedirectResponse(local_path(target), status_code=303)
    response.set_cookie(
        SESSION_COOKIE,
        session_id,
        max_age=int(lifetime.total_seconds()),
        httponly=True,
        samesite="lax",
        secure=context.settings.secure_cookies,
    )
    return response


def _setup_open(request: Request) -> bool:
    context = ctx(request)
    return context.settings.allow_signup_first_admin and context.accounts.count_users() == 0


@router.get("/setup", include_in_schema=False)
def setup_page(request: Request) -> Response:
    if not _setup_open(request):
        return RedirectResponse("/signin", status_code=303)
    return render(request, "setup.html", forms=True, error=None)


@router.post("/setup", include_in_schema=False)
def setup(
    request: Request, name: FormStr, password: FormStr, password2: FormStr, csrf: FormStr
) -> Response:
    check_csrf(request, csrf)
    if not _setup_open(request):
        raise HTTPException(403, "Setup is done: an admin account exists already.")
    if password != password2:
        return render(request, "setup.html", forms=True, status=400, error="The passwords differ.")
    try:
        user = ctx(request).accounts.create_user(name, password, is_admin=True)
    except AccountError as exc:
        return render(request, "setup.html", forms=True, status=400, error=str(exc))
    return _signed_in(request, user.id, "/")


@router.get("/signin", include_in_schema=False)
def signin_page(request: Request, next: str = "/") -> Response:
    if _setup_open(request):
        return RedirectResponse("/setup", status_code=303)
    return render(request, "signin.html", forms=True, error=None, next=local_path(next))


@router.post("/signin", include_in_schema=False)
def signin(
    request: Request, name: FormStr, password: FormStr, csrf: FormStr, next: FormStr = "/"
) -> Response:
    check_csrf(request, csrf)
    context = ctx(request)
    ip = request.client.host if request.client else "?"
    wait = context.signin_limiter.retry_after(f"{ip}|{name.strip().lower()}") or (
        context.signin_ip_limiter.retry_after(ip)
    )
    if wait:
        response = render(
            request,
            "signin.html",
            forms=True,
            status=429,
            error=f"Too many attempts: wait {wait} seconds and try again.",
            next=local_path(next),
        )
        response.headers["Retry-After"] = str(wait)
        return response
    user = context.accounts.check_password(name, password)
    if user is None:
        return render(
            request,
            "signin.html",
            forms=True,
            status=401,
            error="Wrong name or password.",
            next=next,
        )
    return _signed_in(request, user.id, next)


@router.post("/signout", include_in_schema=False)
def signout(request: Request, csrf: FormStr) -> Response:
    check_csrf(request, csrf)
    if session_id := request.cookies.get(SESSION_COOKIE):
        ctx(request).accounts.end_session(session_id)
    response = RedirectResponse("/", status_code=303)
    response.delete_cookie(SESSION_COOKIE)
    return response


@router.get("/settings", include_in_schema=False)
def settings_page(request: Request) -> Response:
    if current_user(request) is None:
        return RedirectResponse("/signin?next=/settings", status_code=303)
    user = require_user(request)
    tokens = ctx(request).accounts.list_tokens(user.id)
    return render(request, "settings.html", tokens=tokens, new_token=None)


@router.post("/settings/tokens", include_in_schema=False)
def create_token(request: Request, name: FormStr, csrf: FormStr) -> Response:
    user = require_user(request)
    check_csrf(request, csrf)
    accounts = ctx(request).accounts
    token = accounts.create_token(user.id, name)
    # Shown once, never cached: only its digest is stored.
    response = render(
        request, "settings.html", status=201, tokens=accounts.list_tokens(user.id), new_token=token
    )
    response.headers["Cache-Control"] = "no-store"
    return response


@router.post("/settings/tokens/{token_id}/delete", include_in_schema=False)
def delete_token(request: Request, token_id: int, csrf: FormStr) -> Response:
    user = require_user(request)
    check_csrf(request, csrf)
    ctx(request).accounts.delete_token(user.id, token_id)
    return RedirectResponse("/settings", status_code=303)
