"""SQLite's full-text index: FTS5 in a file of its own beside the database, filled behind
the writes by a second thread.

Why a file of its own: SQLite lets one writer at a time into a file, and indexing a story's
words costs about as much as storing the story. With the index in ``<database>-search``,
one thread stores while another indexes, and a bulk insert uses two cores.

How it stays right:

* Every insert, delete, or new title or text of an article appends the article's id to
  ``search_queue`` in the database, by trigger, inside the writer's own transaction.
* A round reads, in one snapshot of the database, the queue beyond the index's watermark and
  those articles' current title and text; then, in one transaction of the search file, it
  copies them into ``docs`` (the FTS5 table follows by trigger), drops the articles that are
  gone, and moves the watermark. Copying the *current* text is idempotent and any later change
  has a later queue entry, so a crash anywhere only means some work is done again, and two
  processes indexing at once end in the same place.
* ``catch_up`` runs before every search, so what was stored is found at once.
* A search file that is missing, from another database (token) or ahead of the database
  (a database restored from a backup) is rebuilt from the articles.

Searches run on ``reader``: connections to the database with the search file attached as
``search``; table names resolve across both, so the queries name ``articles_fts`` and
``articles`` plainly.
"""

from __future__ import annotations

import logging
import sqlite3
import tempfile
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import event
from sqlalchemy.engine import URL, Connection, Engine

from newsfeed.errors import NewsfeedError, StorageError
from newsfeed.store import _engine

log = logging.getLogger(__name__)

SUFFIX = "-search"
_BATCH = 2000  # queue entries per round
_CHUNK = 500  # ids per IN (...) list
_TOKEN, _APPLIED = "token", "applied"

_SCHEMA = (
    "CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
    "CREATE TABLE IF NOT EXISTS docs ("
    "id INTEGER PRIMARY KEY, title TEXT NOT NULL, text TEXT NOT NULL)",
    "CREATE VIRTUAL TABLE IF NOT EXISTS articles_fts USING fts5("
    "title, text, content='docs', content_rowid='id', "
    "tokenize='unicode61 remove_diacritics 2')",
    "CREATE TRIGGER IF NOT EXISTS docs_ai AFTER INSERT ON docs BEGIN "
    "INSERT INTO articles_fts(rowid, title, text) VALUES (new.id, new.title, new.text); END",
    "CREATE TRIGGER IF NOT EXISTS docs_ad AFTER DELETE ON docs BEGIN "
    "INSERT INTO articles_fts(articles_fts, rowid, title, text) "
    "VALUES ('delete', old.id, old.title, old.text); END",
    "CREATE TRIGGER IF NOT EXISTS docs_au AFTER UPDATE ON docs BEGIN "
    "INSERT INTO articles_fts(articles_fts, rowid, title, text) "
    "VALUES ('delete', old.id, old.title, old.text); "
    "INSERT INTO articles_fts(rowid, title, text) VALUES (new.id, new.title, new.text); END",
)
_UPSERT = (
    "INSERT INTO docs(id, title, text) VALUES (?, ?, ?) ON CONFLICT(id) DO UPDATE SET "
    "title = excluded.title, text = excluded.text "
    "WHERE title IS NOT excluded.title OR text IS NOT excluded.text"
)


@dataclass(frozen=True, slots=True)
class _Snapshot:
    """What a round read from the database."""

    token: str
    upto: int  # the newest queue entry this round covers
    rows: list[tuple[int, str, str]] = field(default_factory=list)
    gone: list[int] = field(default_factory=list)
    more: bool = False


