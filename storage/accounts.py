"""Accounts of messengers other than VK: (messenger, their id) <-> the user id of every table,
and the ids of the messages the bot sent there."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import aiosqlite

from storage.db import Database

# A VK person's user id is their VK id; other messengers' accounts start here, so no id is
# ever both (VK user ids are about 10^9 today) and every id stays exact in JavaScript (2^53).
FIRST_ACCOUNT_ID = 10**15


@dataclass(frozen=True, slots=True)
class Account:
    id: int
    messenger: str
    external_id: str
    first_name: str
    last_name: str


class AccountsRepo:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def resolve(
        self,
        messenger: str,
        external_id: str,
        first_name: str | None,
        last_name: str | None,
        now: int,
    ) -> Account:
        """The account, made on first sight with the next free id; the name kept as the
        messenger last gave it (None: as it is, e.g. a superadmin named in the settings)."""
        keep = first_name is None
        async with self._db.transaction() as tx:
            await tx.execute(
                "INSERT INTO accounts (id, messenger, external_id, first_name, last_name,"
                " created_at) SELECT MAX(COALESCE(MAX(id), 0) + 1, ?), ?, ?, ?, ?, ?"
                " FROM accounts WHERE true"
                " ON CONFLICT (messenger, external_id) DO UPDATE SET"
                " first_name = CASE WHEN ? THEN first_name ELSE excluded.first_name END,"
                " last_name = CASE WHEN ? THEN last_name ELSE excluded.last_name END",
                (
                    FIRST_ACCOUNT_ID,
                    messenger,
                    external_id,
                    first_name or "",
                    last_name or "",
                    now,
                    keep,
                    keep,
                ),
            )
            row = await tx.fetchone(
                "SELECT * FROM accounts WHERE messenger = ? AND external_id = ?",
                (messenger, external_id),
            )
        assert row is not None
        return _account(row)

    async def get(self, user_id: int) -> Account | None:
        row = await self._db.fetchone("SELECT * FROM accounts WHERE id = ?", (user_id,))
        return None if row is None else _account(row)

    async def find(self, messenger: str, external_id: str) -> Account | None:
        row = await self._db.fetchone(
            "SELECT * FROM accounts WHERE messenger = ? AND external_id = ?",
            (messenger, external_id),
        )
        return None if row is None else _account(row)

    async def identities(self, user_ids: Iterable[int]) -> dict[int, tuple[str, str]]:
        """(messenger, the messenger's id) of each user id; a VK person's is their VK id."""
        found = {u: ("vk", str(u)) for u in user_ids if u < FIRST_ACCOUNT_ID}
        others = sorted(set(user_ids) - found.keys())
        if others:
            rows = await self._db.fetchall(
                "SELECT id, messenger, external_id FROM accounts WHERE id IN"
                f" ({', '.join('?' for _ in others)})",
                others,
            )
            found |= {int(r["id"]): (str(r["messenger"]), str(r["external_id"])) for r in rows}
        return found

    async def remember_message(self, user_id: int, cmid: int, native_id: str, now: int) -> None:
        async with self._db.transaction() as tx:
            await tx.execute(
                "INSERT OR REPLACE INTO sent_messages (user_id, cmid, native_id, sent_at)"
                " VALUES (?, ?, ?, ?)",
                (user_id, cmid, native_id, now),
            )

    async def native_message(self, user_id: int, cmid: int) -> str | None:
        value = await self._db.fetchval(
            "SELECT native_id FROM sent_messages WHERE user_id = ? AND cmid = ?", (user_id, cmid)
        )
        return None if value is None else str(value)


def _account(row: aiosqlite.Row) -> Account:
    return Account(
        id=int(row["id"]),
        messenger=str(row["messenger"]),
        external_id=str(row["external_id"]),
        first_name=str(row["first_name"]),
        last_name=str(row["last_name"]),
    )
