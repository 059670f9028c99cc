"""The application conversation: organization → role → full name → position → classes →
review. Rules live in bot/services/apply.py; the table below is the conversation, and this
module parses what comes in at each step.

A button acts only at the step that showed it: pressed later (an old message), it is answered
as out of date and the current step is shown again.
"""

from __future__ import annotations

from typing import Any

from vkbottle.bot import BotLabeler

from bot.answers import BadInput, parse_full_name, parse_position
from bot.deps import Deps
from bot.services import apply as svc
from bot.services.apply import ApplyState, Block, BlockKind, Draft
from handlers.apply import views
from handlers.common import Ctx, on_button
from handlers.flow import FINISH, AtStep, Edge, Flow, Reask, Step
from handlers.start import send_menu
from keyboards import apply as kbs
from keyboards.menu import MenuApply, MenuContinueApply
from storage.models import Role

S = ApplyState
ROLE_VALUES = frozenset(r.value for r in Role)
# Editing one answer from the review card returns to the card; a new organization or role
# that makes the class choice moot asks for classes first.
CLASSES_AFTER_EDIT = Edge(S.CLASSES.value, ("editing", "classes", "changed"))
TO_CARD = Edge(S.REVIEW.value, ("editing",))


def bad_input(ctx: Ctx, exc: BadInput) -> Reask:
    return Reask(ctx.t(f"apply-err-{exc.problem.value}", max=exc.limit))


async def typed_query(ctx: Ctx, draft: Draft) -> Reask | None:
    try:
        draft.query, draft.page = svc.parse_query(ctx.text), 0
    except BadInput as exc:
        return bad_input(ctx, exc)
    await FLOW.stay(ctx, FLOW[S.ORG], draft, edit=False)
    return None


def typed_role(ctx: Ctx, word: str) -> Role | None:
    """A role typed by its button label or its full name."""
    for role in Role:
        if word in (
            ctx.t(f"rolebtn-{role.value}").casefold(),
            ctx.t(f"role-{role.value}").casefold(),
        ):
            return role
    return None


async def choose_role(ctx: Ctx, draft: Draft, role: Role, *, edit: bool | None = None) -> None:
    was_teaching = draft.role in svc.TEACHING
    draft.role = role
    await FLOW.advance(ctx, FLOW[S.ROLE], draft, edit=edit, changed=not was_teaching)


async def typed_role_answer(ctx: Ctx, draft: Draft) -> Reask | None:
    role = typed_role(ctx, ctx.text.strip().casefold())
    if role is None:
        return Reask(ctx.t("apply-err-button"))
    await choose_role(ctx, draft, role, edit=False)
    return None


async def typed_name(ctx: Ctx, draft: Draft) -> Draft | Reask:
    try:
        draft.full_name = parse_full_name(ctx.text)
    except BadInput as exc:
        return bad_input(ctx, exc)
    return draft


async def typed_position(ctx: Ctx, draft: Draft) -> Draft | Reask:
    try:
        draft.position = parse_position(ctx.text)
    except BadInput as exc:
        return bad_input(ctx, exc)
    return draft


async def typed_classes(ctx: Ctx, draft: Draft) -> Reask | None:
    """Class names typed instead of pressed ("5А, 6Б"): each toggles like its button."""
    if draft.org_id is None:
        await FLOW.stay(ctx, FLOW[S.ORG], draft, edit=False)
        return None
    by_key = {svc.class_key(c.name): c.id for c in await ctx.deps.classes.of_org(draft.org_id)}
    parts = [svc.class_key(p) for p in ctx.text.replace(";", ",").split(",")]
    wanted = [by_key.get(p) for p in parts if p]
    if not wanted or None in wanted:
        return Reask(ctx.t("apply-err-classes"))
    draft.class_ids = sorted(set(draft.class_ids) ^ {c for c in wanted if c is not None})
    await FLOW.stay(ctx, FLOW[S.CLASSES], draft, edit=False)
    return None


