"""Metadata fields benchmark: exact-match accuracy per field per dataset.

Runs newsfeed's ``extract_metadata`` next to trafilatura 2.3.x's metadata extraction
(``trafilatura.extract_metadata``) and newspaper4k (``Article.download(input_html=…)`` +
``parse()``, with image fetching off and without ``nlp()``; it still resolves image
hosts, so the run refuses every non-loopback lookup and prints how many it refused) on
the labelled pages in ``../shared/data/pages`` (readability, trafilatura, fundus), in the
same run, and prints one table per dataset.

Fields, labels and normalisation are defined in ``bench/_fields.py`` (read its docstring):
in short, titles/site names/captions are compared NFKC + case-folded + whitespace-
collapsed; authors as sets of normalised names; dates as the calendar day in the page's
own offset; lead image URLs against any of the cover image's versions; a page counts for a
field only when its label is present. "n/a" means the system does not extract that field.

    uv run --group bench python bench/extract_fields.py [--limit N] [--dataset NAME]
        [--systems newsfeed,trafilatura,newspaper4k] [--misses FIELD]
"""

from __future__ import annotations

import argparse
import ipaddress
import logging
import socket
import sys
import time
import warnings
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import lxml.html

from _fields import FIELDS, Prediction, Tally, score
from _pages import DATASETS, Page, available, load_pages
from newsfeed.extract._metadata import extract_metadata

_BLOCKED: list[str] = []


def _block_network() -> None:
    """Refuse every non-loopback connection for the whole run.

    newspaper4k resolves image hosts even with ``fetch_images`` off; the benchmark must not
    touch the network, so those lookups fail fast here and are counted in the report.
    """
    real_getaddrinfo = socket.getaddrinfo

    def getaddrinfo(host, *args, **kwargs):  # type: ignore[no-untyped-def]
        if host in (None, "localhost") or _is_loopback(str(host)):
            return real_getaddrinfo(host, *args, **kwargs)
        _BLOCKED.append(str(host))
        raise socket.gaierror(f"network disabled in this benchmark: {host}")

    socket.getaddrinfo = getaddrinfo


def _is_loopback(host: str) -> bool:
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


_ALL = frozenset({"title", "authors", "date", "site_name", "language", "image", "caption"})


def predict_newsfeed(page: Page) -> Prediction:
    try:
        doc = lxml.html.fromstring(page.html)
    except (ValueError, lxml.etree.ParserError):
        return Prediction(supports=_ALL)
    meta = extract_metadata(doc, page.url)
    image = meta.lead_image
    return Prediction(
        title=meta.title,
        authors=tuple(author.name for author in meta.authors),
        date=meta.published,
        site_name=meta.site_name,
        language=meta.language,
        image=image.url if image else None,
        caption=image.caption if image else None,
        credit=image.credit if image else None,
        supports=_ALL,
    )


def predict_trafilatura(page: Page) -> Prediction:
    import trafilatura

    supports = frozenset({"title", "authors", "date", "site_name", "image"})
    try:
        doc = trafilatura.extract_metadata(page.html, default_url=page.url)
    except Exception:  # a competitor's crash counts as no output, not as our failure
        return Prediction(supports=supports)
    return Prediction(
        title=doc.title,
        authors=tuple(part for part in (doc.author or "").split(";") if part.strip()),
        date=doc.date,
        site_name=doc.sitename,
        image=doc.image,
        supports=supports,
    )


def predict_newspaper(page: Page) -> Prediction:
    from newspaper import Article, Config

    config = Config()
    config.fetch_images = False
    config.memorize_articles = False
    config.disable_category_cache = True
    supports = frozenset({"title", "authors", "date", "site_name", "language", "image"})
    try:
        article = Article(page.url or "http://example.invalid/", config=config)
        article.download(input_html=page.html)
        article.parse()
    except Exception:  # as above
        return Prediction(supports=supports)
    return Prediction(
        title=article.title,
        authors=tuple(article.authors or ()),
        date=article.publish_date,
        site_name=article.meta_site_name or None,
        language=article.meta_lang or None,
        image=article.top_image or None,
        supports=supports,
    )


SYSTEMS: dict[str, Callable[[Page], Prediction]] = {
    "newsfeed": predict_newsfeed,
    "trafilatura": predict_trafilatura,
    "newspaper4k": predict_newspaper,
}


def _supported(system: str) -> frozenset[str]:
    probe = Page(dataset="readability", case="probe", url=None, html="<html></html>")
    return SYSTEMS[system](probe).supports


def main() -> None:
    args = _parse_args()
    if not available():
        print("shared data not found: ../shared/data/pages (see /work/shared/data/README.md)")
        return
    _block_network()
    logging.disable(logging.CRITICAL)
    warnings.simplefilter("ignore")
    systems = args.systems.split(",")
    for dataset in [args.dataset] if args.dataset else DATASETS:
        pages = load_pages(dataset, args.limit)
        results: dict[str, dict[str, Tally]] = {}
        timings: dict[str, float] = {}
        for system in systems:
            started = time.perf_counter()
            results[system] = score(pages, SYSTEMS[system]).get(dataset, {})
            timings[system] = time.perf_counter() - started
        _print_table(dataset, len(pages), systems, results, timings)
        if _BLOCKED:
            print(f"  network lookups refused (all by competitors): {len(_BLOCKED)}")
            _BLOCKED.clear()
        if args.misses and "newsfeed" in results:
            tally = results["newsfeed"].get(args.misses)
            print(f"  newsfeed misses on {args.misses}: {tally.misses if tally else []}")


def _print_table(
    dataset: str,
    count: int,
    systems: list[str],
    results: dict[str, dict[str, Tally]],
    timings: dict[str, float],
) -> None:
    print(f"\n{dataset} ({count} pages): exact-match accuracy, labelled pages in brackets")
    print(f"  {'field':<11}" + "".join(f"{name:>14}" for name in systems))
    for field_name in FIELDS[dataset]:
        totals = [results[s].get(field_name, Tally()).total for s in systems]
        cells = []
        for system in systems:
            tally = results[system].get(field_name, Tally())
            supported = field_name in _supported(system)
            cells.append(f"{tally.accuracy:>14.1%}" if supported else f"{'n/a':>14}")
        print(f"  {field_name:<11}" + "".join(cells) + f"   [{max(totals, default=0)}]")
    print(f"  {'seconds':<11}" + "".join(f"{timings[s]:>14.1f}" for s in systems))


def _parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--limit", type=int, default=None, help="pages per dataset")
    parser.add_argument("--dataset", choices=DATASETS, default=None)
    parser.add_argument("--systems", default="newsfeed,trafilatura,newspaper4k")
    parser.add_argument("--misses", default=None, help="list newsfeed's misses on FIELD")
    return parser.parse_args()


if __name__ == "__main__":
    main()
