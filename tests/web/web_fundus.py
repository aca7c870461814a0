"""Real articles for the web tests and the benchmark, built from shared data.

The fundus pages go through ``newsfeed.extract`` (the real pipeline stage); where it is
missing or refuses a page, fundus's reviewed parser output (title, authors, date, body
sections, images with caption and credit) is used instead. The seed page, which exists only
as text, is built by hand with every part it shows (editor's note, author card, related).
"""

from __future__ import annotations

import gzip
import json
import warnings
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

from newsfeed.types import Article, Author, Block, EditorNote, Image, RelatedLink


def _image(raw: dict) -> Image | None:
    versions = raw.get("versions") or []
    if not versions:
        return None
    best = max(versions, key=lambda v: (v.get("size") or {}).get("width") or 0)
    credit = ", ".join(raw.get("authors") or []) or None
    return Image(
        url=best["url"], caption=raw.get("caption"), credit=credit, alt=raw.get("description")
    )


def fundus_article(case: Path, url: str, publisher: str, language: str | None) -> Article:
    data = json.loads((case / "expected.json").read_text(encoding="utf-8"))
    body = data.get("body") or {}
    blocks: list[Block] = []
    for section in body.get("sections") or []:
        for headline in section.get("headline") or []:
            blocks.append(Block(kind="heading", text=headline, level=2))
        for paragraph in section.get("paragraphs") or []:
            blocks.append(Block(kind="paragraph", text=paragraph))
    images = [i for i in (_image(x) for x in data.get("images") or []) if i]
    covers = [
        _image(x) for x in data.get("images") or [] if x.get("is_cover") and _image(x) is not None
    ]
    published = None
    if data.get("publishing_date"):
        published = datetime.fromisoformat(data["publishing_date"]).astimezone(UTC)
    text = "\n".join(b.text for b in blocks)
    summary = body.get("summary") or []
    return Article(
        title=data.get("title") or "(untitled)",
        url=url,
        canonical_url=url,
        dek=" ".join(summary) or None,
        site_name=publisher,
        authors=tuple(Author(name=n) for n in data.get("authors") or []),
        published=published,
        language=language,
        lead_image=covers[0] if covers else (images[0] if images else None),
        figures=tuple(images),
        blocks=tuple(blocks),
        text=text,
        word_count=len(text.split()),
        tags=tuple(data.get("topics") or ())[:10],
    )


def _extracted(case: Path, url: str, publisher: str) -> Article | None:
    try:
        from newsfeed.errors import NewsfeedError
        from newsfeed.extract import extract
    except ImportError:
        return None
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # dateutil's notes on odd time zone names
            article = extract(gzip.decompress((case / "page.html.gz").read_bytes()), url)
    except NewsfeedError:
        return None
    if not article.blocks or not article.title:
        return None
    return article if article.site_name else replace(article, site_name=publisher)


def fundus_articles(
    data_dir: Path, *, use_extract: bool = True, limit: int | None = None
) -> list[Article]:
    """Every fundus page that has a title and a body: extracted, else from expected.json."""
    index = json.loads((data_dir / "pages" / "fundus" / "index.json").read_text())
    out: list[Article] = []
    for page in index["pages"][:limit]:
        case = data_dir / "pages" / "fundus" / Path(page["files"]["expected"]).parent
        language = page.get("language")
        if isinstance(language, list):
            language = language[0] if language else None
        article = _extracted(case, page["url"], page["publisher_name"]) if use_extract else None
        if article is None:
            article = fundus_article(case, page["url"], page["publisher_name"], language)
        if article.blocks:
            out.append(article)
    return out


SEED_URL = "https://kyivindependent.com/putin-trump-to-meet-in-the-coming-days-moscow-says/"


def seed_article(data_dir: Path) -> Article:
    """The seed page as a structured article: every element the page shows, kept apart."""
    lines = [
        x.strip() for x in (data_dir / "seed" / "news-feed-article.txt").read_text().split("\n")
    ]
    lines = [x for x in lines if x]
    title = lines[1]
    caption_line = lines[4]
    caption, _, credit = caption_line.rpartition(" (")
    note = lines[5]
    body_end = lines.index(
        "President Trump has all the cards to stop Russia’s war against "
        "Ukraine. Now, he needs to use them"
    )
    paragraphs = lines[6:body_end]
    blocks = tuple(
        Block(kind="quote" if p.startswith('"') else "paragraph", text=p) for p in paragraphs
    )
    author_at = lines.index("Avatar") + 1
    author = Author(
        name=lines[author_at],
        role=lines[author_at + 1],
        bio=lines[author_at + 2],
        url="https://kyivindependent.com/author/tim-zadorozhnyy/",
    )
    text = "\n".join(paragraphs)
    return Article(
        title=title,
        url=SEED_URL,
        canonical_url=SEED_URL,
        section="News Feed",
        site_name="The Kyiv Independent",
        authors=(author,),
        published=datetime(2025, 8, 7, 12, 30, tzinfo=UTC),
        language="en",
        lead_image=Image(
            url="https://assets.kyivindependent.com/content/images/2025/08/putin-trump.jpg",
            caption=caption,
            credit=credit.rstrip(")"),
        ),
        editor_notes=(EditorNote(text=note),),
        blocks=blocks,
        text=text,
        related=(
            RelatedLink(
                title=lines[body_end],
                url="https://kyivindependent.com/president-trump-has-all-the-cards/",
                excerpt=lines[body_end + 1].rsplit(" ", 1)[0],
            ),
        ),
        stated_reading_time=3,
        word_count=len(text.split()),
    )
