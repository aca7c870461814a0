"""Accounts: first-run setup, sign-in with a rate limit, sessions, CSRF, API tokens."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from web_helpers import PASSWORD, csrf, csrf_from, setup_admin

from newsfeed.store._base import Storage
from newsfeed.web import WebSettings, create_app
from newsfeed.web._accounts import AccountError, open_accounts


def _signin(client: TestClient, name: str, password: str) -> int:
    token = csrf(client, "/signin")
    response = client.post(
        "/signin", data={"name": name, "password": password, "csrf": token}, follow_redirects=False
    )
    return response.status_code


def test_first_run_setup_creates_the_admin_once(client: TestClient) -> None:
    assert client.get("/signin", follow_redirects=False).headers["location"] == "/setup"
    setup_admin(client)
    assert "Sign out" in client.get("/").text
    assert client.get("/setup", follow_redirects=False).headers["location"] == "/signin"
    token = csrf(client)
    again = client.post(
        "/setup", data={"name": "eve", "password": PASSWORD, "password2": PASSWORD, "csrf": token}
    )
    assert again.status_code == 403


def test_setup_can_be_turned_off(store: Storage, db_path: Path) -> None:
    settings = WebSettings(secret_key="x" * 32, allow_signup_first_admin=False)
    app = create_app(store, settings, accounts=open_accounts(f"sqlite:///{db_path}"))
    with TestClient(app) as client:
        assert client.get("/setup", follow_redirects=False).status_code == 303


def test_sign_in_and_out(client: TestClient) -> None:
    setup_admin(client)
    client.post("/signout", data={"csrf": csrf(client)})
    assert "Sign in" in client.get("/").text
    assert _signin(client, "admin", "wrong password!") == 401
    assert _signin(client, "admin", PASSWORD) == 303
    assert "Sign out" in client.get("/").text


def test_sign_in_is_rate_limited(client: TestClient) -> None:
    setup_admin(client)
    client.cookies.delete("nf_session")
    codes = [_signin(client, "admin", f"wrong-{i}-password") for i in range(6)]
    assert codes == [401] * 5 + [429]
    assert _signin(client, "admin", PASSWORD) == 429  # even the right password waits
    assert _signin(client, "someone-else", "wrong-password") == 401  # per IP + user


def test_sign_in_is_rate_limited_per_ip_across_names(client: TestClient) -> None:
    setup_admin(client)
    client.cookies.delete("nf_session")
    codes = [_signin(client, f"user{i}", "wrong-password") for i in range(21)]
    assert codes == [401] * 20 + [429]


def test_forms_without_a_valid_csrf_token_are_refused(client: TestClient) -> None:
    setup_admin(client)
    for token in ("", "forged", csrf(client) + "x"):
        response = client.post("/sources", data={"url": "https://a.example/feed", "csrf": token})
        assert response.status_code in (403, 400)
    other = TestClient(client.app)
    foreign = csrf(other, "/signin")  # valid token, but for another browser's cookie
    response = client.post("/sources", data={"url": "https://a.example/feed", "csrf": foreign})
    assert response.status_code == 403


def test_state_changes_need_an_account(client: TestClient, store: Storage) -> None:
    source = store.list_sources()[0]
    token = csrf(client, "/setup")  # a valid token: only the account is missing
    assert client.post(f"/sources/{source.id}/delete", data={"csrf": token}).status_code == 401
    assert (
        client.post("/sources", data={"url": "https://b.example/f", "csrf": token}).status_code
        == 401
    )
    assert store.get_source(source.id)


def test_tokens_are_shown_once_stored_hashed_and_revocable(
    client: TestClient, db_path: Path
) -> None:
    setup_admin(client)
    page = client.post("/settings/tokens", data={"name": "cli", "csrf": csrf(client)})
    token = page.text.split('class="token">')[1].split("<")[0]
    assert token.startswith("nf_")
    assert token not in client.get("/settings").text
    assert token.encode() not in db_path.read_bytes()
    client.cookies.clear()
    auth = {"Authorization": f"Bearer {token}"}
    assert (
        client.put("/api/v1/articles/1/read", json={"value": True}, headers=auth).status_code == 204
    )
    accounts = open_accounts(f"sqlite:///{db_path}")
    user = accounts.user_for_token(token)
    assert user
    assert user.name == "admin"
    accounts.delete_token(user.id, accounts.list_tokens(user.id)[0].id)
    assert (
        client.put("/api/v1/articles/1/read", json={"value": True}, headers=auth).status_code == 401
    )


def test_account_store_rules(db_path: Path) -> None:
    accounts = open_accounts(f"sqlite:///{db_path}")
    with pytest.raises(AccountError, match="10 characters"):
        accounts.create_user("bob", "short")
    user = accounts.create_user("bob", PASSWORD)
    with pytest.raises(AccountError, match="taken"):
        accounts.create_user("bob", PASSWORD)
    assert accounts.check_password("bob", PASSWORD) == user
    assert accounts.check_password("bob", "nope") is None
    assert accounts.check_password("nobody", PASSWORD) is None
    expired = accounts.create_session(user.id, timedelta(seconds=-1))
    assert accounts.user_for_session(expired) is None
    live = accounts.create_session(user.id, timedelta(hours=1))
    assert accounts.user_for_session(live) == user
    accounts.end_session(live)
    assert accounts.user_for_session(live) is None


def test_open_redirect_after_sign_in_is_refused(client: TestClient) -> None:
    setup_admin(client)
    client.post("/signout", data={"csrf": csrf(client)})
    token = csrf_from(client.get("/signin").text)
    response = client.post(
        "/signin",
        data={"name": "admin", "password": PASSWORD, "csrf": token, "next": "//evil.example/"},
        follow_redirects=False,
    )
    assert response.headers["location"] == "/"
