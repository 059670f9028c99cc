"""Invitations: staff join by a deep link or a code; administrators create, list and revoke.

Two labelers: `make_link_labeler` loads before the start handler, because the click on a
vk.me link arrives as the start word carrying `ref`; `make_labeler` loads with the features.
"""

from __future__ import annotations

from loguru import logger
from pydantic import BaseModel
from vkbottle import BaseStateGroup
from vkbottle.bot import BotLabeler, Message
from vkbottle.dispatch.rules import ABCRule

from bot.answers import BadInput, parse_full_name, parse_line, parse_position
from bot.deps import Deps
from bot.qr import qr_png
from bot.services import invitations as svc
from bot.services.invitations import InviteSpec, Refusal, Refused
from bot.text import msk_datetime
from bot.uploads import upload_photo
from handlers.common import Ctx, TypedRule, on_button, on_text, raw_payload
from handlers.start import send_menu
from keyboards import invitations as kbs
from keyboards.builder import KeyboardBuilder
from keyboards.menu import MenuInvitations, MenuInviteCode, home_button
from storage.models import InvitationStats, Organization, Role

PER_PAGE = 5
# Refusals after which applying without an invitation is the way forward.
OFFER_APPLY = frozenset(
    {
        Refusal.UNKNOWN,
        Refusal.EXPIRED,
        Refusal.REVOKED,
        Refusal.USED_UP,
        Refusal.ORG_CLOSED,
        Refusal.COOLDOWN,
    }
)


class InviteJoin(BaseStateGroup):
    CODE = "code"
    ROLE = "role"
    NAME = "name"
    POSITION = "position"
    CONFIRM = "confirm"


class InviteCreate(BaseStateGroup):
    ROLE = "role"
    CLASS = "class"
    EXPIRY = "expiry"
    USES = "uses"
    APPROVAL = "approval"
    NAME = "name"
    CONFIRM = "confirm"


JOIN_PREFIX = "InviteJoin:"
CREATE_PREFIX = "InviteCreate:"


class JoinDraft(BaseModel):
    invitation_id: int
    org: str
    needs_approval: bool
    role: Role | None = None
    vk_name: str = ""
    full_name: str = ""
    position: str = ""


# --- rules -----------------------------------------------------------------------------------
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


# --- shared helpers --------------------------------------------------------------------------
def full_name_or_empty(text: str) -> str:
    """The VK name offered as a one-tap answer only when it passes as a full name."""
    try:
        return parse_full_name(text)
    except BadInput:
        return ""


def _role_name(ctx: Ctx, role: Role | None) -> str:
    return ctx.t(f"role-{role.value}") if role is not None else ctx.t("invite-role-any")


def _paragraphs(*parts: str) -> str:
    return "\n\n".join(p for p in parts if p)


async def _present(ctx: Ctx, text: str, kb: KeyboardBuilder, *, edit: bool) -> None:
    """Replace the pressed message when moving within a screen, else send a new one."""
    if edit:
        await ctx.show(text, kb)
    else:
        await ctx.reply(text, kb)


async def _no_rights(ctx: Ctx) -> None:
    await ctx.reply(ctx.t("invite-no-rights"), home_button(ctx.kb(), ctx.t))


async def _stale(ctx: Ctx) -> None:
    """A validly signed button that no longer applies: say so, then show where the person is."""
    await ctx.snackbar(ctx.t("invite-stale"))
    state = await ctx.state()
    if state is None:
        await send_menu(ctx)
    elif state.startswith((JOIN_PREFIX, CREATE_PREFIX)):
        await _reshow(ctx, state)


async def _reshow(ctx: Ctx, state: str, note: str = "") -> None:
    """The current step's question again (with a note on what was wrong)."""
    if state == str(InviteJoin.CODE):
        await ctx.reply(_paragraphs(note, ctx.t("invite-code-ask")), kbs.cancel(ctx.kb(), ctx.t))
        return
    if state.startswith(JOIN_PREFIX):
        draft = await ctx.data(JoinDraft)
        if draft is not None:
            await show_join_step(ctx, state, draft, note=note)
            return
    else:
        spec = await ctx.data(InviteSpec)
        if spec is not None:
            await show_create_step(ctx, state, spec, note=note)
            return
    await ctx.clear_state()
    await send_menu(ctx, "invite-flow-lost")


