"""Who may act where, read from the database (and the settings) on every press: the one place
the handlers' rules ask."""

from __future__ import annotations

from bot.deps import Deps
from storage.models import Organization


def is_superadmin(deps: Deps, vk_id: int) -> bool:
    return deps.is_superadmin(vk_id)


async def admin_org(deps: Deps, org_id: int, vk_id: int) -> Organization | None:
    """The organization when the person administers it now (an archived one is nobody's)."""
    if not await deps.orgs.is_admin(org_id, vk_id):
        return None
    return await deps.orgs.get(org_id)
