"""Article ↔ row: every nested dataclass survives the trip exactly (no database needed)."""

from __future__ import annotations

import json
from datetime import UTC

from hypothesis import given
from hypothesis import strategies as st
from store_factory import full_article

from newsfeed.store._codec import (
    article_columns,
    article_from_row,
    diff_from_json,
    diff_to_json,
)
from newsfeed.types import Article, Author, Block, DiffChunk, EditorNote, Image, RelatedLink

text = st.text(max_size=20)
maybe = st.none() | text
small = st.none() | st.integers(0, 5000)
images = st.builds(Image, text, maybe, maybe, maybe, small, small)
blocks = st.builds(
    Block,
    st.sampled_from(["paragraph", "heading", "quote", "list", "figure", "embed"]),
    text,
    small,
    st.lists(text, max_size=3).map(tuple),
    st.booleans(),
    st.none() | images,
    maybe,
)
times = st.none() | st.datetimes(timezones=st.just(UTC))
articles = st.builds(
    Article,
    title=text,
    url=maybe,
    canonical_url=maybe,
    dek=maybe,
    section=maybe,
    site_name=maybe,
    authors=st.lists(st.builds(Author, text, maybe, maybe, maybe, maybe), max_size=3).map(tuple),
    published=times,
    updated=times,
    language=maybe,
    lead_image=st.none() | images,
    figures=st.lists(images, max_size=2).map(tuple),
    editor_notes=st.lists(
        st.builds(EditorNote, text, st.sampled_from(["editor_note", "correction", "update"])),
        max_size=2,
    ).map(tuple),
    blocks=st.lists(blocks, max_size=4).map(tuple),
    text=text,
    html=text,
    related=st.lists(st.builds(RelatedLink, text, text, maybe), max_size=2).map(tuple),
    tags=st.lists(text, max_size=3).map(tuple),
    paywalled=st.booleans(),
    stated_reading_time=small,
    reading_time=st.integers(0, 100),
    word_count=st.integers(0, 10_000),
)


def _through_json(row: dict[str, object]) -> dict[str, object]:
    """What a JSON column gives back: the values after a dump and a load."""
    out = dict(row)
    for key in ("authors", "lead_image", "figures", "editor_notes", "blocks", "related", "tags"):
        out[key] = json.loads(json.dumps(row[key]))
    return out


@given(articles)
def test_article_round_trip(article: Article) -> None:
    assert article_from_row(_through_json(article_columns(article))) == article


def test_full_article_round_trip() -> None:
    article = full_article()
    row = _through_json(article_columns(article))
    assert row["url_key"] == "https://news.example/a"
    assert article_from_row(row) == article


def test_paragraph_blocks_are_compact() -> None:
    row = article_columns(Article("t", blocks=(Block("paragraph", "Hi"),)))
    assert row["blocks"] == [{"kind": "paragraph", "text": "Hi"}]


def test_diff_round_trip() -> None:
    diff = (DiffChunk("equal", "a"), DiffChunk("delete", " b"), DiffChunk("insert", " c"))
    assert diff_from_json(json.loads(json.dumps(diff_to_json(diff)))) == diff
