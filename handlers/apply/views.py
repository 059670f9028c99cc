"""What the application conversation shows at each step, and why an organization is closed."""

from __future__ import annotations

from bot.services import apply as svc
from bot.services.apply import Block, BlockKind, Draft
from bot.text import msk_date
from handlers.common import Ctx
from handlers.flow import View
from keyboards import apply as kbs
from storage.models import Application, Organization
from storage.organizations import MAX_RESULTS


def reason_of(ctx: Ctx, app: Application) -> str:
    parts = []
    if app.reason_code and app.reason_code != "other":
        parts.append(ctx.t(f"reason-{app.reason_code}"))
    if app.reason_text:
        parts.append(app.reason_text)
    return ". ".join(parts) or ctx.t("apply-no-reason")


async def _org(ctx: Ctx, draft: Draft) -> Organization:
    """The draft's organization: the flow shows the organization step until there is one."""
    org = await ctx.deps.orgs.get(draft.org_id) if draft.org_id is not None else None
    assert org is not None
    return org


async def org_view(ctx: Ctx, draft: Draft) -> View:
    t, deps = ctx.t, ctx.deps
    current_org = await deps.orgs.get(draft.org_id) if draft.org_id is not None else None
    if not draft.query:
        text = t("apply-org-ask")
        if current_org is not None:
            text += "\n\n" + t("apply-org-current", org=svc.org_title(current_org))
        return text, kbs.org_ask(ctx.kb(), t, current_org)
    per = kbs.ORGS_PER_PAGE
    orgs, total = await deps.orgs.search(draft.query, offset=draft.page * per, limit=per)
    if total == 0:
        return t("apply-org-none", query=draft.query), kbs.org_none(ctx.kb(), t)
    total_pages = kbs.pages(min(total, MAX_RESULTS), per)
    if not orgs:  # an old page number: the list got shorter
        draft.page = 0
        orgs, total = await deps.orgs.search(draft.query, limit=per)
    lines = [
        t("apply-org-item", n=draft.page * per + i + 1, org=svc.org_title(org))
        for i, org in enumerate(orgs)
    ]
    header = (
        t("apply-org-found-many", max=MAX_RESULTS)
        if total > MAX_RESULTS
        else t("apply-org-found", total=total)
    )
    text = header + "\n\n" + "\n".join(lines)
    if total_pages > 1:
        text += "\n\n" + t("apply-page", page=draft.page + 1, pages=total_pages)
    text += "\n\n" + t("apply-org-refine")
    if current_org is not None:
        text = t("apply-org-current", org=svc.org_title(current_org)) + "\n\n" + text
    return text, kbs.org_results(ctx.kb(), t, orgs, draft.page, total_pages, draft.org_id)


async def role_view(ctx: Ctx, draft: Draft) -> View:
    org = await _org(ctx, draft)
    text = ctx.t("apply-role-ask", org=svc.org_title(org))
    return text, kbs.roles(ctx.kb(), ctx.t, svc.roles_for(org.type), draft.role)


async def name_view(ctx: Ctx, draft: Draft) -> View:
    first, last = await ctx.deps.names.of(ctx.vk_id)
    suggestion = svc.name_suggestion(first, last)
    text = ctx.t("apply-name-ask")
    if suggestion is not None and suggestion != draft.full_name:
        text += "\n" + ctx.t("apply-name-vk")
    return text, kbs.name(ctx.kb(), ctx.t, suggestion, draft.full_name)


async def position_view(ctx: Ctx, draft: Draft) -> View:
    return ctx.t("apply-position-ask"), kbs.position(ctx.kb(), ctx.t, draft.position)


async def classes_view(ctx: Ctx, draft: Draft) -> View:
    t = ctx.t
    org = await _org(ctx, draft)
    every = await ctx.deps.classes.of_org(org.id)
    if len(every) <= kbs.CLASSES_UNPAGED:
        shown, page, total_pages = every, 0, 1
    else:
        total_pages = kbs.pages(len(every), kbs.CLASSES_PER_PAGE)
        page = min(max(draft.class_page, 0), total_pages - 1)
        shown = every[page * kbs.CLASSES_PER_PAGE : (page + 1) * kbs.CLASSES_PER_PAGE]
    chosen = set(draft.class_ids)
    names = [c.name for c in every if c.id in chosen]
    text = t("apply-classes-ask", classes=", ".join(c.name for c in every))
    text += "\n\n" + (
        t("apply-classes-chosen", classes=", ".join(names)) if names else t("apply-classes-none")
    )
    if total_pages > 1:
        text += "\n" + t("apply-page", page=page + 1, pages=total_pages)
    return text, kbs.classes(ctx.kb(), t, shown, chosen, page, total_pages)


async def review_view(ctx: Ctx, draft: Draft) -> View:
    t = ctx.t
    org = await _org(ctx, draft)
    assert draft.role is not None
    assert draft.full_name is not None
    text = t(
        "apply-review",
        org=svc.org_title(org),
        role=t(f"role-{draft.role.value}"),
        name=draft.full_name,
        position=draft.position or t("apply-review-no-position"),
    )
    with_classes = await svc.wants_classes(ctx.deps, draft)
    if with_classes:
        names = await ctx.deps.classes.names(draft.class_ids)
        text += "\n" + t(
            "apply-review-classes", classes=", ".join(names) or t("apply-review-no-classes")
        )
    text += "\n\n" + t("apply-review-hint")
    return text, kbs.review(ctx.kb(), t, with_classes)


def block_text(ctx: Ctx, block: Block) -> str:
    t = ctx.t
    org = svc.org_title(block.org) if block.org is not None else ""
    app = block.application
    if block.kind is BlockKind.MEMBER:
        return t("apply-block-member", org=org)
    if block.kind is BlockKind.OPEN and app is not None:
        return t(
            "apply-block-open",
            id=app.id,
            org=org,
            date=msk_date(app.created_at),
            status=t(f"status-{app.status.value}"),
        )
    if block.kind is BlockKind.COOLDOWN and app is not None:
        hours, minutes = svc.hours_minutes(block.wait)
        return t(
            "apply-block-cooldown",
            org=org,
            reason=reason_of(ctx, app),
            hours=hours,
            minutes=minutes,
        )
    if block.kind is BlockKind.LIMIT:
        return t("apply-block-limit", count=block.count)
    if block.kind is BlockKind.RATE:
        hours, minutes = svc.hours_minutes(block.wait)
        return t("apply-block-rate", hours=hours, minutes=minutes)
    return t("apply-org-gone")
