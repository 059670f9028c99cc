""" "My applications": the person's applications, page by page, and withdrawing one."""

from __future__ import annotations

from vkbottle.bot import BotLabeler

from bot.deps import Deps
from bot.services import apply as svc
from bot.text import msk_date
from handlers.apply import views
from handlers.common import Ctx, on_button
from keyboards import apply as kbs
from keyboards.menu import MenuApply, MenuMyApplications
from storage.models import AppStatus


async def show_applications(ctx: Ctx, page: int, notice: str | None = None) -> None:
    t, deps = ctx.t, ctx.deps
    apps = await deps.applications.of_user(ctx.vk_id)
    if not apps:
        text = t("apps-empty")
        keyboard = ctx.kb().button(t("menu-apply"), MenuApply(), "positive")
        await ctx.show(
            (notice + "\n\n" + text) if notice else text,
            kbs.to_menu(keyboard, t, my_applications=False),
        )
        return
    total_pages = kbs.pages(len(apps), kbs.APPS_PER_PAGE)
    page = min(max(page, 0), total_pages - 1)
    shown = apps[page * kbs.APPS_PER_PAGE : (page + 1) * kbs.APPS_PER_PAGE]
    items = []
    for app in shown:
        org = await deps.orgs.get(app.org_id)
        item = t(
            "apps-item",
            id=app.id,
            org=svc.org_title(org) if org is not None else "",
            role=t(f"role-{app.role.value}"),
            date=msk_date(app.created_at),
            status=t(f"status-{app.status.value}"),
        )
        if app.status is AppStatus.REJECTED:
            item += "\n" + t("apps-reason", reason=views.reason_of(ctx, app))
        items.append(item)
    text = t("apps-title") + "\n\n" + "\n\n".join(items)
    if total_pages > 1:
        text += "\n\n" + t("apply-page", page=page + 1, pages=total_pages)
    if notice:
        text = notice + "\n\n" + text
    pending = [a.id for a in shown if a.status is AppStatus.PENDING]
    await ctx.show(text, kbs.my_applications(ctx.kb(), t, pending, page, total_pages))


def bind(labeler: BotLabeler, deps: Deps) -> None:
    @on_button(labeler, deps, MenuMyApplications)
    async def my_applications(ctx: Ctx) -> None:
        await show_applications(ctx, 0)

    @on_button(labeler, deps, kbs.AsList)
    async def applications_page(ctx: Ctx, data: kbs.AsList) -> None:
        await show_applications(ctx, data.p)

    @on_button(labeler, deps, kbs.AsWithdraw)
    async def withdraw_ask(ctx: Ctx, data: kbs.AsWithdraw) -> None:
        app = await svc.own_application(ctx.deps, ctx.vk_id, data.a)
        if app is None:
            await show_applications(ctx, 0, ctx.t("apps-not-found"))
            return
        if app.status is not AppStatus.PENDING:
            status = ctx.t(f"status-{app.status.value}")
            await show_applications(ctx, 0, ctx.t("apps-not-pending", id=app.id, status=status))
            return
        org = await ctx.deps.orgs.get(app.org_id)
        text = ctx.t(
            "apps-withdraw-ask", id=app.id, org=svc.org_title(org) if org is not None else ""
        )
        await ctx.show(text, kbs.withdraw_confirm(ctx.kb(), ctx.t, app.id))

    @on_button(labeler, deps, kbs.AsWithdrawYes)
    async def withdraw_yes(ctx: Ctx, data: kbs.AsWithdrawYes) -> None:
        outcome, app = await svc.withdraw(ctx.deps, ctx.vk_id, data.a)
        if outcome is svc.WithdrawOutcome.NOT_FOUND or app is None:
            await show_applications(ctx, 0, ctx.t("apps-not-found"))
            return
        if outcome is svc.WithdrawOutcome.NOT_PENDING:
            status = ctx.t(f"status-{app.status.value}")
            await show_applications(ctx, 0, ctx.t("apps-not-pending", id=app.id, status=status))
            return
        draft = await svc.has_draft(ctx.deps, ctx.vk_id)
        await ctx.show(
            ctx.t("apps-withdrawn", id=app.id), kbs.after_withdraw(ctx.kb(), ctx.t, draft)
        )
