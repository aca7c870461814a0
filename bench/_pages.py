"""Load the labelled page sets under ``../shared/data/pages`` for benchmarks and gates.

Each dataset yields ``Page`` objects: the decoded HTML, the page URL and the labels as
stored (``expected.json``). Decoding follows what a browser would mostly do: a BOM, then
UTF-8 if the bytes are valid UTF-8, then the charset the page declares, then a guess.
"""

from __future__ import annotations

import codecs
import gzip
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"
PAGES = DATA / "pages"
DATASETS = ("readability", "trafilatura", "fundus")
READABILITY_URL = "http://fakehost/test/page.html"

_DECLARED = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([\w:.-]+)""", re.I)
_XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>", re.I)


@dataclass(frozen=True)
class Page:
    dataset: str
    case: str
    url: str | None
    html: str
    expected: dict[str, Any] = field(default_factory=dict)


def available() -> bool:
    return PAGES.is_dir()


def load_pages(dataset: str, limit: int | None = None) -> list[Page]:
    """The first ``limit`` pages of ``dataset`` (all when ``None``), in a stable order."""
    return list(_iter_pages(dataset, limit))


def _iter_pages(dataset: str, limit: int | None) -> Iterator[Page]:
    cases = sorted(path.parent for path in (PAGES / dataset).glob("**/expected.json"))
    urls = _fundus_urls() if dataset == "fundus" else {}
    for count, case in enumerate(cases):
        if limit is not None and count >= limit:
            return
        expected = json.loads((case / "expected.json").read_text(encoding="utf-8"))
        name = str(case.relative_to(PAGES / dataset))
        yield Page(
            dataset=dataset,
            case=name,
            url=_url_for(dataset, name, expected, urls),
            html=decode_html((case / "page.html.gz").read_bytes()),
            expected=expected,
        )


def _url_for(
    dataset: str, name: str, expected: dict[str, Any], fundus_urls: dict[str, str]
) -> str | None:
    if dataset == "readability":
        return READABILITY_URL
    if dataset == "trafilatura":
        url = expected.get("url")
        return url if isinstance(url, str) else None
    return fundus_urls.get(name)


def _fundus_urls() -> dict[str, str]:
    index = json.loads((PAGES / "fundus" / "index.json").read_text(encoding="utf-8"))
    found: dict[str, str] = {}
    for entry in index.get("pages", []):
        html_path = entry.get("files", {}).get("html", "")
        found[str(Path(html_path).parent)] = entry.get("url")
    return found


def decode_html(raw: bytes) -> str:
    """Bytes of a (possibly gzipped) page to text, without an XML declaration."""
    if raw[:2] == b"\x1f\x8b":
        raw = gzip.decompress(raw)
    for bom, encoding in ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16")):
        if raw.startswith(bom):
            return _XML_DECL.sub("", raw.decode(encoding, errors="replace"))
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        text = _decode_declared(raw)
    return _XML_DECL.sub("", text)


def _decode_declared(raw: bytes) -> str:
    match = _DECLARED.search(raw[:8192])
    if match:
        try:
            return raw.decode(match.group(1).decode("ascii"), errors="replace")
        except LookupError:
            pass
    from charset_normalizer import from_bytes

    best = from_bytes(raw).best()
    return str(best) if best is not None else raw.decode("cp1252", errors="replace")


if __name__ == "__main__":
    for name in DATASETS:
        print(name, len(load_pages(name)) if available() else "missing")
