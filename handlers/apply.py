"""The application conversation (organization → role → full name → position → classes →
review) and "My applications". Rules live in bot/services/apply.py; this module parses what
comes in, renders each step and moves between them.

A button acts only at the step that showed it: pressed later (an old message), it is answered
as out of date and the current step is shown again.
"""

from __future__ import annotations

from vkbottle.bot import BotLabeler
from vkbottle.dispatch.rules.base import StateGroupRule

from bot.answers import BadInput, parse_full_name, parse_position
from bot.deps import Deps
from bot.services import apply as svc
from bot.services.apply import ApplyState, Block, BlockKind, Draft
from bot.text import msk_date
from handlers.common import Ctx, TypedRule, on_button, on_text
from handlers.start import send_menu
from keyboards import apply as kbs
from keyboards.builder import KeyboardBuilder
from keyboards.menu import MenuApply, MenuContinueApply, MenuMyApplications
from storage.models import Application, AppStatus, Organization, Role
from storage.organizations import MAX_RESULTS

Step = ApplyState
ROLE_VALUES = frozenset(r.value for r in Role)


# --- reading the draft ----------------------------------------------------------------------


async def current(ctx: Ctx) -> tuple[Step | None, Draft | None]:
    """The draft's step and answers; a draft parked during another flow comes back first."""
    step = svc.step_of(await ctx.state())
    if step is None and await ctx.deps.states.resume_parked(ctx.peer_id):
        step = svc.step_of(await ctx.state())
    if step is None:
        return None, None
    return step, await ctx.data(Draft)


def reason_of(ctx: Ctx, app: Application) -> str:
    parts = []
    if app.reason_code and app.reason_code != "other":
        parts.append(ctx.t(f"reason-{app.reason_code}"))
    if app.reason_text:
        parts.append(app.reason_text)
    return ". ".join(parts) or ctx.t("apply-no-reason")


# --- rendering each step --------------------------------------------------------------------

View = tuple[str, KeyboardBuilder]


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


async def role_view(ctx: Ctx, org: Organization, draft: Draft) -> View:
    text = ctx.t("apply-role-ask", org=svc.org_title(org))
    return text, kbs.roles(ctx.kb(), ctx.t, svc.roles_for(org.type), draft.role)


async def name_view(ctx: Ctx, draft: Draft) -> View:
    first, last = await svc.vk_names(ctx.deps, ctx.user)
    suggestion = svc.name_suggestion(first, last)
    text = ctx.t("apply-name-ask")
    if suggestion is not None and suggestion != draft.full_name:
        text += "\n" + ctx.t("apply-name-vk")
    return text, kbs.name(ctx.kb(), ctx.t, suggestion, draft.full_name)


def position_view(ctx: Ctx, draft: Draft) -> View:
    return ctx.t("apply-position-ask"), kbs.position(ctx.kb(), ctx.t, draft.position)


async def classes_view(ctx: Ctx, org: Organization, draft: Draft) -> View:
    t = ctx.t
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


async def review_view(ctx: Ctx, org: Organization, draft: Draft) -> View:
    t = ctx.t
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


async def render(ctx: Ctx, step: Step, draft: Draft) -> tuple[Step, View]:
    """The step's message; a step whose earlier answers are missing shows the first missing one
    (a draft from an older version, an organization archived meanwhile)."""
    org = await ctx.deps.orgs.get(draft.org_id) if draft.org_id is not None else None
    if step is not Step.ORG and (org is None or org.archived_at is not None):
        draft.org_id = None
        return Step.ORG, await org_view(ctx, draft)
    if step is Step.ORG or org is None:
        return Step.ORG, await org_view(ctx, draft)
    if step is Step.ROLE or draft.role is None:
        return Step.ROLE, await role_view(ctx, org, draft)
    if step is Step.NAME or draft.full_name is None:
        return Step.NAME, await name_view(ctx, draft)
    if step is Step.POSITION or draft.position is None:
        return Step.POSITION, position_view(ctx, draft)
    if step is Step.CLASSES and await svc.wants_classes(ctx.deps, draft):
        return Step.CLASSES, await classes_view(ctx, org, draft)
    return Step.REVIEW, await review_view(ctx, org, draft)


async def go(
    ctx: Ctx, step: Step, draft: Draft, *, notice: str | None = None, new: bool = False
) -> None:
    """Save the draft at `step` and show it: in place of the pressed message, or as a new one."""
    step, (text, keyboard) = await render(ctx, step, draft)
    await ctx.set_state(step, draft)
    if notice:
        text = notice + "\n\n" + text
    if new:
        await ctx.reply(text, keyboard)
    else:
        await ctx.show(text, keyboard)


