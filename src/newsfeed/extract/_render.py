"""The body of ``newsfeed extract PATH|URL|- [--url URL] [--format json|text|markdown|html]``.

``run_extract`` reads the page (a file, ``-`` for stdin, or an http(s) URL fetched with httpx
under a size cap and timeout), extracts it and renders the article in the chosen format.
The click command only parses arguments and prints the returned string.
"""

from __future__ import annotations

import dataclasses
import json
import sys
from datetime import datetime
from pathlib import Path
from typing import Any

from newsfeed.errors import ExtractError, FetchError, ResponseTooLarge
from newsfeed.types import Article, Block

from . import extract
from ._decode import MAX_INPUT_BYTES

FORMATS = ("json", "text", "markdown", "html")
_TIMEOUT_SECONDS = 20.0


def run_extract(source: str, url: str | None, fmt: str) -> str:
    """Extract the page at ``source`` (path, ``-`` or URL) and render it as ``fmt``."""
    if fmt not in FORMATS:
        raise ExtractError(f"unknown format {fmt!r}: choose one of {', '.join(FORMATS)}")
    data, found_url = _read(source)
    article = extract(data, url or found_url)
    render = {"json": to_json, "text": to_text, "markdown": to_markdown, "html": to_html}[fmt]
    return render(article)


def _read(source: str) -> tuple[bytes, str | None]:
    if source == "-":
        return sys.stdin.buffer.read(MAX_INPUT_BYTES + 1), None
    if source.startswith(("http://", "https://")):
        return _fetch(source), source
    path = Path(source)
    if not path.is_file():
        raise ExtractError(f"no such file: {source} (give a path, a URL or - for stdin)")
    with path.open("rb") as handle:
        return handle.read(MAX_INPUT_BYTES + 1), None


def _fetch(url: str) -> bytes:
    import httpx

    try:
        with (
            httpx.Client(timeout=_TIMEOUT_SECONDS, follow_redirects=True) as client,
            client.stream("GET", url, headers={"User-Agent": "newsfeed"}) as response,
        ):
            response.raise_for_status()
            chunks: list[bytes] = []
            size = 0
            for chunk in response.iter_bytes():
                size += len(chunk)
                if size > MAX_INPUT_BYTES:
                    raise ResponseTooLarge(
                        f"the page is larger than {MAX_INPUT_BYTES // 2**20} MiB", url=url
                    )
                chunks.append(chunk)
            return b"".join(chunks)
    except httpx.HTTPError as exc:
        raise FetchError(f"could not fetch {url}: {exc}", url=url) from exc


def to_json(article: Article) -> str:
    """Every field of the article as JSON (datetimes in ISO 8601)."""
    return json.dumps(dataclasses.asdict(article), default=_json_default, ensure_ascii=False,
                      indent=2)  # fmt: skip


def _json_default(value: Any) -> str:
    if isinstance(value, datetime):
        return value.isoformat()
    raise TypeError(f"cannot serialise {type(value).__name__}")


def to_text(article: Article) -> str:
    """Title, then the plain-text body."""
    return f"{article.title}\n\n{article.text}\n" if article.title else f"{article.text}\n"


def to_markdown(article: Article) -> str:
    """The article as Markdown: title, byline, notes, blocks, related links."""
    lines: list[str] = []
    if article.title:
        lines.append(f"# {article.title}")
    if article.dek:
        lines.append(f"*{article.dek}*")
    byline = ", ".join(a.name for a in article.authors)
    facts = [
        f"By {byline}" if byline else "",
        article.published.date().isoformat() if article.published else "",
        f"{article.stated_reading_time or article.reading_time} min read",
    ]
    lines.append(" · ".join(fact for fact in facts if fact))
    if article.lead_image:
        lines.append(_md_image(article.lead_image.url, article.lead_image.caption,
                               article.lead_image.credit))  # fmt: skip
    lines.extend(f"> **{n.kind.replace('_', ' ')}:** {n.text}" for n in article.editor_notes)
    lines.extend(_md_block(block) for block in article.blocks)
    if article.related:
        lines.append("## Related")
        lines.extend(f"- [{link.title}]({link.url})" for link in article.related)
    return "\n\n".join(line for line in lines if line) + "\n"


def _md_block(block: Block) -> str:
    if block.kind == "heading":
        return f"{'#' * min(max(block.level or 2, 2), 6)} {block.text}"
    if block.kind == "quote":
        return "\n".join(f"> {line}" for line in block.text.split("\n"))
    if block.kind == "list":
        return "\n".join(
            f"{i}. {item}" if block.ordered else f"- {item}"
            for i, item in enumerate(block.items, 1)
        )
    if block.kind == "figure" and block.image is not None:
        return _md_image(block.image.url, block.image.caption, block.image.credit)
    if block.kind == "embed":
        return f"<{block.url}>" if block.url else block.text
    return block.text


def _md_image(url: str, caption: str | None, credit: str | None) -> str:
    under = " ".join(part for part in (caption, f"({credit})" if credit else None) if part)
    return f"![{caption or ''}]({url})" + (f"\n*{under}*" if under else "")


def to_html(article: Article) -> str:
    """The sanitised body HTML, under the title."""
    from html import escape

    return f"<h1>{escape(article.title)}</h1>\n{article.html}\n"
