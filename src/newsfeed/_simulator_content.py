"""What the simulated publishers serve: stories, feeds, pages and hostile payloads."""

from __future__ import annotations

import functools
import gzip
import html
import json
import re
import zlib
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from newsfeed._simulator import Publisher

EPOCH = datetime(2025, 8, 4, 10, 0, tzinfo=UTC)
NOTE = "Editor's note: The story was updated with a statement from the ministry."
REVISED = " This paragraph was revised after publication."
_LONG_PARAGRAPH = re.compile(r"<p[^>]*>([^<]{80,})")


@dataclass(frozen=True, slots=True)
class Story:
    """One article: its page HTML, expected title and first body paragraph."""

    index: int
    title: str
    html: str
    author: str
    published: datetime
    first_paragraph: str | None


def load_stories(pages: Path | None, count: int, start: int = 0) -> list[Story]:
    """``count`` stories numbered from 0, using the fundus pages from ``start`` on (cycling)
    when ``pages`` is given, else synthetic ones."""
    sources = _fundus(pages) if pages else ()
    stories = []
    for n in range(count):
        published = EPOCH - timedelta(minutes=7 * n)
        if sources:
            title, page, author, para = sources[(start + n) % len(sources)]
            stories.append(Story(n, title, page, author, published, para))
        else:
            stories.append(_synthetic(start + n, n, published))
    return stories


# A page reused by many simulated publishers must not claim one real address for all of
# them, or every copy would be the same story: drop its canonical link and og:url, and each
# copy is served with a canonical link to its own address (``article_html``), which also
# outranks a URL the page's JSON-LD still names.
_IDENTITY = re.compile(
    r"<link\b[^>]*\brel=[\"']?canonical\b[^>]*>|<meta\b[^>]*\bproperty=[\"']?og:url\b[^>]*>",
    re.IGNORECASE,
)


@functools.cache
def _fundus(pages: Path) -> tuple[tuple[str, str, str, str | None], ...]:
    found = []
    for case in sorted(pages.glob("*/*/")):
        expected = json.loads((case / "expected.json").read_text())
        sections = expected.get("body", {}).get("sections", [])
        paragraphs = [p for s in sections for p in s.get("paragraphs", [])]
        page = gzip.decompress((case / "page.html.gz").read_bytes()).decode("utf-8", "replace")
        page = _IDENTITY.sub("", page)
        authors = expected.get("authors") or ["Staff"]
        found.append((expected["title"], page, authors[0], paragraphs[0] if paragraphs else None))
    return tuple(found)


def _synthetic(n: int, index: int, published: datetime) -> Story:
    title = f"Story number {n}: council approves the new bridge"
    para = f"The city council voted on Tuesday to approve bridge number {n} after a long debate."
    page = (
        f"<!doctype html><html><head><meta charset='utf-8'><title>{title}</title>"
        f"<meta property='og:title' content='{title}'></head><body><article>"
        f"<h1>{title}</h1><p class='byline'>By Jane Reporter</p><p>{para}</p>"
        "<p>Residents said the bridge would shorten their commute by twenty minutes.</p>"
        "</article></body></html>"
    )
    return Story(index, title, page, "Jane Reporter", published, para)


def article_html(story: Story, edited: bool, url: str | None = None) -> bytes:
    """The page; edited: one paragraph revised and an editor's note added before it; with
    ``url``, a canonical link to that address."""
    page = story.html
    if edited:
        page = _edit(page, story.first_paragraph)
    if url is not None:
        page = _with_canonical(page, url)
    return page.encode("utf-8")


def _with_canonical(page: str, url: str) -> str:
    link = f'<link rel="canonical" href="{html.escape(url)}">'
    head = page.find("<head")
    at = page.find(">", head) + 1 if head >= 0 else 0
    return page[:at] + link + page[at:]


