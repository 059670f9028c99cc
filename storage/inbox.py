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
    # Attempts at handling it begun so far.
    attempts: int = 0


class InboxRepo:
    def __init__(self, db: Database) -> None:
        self._db = db

    @property
    def db(self) -> Database:
        return self._db

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
                    " (event_id, peer_id, type, body, received_at, attempts)"
                    " VALUES (?, ?, ?, ?, ?, 0)",
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

    async def mark_failed(self, event_id: str, now: int) -> None:
        """Given up: finished (never replayed again) but noted as failed."""
        async with self._db.transaction() as tx:
            await tx.execute(
                "UPDATE processed_events SET done_at = ?, failed_at = ? WHERE event_id = ?",
                (now, now, event_id),
            )

    async def begin_attempt(self, event_id: str) -> int:
        """Count one more attempt at handling the update, before it begins; the count survives
        a kill -9 that ends the attempt, so a poison that kills the process is not retried
        without bound. Returns the attempts begun, this one included."""
        async with self._db.transaction(fsync=False) as tx:
            await tx.execute(
                "UPDATE processed_events SET attempts = attempts + 1 WHERE event_id = ?",
                (event_id,),
            )
            return int(
                await tx.fetchval(
                    "SELECT attempts FROM processed_events WHERE event_id = ?", (event_id,)
                )
            )

    async def last_done(self) -> int | None:
        """When the latest update was handled (for /healthz)."""
        value = await self._db.fetchval("SELECT MAX(done_at) FROM processed_events")
        return None if value is None else int(value)

    async def unfinished(self) -> list[InboxItem]:
        rows = await self._db.fetchall(
            "SELECT event_id, peer_id, body, attempts FROM processed_events"
            " WHERE done_at IS NULL ORDER BY rowid"
        )
        return [
            InboxItem(r["event_id"], r["peer_id"], json.loads(r["body"]), r["attempts"])
            for r in rows
        ]

    async def prune(self, older_than: int) -> int:
        async with self._db.transaction() as tx:
            return await tx.update(
                "DELETE FROM processed_events WHERE done_at IS NOT NULL AND done_at < ?",
                (older_than,),
            )
