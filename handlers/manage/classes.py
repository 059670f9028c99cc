"""An organization's classes: the list, adding, renaming and deleting."""

from __future__ import annotations

from vkbottle.bot import BotLabeler

from bot.deps import Deps
from bot.services import manage
from handlers.common import Ctx, on_button
from handlers.manage import views
from handlers.manage.base import ManageFlow, Typing
from handlers.manage.inputs import INPUTS
from handlers.manage.rules import admin_of, class_named
from keyboards import manage as kbs
from storage.models import Organization, SchoolClass


def bind(labeler: BotLabeler, deps: Deps) -> None:
    rights = admin_of(deps)

    @on_button(labeler, deps, kbs.MgClasses, rights, leaves=INPUTS)
    async def classes(ctx: Ctx, data: kbs.MgClasses, org: Organization) -> None:
        await views.classes(ctx, org, data.p, edit=True)

    @on_button(labeler, deps, kbs.MgClassAdd, rights, leaves=INPUTS)
    async def class_add(ctx: Ctx, org: Organization) -> None:
        await INPUTS.enter(ctx, ManageFlow.CLASS_NEW, Typing(org=org.id))

    @on_button(labeler, deps, kbs.MgClass, rights, class_named(deps), leaves=INPUTS)
    async def class_card(ctx: Ctx, org: Organization, cls: SchoolClass) -> None:
        await views.class_card(ctx, org, cls, edit=True)

    @on_button(labeler, deps, kbs.MgClassRename, rights, class_named(deps), leaves=INPUTS)
    async def class_rename(ctx: Ctx, org: Organization, cls: SchoolClass) -> None:
        await INPUTS.enter(ctx, ManageFlow.CLASS_RENAME, Typing(org=org.id, cls=cls.id))

    @on_button(labeler, deps, kbs.MgClassDel, rights, class_named(deps), leaves=INPUTS)
    async def class_delete_ask(ctx: Ctx, org: Organization, cls: SchoolClass) -> None:
        count = await deps.classes.member_count(cls.id)
        keyboard = kbs.confirm_class_delete(ctx.kb(), ctx.t, org.id, cls.id)
        await ctx.show(ctx.t("mg-class-delete-ask", name=cls.name, count=count), keyboard)

    @on_button(labeler, deps, kbs.MgClassDelYes, rights, leaves=INPUTS)
    async def class_delete(ctx: Ctx, data: kbs.MgClassDelYes, org: Organization) -> None:
        cls = await manage.delete_class(deps, org.id, data.cls, ctx.vk_id)
        notice = ctx.t("mg-class-deleted", name=cls.name) if cls else ctx.t("mg-class-gone")
        await views.classes(ctx, org, 0, edit=True, notice=notice)
