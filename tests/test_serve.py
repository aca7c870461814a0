"""`newsfeed serve` as a user runs it: the web server plus the background updater."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

from simulator import Simulator


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_serve_updates_in_the_background_and_shows_the_river(tmp_path: Path) -> None:
    env = dict(os.environ)
    env.pop("NEWSFEED_DATABASE_URL", None)
    port = free_port()
    env.update(
        NEWSFEED_HOME=str(tmp_path),
        NEWSFEED_ALLOW_PRIVATE_ADDRESSES="true",
        NEWSFEED_PORT=str(port),
    )
    cmd = [sys.executable, "-m", "newsfeed"]
    with Simulator(publishers=1, items=3) as sim:
        pub = sim.publishers[0]
        subprocess.run([*cmd, "add", pub.feed_url], env=env, check=True, timeout=60)
        server = subprocess.Popen([*cmd, "serve"], env=env, stdout=subprocess.DEVNULL)
        try:
            river = ""
            deadline = time.monotonic() + 90
            while pub.stories[0].title not in river and time.monotonic() < deadline:
                time.sleep(0.5)
                try:
                    river = httpx.get(f"http://127.0.0.1:{port}/", timeout=5).text
                except httpx.TransportError:
                    continue
            assert all(story.title in river for story in pub.stories)
            secret = tmp_path / "secret_key"
            assert secret.stat().st_mode & 0o777 == 0o600
        finally:
            server.terminate()
            server.wait(timeout=30)
