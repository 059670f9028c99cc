"""CSV exports of an organization's staff and applications: UTF-8 with BOM so Excel opens them."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime
from typing import Protocol

from bot.i18n import Translator
from storage.applications import ApplicationsRepo
from storage.classes import ClassesRepo
from storage.memberships import MembershipsRepo
from storage.organizations import OrganizationsRepo


class Sources(Protocol):
    """What the exports read: the bot's Deps, or the command line's own (which has no VK)."""

    @property
    def t(self) -> Translator: ...

    @property
    def orgs(self) -> OrganizationsRepo: ...

    @property
    def members(self) -> MembershipsRepo: ...

    @property
    def classes(self) -> ClassesRepo: ...

    @property
    def applications(self) -> ApplicationsRepo: ...


def _when(ts: int | None) -> str:
    return "" if ts is None else datetime.fromtimestamp(ts, UTC).strftime("%Y-%m-%d %H:%M")


def csv_bytes(header: list[str], rows: list[list[str]]) -> bytes:
    buffer = io.StringIO()
    # Semicolons: Excel in a Russian locale splits columns on them, not on commas.
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


async def staff_csv(deps: Sources, org_id: int, locale: str) -> bytes:
    t = deps.t
    members = await deps.members.of_org(org_id)
    admins = set(await deps.orgs.admin_ids(org_id))
    rows = []
    for m in members:
        classes = ", ".join(await deps.classes.names(m.class_ids))
        rows.append(
            [
                m.full_name,
                t(locale, f"role-{m.role.value}"),
                m.position,
                classes,
                f"https://vk.com/id{m.vk_id}",
                t(locale, "export-yes") if m.vk_id in admins else "",
                _when(m.verified_at),
            ]
        )
    header = [
        t(locale, f"export-staff-{c}")
        for c in ("name", "role", "position", "classes", "vk", "admin", "since")
    ]
    return csv_bytes(header, rows)


async def applications_csv(deps: Sources, org_id: int, locale: str) -> bytes:
    t = deps.t
    rows = []
    for a in await deps.applications.of_org(org_id):
        rows.append(
            [
                str(a.id),
                a.full_name,
                t(locale, f"role-{a.role.value}"),
                a.position,
                f"https://vk.com/id{a.vk_id}",
                t(locale, f"status-{a.status.value}"),
                a.reason_text or (t(locale, f"reason-{a.reason_code}") if a.reason_code else ""),
                _when(a.created_at),
                _when(a.decided_at),
            ]
        )
    header = [
        t(locale, f"export-app-{c}")
        for c in ("id", "name", "role", "position", "vk", "status", "reason", "filed", "decided")
    ]
    return csv_bytes(header, rows)
