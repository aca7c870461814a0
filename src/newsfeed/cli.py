"""The command line: ``newsfeed COMMAND``.

Every command reads settings with ``load_settings()``; every ``NewsfeedError`` becomes one
line on stderr and exit status 1.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime

import click
from rich.console import Console
from rich.table import Table

from newsfeed.config import Settings, ensure_home, load_settings
from newsfeed.errors import NewsfeedError, SourceNotFoundError
from newsfeed.store import ArticleFilter, Storage, open_store
from newsfeed.types import Source

console = Console()
err_console = Console(stderr=True)


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
    from newsfeed._sources import add_source

    with ctx.store() as store:
        source = add_source(store, ctx.settings, url, title=title, category=category)
    console.print(f"following [bold]{source.title}[/] ({source.url}) as source {source.id}")


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
    for hit in page.items:
        a = hit.record.article
        console.print(f"[bold]{a.title}[/]  [dim]{_when(a.published)} · {a.url or ''}[/]")
        console.print("   " + hit.snippet.replace("<mark>", "[reverse]").replace("</mark>", "[/]"))
    if not page.items:
        console.print("no matches")


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


def _find_source(store: Storage, ref: str) -> Source:
    if ref.isdigit():
        return store.get_source(int(ref))
    found = store.get_source_by_url(ref)
    if found is None:
        raise SourceNotFoundError(f"no source with id or URL {ref!r}; see `newsfeed sources`")
    return found


def _not_built(what: str, issue: int) -> None:
    err_console.print(f"newsfeed: {what} is not built yet (issue #{issue}); nothing was done.")
    sys.exit(2)


@cli.command()
@pass_context
def reindex(ctx: Context) -> None:
    """Rebuild duplicates and stories from the stored articles."""
    _not_built("`reindex` (duplicates and story clustering)", 6)


@cli.command()
@pass_context
def worker(ctx: Context) -> None:
    """Run a Celery worker (PostgreSQL + broker)."""
    _not_built("`worker` (distributed workers)", 8)


@cli.command()
@pass_context
def scheduler(ctx: Context) -> None:
    """Enqueue due feeds for the workers."""
    _not_built("`scheduler` (distributed workers)", 8)


@cli.command("import-warc")
@click.argument("files", nargs=-1)
@pass_context
def import_warc(ctx: Context, files: tuple[str, ...]) -> None:
    """Import the HTML responses of WARC archives."""
    _not_built("`import-warc` (bulk archive import)", 8)


def _when(moment: datetime | None) -> str:
    return moment.astimezone().strftime("%Y-%m-%d %H:%M") if moment else "—"


def _aware(moment: datetime | None) -> datetime | None:
    return moment.replace(tzinfo=UTC) if moment and moment.tzinfo is None else moment


def main() -> None:
    try:
        cli(standalone_mode=True)
    except NewsfeedError as exc:
        err_console.print(f"newsfeed: error: {exc}", highlight=False, soft_wrap=True)
        sys.exit(1)