async def intercept(ctx: Ctx, step: Step[Draft], draft: Draft) -> bool:
    """Typed at any step: not text at all, or the words of the back and cancel buttons."""
    if ctx.message is not None and ctx.message.attachments:
        await FLOW.stay(ctx, step, draft, notice=ctx.t("apply-err-not-text"), edit=False)
        return True
    word = ctx.text.strip().casefold()
    if word == ctx.t("menu-cancel").casefold():
        await ctx.reply(ctx.t("apply-cancel-ask"), kbs.cancel_confirm(ctx.kb(), ctx.t))
        return True
    if word == ctx.t("menu-back").casefold():
        await FLOW.back(ctx, step, draft)
        return True
    return False


async def facts(ctx: Ctx, draft: Draft) -> dict[str, bool]:
    return {
        "editing": draft.editing,
        "classes": await svc.wants_classes(ctx.deps, draft),
        "changed": True,
    }


def tidy(draft: Draft, known: Any) -> None:
    if not known["classes"]:
        draft.class_ids = []


async def resolve(ctx: Ctx, step: Step[Draft], draft: Draft) -> Step[Draft]:
    """A step whose earlier answers are missing shows the first missing one (a draft from an
    older version, an organization archived meanwhile)."""
    org = await ctx.deps.orgs.get(draft.org_id) if draft.org_id is not None else None
    if step.state is not S.ORG and (org is None or org.archived_at is not None):
        draft.org_id = None
        return FLOW[S.ORG]
    if step.state is S.ORG or org is None:
        return FLOW[S.ORG]
    if step.state is S.ROLE or draft.role is None:
        return FLOW[S.ROLE]
    if step.state is S.NAME or draft.full_name is None:
        return FLOW[S.NAME]
    if step.state is S.POSITION or draft.position is None:
        return FLOW[S.POSITION]
    if step.state is S.CLASSES and await svc.wants_classes(ctx.deps, draft):
        return FLOW[S.CLASSES]
    return FLOW[S.REVIEW]


async def exit_(ctx: Ctx, draft: Draft) -> None:
    """Back from the first step: an untouched draft is dropped, anything else kept for later."""
    if draft.empty:
        await FLOW.leave(ctx)
    await send_menu(ctx)


async def lost(ctx: Ctx) -> None:
    """The state is ours but its data no longer reads: start again, politely."""
    await FLOW.enter(ctx, S.ORG, Draft(), notice=ctx.t("apply-draft-lost"), edit=False)


async def outside(ctx: Ctx) -> None:
    await send_menu(ctx, "button-stale-menu")


def end_editing(draft: Draft) -> None:
    draft.editing = False


FLOW = Flow(
    "flow-apply",
    ApplyState,
    Draft,
    [
        Step(
            S.ORG,
            views.org_view,
            accepts=("flow-typed-org-search", "flow-by-org"),
            typed=typed_query,
            next=(CLASSES_AFTER_EDIT, TO_CARD, Edge(S.ROLE.value)),
            back=(TO_CARD, Edge(FINISH, by="flow-by-menu")),
        ),
        Step(
            S.ROLE,
            views.role_view,
            accepts=("flow-by-role",),
            typed=typed_role_answer,
            next=(CLASSES_AFTER_EDIT, TO_CARD, Edge(S.NAME.value)),
            back=(TO_CARD, Edge(S.ORG.value)),
        ),
        Step(
            S.NAME,
            views.name_view,
            accepts=("flow-typed-full-name", "flow-by-vk-name"),
            typed=typed_name,
            next=(TO_CARD, Edge(S.POSITION.value)),
            back=(TO_CARD, Edge(S.ROLE.value)),
        ),
        Step(
            S.POSITION,
            views.position_view,
            accepts=("flow-typed-position", "apply-position-skip"),
            typed=typed_position,
            next=(TO_CARD, Edge(S.CLASSES.value, ("classes",)), Edge(S.REVIEW.value)),
            back=(TO_CARD, Edge(S.NAME.value)),
        ),
        Step(
            S.CLASSES,
            views.classes_view,
            accepts=("flow-typed-class-names", "flow-by-class", "apply-classes-done"),
            typed=typed_classes,
            next=(Edge(S.REVIEW.value, by="apply-classes-done"),),
            back=(TO_CARD, Edge(S.POSITION.value)),
        ),
        Step(
            S.REVIEW,
            views.review_view,
            accepts=("apply-submit", "flow-by-edit"),
            next=(
                Edge(S.ORG.value, by="apply-edit-org"),
                Edge(S.ROLE.value, by="apply-edit-role"),
                Edge(S.NAME.value, by="apply-edit-name"),
                Edge(S.POSITION.value, by="apply-edit-position"),
                Edge(S.CLASSES.value, by="apply-edit-classes"),
                Edge(FINISH, by="apply-submit"),
            ),
            back=(Edge(S.CLASSES.value, ("classes",)), Edge(S.POSITION.value)),
            enter=end_editing,
        ),
    ],
    entries=[Edge(S.ORG.value, by="menu-apply")],
    facts=facts,
    tidy=tidy,
    resolve=resolve,
    exit=exit_,
    intercept=intercept,
    lost=lost,
    outside=outside,
    use_buttons="apply-err-button",
    stale_notice="apply-stale",
    parked=True,
)


