"""Invitations: codes kept only as hashes, uses claimed atomically, and the wrong-code counter."""

from __future__ import annotations

import aiosqlite

from storage import audit, rates
from storage.db import Database, Tx
from storage.models import Invitation, InvitationStats, Role

_COLUMNS = (
    "i.id, i.org_id, i.name, i.role, i.class_id, i.needs_approval, i.max_uses, i.uses,"
    " i.expires_at, i.created_by, i.created_at, i.revoked_at"
)
# Who came in through an invitation: directly, or by an application it filed that was approved.
_STATS = (
    "(SELECT COUNT(*) FROM memberships m WHERE m.invitation_id = i.id OR m.application_id IN"
    " (SELECT a.id FROM applications a WHERE a.invitation_id = i.id)) AS joined,"
    " (SELECT COUNT(*) FROM applications a WHERE a.invitation_id = i.id"
    " AND a.status = 'pending') AS waiting,"
    " COALESCE(u.first_name, '') AS creator_first, COALESCE(u.last_name, '') AS creator_last"
)
_ACTIVE = (
    "i.revoked_at IS NULL AND (i.expires_at IS NULL OR i.expires_at > :now)"
    " AND (i.max_uses IS NULL OR i.uses < i.max_uses)"
)
WRONG_CODE = "invite-wrong-code"


def _invitation(row: aiosqlite.Row) -> Invitation:
    return Invitation(
        id=row["id"],
        org_id=row["org_id"],
        name=row["name"],
        role=None if row["role"] is None else Role(row["role"]),
        class_id=row["class_id"],
        needs_approval=bool(row["needs_approval"]),
        max_uses=row["max_uses"],
        uses=row["uses"],
        expires_at=row["expires_at"],
        created_by=row["created_by"],
        created_at=row["created_at"],
        revoked_at=row["revoked_at"],
    )


def _stats(row: aiosqlite.Row) -> InvitationStats:
    name = f"{row['creator_first']} {row['creator_last']}".strip()
    return InvitationStats(_invitation(row), row["joined"], row["waiting"], name)


class InvitationsRepo:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def get(self, invitation_id: int) -> Invitation | None:
        row = await self._db.fetchone(
            f"SELECT {_COLUMNS} FROM invitations i WHERE i.id = ?", (invitation_id,)
        )
        return None if row is None else _invitation(row)

    async def get_in(self, tx: Tx, invitation_id: int) -> Invitation | None:
        row = await tx.fetchone(
            f"SELECT {_COLUMNS} FROM invitations i WHERE i.id = ?", (invitation_id,)
        )
        return None if row is None else _invitation(row)

    async def by_hash(self, code_hash: str) -> tuple[Invitation, str] | None:
        """The invitation and its stored hash, for the caller's constant-time comparison."""
        row = await self._db.fetchone(
            f"SELECT {_COLUMNS}, i.code_hash FROM invitations i WHERE i.code_hash = ?",
            (code_hash,),
        )
        return None if row is None else (_invitation(row), row["code_hash"])

    async def stats(self, invitation_id: int) -> InvitationStats | None:
        row = await self._db.fetchone(
            f"SELECT {_COLUMNS}, {_STATS} FROM invitations i"
            " LEFT JOIN users u ON u.vk_id = i.created_by WHERE i.id = ?",
            (invitation_id,),
        )
        return None if row is None else _stats(row)

    async def active_of_org(
        self, org_id: int, now: int, *, offset: int = 0, limit: int = 5
    ) -> list[InvitationStats]:
        rows = await self._db.fetchall(
            f"SELECT {_COLUMNS}, {_STATS} FROM invitations i"
            f" LEFT JOIN users u ON u.vk_id = i.created_by WHERE i.org_id = :org AND {_ACTIVE}"
            " ORDER BY i.created_at DESC, i.id DESC LIMIT :limit OFFSET :offset",
            {"org": org_id, "now": now, "limit": limit, "offset": offset},
        )
        return [_stats(r) for r in rows]

    async def count_active(self, org_id: int, now: int) -> int:
        return int(
            await self._db.fetchval(
                f"SELECT COUNT(*) FROM invitations i WHERE i.org_id = :org AND {_ACTIVE}",
                {"org": org_id, "now": now},
            )
        )

    async def create(
        self,
        tx: Tx,
        *,
        org_id: int,
        code_hash: str,
        name: str,
        role: Role | None,
        class_id: int | None,
        needs_approval: bool,
        max_uses: int | None,
        expires_at: int | None,
        actor_id: int,
        now: int,
    ) -> int:
        invitation_id = await tx.insert(
            "INSERT INTO invitations (org_id, code_hash, name, role, class_id, needs_approval,"
            " max_uses, expires_at, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                org_id,
                code_hash,
                name,
                None if role is None else role.value,
                class_id,
                int(needs_approval),
                max_uses,
                expires_at,
                actor_id,
                now,
            ),
        )
        await audit.record(
            tx,
            at=now,
            actor_id=actor_id,
            action="invitation.create",
            org_id=org_id,
            object_type="invitation",
            object_id=invitation_id,
            after={
                "name": name,
                "role": None if role is None else role.value,
                "class_id": class_id,
                "needs_approval": needs_approval,
                "max_uses": max_uses,
                "expires_at": expires_at,
            },
        )
        return invitation_id

    async def claim(self, tx: Tx, invitation_id: int, now: int) -> bool:
        """Take one use if the invitation is still valid. One conditional UPDATE, so of many
        people redeeming at once exactly as many as there are uses left get one."""
        changed = await tx.update(
            "UPDATE invitations SET uses = uses + 1 WHERE id = ? AND revoked_at IS NULL"
            " AND (expires_at IS NULL OR expires_at > ?) AND (max_uses IS NULL OR uses < max_uses)",
            (invitation_id, now),
        )
        return changed == 1

    async def revoke(self, tx: Tx, invitation: Invitation, *, actor_id: int, now: int) -> bool:
        changed = await tx.update(
            "UPDATE invitations SET revoked_at = ?, revoked_by = ? WHERE id = ?"
            " AND revoked_at IS NULL",
            (now, actor_id, invitation.id),
        )
        if changed:
            await audit.record(
                tx,
                at=now,
                actor_id=actor_id,
                action="invitation.revoke",
                org_id=invitation.org_id,
                object_type="invitation",
                object_id=invitation.id,
                before={"revoked_at": None},
                after={"revoked_at": now},
            )
        return changed == 1

    # --- wrong codes ---------------------------------------------------------------------
    async def wrong_codes_since(self, vk_id: int, since: int) -> list[int]:
        """When this person sent codes that matched nothing, oldest first."""
        return await rates.recent(self._db, WRONG_CODE, vk_id, since)

    async def record_wrong_code(self, tx: Tx, vk_id: int, now: int) -> None:
        await rates.record(tx, WRONG_CODE, vk_id, now)
