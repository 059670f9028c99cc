"""The long-poll inbox: the cursor and every update received, until it is handled."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from storage.db import Database


@dataclass(frozen=True, slots=True)
class InboxItem:
    event_id: str
    peer_id: int
    body: dict[str, Any]


class InboxRepo:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def cursor(self, group_id: int) -> str | None:
        value = await self._db.fetchval(
            "SELECT ts FROM poll_cursor WHERE group_id = ?", (group_id,)
        )
        return None if value is None else str(value)

    async def accept(
        self, group_id: int, ts: str | None, items: list[InboxItem], now: int
    ) -> list[InboxItem]:
        """Store a poll's updates and the new cursor in one transaction; return the new ones.

        An update whose event_id is already stored was delivered before: it is not returned.
        Updates VK pushed (Callback API) come with no cursor (``ts`` None).
        """
        fresh: list[InboxItem] = []
        async with self._db.transaction() as tx:
            for item in items:
                cur = await tx.execute(
                    "INSERT OR IGNORE INTO processed_events"
                    " (event_id, peer_id, type, body, received_at) VALUES (?, ?, ?, ?, ?)",
                    (
                        item.event_id,
                        item.peer_id,
                        str(item.body.get("type", "")),
                        json.dumps(item.body, ensure_ascii=False),
                        now,
                    ),
                )
                if cur.rowcount:
                    fresh.append(item)
            if ts is None:
                return fresh
            await tx.execute(
                "INSERT INTO poll_cursor (group_id, ts, updated_at) VALUES (?, ?, ?)"
                " ON CONFLICT (group_id) DO UPDATE SET"
                " ts = excluded.ts, updated_at = excluded.updated_at",
                (group_id, ts, now),
            )
        return fresh

    async def mark_done(self, event_ids: list[str], now: int) -> None:
        async with self._db.transaction() as tx:
            await tx.executemany(
                "UPDATE processed_events SET done_at = ? WHERE event_id = ?",
                [(now, event_id) for event_id in event_ids],
            )

    async def last_done(self) -> int | None:
        """When the latest update was handled (for /healthz)."""
        value = await self._db.fetchval("SELECT MAX(done_at) FROM processed_events")
        return None if value is None else int(value)

    async def unfinished(self) -> list[InboxItem]:
        rows = await self._db.fetchall(
            "SELECT event_id, peer_id, body FROM processed_events WHERE done_at IS NULL"
            " ORDER BY rowid"
        )
        return [InboxItem(r["event_id"], r["peer_id"], json.loads(r["body"])) for r in rows]

    async def prune(self, older_than: int) -> int:
        async with self._db.transaction() as tx:
            return await tx.update(
                "DELETE FROM processed_events WHERE done_at IS NOT NULL AND done_at < ?",
                (older_than,),
            )
