"""The publisher simulator in its own process, for benchmarks.

In-process servers share the GIL with the code being measured; in a child process they
only share the CPUs. ``SimulatorProcess`` starts ``python -m newsfeed._simulator_process``,
reads one JSON line describing the publishers, and stops the child on exit.

    with SimulatorProcess(publishers=200, items=50, pages=DATA / "pages" / "fundus") as sim:
        for publisher in sim.publishers:
            publisher["feed_url"], publisher["articles"]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from dataclasses import asdict
from pathlib import Path
from types import TracebackType
from typing import Any

from newsfeed._simulator import Knobs, Simulator


class SimulatorProcess:
    """A ``Simulator`` running in a child process; ``publishers`` lists their URLs."""

    def __init__(
        self,
        publishers: int = 1,
        items: int = 10,
        *,
        pages: Path | None = None,
        feed_format: str = "rss",
        knobs: Knobs | None = None,
    ) -> None:
        self._args = [
            sys.executable,
            "-m",
            "newsfeed._simulator_process",
            f"--publishers={publishers}",
            f"--items={items}",
            f"--format={feed_format}",
            f"--knobs={json.dumps(asdict(knobs or Knobs()))}",
        ]
        if pages is not None:
            self._args.append(f"--pages={pages}")
        self.publishers: list[dict[str, Any]] = []
        self._child: subprocess.Popen[str] | None = None

    def __enter__(self) -> SimulatorProcess:
        self._child = subprocess.Popen(
            self._args, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
        )
        assert self._child.stdout is not None
        line = self._child.stdout.readline()
        if not line:
            self._child.wait()
            raise RuntimeError(f"the simulator process exited with {self._child.returncode}")
        self.publishers = json.loads(line)["publishers"]
        return self

    @property
    def pid(self) -> int:
        """The child's process id (to measure what serving costs)."""
        if self._child is None:
            raise RuntimeError("the simulator process is not running")
        return self._child.pid

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._child is None:
            return
        assert self._child.stdin is not None
        self._child.stdin.close()  # the child stops when its stdin closes
        try:
            self._child.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self._child.kill()
            self._child.wait()


def main() -> None:
    parser = argparse.ArgumentParser(description="Serve simulated publishers until stdin closes.")
    parser.add_argument("--publishers", type=int, default=1)
    parser.add_argument("--items", type=int, default=10)
    parser.add_argument("--pages", type=Path, default=None)
    parser.add_argument("--format", default="rss", choices=["rss", "atom", "json"])
    parser.add_argument("--knobs", default="{}")
    args = parser.parse_args()
    knobs = Knobs(**json.loads(args.knobs))
    with Simulator(
        args.publishers, args.items, pages=args.pages, feed_format=args.format, knobs=knobs
    ) as sim:
        described = [
            {
                "name": p.name,
                "base_url": p.base_url,
                "feed_url": p.feed_url,
                "articles": [p.article_url(s.index) for s in p.stories],
                "titles": [s.title for s in p.stories],
            }
            for p in sim.publishers
        ]
        print(json.dumps({"publishers": described}), flush=True)
        sys.stdin.read()


if __name__ == "__main__":
    main()
