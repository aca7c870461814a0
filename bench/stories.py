"""Stories benchmark: clustering quality, near-duplicate quality, assignment throughput.

    uv run python bench/stories.py            # everything (a few minutes on 2 cores)
    uv run python bench/stories.py --quick    # smaller throughput run while iterating

1. B-cubed precision/recall/F1 of the online clusterer on ../shared/data/stories/uci-dev.csv
   (headlines fed in timestamp order), next to a single-pass centroid baseline over the same
   embeddings with its best fixed threshold (swept), and the F1 around the chosen settings.
2. Precision/recall of near-duplicate pairs on a set built from ../shared/data/pages.
3. Articles assigned per second with 100,000 stories stored, and memory per stored story.
"""

from __future__ import annotations

import os

# One BLAS thread: the machine is shared and a multi-threaded matrix-vector product on
# contended cores is several times slower than a single-threaded one. Set before numpy loads.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import argparse
import gc
import math
import random
import sys
import time
import tracemalloc
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from newsfeed.stories import (
    ClusterItem,
    ClusterOptions,
    DuplicateIndex,
    StoryClusterer,
    StorySnapshot,
    load_embedder,
)
from newsfeed.stories._evaluate import (
    Headline,
    bcubed,
    build_duplicate_set,
    load_uci,
    pair_scores,
)
from newsfeed.stories._text import terms

DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"
Matrix = npt.NDArray[np.float32]


def cluster_online(
    heads: Sequence[Headline], vectors: Matrix, options: ClusterOptions
) -> list[int]:
    """Feed headlines in order; return each one's final story id (after merges)."""
    clusterer = StoryClusterer(options, dim=vectors.shape[1])
    story_of: list[int] = []
    absorbed_into: dict[int, int] = {}
    for index, (head, vec) in enumerate(zip(heads, vectors, strict=True)):
        item = ClusterItem(index, head.title, vec, head.published, head.publisher)
        done = clusterer.add(item)
        story_of.append(done.story_id)
        for old in done.merged:
            absorbed_into[old] = done.story_id

    def final(story: int) -> int:
        while story in absorbed_into:
            story = absorbed_into[story]
        return story

    return [final(s) for s in story_of]


def single_pass_baseline(vectors: Matrix, threshold: float) -> list[int]:
    """Join the nearest centroid if its cosine reaches ``threshold``, else start a cluster."""
    sums = np.zeros((len(vectors), vectors.shape[1]), dtype=np.float32)
    cents = np.zeros_like(sums)
    count = 0
    labels = []
    for vec in vectors:
        best = -1
        if count:
            sims = cents[:count] @ vec
            best = int(np.argmax(sims))
            if sims[best] < threshold:
                best = -1
        if best < 0:
            best, count = count, count + 1
        sums[best] += vec
        cents[best] = sums[best] / max(float(np.linalg.norm(sums[best])), 1e-12)
        labels.append(best)
    return labels


def bench_clustering() -> None:
    heads = load_uci(DATA / "stories" / "uci-dev.csv")
    gold = [h.story for h in heads]
    embedder = load_embedder()
    start = time.perf_counter()
    vectors = embedder.embed([h.title for h in heads])
    embed_rate = len(heads) / (time.perf_counter() - start)
    print(f"== story clustering: {len(heads)} headlines, {len(set(gold))} gold stories")
    print(f"embedding ({embedder.info.name}): {embed_rate:,.0f} headlines/s")

    start = time.perf_counter()
    labels = cluster_online(heads, vectors, ClusterOptions())
    rate = len(heads) / (time.perf_counter() - start)
    ours = bcubed(labels, gold)
    print(
        f"online clusterer (defaults):  P={ours.precision:.3f} R={ours.recall:.3f} "
        f"F1={ours.f1:.3f}  stories={len(set(labels))}  {rate:,.0f} articles/s"
    )
    sweep = []
    for threshold in np.arange(0.10, 0.501, 0.025):
        base = single_pass_baseline(vectors, float(threshold))
        sweep.append((bcubed(base, gold), float(threshold), len(set(base))))
    best, threshold, count = max(sweep, key=lambda row: row[0].f1)
    print(
        f"baseline single-pass centroid, best threshold {threshold:.3f}: "
        f"P={best.precision:.3f} R={best.recall:.3f} F1={best.f1:.3f}  clusters={count}"
    )
    print("F1 around the defaults (join x merge threshold):")
    for join in (0.275, 0.30, 0.325):
        row = []
        for merge in (0.40, 0.45, 0.50):
            options = ClusterOptions(join_threshold=join, merge_threshold=merge)
            row.append(f"{bcubed(cluster_online(heads, vectors, options), gold).f1:.3f}")
        print(f"  join {join:.3f}: merge 0.40/0.45/0.50 -> {' '.join(row)}")
    half = len(heads) // 2
    for name, part in (("first", slice(0, half)), ("second", slice(half, None))):
        labels = cluster_online(heads[part], vectors[part], ClusterOptions())
        score = bcubed(labels, gold[part])
        print(f"  {name} half of the stream alone: F1={score.f1:.3f}")


