"""Into the administration menu: which organization, and its panel."""

from __future__ import annotations

from vkbottle.bot import BotLabeler

from bot.deps import Deps
from handlers.common import Ctx, on_button
from handlers.manage import views
from handlers.manage.inputs import INPUTS
from handlers.manage.rules import admin_of
from keyboards import manage as kbs
from keyboards.menu import MenuManage
from storage.models import Organization


def bind(labeler: BotLabeler, deps: Deps) -> None:
    @on_button(labeler, deps, MenuManage, leaves=INPUTS)
    async def open_manage(ctx: Ctx) -> None:
        await views.pick(ctx, 0, edit=False)

    @on_button(labeler, deps, kbs.MgPick)
    async def pick(ctx: Ctx, data: kbs.MgPick) -> None:
        await views.pick(ctx, data.p, edit=True)

    @on_button(labeler, deps, kbs.MgOrg, admin_of(deps), leaves=INPUTS)
    async def panel(ctx: Ctx, org: Organization) -> None:
        await views.panel(ctx, org, edit=True)
