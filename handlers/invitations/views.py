"""The invitation screens' texts: offers, refusals, summaries, the list and a card."""

from __future__ import annotations

from bot.answers import BadInput, parse_full_name
from bot.services import invitations as svc
from bot.services.invitations import InviteSpec, Refusal, Refused
from bot.text import msk_datetime
from handlers.common import Ctx
from storage.invitations import InvitationStats
from storage.models import Organization, Role

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


def full_name_or_empty(text: str) -> str:
    """The VK name offered as a one-tap answer only when it passes as a full name."""
    try:
        return parse_full_name(text)
    except BadInput:
        return ""


def role_name(ctx: Ctx, role: Role | None) -> str:
    return ctx.t(f"role-{role.value}") if role is not None else ctx.t("invite-role-any")


def paragraphs(*parts: str) -> str:
    return "\n\n".join(p for p in parts if p)


def refusal_text(ctx: Ctx, refused: Refused) -> str:
    text = ctx.t(
        f"invite-err-{refused.reason.value}",
        org=refused.org.name if refused.org is not None else "",
        minutes=refused.wait_minutes,
        hours=-(-refused.wait_minutes // 60),
        left=refused.attempts_left,
        max=ctx.deps.settings.max_open_applications,
    )
    return paragraphs(text, ctx.t("invite-apply-hint") if refused.reason in OFFER_APPLY else "")


def expiry_text(ctx: Ctx, expires_at: int | None) -> str:
    if expires_at is None:
        return ctx.t("invite-forever")
    return ctx.t("invite-until", date=msk_datetime(expires_at))


def title(ctx: Ctx, stats: InvitationStats) -> str:
    inv = stats.invitation
    return inv.name or ctx.t("invite-untitled", id=str(inv.id))


async def class_name(ctx: Ctx, class_id: int | None) -> str:
    cls = await ctx.deps.classes.get(class_id) if class_id is not None else None
    return cls.name if cls is not None else ctx.t("invite-class-none")


async def summary(
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
        role=role_name(ctx, role),
        cls=await class_name(ctx, class_id),
        expiry=expiry,
        limit=ctx.t("invite-limit", n=limit),
        approval=ctx.t("invite-yes" if needs_approval else "invite-no"),
        name=name,
    )


async def spec_summary(ctx: Ctx, spec: InviteSpec, org: Organization | None) -> str:
    return await summary(
        ctx,
        org,
        role=spec.role,
        class_id=spec.class_id,
        expiry=ctx.t("invite-days", days=spec.days),
        limit=spec.uses,
        needs_approval=spec.needs_approval,
        name=spec.name or ctx.t("invite-btn-no-name"),
    )


async def stats_summary(ctx: Ctx, stats: InvitationStats, org: Organization | None) -> str:
    inv = stats.invitation
    return await summary(
        ctx,
        org,
        role=inv.role,
        class_id=inv.class_id,
        expiry=expiry_text(ctx, inv.expires_at),
        limit=inv.max_uses or 0,
        needs_approval=inv.needs_approval,
        name=title(ctx, stats),
    )


def uses_text(ctx: Ctx, stats: InvitationStats) -> str:
    inv = stats.invitation
    if inv.max_uses is None:
        return ctx.t("invite-uses-free", uses=inv.uses)
    return ctx.t("invite-uses-of", uses=inv.uses, max=inv.max_uses)


def creator(ctx: Ctx, stats: InvitationStats) -> str:
    return stats.creator_name or ctx.t("invite-creator-id", id=str(stats.invitation.created_by))


def list_item(ctx: Ctx, n: int, stats: InvitationStats) -> str:
    return ctx.t(
        "invite-list-item",
        n=n,
        name=title(ctx, stats),
        role=role_name(ctx, stats.invitation.role),
        uses=uses_text(ctx, stats),
        joined=stats.joined,
        waiting=stats.waiting,
        expiry=expiry_text(ctx, stats.invitation.expires_at),
        creator=creator(ctx, stats),
    )


async def card_text(ctx: Ctx, stats: InvitationStats) -> tuple[str, bool]:
    """The invitation's card and whether it can still be used."""
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
        name=title(ctx, stats),
        summary=await stats_summary(ctx, stats, org),
        uses=uses_text(ctx, stats),
        joined=stats.joined,
        waiting=stats.waiting,
        creator=creator(ctx, stats),
        created=msk_datetime(inv.created_at),
    )
    return paragraphs(card, status), problem is None
