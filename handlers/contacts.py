"""The organization's contact list for its verified staff: pages, search by name."""

from __future__ import annotations

from pydantic import BaseModel
from vkbottle import BaseStateGroup
from vkbottle.bot import BotLabeler

from bot.deps import Deps
from bot.services import contacts
from bot.services.roster import Problem, clamp_page
from handlers.common import Ctx, on_button
from handlers.flow import FINISH, Edge, Flow, Reask, Step, View
from keyboards import contacts as kbs
from keyboards.menu import MenuContacts
from storage.models import AppStatus


class ContactsFlow(BaseStateGroup):
    QUERY = "query"


class SearchDraft(BaseModel):
    org: int


async def _not_verified(ctx: Ctx, *, edit: bool) -> None:
    text = ctx.t("ct-not-verified")
    pending = [
        a for a in await ctx.deps.applications.of_user(ctx.vk_id) if a.status is AppStatus.PENDING
    ]
    if pending:
        text += "\n\n" + ctx.t("ct-pending", count=len(pending))
    keyboard = kbs.not_verified_keyboard(ctx.kb(), ctx.t)
    if edit:
        await ctx.show(text, keyboard)
    else:
        await ctx.reply(text, keyboard)


async def _show_page(ctx: Ctx, org_id: int, page: int, query: str, *, edit: bool) -> None:
    found = await contacts.contacts_page(ctx.deps, ctx.vk_id, org_id, page, query)
    if found is None:
        await _not_verified(ctx, edit=edit)
        return
    if query:
        lines = [ctx.t("ct-title-search", org=found.org.name, query=query, total=found.total)]
    else:
        lines = [ctx.t("ct-title", org=found.org.name, total=found.total)]
    if found.pages > 1:
        lines.append(ctx.t("ct-page", page=found.page + 1, pages=found.pages))
    for n, person in enumerate(found.people, found.page * contacts.PAGE_SIZE + 1):
        m = person.member
        lines.append(
            ctx.t(
                "ct-entry",
                n=n,
                name=m.full_name,
                admin=ctx.t("ct-admin-mark") if person.is_admin else "",
                role=ctx.t(f"role-{m.role.value}"),
                position=m.position or "-",
                vk=f"vk.com/id{m.vk_id}",
            )
        )
    if not found.people:
        lines.append(ctx.t("ct-nobody-found" if query else "ct-empty"))
    several = len(await contacts.verified_orgs(ctx.deps, ctx.vk_id)) > 1
    keyboard = kbs.page_keyboard(
        ctx.kb(), ctx.t, found.org.id, found.page, found.pages, query, several
    )
    text = "\n\n".join(lines)
    if edit:
        await ctx.show(text, keyboard)
    else:
        await ctx.reply(text, keyboard)


async def _pick(ctx: Ctx, page: int, *, edit: bool) -> None:
    orgs = await contacts.verified_orgs(ctx.deps, ctx.vk_id)
    if not orgs:
        await _not_verified(ctx, edit=edit)
        return
    if len(orgs) == 1:
        await _show_page(ctx, orgs[0].id, 0, "", edit=edit)
        return
    page = clamp_page(page, len(orgs), kbs.PICK_PAGE)
    keyboard = kbs.pick_org(ctx.kb(), ctx.t, orgs, page)
    if edit:
        await ctx.show(ctx.t("ct-pick"), keyboard)
    else:
        await ctx.reply(ctx.t("ct-pick"), keyboard)


async def search_view(ctx: Ctx, draft: SearchDraft) -> View:
    return ctx.t("ct-search-ask"), kbs.search_keyboard(ctx.kb(), ctx.t, draft.org)


async def typed_query(ctx: Ctx, draft: SearchDraft) -> Reask | None:
    value = contacts.clean_query(ctx.text)
    if isinstance(value, Problem):
        return Reask(ctx.t(f"ct-query-{value.value}", max=contacts.QUERY_MAX))
    await SEARCH.leave(ctx)
    await _show_page(ctx, draft.org, 0, value, edit=False)
    return None


async def lost(ctx: Ctx) -> None:
    await SEARCH.leave(ctx)
    await _pick(ctx, 0, edit=False)


SEARCH = Flow(
    "flow-contacts-search",
    ContactsFlow,
    SearchDraft,
    [
        Step(
            ContactsFlow.QUERY,
            search_view,
            accepts=("flow-typed-query",),
            typed=typed_query,
            next=(Edge(FINISH, by="flow-by-list"),),
        )
    ],
    entries=[Edge(ContactsFlow.QUERY.value, by="ct-search")],
    lost=lost,
    edits=False,
)


def make_labeler(deps: Deps) -> BotLabeler:
    labeler = BotLabeler()

    @on_button(labeler, deps, MenuContacts, leaves=SEARCH)
    async def open_contacts(ctx: Ctx) -> None:
        await _pick(ctx, 0, edit=False)

    @on_button(labeler, deps, kbs.CtPick, leaves=SEARCH)
    async def pick(ctx: Ctx, data: kbs.CtPick) -> None:
        await _pick(ctx, data.p, edit=True)

    @on_button(labeler, deps, kbs.CtPage, leaves=SEARCH)
    async def page(ctx: Ctx, data: kbs.CtPage) -> None:
        await _show_page(ctx, data.org, data.p, data.q, edit=True)

    @on_button(labeler, deps, kbs.CtSearch)
    async def search(ctx: Ctx, data: kbs.CtSearch) -> None:
        if await contacts.entitled_org(deps, ctx.vk_id, data.org) is None:
            await _not_verified(ctx, edit=True)
            return
        await SEARCH.enter(ctx, ContactsFlow.QUERY, SearchDraft(org=data.org))

    SEARCH.bind(labeler, deps)
    return labeler
