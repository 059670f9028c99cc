"""The administrator's review: decide from the prompt or from the "Заявки" list; a rejection
"for another reason" asks for the reason as typed text (one step with its confirmation)."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel
from vkbottle import BaseStateGroup
from vkbottle.bot import BotLabeler

from bot.deps import Deps
from bot.services.review.decisions import REASON_MAX, Outcome, Verdict, reason_problem
from handlers.common import Ctx, on_button
from handlers.flow import FINISH, AtStep, Edge, Flow, Reask, Step, View
from handlers.review.services import Review
from handlers.start import send_menu
from keyboards.menu import MenuReview
from keyboards.review import (
    RvAllAsk,
    RvAllYes,
    RvApprove,
    RvBack,
    RvList,
    RvOrgs,
    RvReason,
    RvReject,
    RvRejectTyped,
    all_confirm_keyboard,
    cancel_keyboard,
    list_keyboard,
    orgs_keyboard,
    prompt_keyboard,
    reasons_keyboard,
    typed_reason_keyboard,
)
from storage.models import Application

ORGS_PAGE = 5


class ReviewState(BaseStateGroup):
    REASON = "reason"


class RejectDraft(BaseModel):
    """A rejection with a typed reason: which application, where it was opened, the text."""

    app: int
    page: int | None = None
    reason: str = ""


def make_flow(review: Review | None) -> Flow[RejectDraft]:
    """The step table of a typed reason; its answer uses the review's services (None: the
    table alone, for the diagram)."""

    async def reason_view(ctx: Ctx, draft: RejectDraft) -> View:
        ask = ctx.t("review-reason-ask", max=REASON_MAX)
        return ask, cancel_keyboard(ctx.kb(), ctx.t, draft.app, draft.page)

    async def typed_reason(ctx: Ctx, draft: RejectDraft) -> Reask | None:
        assert review is not None
        outcome = await review.decisions.examine(ctx.vk_id, draft.app)
        if outcome.verdict is not Verdict.OK or outcome.app is None:
            await flow.leave(ctx)
            await ctx.reply(await review.texts.refusal(ctx.locale, outcome))
            return None
        problem = reason_problem(ctx.text)
        if problem is not None:
            key, args = problem
            return Reask(ctx.t(key, **args))
        text = " ".join(ctx.text.split())
        # Shown back for confirmation; typing again replaces it.
        await ctx.set_state(ReviewState.REASON, draft.model_copy(update={"reason": text}))
        confirm = ctx.t(
            "review-reason-confirm", id=str(draft.app), name=outcome.app.full_name, reason=text
        )
        await ctx.reply(confirm, typed_reason_keyboard(ctx.kb(), ctx.t, draft.app, draft.page))
        return None

    async def lost(ctx: Ctx) -> None:
        await flow.leave(ctx)
        await send_menu(ctx, "button-stale-menu")

    flow = Flow(
        "flow-review-reason",
        ReviewState,
        RejectDraft,
        [
            Step(
                ReviewState.REASON,
                reason_view,
                accepts=("flow-typed-reason", "review-reject-confirm"),
                typed=typed_reason,
                next=(Edge(FINISH, by="review-reject-confirm"),),
                sep="\n",
            )
        ],
        entries=[Edge(ReviewState.REASON.value, by="reason-other")],
        lost=lost,
        edits=True,
        stale_shows=False,
    )
    return flow


def same_typed(_: Step[RejectDraft], draft: RejectDraft, data: Any) -> bool:
    """The confirmation of this very application's reason, once there is one."""
    return bool(draft.app == data.a and draft.reason)


