"""My profile: the person's badge, role and classes in each organization, leaving one, and
"My data" with its erasure."""

from __future__ import annotations

from vkbottle.bot import BotLabeler

from bot.deps import Deps
from bot.services import profile
from bot.services.roster import clamp_page
from bot.text import msk_date
from handlers.common import Ctx, on_button
from handlers.notices import tell
from keyboards import profile as kbs
from keyboards.manage import admins_shortcut
from keyboards.menu import MenuProfile, home_button

# Applications listed in "My data"; the rest are counted.
DATA_APPS_SHOWN = 10


def _entry(ctx: Ctx, entry: profile.OrgEntry) -> str:
    if entry.person is None:
        return ctx.t("pf-admin-only", org=entry.org.name)
    m = entry.person.member
    text = ctx.t(
        "pf-entry",
        org=entry.org.name,
        role=ctx.t(f"role-{m.role.value}"),
        position=m.position or "-",
        classes=", ".join(entry.person.classes) or ctx.t("pf-no-classes"),
        since=entry.person.since,
    )
    if entry.is_admin:
        text += "\n" + ctx.t("pf-admin-mark")
    if entry.org.archived_at is not None:
        text += "\n" + ctx.t("pf-archived")
    return text


async def show_profile(ctx: Ctx, *, edit: bool) -> None:
    mine = await profile.profile(ctx.deps, ctx.vk_id)
    parts = [ctx.t("pf-title")]
    parts += [_entry(ctx, e) for e in mine.entries] or [ctx.t("pf-none")]
    if mine.pending:
        lines = [ctx.t("pf-pending-title")]
        lines += [
            ctx.t("pf-pending", org=org.name, date=msk_date(app.created_at))
            for app, org in mine.pending
        ]
        parts.append("\n".join(lines))
    member = any(e.person is not None for e in mine.entries)
    keyboard = kbs.profile_keyboard(ctx.kb(), ctx.t, member=member)
    if edit:
        await ctx.show("\n\n".join(parts), keyboard)
    else:
        await ctx.reply("\n\n".join(parts), keyboard)


async def _leave_ask(ctx: Ctx, org_id: int) -> None:
    member = await ctx.deps.members.active(org_id, ctx.vk_id)
    org = await ctx.deps.orgs.get(org_id)
    if member is None or org is None:
        await ctx.snackbar(ctx.t("pf-not-member"))
        await show_profile(ctx, edit=True)
        return
    text = ctx.t("pf-leave-ask", org=org.name)
    if ctx.vk_id in await ctx.deps.orgs.admin_ids(org_id):
        text += "\n\n" + ctx.t("pf-leave-ask-admin")
    await ctx.show(text, kbs.confirm_leave(ctx.kb(), ctx.t, org_id))


async def _data_text(ctx: Ctx) -> str:
    data = await profile.my_data(ctx.deps, ctx.user)
    parts = [ctx.t("pf-data-title")]
    about = [ctx.t("pf-data-vk", vk=f"vk.com/id{ctx.vk_id}")]
    if data.user.vk_name:
        about.append(ctx.t("pf-data-vk-name", name=data.user.vk_name))
    about.append(ctx.t("pf-data-locale", lang=data.user.locale))
    parts.append("\n".join(about))
    members = [(e.org, e.person) for e in data.entries if e.person is not None]
    if members:
        lines = [ctx.t("pf-data-members")]
        for org, person in members:
            m = person.member
            lines.append(
                ctx.t(
                    "pf-data-member",
                    org=org.name,
                    name=m.full_name,
                    role=ctx.t(f"role-{m.role.value}"),
                    position=m.position or "-",
                    since=person.since,
                )
            )
        parts.append("\n".join(lines))
    admin_of = [e.org.name for e in data.entries if e.is_admin]
    if admin_of:
        parts.append(ctx.t("pf-data-admin", orgs=", ".join(admin_of)))
    if data.applications:
        lines = [ctx.t("pf-data-apps", count=len(data.applications))]
        for app, org in data.applications[:DATA_APPS_SHOWN]:
            lines.append(
                ctx.t(
                    "pf-data-app",
                    org=org.name,
                    name=app.full_name or "-",
                    status=ctx.t(f"status-{app.status.value}"),
                    date=msk_date(app.created_at),
                )
            )
        if len(data.applications) > DATA_APPS_SHOWN:
            lines.append(ctx.t("pf-data-more", count=len(data.applications) - DATA_APPS_SHOWN))
        parts.append("\n".join(lines))
    parts.append(ctx.t("pf-data-history", past=data.past_memberships, entries=data.audit_entries))
    parts.append(ctx.t("pf-data-why"))
    return "\n\n".join(parts)