async def advance(ctx: Ctx, draft: Draft, done: Step, *, changed: bool = True) -> None:
    """Go on from a completed step: the next question, or back to the card when editing."""
    classes = await svc.wants_classes(ctx.deps, draft)
    if not classes:
        draft.class_ids = []
    if draft.editing:
        needs_classes = classes and changed and done in (Step.ORG, Step.ROLE)
        if not needs_classes:
            draft.editing = False
        await go(ctx, Step.CLASSES if needs_classes else Step.REVIEW, draft)
        return
    following = {
        Step.ORG: Step.ROLE,
        Step.ROLE: Step.NAME,
        Step.NAME: Step.POSITION,
        Step.POSITION: Step.CLASSES if classes else Step.REVIEW,
        Step.CLASSES: Step.REVIEW,
    }
    await go(ctx, following[done], draft)


async def back(ctx: Ctx, step: Step, draft: Draft) -> None:
    if draft.editing:
        draft.editing = False
        await go(ctx, Step.REVIEW, draft)
        return
    if step is Step.ORG:
        # Leaving the first step: an untouched draft is dropped, anything else kept for later.
        if draft.empty:
            await ctx.clear_state()
        await send_menu(ctx)
        return
    classes = await svc.wants_classes(ctx.deps, draft)
    previous = {
        Step.ROLE: Step.ORG,
        Step.NAME: Step.ROLE,
        Step.POSITION: Step.NAME,
        Step.CLASSES: Step.POSITION,
        Step.REVIEW: Step.CLASSES if classes else Step.POSITION,
    }
    await go(ctx, previous[step], draft)


async def out_of_date(ctx: Ctx) -> None:
    """An old button: say so, and show where the person really is."""
    step, draft = await current(ctx)
    if ctx.event is not None:
        await ctx.snackbar(ctx.t("button-stale"))
    if step is None or draft is None:
        await send_menu(ctx, "button-stale-menu")
        return
    notice = None if ctx.event is not None else ctx.t("apply-stale")
    await go(ctx, step, draft, notice=notice, new=True)


async def lost_draft(ctx: Ctx) -> None:
    """The state is ours but its data no longer reads: start again, politely."""
    await go(ctx, Step.ORG, Draft(), notice=ctx.t("apply-draft-lost"), new=True)


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


async def show_org_block(ctx: Ctx, draft: Draft, block: Block) -> None:
    """Why this organization cannot be applied to; the person stays at the first step."""
    await ctx.set_state(Step.ORG, draft)
    text = block_text(ctx, block) + "\n\n" + ctx.t("apply-other-org")
    open_app = block.application if block.kind is BlockKind.OPEN else None
    await ctx.show(text, kbs.org_blocked(ctx.kb(), ctx.t, draft.page, open_app))


async def start_new(ctx: Ctx) -> None:
    block = await svc.limit_block(ctx.deps, ctx.vk_id)
    if block is not None:
        await ctx.clear_state()
        await ctx.show(block_text(ctx, block), kbs.to_menu(ctx.kb(), ctx.t))
        return
    await go(ctx, Step.ORG, Draft())


# --- "My applications" ----------------------------------------------------------------------


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
            item += "\n" + t("apps-reason", reason=reason_of(ctx, app))
        items.append(item)
    text = t("apps-title") + "\n\n" + "\n\n".join(items)
    if total_pages > 1:
        text += "\n\n" + t("apply-page", page=page + 1, pages=total_pages)
    if notice:
        text = notice + "\n\n" + text
    pending = [a.id for a in shown if a.status is AppStatus.PENDING]
    await ctx.show(text, kbs.my_applications(ctx.kb(), t, pending, page, total_pages))


# --- the labeler ----------------------------------------------------------------------------


