"""The command line: ``newsfeed COMMAND``.

Every command reads settings with ``load_settings()``; every ``NewsfeedError`` becomes one
line on stderr and exit status 1.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO, TextIO

import click
from rich.console import Console
from rich.progress import Progress as RichProgress
from rich.table import Table

from newsfeed.config import Settings, ensure_home, load_settings
from newsfeed.errors import NewsfeedError, SourceNotFoundError
from newsfeed.store import ArticleFilter, Storage, open_store
from newsfeed.types import Source

if TYPE_CHECKING:
    from newsfeed.feeds import FeedLink

console = Console()


class Context:
    """What every command shares: the settings and, once asked for, the open store."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    @contextmanager
    def store(self) -> Iterator[Storage]:
        if self.settings.is_sqlite:
            ensure_home(self.settings)
        store = open_store(self.settings.database_url)
        try:
            yield store
        finally:
            store.close()


pass_context = click.make_pass_decorator(Context)


@click.group()
@click.version_option(package_name="newsfeed")
@click.pass_context
def cli(ctx: click.Context) -> None:
    """newsfeed: follow publishers, read every story in full, see what changed."""
    ctx.obj = Context(load_settings())


@cli.command()
@pass_context
def init(ctx: Context) -> None:
    """Create the data dir and the database (safe to run again)."""
    with ctx.store() as store:
        count = store.count_articles()
    console.print(f"newsfeed is ready: {ctx.settings.database_url} ({count} articles)")


@cli.command()
@click.argument("url")
@click.option("--title", help="Name the source (default: the feed's own title).")
@click.option("--category", help="Put the source in a category (kept in OPML).")
@pass_context
def add(ctx: Context, url: str, title: str | None, category: str | None) -> None:
    """Follow a feed, given its URL or any page of the site."""
    from newsfeed._runner import update_options
    from newsfeed._sources import add_source

    with ctx.store() as store:
        options = update_options(ctx.settings).fetch
        source = add_source(
            store, url, options, title=title, category=category, choose=_ask_which_feed
        )
    console.print(f"following [bold]{source.title}[/] ({source.url}) as source {source.id}")


def _ask_which_feed(links: Sequence[FeedLink]) -> FeedLink:
    console.print("This site has several feeds:")
    for n, link in enumerate(links, 1):
        console.print(f"  {n}. {link.title or link.url}  [dim]{link.url}[/]")
    if not sys.stdin.isatty():
        console.print("  (not asked: standard input is not a terminal; taking 1)")
        return links[0]
    choice = click.prompt("Which one?", type=click.IntRange(1, len(links)), default=1)
    return links[choice - 1]


@cli.command("import")
@click.argument("file", type=click.File("rb"))
@pass_context
def import_(ctx: Context, file: BinaryIO) -> None:
    """Follow every feed of an OPML file (- for standard input), keeping categories."""
    from newsfeed._sources import import_opml

    with ctx.store() as store:
        report = import_opml(store, file.read(), file.name)
    console.print(f"{report.added} sources added, {report.already_followed} already followed")


@cli.command()
@click.argument("file", type=click.File("w"), default="-")
@pass_context
def export(ctx: Context, file: TextIO) -> None:
    """Write the sources as OPML to FILE (default: standard output)."""
    from newsfeed._sources import export_opml

    with ctx.store() as store:
        file.write(export_opml(store))


@cli.command()
@click.argument("source")
@pass_context
def remove(ctx: Context, source: str) -> None:
    """Stop following a source, given its id or feed URL. Its stories stay."""
    with ctx.store() as store:
        found = _find_source(store, source)
        store.remove_source(found.id)
    console.print(f"removed {found.title} ({found.url})")


@cli.command()
@pass_context
def sources(ctx: Context) -> None:
    """List the sources with their feed health."""
    with ctx.store() as store:
        rows = store.list_sources()
    table = Table("id", "title", "url", "last fetch", "next check", "last error")
    for s in rows:
        table.add_row(
            str(s.id),
            s.title,
            s.url,
            _when(s.last_fetched),
            _when(s.next_check),
            s.last_error or "",
        )
    console.print(table if rows else "no sources yet: add one with `newsfeed add URL`")


@cli.command()
@click.argument("query")
@click.option("--source", "source_id", type=int, help="Only this source id.")
@click.option("--author", help="Only stories by this author.")
@click.option("--since", type=click.DateTime(), help="Published on or after (YYYY-MM-DD).")
@click.option("--until", type=click.DateTime(), help="Published before (YYYY-MM-DD).")
@click.option("--limit", default=20, show_default=True)
@pass_context
def search(
    ctx: Context,
    query: str,
    source_id: int | None,
    author: str | None,
    since: datetime | None,
    until: datetime | None,
    limit: int,
) -> None:
    """Full-text search over titles and bodies."""
    flt = ArticleFilter(
        source_id=source_id, author=author, since=_aware(since), until=_aware(until)
    )
    with ctx.store() as store:
        page = store.search(query, flt, limit=limit)
        waiting = store.search_backlog()
    for hit in page.items:
        a = hit.record.article
        console.print(f"[bold]{a.title}[/]  [dim]{_when(a.published)} · {a.url or ''}[/]")
        console.print("   " + hit.snippet.replace("<mark>", "[reverse]").replace("</mark>", "[/]"))
    if not page.items:
        console.print("no matches")
    if waiting:
        console.print(
            f"[yellow]{waiting:,} stored articles are not indexed for search yet: "
            "the next `newsfeed update` indexes them[/]"
        )