class SearchIndex:
    """The search file of one SQLite database, and the thread that keeps it filled."""

    def __init__(self, engine: Engine, url: URL, *, background: bool = True) -> None:
        self._engine = engine
        path = _engine.sqlite_path(url)
        self._tmp = None if path else tempfile.TemporaryDirectory(prefix="newsfeed-search-")
        self.path = f"{path}{SUFFIX}" if path else str(Path(self._tmp.name) / "search.db")  # type: ignore[union-attr]
        self._db = _connect(self.path)
        self._lock = threading.Lock()
        self._wake = threading.Event()
        self._stopping = False
        self.applied = 0
        # An in-memory database has one connection, which the search must share.
        self.reader = _reader(url, self.path) if path else _attach(engine, self.path)
        self._thread: threading.Thread | None = None
        if background and path:
            self._thread = threading.Thread(target=self._loop, name="search-index", daemon=True)
            self._thread.start()
        self.catch_up()

    def notify(self) -> None:
        """Articles were stored: index them soon (now, without a thread of its own)."""
        if self._thread is not None and self._thread.is_alive():
            self._wake.set()
        else:
            self.catch_up()

    def catch_up(self) -> None:
        """Index every article the database has committed so far."""
        with self._lock, _engine.wrapped("update the search index"):
            while self._round():
                pass

    def close(self) -> None:
        self._stopping = True
        self._wake.set()
        if self._thread is not None:
            self._thread.join()
        try:
            self.catch_up()
        finally:
            self._db.close()
            if self.reader is not self._engine:
                self.reader.dispose()
            if self._tmp is not None:
                self._tmp.cleanup()

    def _loop(self) -> None:
        while not self._stopping:
            self._wake.wait()
            self._wake.clear()
            try:
                self.catch_up()
            except NewsfeedError as error:  # the next search tries again, and says why
                log.warning("%s", error)

    # --- one round ---------------------------------------------------------------------

    def _round(self) -> bool:
        token, applied = self._meta()
        snapshot = _engine.run(self._engine, "read the articles to index", _reader_of(applied))
        if snapshot.token != token or snapshot.upto < applied:
            self._rebuild()
            return True  # for what was stored while it ran
        if snapshot.upto > applied:
            self._apply(snapshot)
        self.applied = snapshot.upto
        return snapshot.more

    def _meta(self) -> tuple[str, int]:
        values = dict(self._db.execute("SELECT key, value FROM meta").fetchall())
        return values.get(_TOKEN, ""), int(values.get(_APPLIED, 0))

    def _apply(self, snapshot: _Snapshot) -> None:
        with _transaction(self._db):
            # Another process may have moved the watermark past this snapshot meanwhile.
            if self._meta()[1] >= snapshot.upto:
                return
            self._db.executemany(_UPSERT, snapshot.rows)
            for part in _chunks(snapshot.gone):
                marks = ",".join("?" * len(part))
                self._db.execute(f"DELETE FROM docs WHERE id IN ({marks})", part)
            _set(self._db, _APPLIED, str(snapshot.upto))

    def _rebuild(self) -> None:
        """Index every article afresh, from one snapshot of the database."""
        log.info("building the search index %s", self.path)
        with _transaction(self._db):
            self._db.execute("DROP TABLE IF EXISTS articles_fts")
            self._db.execute("DROP TABLE IF EXISTS docs")
            self._db.execute("DELETE FROM meta")
            _create(self._db)

        def copy(conn: Connection) -> _Snapshot:
            token, upto = _position(conn)
            last = 0
            while True:
                rows = _texts(conn, "id > ? ORDER BY id LIMIT ?", (last, _BATCH))
                if not rows:
                    return _Snapshot(token, upto)
                with _transaction(self._db):
                    self._db.executemany(_UPSERT, rows)
                last = rows[-1][0]

        snapshot = _engine.run(self._engine, "read the articles to index", copy)
        with _transaction(self._db):
            _set(self._db, _TOKEN, snapshot.token)
            _set(self._db, _APPLIED, str(snapshot.upto))
        self.applied = snapshot.upto


def prune(conn: Connection, applied: int) -> None:
    """Drop the queue entries the search file holds already (in a writer's transaction)."""
    if applied:
        conn.exec_driver_sql("DELETE FROM search_queue WHERE seq <= ?", (applied,))


