"""Browsing organizations: the list and its pages, a search, a card, archiving."""

from __future__ import annotations

from vkbottle.bot import BotLabeler

from bot.deps import Deps
from bot.services import organizations as svc
from handlers.common import Ctx, on_button
from handlers.flow import FINISH, Edge, Flow, Reask, Step
from handlers.superadmin.base import LEAVE, Nothing, OrgFlow
from handlers.superadmin.rules import OrgNamed, gate, restart
from handlers.superadmin.views import problem_text, search_view, show_card, show_list
from keyboards import superadmin as kbs
from keyboards.menu import MenuOrganizations
from storage.models import Organization


async def typed_query(ctx: Ctx, _: Nothing) -> Reask | None:
    try:
        query = svc.clean_query(ctx.text)
    except svc.OrgError as exc:
        return Reask(problem_text(ctx, exc))
    await SEARCH.leave(ctx)
    await show_list(ctx, 0, query)
    return None


SEARCH = Flow(
    "flow-orgs-search",
    OrgFlow,
    Nothing,
    [
        Step(
            OrgFlow.SEARCH,
            search_view,
            accepts=("flow-typed-query",),
            typed=typed_query,
            next=(Edge(FINISH, by="flow-by-list"),),
            sep="\n",
        )
    ],
    entries=[Edge(OrgFlow.SEARCH.value, by="orgs-btn-find")],
    lost=restart,
    use_buttons="orgs-use-buttons",
    edits=False,
)


def bind(labeler: BotLabeler, deps: Deps) -> None:
    superadmin = gate(deps)

    @on_button(labeler, deps, MenuOrganizations, superadmin)
    async def section(ctx: Ctx) -> None:
        # Coming from the main menu is starting over: what is typed next is no longer the
        # answer to a question asked before the person left.
        await LEAVE.leave(ctx)
        await show_list(ctx, 0)

    @on_button(labeler, deps, kbs.OgList, superadmin)
    async def list_page(ctx: Ctx, data: kbs.OgList) -> None:
        await show_list(ctx, data.page, data.q)

    @on_button(labeler, deps, kbs.OgOpen, superadmin, OrgNamed(deps))
    async def open_org(ctx: Ctx, org: Organization) -> None:
        await show_card(ctx, org)

    @on_button(labeler, deps, kbs.OgFind, superadmin)
    async def find(ctx: Ctx) -> None:
        await SEARCH.enter(ctx, OrgFlow.SEARCH, Nothing())

    @on_button(labeler, deps, kbs.OgCancel, superadmin)
    async def cancel(ctx: Ctx) -> None:
        await LEAVE.leave(ctx)
        await show_list(ctx, 0, notice=ctx.t("orgs-cancelled"))

    @on_button(labeler, deps, kbs.OgArchive, superadmin, OrgNamed(deps))
    async def archive(ctx: Ctx, org: Organization) -> None:
        if org.archived_at is not None:
            await show_card(ctx, org, ctx.t("orgs-already-archived", name=org.name))
            return
        kb = kbs.archive_confirm(ctx.kb(), ctx.t, org.id)
        await ctx.show(ctx.t("orgs-archive-confirm", name=org.name), kb)

    @on_button(labeler, deps, kbs.OgArchiveYes, superadmin, OrgNamed(deps))
    async def archive_yes(ctx: Ctx, org: Organization) -> None:
        done = await svc.archive(ctx.deps, ctx.vk_id, org.id)
        key = "orgs-archived" if done else "orgs-already-archived"
        await show_list(ctx, 0, notice=ctx.t(key, name=org.name))

    SEARCH.bind(labeler, deps, gates=(superadmin,))
