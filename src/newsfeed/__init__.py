"""newsfeed: a self-hosted news feed engine.

The public API is small; everything else lives in private modules.
"""

from newsfeed.errors import NewsfeedError
from newsfeed.types import Article, Author, EditorNote, Image, RelatedLink

__all__ = [
    "Article",
    "Author",
    "EditorNote",
    "Image",
    "NewsfeedError",
    "RelatedLink",
]

__version__ = "0.1.0"