def make_labeler(deps: Deps) -> BotLabeler:
    labeler = BotLabeler()

    # Buttons are registered before the typed-text handler, and that one ignores payloads,
    # so a text button pressed mid-conversation is never taken for an answer.

    @on_button(labeler, deps, MenuApply)
    async def apply_(ctx: Ctx) -> None:
        step, draft = await current(ctx)
        if step is not None and draft is not None and not draft.empty:
            await ctx.show(ctx.t("apply-draft-exists"), kbs.draft_exists(ctx.kb(), ctx.t))
            return
        await start_new(ctx)

    @on_button(labeler, deps, MenuContinueApply)
    async def continue_(ctx: Ctx) -> None:
        step, draft = await current(ctx)
        if step is None:
            await out_of_date(ctx)
        elif draft is None:
            await lost_draft(ctx)
        else:
            await go(ctx, step, draft)

    @on_button(labeler, deps, kbs.ApRestart)
    async def restart(ctx: Ctx) -> None:
        await ctx.clear_state()
        await ctx.deps.states.discard_parked(ctx.peer_id)
        await start_new(ctx)

    @on_button(labeler, deps, kbs.ApOrgPage)
    async def org_page(ctx: Ctx, data: kbs.ApOrgPage) -> None:
        step, draft = await current(ctx)
        if step is not Step.ORG or draft is None or data.p < 0:
            await out_of_date(ctx)
            return
        draft.page = data.p
        await go(ctx, Step.ORG, draft)

    @on_button(labeler, deps, kbs.ApOrg)
    async def choose_org(ctx: Ctx, data: kbs.ApOrg) -> None:
        step, draft = await current(ctx)
        if step is not Step.ORG or draft is None:
            await out_of_date(ctx)
            return
        block = await svc.org_block(ctx.deps, ctx.vk_id, data.o)
        if block is not None:
            await show_org_block(ctx, draft, block)
            return
        changed = draft.org_id != data.o
        if changed:
            draft.org_id, draft.class_ids, draft.class_page = data.o, [], 0
        await advance(ctx, draft, Step.ORG, changed=changed)

    @on_button(labeler, deps, kbs.ApRole)
    async def choose_role(ctx: Ctx, data: kbs.ApRole) -> None:
        step, draft = await current(ctx)
        if step is not Step.ROLE or draft is None or data.r not in ROLE_VALUES:
            await out_of_date(ctx)
            return
        role = Role(data.r)
        was_teaching = draft.role in svc.TEACHING
        draft.role = role
        await advance(ctx, draft, Step.ROLE, changed=not was_teaching)

    @on_button(labeler, deps, kbs.ApName)
    async def one_tap_name(ctx: Ctx, data: kbs.ApName) -> None:
        step, draft = await current(ctx)
        if step is not Step.NAME or draft is None:
            await out_of_date(ctx)
            return
        if data.src == "vk":
            first, last = await svc.vk_names(ctx.deps, ctx.user)
            name = svc.name_suggestion(first, last)
        else:
            name = draft.full_name
        if name is None:
            await out_of_date(ctx)
            return
        draft.full_name = name
        await advance(ctx, draft, Step.NAME)

    @on_button(labeler, deps, kbs.ApPosition)
    async def skip_position(ctx: Ctx, data: kbs.ApPosition) -> None:
        step, draft = await current(ctx)
        if step is not Step.POSITION or draft is None:
            await out_of_date(ctx)
            return
        draft.position = (draft.position or "") if data.keep else ""
        await advance(ctx, draft, Step.POSITION)

    @on_button(labeler, deps, kbs.ApClass)
    async def toggle_class(ctx: Ctx, data: kbs.ApClass) -> None:
        step, draft = await current(ctx)
        cls = await ctx.deps.classes.get(data.cl)
        if step is not Step.CLASSES or draft is None or cls is None or cls.org_id != draft.org_id:
            await out_of_date(ctx)
            return
        chosen = set(draft.class_ids) ^ {cls.id}
        draft.class_ids = sorted(chosen)
        await go(ctx, Step.CLASSES, draft)

    @on_button(labeler, deps, kbs.ApClassPage)
    async def class_page(ctx: Ctx, data: kbs.ApClassPage) -> None:
        step, draft = await current(ctx)
        if step is not Step.CLASSES or draft is None:
            await out_of_date(ctx)
            return
        draft.class_page = data.p
        await go(ctx, Step.CLASSES, draft)

    @on_button(labeler, deps, kbs.ApClassesDone)
    async def classes_done(ctx: Ctx) -> None:
        step, draft = await current(ctx)
        if step is not Step.CLASSES or draft is None:
            await out_of_date(ctx)
            return
        await advance(ctx, draft, Step.CLASSES)

    @on_button(labeler, deps, kbs.ApEdit)
    async def edit(ctx: Ctx, data: kbs.ApEdit) -> None:
        step, draft = await current(ctx)
        target = svc.step_named(data.st)
        if step is not Step.REVIEW or draft is None or target in (None, Step.REVIEW):
            await out_of_date(ctx)
            return
        assert target is not None
        draft.editing = True
        if target is Step.ORG:
            draft.query, draft.page = "", 0
        await go(ctx, target, draft)

    @on_button(labeler, deps, kbs.ApSubmit)
    async def submit(ctx: Ctx) -> None:
        step, draft = await current(ctx)
        if step is not Step.REVIEW or draft is None:
            await out_of_date(ctx)
            return
        shown_step, _view = await render(ctx, Step.REVIEW, draft)
        if shown_step is not Step.REVIEW:  # something is missing: ask for it
            await go(ctx, shown_step, draft)
            return
        result = await svc.submit(ctx.deps, ctx.user, draft)
        if isinstance(result, svc.Filed):
            await ctx.clear_state()
            text = ctx.t("apply-filed", id=result.application_id, org=svc.org_title(result.org))
            await ctx.show(text, kbs.to_menu(ctx.kb(), ctx.t))
            return
        if result.kind in (BlockKind.LIMIT, BlockKind.RATE):
            await go(ctx, Step.REVIEW, draft, notice=block_text(ctx, result))
            return
        draft.org_id, draft.class_ids, draft.editing = None, [], False
        await show_org_block(ctx, draft, result)

    @on_button(labeler, deps, kbs.ApBack)
    async def back_(ctx: Ctx, data: kbs.ApBack) -> None:
        step, draft = await current(ctx)
        if step is None or draft is None or step.value != data.st:
            await out_of_date(ctx)
            return
        await back(ctx, step, draft)

    @on_button(labeler, deps, kbs.ApCancel)
    async def cancel(ctx: Ctx) -> None:
        step, _draft = await current(ctx)
        if step is None:
            await out_of_date(ctx)
            return
        await ctx.show(ctx.t("apply-cancel-ask"), kbs.cancel_confirm(ctx.kb(), ctx.t))

    @on_button(labeler, deps, kbs.ApCancelYes)
    async def cancel_yes(ctx: Ctx) -> None:
        step, _draft = await current(ctx)
        if step is None:
            await out_of_date(ctx)
            return
        await ctx.clear_state()
        await ctx.show(ctx.t("apply-cancelled"), kbs.to_menu(ctx.kb(), ctx.t))

    # --- "My applications" ------------------------------------------------------------------

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

    # --- what is typed during the conversation ----------------------------------------------

    @on_text(labeler, deps, StateGroupRule(ApplyState), TypedRule())
    async def typed(ctx: Ctx) -> None:
        step, draft = await current(ctx)
        if step is None or draft is None:
            await lost_draft(ctx)
            return
        await answer(ctx, step, draft)

    return labeler