@cli.command()
@click.argument("source")
@click.option("--url", help="The page's URL, to resolve relative links (for a file or stdin).")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["json", "text", "markdown", "html"]),
    default="text",
    show_default=True,
)
@pass_context
def extract(ctx: Context, source: str, url: str | None, fmt: str) -> None:
    """Extract the article from PATH, URL or - (standard input)."""
    from newsfeed.extract._render import run_extract

    click.echo(run_extract(source, url, fmt))


@cli.command()
@click.option("--all", "everything", is_flag=True, help="Fetch every source, due or not.")
@pass_context
def update(ctx: Context, everything: bool) -> None:
    """Run one update round: fetch due feeds, extract new stories, re-check recent ones."""
    from newsfeed._runner import run_update_round

    with ctx.store() as store:
        report = run_update_round(store, ctx.settings, due_only=not everything, console=console)
    console.print(
        f"{report.new} new stories from {len(report.sources)} sources, "
        f"{report.revised} revised of {report.rechecked} re-checked, "
        f"{len(report.errors)} sources failed ({report.elapsed:.1f} s)"
    )
    for failed in report.errors:
        console.print(f"  [red]✗[/] {failed.url}: {failed.error}", highlight=False)


@cli.command()
@click.option("--host", help="Address to listen on (default 127.0.0.1).")
@click.option("--port", type=int, help="Port to listen on (default 8080).")
@click.option("--no-updater", is_flag=True, help="Serve only; do not fetch in the background.")
@pass_context
def serve(ctx: Context, host: str | None, port: int | None, no_updater: bool) -> None:
    """Serve the web pages and API, and keep the feeds updated in the background."""
    from newsfeed._runner import serve as run_server

    if ctx.settings.is_sqlite:
        ensure_home(ctx.settings)
    run_server(ctx.settings, host=host, port=port, updater=not no_updater, console=console)


def _find_source(store: Storage, ref: str) -> Source:
    if ref.isdigit():
        return store.get_source(int(ref))
    found = store.get_source_by_url(ref)
    if found is None:
        raise SourceNotFoundError(f"no source with id or URL {ref!r}; see `newsfeed sources`")
    return found


@cli.command()
@pass_context
def reindex(ctx: Context) -> None:
    """Rebuild duplicates and stories from the stored articles."""
    from newsfeed.stories._reindex import reindex as rebuild

    with ctx.store() as store, RichProgress(console=console, transient=True) as bar:
        task = bar.add_task("placing articles in stories", total=store.count_articles())
        placed = rebuild(store, on_batch=lambda done: bar.update(task, completed=done))
        stories = store.list_stories(limit=1, min_articles=1)
    console.print(f"{placed} articles placed in stories" + ("" if stories.items else "; none yet"))


@cli.command()
@click.option("--redo", is_flag=True, help="Analyse every story again, not only new ones.")
@pass_context
def enrich(ctx: Context, redo: bool) -> None:
    """Find people, places, organisations, quotes and dates in stored stories."""
    from newsfeed.enrich.step import enrich_stored

    with ctx.store() as store, console.status("analysing stories"):
        done = enrich_stored(store, redo=redo)
    console.print(f"{done} stories analysed")


@cli.command()
@click.option(
    "--concurrency",
    "-c",
    type=click.IntRange(min=1),
    default=os.cpu_count() or 1,
    show_default=True,
    help="Worker processes (extraction is CPU-bound: about one per core).",
)
@pass_context
def worker(ctx: Context, concurrency: int) -> None:
    """Run a Celery worker (PostgreSQL + broker)."""
    from newsfeed.distributed import run_worker

    run_worker(ctx.settings, concurrency)


@cli.command()
@pass_context
def scheduler(ctx: Context) -> None:
    """Enqueue due feeds for the workers."""
    from newsfeed.distributed import run_scheduler

    run_scheduler(ctx.settings)


@cli.command("import-warc")
@click.argument(
    "files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path)
)
@click.option(
    "--processes",
    "-p",
    type=click.IntRange(min=0),
    help="Extract on this many processes (default: every core; 0: in this process).",
)
@click.option(
    "--queue", is_flag=True, help="Hand each file to the Celery workers instead (shared paths)."
)
@pass_context
def import_warc(ctx: Context, files: tuple[Path, ...], processes: int | None, queue: bool) -> None:
    """Import the HTML responses of WARC archives (re-runs skip what is stored)."""
    from newsfeed.distributed import import_warc as run_import
    from newsfeed.distributed import queue_warc_files

    if queue:
        count = queue_warc_files(ctx.settings, files)
        console.print(f"queued {count} files for the workers")
        return
    if ctx.settings.is_sqlite:
        ensure_home(ctx.settings)
    report = run_import(ctx.settings, files, processes=processes, console=console)
    console.print(
        f"{report.stored} stories stored, {report.already_stored} already stored, "
        f"{report.skipped} records not HTML pages, {report.failed} failed, "
        f"of {report.records} records ({report.elapsed:.1f} s)"
    )
    for error in report.errors:
        console.print(f"  [red]✗[/] {error}", highlight=False)


def _when(moment: datetime | None) -> str:
    return moment.astimezone().strftime("%Y-%m-%d %H:%M") if moment else "—"


def _aware(moment: datetime | None) -> datetime | None:
    return moment.replace(tzinfo=UTC) if moment and moment.tzinfo is None else moment


def main() -> None:
    try:
        cli(standalone_mode=True)
    except NewsfeedError as exc:
        click.echo(f"newsfeed: error: {exc}", err=True)
        sys.exit(1)
