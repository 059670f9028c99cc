"""An organization's administrators: the list, appointing a member, dismissing one."""

from __future__ import annotations

from vkbottle.bot import BotLabeler

from bot.deps import Deps
from bot.services import manage
from bot.services.roster import RosterEntry
from handlers.common import Ctx, on_button
from handlers.manage import views
from handlers.manage.inputs import INPUTS
from handlers.manage.rules import admin_of, member_named
from handlers.notices import tell
from keyboards import manage as kbs
from storage.models import Organization


def bind(labeler: BotLabeler, deps: Deps) -> None:
    rights = admin_of(deps)

    @on_button(labeler, deps, kbs.MgAdmins, rights, leaves=INPUTS)
    async def admins(ctx: Ctx, data: kbs.MgAdmins, org: Organization) -> None:
        await views.admins(ctx, org, data.p, edit=True)

    @on_button(labeler, deps, kbs.MgAdmin, rights, leaves=INPUTS)
    async def admin_card(ctx: Ctx, data: kbs.MgAdmin, org: Organization) -> None:
        found = {a.vk_id: a for a in await manage.admins(deps, org.id)}
        if data.vk not in found:
            await views.admins(ctx, org, 0, edit=True, notice=ctx.t("mg-admin-gone"))
            return
        if len(found) == 1:
            await views.admins(ctx, org, 0, edit=True, notice=ctx.t("mg-admin-last"))
            return
        key = "mg-dismiss-self-ask" if data.vk == ctx.vk_id else "mg-dismiss-ask"
        name = found[data.vk].name or f"id{data.vk}"
        keyboard = kbs.confirm_dismiss(ctx.kb(), ctx.t, org.id, data.vk)
        await ctx.show(ctx.t(key, name=name, org=org.name), keyboard)

    @on_button(labeler, deps, kbs.MgDismiss, rights, leaves=INPUTS)
    async def dismiss(ctx: Ctx, data: kbs.MgDismiss, org: Organization) -> None:
        outcome = await manage.dismiss(deps, org, data.vk, ctx.vk_id)
        if outcome is manage.Dismiss.DONE and data.vk != ctx.vk_id:
            await tell(deps, [data.vk], "mg-dismissed-notice", org=org.name)
        if outcome is manage.Dismiss.DONE and data.vk == ctx.vk_id:
            await ctx.show(ctx.t("mg-dismissed-self", org=org.name), None)
            return
        key = {
            manage.Dismiss.DONE: "mg-dismissed",
            manage.Dismiss.LAST: "mg-admin-last",
            manage.Dismiss.NOT_ADMIN: "mg-admin-gone",
        }[outcome]
        await views.admins(ctx, org, 0, edit=True, notice=ctx.t(key))

    @on_button(labeler, deps, kbs.MgAppoint, rights, leaves=INPUTS)
    async def appoint_pick(ctx: Ctx, data: kbs.MgAppoint, org: Organization) -> None:
        found = await manage.candidates(deps, org.id, data.p)
        lines = [ctx.t("mg-appoint-title", org=org.name)]
        if found.pages > 1:
            lines.append(ctx.t("mg-page", page=found.page + 1, pages=found.pages))
        first = found.page * manage.PAGE_SIZE + 1
        lines += [views.staff_line(ctx, n, p) for n, p in enumerate(found.people, first)]
        if not found.people:
            lines.append(ctx.t("mg-appoint-none"))
        entries = [(p.member.full_name, p.member.id) for p in found.people]
        keyboard = kbs.candidates(ctx.kb(), ctx.t, org.id, entries, found.page, found.pages)
        await ctx.show("\n\n".join(lines), keyboard)

    @on_button(labeler, deps, kbs.MgAppointAsk, rights, member_named(deps), leaves=INPUTS)
    async def appoint_ask(ctx: Ctx, org: Organization, person: RosterEntry) -> None:
        if person.is_admin:
            await views.admins(ctx, org, 0, edit=True, notice=ctx.t("mg-appoint-already"))
            return
        keyboard = kbs.confirm_appoint(ctx.kb(), ctx.t, org.id, person.member.id)
        text = ctx.t("mg-appoint-ask", name=person.member.full_name, org=org.name)
        await ctx.show(text, keyboard)

    @on_button(labeler, deps, kbs.MgAppointYes, rights, leaves=INPUTS)
    async def appoint(ctx: Ctx, data: kbs.MgAppointYes, org: Organization) -> None:
        person = await manage.org_member(deps, org.id, data.m)
        outcome = await manage.appoint(deps, org, data.m, ctx.vk_id)
        if outcome is manage.Appoint.DONE and person is not None:
            await tell(deps, [person.member.vk_id], "mg-appointed-notice", org=org.name)
            notice = ctx.t("mg-appointed", name=person.member.full_name)
        elif outcome is manage.Appoint.ALREADY:
            notice = ctx.t("mg-appoint-already")
        else:
            notice = ctx.t("mg-member-gone")
        await views.admins(ctx, org, 0, edit=True, notice=notice)
