"""Appointing an organization's administrator: who (typed: a link, a screen name or an id),
a confirmation, and a notice to the person appointed."""

from __future__ import annotations

from vkbottle.bot import BotLabeler

from bot.deps import Deps
from bot.services import organizations as svc
from bot.services.people import find_person, parse_person_ref
from handlers.common import Ctx, on_button
from handlers.flow import FINISH, Edge, Flow, Reask, Step
from handlers.notices import tell
from handlers.superadmin.base import Appointing, OrgFlow
from handlers.superadmin.rules import OrgNamed, gate, restart
from handlers.superadmin.views import admin_view, problem_text, show_card, show_list
from keyboards import superadmin as kbs
from storage.models import Organization


async def typed_person(ctx: Ctx, appointing: Appointing) -> Reask | None:
    org = await ctx.deps.orgs.get(appointing.org_id)
    if org is None or org.archived_at is not None:
        await restart(ctx)
        return None
    try:
        person = await find_person(ctx.deps.messenger, parse_person_ref(ctx.text))
    except svc.OrgError as exc:
        return Reask(problem_text(ctx, exc))
    # The confirmation names the person found; its button carries them, the draft their name.
    found = appointing.model_copy(update={"vk_id": person.vk_id, "person": person.name})
    await ctx.set_state(OrgFlow.ADMIN, found)
    kb = kbs.appoint_confirm(ctx.kb(), ctx.t, org.id, person.vk_id)
    text = ctx.t("orgs-admin-confirm", person=person.name, vk=str(person.vk_id), org=org.name)
    await ctx.reply(text, kb)
    return None


APPOINT = Flow(
    "flow-orgs-appoint",
    OrgFlow,
    Appointing,
    [
        Step(
            OrgFlow.ADMIN,
            admin_view,
            accepts=("flow-typed-person",),
            typed=typed_person,
            next=(Edge(FINISH, by="orgs-btn-appoint-yes"),),
            sep="\n",
        )
    ],
    entries=[Edge(OrgFlow.ADMIN.value, by="orgs-btn-appoint")],
    lost=restart,
    use_buttons="orgs-use-buttons",
    edits=False,
)


def bind(labeler: BotLabeler, deps: Deps) -> None:
    superadmin = gate(deps)

    @on_button(labeler, deps, kbs.OgAppoint, superadmin, OrgNamed(deps))
    async def appoint(ctx: Ctx, org: Organization) -> None:
        if org.archived_at is not None:
            await show_card(ctx, org, ctx.t("orgs-err-archived", name=org.name))
            return
        await APPOINT.enter(ctx, OrgFlow.ADMIN, Appointing(org_id=org.id))

    @on_button(labeler, deps, kbs.OgAppointYes, superadmin, OrgNamed(deps))
    async def appoint_yes(ctx: Ctx, data: kbs.OgAppointYes, org: Organization) -> None:
        try:
            done = await svc.appoint(ctx.deps, ctx.vk_id, org.id, data.vk)
        except svc.OrgError as exc:
            await show_list(ctx, 0, notice=problem_text(ctx, exc))
            return
        person = f"id{data.vk}"
        found = await APPOINT.where(ctx.deps, ctx.peer_id)
        if found is not None:
            await APPOINT.leave(ctx)
            appointing = found[1]
            if appointing is not None and appointing.vk_id == data.vk and appointing.person:
                person = appointing.person
        key = "orgs-admin-appointed" if done else "orgs-admin-already"
        if done:
            # The appointment stands whether or not the notice arrives (a person who never
            # wrote to the community cannot be written to).
            await tell(ctx.deps, [data.vk], "orgs-admin-notice", home=True, org=org.name)
        await show_card(ctx, org, ctx.t(key, person=person, org=org.name))

    APPOINT.bind(labeler, deps, gates=(superadmin,))
