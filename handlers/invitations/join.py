"""Staff join by an invitation: a vk.me deep link, a pasted link or a typed code; then the
role (when the invitation leaves it open), the full name, the position and a confirmation."""

from __future__ import annotations

from pydantic import BaseModel
from vkbottle import BaseStateGroup
from vkbottle.bot import BotLabeler, Message
from vkbottle.dispatch.rules import ABCRule

from bot.answers import BadInput, parse_full_name, parse_position
from bot.deps import Deps
from bot.services import invitations as svc
from bot.services.invitations import Refusal, Refused
from handlers.common import Ctx, on_button, on_text, raw_payload
from handlers.flow import FINISH, AtStep, Edge, Flow, Reask, Step, View
from handlers.invitations import views
from handlers.start import send_menu
from keyboards import invitations as kbs
from keyboards.menu import MenuInviteCode, home_button
from storage.models import Role


class InviteJoin(BaseStateGroup):
    CODE = "code"
    ROLE = "role"
    NAME = "name"
    POSITION = "position"
    CONFIRM = "confirm"


class JoinDraft(BaseModel):
    """The answers so far; empty at the code step, before an invitation is opened."""

    invitation_id: int = 0
    org: str = ""
    needs_approval: bool = False
    role: Role | None = None
    vk_name: str = ""
    full_name: str = ""
    position: str = ""


class DeepLinkRule(ABCRule[Message]):
    """The message VK sends after a click on https://vk.me/club<id>?ref=<code>."""

    async def check(self, event: Message) -> bool:
        return svc.parse_code(event.ref or "") is not None


class PastedCodeRule(ABCRule[Message]):
    """A code or an invitation link typed outside any conversation step."""

    async def check(self, event: Message) -> bool:
        return (
            event.state_peer is None
            and raw_payload(event) is None
            and svc.parse_code(event.text or "") is not None
        )


async def refuse(ctx: Ctx, refused: Refused) -> None:
    kb = kbs.refused(ctx.kb(), ctx.t, refused.reason in views.OFFER_APPLY)
    await ctx.reply(views.refusal_text(ctx, refused), kb)


async def begin(ctx: Ctx, code: str, *, at_code: bool = False) -> Reask | None:
    """Show what the invitation offers and ask the first question, or why it cannot be used
    (a typo at the code step deserves another try: that step is asked again)."""
    result = await svc.open_code(ctx.deps, ctx.vk_id, code)
    if isinstance(result, Refused):
        if at_code and result.reason is Refusal.UNKNOWN and result.attempts_left > 0:
            return Reask(views.refusal_text(ctx, result))
        await JOIN.leave(ctx)
        await refuse(ctx, result)
        return None
    inv, first_last = result.invitation, await ctx.deps.names.of(ctx.vk_id)
    draft = JoinDraft(
        invitation_id=inv.id,
        org=result.org.name,
        needs_approval=inv.needs_approval,
        role=inv.role,
        vk_name=views.full_name_or_empty(f"{first_last[1]} {first_last[0]}"),
    )
    lines = [ctx.t("invite-offer", org=result.org.name, role=views.role_name(ctx, inv.role))]
    if result.class_name:
        lines.append(ctx.t("invite-offer-class", cls=result.class_name))
    mode = "approval" if inv.needs_approval else "direct"
    intro = views.paragraphs(
        "\n".join(lines),
        ctx.t(f"invite-offer-{mode}"),
        ctx.t(f"invite-offer-replaces-{mode}") if result.open_application else "",
    )
    any_role = inv.role is None
    if at_code:
        await JOIN.advance(ctx, JOIN[InviteJoin.CODE], draft, notice=intro, any_role=any_role)
    else:
        await JOIN.enter(ctx, InviteJoin.ROLE if any_role else InviteJoin.NAME, draft, notice=intro)
    return None


# --- the steps -------------------------------------------------------------------------------
async def code_view(ctx: Ctx, _: JoinDraft) -> View:
    return ctx.t("invite-code-ask"), kbs.cancel(ctx.kb(), ctx.t)


async def typed_code(ctx: Ctx, _: JoinDraft) -> Reask | None:
    code = svc.parse_code(ctx.text)
    if code is None:
        return Reask(ctx.t("invite-code-malformed"))
    return await begin(ctx, code, at_code=True)


async def role_view(ctx: Ctx, _: JoinDraft) -> View:
    return ctx.t("invite-role-ask"), kbs.role_picker(ctx.kb(), ctx.t, any_role=False)


async def name_view(ctx: Ctx, draft: JoinDraft) -> View:
    # The hint names the button with the VK name only when there is one to show.
    key = "invite-name-ask-vk" if draft.vk_name else "invite-name-ask"
    return ctx.t(key), kbs.vk_name_step(ctx.kb(), ctx.t, draft.vk_name)


async def typed_name(ctx: Ctx, draft: JoinDraft) -> JoinDraft | Reask:
    try:
        draft.full_name = parse_full_name(ctx.text)
    except BadInput:
        return Reask(ctx.t("invite-name-invalid"))
    return draft


async def position_view(ctx: Ctx, _: JoinDraft) -> View:
    return ctx.t("invite-position-ask"), kbs.position_step(ctx.kb(), ctx.t)