def bench_duplicates() -> None:
    docs = build_duplicate_set(DATA)
    groups = len({d.group for d in docs})
    print(f"\n== near-duplicates: {len(docs)} texts from {groups} distinct page bodies")
    index = DuplicateIndex()
    start = time.perf_counter()
    scores, per_kind, same_outlet = pair_scores(docs, index.add)
    rate = len(docs) / (time.perf_counter() - start)
    print(
        f"pairs: precision={scores.precision:.4f} recall={scores.recall:.4f} "
        f"F1={scores.f1:.4f}  ({rate:,.0f} texts/s)"
    )
    kinds = " ".join(f"{kind}={value:.3f}" for kind, value in per_kind.items())
    print(f"recall of original<->copy by kind: {kinds}")
    print(f"same-outlet different-story pairs wrongly linked: {same_outlet}")


def synth_stories(
    base: Matrix, titles: Sequence[str], count: int, span_days: float, rng: random.Random
) -> tuple[list[StorySnapshot], datetime]:
    """``count`` stories spread evenly over ``span_days``, centroids mixed from real headlines."""
    nrng = np.random.default_rng(rng.randrange(2**32))
    start = datetime(2026, 1, 1, tzinfo=UTC)
    step = span_days * 86400 / count
    dim = base.shape[1]
    outlets = [f"outlet-{i}" for i in range(400)]
    stories = []
    for index in range(count):
        a, b = rng.randrange(len(base)), rng.randrange(len(base))
        # Noise as large as the signal: distinct events sit at cosine ~0.02 on average
        # (as real headlines of different UCI stories do), rarely above 0.45 to any other.
        centre = 0.6 * base[a] + 0.4 * base[b] + nrng.normal(0, 1 / math.sqrt(dim), dim)
        centre = (centre / np.linalg.norm(centre)).astype(np.float32)
        size = rng.randint(1, 12)
        first = start + timedelta(seconds=index * step)
        stories.append(
            StorySnapshot(
                id=index + 1,
                vector_sum=centre * (size * rng.uniform(0.6, 0.9) if size > 1 else 1.0),
                article_count=size,
                first_seen=first,
                last_seen=first + timedelta(hours=rng.uniform(0, 36)),
                outlets=dict.fromkeys(rng.sample(outlets, k=min(size, 6)), 1),
                terms=dict.fromkeys(terms(f"{titles[a]} {titles[b]}"), 1),
                headlines=((titles[a], base[a]), (titles[b], base[b])),
            )
        )
    return stories, start + timedelta(days=span_days)


def synth_arrivals(
    stories: Sequence[StorySnapshot],
    fresh: Matrix,
    titles: Sequence[str],
    after: datetime,
    count: int,
    rng: random.Random,
) -> tuple[list[ClusterItem], dict[int, int]]:
    """Follow-ups of the last three days' stories (60%) and fresh events (40%), over 6 hours.

    Returns the items and, for each follow-up, the id of the story it follows.

    Fresh events are mixed from ``fresh`` headlines, which no stored story was built from.
    """
    nrng = np.random.default_rng(rng.randrange(2**32))
    dim = fresh.shape[1]
    recent = [s for s in stories if s.last_seen >= after - timedelta(days=3)]
    items = []
    follows: dict[int, int] = {}
    for index in range(count):
        if rng.random() < 0.6 and recent:
            story = rng.choice(recent)
            follows[10_000_000 + index] = story.id
            centre = story.vector_sum / np.linalg.norm(story.vector_sum)
            # cosine ~0.64 to the story's centroid, like real headlines to theirs
            vec = centre + nrng.normal(0, 1.2 / math.sqrt(dim), dim)
            title = story.headlines[0][0]
        else:
            a, b = rng.randrange(len(fresh)), rng.randrange(len(fresh))
            vec = 0.6 * fresh[a] + 0.4 * fresh[b] + nrng.normal(0, 1 / math.sqrt(dim), dim)
            title = titles[a]
        vec = (vec / np.linalg.norm(vec)).astype(np.float32)
        when = after + timedelta(seconds=index * 6 * 3600 / count)
        items.append(ClusterItem(10_000_000 + index, title, vec, when, f"outlet-{index % 97}"))
    return items, follows


