"""An organization's staff: the list by role, a member's card, position and classes, removal."""

from __future__ import annotations

from vkbottle.bot import BotLabeler

from bot.deps import Deps
from bot.services import manage
from bot.services.roster import RosterEntry
from handlers.common import Ctx, on_button
from handlers.manage import views
from handlers.manage.base import ManageFlow, Typing
from handlers.manage.inputs import INPUTS, removed
from handlers.manage.rules import admin_of, member_named
from keyboards import manage as kbs
from storage.models import Organization


def bind(labeler: BotLabeler, deps: Deps) -> None:
    rights = admin_of(deps)

    @on_button(labeler, deps, kbs.MgStaff, rights, leaves=INPUTS)
    async def staff(ctx: Ctx, data: kbs.MgStaff, org: Organization) -> None:
        await views.staff(ctx, org, views.role_of(data.r), data.p, edit=True)

    @on_button(labeler, deps, kbs.MgRoles, rights, leaves=INPUTS)
    async def roles(ctx: Ctx, org: Organization) -> None:
        counts = await manage.role_counts(deps, org.id)
        await ctx.show(ctx.t("mg-roles-ask"), kbs.roles_filter(ctx.kb(), ctx.t, org.id, counts))

    @on_button(labeler, deps, kbs.MgMember, rights, member_named(deps), leaves=INPUTS)
    async def member(ctx: Ctx, org: Organization, person: RosterEntry) -> None:
        await views.member(ctx, org, person, edit=True)

    @on_button(labeler, deps, kbs.MgPosition, rights, member_named(deps), leaves=INPUTS)
    async def position(ctx: Ctx, org: Organization, person: RosterEntry) -> None:
        await INPUTS.enter(ctx, ManageFlow.POSITION, Typing(org=org.id, m=person.member.id))

    @on_button(labeler, deps, kbs.MgMemberClasses, rights, member_named(deps), leaves=INPUTS)
    async def member_classes(
        ctx: Ctx, data: kbs.MgMemberClasses, org: Organization, person: RosterEntry
    ) -> None:
        await views.member_classes(ctx, org, person, data.p, edit=True)

    @on_button(labeler, deps, kbs.MgToggle, rights, leaves=INPUTS)
    async def toggle(ctx: Ctx, data: kbs.MgToggle, org: Organization) -> None:
        changed = await manage.toggle_class(deps, org.id, data.m, data.cls, ctx.vk_id)
        person = await manage.org_member(deps, org.id, data.m) if changed else None
        if person is None:
            await views.staff(ctx, org, None, 0, edit=True, notice=ctx.t("mg-member-gone"))
            return
        await views.member_classes(ctx, org, person, data.p, edit=True)

    @on_button(labeler, deps, kbs.MgRemove, rights, member_named(deps), leaves=INPUTS)
    async def remove_ask(ctx: Ctx, org: Organization, person: RosterEntry) -> None:
        m = person.member
        if m.vk_id == ctx.vk_id:
            await views.member(ctx, org, person, edit=True, notice=ctx.t("mg-remove-self"))
            return
        keyboard = kbs.remove_reasons(ctx.kb(), ctx.t, org.id, m.id, manage.REMOVE_REASONS)
        await ctx.show(ctx.t("mg-remove-ask", name=m.full_name, org=org.name), keyboard)

    @on_button(labeler, deps, kbs.MgRemoveWhy, rights, member_named(deps), leaves=INPUTS)
    async def remove_why(
        ctx: Ctx, data: kbs.MgRemoveWhy, org: Organization, person: RosterEntry
    ) -> None:
        if data.why in manage.REMOVE_REASONS:
            await removed(ctx, org, data.m, data.why, "")
            return
        await INPUTS.enter(ctx, ManageFlow.REASON, Typing(org=org.id, m=data.m))
