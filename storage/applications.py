"""Applications for verification and their status history."""

from __future__ import annotations

import aiosqlite

from storage import audit
from storage.db import Database, Tx
from storage.models import Application, AppStatus, Role

_COLUMNS = (
    "a.id, a.org_id, a.vk_id, a.role, a.full_name, a.position, a.vk_name, a.invitation_id,"
    " a.status, a.reason_code, a.reason_text, a.decided_by, a.decided_at, a.created_at,"
    " (SELECT group_concat(class_id) FROM application_classes WHERE application_id = a.id)"
    " AS classes"
)


def _application(row: aiosqlite.Row) -> Application:
    classes = row["classes"]
    return Application(
        id=row["id"],
        org_id=row["org_id"],
        vk_id=row["vk_id"],
        role=Role(row["role"]),
        full_name=row["full_name"],
        position=row["position"],
        vk_name=row["vk_name"],
        invitation_id=row["invitation_id"],
        status=AppStatus(row["status"]),
        reason_code=row["reason_code"],
        reason_text=row["reason_text"],
        decided_by=row["decided_by"],
        decided_at=row["decided_at"],
        created_at=row["created_at"],
        class_ids=tuple(sorted(int(c) for c in classes.split(","))) if classes else (),
    )


class ApplicationsRepo:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def count_by_status(self) -> dict[str, int]:
        rows = await self._db.fetchall(
            "SELECT status, COUNT(*) AS n FROM applications GROUP BY status"
        )
        return {r["status"]: r["n"] for r in rows}

    async def get(self, app_id: int) -> Application | None:
        row = await self._db.fetchone(
            f"SELECT {_COLUMNS} FROM applications a WHERE a.id = ?", (app_id,)
        )
        return None if row is None else _application(row)

    async def get_in(self, tx: Tx, app_id: int) -> Application | None:
        row = await tx.fetchone(f"SELECT {_COLUMNS} FROM applications a WHERE a.id = ?", (app_id,))
        return None if row is None else _application(row)

    async def of_user(self, vk_id: int) -> list[Application]:
        rows = await self._db.fetchall(
            f"SELECT {_COLUMNS} FROM applications a WHERE a.vk_id = ? ORDER BY a.id DESC", (vk_id,)
        )
        return [_application(r) for r in rows]

    async def pending_for(self, org_id: int, vk_id: int) -> Application | None:
        row = await self._db.fetchone(
            f"SELECT {_COLUMNS} FROM applications a"
            " WHERE a.org_id = ? AND a.vk_id = ? AND a.status = 'pending'",
            (org_id, vk_id),
        )
        return None if row is None else _application(row)

    async def last_rejected(self, org_id: int, vk_id: int) -> Application | None:
        row = await self._db.fetchone(
            f"SELECT {_COLUMNS} FROM applications a WHERE a.org_id = ? AND a.vk_id = ?"
            " AND a.status = 'rejected' ORDER BY a.decided_at DESC, a.id DESC LIMIT 1",
            (org_id, vk_id),
        )
        return None if row is None else _application(row)

    async def open_count(self, vk_id: int) -> int:
        return int(
            await self._db.fetchval(
                "SELECT COUNT(*) FROM applications WHERE vk_id = ? AND status = 'pending'", (vk_id,)
            )
        )

    async def pending_of_org(
        self, org_id: int, *, offset: int = 0, limit: int = 1_000_000
    ) -> list[Application]:
        rows = await self._db.fetchall(
            f"SELECT {_COLUMNS} FROM applications a WHERE a.org_id = ? AND a.status = 'pending'"
            " ORDER BY a.created_at, a.id LIMIT ? OFFSET ?",
            (org_id, limit, offset),
        )
        return [_application(r) for r in rows]

    async def pending_count(self, org_ids: list[int]) -> int:
        if not org_ids:
            return 0
        marks = ",".join("?" * len(org_ids))
        return int(
            await self._db.fetchval(
                "SELECT COUNT(*) FROM applications WHERE status = 'pending'"
                f" AND org_id IN ({marks})",
                tuple(org_ids),
            )
        )

    async def pending_older_than(self, created_before: int) -> list[Application]:
        rows = await self._db.fetchall(
            f"SELECT {_COLUMNS} FROM applications a WHERE a.status = 'pending'"
            " AND a.created_at <= ? ORDER BY a.org_id, a.created_at, a.id",
            (created_before,),
        )
        return [_application(r) for r in rows]

    async def of_org(self, org_id: int) -> list[Application]:
        rows = await self._db.fetchall(
            f"SELECT {_COLUMNS} FROM applications a WHERE a.org_id = ? ORDER BY a.id", (org_id,)
        )
        return [_application(r) for r in rows]

    async def create(
        self,
        tx: Tx,
        *,
        org_id: int,
        vk_id: int,
        role: Role,
        full_name: str,
        position: str,
        vk_name: str,
        class_ids: tuple[int, ...],
        invitation_id: int | None,
        now: int,
    ) -> int | None:
        """File a pending application; None when one is already open for this organization."""
        cur = await tx.execute(
            "INSERT OR IGNORE INTO applications (org_id, vk_id, role, full_name, position, vk_name,"
            " invitation_id, status, created_at, updated_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, 'pending', ?, ?)",
            (org_id, vk_id, role.value, full_name, position, vk_name, invitation_id, now, now),
        )
        if not cur.rowcount:
            return None
        app_id = int(cur.lastrowid or 0)
        await tx.executemany(
            "INSERT OR IGNORE INTO application_classes (application_id, class_id) VALUES (?, ?)",
            [(app_id, c) for c in class_ids],
        )
        await tx.execute(
            "INSERT INTO application_events (application_id, from_status, to_status, actor_id, at)"
            " VALUES (?, NULL, 'pending', ?, ?)",
            (app_id, vk_id, now),
        )
        await audit.record(
            tx,
            at=now,
            actor_id=vk_id,
            action="application.file",
            org_id=org_id,
            object_type="application",
            object_id=app_id,
            after={
                "status": "pending",
                "role": role.value,
                "full_name": full_name,
                "position": position,
                "classes": list(class_ids),
                "invitation_id": invitation_id,
            },
        )
        return app_id

    async def transition(
        self,
        tx: Tx,
        app: Application,
        to: AppStatus,
        *,
        actor_id: int | None,
        now: int,
        reason_code: str | None = None,
        reason_text: str | None = None,
    ) -> bool:
        """Move a still-pending application to `to`. False when someone else moved it first:
        the UPDATE is conditional on the status, so only one caller ever changes it."""
        changed = await tx.update(
            "UPDATE applications SET status = ?, reason_code = ?, reason_text = ?, decided_by = ?,"
            " decided_at = ?, updated_at = ? WHERE id = ? AND status = 'pending'",
            (to.value, reason_code, reason_text, actor_id, now, now, app.id),
        )
        if not changed:
            return False
        reason = reason_text or reason_code
        await tx.execute(
            "INSERT INTO application_events (application_id, from_status, to_status, actor_id,"
            " reason, at) VALUES (?, 'pending', ?, ?, ?, ?)",
            (app.id, to.value, actor_id, reason, now),
        )
        await audit.record(
            tx,
            at=now,
            actor_id=actor_id,
            action=f"application.{to.value}",
            org_id=app.org_id,
            object_type="application",
            object_id=app.id,
            before={"status": "pending"},
            after={"status": to.value},
            reason=reason,
        )
        return True

    async def history(self, app_id: int) -> list[tuple[str | None, str, int | None, str | None]]:
        rows = await self._db.fetchall(
            "SELECT from_status, to_status, actor_id, reason FROM application_events"
            " WHERE application_id = ? ORDER BY id",
            (app_id,),
        )
        return [(r["from_status"], r["to_status"], r["actor_id"], r["reason"]) for r in rows]

    async def mark_reminded(self, tx: Tx, app_ids: list[int], now: int) -> None:
        await tx.executemany(
            "UPDATE applications SET reminded_at = ? WHERE id = ?", [(now, i) for i in app_ids]
        )
