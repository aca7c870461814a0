"""Ingestion end to end: simulated publishers → update pipeline → SQLite.

Starts the publisher simulator in a child process (200 feeds × 50 items by default, pages
built from ../shared/data/pages/fundus), runs one update round into a fresh SQLite file and
prints stories/s, p50/p99 from first sight (feed parsed) to stored, and peak memory; then a
second round in which every server answers 304, with its wall time. For the target it also
measures ``extract``'s own single-process throughput on the same pages in the same run.

    uv run python bench/ingest.py [--publishers 200] [--items 50] [--workers N]
"""

from __future__ import annotations

import argparse
import asyncio
import gzip
import os
import resource
import statistics
import tempfile
import time
from pathlib import Path

from newsfeed._simulator_process import SimulatorProcess
from newsfeed.extract import extract
from newsfeed.fetch import FetchOptions
from newsfeed.store import open_store
from newsfeed.update import RoundReport, UpdateOptions, Updater

DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"


def extract_rate(pages: Path, seconds: float = 20.0) -> tuple[float, float]:
    """Pages per wall second and per CPU second of ``extract`` alone, one process, over the
    fundus pages."""
    htmls = [gzip.decompress(p.read_bytes()) for p in sorted(pages.glob("*/*/page.html.gz"))]
    done, started, cpu = 0, time.perf_counter(), time.process_time()
    while time.perf_counter() - started < seconds:
        extract(htmls[done % len(htmls)], "https://example.com/story")
        done += 1
    return done / (time.perf_counter() - started), done / (time.process_time() - cpu)


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
    parser.add_argument("--extract-seconds", type=float, default=20.0)
    args = parser.parse_args()
    pages = DATA / "pages" / "fundus"
    single, single_cpu = extract_rate(pages, args.extract_seconds)
    print(
        f"extract alone: {single:.1f} pages/s (one process), "
        f"{single_cpu:.1f} pages per CPU second; {load()}"
    )
    options = UpdateOptions(
        fetch=FetchOptions(
            allowed_networks=("127.0.0.0/8",), per_host_delay=0.0, global_concurrency=64
        ),
        extract_workers=args.workers,
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
        meter = CpuMeter(sim.pid)
        first = asyncio.run(one_round(db, options, due_only=True))
        main_cpu, pool_cpu, sim_cpu = meter.used()
        latencies = [t for s in first.sources for t in s.latencies]
        rate = first.new / first.elapsed
        print(
            f"round 1: {first.new} stories from {len(first.sources)} feeds in "
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
