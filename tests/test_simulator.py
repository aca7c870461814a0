"""The publisher simulator itself: real pages, knobs, and a fast clean stop."""

from __future__ import annotations

import contextlib
import gzip
import http.client
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from tests.simulator import Knobs, Simulator

from newsfeed._simulator_process import SimulatorProcess
from newsfeed.feeds import parse_feed


def _get(url: str, headers: dict[str, str] | None = None) -> tuple[int, dict[str, str], bytes]:
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, dict(exc.headers), exc.read()


def test_fundus_pages_are_served_with_their_titles(shared_data: Path) -> None:
    with Simulator(publishers=2, items=3, pages=shared_data / "pages" / "fundus") as sim:
        pub = sim.publishers[1]
        status, headers, body = _get(pub.feed_url)
        feed = parse_feed(body, pub.feed_url, headers["Content-Type"])
        assert status == 200
        assert [e.link for e in feed.entries] == [pub.article_url(i) for i in range(3)]
        assert [e.title for e in feed.entries] == [s.title for s in pub.stories]
        for index, story in enumerate(pub.stories):
            _, _, page = _get(pub.article_url(index))
            # Each copy of a shared page names its own address as canonical.
            link = f'<link rel="canonical" href="{pub.article_url(index)}">'
            assert link in page.decode()
            assert page.decode().replace(link, "", 1) == story.html
        titles = {s.title for p in sim.publishers for s in p.stories}
        assert len(titles) == 6  # six different real pages


def test_edits_add_an_editors_note_and_change_a_paragraph(shared_data: Path) -> None:
    knobs = Knobs(edit_after=1)
    with Simulator(items=1, pages=shared_data / "pages" / "fundus", knobs=knobs) as sim:
        pub = sim.publishers[0]
        first = _get(pub.article_url(0))[2].decode()
        second = _get(pub.article_url(0))[2].decode()
    assert "Editor's note" not in first
    assert "Editor's note: The story was updated" in second
    assert "This paragraph was revised after publication." in second
    assert second.index("Editor's note") < second.index("revised after publication")


@pytest.mark.parametrize("kind", ["rss", "atom", "json"])
def test_each_feed_format_parses(kind: str) -> None:
    with Simulator(items=4, feed_format=kind) as sim:  # type: ignore[arg-type]
        pub = sim.publishers[0]
        _, headers, body = _get(pub.feed_url)
    feed = parse_feed(body, pub.feed_url, headers["Content-Type"])
    assert feed.title == pub.name
    assert [e.title for e in feed.entries] == [s.title for s in pub.stories]
    assert all(e.published for e in feed.entries)


def test_conditional_requests_and_gzip() -> None:
    with Simulator(knobs=Knobs(gzip=True)) as sim:
        pub = sim.publishers[0]
        _, headers, body = _get(pub.feed_url, {"Accept-Encoding": "gzip"})
        assert headers["Content-Encoding"] == "gzip"
        assert gzip.decompress(body).startswith(b"<?xml")
        status, _, body = _get(pub.feed_url, {"If-None-Match": headers["ETag"]})
        assert status == 304
        assert body == b""


def test_errors_and_throttling_knobs() -> None:
    knobs = Knobs(error_rate=0.3, throttle_rate=0.3, retry_after="7")
    with Simulator(knobs=knobs) as sim:
        pub = sim.publishers[0]
        answers = [_get(pub.feed_url) for _ in range(60)]
    statuses = [status for status, _, _ in answers]
    assert 5 < statuses.count(500) < 35
    assert 5 < statuses.count(429) < 35
    assert all(h["Retry-After"] == "7" for s, h, _ in answers if s == 429)


def test_latency_knob() -> None:
    with Simulator(knobs=Knobs(latency=0.3)) as sim:
        started = time.monotonic()
        _get(sim.publishers[0].feed_url)
        assert time.monotonic() - started >= 0.3


def test_many_publishers_start_and_stop_quickly() -> None:
    started = time.monotonic()
    with Simulator(publishers=30, items=2) as sim:
        ports = {p.base_url for p in sim.publishers}
        assert len(ports) == 30
        assert _get(sim.publishers[-1].feed_url)[0] == 200
    assert time.monotonic() - started < 3


def test_stop_does_not_wait_for_a_trickling_response() -> None:
    sim = Simulator().__enter__()
    url = sim.publishers[0].url("/hostile/trickle")

    def read_slowly() -> None:
        with contextlib.suppress(OSError, http.client.HTTPException):
            _get(url)

    threading.Thread(target=read_slowly, daemon=True).start()
    time.sleep(0.3)
    started = time.monotonic()
    sim.stop()
    assert time.monotonic() - started < 1.5


def test_publishers_on_their_own_addresses() -> None:
    with Simulator(publishers=3, own_addresses=True) as sim:
        hosts = [p.base_url.split(":")[1] for p in sim.publishers]
        assert hosts == ["//127.0.0.2", "//127.0.0.3", "//127.0.0.4"]
        assert _get(sim.publishers[2].feed_url)[0] == 200


def test_simulator_in_its_own_process() -> None:
    started = time.monotonic()
    with SimulatorProcess(publishers=3, items=2, knobs=Knobs(latency=0.01)) as sim:
        assert len(sim.publishers) == 3
        feed_url = sim.publishers[2]["feed_url"]
        status, headers, body = _get(feed_url)
        assert status == 200
        feed = parse_feed(body, feed_url, headers["Content-Type"])
        assert [e.link for e in feed.entries] == sim.publishers[2]["articles"]
    with pytest.raises(urllib.error.URLError):
        _get(feed_url)  # stopped
    assert time.monotonic() - started < 10