def _reader_of(applied: int) -> Callable[[Connection], _Snapshot]:
    def read(conn: Connection) -> _Snapshot:
        token, newest = _position(conn)
        if newest < applied:
            return _Snapshot(token, newest)
        entries = conn.exec_driver_sql(
            "SELECT seq, article_id FROM search_queue WHERE seq > ? ORDER BY seq LIMIT ?",
            (applied, _BATCH),
        ).all()
        if not entries:
            return _Snapshot(token, applied)
        ids = sorted({article_id for _, article_id in entries})
        rows = [row for part in _chunks(ids) for row in _texts(conn, _in(part), tuple(part))]
        found = {row[0] for row in rows}
        return _Snapshot(
            token,
            entries[-1][0],
            rows,
            [i for i in ids if i not in found],
            more=len(entries) == _BATCH,
        )

    return read


def _position(conn: Connection) -> tuple[str, int]:
    """The database's token and its newest queue entry (ever, even if pruned)."""
    token = conn.exec_driver_sql("SELECT token FROM search_index").scalar() or ""
    newest = conn.exec_driver_sql(
        "SELECT seq FROM sqlite_sequence WHERE name = 'search_queue'"
    ).scalar()
    return str(token), int(newest or 0)


def _in(ids: Sequence[int]) -> str:
    return f"id IN ({','.join('?' * len(ids))})"


def _texts(conn: Connection, where: str, params: tuple[int, ...]) -> list[tuple[int, str, str]]:
    query = f"SELECT id, title, text FROM articles WHERE {where}"
    return [(row[0], row[1], row[2]) for row in conn.exec_driver_sql(query, params)]


def _chunks(values: Sequence[int]) -> list[Sequence[int]]:
    return [values[i : i + _CHUNK] for i in range(0, len(values), _CHUNK)]


def _set(db: sqlite3.Connection, key: str, value: str) -> None:
    db.execute(
        "INSERT INTO meta(key, value) VALUES (?, ?) "
        "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
        (key, value),
    )


class _transaction:
    """BEGIN IMMEDIATE … COMMIT on the search file, ROLLBACK on any error."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self._db = db

    def __enter__(self) -> None:
        self._db.execute("BEGIN IMMEDIATE")

    def __exit__(self, kind: object, *_: object) -> None:
        self._db.execute("COMMIT" if kind is None else "ROLLBACK")


def _connect(path: str) -> sqlite3.Connection:
    try:
        db = sqlite3.connect(
            path,
            timeout=_engine.BUSY_TIMEOUT_MS / 1000,
            isolation_level=None,
            check_same_thread=False,
        )
        for pragma in ("journal_mode=WAL", "synchronous=NORMAL", "cache_size=-65536"):
            db.execute(f"PRAGMA {pragma}")
        with _transaction(db):
            _create(db)
    except sqlite3.Error as error:
        raise StorageError(f"could not open the search index {path}: {error}") from None
    return db


def _create(db: sqlite3.Connection) -> None:
    for statement in _SCHEMA:
        db.execute(statement)
    # Merge segments eight at a time rather than four: about a tenth less work per insert,
    # for a few more segments to read per query.
    db.execute("INSERT INTO articles_fts(articles_fts, rank) VALUES ('automerge', 8)")


def _reader(url: URL, path: str) -> Engine:
    engine = _engine.create_engine(url)

    @event.listens_for(engine, "connect")
    def _attach_search(dbapi_conn: sqlite3.Connection, _record: object) -> None:
        dbapi_conn.execute("ATTACH DATABASE ? AS search", (path,))

    return engine


def _attach(engine: Engine, path: str) -> Engine:
    raw = engine.raw_connection()
    try:
        raw.driver_connection.execute("ATTACH DATABASE ? AS search", (path,))  # type: ignore[union-attr]
    finally:
        raw.close()
    return engine
