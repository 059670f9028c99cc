"""Organizations, their search index and their administrators."""

from __future__ import annotations

from dataclasses import dataclass

import aiosqlite

from bot.text import search_key
from storage import audit
from storage.db import Database, Tx
from storage.models import Organization, OrgType

_COLUMNS = "id, name, short_name, type, inn, region, city, archived_at"


def _org(row: aiosqlite.Row) -> Organization:
    return Organization(
        id=row["id"],
        name=row["name"],
        short_name=row["short_name"],
        type=OrgType(row["type"]),
        inn=row["inn"],
        region=row["region"],
        city=row["city"],
        archived_at=row["archived_at"],
    )


@dataclass(frozen=True, slots=True)
class NewOrganization:
    name: str
    short_name: str
    type: OrgType
    inn: str
    region: str
    city: str


# A search stops counting and ranking after this many matches: a query that broad only
# needs to be narrowed, and ranking every one of 40,000 schools would hold the database.
MAX_RESULTS = 1000
# Organizations whose short name starts with the query, ranked first; far fewer than MAX_RESULTS
# are ever useful, and the cap keeps a one-word query cheap.
_MAX_STRONG = 200


def _words(query: str) -> list[str]:
    """Searchable words: one-letter words (prepositions, initials) match too much to help."""
    return [w for w in search_key(query).split() if len(w) > 1 or w.isdigit()][:8]


def fts_query(query: str) -> str | None:
    """Every word as a prefix, numbers whole: "школа 5" → "школа"* "5" (not 50 or 512)."""
    words = _words(query)
    if not words:
        return None
    return " ".join(f'"{w}"' if w.isdigit() else f'"{w}"*' for w in words)


def _start_query(words: list[str]) -> str:
    """The words as a phrase at the start of the indexed text, i.e. of the short name."""
    star = "" if words[-1].isdigit() else "*"
    return f'^"{" ".join(words)}"{star}'


