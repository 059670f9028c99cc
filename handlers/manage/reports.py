"""What an organization's administrator reads out: the audit trail and the CSV exports."""

from __future__ import annotations

from vkbottle.bot import BotLabeler

from bot.deps import Deps
from bot.services import audit_trail, manage
from handlers.common import Ctx, on_button
from handlers.manage import views
from handlers.manage.inputs import INPUTS
from handlers.manage.rules import admin_of
from keyboards import manage as kbs
from storage.models import Organization


def bind(labeler: BotLabeler, deps: Deps) -> None:
    rights = admin_of(deps)

    @on_button(labeler, deps, kbs.MgAudit, rights, leaves=INPUTS)
    async def audit(ctx: Ctx, data: kbs.MgAudit, org: Organization) -> None:
        trail = await audit_trail.page(deps, org.id, data.p, ctx.locale)
        if not trail.total:
            text = ctx.t("audit-empty", org=org.name)
        else:
            title = ctx.t(
                "audit-title",
                org=org.name,
                total=trail.total,
                page=trail.page + 1,
                pages=trail.pages,
            )
            lines = [audit_trail.render(deps.t, ctx.locale, line) for line in trail.lines]
            text = views.join(title, "\n".join(lines))
        keyboard = kbs.audit_page(ctx.kb(), ctx.t, org.id, trail.page, trail.pages)
        await ctx.show(text, keyboard)

    @on_button(labeler, deps, kbs.MgExport, rights, leaves=INPUTS)
    async def export_menu(ctx: Ctx, org: Organization) -> None:
        kinds = (manage.ExportKind.STAFF.value, manage.ExportKind.APPLICATIONS.value)
        keyboard = kbs.export_menu(ctx.kb(), ctx.t, org.id, kinds)
        await ctx.show(ctx.t("mg-export-ask", org=org.name), keyboard)

    @on_button(labeler, deps, kbs.MgExportFile, rights, leaves=INPUTS)
    async def export_file(ctx: Ctx, data: kbs.MgExportFile, org: Organization) -> None:
        try:
            kind = manage.ExportKind(data.kind)
        except ValueError:
            await ctx.snackbar(ctx.t("button-stale"))
            return
        await ctx.ack()
        attachment = await manage.export_file(deps, org, kind, ctx.vk_id, ctx.peer_id, ctx.locale)
        key = "mg-export-staff-done" if kind is manage.ExportKind.STAFF else "mg-export-apps-done"
        await ctx.reply(ctx.t(key, org=org.name), attachment=attachment)
