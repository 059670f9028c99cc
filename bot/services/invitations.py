"""Invitation links: administrators create, list and revoke them; staff redeem them to join.

A code is 80 random bits written as 16 base32 characters (fits VK's `ref`, easy to type) and
is stored only as its SHA-256: the database never holds a working code, so an administrator
sees the link once, when it is made. Redeeming claims one use with a conditional UPDATE in the
same transaction as the membership or application, so a limit is never exceeded.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import math
import re
import secrets
from dataclasses import dataclass
from enum import StrEnum

from loguru import logger
from pydantic import BaseModel

from bot.deps import Deps
from bot.events import ApplicationFiled, ApplicationWithdrawn, MemberVerified
from bot.messengers import DELIVERY_ERRORS
from storage import audit
from storage.invitations import InvitationStats
from storage.models import Application, AppStatus, Invitation, Organization, Role

CODE_BYTES = 10  # 80 bits of entropy, exactly 16 base32 characters with no padding
_CODE = re.compile(r"[A-Z2-7]{16}")
# VK's link carries the code as ?ref=, MAX's as ?start=.
_REF = re.compile(r"[?&](?:ref|start)=([A-Za-z0-9]+)")
EXPIRY_DAYS = (1, 7, 30, 0)  # 0: never expires; the buttons offered
USE_LIMITS = (1, 10, 50, 0)  # 0: no limit; the buttons offered
# Any number in these ranges may also be typed (an invitation for 2 or 30 people).
MAX_DAYS = 365
MAX_USES = 1000


def typed_count(text: str, most: int) -> int | None:
    """A typed whole number from 1 to ``most`` (spaces allowed: "1 000"), else None."""
    digits = "".join(text.split())
    if not digits.isdigit() or len(digits) > 6:
        return None
    value = int(digits)
    return value if 1 <= value <= most else None


MAX_TITLE = 60
DAY = 24 * 3600


# --- codes ---------------------------------------------------------------------------------
def new_code() -> str:
    return base64.b32encode(secrets.token_bytes(CODE_BYTES)).decode()


def hash_code(code: str) -> str:
    return hashlib.sha256(b"staff-verify-bot/invitation/" + code.encode()).hexdigest()


def parse_code(text: str) -> str | None:
    """The code in a pasted link (…?ref=CODE) or a typed code (any case, spaces and dashes
    ignored); None when the text is neither."""
    text = text.strip()
    found = _REF.search(text)
    candidate = found.group(1) if found else re.sub(r"[\s-]+", "", text)
    candidate = candidate.upper()
    return candidate if _CODE.fullmatch(candidate) else None


# --- what people type ----------------------------------------------------------------------
# --- redeeming -----------------------------------------------------------------------------
class Refusal(StrEnum):
    UNKNOWN = "unknown"
    EXPIRED = "expired"
    REVOKED = "revoked"
    USED_UP = "used-up"
    ORG_CLOSED = "org-closed"
    COOLDOWN = "cooldown"
    ALREADY_MEMBER = "member"
    REJECTED_RECENTLY = "rejected"
    TOO_MANY_OPEN = "too-many"


@dataclass(frozen=True, slots=True)
class Refused:
    reason: Refusal
    org: Organization | None = None
    wait_minutes: int = 0
    attempts_left: int = 0


@dataclass(frozen=True, slots=True)
class Offer:
    """A valid invitation, as the person is shown it before they give their name."""

    invitation: Invitation
    org: Organization
    class_name: str | None
    open_application: Application | None


@dataclass(frozen=True, slots=True)
class Joined:
    org: Organization
    membership_id: int


@dataclass(frozen=True, slots=True)
class Filed:
    org: Organization
    application_id: int


def invitation_problem(inv: Invitation, now: int) -> Refusal | None:
    """Why the invitation no longer works (revoked, expired, used up), or None."""
    if inv.revoked_at is not None:
        return Refusal.REVOKED
    if inv.expires_at is not None and inv.expires_at <= now:
        return Refusal.EXPIRED
    if inv.max_uses is not None and inv.uses >= inv.max_uses:
        return Refusal.USED_UP
    return None


async def open_code(deps: Deps, vk_id: int, code: str) -> Offer | Refused:
    """Look a code up for a person: at most `wrong_codes_limit` unknown codes per window,
    then nothing is looked up until the oldest of them leaves the window."""
    now = deps.clock.now()
    limit = deps.settings.wrong_codes_limit
    window = int(deps.settings.wrong_codes_window_minutes * 60)
    wrong = await deps.invitations.wrong_codes_since(vk_id, now - window)
    if len(wrong) >= limit:
        free_at = wrong[len(wrong) - limit] + window
        return Refused(Refusal.COOLDOWN, wait_minutes=max(1, math.ceil((free_at - now) / 60)))
    digest = hash_code(code)
    found = await deps.invitations.by_hash(digest)
    if found is None or not hmac.compare_digest(found[1], digest):
        async with deps.db.transaction() as tx:
            await deps.invitations.record_wrong_code(tx, vk_id, now)
        return Refused(Refusal.UNKNOWN, attempts_left=max(0, limit - len(wrong) - 1))
    inv = found[0]
    org = await deps.orgs.get(inv.org_id)
    if org is None or org.archived_at is not None:
        return Refused(Refusal.ORG_CLOSED, org)
    problem = invitation_problem(inv, now)
    if problem is not None:
        return Refused(problem, org)
    pending = await deps.applications.pending_for(org.id, vk_id)
    refused = await _person_refusal(deps, vk_id, inv, org, pending, now)
    if refused is not None:
        return refused
    cls = await deps.classes.get(inv.class_id) if inv.class_id is not None else None
    return Offer(inv, org, cls.name if cls else None, pending)


async def _person_refusal(
    deps: Deps,
    vk_id: int,
    inv: Invitation,
    org: Organization,
    pending: Application | None,
    now: int,
) -> Refused | None:
    """Why this person cannot use the invitation: already a member, or (when it files an
    application) the rules for filing one, which hold for invitations too."""
    if await deps.members.active(org.id, vk_id) is not None:
        return Refused(Refusal.ALREADY_MEMBER, org)
    if not inv.needs_approval:
        return None
    rejected = await deps.applications.last_rejected(org.id, vk_id)
    cooldown = int(deps.settings.apply_cooldown_hours * 3600)
    if rejected is not None and rejected.decided_at is not None:
        free_at = rejected.decided_at + cooldown
        if free_at > now:
            return Refused(
                Refusal.REJECTED_RECENTLY, org, wait_minutes=math.ceil((free_at - now) / 60)
            )
    # An open application to this organization is replaced, so it does not count.
    others = await deps.applications.open_count(vk_id) - (1 if pending is not None else 0)
    if others >= deps.settings.max_open_applications:
        return Refused(Refusal.TOO_MANY_OPEN, org)
    return None


async def redeem(
    deps: Deps, vk_id: int, invitation_id: int, *, role: Role, full_name: str, position: str
) -> Joined | Filed | Refused:
    """Use the invitation: a membership at once, or an application marked as by invitation.

    An open application of the person to the same organization is withdrawn in the same
    transaction (the invitation supersedes it; its history says so), and ApplicationWithdrawn
    is published for it, so nobody reviews it any more.
    """
    now = deps.clock.now()
    user = await deps.users.get(vk_id)
    vk_name = user.vk_name if user is not None else ""
    outcome: Joined | Filed
    async with deps.db.transaction() as tx:
        inv = await deps.invitations.get_in(tx, invitation_id)
        if inv is None:
            return Refused(Refusal.UNKNOWN)
        org = await deps.orgs.get(inv.org_id)
        if org is None or org.archived_at is not None:
            return Refused(Refusal.ORG_CLOSED, org)
        pending = await deps.applications.pending_for(org.id, vk_id)
        refused = await _person_refusal(deps, vk_id, inv, org, pending, now)
        if refused is not None:
            return refused
        if not await deps.invitations.claim(tx, inv.id, now):
            return Refused(invitation_problem(inv, now) or Refusal.USED_UP, org)
        details: dict[str, object] = {"vk_id": vk_id, "uses": inv.uses + 1}
        if pending is not None:
            await deps.applications.transition(
                tx,
                pending,
                AppStatus.WITHDRAWN,
                actor_id=vk_id,
                now=now,
                reason_text=deps.t(deps.settings.default_locale, "invite-superseded-reason"),
            )
            details["withdrawn_application_id"] = pending.id
        class_ids = (inv.class_id,) if inv.class_id is not None else ()
        if inv.needs_approval:
            app_id = await deps.applications.create(
                tx,
                org_id=org.id,
                vk_id=vk_id,
                role=role,
                full_name=full_name,
                position=position,
                vk_name=vk_name,
                class_ids=class_ids,
                invitation_id=inv.id,
                now=now,
            )
            if app_id is None:
                raise RuntimeError(f"application of {vk_id} to {org.id} still open")
            details["application_id"] = app_id
            outcome = Filed(org, app_id)
        else:
            membership_id = await deps.members.add(
                tx,
                org_id=org.id,
                vk_id=vk_id,
                role=role,
                full_name=full_name,
                position=position,
                class_ids=class_ids,
                via="invitation",
                now=now,
                actor_id=vk_id,
                invitation_id=inv.id,
            )
            if membership_id is None:
                raise RuntimeError(f"{vk_id} is already a member of {org.id}")
            details["membership_id"] = membership_id
            outcome = Joined(org, membership_id)
        await audit.record(
            tx,
            at=now,
            actor_id=vk_id,
            action="invitation.join",
            org_id=org.id,
            object_type="invitation",
            object_id=inv.id,
            after=details,
        )
    if pending is not None:
        await deps.bus.publish(ApplicationWithdrawn(pending.id))
    if isinstance(outcome, Filed):
        await deps.bus.publish(ApplicationFiled(outcome.application_id))
    else:
        await deps.bus.publish(MemberVerified(outcome.membership_id))
    return outcome


async def known_vk_name(deps: Deps, vk_id: int) -> tuple[str, str]:
    """(first, last) name from VK, asked once and then kept with the user."""
    user = await deps.users.get(vk_id)
    if user is not None and user.vk_name:
        return user.first_name, user.last_name
    try:
        names = await deps.messenger.user_names([vk_id])
    except DELIVERY_ERRORS:
        # The name only saves typing; without it the person types their name.
        logger.warning("users.get for {} failed", vk_id)
        return "", ""
    first, last = names.get(vk_id, ("", ""))
    if first or last:
        await deps.users.set_names(vk_id, first, last, deps.clock.now())
    return first, last


# --- administrators ------------------------------------------------------------------------
class InviteSpec(BaseModel):
    """What an administrator chose for a new invitation (the wizard's draft)."""

    org_id: int
    role: Role | None = None  # None: any role, the person picks theirs
    class_id: int | None = None
    days: int = 0
    uses: int = 0
    needs_approval: bool = False
    name: str = ""


class CreateRefusal(StrEnum):
    NO_RIGHTS = "no-rights"
    CLASS_GONE = "class-gone"


@dataclass(frozen=True, slots=True)
class Created:
    invitation_id: int
    code: str
    # (messenger, link) for every messenger served here, the creator's own first: an
    # invitation works in each, and every person opens the link of the messenger they use.
    links: list[tuple[str, str]]

    @property
    def link(self) -> str:
        """The creator's own messenger's link (the QR code's)."""
        return self.links[0][1] if self.links else ""


async def create(deps: Deps, actor: int, spec: InviteSpec) -> Created | CreateRefusal:
    if not (0 <= spec.days <= MAX_DAYS and 0 <= spec.uses <= MAX_USES):
        raise ValueError(f"expiry {spec.days} or limit {spec.uses} is out of range")
    if not await deps.orgs.is_admin(spec.org_id, actor):
        return CreateRefusal.NO_RIGHTS
    if spec.class_id is not None:
        cls = await deps.classes.get(spec.class_id)
        if cls is None or cls.org_id != spec.org_id:
            return CreateRefusal.CLASS_GONE
    # The list shows who created each invitation.
    await known_vk_name(deps, actor)
    now = deps.clock.now()
    code = new_code()
    async with deps.db.transaction() as tx:
        invitation_id = await deps.invitations.create(
            tx,
            org_id=spec.org_id,
            code_hash=hash_code(code),
            name=spec.name,
            role=spec.role,
            class_id=spec.class_id,
            needs_approval=spec.needs_approval,
            max_uses=spec.uses or None,
            expires_at=now + spec.days * DAY if spec.days else None,
            actor_id=actor,
            now=now,
        )
    return Created(invitation_id, code, await deps.messenger.invite_links(code, actor))


@dataclass(frozen=True, slots=True)
class Page:
    rows: list[InvitationStats]
    total: int
    page: int


async def active_page(deps: Deps, actor: int, org_id: int, page: int, per_page: int) -> Page | None:
    """A page of the organization's active invitations (the last one when `page` is past
    the end, as after revoking the last item of a page); None: no rights."""
    if not await deps.orgs.is_admin(org_id, actor):
        return None
    now = deps.clock.now()
    total = await deps.invitations.count_active(org_id, now)
    page = max(0, min(page, (total - 1) // per_page))
    rows = await deps.invitations.active_of_org(org_id, now, offset=page * per_page, limit=per_page)
    return Page(rows, total, page)


async def details(deps: Deps, actor: int, invitation_id: int) -> InvitationStats | None:
    """The invitation with its figures, only for an administrator of its organization."""
    stats = await deps.invitations.stats(invitation_id)
    if stats is None or not await deps.orgs.is_admin(stats.invitation.org_id, actor):
        return None
    return stats


class RevokeResult(StrEnum):
    REVOKED = "revoked"
    ALREADY = "already"
    NO_RIGHTS = "no-rights"


async def revoke(deps: Deps, actor: int, invitation_id: int) -> RevokeResult:
    inv = await deps.invitations.get(invitation_id)
    if inv is None or not await deps.orgs.is_admin(inv.org_id, actor):
        return RevokeResult.NO_RIGHTS
    async with deps.db.transaction() as tx:
        done = await deps.invitations.revoke(tx, inv, actor_id=actor, now=deps.clock.now())
    return RevokeResult.REVOKED if done else RevokeResult.ALREADY
