"""Users as the bot knows them: VK name, language and what their client can show."""

from __future__ import annotations

import aiosqlite

from storage.db import Database
from storage.models import User


def _user(row: aiosqlite.Row) -> User:
    return User(
        vk_id=row["vk_id"],
        first_name=row["first_name"],
        last_name=row["last_name"],
        locale=row["locale"],
        callbacks=bool(row["callbacks"]),
        inline_keyboard=bool(row["inline_keyboard"]),
        messages_allowed=bool(row["messages_allowed"]),
    )


class UsersRepo:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def get(self, vk_id: int) -> User | None:
        row = await self._db.fetchone("SELECT * FROM users WHERE vk_id = ?", (vk_id,))
        return None if row is None else _user(row)

    async def upsert_client(
        self,
        vk_id: int,
        *,
        locale: str | None,
        callbacks: bool | None,
        inline_keyboard: bool | None,
        now: int,
    ) -> User:
        """Record who wrote and what their client supports; a user who writes allows messages."""
        async with self._db.transaction() as tx:
            await tx.execute(
                """
                INSERT INTO users (vk_id, locale, callbacks, inline_keyboard, messages_allowed,
                                   created_at, updated_at)
                VALUES (:id, COALESCE(:locale, 'ru'), COALESCE(:cb, 1), COALESCE(:il, 1), 1,
                        :now, :now)
                ON CONFLICT (vk_id) DO UPDATE SET
                    locale = COALESCE(:locale, locale),
                    callbacks = COALESCE(:cb, callbacks),
                    inline_keyboard = COALESCE(:il, inline_keyboard),
                    messages_allowed = 1,
                    updated_at = :now
                """,
                {"id": vk_id, "locale": locale, "cb": callbacks, "il": inline_keyboard, "now": now},
            )
            row = await tx.fetchone("SELECT * FROM users WHERE vk_id = ?", (vk_id,))
        assert row is not None
        return _user(row)

    async def ensure(self, vk_id: int, *, locale: str, now: int) -> User:
        async with self._db.transaction() as tx:
            await tx.execute(
                "INSERT OR IGNORE INTO users (vk_id, locale, created_at, updated_at)"
                " VALUES (?, ?, ?, ?)",
                (vk_id, locale, now, now),
            )
            row = await tx.fetchone("SELECT * FROM users WHERE vk_id = ?", (vk_id,))
        assert row is not None
        return _user(row)

    async def set_names(self, vk_id: int, first_name: str, last_name: str, now: int) -> None:
        async with self._db.transaction() as tx:
            await tx.execute(
                "UPDATE users SET first_name = ?, last_name = ?, updated_at = ? WHERE vk_id = ?",
                (first_name, last_name, now, vk_id),
            )

    async def learn_names(
        self, names: dict[int, tuple[str, str]], *, locale: str, now: int
    ) -> None:
        """VK names asked along with a delivery: kept only where the bot knows none yet."""
        async with self._db.transaction() as tx:
            for vk_id, (first, last) in names.items():
                await tx.execute(
                    "INSERT OR IGNORE INTO users (vk_id, locale, created_at, updated_at)"
                    " VALUES (?, ?, ?, ?)",
                    (vk_id, locale, now, now),
                )
                await tx.execute(
                    "UPDATE users SET first_name = ?, last_name = ?, updated_at = ?"
                    " WHERE vk_id = ? AND first_name = '' AND last_name = ''",
                    (first, last, now, vk_id),
                )

    async def set_messages_allowed(self, vk_id: int, allowed: bool, now: int) -> None:
        async with self._db.transaction() as tx:
            await tx.execute(
                "UPDATE users SET messages_allowed = ?, updated_at = ? WHERE vk_id = ?",
                (int(allowed), now, vk_id),
            )

    async def set_locale(self, vk_id: int, locale: str, now: int) -> None:
        async with self._db.transaction() as tx:
            await tx.execute(
                "UPDATE users SET locale = ?, updated_at = ? WHERE vk_id = ?", (locale, now, vk_id)
            )