async def answer(ctx: Ctx, step: Step, draft: Draft) -> None:
    """A typed message at `step`: the answer, a typed "back"/"cancel", or a clear refusal."""
    t = ctx.t
    message = ctx.message
    text = ctx.text
    if message is not None and message.attachments:
        await go(ctx, step, draft, notice=t("apply-err-not-text"), new=True)
        return
    word = text.strip().casefold()
    if word == t("menu-cancel").casefold():
        await ctx.reply(t("apply-cancel-ask"), kbs.cancel_confirm(ctx.kb(), t))
        return
    if word == t("menu-back").casefold():
        await back(ctx, step, draft)
        return
    try:
        if step is Step.ORG:
            draft.query, draft.page = svc.parse_query(text), 0
            await go(ctx, Step.ORG, draft, new=True)
        elif step is Step.NAME:
            draft.full_name = parse_full_name(text)
            await advance(ctx, draft, Step.NAME)
        elif step is Step.POSITION:
            draft.position = parse_position(text)
            await advance(ctx, draft, Step.POSITION)
        elif step is Step.CLASSES:
            await typed_classes(ctx, draft, text)
        elif step is Step.ROLE and (role := typed_role(ctx, word)) is not None:
            was_teaching = draft.role in svc.TEACHING
            draft.role = role
            await advance(ctx, draft, Step.ROLE, changed=not was_teaching)
        else:
            await go(ctx, step, draft, notice=t("apply-err-button"), new=True)
    except BadInput as exc:
        notice = t(f"apply-err-{exc.problem.value}", max=exc.limit)
        await go(ctx, step, draft, notice=notice, new=True)


def typed_role(ctx: Ctx, word: str) -> Role | None:
    """A role typed by its button label or its full name."""
    for role in Role:
        if word in (
            ctx.t(f"rolebtn-{role.value}").casefold(),
            ctx.t(f"role-{role.value}").casefold(),
        ):
            return role
    return None


async def typed_classes(ctx: Ctx, draft: Draft, text: str) -> None:
    """Class names typed instead of pressed ("5А, 6Б"): each toggles like its button."""
    if draft.org_id is None:
        await go(ctx, Step.ORG, draft, new=True)
        return
    by_key = {svc.class_key(c.name): c.id for c in await ctx.deps.classes.of_org(draft.org_id)}
    parts = [svc.class_key(p) for p in text.replace(";", ",").split(",")]
    wanted = [by_key.get(p) for p in parts if p]
    if not wanted or None in wanted:
        await go(ctx, Step.CLASSES, draft, notice=ctx.t("apply-err-classes"), new=True)
        return
    draft.class_ids = sorted(set(draft.class_ids) ^ {c for c in wanted if c is not None})
    await go(ctx, Step.CLASSES, draft, new=True)
