"""Small helpers shared by the web tests: signing in and reading CSRF tokens from pages."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from newsfeed.fetch import FetchOptions

PASSWORD = "correct horse battery"
SECRET = "test-secret-key-0123456789abcdef"
# "Add a source" fetches: let it reach the loopback test site, quickly, and nothing else.
LOOPBACK_FETCH = FetchOptions(
    allowed_networks=("127.0.0.0/8",),
    per_host_delay=0.0,
    retries=0,
    connect_timeout=3,
    read_timeout=3,
    total_timeout=10,
)


def csrf_from(html: str) -> str:
    match = re.search(r'name="csrf-token" content="([^"]+)"', html)
    assert match, "page carries no CSRF token"
    return match.group(1)


def setup_admin(client: TestClient, name: str = "admin") -> None:
    page = client.get("/setup")
    assert page.status_code == 200
    response = client.post(
        "/setup",
        data={
            "name": name,
            "password": PASSWORD,
            "password2": PASSWORD,
            "csrf": csrf_from(page.text),
        },
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text


def csrf(client: TestClient, path: str = "/") -> str:
    return csrf_from(client.get(path).text)
