"""What the main menu offers a person: staff items for everyone, more for administrators."""

from __future__ import annotations

from dataclasses import dataclass

from bot.deps import Deps


@dataclass(frozen=True, slots=True)
class MenuInfo:
    admin_of: int
    pending: int
    superadmin: bool


async def menu_info(deps: Deps, vk_id: int) -> MenuInfo:
    orgs = await deps.orgs.administered(vk_id)
    pending = await deps.applications.pending_count([o.id for o in orgs])
    return MenuInfo(admin_of=len(orgs), pending=pending, superadmin=deps.is_superadmin(vk_id))
