"""The exceptions newsfeed raises.

Every error newsfeed raises on purpose derives from one root, so callers can catch
``NewsfeedError`` and show its message to a user::

    NewsfeedError
     ├── ConfigError            bad settings: database URL, data dir, TOML file
     ├── StorageError           the database failed or refused an operation
     │    ├── SchemaError       the database schema is newer (or older) than this code
     │    └── NotFoundError     no such source, article, author or story
     │         └── SourceNotFoundError
     ├── FetchError             an HTTP fetch failed; ``url`` says which
     │    ├── BlockedURLError   refused by the SSRF guard or robots.txt
     │    ├── HTTPStatusError   the server answered with an error status; ``status`` says which
     │    └── ResponseTooLarge  the body exceeded the size cap
     ├── ParseError             a feed, sitemap or OPML file could not be read
     └── ExtractError           a page could not be turned into an article
          └── NotHTMLError      empty, binary or non-HTML input

Messages are written for a person: they say what happened and, where it helps, what to do.
"""

from __future__ import annotations


class NewsfeedError(Exception):
    """The root of every error newsfeed raises on purpose."""


class ConfigError(NewsfeedError):
    """A setting is wrong: say which one and how to fix it."""


class StorageError(NewsfeedError):
    """The database failed or refused an operation."""


class SchemaError(StorageError):
    """The database schema does not match what this version of newsfeed expects."""


class NotFoundError(StorageError):
    """The requested object does not exist."""


class SourceNotFoundError(NotFoundError):
    """No source with that id or URL."""


class FetchError(NewsfeedError):
    """An HTTP fetch failed."""

    def __init__(self, message: str, url: str | None = None) -> None:
        super().__init__(message)
        self.url = url


class BlockedURLError(FetchError):
    """The URL was refused before any request was sent (SSRF guard, robots.txt, scheme)."""


class HTTPStatusError(FetchError):
    """The server answered with a 4xx or 5xx status (after any retries)."""

    def __init__(self, message: str, url: str | None = None, status: int = 0) -> None:
        super().__init__(message, url)
        self.status = status


class ResponseTooLarge(FetchError):
    """The response body exceeded the configured cap."""


class ParseError(NewsfeedError):
    """A feed, sitemap or OPML document could not be parsed."""


class ExtractError(NewsfeedError):
    """A page could not be turned into an article."""


class NotHTMLError(ExtractError):
    """The input is empty, binary or otherwise not an HTML document."""


__all__ = [
    "BlockedURLError",
    "ConfigError",
    "ExtractError",
    "FetchError",
    "HTTPStatusError",
    "NewsfeedError",
    "NotFoundError",
    "NotHTMLError",
    "ParseError",
    "ResponseTooLarge",
    "SchemaError",
    "SourceNotFoundError",
    "StorageError",
]
