"""Creating an organization or changing one: a walk through its fields, then a review card
where any field can be fixed before saving."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from vkbottle.bot import BotLabeler

from bot.deps import Deps
from bot.services import organizations as svc
from handlers.common import Ctx, on_button
from handlers.flow import FINISH, AtStep, Edge, Flow, Reask, Step, View
from handlers.superadmin.appoint import APPOINT
from handlers.superadmin.base import LEAVE, Draft, OrgFlow, new_token
from handlers.superadmin.browse import SEARCH
from handlers.superadmin.rules import OrgNamed, gate, restart
from handlers.superadmin.views import (
    draft_of,
    field_view,
    problem_text,
    review_view,
    show_card,
    show_list,
)
from keyboards import superadmin as kbs
from storage.models import Organization, OrgType

# The order a new organization's fields are asked in; the short name defaults to the name
# and is fixed on the review card when it should differ.
WALK = ("name", "type", "inn", "region", "city")
REVIEW = OrgFlow.REVIEW.value


def clean_field(field: str, text: str, names: dict[str, OrgType]) -> str:
    if field == "type":
        return svc.clean_type(text, names).value
    if field == "inn":
        return svc.clean_inn(text)
    return svc.clean_text(field, text)


def asking(field: str) -> Callable[[Ctx, Draft], Awaitable[View]]:
    async def render(ctx: Ctx, draft: Draft) -> View:
        return field_view(ctx, draft, field)

    return render


def answering(field: str) -> Callable[[Ctx, Draft], Awaitable[Draft | Reask | None]]:
    async def typed(ctx: Ctx, draft: Draft) -> Draft | Reask | None:
        if not ctx.text.strip():
            return Reask(ctx.t("orgs-need-text"))
        try:
            value = clean_field(field, ctx.text, svc.type_names(ctx.deps.t))
            if field == "inn":
                await svc.check_inn_free(ctx.deps, ctx.vk_id, value, draft.org_id)
        except svc.OrgError as exc:
            return Reask(
                ctx.t("orgs-type-by-button") if field == "type" else problem_text(ctx, exc)
            )
        update: dict[str, Any] = {field: value}
        if field == "name" and draft.short_name in ("", draft.name):
            update["short_name"] = value
        return draft.model_copy(update=update)

    return typed


def field_step(field: str) -> Step[Draft]:
    following: tuple[Edge, ...]
    if field in WALK[:-1]:
        following = (Edge(REVIEW, ("reviewing",)), Edge(WALK[WALK.index(field) + 1]))
    else:
        following = (Edge(REVIEW),)
    return Step(
        OrgFlow(field),
        asking(field),
        accepts=("flow-by-type" if field == "type" else "flow-typed-value",),
        typed=answering(field),
        next=following,
        back=(Edge(REVIEW, ("reviewing",), by="orgs-btn-back-review"),),
        sep="\n",
    )


def start_reviewing(draft: Draft) -> None:
    draft.reviewing = True


async def review(ctx: Ctx, draft: Draft) -> View:
    return await review_view(ctx, draft)


async def facts(ctx: Ctx, draft: Draft) -> dict[str, bool]:
    return {"reviewing": draft.reviewing}


async def elsewhere(ctx: Ctx) -> None:
    """Where a superadmin outside the walk is: a search or appointment question, or the list."""
    if await SEARCH.reshow(ctx) or await APPOINT.reshow(ctx):
        return
    await LEAVE.leave(ctx)
    await show_list(ctx, 0)


EDIT = Flow(
    "flow-orgs-edit",
    OrgFlow,
    Draft,
    [
        *(field_step(f) for f in kbs.FIELDS),
        Step(
            OrgFlow.REVIEW,
            review,
            accepts=("orgs-btn-save", "flow-by-field"),
            next=(
                *(Edge(f, by=f"orgs-field-{f}") for f in kbs.FIELDS),
                Edge(FINISH, by="orgs-btn-save"),
            ),
            enter=start_reviewing,
        ),
    ],
    entries=[Edge(WALK[0], by="orgs-btn-create"), Edge(REVIEW, by="orgs-btn-edit")],
    facts=facts,
    lost=restart,
    outside=elsewhere,
    use_buttons="orgs-use-buttons",
    edits=False,
)


def same_draft(_: Step[Draft], draft: Draft, data: Any) -> bool:
    """A button of an older draft (its token) is out of date."""
    return bool(draft.token == data.d)


def bind(labeler: BotLabeler, deps: Deps) -> None:
    superadmin = gate(deps)

    def at(*steps: OrgFlow) -> AtStep:
        return AtStep(deps, EDIT, *steps, same=same_draft)

    @on_button(labeler, deps, kbs.OgNew, superadmin)
    async def new(ctx: Ctx) -> None:
        await EDIT.enter(ctx, OrgFlow(WALK[0]), Draft(token=new_token()))

    @on_button(labeler, deps, kbs.OgEdit, superadmin, OrgNamed(deps))
    async def edit(ctx: Ctx, org: Organization) -> None:
        if org.archived_at is not None:
            await show_card(ctx, org, ctx.t("orgs-err-archived", name=org.name))
            return
        await EDIT.enter(ctx, OrgFlow.REVIEW, draft_of(org, new_token()))

    @on_button(labeler, deps, kbs.OgPickType, superadmin, at(OrgFlow.TYPE))
    async def pick_type(ctx: Ctx, data: kbs.OgPickType, step: Step[Draft], draft: Draft) -> None:
        names = svc.type_names(ctx.deps.t)
        if data.t not in names:
            await EDIT.stale(ctx)
            return
        await EDIT.advance(ctx, step, draft.model_copy(update={"type": names[data.t].value}))

    @on_button(labeler, deps, kbs.OgField, superadmin, at(OrgFlow.REVIEW))
    async def fix_field(ctx: Ctx, data: kbs.OgField, step: Step[Draft], draft: Draft) -> None:
        if data.f not in kbs.FIELDS:
            await EDIT.stale(ctx)
            return
        await EDIT.jump(ctx, step, OrgFlow(data.f), draft)

    @on_button(labeler, deps, kbs.OgBack, superadmin, at())
    async def back(ctx: Ctx, step: Step[Draft], draft: Draft) -> None:
        if step.name == REVIEW:
            await EDIT.stay(ctx, step, draft)
        else:
            await EDIT.jump(ctx, step, OrgFlow.REVIEW, draft)

    @on_button(labeler, deps, kbs.OgSave, superadmin, at(OrgFlow.REVIEW))
    async def save(ctx: Ctx, step: Step[Draft], draft: Draft) -> None:
        missing = next((f for f in kbs.FIELDS if not getattr(draft, f)), None)
        if missing is not None:
            problem = problem_text(ctx, svc.OrgError("empty", missing))
            await EDIT.stay(ctx, EDIT[OrgFlow(missing)], draft, notice=problem)
            return
        try:
            if draft.org_id is None:
                org_id = await svc.create(ctx.deps, ctx.vk_id, draft.fields())
                notice = ctx.t("orgs-created", name=draft.name, id=str(org_id))
            else:
                org_id = draft.org_id
                changed = await svc.update(ctx.deps, ctx.vk_id, org_id, draft.fields())
                notice = ctx.t("orgs-saved" if changed else "orgs-unchanged")
        except svc.OrgError as exc:
            if exc.code in ("not-found", "archived"):
                await EDIT.leave(ctx)
                await show_list(ctx, 0, notice=problem_text(ctx, exc))
            else:
                await EDIT.show(ctx, step, draft, notice=problem_text(ctx, exc, with_field=True))
            return
        await EDIT.leave(ctx)
        try:
            org = await svc.get_org(ctx.deps, ctx.vk_id, org_id)
        except svc.OrgError as exc:
            await show_list(ctx, 0, notice=problem_text(ctx, exc))
            return
        await show_card(ctx, org, notice)

    EDIT.bind(labeler, deps, gates=(superadmin,))
