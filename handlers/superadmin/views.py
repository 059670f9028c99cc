"""What a superadmin sees in the organizations section: the list, a card, a draft's fields."""

from __future__ import annotations

from bot.services import organizations as svc
from handlers.common import Ctx
from handlers.flow import View
from handlers.superadmin.base import Appointing, Draft, Nothing
from keyboards import superadmin as kbs
from storage.models import Organization


def fields_text(ctx: Ctx, draft: Draft) -> str:
    dash = ctx.t("orgs-empty-value")
    return ctx.t(
        "orgs-fields",
        name=draft.name or dash,
        short=draft.short_name or dash,
        type=ctx.t(f"orgtype-{draft.type}") if draft.type else dash,
        inn=draft.inn or ctx.t("orgs-no-inn"),
        region=draft.region or dash,
        city=draft.city or dash,
    )


def draft_of(org: Organization, token: int) -> Draft:
    return Draft(
        token=token,
        org_id=org.id,
        name=org.name,
        short_name=org.short_name,
        type=org.type.value,
        inn=org.inn or "",
        region=org.region,
        city=org.city,
        reviewing=True,
    )


def problem_text(ctx: Ctx, error: svc.OrgError, *, with_field: bool = False) -> str:
    text = svc.describe(error, ctx.deps.t, ctx.locale)
    if with_field and error.field in kbs.FIELDS:
        return ctx.t("orgs-problem", field=ctx.t(f"orgs-field-{error.field}"), problem=text)
    return text


def joined(*parts: str | None) -> str:
    return "\n\n".join(p for p in parts if p)


async def show_list(ctx: Ctx, page: int, query: str = "", notice: str | None = None) -> None:
    found = await svc.list_page(ctx.deps, ctx.vk_id, page, query)
    if found.orgs:
        paging = {"page": found.page + 1, "pages": found.pages, "total": found.total}
        title = (
            ctx.t("orgs-list-found", query=query, **paging)
            if query
            else ctx.t("orgs-list-title", archived=found.archived, **paging)
        )
        items = "\n".join(
            ctx.t(
                "orgs-list-item", n=n, name=o.name, city=o.city, inn=o.inn or ctx.t("orgs-no-inn")
            )
            for n, o in enumerate(found.orgs, 1)
        )
        text = joined(notice, title, items, ctx.t("orgs-list-hint"))
    else:
        empty = ctx.t("orgs-list-nothing", query=query) if query else ctx.t("orgs-list-empty")
        text = joined(notice, empty)
    kb = kbs.org_list(ctx.kb(), ctx.t, found.orgs, page=found.page, pages=found.pages, query=query)
    await ctx.show(text, kb)


async def show_card(ctx: Ctx, org: Organization, notice: str | None = None) -> None:
    admins = await svc.admin_count(ctx.deps, ctx.vk_id, org.id)
    card = ctx.t(
        "orgs-card",
        id=str(org.id),
        fields=fields_text(ctx, draft_of(org, 0)),
        admins=admins,
    )
    archived = ctx.t("orgs-card-archived") if org.archived_at is not None else None
    await ctx.show(joined(notice, card, archived), kbs.org_card(ctx.kb(), ctx.t, org))


def field_view(ctx: Ctx, draft: Draft, field: str) -> View:
    """The question for one field, with its current value."""
    current = getattr(draft, field)
    if field == "type" and current:
        current = ctx.t(f"orgtype-{current}")
    now = ctx.t("orgs-current", value=current) if current else None
    text = "\n".join(p for p in (ctx.t(f"orgs-ask-{field}"), now) if p)
    if field == "type":
        kb = kbs.types(ctx.kb(), ctx.t, draft.token, reviewing=draft.reviewing)
    else:
        kb = kbs.step(ctx.kb(), ctx.t, draft.token, reviewing=draft.reviewing)
    return text, kb


async def review_view(ctx: Ctx, draft: Draft) -> View:
    if draft.org_id is None:
        body = ctx.t("orgs-review-new", fields=fields_text(ctx, draft))
    else:
        body = ctx.t("orgs-review-edit", id=str(draft.org_id), fields=fields_text(ctx, draft))
    return body, kbs.review(ctx.kb(), ctx.t, draft.token, new=draft.org_id is None)


async def search_view(ctx: Ctx, _: Nothing) -> View:
    return ctx.t("orgs-ask-search"), kbs.cancel(ctx.kb(), ctx.t)


async def admin_view(ctx: Ctx, appointing: Appointing) -> View:
    org = await ctx.deps.orgs.get(appointing.org_id)
    name = org.name if org is not None else str(appointing.org_id)
    return ctx.t("orgs-ask-admin", org=name), kbs.cancel(ctx.kb(), ctx.t)
