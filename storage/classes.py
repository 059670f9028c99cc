"""Classes (and groups) an organization's administrators create."""

from __future__ import annotations

from storage import audit
from storage.db import Database, Tx
from storage.models import SchoolClass


class ClassesRepo:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def of_org(self, org_id: int) -> list[SchoolClass]:
        rows = await self._db.fetchall(
            "SELECT id, org_id, name FROM classes WHERE org_id = ?"
            " ORDER BY name COLLATE NOCASE, id",
            (org_id,),
        )
        return [SchoolClass(r["id"], r["org_id"], r["name"]) for r in rows]

    async def get(self, class_id: int) -> SchoolClass | None:
        r = await self._db.fetchone(
            "SELECT id, org_id, name FROM classes WHERE id = ?", (class_id,)
        )
        return None if r is None else SchoolClass(r["id"], r["org_id"], r["name"])

    async def names(self, class_ids: tuple[int, ...] | list[int]) -> list[str]:
        if not class_ids:
            return []
        marks = ",".join("?" * len(class_ids))
        rows = await self._db.fetchall(
            f"SELECT name FROM classes WHERE id IN ({marks}) ORDER BY name COLLATE NOCASE",
            tuple(class_ids),
        )
        return [r["name"] for r in rows]

    async def create(
        self, tx: Tx, org_id: int, name: str, now: int, actor_id: int | None
    ) -> int | None:
        """The new class's id, or None when the organization already has one of that name."""
        exists = await tx.fetchval(
            # search_key folds Cyrillic case too ("5а" is "5А"); NOCASE folds ASCII only.
            "SELECT 1 FROM classes WHERE org_id = ? AND search_key(name) = search_key(?)",
            (org_id, name),
        )
        if exists:
            return None
        class_id = await tx.insert(
            "INSERT INTO classes (org_id, name, created_at) VALUES (?, ?, ?)", (org_id, name, now)
        )
        await audit.record(
            tx,
            at=now,
            actor_id=actor_id,
            action="class.create",
            org_id=org_id,
            object_type="class",
            object_id=class_id,
            after={"name": name},
        )
        return class_id

    async def rename(
        self, tx: Tx, cls: SchoolClass, name: str, now: int, actor_id: int | None
    ) -> bool:
        clash = await tx.fetchval(
            "SELECT 1 FROM classes WHERE org_id = ? AND search_key(name) = search_key(?)"
            " AND id != ?",
            (cls.org_id, name, cls.id),
        )
        if clash:
            return False
        await tx.execute("UPDATE classes SET name = ? WHERE id = ?", (name, cls.id))
        await audit.record(
            tx,
            at=now,
            actor_id=actor_id,
            action="class.rename",
            org_id=cls.org_id,
            object_type="class",
            object_id=cls.id,
            before={"name": cls.name},
            after={"name": name},
        )
        return True

    async def delete(self, tx: Tx, cls: SchoolClass, now: int, actor_id: int | None) -> None:
        # Memberships, applications and invitations drop the class through their foreign keys.
        await tx.execute("DELETE FROM classes WHERE id = ?", (cls.id,))
        await audit.record(
            tx,
            at=now,
            actor_id=actor_id,
            action="class.delete",
            org_id=cls.org_id,
            object_type="class",
            object_id=cls.id,
            before={"name": cls.name},
        )

    async def member_count(self, class_id: int) -> int:
        """Verified members who teach or look after the class (removed ones do not count)."""
        return int(
            await self._db.fetchval(
                "SELECT COUNT(*) FROM membership_classes mc JOIN memberships m"
                " ON m.id = mc.membership_id WHERE mc.class_id = ? AND m.removed_at IS NULL",
                (class_id,),
            )
        )
