"""The section's rules: superadmins only, and the organization a button names."""

from __future__ import annotations

from typing import Any

from bot.deps import Deps
from bot.services import organizations as svc
from handlers.common import Ctx, Need, Refused, Update
from handlers.needs import Superadmin, no_rights
from handlers.superadmin.base import LEAVE
from handlers.superadmin.views import problem_text, show_list


def gate(deps: Deps) -> Superadmin:
    """Only superadmins by the settings; anyone else is told so, and a flow they are somehow
    in is dropped."""
    return Superadmin(deps, no_rights(leave=LEAVE))


class OrgNamed(Need):
    """`org`: the organization the button names; when it is gone, the list says why."""

    def __init__(self, deps: Deps) -> None:
        self._deps = deps

    async def resolve(self, update: Update) -> dict[str, Any]:
        try:
            return {"org": await svc.get_org(self._deps, update.vk_id, update.data.org)}
        except svc.OrgError as exc:
            error = exc

        async def gone(ctx: Ctx) -> None:
            await show_list(ctx, 0, notice=problem_text(ctx, error))

        return {"org": Refused(gone)}


async def restart(ctx: Ctx) -> None:
    """A step whose data is lost or whose organization is gone: back to the list."""
    await LEAVE.leave(ctx)
    await show_list(ctx, 0, notice=ctx.t("orgs-restart"))
