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


@dataclass(frozen=True, slots=True)
class TrailRow:
    """An organization's audit entry with what it is about, resolved for reading."""

    id: int
    at: int
    actor_id: int | None
    action: str
    reason: str | None
    subject_id: int | None  # the person the entry is about, when it is about one
    thing: str | None  # the invitation's or class's name, when it is about one


@dataclass(frozen=True, slots=True)
class Person:
    vk_id: int
    name: str
    erased: bool
    # Where the person is: (messenger, the messenger's id); see storage/accounts.py.
    messenger: str = "vk"
    ref: str = ""


# The person an entry is about, by what its object is.
_SUBJECT = """
    CASE a.object_type
        WHEN 'user' THEN a.object_id
        WHEN 'application' THEN (SELECT vk_id FROM applications WHERE id = a.object_id)
        WHEN 'membership' THEN (SELECT vk_id FROM memberships WHERE id = a.object_id)
    END"""
_THING = """
    CASE a.object_type
        WHEN 'invitation' THEN (SELECT name FROM invitations WHERE id = a.object_id)
        WHEN 'class' THEN COALESCE((SELECT name FROM classes WHERE id = a.object_id),
                                   json_extract(a.before, '$.name'))
    END"""


class AuditRepo:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def count_of_org(self, org_id: int) -> int:
        return int(
            await self._db.fetchval("SELECT COUNT(*) FROM audit_log WHERE org_id = ?", (org_id,))
        )

    async def trail(self, org_id: int, *, offset: int = 0, limit: int = -1) -> list[TrailRow]:
        """The organization's entries, the latest first."""
        rows = await self._db.fetchall(
            f"SELECT a.id, a.at, a.actor_id, a.action, a.reason, {_SUBJECT} AS subject,"
            f" {_THING} AS thing FROM audit_log a WHERE a.org_id = ?"
            " ORDER BY a.at DESC, a.id DESC LIMIT ? OFFSET ?",
            (org_id, limit, offset),
        )
        return [
            TrailRow(
                r["id"], r["at"], r["actor_id"], r["action"], r["reason"], r["subject"], r["thing"]
            )
            for r in rows
        ]

    async def people(self, org_id: int, vk_ids: set[int]) -> dict[int, Person]:
        """Names as this organization knew them (verified name, else application, else VK),
        and whether the person has erased their data (then no name is left to show)."""
        if not vk_ids:
            return {}
        ids = sorted(vk_ids)
        rows = await self._db.fetchall(
            f"""
            WITH wanted(vk_id) AS (VALUES {", ".join("(?)" for _ in ids)})
            SELECT w.vk_id,
                COALESCE(
                    (SELECT full_name FROM memberships m WHERE m.org_id = ? AND m.vk_id = w.vk_id
                        AND m.full_name != '' ORDER BY m.id DESC LIMIT 1),
                    (SELECT full_name FROM applications p WHERE p.org_id = ? AND p.vk_id = w.vk_id
                        AND p.full_name != '' ORDER BY p.id DESC LIMIT 1),
                    (SELECT NULLIF(TRIM(first_name || ' ' || last_name), '') FROM users u
                        WHERE u.vk_id = w.vk_id),
                    ''
                ) AS name,
                EXISTS (SELECT 1 FROM audit_log e WHERE e.action = 'user.erase'
                        AND e.object_id = w.vk_id) AS erased,
                COALESCE(a.messenger, 'vk') AS messenger,
                COALESCE(a.external_id, w.vk_id) AS ref
            FROM wanted w LEFT JOIN accounts a ON a.id = w.vk_id
            """,
            (*ids, org_id, org_id),
        )
        return {
            r["vk_id"]: Person(
                r["vk_id"], r["name"], bool(r["erased"]), str(r["messenger"]), str(r["ref"])
            )
            for r in rows
        }

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
