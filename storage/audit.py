"""The audit log: who did what, when, to which object, with the state before and after."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from storage.db import Database, Tx


@dataclass(frozen=True, slots=True)
class AuditEntry:
    id: int
    at: int
    actor_id: int | None
    action: str
    org_id: int | None
    object_type: str
    object_id: int | None
    before: dict[str, Any] | None
    after: dict[str, Any] | None
    reason: str | None


async def record(
    tx: Tx,
    *,
    at: int,
    actor_id: int | None,
    action: str,
    object_type: str,
    object_id: int | None,
    org_id: int | None = None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    reason: str | None = None,
) -> None:
    """Written inside the caller's transaction, so the change and its record land together."""
    await tx.execute(
        "INSERT INTO audit_log (at, actor_id, action, org_id, object_type, object_id, before,"
        " after, reason) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            at,
            actor_id,
            action,
            org_id,
            object_type,
            object_id,
            None if before is None else json.dumps(before, ensure_ascii=False),
            None if after is None else json.dumps(after, ensure_ascii=False),
            reason,
        ),
    )


class AuditRepo:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def entries(
        self, *, action: str | None = None, object_id: int | None = None
    ) -> list[AuditEntry]:
        rows = await self._db.fetchall(
            "SELECT * FROM audit_log WHERE (:a IS NULL OR action = :a)"
            " AND (:o IS NULL OR object_id = :o) ORDER BY id",
            {"a": action, "o": object_id},
        )
        return [
            AuditEntry(
                id=r["id"],
                at=r["at"],
                actor_id=r["actor_id"],
                action=r["action"],
                org_id=r["org_id"],
                object_type=r["object_type"],
                object_id=r["object_id"],
                before=None if r["before"] is None else json.loads(r["before"]),
                after=None if r["after"] is None else json.loads(r["after"]),
                reason=r["reason"],
            )
            for r in rows
        ]
