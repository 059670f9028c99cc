"""Administrators create an invitation: role, class (when the organization has classes),
expiry, number of uses, approval, a name; a preview; then the link, the code and a QR picture.
Rights are re-read at every step."""

from __future__ import annotations

from collections.abc import Sequence

from loguru import logger
from vkbottle import BaseStateGroup
from vkbottle.bot import BotLabeler

from bot.answers import BadInput, parse_line
from bot.deps import Deps
from bot.qr import qr_png
from bot.services import invitations as svc
from bot.services.invitations import InviteSpec
from bot.uploads import upload_photo
from handlers.common import Ctx, Update, on_button
from handlers.flow import FINISH, AtStep, Edge, Flow, Reask, Step, View
from handlers.invitations import views
from handlers.needs import AdminOf, no_rights
from handlers.start import send_menu
from keyboards import invitations as kbs
from keyboards.builder import KeyboardBuilder
from storage.models import Organization, Role


class InviteCreate(BaseStateGroup):
    ROLE = "role"
    CLASS = "class"
    EXPIRY = "expiry"
    USES = "uses"
    APPROVAL = "approval"
    NAME = "name"
    CONFIRM = "confirm"


class CreateDraft(InviteSpec):
    """The invitation as chosen so far, and the page of the class picker shown."""

    page: int = 0


S = InviteCreate


async def _org_name(ctx: Ctx, spec: CreateDraft) -> str:
    org = await ctx.deps.orgs.get(spec.org_id)
    return org.name if org is not None else ""


async def role_view(ctx: Ctx, spec: CreateDraft) -> View:
    text = ctx.t("invite-new-role", org=await _org_name(ctx, spec))
    return text, kbs.role_picker(ctx.kb(), ctx.t, any_role=True)


