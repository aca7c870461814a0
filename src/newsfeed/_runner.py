"""Running newsfeed as a program: one update round with a progress bar, or the server with
its background updater. The only module that turns settings into live parts."""

from __future__ import annotations

import asyncio
import logging
import os
import secrets
import threading
from dataclasses import replace

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, TextColumn, TimeElapsedColumn
from rich.progress import Progress as RichProgress

from newsfeed.config import Settings, ensure_home
from newsfeed.enrich.step import EnrichStep, stored_entity_keys
from newsfeed.fetch import FetchOptions
from newsfeed.store import Storage, open_store
from newsfeed.stories.step import StoryStep
from newsfeed.update import RoundReport, UpdateOptions, Updater
from newsfeed.web import WebSettings

log = logging.getLogger("newsfeed")

UPDATER_TICK_SECONDS = 60
"""How often the background updater looks for due feeds (each feed has its own interval)."""


def update_options(settings: Settings) -> UpdateOptions:
    fetch = FetchOptions(allow_private=settings.allow_private_addresses)
    if settings.user_agent:
        fetch = replace(fetch, user_agent=settings.user_agent)
    return UpdateOptions(
        fetch=fetch, after_store=(EnrichStep(), StoryStep(entity_keys=stored_entity_keys))
    )


class _BarProgress:
    def __init__(self, bar: RichProgress) -> None:
        self.bar = bar
        self.task = bar.add_task("updating", total=None)

    def start(self, total: int) -> None:
        self.bar.update(self.task, total=total)

    def advance(self, description: str) -> None:
        self.bar.update(self.task, advance=1, description=description[:40])


def run_update_round(
    store: Storage, settings: Settings, *, due_only: bool, console: Console
) -> RoundReport:
    """One round with a progress bar on ``console``."""
    updater = Updater(store, update_options(settings))
    columns = (
        TextColumn("{task.description:<40}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
    )
    with RichProgress(*columns, console=console, transient=True) as bar:
        return asyncio.run(updater.run_round(due_only=due_only, progress=_BarProgress(bar)))


def web_settings(settings: Settings) -> WebSettings:
    return WebSettings(secret_key=secret_key(settings), base_url=settings.base_url)


def secret_key(settings: Settings) -> str:
    """The configured key, else one made once and kept (owner-only) in the data dir."""
    if settings.secret_key:
        return settings.secret_key
    path = ensure_home(settings) / "secret_key"
    if not path.exists():
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as out:
            out.write(secrets.token_hex(32))
    return path.read_text().strip()


def _updater_loop(settings: Settings, stop: threading.Event) -> None:
    store = open_store(settings.database_url)
    updater = Updater(store, update_options(settings))
    try:
        while not stop.is_set():
            try:
                report = asyncio.run(updater.run_round(due_only=True))
                if report.sources:
                    log.info("update round: %d new stories", report.new)
            except Exception:  # the updater must outlive any one bad round
                log.exception("update round failed")
            stop.wait(UPDATER_TICK_SECONDS)
    finally:
        store.close()


def serve(
    settings: Settings,
    *,
    host: str | None,
    port: int | None,
    updater: bool,
    console: Console,
) -> None:
    """Serve the web app until interrupted, with the background updater unless told not to."""
    import uvicorn

    from newsfeed.web import create_app, freeze_heap

    store = open_store(settings.database_url)
    stop = threading.Event()
    if updater:
        threading.Thread(target=_updater_loop, args=(settings, stop), daemon=True).start()
    app = create_app(store, web_settings(settings))
    freeze_heap()
    bind_host, bind_port = host or settings.host, port or settings.port
    console.print(f"newsfeed is serving on http://{bind_host}:{bind_port}")
    try:
        uvicorn.run(app, host=bind_host, port=bind_port, log_level=settings.log_level.lower())
    finally:
        stop.set()
        store.close()