def _edit(page: str, paragraph: str | None) -> str:
    note = f"<p><em>{NOTE}</em></p>"
    at = _find_paragraph(page, paragraph)
    if at < 0:
        body = page.find("<body")
        at = page.find(">", body) + 1 if body >= 0 else 0
        return page[:at] + note + page[at:]
    start = page.rfind("<p", 0, at)
    end = page.find("</p>", at)
    return page[:start] + note + page[start:end] + REVISED + page[end:]


def _find_paragraph(page: str, paragraph: str | None) -> int:
    """Where the story's first paragraph starts, or any long paragraph."""
    if paragraph:
        words = paragraph.split()
        for snippet in (paragraph[:40], html.escape(paragraph[:40]), " ".join(words[:4])):
            at = page.find(snippet)
            if at >= 0 and page.rfind("<p", 0, at) >= 0 and page.find("</p>", at) >= 0:
                return at
    match = _LONG_PARAGRAPH.search(page)
    return match.start(1) if match else -1


def render_feed(publisher: Publisher, kind: str) -> tuple[bytes, str]:
    items = [(s, publisher.article_url(s.index)) for s in publisher.stories]
    if kind == "json":
        return _json_feed(publisher, items), "application/feed+json"
    if kind == "atom":
        return _atom(publisher, items), "application/atom+xml; charset=utf-8"
    return _rss(publisher, items), "application/rss+xml; charset=utf-8"


def _rss(publisher: Publisher, items: list[tuple[Story, str]]) -> bytes:
    e = html.escape
    parts = [
        "<?xml version='1.0' encoding='utf-8'?>\n<rss version='2.0' "
        "xmlns:dc='http://purl.org/dc/elements/1.1/'><channel>"
        f"<title>{e(publisher.name)}</title><link>{publisher.base_url}/</link>"
        "<description>Simulated publisher</description><ttl>15</ttl>"
    ]
    for story, url in items:
        parts.append(
            f"<item><title>{e(story.title)}</title><link>{url}</link>"
            f"<guid isPermaLink='false'>{publisher.name}-{story.index}</guid>"
            f"<pubDate>{format_datetime(story.published, usegmt=True)}</pubDate>"
            f"<dc:creator>{e(story.author)}</dc:creator>"
            f"<description>{e(story.first_paragraph or '')}</description></item>"
        )
    parts.append("</channel></rss>")
    return "".join(parts).encode("utf-8")


def _atom(publisher: Publisher, items: list[tuple[Story, str]]) -> bytes:
    e = html.escape
    parts = [
        "<?xml version='1.0' encoding='utf-8'?>\n<feed xmlns='http://www.w3.org/2005/Atom'>"
        f"<title>{e(publisher.name)}</title><id>{publisher.base_url}/</id>"
        f"<link href='{publisher.base_url}/'/><updated>{EPOCH.isoformat()}</updated>"
    ]
    for story, url in items:
        parts.append(
            f"<entry><title>{e(story.title)}</title><link href='{url}'/>"
            f"<id>{publisher.name}-{story.index}</id>"
            f"<updated>{story.published.isoformat()}</updated>"
            f"<author><name>{e(story.author)}</name></author>"
            f"<summary>{e(story.first_paragraph or '')}</summary></entry>"
        )
    parts.append("</feed>")
    return "".join(parts).encode("utf-8")


def _json_feed(publisher: Publisher, items: list[tuple[Story, str]]) -> bytes:
    feed = {
        "version": "https://jsonfeed.org/version/1.1",
        "title": publisher.name,
        "home_page_url": publisher.base_url + "/",
        "items": [
            {
                "id": f"{publisher.name}-{story.index}",
                "url": url,
                "title": story.title,
                "date_published": story.published.isoformat(),
                "authors": [{"name": story.author}],
                "summary": story.first_paragraph,
            }
            for story, url in items
        ],
    }
    return json.dumps(feed).encode("utf-8")