async def _leave_flow(ctx: Ctx, prefix: str) -> None:
    """End this feature's conversation (`prefix`) if the person is in it; leave others be."""
    state = await ctx.state()
    if state is not None and state.startswith(prefix):
        await ctx.clear_state()


def _refusal_text(ctx: Ctx, refused: Refused) -> str:
    text = ctx.t(
        f"invite-err-{refused.reason.value}",
        org=refused.org.name if refused.org is not None else "",
        minutes=refused.wait_minutes,
        hours=-(-refused.wait_minutes // 60),
        left=refused.attempts_left,
        max=ctx.deps.settings.max_open_applications,
    )
    return _paragraphs(text, ctx.t("invite-apply-hint") if refused.reason in OFFER_APPLY else "")


async def _refuse(ctx: Ctx, refused: Refused) -> None:
    kb = kbs.refused(ctx.kb(), ctx.t, refused.reason in OFFER_APPLY)
    await ctx.reply(_refusal_text(ctx, refused), kb)


# --- staff: joining --------------------------------------------------------------------------
async def begin(ctx: Ctx, code: str, *, in_code_step: bool = False) -> None:
    """Show what the invitation offers and ask the first question, or why it cannot be used."""
    result = await svc.open_code(ctx.deps, ctx.vk_id, code)
    if isinstance(result, Refused):
        if in_code_step and result.reason is Refusal.UNKNOWN and result.attempts_left > 0:
            # Keep the code step open: a typo deserves another try.
            text = _paragraphs(_refusal_text(ctx, result), ctx.t("invite-code-ask"))
            await ctx.reply(text, kbs.cancel(ctx.kb(), ctx.t))
            return
        await _leave_flow(ctx, JOIN_PREFIX)
        await _refuse(ctx, result)
        return
    inv, first_last = result.invitation, await svc.known_vk_name(ctx.deps, ctx.vk_id)
    draft = JoinDraft(
        invitation_id=inv.id,
        org=result.org.name,
        needs_approval=inv.needs_approval,
        role=inv.role,
        vk_name=full_name_or_empty(f"{first_last[1]} {first_last[0]}"),
    )
    lines = [ctx.t("invite-offer", org=result.org.name, role=_role_name(ctx, inv.role))]
    if result.class_name:
        lines.append(ctx.t("invite-offer-class", cls=result.class_name))
    mode = "approval" if inv.needs_approval else "direct"
    intro = _paragraphs(
        "\n".join(lines),
        ctx.t(f"invite-offer-{mode}"),
        ctx.t(f"invite-offer-replaces-{mode}") if result.open_application else "",
    )
    step = InviteJoin.NAME if inv.role is not None else InviteJoin.ROLE
    await ctx.set_state(step, draft)
    await show_join_step(ctx, str(step), draft, note=intro)


async def show_join_step(
    ctx: Ctx, state: str, draft: JoinDraft, *, note: str = "", edit: bool = False
) -> None:
    kb = ctx.kb()
    if state == str(InviteJoin.ROLE):
        question, kb = ctx.t("invite-role-ask"), kbs.role_picker(kb, ctx.t, any_role=False)
    elif state == str(InviteJoin.NAME):
        # The hint names the button with the VK name only when there is one to show.
        key = "invite-name-ask-vk" if draft.vk_name else "invite-name-ask"
        question, kb = ctx.t(key), kbs.vk_name_step(kb, ctx.t, draft.vk_name)
    elif state == str(InviteJoin.POSITION):
        question, kb = ctx.t("invite-position-ask"), kbs.position_step(kb, ctx.t)
    else:
        question = ctx.t(
            "invite-join-summary",
            org=draft.org,
            role=_role_name(ctx, draft.role),
            name=draft.full_name,
            position=draft.position or ctx.t("invite-position-none"),
        )
        kb = kbs.join_confirm(kb, ctx.t, draft.needs_approval)
    await _present(ctx, _paragraphs(note, question), kb, edit=edit)


async def _join_at(ctx: Ctx, step: InviteJoin) -> JoinDraft | None:
    """The draft when the person is at `step`; otherwise the button is stale."""
    state = await ctx.state()
    draft = await ctx.data(JoinDraft) if state == str(step) else None
    if draft is None:
        await _stale(ctx)
    return draft


async def _join_next(ctx: Ctx, step: InviteJoin, draft: JoinDraft, *, edit: bool) -> None:
    await ctx.set_state(step, draft)
    await show_join_step(ctx, str(step), draft, edit=edit)


def _bind_joining(labeler: BotLabeler, deps: Deps) -> None:
    @on_button(labeler, deps, MenuInviteCode)
    async def ask_code(ctx: Ctx, _: MenuInviteCode) -> None:
        await ctx.set_state(InviteJoin.CODE)
        await ctx.reply(ctx.t("invite-code-ask"), kbs.cancel(ctx.kb(), ctx.t))

    @on_button(labeler, deps, kbs.IvJoinRole)
    async def pick_role(ctx: Ctx, data: kbs.IvJoinRole) -> None:
        draft = await _join_at(ctx, InviteJoin.ROLE)
        if draft is None:
            return
        if data.role not in {r.value for r in Role}:
            await _stale(ctx)
            return
        draft.role = Role(data.role)
        await _join_next(ctx, InviteJoin.NAME, draft, edit=True)

    @on_button(labeler, deps, kbs.IvVkName)
    async def use_vk_name(ctx: Ctx, _: kbs.IvVkName) -> None:
        draft = await _join_at(ctx, InviteJoin.NAME)
        if draft is None:
            return
        if not draft.vk_name:
            await _stale(ctx)
            return
        draft.full_name = draft.vk_name
        await _join_next(ctx, InviteJoin.POSITION, draft, edit=True)

    @on_button(labeler, deps, kbs.IvSkip)
    async def skip_position(ctx: Ctx, _: kbs.IvSkip) -> None:
        draft = await _join_at(ctx, InviteJoin.POSITION)
        if draft is None:
            return
        draft.position = ""
        await _join_next(ctx, InviteJoin.CONFIRM, draft, edit=True)

    @on_button(labeler, deps, kbs.IvJoin)
    async def join(ctx: Ctx, _: kbs.IvJoin) -> None:
        draft = await _join_at(ctx, InviteJoin.CONFIRM)
        if draft is None:
            return
        if draft.role is None or not draft.full_name:
            await ctx.clear_state()
            await send_menu(ctx, "invite-flow-lost")
            return
        result = await svc.redeem(
            ctx.deps,
            ctx.vk_id,
            draft.invitation_id,
            role=draft.role,
            full_name=draft.full_name,
            position=draft.position,
        )
        await ctx.clear_state()
        if isinstance(result, Refused):
            await _refuse(ctx, result)
            return
        key = "invite-filed" if isinstance(result, svc.Filed) else "invite-joined"
        await ctx.show(ctx.t(key, org=result.org.name), home_button(ctx.kb(), ctx.t))

    @on_button(labeler, deps, kbs.IvCancel)
    async def cancel(ctx: Ctx, _: kbs.IvCancel) -> None:
        state = await ctx.state()
        if state is None or not state.startswith((JOIN_PREFIX, CREATE_PREFIX)):
            await _stale(ctx)
            return
        await ctx.clear_state()
        await send_menu(ctx, "invite-cancelled")

    @on_text(labeler, deps, TypedRule(), state=InviteJoin.CODE)
    async def typed_code(ctx: Ctx) -> None:
        code = svc.parse_code(ctx.text)
        if code is None:
            await _reshow(ctx, str(InviteJoin.CODE), ctx.t("invite-code-malformed"))
            return
        await begin(ctx, code, in_code_step=True)

    @on_text(labeler, deps, TypedRule(), state=InviteJoin.NAME)
    async def typed_name(ctx: Ctx) -> None:
        draft = await ctx.data(JoinDraft)
        try:
            name = parse_full_name(ctx.text)
        except BadInput:
            name = ""
        if draft is None or not name:
            await _reshow(ctx, str(InviteJoin.NAME), ctx.t("invite-name-invalid"))
            return
        draft.full_name = name
        await _join_next(ctx, InviteJoin.POSITION, draft, edit=False)

    @on_text(labeler, deps, TypedRule(), state=InviteJoin.POSITION)
    async def typed_position(ctx: Ctx) -> None:
        draft = await ctx.data(JoinDraft)
        try:
            position = parse_position(ctx.text)
        except BadInput:
            position = ""
        if draft is None or not position:
            await _reshow(ctx, str(InviteJoin.POSITION), ctx.t("invite-position-invalid"))
            return
        draft.position = position
        await _join_next(ctx, InviteJoin.CONFIRM, draft, edit=False)

    @on_text(labeler, deps, TypedRule(), state=[InviteJoin.ROLE, InviteJoin.CONFIRM])
    async def typed_at_join_buttons(ctx: Ctx) -> None:
        await _reshow(ctx, await ctx.state() or "", ctx.t("invite-use-buttons"))

    @on_text(labeler, deps, PastedCodeRule())
    async def pasted_code(ctx: Ctx) -> None:
        code = svc.parse_code(ctx.text)
        if code is not None:
            await begin(ctx, code)


# --- administrators: creating ----------------------------------------------------------------
def _expiry_text(ctx: Ctx, expires_at: int | None) -> str:
    if expires_at is None:
        return ctx.t("invite-forever")
    return ctx.t("invite-until", date=msk_datetime(expires_at))


def _title(ctx: Ctx, stats: InvitationStats) -> str:
    inv = stats.invitation
    return inv.name or ctx.t("invite-untitled", id=str(inv.id))


async def _class_name(ctx: Ctx, class_id: int | None) -> str:
    cls = await ctx.deps.classes.get(class_id) if class_id is not None else None
    return cls.name if cls is not None else ctx.t("invite-class-none")


async def _summary(
    ctx: Ctx,
    org: Organization | None,
    *,
    role: Role | None,
    class_id: int | None,
    expiry: str,
    limit: int,
    needs_approval: bool,
    name: str,
) -> str:
    return ctx.t(
        "invite-summary",
        org=org.name if org is not None else "",
        role=_role_name(ctx, role),
        cls=await _class_name(ctx, class_id),
        expiry=expiry,
        limit=ctx.t("invite-limit", n=limit),
        approval=ctx.t("invite-yes" if needs_approval else "invite-no"),
        name=name,
    )


async def _spec_summary(ctx: Ctx, spec: InviteSpec, org: Organization | None) -> str:
    return await _summary(
        ctx,
        org,
        role=spec.role,
        class_id=spec.class_id,
        expiry=ctx.t("invite-days", days=spec.days),
        limit=spec.uses,
        needs_approval=spec.needs_approval,
        name=spec.name or ctx.t("invite-btn-no-name"),
    )


async def _stats_summary(ctx: Ctx, stats: InvitationStats, org: Organization | None) -> str:
    inv = stats.invitation
    return await _summary(
        ctx,
        org,
        role=inv.role,
        class_id=inv.class_id,
        expiry=_expiry_text(ctx, inv.expires_at),
        limit=inv.max_uses or 0,
        needs_approval=inv.needs_approval,
        name=_title(ctx, stats),
    )


def _uses_text(ctx: Ctx, stats: InvitationStats) -> str:
    inv = stats.invitation
    if inv.max_uses is None:
        return ctx.t("invite-uses-free", uses=inv.uses)
    return ctx.t("invite-uses-of", uses=inv.uses, max=inv.max_uses)


def _creator(ctx: Ctx, stats: InvitationStats) -> str:
    return stats.creator_name or ctx.t("invite-creator-id", id=str(stats.invitation.created_by))


async def show_create_step(
    ctx: Ctx, state: str, spec: InviteSpec, *, note: str = "", page: int = 0, edit: bool = False
) -> None:
    kb, t = ctx.kb(), ctx.t
    org = await ctx.deps.orgs.get(spec.org_id)
    if state == str(InviteCreate.ROLE):
        question = t("invite-new-role", org=org.name if org is not None else "")
        kb = kbs.role_picker(kb, t, any_role=True)
    elif state == str(InviteCreate.CLASS):
        classes = await ctx.deps.classes.of_org(spec.org_id)
        page = max(0, min(page, (len(classes) - 1) // kbs.CLASSES_PER_PAGE))
        question, kb = t("invite-new-class"), kbs.class_picker(kb, t, classes, page)
    elif state == str(InviteCreate.EXPIRY):
        question = t("invite-new-expiry", max=svc.MAX_DAYS)
        kb = kbs.choices(
            kb, t, [(t("invite-days", days=d), kbs.IvExpiry(days=d)) for d in svc.EXPIRY_DAYS]
        )
    elif state == str(InviteCreate.USES):
        question = t("invite-new-uses", max=svc.MAX_USES)
        kb = kbs.choices(kb, t, [(t("invite-limit", n=n), kbs.IvUses(n=n)) for n in svc.USE_LIMITS])
    elif state == str(InviteCreate.APPROVAL):
        question, kb = t("invite-new-approval"), kbs.approval_picker(kb, t)
    elif state == str(InviteCreate.NAME):
        question, kb = t("invite-new-name"), kbs.name_step(kb, t)
    else:
        question = t("invite-new-confirm", summary=await _spec_summary(ctx, spec, org))
        kb = kbs.create_confirm(kb, t)
    await _present(ctx, _paragraphs(note, question), kb, edit=edit)


async def _create_at(ctx: Ctx, step: InviteCreate) -> InviteSpec | None:
    """The draft when the administrator is at `step` and still administers its organization."""
    state = await ctx.state()
    spec = await ctx.data(InviteSpec) if state == str(step) else None
    if spec is None:
        await _stale(ctx)
        return None
    if not await ctx.deps.orgs.is_admin(spec.org_id, ctx.vk_id):
        await ctx.clear_state()
        await _no_rights(ctx)
        return None
    return spec


async def _create_next(ctx: Ctx, step: InviteCreate, spec: InviteSpec, *, edit: bool) -> None:
    await ctx.set_state(step, spec)
    await show_create_step(ctx, str(step), spec, edit=edit)


async def _send_created(ctx: Ctx, spec: InviteSpec) -> None:
    result = await svc.create(ctx.deps, ctx.vk_id, spec)
    await ctx.clear_state()
    if result is svc.CreateRefusal.NO_RIGHTS:
        await _no_rights(ctx)
        return
    if result is svc.CreateRefusal.CLASS_GONE:
        await ctx.reply(ctx.t("invite-class-gone"), kbs.after_create(ctx.kb(), ctx.t))
        return
    assert isinstance(result, svc.Created)
    org = await ctx.deps.orgs.get(spec.org_id)
    text = ctx.t(
        "invite-created",
        summary=await _spec_summary(ctx, spec, org),
        link=result.link,
        code=result.code,
    )
    attachment = None
    try:
        attachment = await upload_photo(ctx.deps.messenger, ctx.peer_id, qr_png(result.link))
    except Exception:
        # The link and the code are what matter; the picture is a convenience.
        logger.exception("QR upload for invitation {} failed", result.invitation_id)
        text = _paragraphs(text, ctx.t("invite-qr-failed"))
    await ctx.reply(text, kbs.after_create(ctx.kb(), ctx.t), attachment=attachment)


def _bind_creating(labeler: BotLabeler, deps: Deps) -> None:
    @on_button(labeler, deps, kbs.IvNew)
    async def new(ctx: Ctx, data: kbs.IvNew) -> None:
        if not await deps.orgs.is_admin(data.org, ctx.vk_id):
            await _no_rights(ctx)
            return
        await _create_next(ctx, InviteCreate.ROLE, InviteSpec(org_id=data.org), edit=True)

    @on_button(labeler, deps, kbs.IvRole)
    async def role(ctx: Ctx, data: kbs.IvRole) -> None:
        spec = await _create_at(ctx, InviteCreate.ROLE)
        if spec is None:
            return
        if data.role and data.role not in {r.value for r in Role}:
            await _stale(ctx)
            return
        spec.role = Role(data.role) if data.role else None
        has_classes = bool(await deps.classes.of_org(spec.org_id))
        step = InviteCreate.CLASS if has_classes else InviteCreate.EXPIRY
        await _create_next(ctx, step, spec, edit=True)

    @on_button(labeler, deps, kbs.IvClassPage)
    async def class_page(ctx: Ctx, data: kbs.IvClassPage) -> None:
        spec = await _create_at(ctx, InviteCreate.CLASS)
        if spec is not None:
            await show_create_step(ctx, str(InviteCreate.CLASS), spec, page=data.page, edit=True)

    @on_button(labeler, deps, kbs.IvClass)
    async def pick_class(ctx: Ctx, data: kbs.IvClass) -> None:
        spec = await _create_at(ctx, InviteCreate.CLASS)
        if spec is None:
            return
        if data.class_id:
            cls = await deps.classes.get(data.class_id)
            if cls is None or cls.org_id != spec.org_id:
                await _stale(ctx)
                return
        spec.class_id = data.class_id or None
        await _create_next(ctx, InviteCreate.EXPIRY, spec, edit=True)

    @on_button(labeler, deps, kbs.IvExpiry)
    async def expiry(ctx: Ctx, data: kbs.IvExpiry) -> None:
        spec = await _create_at(ctx, InviteCreate.EXPIRY)
        if spec is None:
            return
        if data.days not in svc.EXPIRY_DAYS:
            await _stale(ctx)
            return
        spec.days = data.days
        await _create_next(ctx, InviteCreate.USES, spec, edit=True)

    @on_button(labeler, deps, kbs.IvUses)
    async def uses(ctx: Ctx, data: kbs.IvUses) -> None:
        spec = await _create_at(ctx, InviteCreate.USES)
        if spec is None:
            return
        if data.n not in svc.USE_LIMITS:
            await _stale(ctx)
            return
        spec.uses = data.n
        await _create_next(ctx, InviteCreate.APPROVAL, spec, edit=True)

    @on_button(labeler, deps, kbs.IvApproval)
    async def approval(ctx: Ctx, data: kbs.IvApproval) -> None:
        spec = await _create_at(ctx, InviteCreate.APPROVAL)
        if spec is None:
            return
        spec.needs_approval = data.on
        await _create_next(ctx, InviteCreate.NAME, spec, edit=True)

    @on_button(labeler, deps, kbs.IvNoName)
    async def no_name(ctx: Ctx, _: kbs.IvNoName) -> None:
        spec = await _create_at(ctx, InviteCreate.NAME)
        if spec is None:
            return
        spec.name = ""
        await _create_next(ctx, InviteCreate.CONFIRM, spec, edit=True)

    @on_button(labeler, deps, kbs.IvCreate)
    async def create(ctx: Ctx, _: kbs.IvCreate) -> None:
        spec = await _create_at(ctx, InviteCreate.CONFIRM)
        if spec is not None:
            await _send_created(ctx, spec)

    @on_button(labeler, deps, kbs.IvEdit)
    async def edit(ctx: Ctx, _: kbs.IvEdit) -> None:
        # Back from the preview to the first step: the administrator answers the steps again.
        spec = await _create_at(ctx, InviteCreate.CONFIRM)
        if spec is not None:
            await _create_next(ctx, InviteCreate.ROLE, spec, edit=True)

    async def typed_count(
        ctx: Ctx, step: InviteCreate, most: int, bad: str
    ) -> tuple[InviteSpec, int] | None:
        """A number typed at `step` instead of a button (days or uses), with the draft; when it is
        not a number from 1 to `most`, the step is shown again saying so."""
        spec = await _create_at(ctx, step)
        if spec is None:
            return None
        count = svc.typed_count(ctx.text, most)
        if count is None:
            await _reshow(ctx, str(step), ctx.t(bad, max=most))
            return None
        return spec, count

    @on_text(labeler, deps, TypedRule(), state=InviteCreate.EXPIRY)
    async def typed_days(ctx: Ctx) -> None:
        typed = await typed_count(ctx, InviteCreate.EXPIRY, svc.MAX_DAYS, "invite-days-bad")
        if typed is not None:
            spec, days = typed
            spec.days = days
            await _create_next(ctx, InviteCreate.USES, spec, edit=False)

    @on_text(labeler, deps, TypedRule(), state=InviteCreate.USES)
    async def typed_uses(ctx: Ctx) -> None:
        typed = await typed_count(ctx, InviteCreate.USES, svc.MAX_USES, "invite-uses-bad")
        if typed is not None:
            spec, uses = typed
            spec.uses = uses
            await _create_next(ctx, InviteCreate.APPROVAL, spec, edit=False)

    @on_text(labeler, deps, TypedRule(), state=InviteCreate.NAME)
    async def typed_title(ctx: Ctx) -> None:
        spec = await _create_at(ctx, InviteCreate.NAME)
        if spec is None:
            return
        try:
            title = parse_line(ctx.text, svc.MAX_TITLE)
        except BadInput:
            title = ""
        if not title:
            await _reshow(ctx, str(InviteCreate.NAME), ctx.t("invite-name-bad"))
            return
        spec.name = title
        await _create_next(ctx, InviteCreate.CONFIRM, spec, edit=False)

    typed_steps = (InviteCreate.NAME, InviteCreate.EXPIRY, InviteCreate.USES)
    button_steps = [s for s in InviteCreate if s not in typed_steps]

    @on_text(labeler, deps, TypedRule(), state=button_steps)
    async def typed_at_create_buttons(ctx: Ctx) -> None:
        await _reshow(ctx, await ctx.state() or "", ctx.t("invite-use-buttons"))


# --- administrators: listing and revoking ----------------------------------------------------
async def _org_screen(ctx: Ctx, org: Organization, *, edit: bool) -> None:
    await _leave_flow(ctx, CREATE_PREFIX)
    active = await ctx.deps.invitations.count_active(org.id, ctx.deps.clock.now())
    several = len(await ctx.deps.orgs.administered(ctx.vk_id)) > 1
    text = ctx.t("invite-org", org=org.name, count=active)
    await _present(ctx, text, kbs.org_screen(ctx.kb(), ctx.t, org.id, active, several), edit=edit)


async def _org_picker(ctx: Ctx, orgs: list[Organization], page: int, *, edit: bool) -> None:
    page = max(0, min(page, (len(orgs) - 1) // kbs.ORGS_PER_PAGE))
    kb = kbs.org_picker(ctx.kb(), ctx.t, orgs, page)
    await _present(ctx, ctx.t("invite-pick-org"), kb, edit=edit)


async def _card(ctx: Ctx, stats: InvitationStats, note: str = "") -> None:
    inv = stats.invitation
    org = await ctx.deps.orgs.get(inv.org_id)
    problem = svc.invitation_problem(inv, ctx.deps.clock.now())
    status = ""
    if problem is Refusal.REVOKED:
        status = ctx.t("invite-card-revoked")
    elif problem is not None:
        status = ctx.t("invite-card-inactive")
    card = ctx.t(
        "invite-card",
        name=_title(ctx, stats),
        summary=await _stats_summary(ctx, stats, org),
        uses=_uses_text(ctx, stats),
        joined=stats.joined,
        waiting=stats.waiting,
        creator=_creator(ctx, stats),
        created=msk_datetime(inv.created_at),
    )
    kb = kbs.invitation_card(ctx.kb(), ctx.t, inv.id, inv.org_id, active=problem is None)
    await ctx.show(_paragraphs(note, card, status), kb)


def _bind_managing(labeler: BotLabeler, deps: Deps) -> None:
    @on_button(labeler, deps, MenuInvitations)
    async def menu(ctx: Ctx, _: MenuInvitations) -> None:
        orgs = await deps.orgs.administered(ctx.vk_id)
        if not orgs:
            await _no_rights(ctx)
        elif len(orgs) == 1:
            await _org_screen(ctx, orgs[0], edit=False)
        else:
            await _leave_flow(ctx, CREATE_PREFIX)
            await _org_picker(ctx, orgs, 0, edit=False)

    @on_button(labeler, deps, kbs.IvOrgs)
    async def orgs_page(ctx: Ctx, data: kbs.IvOrgs) -> None:
        orgs = await deps.orgs.administered(ctx.vk_id)
        if not orgs:
            await _no_rights(ctx)
            return
        await _leave_flow(ctx, CREATE_PREFIX)
        await _org_picker(ctx, orgs, data.page, edit=True)

    @on_button(labeler, deps, kbs.IvOrg)
    async def org_screen(ctx: Ctx, data: kbs.IvOrg) -> None:
        org = await deps.orgs.get(data.org)
        if org is None or not await deps.orgs.is_admin(data.org, ctx.vk_id):
            await _no_rights(ctx)
            return
        await _org_screen(ctx, org, edit=True)

    @on_button(labeler, deps, kbs.IvList)
    async def listing(ctx: Ctx, data: kbs.IvList) -> None:
        found = await svc.active_page(deps, ctx.vk_id, data.org, data.page, PER_PAGE)
        org = await deps.orgs.get(data.org)
        if found is None or org is None:
            await _no_rights(ctx)
            return
        await _leave_flow(ctx, CREATE_PREFIX)
        if not found.rows:
            text = ctx.t("invite-list-empty", org=org.name)
        else:
            items = [
                ctx.t(
                    "invite-list-item",
                    n=n,
                    name=_title(ctx, s),
                    role=_role_name(ctx, s.invitation.role),
                    uses=_uses_text(ctx, s),
                    joined=s.joined,
                    waiting=s.waiting,
                    expiry=_expiry_text(ctx, s.invitation.expires_at),
                    creator=_creator(ctx, s),
                )
                for n, s in enumerate(found.rows, start=found.page * PER_PAGE + 1)
            ]
            text = _paragraphs(ctx.t("invite-list-title", org=org.name, total=found.total), *items)
        ids = [s.invitation.id for s in found.rows]
        kb = kbs.invitation_list(ctx.kb(), ctx.t, org.id, ids, found.page, found.total, PER_PAGE)
        await ctx.show(text, kb)

    @on_button(labeler, deps, kbs.IvShow)
    async def show(ctx: Ctx, data: kbs.IvShow) -> None:
        stats = await svc.details(deps, ctx.vk_id, data.inv)
        if stats is None:
            await _no_rights(ctx)
            return
        await _card(ctx, stats)

    @on_button(labeler, deps, kbs.IvRevoke)
    async def ask_revoke(ctx: Ctx, data: kbs.IvRevoke) -> None:
        stats = await svc.details(deps, ctx.vk_id, data.inv)
        if stats is None:
            await _no_rights(ctx)
            return
        if stats.invitation.revoked_at is not None:
            await _card(ctx, stats, ctx.t("invite-revoke-already", name=_title(ctx, stats)))
            return
        text = ctx.t("invite-revoke-confirm", name=_title(ctx, stats))
        await ctx.show(text, kbs.revoke_confirm(ctx.kb(), ctx.t, data.inv))

    @on_button(labeler, deps, kbs.IvRevokeYes)
    async def revoke(ctx: Ctx, data: kbs.IvRevokeYes) -> None:
        result = await svc.revoke(deps, ctx.vk_id, data.inv)
        stats = await svc.details(deps, ctx.vk_id, data.inv)
        if result is svc.RevokeResult.NO_RIGHTS or stats is None:
            await _no_rights(ctx)
            return
        key = "invite-revoked" if result is svc.RevokeResult.REVOKED else "invite-revoke-already"
        kb = kbs.back_to_list(ctx.kb(), ctx.t, stats.invitation.org_id)
        await ctx.show(ctx.t(key, name=_title(ctx, stats)), kb)


# --- factories -------------------------------------------------------------------------------
def make_link_labeler(deps: Deps) -> BotLabeler:
    """Loaded before the start handler, which would take the link's start word."""
    labeler = BotLabeler()

    @on_text(labeler, deps, DeepLinkRule())
    async def deep_link(ctx: Ctx) -> None:
        code = svc.parse_code((ctx.message.ref if ctx.message else None) or "")
        if code is not None:
            await begin(ctx, code)

    return labeler


def make_labeler(deps: Deps) -> BotLabeler:
    labeler = BotLabeler()
    _bind_creating(labeler, deps)
    _bind_managing(labeler, deps)
    _bind_joining(labeler, deps)
    return labeler