async def class_view(ctx: Ctx, spec: CreateDraft) -> View:
    classes = await ctx.deps.classes.of_org(spec.org_id)
    page = max(0, min(spec.page, (len(classes) - 1) // kbs.CLASSES_PER_PAGE))
    return ctx.t("invite-new-class"), kbs.class_picker(ctx.kb(), ctx.t, classes, page)


def _choices(ctx: Ctx, buttons: Sequence[tuple[str, kbs.IvExpiry | kbs.IvUses]]) -> KeyboardBuilder:
    return kbs.choices(ctx.kb(), ctx.t, buttons)


async def expiry_view(ctx: Ctx, _: CreateDraft) -> View:
    buttons = [(ctx.t("invite-days", days=d), kbs.IvExpiry(days=d)) for d in svc.EXPIRY_DAYS]
    return ctx.t("invite-new-expiry", max=svc.MAX_DAYS), _choices(ctx, buttons)


async def typed_days(ctx: Ctx, spec: CreateDraft) -> CreateDraft | Reask:
    days = svc.typed_count(ctx.text, svc.MAX_DAYS)
    if days is None:
        return Reask(ctx.t("invite-days-bad", max=svc.MAX_DAYS))
    spec.days = days
    return spec


async def uses_view(ctx: Ctx, _: CreateDraft) -> View:
    buttons = [(ctx.t("invite-limit", n=n), kbs.IvUses(n=n)) for n in svc.USE_LIMITS]
    return ctx.t("invite-new-uses", max=svc.MAX_USES), _choices(ctx, buttons)


async def typed_uses(ctx: Ctx, spec: CreateDraft) -> CreateDraft | Reask:
    uses = svc.typed_count(ctx.text, svc.MAX_USES)
    if uses is None:
        return Reask(ctx.t("invite-uses-bad", max=svc.MAX_USES))
    spec.uses = uses
    return spec


async def approval_view(ctx: Ctx, _: CreateDraft) -> View:
    return ctx.t("invite-new-approval"), kbs.approval_picker(ctx.kb(), ctx.t)


async def name_view(ctx: Ctx, _: CreateDraft) -> View:
    return ctx.t("invite-new-name"), kbs.name_step(ctx.kb(), ctx.t)


async def typed_title(ctx: Ctx, spec: CreateDraft) -> CreateDraft | Reask:
    try:
        title = parse_line(ctx.text, svc.MAX_TITLE)
    except BadInput:
        title = ""
    if not title:
        return Reask(ctx.t("invite-name-bad"))
    spec.name = title
    return spec


async def confirm_view(ctx: Ctx, spec: CreateDraft) -> View:
    org = await ctx.deps.orgs.get(spec.org_id)
    text = ctx.t("invite-new-confirm", summary=await views.spec_summary(ctx, spec, org))
    return text, kbs.create_confirm(ctx.kb(), ctx.t)


async def facts(ctx: Ctx, spec: CreateDraft) -> dict[str, bool]:
    return {"classes": bool(await ctx.deps.classes.of_org(spec.org_id))}


async def lost(ctx: Ctx) -> None:
    await ctx.clear_state()
    await send_menu(ctx, "invite-flow-lost")


async def outside(ctx: Ctx) -> None:
    if await ctx.state() is None:
        await send_menu(ctx)


CREATE = Flow(
    "flow-invite-create",
    InviteCreate,
    CreateDraft,
    [
        Step(
            S.ROLE,
            role_view,
            accepts=("flow-by-role", "invite-role-any"),
            next=(Edge(S.CLASS.value, ("classes",)), Edge(S.EXPIRY.value)),
        ),
        Step(
            S.CLASS,
            class_view,
            accepts=("flow-by-class", "invite-class-none"),
            next=(Edge(S.EXPIRY.value),),
        ),
        Step(
            S.EXPIRY,
            expiry_view,
            accepts=("flow-by-choice", "flow-typed-number"),
            typed=typed_days,
            next=(Edge(S.USES.value),),
        ),
        Step(
            S.USES,
            uses_view,
            accepts=("flow-by-choice", "flow-typed-number"),
            typed=typed_uses,
            next=(Edge(S.APPROVAL.value),),
        ),
        Step(
            S.APPROVAL,
            approval_view,
            accepts=("invite-approval-off", "invite-approval-on"),
            next=(Edge(S.NAME.value),),
        ),
        Step(
            S.NAME,
            name_view,
            accepts=("flow-typed-title", "invite-btn-no-name"),
            typed=typed_title,
            next=(Edge(S.CONFIRM.value),),
        ),
        Step(
            S.CONFIRM,
            confirm_view,
            accepts=("invite-btn-create", "invite-btn-edit"),
            next=(Edge(FINISH, by="invite-btn-create"),),
            back=(Edge(S.ROLE.value, by="invite-btn-edit"),),
        ),
    ],
    entries=[Edge(S.ROLE.value, by="invite-btn-new")],
    facts=facts,
    lost=lost,
    outside=outside,
    use_buttons="invite-use-buttons",
    stale_key="invite-stale",
)

NO_RIGHTS = no_rights(key="invite-no-rights", home=True)


def draft_admin_of(deps: Deps) -> AdminOf:
    """`org` of the draft: an administrator who lost the rights mid-way is told so."""

    def org_id(update: Update) -> int:
        return int(update.context["draft"].org_id)

    return AdminOf(deps, org_id, no_rights(leave=CREATE, key="invite-no-rights", home=True))


async def send_created(ctx: Ctx, spec: CreateDraft) -> None:
    result = await svc.create(ctx.deps, ctx.vk_id, spec)
    await CREATE.leave(ctx)
    if result is svc.CreateRefusal.NO_RIGHTS:
        await NO_RIGHTS(ctx)
        return
    if result is svc.CreateRefusal.CLASS_GONE:
        await ctx.reply(ctx.t("invite-class-gone"), kbs.after_create(ctx.kb(), ctx.t))
        return
    assert isinstance(result, svc.Created)
    org = await ctx.deps.orgs.get(spec.org_id)
    text = ctx.t(
        "invite-created",
        summary=await views.spec_summary(ctx, spec, org),
        link=result.link,
        code=result.code,
    )
    attachment = None
    try:
        attachment = await upload_photo(ctx.deps.messenger, ctx.peer_id, qr_png(result.link))
    except Exception:
        # The link and the code are what matter; the picture is a convenience.
        logger.exception("QR upload for invitation {} failed", result.invitation_id)
        text = views.paragraphs(text, ctx.t("invite-qr-failed"))
    await ctx.reply(text, kbs.after_create(ctx.kb(), ctx.t), attachment=attachment)


def bind(labeler: BotLabeler, deps: Deps) -> None:
    rights = draft_admin_of(deps)

    def at(step: InviteCreate) -> tuple[AtStep, AdminOf]:
        return AtStep(deps, CREATE, step), rights

    @on_button(labeler, deps, kbs.IvNew, AdminOf(deps, lambda u: int(u.data.org), NO_RIGHTS))
    async def new(ctx: Ctx, org: Organization) -> None:
        await CREATE.enter(ctx, S.ROLE, CreateDraft(org_id=org.id))

    @on_button(labeler, deps, kbs.IvRole, *at(S.ROLE))
    async def role(ctx: Ctx, data: kbs.IvRole, step: Step[CreateDraft], draft: CreateDraft) -> None:
        if data.role and data.role not in {r.value for r in Role}:
            await CREATE.stale(ctx)
            return
        draft.role = Role(data.role) if data.role else None
        await CREATE.advance(ctx, step, draft)

    @on_button(labeler, deps, kbs.IvClassPage, *at(S.CLASS))
    async def class_page(
        ctx: Ctx, data: kbs.IvClassPage, step: Step[CreateDraft], draft: CreateDraft
    ) -> None:
        draft.page = data.page
        await CREATE.stay(ctx, step, draft)

    @on_button(labeler, deps, kbs.IvClass, *at(S.CLASS))
    async def pick_class(
        ctx: Ctx, data: kbs.IvClass, step: Step[CreateDraft], draft: CreateDraft
    ) -> None:
        if data.class_id:
            cls = await deps.classes.get(data.class_id)
            if cls is None or cls.org_id != draft.org_id:
                await CREATE.stale(ctx)
                return
        draft.class_id = data.class_id or None
        await CREATE.advance(ctx, step, draft)

    @on_button(labeler, deps, kbs.IvExpiry, *at(S.EXPIRY))
    async def expiry(
        ctx: Ctx, data: kbs.IvExpiry, step: Step[CreateDraft], draft: CreateDraft
    ) -> None:
        if data.days not in svc.EXPIRY_DAYS:
            await CREATE.stale(ctx)
            return
        draft.days = data.days
        await CREATE.advance(ctx, step, draft)

    @on_button(labeler, deps, kbs.IvUses, *at(S.USES))
    async def uses(ctx: Ctx, data: kbs.IvUses, step: Step[CreateDraft], draft: CreateDraft) -> None:
        if data.n not in svc.USE_LIMITS:
            await CREATE.stale(ctx)
            return
        draft.uses = data.n
        await CREATE.advance(ctx, step, draft)

    @on_button(labeler, deps, kbs.IvApproval, *at(S.APPROVAL))
    async def approval(
        ctx: Ctx, data: kbs.IvApproval, step: Step[CreateDraft], draft: CreateDraft
    ) -> None:
        draft.needs_approval = data.on
        await CREATE.advance(ctx, step, draft)

    @on_button(labeler, deps, kbs.IvNoName, *at(S.NAME))
    async def no_name(ctx: Ctx, step: Step[CreateDraft], draft: CreateDraft) -> None:
        draft.name = ""
        await CREATE.advance(ctx, step, draft)

    @on_button(labeler, deps, kbs.IvCreate, *at(S.CONFIRM))
    async def create(ctx: Ctx, draft: CreateDraft) -> None:
        await send_created(ctx, draft)

    @on_button(labeler, deps, kbs.IvEdit, *at(S.CONFIRM))
    async def edit(ctx: Ctx, step: Step[CreateDraft], draft: CreateDraft) -> None:
        # Back from the preview to the first step: the administrator answers the steps again.
        await CREATE.back(ctx, step, draft)

    CREATE.bind(labeler, deps, rights)
