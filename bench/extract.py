"""Body-text quality and speed of ``newsfeed.extract`` next to trafilatura and newspaper4k.

    uv run --group bench python bench/extract.py [--limit N] [--systems ours,traf-default,...]

Quality per dataset (../shared/data/pages): shingle precision / recall / F1 against
readability's expected text and fundus's body; on trafilatura's pages the share of "with"
snippets present and "without" snippets absent (see ``bench/_scoring.py``). trafilatura runs
with comments off (they are not body) at favor_precision, default and favor_recall;
newspaper4k with image fetching off (it never touches the network here).

Speed: pages per second over every page of the chosen datasets, single process, each system
in a fresh subprocess that also reports its peak RSS: our full ``extract`` against trafilatura
with metadata, and our body-only mode against trafilatura's default (body only).
"""

from __future__ import annotations

import argparse
import contextlib
import multiprocessing
import resource
import sys
import time
import warnings
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _scoring import DATASETS, Case, SnippetScore, TextScore, cases

Extractor = Callable[[bytes, str | None], str]


def ours(html: bytes, url: str | None) -> str:
    from newsfeed.errors import NewsfeedError
    from newsfeed.extract import ExtractOptions, extract

    try:
        return extract(html, url, ExtractOptions(html=False)).text
    except NewsfeedError:
        return ""


def _trafilatura(**settings: bool) -> Extractor:
    def run(html: bytes, url: str | None) -> str:
        import trafilatura

        return trafilatura.extract(html, url=url, include_comments=False, **settings) or ""

    return run


def newspaper4k(html: bytes, url: str | None) -> str:
    import newspaper

    config = newspaper.Config()
    config.fetch_images = False
    config.memorize_articles = False
    try:
        article = newspaper.Article(url or "http://example.com/", config=config)
        article.download(input_html=html.decode("utf-8", errors="replace"))
        article.parse()
    except Exception as exc:  # a comparison baseline: count and report, do not stop the run
        FAILURES[f"{exc.__class__.__name__}: {' '.join(str(exc).split())[:70]}"] += 1
        return ""
    return str(article.text or "")


FAILURES: Counter[str] = Counter()
SYSTEMS: dict[str, Extractor] = {
    "ours": ours,
    "traf-precision": _trafilatura(favor_precision=True),
    "traf-default": _trafilatura(),
    "traf-recall": _trafilatura(favor_recall=True),
    "newspaper4k": newspaper4k,
}


def quality(dataset: str, systems: list[str], limit: int | None) -> None:
    pages = list(cases(dataset, limit=limit))
    print(f"\n{dataset}: {len(pages)} pages")
    for name in systems:
        extractor = SYSTEMS[name]
        FAILURES.clear()
        text_score, snippet_score = TextScore(), SnippetScore()
        for case in pages:
            predicted = extractor(case.html(), case.url)
            if case.truth is not None:
                text_score.add(predicted, case.truth)
            if case.with_snippets or case.without_snippets:
                snippet_score.add(predicted, case)
        if dataset == "trafilatura":
            print(
                f"  {name:15} with present {snippet_score.with_share:.3f}  "
                f"without absent {snippet_score.without_share:.3f}  "
                f"mean {snippet_score.mean:.3f}"
            )
        else:
            print(
                f"  {name:15} precision {text_score.precision:.3f}  "
                f"recall {text_score.recall:.3f}  F1 {text_score.f1:.3f}"
            )
        for failure, count in FAILURES.items():
            print(f"    ({count} pages raised {failure}; scored as empty output)")


def _ours_full(html: bytes, url: str | None) -> str:
    from newsfeed.extract import extract

    return extract(html, url).text


def _ours_body(html: bytes, url: str | None) -> str:
    from newsfeed.extract import ExtractOptions, extract

    return extract(html, url, ExtractOptions(metadata=False, html=False)).text


SPEED_PAIRS = (
    # (label, extractor) pairs doing comparable work
    (
        ("ours, full extract (metadata + body + sanitised HTML)", _ours_full),
        ("trafilatura, with_metadata=True", _trafilatura(with_metadata=True)),
    ),
    (
        ("ours, body text only (metadata=False, html=False)", _ours_body),
        ("trafilatura default (body text only)", _trafilatura()),
    ),
)


def _speed_worker(pair: int, side: int, datasets: list[str], limit: int | None, out: Any) -> None:
    warnings.filterwarnings("ignore")
    pages = [(c.html(), c.url) for d in datasets for c in cases(d, limit=limit)]
    extractor = SPEED_PAIRS[pair][side][1]
    for html, url in pages[:5]:  # imports and warm-up outside the clock
        extractor(html, url)
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    cpu, wall = time.process_time(), time.perf_counter()
    for html, url in pages:
        # our errors and theirs alike: the page still counts as done
        with contextlib.suppress(Exception):
            extractor(html, url)
    cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    out.put((len(pages), cpu, wall, before, peak))


def speed(datasets: list[str], limit: int | None) -> None:
    print("\nspeed: single process, every page of the datasets above, each run in a fresh")
    print("process; pages/s by CPU time (the machine is shared), wall time in brackets")
    ctx = multiprocessing.get_context("spawn")
    for pair_index, pair in enumerate(SPEED_PAIRS):
        rates = []
        for side, (label, _) in enumerate(pair):
            queue = ctx.Queue()
            proc = ctx.Process(
                target=_speed_worker, args=(pair_index, side, datasets, limit, queue)
            )
            proc.start()
            count, cpu, wall, before, peak = queue.get()
            proc.join()
            rates.append(count / cpu)
            print(
                f"  {label:55} {count / cpu:6.1f} pages/s ({count / wall:.1f} wall), "
                f"peak RSS {peak / 1024:.0f} MiB (+{(peak - before) / 1024:.0f} while extracting)"
            )
        print(f"  {'ours / trafilatura':55} {rates[0] / rates[1]:6.2f}x")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--limit", type=int, default=None, help="pages per dataset")
    parser.add_argument("--datasets", default=",".join(DATASETS))
    parser.add_argument("--systems", default=",".join(SYSTEMS))
    parser.add_argument("--no-speed", action="store_true")
    args = parser.parse_args()
    warnings.filterwarnings("ignore")
    datasets = args.datasets.split(",")
    systems = args.systems.split(",")
    for dataset in datasets:
        quality(dataset, systems, args.limit)
    if not args.no_speed:
        speed(datasets, args.limit)


if __name__ == "__main__":
    main()


__all__ = ["Case"]
