"""The web layer's settings: one frozen object, passed to ``create_app``."""

from __future__ import annotations

from dataclasses import dataclass

from newsfeed.errors import ConfigError
from newsfeed.fetch import FetchOptions


@dataclass(frozen=True, slots=True)
class WebSettings:
    """How the web app behaves.

    ``secret_key`` signs session cookies and CSRF tokens; it must be long and random and
    stay the same across restarts (or every session ends). ``base_url`` is the public
    address used in feeds out (``self`` links, item ids); leave it empty to use the address
    of each request.
    """

    secret_key: str
    base_url: str = ""
    site_title: str = "newsfeed"
    allow_signup_first_admin: bool = True
    """Show the setup page that creates the first admin while no account exists."""
    page_size: int = 20
    feed_size: int = 50
    session_days: int = 30
    secure_cookies: bool = False
    """Mark cookies ``Secure``: turn on when served over HTTPS."""
    signin_attempts_per_minute: int = 5
    cache_seconds: float = 2.0
    """How long anonymous pages, API answers and feeds are kept and shared (0: not at all)."""
    fetch_options: FetchOptions | None = None
    """How "add a source" fetches a page to discover its feeds (None: the defaults)."""

    def __post_init__(self) -> None:
        if len(self.secret_key) < 16:
            raise ConfigError(
                "web secret_key is too short: use at least 16 random characters (for example "
                'the output of `python -c "import secrets; print(secrets.token_hex())"`)'
            )
        if not 1 <= self.page_size <= 200:
            raise ConfigError(f"web page_size must be between 1 and 200, not {self.page_size}")
        if not 1 <= self.feed_size <= 500:
            raise ConfigError(f"web feed_size must be between 1 and 500, not {self.feed_size}")
        if self.base_url and not self.base_url.startswith(("http://", "https://")):
            raise ConfigError(
                f"web base_url must start with http:// or https://: {self.base_url!r}"
            )