class OrganizationsRepo:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def get(self, org_id: int) -> Organization | None:
        row = await self._db.fetchone(
            f"SELECT {_COLUMNS} FROM organizations WHERE id = ?", (org_id,)
        )
        return None if row is None else _org(row)

    async def by_inn(self, inn: str) -> Organization | None:
        row = await self._db.fetchone(f"SELECT {_COLUMNS} FROM organizations WHERE inn = ?", (inn,))
        return None if row is None else _org(row)

    async def create(
        self,
        tx: Tx,
        *,
        name: str,
        short_name: str,
        type: OrgType,
        inn: str | None,
        region: str,
        city: str,
        now: int,
        actor_id: int | None,
    ) -> int:
        org_id = await tx.insert(
            "INSERT INTO organizations (name, short_name, type, inn, region, city, search_text,"
            " created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                name,
                short_name,
                type.value,
                inn,
                region,
                city,
                _index_text(name, short_name, city),
                now,
                now,
            ),
        )
        await audit.record(
            tx,
            at=now,
            actor_id=actor_id,
            action="org.create",
            org_id=org_id,
            object_type="organization",
            object_id=org_id,
            after={"name": name, "type": type.value, "inn": inn, "region": region, "city": city},
        )
        return org_id

    async def known_inns(self, tx: Tx) -> set[str]:
        rows = await tx.fetchall("SELECT inn FROM organizations WHERE inn IS NOT NULL")
        return {r["inn"] for r in rows}

    async def create_many(
        self, tx: Tx, orgs: list[NewOrganization], *, now: int, actor_id: int | None
    ) -> int:
        """Insert many organizations at once, each with its own audit entry; how many."""
        # Inside BEGIN IMMEDIATE nobody else inserts: the new rows are exactly those above.
        before = int(await tx.fetchval("SELECT COALESCE(MAX(id), 0) FROM organizations"))
        await tx.executemany(
            "INSERT INTO organizations (name, short_name, type, inn, region, city, search_text,"
            " created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                (
                    o.name,
                    o.short_name,
                    o.type.value,
                    o.inn,
                    o.region,
                    o.city,
                    _index_text(o.name, o.short_name, o.city),
                    now,
                    now,
                )
                for o in orgs
            ],
        )
        # The same record create() writes, built by SQLite for the whole batch in one statement.
        return await tx.update(
            "INSERT INTO audit_log (at, actor_id, action, org_id, object_type, object_id, after)"
            " SELECT ?, ?, 'org.create', id, 'organization', id, json_object('name', name,"
            " 'type', type, 'inn', inn, 'region', region, 'city', city)"
            " FROM organizations WHERE id > ? ORDER BY id",
            (now, actor_id, before),
        )

    async def update(
        self,
        tx: Tx,
        org: Organization,
        *,
        name: str,
        short_name: str,
        type: OrgType,
        inn: str | None,
        region: str,
        city: str,
        now: int,
        actor_id: int | None,
    ) -> None:
        await tx.execute(
            "UPDATE organizations SET name = ?, short_name = ?, type = ?, inn = ?, region = ?,"
            " city = ?, search_text = ?, updated_at = ? WHERE id = ?",
            (
                name,
                short_name,
                type.value,
                inn,
                region,
                city,
                _index_text(name, short_name, city),
                now,
                org.id,
            ),
        )
        await audit.record(
            tx,
            at=now,
            actor_id=actor_id,
            action="org.update",
            org_id=org.id,
            object_type="organization",
            object_id=org.id,
            before={
                "name": org.name,
                "type": org.type.value,
                "inn": org.inn,
                "region": org.region,
                "city": org.city,
            },
            after={"name": name, "type": type.value, "inn": inn, "region": region, "city": city},
        )

    async def set_archived(
        self, tx: Tx, org_id: int, archived: bool, now: int, actor_id: int | None
    ) -> bool:
        changed = await tx.update(
            "UPDATE organizations SET archived_at = ?, updated_at = ? WHERE id = ?"
            " AND (archived_at IS NULL) = ?",
            (now if archived else None, now, org_id, int(archived)),
        )
        if changed:
            await audit.record(
                tx,
                at=now,
                actor_id=actor_id,
                action="org.archive" if archived else "org.restore",
                org_id=org_id,
                object_type="organization",
                object_id=org_id,
            )
        return changed == 1

    async def page(
        self, *, offset: int = 0, limit: int = 50, archived: bool = False
    ) -> list[Organization]:
        rows = await self._db.fetchall(
            f"SELECT {_COLUMNS} FROM organizations WHERE (archived_at IS NOT NULL) = ?"
            " ORDER BY name, id LIMIT ? OFFSET ?",
            (int(archived), limit, offset),
        )
        return [_org(r) for r in rows]

    async def count(self, *, archived: bool = False) -> int:
        return int(
            await self._db.fetchval(
                "SELECT COUNT(*) FROM organizations WHERE (archived_at IS NOT NULL) = ?",
                (int(archived),),
            )
        )

    async def search(
        self, query: str, *, offset: int = 0, limit: int = 5
    ) -> tuple[list[Organization], int]:
        """Active organizations matching the query (name, city or INN), best first, and how many
        there are (counted up to MAX_RESULTS + 1, which means "more than MAX_RESULTS").

        First those whose short name is the query, then those whose short name starts with it,
        then the rest; shorter names first within each.
        """
        digits = query.strip()
        if digits.isdigit() and len(digits) in (10, 12):
            org = await self.by_inn(digits)
            found = [org] if org is not None and org.archived_at is None else []
            return found[offset : offset + limit], len(found)
        match = fts_query(query)
        if match is None:
            return [], 0
        words = _words(query)
        params = {
            "m": match,
            "start": _start_query(words),
            "key": " ".join(words),
            "cap": MAX_RESULTS,
            "strong_cap": _MAX_STRONG,
            "limit": limit,
            "offset": offset,
        }
        # One statement: the matches are found once (a CTE used twice is materialised), counted,
        # and ranked. Ranking reads each candidate's row, so it runs over a bounded set: the
        # strong matches (found by the index itself) and the first MAX_RESULTS + 1 matches.
        rows = await self._db.fetchall(
            "WITH found(id) AS (SELECT f.rowid FROM organizations_fts f"
            "   JOIN organizations o ON o.id = f.rowid"
            "   WHERE organizations_fts MATCH :m AND o.archived_at IS NULL LIMIT :cap + 1),"
            " strong(id) AS (SELECT rowid FROM organizations_fts"
            "   WHERE organizations_fts MATCH :start LIMIT :strong_cap)"
            f" SELECT {', '.join('o.' + c for c in _COLUMNS.split(', '))},"
            " (SELECT COUNT(*) FROM found) AS total FROM organizations o"
            " WHERE o.id IN (SELECT id FROM found UNION SELECT id FROM strong)"
            " AND o.archived_at IS NULL"
            " ORDER BY o.id IN strong DESC,"
            " substr(o.search_text, 1, length(:key) + 2) = :key || ' |' DESC,"
            " length(o.search_text), o.id"
            " LIMIT :limit OFFSET :offset",
            params,
        )
        if rows:
            return [_org(r) for r in rows], int(rows[0]["total"])
        if offset == 0:
            return [], 0
        # A page past the end (an old paging button): the count alone, for the message.
        total = int(
            await self._db.fetchval(
                "SELECT COUNT(*) FROM (SELECT 1 FROM organizations_fts f"
                " JOIN organizations o ON o.id = f.rowid"
                " WHERE organizations_fts MATCH :m AND o.archived_at IS NULL LIMIT :cap + 1)",
                params,
            )
        )
        return [], total

    # --- administrators ------------------------------------------------------------------
    async def admin_ids(self, org_id: int) -> list[int]:
        rows = await self._db.fetchall(
            "SELECT vk_id FROM org_admins WHERE org_id = ? ORDER BY appointed_at, vk_id", (org_id,)
        )
        return [r["vk_id"] for r in rows]

    async def admins(self, org_id: int) -> list[tuple[int, int]]:
        """(VK id, appointed at) of each administrator, the earliest first."""
        rows = await self._db.fetchall(
            "SELECT vk_id, appointed_at FROM org_admins WHERE org_id = ?"
            " ORDER BY appointed_at, vk_id",
            (org_id,),
        )
        return [(r["vk_id"], r["appointed_at"]) for r in rows]

    async def is_admin(self, org_id: int, vk_id: int) -> bool:
        return bool(
            await self._db.fetchval(
                "SELECT 1 FROM org_admins a JOIN organizations o ON o.id = a.org_id"
                " WHERE a.org_id = ? AND a.vk_id = ? AND o.archived_at IS NULL",
                (org_id, vk_id),
            )
        )

    async def administered(self, vk_id: int) -> list[Organization]:
        rows = await self._db.fetchall(
            f"SELECT {', '.join('o.' + c for c in _COLUMNS.split(', '))} FROM organizations o"
            " JOIN org_admins a ON a.org_id = o.id WHERE a.vk_id = ? AND o.archived_at IS NULL"
            " ORDER BY o.name",
            (vk_id,),
        )
        return [_org(r) for r in rows]

    async def add_admin(
        self, tx: Tx, org_id: int, vk_id: int, now: int, actor_id: int | None
    ) -> bool:
        changed = await tx.update(
            "INSERT OR IGNORE INTO org_admins (org_id, vk_id, appointed_by, appointed_at)"
            " VALUES (?, ?, ?, ?)",
            (org_id, vk_id, actor_id, now),
        )
        if changed:
            await audit.record(
                tx,
                at=now,
                actor_id=actor_id,
                action="admin.appoint",
                org_id=org_id,
                object_type="user",
                object_id=vk_id,
            )
        return changed == 1

    async def remove_admin(
        self,
        tx: Tx,
        org_id: int,
        vk_id: int,
        now: int,
        actor_id: int | None,
        *,
        force: bool = False,
    ) -> bool:
        """Remove an administrator unless they are the last one (checked in this transaction);
        ``force`` removes the last one too (the deployer's deliberate choice)."""
        count = int(
            await tx.fetchval("SELECT COUNT(*) FROM org_admins WHERE org_id = ?", (org_id,))
        )
        if count <= 1 and not force:
            return False
        changed = await tx.update(
            "DELETE FROM org_admins WHERE org_id = ? AND vk_id = ?", (org_id, vk_id)
        )
        if changed:
            await audit.record(
                tx,
                at=now,
                actor_id=actor_id,
                action="admin.remove",
                org_id=org_id,
                object_type="user",
                object_id=vk_id,
            )
        return changed == 1


def _index_text(name: str, short_name: str, city: str) -> str:
    """Short name first (the search ranks names that start with the query), then the full name
    and the city; " | " ends each part, so an exact short name is told from a longer one."""
    keys = (search_key(part) for part in (short_name, name, city))
    return " | ".join(key for key in keys if key)
