"""Accounts, sessions and API tokens: the web layer's own tables in the same database.

Passwords are hashed with argon2; session ids and API tokens are long random strings stored
only as SHA-256 digests (they carry 192 bits of entropy, so a slow hash adds nothing).
The tables are created by the store's migrations (``0002_accounts``); these definitions
mirror them for queries.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, Protocol

import sqlalchemy as sa
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from newsfeed.errors import NewsfeedError, StorageError

metadata = sa.MetaData()

users = sa.Table(
    "web_users",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("name", sa.String(100), nullable=False, unique=True),
    sa.Column("password_hash", sa.String(200), nullable=False),
    sa.Column("is_admin", sa.Boolean, nullable=False, default=False),
    sa.Column("created", sa.DateTime(timezone=True), nullable=False),
)
sessions = sa.Table(
    "web_sessions",
    metadata,
    sa.Column("id_hash", sa.String(64), primary_key=True),
    sa.Column("user_id", sa.Integer, sa.ForeignKey("web_users.id", ondelete="CASCADE")),
    sa.Column("expires", sa.DateTime(timezone=True), nullable=False),
)
tokens = sa.Table(
    "web_tokens",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("user_id", sa.Integer, sa.ForeignKey("web_users.id", ondelete="CASCADE")),
    sa.Column("name", sa.String(100), nullable=False),
    sa.Column("token_hash", sa.String(64), nullable=False, unique=True),
    sa.Column("created", sa.DateTime(timezone=True), nullable=False),
)


class AccountError(NewsfeedError):
    """An account could not be created or used (bad name, weak password, taken name)."""


@dataclass(frozen=True, slots=True)
class User:
    id: int
    name: str
    is_admin: bool


@dataclass(frozen=True, slots=True)
class ApiToken:
    id: int
    name: str
    created: datetime


class AccountStore(Protocol):
    """Users, sessions and API tokens. Every method may raise ``StorageError``."""

    def count_users(self) -> int: ...
    def create_user(self, name: str, password: str, *, is_admin: bool = False) -> User:
        """Raises ``AccountError`` for a taken name or a password under 10 characters."""

    def check_password(self, name: str, password: str) -> User | None: ...
    def create_session(self, user_id: int, lifetime: timedelta) -> str:
        """A new session id (the secret the cookie carries)."""

    def user_for_session(self, session_id: str) -> User | None: ...
    def end_session(self, session_id: str) -> None: ...
    def create_token(self, user_id: int, name: str) -> str:
        """A new API token; only its digest is kept, so show it to the user once."""

    def user_for_token(self, token: str) -> User | None: ...
    def list_tokens(self, user_id: int) -> list[ApiToken]: ...
    def delete_token(self, user_id: int, token_id: int) -> None: ...


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def _now() -> datetime:
    return datetime.now(UTC)


def _aware(value: datetime) -> datetime:
    # SQLite hands back naive datetimes even for timezone=True columns.
    return value if value.tzinfo else value.replace(tzinfo=UTC)


class SqlAccountStore:
    """``AccountStore`` on any SQLAlchemy engine (SQLite or PostgreSQL)."""

    def __init__(self, engine: sa.Engine) -> None:
        self._engine = engine
        self._hasher = PasswordHasher()

    def _rows(self, statement: sa.Executable) -> list[sa.Row[Any]]:
        """Run ``statement`` in its own transaction; rows it returns, if any."""
        try:
            with self._engine.begin() as conn:
                result = conn.execute(statement)
                return list(result) if result.returns_rows else []
        except sa.exc.IntegrityError:
            raise
        except sa.exc.SQLAlchemyError as exc:
            raise StorageError(f"account storage failed: {exc}") from exc

    def count_users(self) -> int:
        return int(self._rows(sa.select(sa.func.count()).select_from(users))[0][0])

    def create_user(self, name: str, password: str, *, is_admin: bool = False) -> User:
        name = name.strip()
        if not name or len(name) > 100:
            raise AccountError("the user name must be 1 to 100 characters")
        if len(password) < 10:
            raise AccountError("the password must be at least 10 characters long")
        row = {
            "name": name,
            "password_hash": self._hasher.hash(password),
            "is_admin": is_admin,
            "created": _now(),
        }
        try:
            rows = self._rows(users.insert().values(row).returning(users.c.id))
        except sa.exc.IntegrityError as exc:
            raise AccountError(f"the user name {name!r} is taken") from exc
        return User(id=int(rows[0][0]), name=name, is_admin=is_admin)

    def check_password(self, name: str, password: str) -> User | None:
        row = next(iter(self._rows(sa.select(users).where(users.c.name == name.strip()))), None)
        if row is None:
            self._hasher.hash(password)  # same cost either way, so timing leaks no names
            return None
        try:
            self._hasher.verify(row.password_hash, password)
        except (VerificationError, InvalidHashError):
            return None
        return User(id=row.id, name=row.name, is_admin=row.is_admin)

    def create_session(self, user_id: int, lifetime: timedelta) -> str:
        session_id = secrets.token_urlsafe(24)
        row = {"id_hash": _digest(session_id), "user_id": user_id, "expires": _now() + lifetime}
        self._rows(sessions.insert().values(row))
        return session_id

    def user_for_session(self, session_id: str) -> User | None:
        query = (
            sa.select(users, sessions.c.expires)
            .join(sessions, sessions.c.user_id == users.c.id)
            .where(sessions.c.id_hash == _digest(session_id))
        )
        row = next(iter(self._rows(query)), None)
        if row is None or _aware(row.expires) < _now():
            return None
        return User(id=row.id, name=row.name, is_admin=row.is_admin)

    def end_session(self, session_id: str) -> None:
        self._rows(sessions.delete().where(sessions.c.id_hash == _digest(session_id)))

    def create_token(self, user_id: int, name: str) -> str:
        name = name.strip() or "API token"
        token = "nf_" + secrets.token_urlsafe(32)
        row = {
            "user_id": user_id,
            "name": name[:100],
            "token_hash": _digest(token),
            "created": _now(),
        }
        self._rows(tokens.insert().values(row))
        return token

    def user_for_token(self, token: str) -> User | None:
        query = (
            sa.select(users)
            .join(tokens, tokens.c.user_id == users.c.id)
            .where(tokens.c.token_hash == _digest(token))
        )
        row = next(iter(self._rows(query)), None)
        return None if row is None else User(id=row.id, name=row.name, is_admin=row.is_admin)

    def list_tokens(self, user_id: int) -> list[ApiToken]:
        query = sa.select(tokens).where(tokens.c.user_id == user_id).order_by(tokens.c.id)
        return [
            ApiToken(id=r.id, name=r.name, created=_aware(r.created)) for r in self._rows(query)
        ]

    def delete_token(self, user_id: int, token_id: int) -> None:
        self._rows(
            tokens.delete().where(tokens.c.user_id == user_id).where(tokens.c.id == token_id)
        )


def open_accounts(url: str) -> SqlAccountStore:
    """Accounts in the database at ``url`` (the same URL the store was opened with)."""
    try:
        engine = sa.create_engine(url, pool_pre_ping=True)
    except (sa.exc.ArgumentError, ImportError) as exc:
        raise StorageError(f"cannot open the account tables at {url!r}: {exc}") from exc
    if engine.dialect.name == "sqlite":
        # Wait for the store's writer instead of failing with "database is locked".
        sa.event.listen(engine, "connect", _sqlite_busy_timeout)
    return SqlAccountStore(engine)


def _sqlite_busy_timeout(dbapi_connection: Any, _record: Any) -> None:
    dbapi_connection.execute("PRAGMA busy_timeout = 10000")
