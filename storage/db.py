"""One aiosqlite connection per process; writes serialised in BEGIN IMMEDIATE transactions."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterable, Sequence
from contextlib import asynccontextmanager
from contextvars import ContextVar
from pathlib import Path
from typing import Any

import aiosqlite
from loguru import logger

from storage.search import search_key

MIGRATIONS_DIR = Path(__file__).parent / "migrations"

Params = Sequence[Any] | dict[str, Any]

# The write transaction open in this task, if any. A repository asked for a transaction while
# one is open joins it (inside a savepoint) instead of waiting for the lock its own caller holds:
# so the whole handling of one update, every repository call in it included, is one commit.
_open_tx: ContextVar[Tx | None] = ContextVar("open_tx", default=None)
# The database whose write lock this task holds across transactions (Database.serial()).
_holder: ContextVar[Database | None] = ContextVar("holder", default=None)


class _Reads:
    _conn: aiosqlite.Connection

    async def fetchone(self, sql: str, params: Params = ()) -> aiosqlite.Row | None:
        async with self._conn.execute(sql, params) as cur:
            return await cur.fetchone()

    async def fetchall(self, sql: str, params: Params = ()) -> list[aiosqlite.Row]:
        async with self._conn.execute(sql, params) as cur:
            return list(await cur.fetchall())

    async def fetchval(self, sql: str, params: Params = ()) -> Any:
        row = await self.fetchone(sql, params)
        return None if row is None else row[0]


class Database(_Reads):
    """The process's single connection.

    aiosqlite runs every statement on one thread, so a second connection would buy nothing but
    lock contention; instead writers queue on an asyncio lock and each write runs inside
    BEGIN IMMEDIATE, so a transaction never interleaves with another task's statements.
    Reads take no lock: one that runs while another task's transaction is open sees its
    uncommitted rows, so every decision that matters (a status change, a use of an invitation)
    re-reads and changes conditionally inside its own transaction.
    """

    def __init__(self, conn: aiosqlite.Connection, path: Path) -> None:
        self._conn = conn
        self.path = path
        self._write_lock = asyncio.Lock()

    @classmethod
    async def open(cls, path: Path | str) -> Database:
        path = Path(path)
        if str(path) != ":memory:":
            path.parent.mkdir(parents=True, exist_ok=True)
        conn = await aiosqlite.connect(path, isolation_level=None)
        conn.row_factory = aiosqlite.Row
        for pragma in (
            "PRAGMA journal_mode=WAL",
            "PRAGMA foreign_keys=ON",
            "PRAGMA busy_timeout=5000",
            "PRAGMA synchronous=FULL",
        ):
            await conn.execute(pragma)
        # SQLite's lower() and LIKE fold ASCII only; name search must fold Cyrillic (and ё) too.
        await conn.create_function("search_key", 1, _search_key_sql, deterministic=True)
        return cls(conn, path)

    async def close(self) -> None:
        async with self._write_lock:
            await self._conn.close()

    @asynccontextmanager
    async def transaction(self, *, fsync: bool = True) -> AsyncIterator[Tx]:
        """BEGIN IMMEDIATE … COMMIT; inside an open one, a savepoint of it.

        A nested block that raises rolls back to its savepoint only, as its own transaction
        would have; the outer transaction decides whether anything is committed.
        `fsync=False`: the commit survives the process being killed (WAL in the OS's cache) but
        not a power cut; for bookkeeping cheaper than a disk flush per update.
        """
        outer = _open_tx.get()
        if outer is not None and outer.db is self:
            async with outer.savepoint():
                yield outer
            return
        async with self.serial():
            if not fsync:
                await self._conn.execute("PRAGMA synchronous=NORMAL")
            try:
                async with self._open() as tx:
                    yield tx
            finally:
                if not fsync:
                    await self._conn.execute("PRAGMA synchronous=FULL")

    @asynccontextmanager
    async def serial(self) -> AsyncIterator[None]:
        """Hold the write lock across several transactions of this task, so nothing of another
        task's commits between them."""
        if _holder.get() is self:
            yield
            return
        async with self._write_lock:
            token = _holder.set(self)
            try:
                yield
            finally:
                _holder.reset(token)

    @asynccontextmanager
    async def _open(self) -> AsyncIterator[Tx]:
        await self._conn.execute("BEGIN IMMEDIATE")
        tx = Tx(self._conn, self)
        token = _open_tx.set(tx)
        try:
            yield tx
        except BaseException:
            await self._conn.execute("ROLLBACK")
            raise
        finally:
            _open_tx.reset(token)
        await self._conn.execute("COMMIT")

    async def user_version(self) -> int:
        return int(await self.fetchval("PRAGMA user_version"))

    async def migrate(self, directory: Path = MIGRATIONS_DIR) -> list[int]:
        """Apply every numbered migration above `PRAGMA user_version`, each in one transaction."""
        applied: list[int] = []
        for number, path in _migrations(directory):
            async with self.transaction() as tx:
                # Read under the write lock: another process (the CLI beside the bot) may have
                # applied this migration since we looked.
                if number <= int(await tx.fetchval("PRAGMA user_version")):
                    continue
                await tx.script(path.read_text(encoding="utf-8"))
                # PRAGMA takes no parameters; number comes from our own file name.
                await tx.execute(f"PRAGMA user_version = {number:d}")
            logger.info("Applied migration {}", path.name)
            applied.append(number)
        return applied


class Tx(_Reads):
    """Statements inside one write transaction."""

    def __init__(self, conn: aiosqlite.Connection, db: Database) -> None:
        self._conn = conn
        self.db = db
        self._savepoints = 0

    @asynccontextmanager
    async def savepoint(self) -> AsyncIterator[None]:
        self._savepoints += 1
        name = f"sp{self._savepoints}"
        await self._conn.execute(f"SAVEPOINT {name}")
        try:
            yield
        except BaseException:
            await self._conn.execute(f"ROLLBACK TO {name}")
            await self._conn.execute(f"RELEASE {name}")
            raise
        await self._conn.execute(f"RELEASE {name}")

    async def execute(self, sql: str, params: Params = ()) -> aiosqlite.Cursor:
        return await self._conn.execute(sql, params)

    async def executemany(self, sql: str, rows: Iterable[Params]) -> None:
        await self._conn.executemany(sql, rows)

    async def script(self, sql: str) -> None:
        # executescript() would COMMIT our transaction; run statement by statement instead.
        for statement in _split_sql(sql):
            await self._conn.execute(statement)

    async def insert(self, sql: str, params: Params = ()) -> int:
        cur = await self._conn.execute(sql, params)
        return int(cur.lastrowid or 0)

    async def update(self, sql: str, params: Params = ()) -> int:
        """Run an UPDATE/DELETE and return how many rows it changed."""
        cur = await self._conn.execute(sql, params)
        return int(cur.rowcount)


def _search_key_sql(value: object) -> str | None:
    return None if value is None else search_key(str(value))


def _migrations(directory: Path) -> list[tuple[int, Path]]:
    found = []
    for path in sorted(directory.glob("*.sql")):
        prefix = path.name.split("_", 1)[0]
        if prefix.isdigit():
            found.append((int(prefix), path))
    return sorted(found)


def _split_sql(sql: str) -> list[str]:
    """Split a migration into statements; sqlite3.complete_statement handles triggers' inner `;`."""
    import sqlite3

    statements: list[str] = []
    buffer = ""
    for line in sql.splitlines(keepends=True):
        if not buffer and line.strip().startswith("--"):
            continue
        buffer += line
        if sqlite3.complete_statement(buffer):
            statements.append(buffer.strip())
            buffer = ""
    if buffer.strip():
        statements.append(buffer.strip())
    return statements
