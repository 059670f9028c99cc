"""Per-person counters for rate limits, one row per counted action in `rate_events`."""

from __future__ import annotations

from storage.db import Database, Tx


async def recent(db: Database | Tx, kind: str, vk_id: int, since: int) -> list[int]:
    """When the person did `kind` after `since`, oldest first."""
    rows = await db.fetchall(
        "SELECT at FROM rate_events WHERE kind = ? AND vk_id = ? AND at > ? ORDER BY at",
        (kind, vk_id, since),
    )
    return [int(r["at"]) for r in rows]


async def record(tx: Tx, kind: str, vk_id: int, at: int) -> None:
    await tx.execute(
        "INSERT INTO rate_events (kind, vk_id, at) VALUES (?, ?, ?)", (kind, vk_id, at)
    )


async def prune(db: Database, older_than: int) -> int:
    """Forget what no rate window reaches any more."""
    async with db.transaction() as tx:
        return await tx.update("DELETE FROM rate_events WHERE at < ?", (older_than,))