def bench_throughput(quick: bool) -> None:
    heads = load_uci(DATA / "stories" / "uci-dev.csv")
    titles = [h.title for h in heads]
    vectors = load_embedder().embed(titles)
    # Stored stories are mixed from the headlines of half the UCI stories, fresh events from
    # the other half, so a "new" arrival really is about something not stored yet.
    gold = sorted({h.story for h in heads})
    old = np.array([gold.index(h.story) % 2 == 0 for h in heads])
    rng = random.Random(11)
    count = 20_000 if quick else 100_000
    arrivals = 1_000 if quick else 5_000
    old_titles = [t for t, keep in zip(titles, old, strict=True) if keep]
    new_titles = [t for t, keep in zip(titles, old, strict=True) if not keep]
    stories, end = synth_stories(vectors[old], old_titles, count, span_days=100, rng=rng)
    items, follows = synth_arrivals(stories, vectors[~old], new_titles, end, arrivals, rng)
    print(f"\n== throughput: {count:,} stories stored over 100 days, {arrivals:,} arrivals")
    threads = os.environ.get("OPENBLAS_NUM_THREADS")
    print(f"   (OPENBLAS_NUM_THREADS={threads}; machine: {_cores()} cores, shared)")
    for label, window in (("7-day active window", 7 * 24.0), ("all stories active", 1e6)):
        options = ClusterOptions(window_hours=window)
        # What a restart loads from storage: the stories still inside the window.
        live = [s for s in stories if s.last_seen >= end - timedelta(hours=window)]
        gc.collect()
        tracemalloc.start()
        clusterer = StoryClusterer(options)
        clusterer.restore(live)
        held, _ = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        active = len(clusterer)
        blob = len(clusterer.to_bytes())
        state = clusterer.to_bytes()
        rates = []
        for batch in (1, 256):
            clusterer = StoryClusterer.from_bytes(state)
            # one by one over 100k rows is slow: time the first thousand only
            timed = items if batch > 1 or window < 1e5 else items[:1000]
            wall, cpu = time.perf_counter(), time.process_time()
            done = _assign(clusterer, timed, batch)
            wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
            rates.append((len(timed) / wall, len(timed) / cpu))
        print(f"{label}: {active:,} active stories")
        _print_outcome(done, follows, stored=count)
        for name, (wall_rate, cpu_rate) in zip(
            ("one by one", "batches of 256"), rates, strict=True
        ):
            print(
                f"   {name}: {wall_rate:,.0f} articles/s wall clock, "
                f"{cpu_rate:,.0f} articles per CPU-second"
            )
        print(
            f"   memory {held / max(active, 1):,.0f} B per active story (tracemalloc), "
            f"saved state {blob / max(active, 1):,.0f} B per story"
        )


def _print_outcome(done: Sequence[Any], follows: dict[int, int], stored: int) -> None:
    """How the synthetic arrivals landed: follow-ups in their story, fresh events apart."""
    into: dict[int, int] = {}
    home = 0
    for a in done:
        into.update(dict.fromkeys(a.merged, a.story_id))
        if a.article_id in follows:
            target = follows[a.article_id]
            while target in into:
                target = into[target]
            home += target in (a.story_id, *a.merged)
    ups = [a for a in done if a.article_id in follows]
    fresh = [a for a in done if a.article_id not in follows]
    strayed = sum(1 for a in fresh if not a.created and a.story_id <= stored)
    print(
        f"   follow-ups placed in their story: {home / max(len(ups), 1):.1%}; "
        f"fresh events joined to an old story: {strayed / max(len(fresh), 1):.1%}"
    )


def _assign(clusterer: StoryClusterer, items: Sequence[ClusterItem], batch: int) -> list[Any]:
    if batch == 1:
        return [clusterer.add(item) for item in items]
    done = []
    for start in range(0, len(items), batch):
        done.extend(clusterer.add_many(items[start : start + batch]))
    return done


def _cores() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else "")
    parser.add_argument("--quick", action="store_true", help="smaller throughput run")
    parser.add_argument(
        "--only", choices=("clustering", "duplicates", "throughput"), help="run one part"
    )
    args = parser.parse_args(argv)
    if not DATA.is_dir():
        print(f"shared data not found at {DATA}", file=sys.stderr)
        return 1
    if args.only in (None, "clustering"):
        bench_clustering()
    if args.only in (None, "duplicates"):
        bench_duplicates()
    if args.only in (None, "throughput"):
        bench_throughput(args.quick)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
