"""Verified members of organizations: role, position, classes; removal keeps the history."""

from __future__ import annotations

import aiosqlite

from storage import audit
from storage.db import Database, Tx
from storage.models import Membership, Role

_COLUMNS = (
    "m.id, m.org_id, m.vk_id, m.role, m.full_name, m.position, m.via, m.verified_at,"
    " (SELECT group_concat(class_id) FROM membership_classes WHERE membership_id = m.id) AS classes"
)

# Role and name filters of of_org()/count(). A name matches from the start of any of its words,
# case and ё folded (search_key, registered in db.py): "ива" finds "Иванова", "нова" does not.
_FILTER = (
    " AND (:role IS NULL OR m.role = :role)"
    " AND (:q IS NULL OR instr(' ' || search_key(m.full_name), ' ' || search_key(:q)) > 0)"
)


def _membership(row: aiosqlite.Row) -> Membership:
    classes = row["classes"]
    return Membership(
        id=row["id"],
        org_id=row["org_id"],
        vk_id=row["vk_id"],
        role=Role(row["role"]),
        full_name=row["full_name"],
        position=row["position"],
        via=row["via"],
        verified_at=row["verified_at"],
        class_ids=tuple(sorted(int(c) for c in classes.split(","))) if classes else (),
    )


class MembershipsRepo:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def active(self, org_id: int, vk_id: int) -> Membership | None:
        row = await self._db.fetchone(
            f"SELECT {_COLUMNS} FROM memberships m"
            " WHERE m.org_id = ? AND m.vk_id = ? AND m.removed_at IS NULL",
            (org_id, vk_id),
        )
        return None if row is None else _membership(row)

    async def get(self, membership_id: int) -> Membership | None:
        """An active membership by id; None once it was removed."""
        row = await self._db.fetchone(
            f"SELECT {_COLUMNS} FROM memberships m WHERE m.id = ? AND m.removed_at IS NULL",
            (membership_id,),
        )
        return None if row is None else _membership(row)

    async def get_in(self, tx: Tx, membership_id: int) -> Membership | None:
        """As get(), read inside a write transaction so a check and its change agree."""
        row = await tx.fetchone(
            f"SELECT {_COLUMNS} FROM memberships m WHERE m.id = ? AND m.removed_at IS NULL",
            (membership_id,),
        )
        return None if row is None else _membership(row)

    async def of_user(self, vk_id: int) -> list[Membership]:
        rows = await self._db.fetchall(
            f"SELECT {_COLUMNS} FROM memberships m JOIN organizations o ON o.id = m.org_id"
            " WHERE m.vk_id = ? AND m.removed_at IS NULL ORDER BY o.name",
            (vk_id,),
        )
        return [_membership(r) for r in rows]

    async def of_org(
        self,
        org_id: int,
        *,
        role: Role | None = None,
        name_like: str | None = None,
        offset: int = 0,
        limit: int = 1_000_000,
    ) -> list[Membership]:
        rows = await self._db.fetchall(
            f"SELECT {_COLUMNS} FROM memberships m WHERE m.org_id = :org AND m.removed_at IS NULL"
            f"{_FILTER}"
            " ORDER BY m.full_name COLLATE NOCASE, m.id LIMIT :limit OFFSET :offset",
            {
                "org": org_id,
                "role": role.value if role else None,
                "q": name_like,
                "limit": limit,
                "offset": offset,
            },
        )
        return [_membership(r) for r in rows]

    async def count(
        self, org_id: int, *, role: Role | None = None, name_like: str | None = None
    ) -> int:
        return int(
            await self._db.fetchval(
                "SELECT COUNT(*) FROM memberships m WHERE m.org_id = :org AND m.removed_at IS NULL"
                f"{_FILTER}",
                {"org": org_id, "role": role.value if role else None, "q": name_like},
            )
        )

    async def add(
        self,
        tx: Tx,
        *,
        org_id: int,
        vk_id: int,
        role: Role,
        full_name: str,
        position: str,
        class_ids: tuple[int, ...],
        via: str,
        now: int,
        actor_id: int | None,
        application_id: int | None = None,
        invitation_id: int | None = None,
    ) -> int | None:
        """Make the person a verified member; None when they already are one (nothing changes)."""
        existing = await tx.fetchval(
            "SELECT id FROM memberships WHERE org_id = ? AND vk_id = ? AND removed_at IS NULL",
            (org_id, vk_id),
        )
        if existing is not None:
            return None
        membership_id = await tx.insert(
            "INSERT INTO memberships (org_id, vk_id, role, full_name, position, via,"
            " application_id, invitation_id, verified_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                org_id,
                vk_id,
                role.value,
                full_name,
                position,
                via,
                application_id,
                invitation_id,
                now,
            ),
        )
        await self._set_classes(tx, membership_id, class_ids)
        await audit.record(
            tx,
            at=now,
            actor_id=actor_id,
            action="member.verify",
            org_id=org_id,
            object_type="membership",
            object_id=membership_id,
            after={
                "vk_id": vk_id,
                "role": role.value,
                "full_name": full_name,
                "position": position,
                "classes": list(class_ids),
                "via": via,
            },
        )
        return membership_id

    async def update(
        self,
        tx: Tx,
        member: Membership,
        *,
        position: str,
        class_ids: tuple[int, ...],
        now: int,
        actor_id: int | None,
    ) -> None:
        await tx.execute("UPDATE memberships SET position = ? WHERE id = ?", (position, member.id))
        await self._set_classes(tx, member.id, class_ids)
        await audit.record(
            tx,
            at=now,
            actor_id=actor_id,
            action="member.update",
            org_id=member.org_id,
            object_type="membership",
            object_id=member.id,
            before={"position": member.position, "classes": list(member.class_ids)},
            after={"position": position, "classes": list(class_ids)},
        )

    async def remove(
        self,
        tx: Tx,
        member: Membership,
        *,
        reason: str,
        now: int,
        actor_id: int | None,
        action: str = "member.remove",
    ) -> bool:
        changed = await tx.update(
            "UPDATE memberships SET removed_at = ?, removed_by = ?, removed_reason = ?"
            " WHERE id = ? AND removed_at IS NULL",
            (now, actor_id, reason, member.id),
        )
        if changed:
            await audit.record(
                tx,
                at=now,
                actor_id=actor_id,
                action=action,
                org_id=member.org_id,
                object_type="membership",
                object_id=member.id,
                reason=reason,
            )
        return changed == 1

    async def _set_classes(self, tx: Tx, membership_id: int, class_ids: tuple[int, ...]) -> None:
        await tx.execute("DELETE FROM membership_classes WHERE membership_id = ?", (membership_id,))
        await tx.executemany(
            "INSERT INTO membership_classes (membership_id, class_id) VALUES (?, ?)",
            [(membership_id, c) for c in class_ids],
        )