def make_labeler(deps: Deps) -> BotLabeler:
    labeler = BotLabeler()

    @on_button(labeler, deps, MenuProfile)
    async def open_profile(ctx: Ctx) -> None:
        await show_profile(ctx, edit=False)

    @on_button(labeler, deps, kbs.PfLeavePick)
    async def leave_pick(ctx: Ctx, data: kbs.PfLeavePick) -> None:
        orgs = await profile.member_orgs(deps, ctx.vk_id)
        if not orgs:
            await show_profile(ctx, edit=True)
            return
        if len(orgs) == 1:
            await _leave_ask(ctx, orgs[0].id)
            return
        page = clamp_page(data.p, len(orgs), kbs.PICK_PAGE)
        await ctx.show(ctx.t("pf-leave-pick"), kbs.pick_org(ctx.kb(), ctx.t, orgs, page))

    @on_button(labeler, deps, kbs.PfLeave)
    async def leave_ask(ctx: Ctx, data: kbs.PfLeave) -> None:
        await _leave_ask(ctx, data.org)

    @on_button(labeler, deps, kbs.PfLeaveYes)
    async def leave(ctx: Ctx, data: kbs.PfLeaveYes) -> None:
        org = await deps.orgs.get(data.org)
        outcome = await profile.leave(deps, ctx.vk_id, data.org)
        name = org.name if org is not None else ""
        if outcome is profile.Leave.LAST_ADMIN:
            keyboard = admins_shortcut(ctx.kb(), ctx.t, data.org)
            await ctx.show(ctx.t("pf-last-admin", org=name), kbs.back_to_profile(keyboard, ctx.t))
            return
        key = "pf-left" if outcome is profile.Leave.LEFT else "pf-not-member"
        await ctx.show(ctx.t(key, org=name), kbs.back_to_profile(ctx.kb(), ctx.t))

    @on_button(labeler, deps, kbs.PfData)
    async def my_data(ctx: Ctx) -> None:
        await ctx.show(await _data_text(ctx), kbs.data_keyboard(ctx.kb(), ctx.t))

    @on_button(labeler, deps, kbs.PfErase)
    async def erase_ask(ctx: Ctx) -> None:
        preview = await profile.erase_preview(deps, ctx.vk_id)
        text = ctx.t("pf-erase-ask", pending=preview.pending, orgs=preview.orgs)
        if preview.sole_admin_of:
            names = ", ".join(o.name for o in preview.sole_admin_of)
            text += "\n\n" + ctx.t("pf-erase-sole-admin", orgs=names)
        await ctx.show(text, kbs.confirm_erase(ctx.kb(), ctx.t))

    @on_button(labeler, deps, kbs.PfEraseYes)
    async def erase(ctx: Ctx) -> None:
        done = await profile.erase(deps, ctx.vk_id)
        superadmins = sorted(deps.settings.superadmin_ids)
        for org in done.orphaned:
            await tell(deps, superadmins, "pf-orphaned-org", org=org.name, org_id=str(org.id))
        if not done.changed:
            await ctx.show(ctx.t("pf-erase-nothing"), home_button(ctx.kb(), ctx.t))
            return
        await ctx.show(
            ctx.t("pf-erased", withdrawn=done.withdrawn, left=done.left),
            home_button(ctx.kb(), ctx.t),
        )

    return labeler
