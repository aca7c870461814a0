"""Article ↔ row: the nested frozen dataclasses as JSON-ready values, and back, exactly.

Only fields that differ from their defaults are written, which keeps rows small; reading
fills the defaults back in, so ``decode(encode(x)) == x`` for every value.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any, cast

from newsfeed.types import (
    Article,
    ArticleRecord,
    Author,
    Block,
    DiffChunk,
    EditorNote,
    Image,
    RelatedLink,
)

JSON = dict[str, Any]


def _compact(pairs: Mapping[str, Any], defaults: Mapping[str, Any]) -> JSON:
    return {k: v for k, v in pairs.items() if v != defaults.get(k)}


def image_to_json(image: Image) -> JSON:
    return _compact(
        {
            "url": image.url,
            "alt": image.alt,
            "caption": image.caption,
            "credit": image.credit,
            "width": image.width,
            "height": image.height,
        },
        {"alt": None, "caption": None, "credit": None, "width": None, "height": None},
    )


def image_from_json(data: JSON) -> Image:
    return Image(**data)


def author_to_json(author: Author) -> JSON:
    return _compact(
        {
            "name": author.name,
            "role": author.role,
            "bio": author.bio,
            "avatar_url": author.avatar_url,
            "url": author.url,
        },
        {"role": None, "bio": None, "avatar_url": None, "url": None},
    )


def note_to_json(note: EditorNote) -> JSON:
    return {"text": note.text, "kind": note.kind}


def notes_to_json(notes: Sequence[EditorNote]) -> list[JSON]:
    return [note_to_json(n) for n in notes]


def notes_from_json(data: Sequence[JSON]) -> tuple[EditorNote, ...]:
    return tuple(EditorNote(**n) for n in data)


def block_to_json(block: Block) -> JSON:
    if (
        block.kind == "paragraph"
        and block.level is None
        and not block.items
        and not block.ordered
        and block.image is None
        and block.url is None
    ):
        return {"kind": "paragraph", "text": block.text}  # the common case, kept fast
    out = _compact(
        {
            "kind": block.kind,
            "text": block.text,
            "level": block.level,
            "items": list(block.items),
            "ordered": block.ordered,
            "url": block.url,
        },
        {"text": "", "level": None, "items": [], "ordered": False, "url": None},
    )
    if block.image is not None:
        out["image"] = image_to_json(block.image)
    return out


def block_from_json(data: JSON) -> Block:
    values = dict(data)
    if "items" in values:
        values["items"] = tuple(values["items"])
    if "image" in values:
        values["image"] = image_from_json(values["image"])
    return Block(**values)


def related_to_json(link: RelatedLink) -> JSON:
    return _compact({"title": link.title, "url": link.url, "excerpt": link.excerpt}, {})


def diff_to_json(diff: Sequence[DiffChunk]) -> list[list[str]]:
    return [[c.op, c.text] for c in diff]


def diff_from_json(data: Sequence[Sequence[str]]) -> tuple[DiffChunk, ...]:
    return tuple(DiffChunk(cast(Any, op), text) for op, text in data)


def article_columns(article: Article) -> JSON:
    """The article's own columns (everything but ids, bookkeeping and flags)."""
    return {
        "url": article.url,
        "canonical_url": article.canonical_url,
        "url_key": article.key,
        "title": article.title,
        "dek": article.dek,
        "section": article.section,
        "site_name": article.site_name,
        "published": article.published,
        "updated": article.updated,
        "language": article.language,
        "text": article.text,
        "html": article.html,
        "authors": [author_to_json(a) for a in article.authors],
        "lead_image": image_to_json(article.lead_image) if article.lead_image else None,
        "figures": [image_to_json(i) for i in article.figures],
        "editor_notes": notes_to_json(article.editor_notes),
        "blocks": [block_to_json(b) for b in article.blocks],
        "related": [related_to_json(r) for r in article.related],
        "tags": list(article.tags),
        "reading_time": article.reading_time,
        "stated_reading_time": article.stated_reading_time,
        "word_count": article.word_count,
        "paywalled": article.paywalled,
    }


def article_from_row(row: Mapping[Any, Any]) -> Article:
    lead = row["lead_image"]
    return Article(
        title=row["title"],
        url=row["url"],
        canonical_url=row["canonical_url"],
        dek=row["dek"],
        section=row["section"],
        site_name=row["site_name"],
        authors=tuple(Author(**a) for a in row["authors"]),
        published=row["published"],
        updated=row["updated"],
        language=row["language"],
        lead_image=image_from_json(lead) if lead is not None else None,
        figures=tuple(image_from_json(i) for i in row["figures"]),
        editor_notes=notes_from_json(row["editor_notes"]),
        blocks=tuple(block_from_json(b) for b in row["blocks"]),
        text=row["text"],
        html=row["html"],
        related=tuple(RelatedLink(**r) for r in row["related"]),
        tags=tuple(row["tags"]),
        paywalled=bool(row["paywalled"]),
        stated_reading_time=row["stated_reading_time"],
        reading_time=row["reading_time"],
        word_count=row["word_count"],
    )


BODY_COLUMNS = ("text", "html", "blocks", "figures", "editor_notes", "related")
"""What a list leaves out (``list_articles(body=False)``): the bulk of a row, which no card
or summary shows."""
_NO_BODY: JSON = {"html": "", "blocks": [], "figures": [], "editor_notes": [], "related": []}


def brief_record_from_row(row: Mapping[Any, Any]) -> ArticleRecord:
    """A record read without its body columns: those fields take their defaults, but for
    ``text``, which the row brings (empty unless a card needs it: see ``_sql._BRIEF``)."""
    return record_from_row({**_NO_BODY, **row})


def record_from_row(row: Mapping[Any, Any]) -> ArticleRecord:
    first_seen: datetime = row["first_seen"]
    return ArticleRecord(
        id=row["id"],
        article=article_from_row(row),
        source_id=row["source_id"],
        guid=row["guid"],
        first_seen=first_seen,
        last_checked=row["last_checked"],
        extract_error=row["extract_error"],
        story_id=row["story_id"],
        revision_count=row["revision_count"],
        read=bool(row["read"]),
        saved=bool(row["saved"]),
    )
