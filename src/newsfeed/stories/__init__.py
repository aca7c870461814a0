"""Stories: near-duplicates, online clustering of one event's coverage, related stories.

Pure, storage-independent components; the pipeline feeds them and stores what they return.

* ``DuplicateIndex`` — MinHash/LSH near-duplicate links (signatures are bytes to store).
* ``load_embedder`` — unit-length text vectors from the WordLlama weights bundled in its
  PyPI package (offline, no PyTorch).
* ``StoryClusterer`` — each arriving article joins a story or starts one; converging
  stories merge; state round-trips through ``to_bytes``/``from_bytes``.
* ``related_articles`` — same story first, then shared entities and terms, with excerpts.
* ``what_each_adds`` — per article of a story, the sentences no other outlet has.
* ``rebuild`` — both from scratch over stored articles (``newsfeed reindex``).
"""

from newsfeed.stories._cluster import StoryClusterer
from newsfeed.stories._compare import Addition, CompareOptions, Coverage, what_each_adds
from newsfeed.stories._dedupe import DedupeOptions, DuplicateIndex
from newsfeed.stories._embed import Embedder, EmbedderInfo, article_text, load_embedder
from newsfeed.stories._rebuild import Rebuilt, StoryArticle, rebuild
from newsfeed.stories._related import (
    Related,
    RelatedCandidate,
    RelatedOptions,
    related_articles,
)
from newsfeed.stories._text import excerpt
from newsfeed.stories._types import (
    Assignment,
    ClusterItem,
    ClusterOptions,
    StorySnapshot,
    StoryState,
)

__all__ = [
    "Addition",
    "Assignment",
    "ClusterItem",
    "ClusterOptions",
    "CompareOptions",
    "Coverage",
    "DedupeOptions",
    "DuplicateIndex",
    "Embedder",
    "EmbedderInfo",
    "Rebuilt",
    "Related",
    "RelatedCandidate",
    "RelatedOptions",
    "StoryArticle",
    "StoryClusterer",
    "StorySnapshot",
    "StoryState",
    "article_text",
    "excerpt",
    "load_embedder",
    "rebuild",
    "related_articles",
    "what_each_adds",
]
