"""Administrators' invitations: which organization, its screen, the active list, a card,
revoking. Rights are the service's to check (it answers None or NO_RIGHTS)."""

from __future__ import annotations

from vkbottle.bot import BotLabeler

from bot.deps import Deps
from bot.services import invitations as svc
from handlers.common import Ctx, on_button
from handlers.invitations import views
from handlers.invitations.create import CREATE, NO_RIGHTS
from handlers.needs import AdminOf
from keyboards import invitations as kbs
from keyboards.builder import KeyboardBuilder
from keyboards.menu import MenuInvitations
from storage.invitations import InvitationStats
from storage.models import Organization

PER_PAGE = 5


async def present(ctx: Ctx, text: str, kb: KeyboardBuilder, *, edit: bool) -> None:
    """Replace the pressed message when moving within a screen, else send a new one."""
    if edit:
        await ctx.show(text, kb)
    else:
        await ctx.reply(text, kb)


async def org_screen(ctx: Ctx, org: Organization, *, edit: bool) -> None:
    await CREATE.leave(ctx)
    active = await ctx.deps.invitations.count_active(org.id, ctx.deps.clock.now())
    several = len(await ctx.deps.orgs.administered(ctx.vk_id)) > 1
    text = ctx.t("invite-org", org=org.name, count=active)
    await present(ctx, text, kbs.org_screen(ctx.kb(), ctx.t, org.id, active, several), edit=edit)


async def org_picker(ctx: Ctx, orgs: list[Organization], page: int, *, edit: bool) -> None:
    await CREATE.leave(ctx)
    page = max(0, min(page, (len(orgs) - 1) // kbs.ORGS_PER_PAGE))
    kb = kbs.org_picker(ctx.kb(), ctx.t, orgs, page)
    await present(ctx, ctx.t("invite-pick-org"), kb, edit=edit)


async def card(ctx: Ctx, stats: InvitationStats, note: str = "") -> None:
    text, active = await views.card_text(ctx, stats)
    inv = stats.invitation
    kb = kbs.invitation_card(ctx.kb(), ctx.t, inv.id, inv.org_id, active=active)
    await ctx.show(views.paragraphs(note, text), kb)


def bind(labeler: BotLabeler, deps: Deps) -> None:
    @on_button(labeler, deps, MenuInvitations)
    async def menu(ctx: Ctx) -> None:
        orgs = await deps.orgs.administered(ctx.vk_id)
        if not orgs:
            await NO_RIGHTS(ctx)
        elif len(orgs) == 1:
            await org_screen(ctx, orgs[0], edit=False)
        else:
            await org_picker(ctx, orgs, 0, edit=False)

    @on_button(labeler, deps, kbs.IvOrgs)
    async def orgs_page(ctx: Ctx, data: kbs.IvOrgs) -> None:
        orgs = await deps.orgs.administered(ctx.vk_id)
        if not orgs:
            await NO_RIGHTS(ctx)
            return
        await org_picker(ctx, orgs, data.page, edit=True)

    @on_button(labeler, deps, kbs.IvOrg, AdminOf(deps, lambda u: int(u.data.org), NO_RIGHTS))
    async def org(ctx: Ctx, org: Organization) -> None:
        await org_screen(ctx, org, edit=True)

    @on_button(labeler, deps, kbs.IvList)
    async def listing(ctx: Ctx, data: kbs.IvList) -> None:
        found = await svc.active_page(deps, ctx.vk_id, data.org, data.page, PER_PAGE)
        org = await deps.orgs.get(data.org)
        if found is None or org is None:
            await NO_RIGHTS(ctx)
            return
        await CREATE.leave(ctx)
        if not found.rows:
            text = ctx.t("invite-list-empty", org=org.name)
        else:
            first = found.page * PER_PAGE + 1
            items = [views.list_item(ctx, n, s) for n, s in enumerate(found.rows, start=first)]
            title = ctx.t("invite-list-title", org=org.name, total=found.total)
            text = views.paragraphs(title, *items)
        ids = [s.invitation.id for s in found.rows]
        kb = kbs.invitation_list(ctx.kb(), ctx.t, org.id, ids, found.page, found.total, PER_PAGE)
        await ctx.show(text, kb)

    @on_button(labeler, deps, kbs.IvShow)
    async def show(ctx: Ctx, data: kbs.IvShow) -> None:
        stats = await svc.details(deps, ctx.vk_id, data.inv)
        if stats is None:
            await NO_RIGHTS(ctx)
            return
        await card(ctx, stats)

    @on_button(labeler, deps, kbs.IvRevoke)
    async def ask_revoke(ctx: Ctx, data: kbs.IvRevoke) -> None:
        stats = await svc.details(deps, ctx.vk_id, data.inv)
        if stats is None:
            await NO_RIGHTS(ctx)
            return
        if stats.invitation.revoked_at is not None:
            note = ctx.t("invite-revoke-already", name=views.title(ctx, stats))
            await card(ctx, stats, note)
            return
        text = ctx.t("invite-revoke-confirm", name=views.title(ctx, stats))
        await ctx.show(text, kbs.revoke_confirm(ctx.kb(), ctx.t, data.inv))

    @on_button(labeler, deps, kbs.IvRevokeYes)
    async def revoke(ctx: Ctx, data: kbs.IvRevokeYes) -> None:
        result = await svc.revoke(deps, ctx.vk_id, data.inv)
        stats = await svc.details(deps, ctx.vk_id, data.inv)
        if result is svc.RevokeResult.NO_RIGHTS or stats is None:
            await NO_RIGHTS(ctx)
            return
        key = "invite-revoked" if result is svc.RevokeResult.REVOKED else "invite-revoke-already"
        kb = kbs.back_to_list(ctx.kb(), ctx.t, stats.invitation.org_id)
        await ctx.show(ctx.t(key, name=views.title(ctx, stats)), kb)