def bind(labeler: BotLabeler, deps: Deps, review: Review) -> None:
    reason_flow = make_flow(review)
    texts = review.texts

    # --- views ---------------------------------------------------------------------------
    async def show_orgs(ctx: Ctx, page: int, *, new: bool = False) -> None:
        orgs = await review.decisions.admin_orgs(ctx.vk_id)
        if not orgs:
            await ctx.snackbar(ctx.t("review-no-orgs"))
            return
        if len(orgs) == 1:
            await show_list(ctx, orgs[0][0].id, 0, new=new)
            return
        page = min(max(page, 0), (len(orgs) - 1) // ORGS_PAGE)
        chunk = orgs[page * ORGS_PAGE : (page + 1) * ORGS_PAGE]
        rows = [(org.id, org.short_name, count) for org, count in chunk]
        has_next = (page + 1) * ORGS_PAGE < len(orgs)
        kb = orgs_keyboard(ctx.kb(), ctx.t, rows, page, has_next)
        await (ctx.reply if new else ctx.show)(ctx.t("review-choose-org"), kb)

    async def show_list(ctx: Ctx, org_id: int, page: int, *, new: bool = False) -> None:
        view = await review.decisions.pending_page(ctx.vk_id, org_id, page)
        if view is None:
            await ctx.snackbar(ctx.t("no-rights"))
            return
        if not view.apps:
            text = ctx.t("review-list-empty", org=view.org.short_name)
        else:
            title = ctx.t(
                "review-list-title",
                org=view.org.short_name,
                total=view.total,
                page=view.page + 1,
                pages=view.pages,
            )
            cards = [await texts.card(ctx.locale, app) for app in view.apps]
            text = "\n\n".join([title, *cards])
        kb = list_keyboard(
            ctx.kb(),
            ctx.t,
            org_id,
            [a.id for a in view.apps],
            view.page,
            view.page + 1 < view.pages,
            view.total,
        )
        await (ctx.reply if new else ctx.show)(text, kb)

    async def show_where(ctx: Ctx, app: Application, page: int | None) -> None:
        """Redraw the message the press came from: the list page, or the application as it
        stands now (a stored prompt is already edited by the announcement)."""
        if page is not None:
            await show_list(ctx, app.org_id, page)
        elif ctx.event is not None and not await review.notices.is_prompt(
            ctx.vk_id, app.id, ctx.event.conversation_message_id
        ):
            await ctx.show(await texts.current(ctx.locale, app))

    async def refuse(ctx: Ctx, outcome: Outcome, page: int | None) -> None:
        await ctx.snackbar(await texts.refusal(ctx.locale, outcome))
        if outcome.verdict is Verdict.DECIDED and outcome.app is not None:
            if page is not None:
                await show_list(ctx, outcome.app.org_id, page)
            elif ctx.event is not None:
                await ctx.show(await texts.current(ctx.locale, outcome.app))

    async def decided(ctx: Ctx, outcome: Outcome, page: int | None, snack: str) -> None:
        if outcome.verdict is not Verdict.OK or outcome.app is None:
            await refuse(ctx, outcome, page)
            return
        await ctx.snackbar(ctx.t(snack, id=str(outcome.app.id)))
        # A reason half-typed for this very application is moot now.
        found = await reason_flow.where(ctx.deps, ctx.peer_id)
        if found is not None and found[1] is not None and found[1].app == outcome.app.id:
            await reason_flow.leave(ctx)
        await review.notices.after_decision(outcome)
        await show_where(ctx, outcome.app, page)

    # --- entry points --------------------------------------------------------------------
    # Opened from the menu or a reminder: a new message, so the menu or reminder stays; paging
    # and decisions then redraw that message in place.
    @on_button(labeler, deps, MenuReview)
    async def open_review(ctx: Ctx) -> None:
        await show_orgs(ctx, 0, new=True)

    @on_button(labeler, deps, RvOrgs)
    async def orgs_page(ctx: Ctx, data: RvOrgs) -> None:
        await show_orgs(ctx, data.p)

    @on_button(labeler, deps, RvList)
    async def list_page(ctx: Ctx, data: RvList) -> None:
        await show_list(ctx, data.o, data.p)

    # --- one application -----------------------------------------------------------------
    @on_button(labeler, deps, RvApprove)
    async def approve(ctx: Ctx, data: RvApprove) -> None:
        outcome = await review.decisions.approve(ctx.vk_id, data.a)
        await decided(ctx, outcome, data.p, "review-approved-snack")

    @on_button(labeler, deps, RvReject)
    async def reject(ctx: Ctx, data: RvReject) -> None:
        outcome = await review.decisions.examine(ctx.vk_id, data.a)
        if outcome.verdict is not Verdict.OK or outcome.app is None:
            await refuse(ctx, outcome, data.p)
            return
        card = await texts.card(ctx.locale, outcome.app)
        text = f"{card}\n\n{ctx.t('review-reason-question')}"
        await ctx.show(text, reasons_keyboard(ctx.kb(), ctx.t, data.a, data.p))

    @on_button(labeler, deps, RvReason)
    async def reason(ctx: Ctx, data: RvReason) -> None:
        if data.r != "other":
            outcome = await review.decisions.reject(ctx.vk_id, data.a, data.r)
            await decided(ctx, outcome, data.p, "review-rejected-snack")
            return
        outcome = await review.decisions.examine(ctx.vk_id, data.a)
        if outcome.verdict is not Verdict.OK or outcome.app is None:
            await refuse(ctx, outcome, data.p)
            return
        card = await texts.card(ctx.locale, outcome.app)
        draft = RejectDraft(app=data.a, page=data.p)
        await reason_flow.enter(ctx, ReviewState.REASON, draft, above=card)

    @on_button(labeler, deps, RvRejectTyped, AtStep(deps, reason_flow, same=same_typed))
    async def reject_typed(ctx: Ctx, data: RvRejectTyped, draft: RejectDraft) -> None:
        outcome = await review.decisions.reject(ctx.vk_id, data.a, "other", draft.reason)
        await reason_flow.leave(ctx)
        await decided(ctx, outcome, data.p, "review-rejected-snack")

    @on_button(labeler, deps, RvBack)
    async def back(ctx: Ctx, data: RvBack) -> None:
        if await reason_flow.leave(ctx):
            await ctx.snackbar(ctx.t("review-reason-cancelled"))
        outcome = await review.decisions.examine(ctx.vk_id, data.a)
        if outcome.verdict is not Verdict.OK or outcome.app is None:
            await refuse(ctx, outcome, data.p)
            return
        if data.p is not None:
            await show_list(ctx, outcome.app.org_id, data.p)
            return
        text = await texts.current(ctx.locale, outcome.app)
        await ctx.show(text, prompt_keyboard(ctx.kb(), ctx.t, data.a))

    reason_flow.bind(labeler, deps)

    # --- the whole organization at once --------------------------------------------------
    @on_button(labeler, deps, RvAllAsk)
    async def all_ask(ctx: Ctx, data: RvAllAsk) -> None:
        preview = await review.decisions.approve_all_preview(ctx.vk_id, data.o)
        if preview is None:
            await ctx.snackbar(ctx.t("no-rights"))
            return
        count, upto = preview
        if not count:
            await ctx.snackbar(ctx.t("review-all-none"))
            await show_list(ctx, data.o, 0)
            return
        org = await texts.org_name(data.o)
        await ctx.show(
            ctx.t("review-all-confirm", org=org, count=count),
            all_confirm_keyboard(ctx.kb(), ctx.t, data.o, upto, count),
        )

    @on_button(labeler, deps, RvAllYes)
    async def all_yes(ctx: Ctx, data: RvAllYes) -> None:
        outcomes = await review.decisions.approve_all(ctx.vk_id, data.o, data.u)
        if outcomes is None:
            await ctx.snackbar(ctx.t("no-rights"))
            return
        done = [o for o in outcomes if o.verdict is Verdict.OK]
        await ctx.snackbar(ctx.t("review-all-done", count=len(done)))
        for outcome in done:
            await review.notices.after_decision(outcome)
        await show_list(ctx, data.o, 0)
