"""newsfeed: a self-hosted news feed engine.

The public API is small; everything else lives in private modules::

    import newsfeed

    article = newsfeed.extract(html, url="https://example.com/story")
    store = newsfeed.open_store("sqlite:///news.db")
"""

__version__ = "0.1.0"

from newsfeed.errors import NewsfeedError
from newsfeed.extract import ExtractOptions, extract
from newsfeed.store import open_store
from newsfeed.types import (
    Article,
    ArticleRecord,
    Author,
    Block,
    EditorNote,
    Entry,
    Feed,
    Image,
    RelatedLink,
    Revision,
    Source,
    Story,
)

__all__ = [
    "Article",
    "ArticleRecord",
    "Author",
    "Block",
    "EditorNote",
    "Entry",
    "ExtractOptions",
    "Feed",
    "Image",
    "NewsfeedError",
    "RelatedLink",
    "Revision",
    "Source",
    "Story",
    "extract",
    "open_store",
]
