"""What the main menu offers a person, and leaving a typed step for it."""

from __future__ import annotations

from bot.deps import Deps
from bot.domain import MenuInfo
from bot.services.apply import has_draft, step_of


async def leave_typed_steps(deps: Deps, vk_id: int) -> None:
    """Going to the menu ends any step that waits for typed text, so what the person types next
    is not taken as that step's answer. An application draft is the exception: it is kept and
    the menu offers to continue it."""
    name = await deps.states.state_name(vk_id)
    # Only write when there is a step to end: a needless write (and its fsync) per menu
    # would hold up every other person's reads on the one connection.
    if name is not None and step_of(name) is None:
        await deps.states.delete(vk_id)


async def menu_info(deps: Deps, vk_id: int) -> MenuInfo:
    orgs = await deps.orgs.administered(vk_id)
    pending = await deps.applications.pending_count([o.id for o in orgs])
    return MenuInfo(
        admin_of=len(orgs),
        pending=pending,
        superadmin=deps.is_superadmin(vk_id),
        draft=await has_draft(deps, vk_id),
    )
