"""Scheduled jobs: when each named job is next due, kept across restarts."""

from __future__ import annotations

from storage.db import Database


class JobsRepo:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def ensure(self, name: str, due_at: int) -> None:
        async with self._db.transaction() as tx:
            await tx.execute(
                "INSERT OR IGNORE INTO scheduled_jobs (name, due_at) VALUES (?, ?)", (name, due_at)
            )

    async def due(self, now: int) -> list[str]:
        rows = await self._db.fetchall(
            "SELECT name FROM scheduled_jobs WHERE due_at <= ? ORDER BY due_at, name", (now,)
        )
        return [r["name"] for r in rows]

    async def claim(self, name: str, now: int, next_due: int) -> bool:
        """Move a due job to its next time before running it, so a restart never repeats it."""
        async with self._db.transaction() as tx:
            changed = await tx.update(
                "UPDATE scheduled_jobs SET due_at = ?, last_run_at = ?"
                " WHERE name = ? AND due_at <= ?",
                (next_due, now, name, now),
            )
        return changed == 1

    async def next_due(self) -> int | None:
        value = await self._db.fetchval("SELECT MIN(due_at) FROM scheduled_jobs")
        return None if value is None else int(value)
