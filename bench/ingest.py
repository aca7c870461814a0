"""Ingestion end to end: simulated publishers → update pipeline → SQLite.

Starts the publisher simulator in a child process (200 feeds × 50 items by default, pages
built from ../shared/data/pages/fundus), runs one update round into a fresh SQLite file and
prints stories/s, p50/p99 from first sight (feed parsed) to stored, and peak memory; then a
second round in which every server answers 304, with its wall time. For the target it also
measures ``extract``'s own single-process throughput on the same pages (the very bytes the
simulator serves) in the same run: half before the round and half after, so that a change
in the machine's load during the run weighs on both sides alike.

The machine may be shared, so it also prints the CPU seconds of each process: the main
process (fetch, parse, store, after-store steps), the extraction pool and the simulator
(whose serving is not the pipeline's work), and stories per pipeline CPU second against
``extract``'s pages per CPU second.

By default the round runs fetch → parse → extract → store. ``--full`` adds the after-store
steps that ``newsfeed update`` runs (enrichment, near-duplicates and story clustering),
whose analysis runs in the extraction pool.

    uv run python bench/ingest.py [--publishers 200] [--items 50] [--workers N] [--full]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import resource
import statistics
import tempfile
import time
from pathlib import Path

from newsfeed._simulator_content import article_html, load_stories
from newsfeed._simulator_process import SimulatorProcess
from newsfeed.enrich.step import EnrichStep, stored_entity_keys
from newsfeed.extract import extract
from newsfeed.fetch import FetchOptions
from newsfeed.store import open_store
from newsfeed.stories.step import StoryStep
from newsfeed.update import AfterStore, RoundReport, UpdateOptions, Updater

DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"


def served_pages(pages: Path) -> list[tuple[bytes, str]]:
    """Each fundus page as the simulator serves it, with its address."""
    count = len(list(pages.glob("*/*/page.html.gz")))
    found = []
    for story in load_stories(pages, count):
        url = f"http://127.0.0.1:8000/articles/{story.index}.html"
        found.append((article_html(story, False, url), url))
    return found


class ExtractRate:
    """``extract`` alone in one process over the served pages, measured in spells."""

    def __init__(self, pages: Path) -> None:
        self.pages = served_pages(pages)
        self.done = 0
        self.wall = self.cpu = 0.0

    def measure(self, seconds: float) -> None:
        started, cpu = time.perf_counter(), time.process_time()
        while time.perf_counter() - started < seconds:
            extract(*self.pages[self.done % len(self.pages)])
            self.done += 1
        self.wall += time.perf_counter() - started
        self.cpu += time.process_time() - cpu

    def per_second(self) -> tuple[float, float]:
        """Pages per wall second and per CPU second so far."""
        return self.done / self.wall, self.done / self.cpu


def cpu_of(pid: int) -> float:
    """CPU seconds (user + system) a live process has used so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


class CpuMeter:
    """CPU seconds used by this process, by its reaped children (the extraction pool, shut
    down at the end of each round) and by the simulator, between start and stop."""

    def __init__(self, simulator_pid: int) -> None:
        self.simulator_pid = simulator_pid
        self.start = self._now()

    def _now(self) -> tuple[float, float, float]:
        own = resource.getrusage(resource.RUSAGE_SELF)
        kids = resource.getrusage(resource.RUSAGE_CHILDREN)
        return (
            own.ru_utime + own.ru_stime,
            kids.ru_utime + kids.ru_stime,
            cpu_of(self.simulator_pid),
        )

    def used(self) -> tuple[float, float, float]:
        now = self._now()
        main, pool, simulator = (b - a for a, b in zip(self.start, now, strict=True))
        return main, pool, simulator


def load() -> str:
    return "load avg " + " ".join(f"{x:.2f}" for x in os.getloadavg())


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    return statistics.quantiles(values, n=100, method="inclusive")[int(q) - 1]


async def one_round(db: str, options: UpdateOptions, due_only: bool) -> RoundReport:
    store = open_store(db)
    try:
        return await Updater(store, options).run_round(due_only=due_only)
    finally:
        store.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--publishers", type=int, default=200)
    parser.add_argument("--items", type=int, default=50)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument(
        "--extract-seconds",
        type=float,
        default=20.0,
        help="extract alone, half before the round and half after",
    )
    parser.add_argument(
        "--full", action="store_true", help="with the after-store steps `newsfeed update` runs"
    )
    args = parser.parse_args()
    pages = DATA / "pages" / "fundus"
    alone = ExtractRate(pages)
    steps: tuple[AfterStore, ...] = ()
    if args.full:
        steps = (EnrichStep(), StoryStep(entity_keys=stored_entity_keys))
    options = UpdateOptions(
        fetch=FetchOptions(
            allowed_networks=("127.0.0.0/8",), per_host_delay=0.0, global_concurrency=64
        ),
        extract_workers=args.workers,
        after_store=steps,
    )
    with (
        tempfile.TemporaryDirectory() as tmp,
        SimulatorProcess(args.publishers, args.items, pages=pages) as sim,
    ):
        db = f"sqlite:///{tmp}/bench.db"
        store = open_store(db)
        for publisher in sim.publishers:
            store.add_source(publisher["feed_url"], "")
        store.close()
        alone.measure(args.extract_seconds / 2)
        print(f"extract alone, first half: {alone.per_second()[0]:.1f} pages/s; {load()}")
        meter = CpuMeter(sim.pid)
        first = asyncio.run(one_round(db, options, due_only=True))
        main_cpu, pool_cpu, sim_cpu = meter.used()
        alone.measure(args.extract_seconds / 2)
        single, single_cpu = alone.per_second()
        print(
            f"extract alone: {single:.1f} pages/s (one process), "
            f"{single_cpu:.1f} pages per CPU second; {load()}"
        )
        latencies = [t for s in first.sources for t in s.latencies]
        rate = first.new / first.elapsed
        print(
            f"round 1{' (with enrichment and stories)' if args.full else ''}: "
            f"{first.new} stories from {len(first.sources)} feeds in "
            f"{first.elapsed:.1f} s = {rate:.1f} stories/s; errors: {len(first.errors)}; "
            f"{load()}"
        )
        pipeline_cpu = main_cpu + pool_cpu
        print(
            f"CPU seconds: main {main_cpu:.1f}, extraction pool {pool_cpu:.1f}, "
            f"simulator {sim_cpu:.1f} (not the pipeline's); "
            f"{first.new / pipeline_cpu:.1f} stories per pipeline CPU second = "
            f"{first.new / pipeline_cpu / single_cpu:.0%} of extract's pages per CPU second"
        )
        print(
            f"first sight → stored: p50 {percentile(latencies, 50):.2f} s, "
            f"p99 {percentile(latencies, 99):.2f} s"
        )
        target = 0.7 * single * args.workers
        print(
            f"target ≥ 0.7 × {single:.1f} × {args.workers} cores = {target:.1f} stories/s: "
            f"{'met' if rate >= target else 'NOT met'} ({rate / (single * args.workers):.0%})"
        )
        second = asyncio.run(one_round(db, options, due_only=False))
        unchanged = sum(s.not_modified for s in second.sources)
        print(
            f"round 2 (all 304): {unchanged}/{len(second.sources)} not modified, "
            f"{second.new} new, {second.elapsed:.2f} s (target < 2 s); {load()}"
        )
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(f"peak memory: {peak:.0f} MB (pipeline), {children:.0f} MB (largest child)")


if __name__ == "__main__":
    main()