async def typed_position(ctx: Ctx, draft: JoinDraft) -> JoinDraft | Reask:
    try:
        position = parse_position(ctx.text)
    except BadInput:
        position = ""
    if not position:
        return Reask(ctx.t("invite-position-invalid"))
    draft.position = position
    return draft


async def confirm_view(ctx: Ctx, draft: JoinDraft) -> View:
    text = ctx.t(
        "invite-join-summary",
        org=draft.org,
        role=views.role_name(ctx, draft.role),
        name=draft.full_name,
        position=draft.position or ctx.t("invite-position-none"),
    )
    return text, kbs.join_confirm(ctx.kb(), ctx.t, draft.needs_approval)


async def lost(ctx: Ctx) -> None:
    await ctx.clear_state()
    await send_menu(ctx, "invite-flow-lost")


async def outside(ctx: Ctx) -> None:
    if await ctx.state() is None:
        await send_menu(ctx)


JOIN = Flow(
    "flow-invite-join",
    InviteJoin,
    JoinDraft,
    [
        Step(
            InviteJoin.CODE,
            code_view,
            accepts=("flow-typed-code",),
            typed=typed_code,
            next=(
                Edge(InviteJoin.ROLE.value, ("any_role",)),
                Edge(InviteJoin.NAME.value),
            ),
        ),
        Step(
            InviteJoin.ROLE,
            role_view,
            accepts=("flow-by-role",),
            next=(Edge(InviteJoin.NAME.value),),
        ),
        Step(
            InviteJoin.NAME,
            name_view,
            accepts=("flow-typed-full-name", "flow-by-vk-name"),
            typed=typed_name,
            next=(Edge(InviteJoin.POSITION.value),),
        ),
        Step(
            InviteJoin.POSITION,
            position_view,
            accepts=("flow-typed-position", "invite-btn-skip"),
            typed=typed_position,
            next=(Edge(InviteJoin.CONFIRM.value),),
        ),
        Step(
            InviteJoin.CONFIRM,
            confirm_view,
            accepts=("invite-btn-join", "invite-btn-file"),
            next=(Edge(FINISH, by="invite-btn-join"),),
        ),
    ],
    entries=[
        Edge(InviteJoin.CODE.value, by="menu-code"),
        Edge(InviteJoin.ROLE.value, ("any_role",), by="flow-by-link"),
        Edge(InviteJoin.NAME.value, by="flow-by-link"),
    ],
    lost=lost,
    outside=outside,
    use_buttons="invite-use-buttons",
    stale_key="invite-stale",
)


def bind(labeler: BotLabeler, deps: Deps) -> None:
    def at(step: InviteJoin) -> AtStep:
        return AtStep(deps, JOIN, step)

    @on_button(labeler, deps, MenuInviteCode)
    async def ask_code(ctx: Ctx) -> None:
        await JOIN.enter(ctx, InviteJoin.CODE, JoinDraft(), edit=False)

    @on_button(labeler, deps, kbs.IvJoinRole, at(InviteJoin.ROLE))
    async def pick_role(
        ctx: Ctx, data: kbs.IvJoinRole, step: Step[JoinDraft], draft: JoinDraft
    ) -> None:
        if data.role not in {r.value for r in Role}:
            await JOIN.stale(ctx)
            return
        draft.role = Role(data.role)
        await JOIN.advance(ctx, step, draft)

    @on_button(labeler, deps, kbs.IvVkName, at(InviteJoin.NAME))
    async def use_vk_name(ctx: Ctx, step: Step[JoinDraft], draft: JoinDraft) -> None:
        if not draft.vk_name:
            await JOIN.stale(ctx)
            return
        draft.full_name = draft.vk_name
        await JOIN.advance(ctx, step, draft)

    @on_button(labeler, deps, kbs.IvSkip, at(InviteJoin.POSITION))
    async def skip_position(ctx: Ctx, step: Step[JoinDraft], draft: JoinDraft) -> None:
        draft.position = ""
        await JOIN.advance(ctx, step, draft)

    @on_button(labeler, deps, kbs.IvJoin, at(InviteJoin.CONFIRM))
    async def join(ctx: Ctx, draft: JoinDraft) -> None:
        if draft.role is None or not draft.full_name or not draft.invitation_id:
            await lost(ctx)
            return
        result = await svc.redeem(
            ctx.deps,
            ctx.vk_id,
            draft.invitation_id,
            role=draft.role,
            full_name=draft.full_name,
            position=draft.position,
        )
        await JOIN.leave(ctx)
        if isinstance(result, Refused):
            await refuse(ctx, result)
            return
        key = "invite-filed" if isinstance(result, svc.Filed) else "invite-joined"
        await ctx.show(ctx.t(key, org=result.org.name), home_button(ctx.kb(), ctx.t))

    JOIN.bind(labeler, deps)

    @on_text(labeler, deps, PastedCodeRule())
    async def pasted_code(ctx: Ctx) -> None:
        code = svc.parse_code(ctx.text)
        if code is not None:
            await begin(ctx, code)


def make_link_labeler(deps: Deps) -> BotLabeler:
    """Loaded before the start handler, which would take the link's start word."""
    labeler = BotLabeler()

    @on_text(labeler, deps, DeepLinkRule())
    async def deep_link(ctx: Ctx) -> None:
        code = svc.parse_code((ctx.message.ref if ctx.message else None) or "")
        if code is not None:
            await begin(ctx, code)

    return labeler