async def show_org_block(ctx: Ctx, draft: Draft, block: Block) -> None:
    """Why this organization cannot be applied to; the person stays at the first step."""
    await ctx.set_state(S.ORG, draft)
    text = views.block_text(ctx, block) + "\n\n" + ctx.t("apply-other-org")
    open_app = block.application if block.kind is BlockKind.OPEN else None
    await ctx.show(text, kbs.org_blocked(ctx.kb(), ctx.t, draft.page, open_app))


async def start_new(ctx: Ctx) -> None:
    block = await svc.limit_block(ctx.deps, ctx.vk_id)
    if block is not None:
        await FLOW.leave(ctx)
        await ctx.show(views.block_text(ctx, block), kbs.to_menu(ctx.kb(), ctx.t))
        return
    await FLOW.enter(ctx, S.ORG, Draft())


def same_step(step: Step[Draft], _: Draft, data: Any) -> bool:
    """A back button names the step it was drawn at."""
    return bool(step.name == data.st)


def bind(labeler: BotLabeler, deps: Deps) -> None:
    def at(*steps: ApplyState) -> AtStep:
        return AtStep(deps, FLOW, *steps)

    @on_button(labeler, deps, MenuApply)
    async def apply_(ctx: Ctx) -> None:
        found = await FLOW.where(ctx.deps, ctx.peer_id)
        if found is not None and found[1] is not None and not found[1].empty:
            await ctx.show(ctx.t("apply-draft-exists"), kbs.draft_exists(ctx.kb(), ctx.t))
            return
        await start_new(ctx)

    @on_button(labeler, deps, MenuContinueApply)
    async def continue_(ctx: Ctx) -> None:
        found = await FLOW.where(ctx.deps, ctx.peer_id)
        if found is None:
            await FLOW.stale(ctx)
        elif found[1] is None:
            await FLOW.lost(ctx)
        else:
            await FLOW.stay(ctx, found[0], found[1])

    @on_button(labeler, deps, kbs.ApRestart)
    async def restart(ctx: Ctx) -> None:
        await FLOW.leave(ctx)
        await ctx.deps.states.discard_parked(ctx.peer_id)
        await start_new(ctx)

    @on_button(labeler, deps, kbs.ApOrgPage, at(S.ORG))
    async def org_page(ctx: Ctx, data: kbs.ApOrgPage, step: Step[Draft], draft: Draft) -> None:
        if data.p < 0:
            await FLOW.stale(ctx)
            return
        draft.page = data.p
        await FLOW.stay(ctx, step, draft)

    @on_button(labeler, deps, kbs.ApOrg, at(S.ORG))
    async def choose_org(ctx: Ctx, data: kbs.ApOrg, step: Step[Draft], draft: Draft) -> None:
        block = await svc.org_block(ctx.deps, ctx.vk_id, data.o)
        if block is not None:
            await show_org_block(ctx, draft, block)
            return
        changed = draft.org_id != data.o
        if changed:
            draft.org_id, draft.class_ids, draft.class_page = data.o, [], 0
        await FLOW.advance(ctx, step, draft, changed=changed)

    @on_button(labeler, deps, kbs.ApRole, at(S.ROLE))
    async def role(ctx: Ctx, data: kbs.ApRole, draft: Draft) -> None:
        if data.r not in ROLE_VALUES:
            await FLOW.stale(ctx)
            return
        await choose_role(ctx, draft, Role(data.r))

    @on_button(labeler, deps, kbs.ApName, at(S.NAME))
    async def one_tap_name(ctx: Ctx, data: kbs.ApName, step: Step[Draft], draft: Draft) -> None:
        if data.src == "vk":
            first, last = await ctx.deps.names.of(ctx.vk_id)
            name = svc.name_suggestion(first, last)
        else:
            name = draft.full_name
        if name is None:
            await FLOW.stale(ctx)
            return
        draft.full_name = name
        await FLOW.advance(ctx, step, draft)

    @on_button(labeler, deps, kbs.ApPosition, at(S.POSITION))
    async def skip_position(
        ctx: Ctx, data: kbs.ApPosition, step: Step[Draft], draft: Draft
    ) -> None:
        draft.position = (draft.position or "") if data.keep else ""
        await FLOW.advance(ctx, step, draft)

    @on_button(labeler, deps, kbs.ApClass, at(S.CLASSES))
    async def toggle_class(ctx: Ctx, data: kbs.ApClass, step: Step[Draft], draft: Draft) -> None:
        cls = await ctx.deps.classes.get(data.cl)
        if cls is None or cls.org_id != draft.org_id:
            await FLOW.stale(ctx)
            return
        draft.class_ids = sorted(set(draft.class_ids) ^ {cls.id})
        await FLOW.stay(ctx, step, draft)

    @on_button(labeler, deps, kbs.ApClassPage, at(S.CLASSES))
    async def class_page(ctx: Ctx, data: kbs.ApClassPage, step: Step[Draft], draft: Draft) -> None:
        draft.class_page = data.p
        await FLOW.stay(ctx, step, draft)

    @on_button(labeler, deps, kbs.ApClassesDone, at(S.CLASSES))
    async def classes_done(ctx: Ctx, step: Step[Draft], draft: Draft) -> None:
        await FLOW.advance(ctx, step, draft)

    @on_button(labeler, deps, kbs.ApEdit, at(S.REVIEW))
    async def edit(ctx: Ctx, data: kbs.ApEdit, step: Step[Draft], draft: Draft) -> None:
        target = svc.step_named(data.st)
        if target in (None, S.REVIEW):
            await FLOW.stale(ctx)
            return
        assert target is not None
        draft.editing = True
        if target is S.ORG:
            draft.query, draft.page = "", 0
        await FLOW.jump(ctx, step, target, draft)

    @on_button(labeler, deps, kbs.ApSubmit, at(S.REVIEW))
    async def submit(ctx: Ctx, step: Step[Draft], draft: Draft) -> None:
        if (await resolve(ctx, step, draft)) is not step:  # something is missing: ask for it
            await FLOW.stay(ctx, step, draft)
            return
        result = await svc.submit(ctx.deps, ctx.user, draft)
        if isinstance(result, svc.Filed):
            await FLOW.leave(ctx)
            title = svc.org_title(result.org)
            text = ctx.t("apply-filed", id=result.application_id, org=title)
            await ctx.show(text, kbs.to_menu(ctx.kb(), ctx.t))
            return
        if result.kind in (BlockKind.LIMIT, BlockKind.RATE):
            await FLOW.stay(ctx, step, draft, notice=views.block_text(ctx, result))
            return
        draft.org_id, draft.class_ids, draft.editing = None, [], False
        await show_org_block(ctx, draft, result)

    @on_button(labeler, deps, kbs.ApBack, AtStep(deps, FLOW, same=same_step))
    async def back(ctx: Ctx, step: Step[Draft], draft: Draft) -> None:
        await FLOW.back(ctx, step, draft)

    @on_button(labeler, deps, kbs.ApCancel, at())
    async def cancel(ctx: Ctx) -> None:
        await ctx.show(ctx.t("apply-cancel-ask"), kbs.cancel_confirm(ctx.kb(), ctx.t))

    @on_button(labeler, deps, kbs.ApCancelYes, at())
    async def cancel_yes(ctx: Ctx) -> None:
        await FLOW.leave(ctx)
        await ctx.show(ctx.t("apply-cancelled"), kbs.to_menu(ctx.kb(), ctx.t))

    FLOW.bind(labeler, deps)
