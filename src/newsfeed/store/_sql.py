"""``SqlStorage``: the Storage Protocol on SQLAlchemy Core, for SQLite and PostgreSQL.

Each method is one transaction run through ``_engine.run``, which retries while the
database is busy and turns driver errors into ``StorageError``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, datetime
from typing import Any, TypeVar

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from newsfeed.errors import NotFoundError
from newsfeed.store import _enrich, _indexing, _search, _sources, _stories, _upsert
from newsfeed.store._base import (
    ArticleFilter,
    AuthorSummary,
    EntityAnalysis,
    EntityRef,
    EntitySummary,
    NewArticle,
    StoryChanges,
    UpsertResult,
    VectorRow,
)
from newsfeed.store._codec import (
    BODY_COLUMNS,
    brief_record_from_row,
    diff_from_json,
    notes_from_json,
    record_from_row,
)
from newsfeed.store._engine import run, writer
from newsfeed.store._query import (
    conditions,
    list_cursor,
    read_list_cursor,
    read_search_cursor,
    search_cursor,
)
from newsfeed.store._schema import article_authors, articles, revisions
from newsfeed.types import ArticleRecord, Page, Revision, SearchHit, Source, SourceKind, Story

T = TypeVar("T")
_MAX_LIMIT = 500
_FULL = tuple(articles.c)
_BRIEF = (
    *(c for c in articles.c if c.name not in BODY_COLUMNS),
    # The text only where a card's reading time falls back to counting its words.
    sa.case((articles.c.word_count == 0, articles.c.text), else_=sa.literal("")).label("text"),
)


def _check_limit(limit: int) -> int:
    if not 1 <= limit <= _MAX_LIMIT:
        raise ValueError(f"limit must be between 1 and {_MAX_LIMIT}, not {limit}")
    return limit


class SqlStorage:
    """A newsfeed database on SQLite or PostgreSQL. Open it with ``open_store``."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        self._writer = writer(engine)
        self._closed = False

    @property
    def engine(self) -> Engine:
        """The SQLAlchemy engine, for parts that keep their own tables in the same database
        (web accounts)."""
        return self._engine

    @property
    def dialect(self) -> str:
        return self._engine.dialect.name

    def _read(self, what: str, work: Callable[[Connection], T]) -> T:
        return run(self._engine, what, work)

    def _write(self, what: str, work: Callable[[Connection], T], *, upsert: bool = False) -> T:
        return run(self._writer, what, work, upsert=upsert)

    def close(self) -> None:
        if not self._closed:
            self._closed = True
            self._engine.dispose()

    def __enter__(self) -> SqlStorage:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    # --- sources ---------------------------------------------------------------------

    def add_source(
        self,
        url: str,
        title: str,
        *,
        kind: SourceKind = "rss",
        site_url: str | None = None,
        category: str | None = None,
    ) -> Source:
        return self._write(
            "add the source",
            lambda c: _sources.add(c, url, title, kind, site_url, category),
            upsert=True,
        )

    def get_source(self, source_id: int) -> Source:
        return self._read("read the source", lambda c: _sources.by_id(c, source_id))

    def get_source_by_url(self, url: str) -> Source | None:
        return self._read("read the source", lambda c: _sources.by_url(c, url))

    def list_sources(self) -> list[Source]:
        return self._read("list the sources", _sources.every)

    def update_source(self, source: Source) -> None:
        self._write("save the source", lambda c: _sources.save(c, source))

    def remove_source(self, source_id: int) -> None:
        self._write("remove the source", lambda c: _sources.remove(c, source_id))

    # --- articles --------------------------------------------------------------------

    def upsert_articles(
        self, items: Sequence[NewArticle], *, defer_search: bool = False
    ) -> list[UpsertResult]:
        if not items:
            return []

        def work(conn: Connection) -> list[UpsertResult]:
            results = _upsert.upsert(conn, items)
            if not defer_search and _indexing.applies(conn):
                _indexing.index(conn, [r.article_id for r in results if r.created or r.changed])
            return results

        return self._write("store the articles", work, upsert=True)

    def update_search(self, *, batch: int = 2000) -> int:
        if self.dialect != "sqlite":
            return 0
        done = 0
        while count := self._write(
            "index articles for search", lambda c: _indexing.index_queued(c, batch)
        ):
            done += count
        return done

    def search_backlog(self) -> int:
        return self._read("count the articles waiting for search", _indexing.backlog)

    def get_article(self, article_id: int) -> ArticleRecord:
        def work(conn: Connection) -> ArticleRecord:
            query = sa.select(articles).where(articles.c.id == article_id)
            row = conn.execute(query).mappings().first()
            if row is None:
                raise NotFoundError(f"no article with id {article_id}")
            return record_from_row(row)

        return self._read("read the article", work)

    def get_article_by_url(self, url: str) -> ArticleRecord | None:
        def work(conn: Connection) -> ArticleRecord | None:
            for column in (articles.c.url_key, articles.c.url):
                query = sa.select(articles).where(column == url).order_by(articles.c.id).limit(1)
                row = conn.execute(query).mappings().first()
                if row is not None:
                    return record_from_row(row)
            return None

        return self._read("read the article", work)

    def stored_urls(self, urls: Sequence[str]) -> set[str]:
        def work(conn: Connection) -> set[str]:
            found: set[str] = set()
            wanted = list(dict.fromkeys(urls))
            for start in range(0, len(wanted), 500):
                part = wanted[start : start + 500]
                for column in (articles.c.url_key, articles.c.url):
                    found.update(conn.execute(sa.select(column).where(column.in_(part))).scalars())
            return found

        return self._read("look up stored URLs", work)

    def list_articles(
        self,
        filter: ArticleFilter = ArticleFilter(),  # noqa: B008
        *,
        cursor: str | None = None,
        limit: int = 20,
        body: bool = True,
    ) -> Page[ArticleRecord]:
        _check_limit(limit)
        where = conditions(filter)
        if cursor is not None:
            when, last_id = read_list_cursor(cursor)
            where.append(sa.tuple_(articles.c.sort_time, articles.c.id) < (when, last_id))
        query = (
            sa.select(*(_FULL if body else _BRIEF))
            .where(*where)
            .order_by(articles.c.sort_time.desc(), articles.c.id.desc())
            .limit(limit + 1)
        )
        decode = record_from_row if body else brief_record_from_row

        def work(conn: Connection) -> Page[ArticleRecord]:
            rows = conn.execute(query).mappings().all()
            records = tuple(decode(r) for r in rows[:limit])
            next_cursor = None
            if len(rows) > limit:
                last = rows[limit - 1]
                next_cursor = list_cursor(last["sort_time"], last["id"])
            return Page(records, next_cursor)

        return self._read("list the articles", work)

    def count_articles(self, filter: ArticleFilter = ArticleFilter()) -> int:  # noqa: B008
        query = sa.select(sa.func.count()).select_from(articles).where(*conditions(filter))
        return self._read("count the articles", lambda c: int(c.execute(query).scalar_one()))

    def search(
        self,
        query: str,
        filter: ArticleFilter = ArticleFilter(),  # noqa: B008
        *,
        cursor: str | None = None,
        limit: int = 20,
    ) -> Page[SearchHit]:
        _check_limit(limit)
        offset = read_search_cursor(cursor, query, filter) if cursor else 0
        words = _search.terms(query)
        if not words:
            return Page()

        def work(conn: Connection) -> Page[SearchHit]:
            plan = _search.plan(conn, words)
            ranked = _search.ranked_ids(conn, plan, conditions(filter), offset, limit + 1)
            page = ranked[:limit]
            ids = [article_id for article_id, _ in page]
            found = sa.select(articles).where(articles.c.id.in_(ids))
            records = {r["id"]: record_from_row(r) for r in conn.execute(found).mappings()}
            marked = _search.snippets(conn, plan, ids)
            hits = tuple(SearchHit(records[i], rank, marked.get(i, "")) for i, rank in page)
            more = len(ranked) > limit
            return Page(hits, search_cursor(query, filter, offset + limit) if more else None)

        return self._read("search the articles", work)

    def _set_flag(self, article_id: int, **values: bool) -> None:
        def work(conn: Connection) -> None:
            done = conn.execute(
                articles.update().where(articles.c.id == article_id).values(**values)
            )
            if done.rowcount == 0:
                raise NotFoundError(f"no article with id {article_id}")

        self._write("mark the article", work)

    def set_read(self, article_id: int, read: bool) -> None:
        self._set_flag(article_id, read=read)

    def set_saved(self, article_id: int, saved: bool) -> None:
        self._set_flag(article_id, saved=saved)

    def get_revisions(self, article_id: int) -> list[Revision]:
        def work(conn: Connection) -> list[Revision]:
            current = conn.execute(
                sa.select(articles.c.text).where(articles.c.id == article_id)
            ).first()
            if current is None:
                raise NotFoundError(f"no article with id {article_id}")
            query = (
                sa.select(revisions)
                .where(revisions.c.article_id == article_id)
                .order_by(revisions.c.number)
            )
            found: list[Revision] = []
            for row in conn.execute(query).mappings():
                notes = notes_from_json(row["editor_notes"])
                before = set(found[-1].editor_notes) if found else set()
                found.append(
                    Revision(
                        article_id=row["article_id"],
                        number=row["number"],
                        fetched_at=row["fetched_at"],
                        title=row["title"],
                        text=current.text if row["text"] is None else row["text"],
                        editor_notes=notes,
                        diff=diff_from_json(row["diff"]),
                        added_notes=tuple(n for n in notes if found and n not in before),
                    )
                )
            return found

        return self._read("read the revisions", work)

    def list_authors(self, *, limit: int = 100) -> list[AuthorSummary]:
        _check_limit(limit)
        a = article_authors.c
        count = sa.func.count(sa.distinct(a.article_id)).label("article_count")
        query = (
            sa.select(
                a.name,
                sa.func.max(a.role).label("role"),
                sa.func.max(a.bio).label("bio"),
                sa.func.max(a.avatar_url).label("avatar_url"),
                count,
            )
            .group_by(a.name)
            .order_by(count.desc(), a.name)
            .limit(limit)
        )

        def work(conn: Connection) -> list[AuthorSummary]:
            return [
                AuthorSummary(r.name, r.role, r.bio, r.avatar_url, r.article_count)
                for r in conn.execute(query)
            ]

        return self._read("list the authors", work)

    # --- the update pipeline ---------------------------------------------------------

    def known_guids(self, source_id: int, guids: Sequence[str]) -> set[str]:
        def work(conn: Connection) -> set[str]:
            found: set[str] = set()
            wanted = list(dict.fromkeys(guids))
            for start in range(0, len(wanted), 500):
                query = sa.select(articles.c.guid).where(
                    articles.c.source_id == source_id,
                    articles.c.guid.in_(wanted[start : start + 500]),
                )
                found.update(conn.execute(query).scalars())
            return found

        return self._read("look up known entries", work)

    def recheck_candidates(self, born_after: datetime) -> list[ArticleRecord]:
        def work(conn: Connection) -> list[ArticleRecord]:
            query = (
                sa.select(articles)
                .where(articles.c.sort_time >= born_after)
                .order_by(articles.c.sort_time.desc(), articles.c.id.desc())
            )
            return [record_from_row(row) for row in conn.execute(query).mappings()]

        return self._read("list stories to re-check", work)

    def mark_checked(self, article_id: int, when: datetime) -> None:
        def work(conn: Connection) -> None:
            update = sa.update(articles).where(articles.c.id == article_id)
            conn.execute(update.values(last_checked=when))

        self._write("mark the story checked", work)

    # --- enrichment (the work is in ``_enrich``) -------------------------------------

    def save_analysis(
        self, article_id: int, analysis: Mapping[str, Any], entities: Sequence[EntityRef]
    ) -> None:
        self._write("save the analysis", lambda c: _enrich.save(c, article_id, analysis, entities))

    def save_analyses(
        self, items: Sequence[tuple[int, Mapping[str, Any], Sequence[EntityRef]]]
    ) -> None:
        self._write("save the analyses", lambda c: _enrich.save_many(c, items))

    def get_analysis(self, article_id: int) -> dict[str, Any] | None:
        return self._read("read the analysis", lambda c: _enrich.load(c, article_id))

    def get_analyses(self, article_ids: Sequence[int]) -> dict[int, dict[str, Any]]:
        return self._read("read the analyses", lambda c: _enrich.load_many(c, article_ids))

    def get_entity(self, key: str) -> EntitySummary:
        return self._read("read the entity", lambda c: _enrich.summary(c, key))

    def list_entities(self, kind: str | None = None, *, limit: int = 100) -> list[EntitySummary]:
        _check_limit(limit)
        return self._read("list the entities", lambda c: _enrich.every(c, kind, limit))

    def entity_analyses(self, key: str, *, limit: int = 50) -> list[EntityAnalysis]:
        _check_limit(limit)
        return self._read(
            "read the entity's stories", lambda c: _enrich.analyses_naming(c, key, limit)
        )

    # --- stories and near-duplicates -------------------------------------------------

    def apply_story_changes(self, changes: StoryChanges) -> None:
        self._write("store the stories", lambda c: _stories.apply(c, changes))

    def get_story(self, story_id: int) -> Story:
        return self._read("read the story", lambda c: _stories.get(c, story_id))

    def get_stories(self, story_ids: Sequence[int]) -> dict[int, Story]:
        return self._read("read the stories", lambda c: _stories.many(c, story_ids))

    def list_stories(
        self, *, cursor: str | None = None, limit: int = 20, min_articles: int = 1
    ) -> Page[Story]:
        _check_limit(limit)
        return self._read(
            "list the stories", lambda c: _stories.page(c, cursor, limit, min_articles)
        )

    def add_duplicates(self, article_id: int, duplicate_of: Sequence[int]) -> None:
        self._write(
            "link duplicates", lambda c: _stories.add_duplicates(c, article_id, duplicate_of)
        )

    def get_duplicates(self, article_id: int) -> list[int]:
        return self._read("read duplicates", lambda c: _stories.duplicates(c, article_id))

    def save_vectors(self, rows: Sequence[VectorRow]) -> None:
        if rows:
            self._write("store vectors", lambda c: _stories.save_vectors(c, rows))

    def list_vectors(
        self, *, since: datetime | None = None, after_id: int = 0, limit: int = 1000
    ) -> list[VectorRow]:
        return self._read("read vectors", lambda c: _stories.vectors(c, since, after_id, limit))

    def save_state(self, name: str, value: bytes) -> None:
        now = datetime.now(UTC)
        self._write("save state", lambda c: _stories.save_state(c, name, value, now))

    def load_state(self, name: str) -> bytes | None:
        return self._read("read state", lambda c: _stories.load_state(c, name))

    def reset_stories(self) -> None:
        self._write("reset the stories", _stories.reset)

    def articles_in_order(
        self, *, after: tuple[datetime, int] | None = None, limit: int = 500
    ) -> list[ArticleRecord]:
        def work(conn: Connection) -> list[ArticleRecord]:
            query = sa.select(articles)
            if after is not None:
                when, article_id = after
                query = query.where(
                    sa.or_(
                        articles.c.sort_time > when,
                        sa.and_(articles.c.sort_time == when, articles.c.id > article_id),
                    )
                )
            query = query.order_by(articles.c.sort_time, articles.c.id).limit(limit)
            return [record_from_row(row) for row in conn.execute(query).mappings()]

        return self._read("read the articles", work)
