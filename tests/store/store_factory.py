"""Articles for the store tests: small, distinct, fully populated when asked."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from newsfeed.store import NewArticle
from newsfeed.types import Article, Author, Block, EditorNote, Image, RelatedLink

BASE = datetime(2024, 5, 1, 12, 0, tzinfo=UTC)
WORDS = [
    "alpha",
    "bravo",
    "charlie",
    "delta",
    "echo",
    "foxtrot",
    "golf",
    "hotel",
    "india",
    "juliet",
    "kilo",
    "lima",
]


def article(n: int, **changes: object) -> Article:
    """Article number ``n``: a distinct URL, title and body, published ``n`` minutes in."""
    words = " ".join(WORDS[(n + i) % len(WORDS)] for i in range(30))
    values: dict[str, object] = {
        "title": f"Story {n} about {WORDS[n % len(WORDS)]}",
        "url": f"https://news.example/story/{n}",
        "text": f"Body of story {n}. {words}.",
        "published": BASE + timedelta(minutes=n),
        "word_count": 35,
        "reading_time": 1,
    }
    values.update(changes)
    return Article(**values)  # type: ignore[arg-type]


def new(
    n: int, source_id: int | None = None, guid: str | None = None, **changes: object
) -> NewArticle:
    return NewArticle(article(n, **changes), source_id=source_id, guid=guid)


def full_article() -> Article:
    """Every field set, every nested type present, to prove the row round trip exact."""
    image = Image("https://img.example/a.jpg", "alt", "A caption", "Photo: AFP", 800, 600)
    return Article(
        title="Putin and Trump to meet",
        url="https://news.example/a?utm=x",
        canonical_url="https://news.example/a",
        dek="The meeting is set for Aug. 15",
        section="War",
        site_name="Kyiv Independent",
        authors=(
            Author(
                "Jane Doe",
                "News Editor",
                "Jane writes about things.",
                "https://i/a.png",
                "https://a/jane",
            ),
            Author("John Roe"),
        ),
        published=datetime(2025, 8, 8, 9, 30, 15, 123456, tzinfo=UTC),
        updated=datetime(2025, 8, 8, 11, 0, tzinfo=UTC),
        language="en",
        lead_image=image,
        figures=(image, Image("https://img.example/b.jpg")),
        editor_notes=(
            EditorNote("The story was updated."),
            EditorNote("Fixed a name.", "correction"),
        ),
        blocks=(
            Block("heading", "Background", level=2),
            Block("paragraph", "First paragraph — with “quotes” and ünïcödé."),
            Block("quote", "All the cards."),
            Block("list", items=("one", "two"), ordered=True),
            Block("figure", image=image),
            Block("embed", url="https://youtube.example/v"),
        ),
        text="Background\n\nFirst paragraph — with “quotes” and ünïcödé.\n\nAll the cards.",
        html="<h2>Background</h2><p>First paragraph</p>",
        related=(
            RelatedLink("Other story", "https://news.example/b", "An excerpt"),
            RelatedLink("T", "u"),
        ),
        tags=("war", "diplomacy"),
        paywalled=True,
        stated_reading_time=3,
        reading_time=2,
        word_count=450,
    )
