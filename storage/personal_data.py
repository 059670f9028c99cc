"""A person's own data: how much the bot keeps about them, and erasing it on request (152-FZ).

What stays after erasure, and why: the VK id, statuses, dates and decisions of applications and
memberships, and the audit log's entries. They are the record of who verified whom and when, which
administrators and the organization must be able to check later; without a name or position they
no longer say who the person is beyond the numeric id. The administrators' own reasons (rejection,
removal) stay as written: they document a decision, not the person's profile.
"""

from __future__ import annotations

from storage import audit
from storage.db import Database, Tx

# Keys of audit snapshots that carry a name or a position the person typed.
_PERSONAL_KEYS = ("$.full_name", "$.position", "$.vk_name")


class PersonalDataRepo:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def past_memberships(self, vk_id: int) -> int:
        return int(
            await self._db.fetchval(
                "SELECT COUNT(*) FROM memberships WHERE vk_id = ? AND removed_at IS NOT NULL",
                (vk_id,),
            )
        )

    async def audit_entries(self, vk_id: int) -> int:
        """Entries the person made, or that are about them, their applications or memberships."""
        return int(
            await self._db.fetchval(
                "SELECT COUNT(*) FROM audit_log WHERE actor_id = :v"
                " OR (object_type = 'user' AND object_id = :v)"
                " OR (object_type = 'application'"
                "     AND object_id IN (SELECT id FROM applications WHERE vk_id = :v))"
                " OR (object_type = 'membership'"
                "     AND object_id IN (SELECT id FROM memberships WHERE vk_id = :v))",
                {"v": vk_id},
            )
        )

    async def drop_admin_rights(self, tx: Tx, vk_id: int, now: int) -> tuple[int, list[int]]:
        """End the person's administrator rights everywhere, the last administrator's too: a
        request to erase one's data is not refused. Returns how many rights ended and the
        organizations left without any administrator, for the superadmins to staff."""
        rows = await tx.fetchall("SELECT org_id FROM org_admins WHERE vk_id = ?", (vk_id,))
        orphaned = []
        for row in rows:
            org_id = row["org_id"]
            await tx.execute(
                "DELETE FROM org_admins WHERE org_id = ? AND vk_id = ?", (org_id, vk_id)
            )
            await audit.record(
                tx,
                at=now,
                actor_id=vk_id,
                action="admin.remove",
                org_id=org_id,
                object_type="user",
                object_id=vk_id,
                reason="erase",
            )
            if not await tx.fetchval("SELECT 1 FROM org_admins WHERE org_id = ?", (org_id,)):
                orphaned.append(org_id)
        return len(rows), orphaned

    async def anonymise(self, tx: Tx, vk_id: int, now: int) -> int:
        """Blank every name and position of the person, in the tables and in audit snapshots;
        returns how many rows still had any (0: there was nothing left to erase).

        The caller withdraws open applications and ends memberships first, in the same
        transaction, so what is blanked here is history only.
        """
        blanked = await tx.update(
            "UPDATE users SET first_name = '', last_name = '', updated_at = ?"
            " WHERE vk_id = ? AND (first_name != '' OR last_name != '')",
            (now, vk_id),
        )
        blanked += await tx.update(
            "UPDATE applications SET full_name = '', position = '', vk_name = '', updated_at = ?"
            " WHERE vk_id = ? AND (full_name != '' OR position != '' OR vk_name != '')",
            (now, vk_id),
        )
        blanked += await tx.update(
            "UPDATE memberships SET full_name = '', position = ''"
            " WHERE vk_id = ? AND (full_name != '' OR position != '')",
            (vk_id,),
        )
        paths = ", ".join(f"'{p}'" for p in _PERSONAL_KEYS)
        await tx.execute(
            f"UPDATE audit_log SET before = json_remove(before, {paths}),"
            f" after = json_remove(after, {paths})"
            " WHERE (object_type = 'application'"
            "        AND object_id IN (SELECT id FROM applications WHERE vk_id = :v))"
            " OR (object_type = 'membership'"
            "     AND object_id IN (SELECT id FROM memberships WHERE vk_id = :v))",
            {"v": vk_id},
        )
        # A half-typed name in a conversation is personal data too.
        await tx.execute("DELETE FROM conversation_states WHERE peer_id = ?", (vk_id,))
        await tx.execute("DELETE FROM parked_states WHERE peer_id = ?", (vk_id,))
        return blanked
