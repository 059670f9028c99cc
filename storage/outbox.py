"""The outbox: calls to VK written with the change that made them, until they are delivered."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, Literal

import aiosqlite

from storage.db import Database, Tx

Kind = Literal["send", "edit", "answer"]
Upload = Literal["photo", "doc"]


@dataclass(frozen=True, slots=True)
class NewRow:
    kind: Kind
    peers: list[int]
    params: dict[str, Any]
    random_id: int
    event_id: str | None = None
    ref_id: int | None = None
    upload: Upload | None = None
    upload_name: str | None = None
    upload_data: bytes | None = None
    fallback: dict[str, Any] | None = None
    purpose: str | None = None


@dataclass(frozen=True, slots=True)
class OutboxRow:
    id: int
    kind: Kind
    peers: list[int]
    params: dict[str, Any]
    random_id: int
    event_id: str | None
    ref_id: int | None
    upload: Upload | None
    upload_name: str | None
    upload_data: bytes | None
    fallback: dict[str, Any] | None
    purpose: str | None


@dataclass(frozen=True, slots=True)
class Delivery:
    """VK's answer for one recipient of a send (message ids) or of an edit/answer (ids None)."""

    peer_id: int
    message_id: int | None = None
    conversation_message_id: int | None = None
    error: int | None = None

    @property
    def ok(self) -> bool:
        return self.error is None


def _row(r: aiosqlite.Row) -> OutboxRow:
    return OutboxRow(
        id=r["id"],
        kind=r["kind"],
        peers=[int(p) for p in str(r["peers"]).split(",") if p],
        params=json.loads(r["params"]),
        random_id=r["random_id"],
        event_id=r["event_id"],
        ref_id=r["ref_id"],
        upload=r["upload"],
        upload_name=r["upload_name"],
        upload_data=r["upload_data"],
        fallback=json.loads(r["fallback"]) if r["fallback"] else None,
        purpose=r["purpose"],
    )


class OutboxRepo:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def add(self, tx: Tx, row: NewRow, now: int) -> int:
        return await tx.insert(
            "INSERT INTO outbox (event_id, kind, peers, params, random_id, ref_id, upload,"
            " upload_name, upload_data, fallback, purpose, created_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                row.event_id,
                row.kind,
                ",".join(map(str, row.peers)),
                json.dumps(row.params, ensure_ascii=False),
                row.random_id,
                row.ref_id,
                row.upload,
                row.upload_name,
                row.upload_data,
                json.dumps(row.fallback, ensure_ascii=False) if row.fallback else None,
                row.purpose,
                now,
            ),
        )

    async def pending_after(self, tx: Tx, last_id: int) -> list[OutboxRow]:
        """Undelivered rows above `last_id`, in the order they were written. Read inside a write
        transaction, so an update still being handled (its rows not committed) is not seen."""
        rows = await tx.fetchall(
            "SELECT * FROM outbox WHERE done_at IS NULL AND id > ? ORDER BY id", (last_id,)
        )
        return [_row(r) for r in rows]

    async def pending_of(self, purpose: str) -> list[OutboxRow]:
        rows = await self.db.fetchall(
            "SELECT * FROM outbox WHERE purpose = ? AND done_at IS NULL ORDER BY id", (purpose,)
        )
        return [_row(r) for r in rows]

    async def finish(
        self, tx: Tx, row_id: int, deliveries: list[Delivery], error: int | None, now: int
    ) -> None:
        await tx.executemany(
            "INSERT OR REPLACE INTO outbox_delivered"
            " (outbox_id, peer_id, message_id, conversation_message_id, error)"
            " VALUES (?, ?, ?, ?, ?)",
            [
                (row_id, d.peer_id, d.message_id, d.conversation_message_id, d.error)
                for d in deliveries
            ],
        )
        # The bytes of an upload are not needed once it went out.
        await tx.execute(
            "UPDATE outbox SET done_at = ?, error = ?, upload_data = NULL WHERE id = ?",
            (now, error, row_id),
        )

    async def delivered_cmid(self, row_id: int, peer_id: int) -> int | None:
        """The conversation_message_id VK gave a delivered send to `peer_id`, if any."""
        value = await self.db.fetchval(
            "SELECT conversation_message_id FROM outbox_delivered"
            " WHERE outbox_id = ? AND peer_id = ? AND error IS NULL",
            (row_id, peer_id),
        )
        return None if value is None else int(value)

    async def prune(self, older_than: int) -> int:
        async with self.db.transaction() as tx:
            return await tx.update(
                "DELETE FROM outbox WHERE done_at IS NOT NULL AND done_at < ?", (older_than,)
            )