def home_page(publisher: Publisher) -> bytes:
    e = html.escape
    types = {"rss": "application/rss+xml", "atom": "application/atom+xml"}
    link = ""
    if publisher.knobs.advertise_feed and publisher.knobs.has_feed:
        kind = types.get(publisher.feed_format, "application/feed+json")
        link = (
            f"<link rel='alternate' type='{kind}' title='{e(publisher.name)} feed' "
            f"href='{publisher.feed_path}'>"
        )
    items = "".join(
        f"<li><a href='{publisher.article_url(s.index)}'>{e(s.title)}</a></li>"
        for s in publisher.stories
    )
    return (
        f"<!doctype html><html><head><title>{e(publisher.name)} – Home</title>"
        f"<meta property='og:site_name' content='{e(publisher.name)}'>{link}</head>"
        f"<body><h1>{e(publisher.name)}</h1><ul>{items}</ul></body></html>"
    ).encode()


def news_sitemap(publisher: Publisher) -> bytes:
    e = html.escape
    urls = "".join(
        f"<url><loc>{publisher.article_url(s.index)}</loc><news:news><news:publication>"
        f"<news:name>{e(publisher.name)}</news:name><news:language>en</news:language>"
        f"</news:publication><news:publication_date>{s.published.isoformat()}"
        f"</news:publication_date><news:title>{e(s.title)}</news:title></news:news></url>"
        for s in publisher.stories
    )
    return (
        "<?xml version='1.0' encoding='UTF-8'?>"
        "<urlset xmlns='http://www.sitemaps.org/schemas/sitemap/0.9' "
        f"xmlns:news='http://www.google.com/schemas/sitemap-news/0.9'>{urls}</urlset>"
    ).encode()


@functools.cache
def gzip_bomb(size: int = 64 * 1024 * 1024) -> bytes:
    """``size`` zero bytes gzipped: about 64 KB on the wire, 64 MB once inflated."""
    packer = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    block = b"\0" * (1024 * 1024)
    parts = [packer.compress(block) for _ in range(size // len(block))]
    parts.append(packer.flush())
    return b"".join(parts)


def xml_bomb() -> bytes:
    """Billion laughs: ten nested entities, a few hundred bytes expanding to gigabytes."""
    lines = ['<?xml version="1.0"?>', "<!DOCTYPE rss [", '<!ENTITY lol0 "lol">']
    lines += [f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' for i in range(1, 10)]
    lines += ["]>", "<rss version='2.0'><channel><title>&lol9;</title>"]
    lines += ["<item><title>&lol9;</title><link>http://x/</link></item></channel></rss>"]
    return "\n".join(lines).encode()


@functools.cache
def huge_feed(size: int = 12 * 1024 * 1024) -> bytes:
    """A valid RSS feed just over ``size`` bytes."""
    item = (
        "<item><title>Filler story {n}</title><link>http://example.com/{n}</link>"
        "<description>" + "Lorem ipsum dolor sit amet. " * 30 + "</description></item>"
    )
    parts = ["<?xml version='1.0'?><rss version='2.0'><channel><title>Huge</title>"]
    total, n = 0, 0
    while total < size:
        parts.append(item.format(n=n))
        total += len(parts[-1])
        n += 1
    parts.append("</channel></rss>")
    return "".join(parts).encode()


def invalid_feed() -> bytes:
    return b"<?xml version='1.0'?><rss version='2.0'><channel><title>Broken</ti<<</rss"


def cp1251_feed() -> bytes:
    """A Russian feed in windows-1251 with no encoding in its XML declaration."""
    titles = [
        "Президент подписал закон о бюджете на следующий год",
        "В Оренбурге открыли новый мост через реку Урал",
        "Синоптики обещают сильные морозы на выходных",
    ]
    items = "".join(
        f"<item><title>{t}</title><link>http://example.com/{n}</link>"
        f"<description>Подробности о событии: {t.lower()}.</description></item>"
        for n, t in enumerate(titles)
    )
    text = (
        "<?xml version='1.0'?><rss version='2.0'><channel><title>Новости Оренбурга</title>"
        f"<link>http://example.com/</link>{items}</channel></rss>"
    )
    return text.encode("cp1251")


@functools.cache
def endless_chunk() -> bytes:
    return b"<item><title>more</title></item>" * 2048
