"""Deciding applications: who may, and the decision itself.

Decisions re-read the application and the actor's rights inside one write transaction and
change a pending application with a conditional UPDATE, so the first decision wins however
many presses race, and a press from anyone who is not (or no longer) an administrator of
that organization changes nothing.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from enum import Enum

from bot.deps import Deps
from bot.text import has_control_chars
from keyboards.review import ReasonCode
from storage.models import Application, AppStatus, Organization

PAGE_SIZE = 3
REASON_MAX = 300


class Verdict(Enum):
    OK = "ok"
    STALE = "stale"
    NO_RIGHTS = "no_rights"
    DECIDED = "decided"


@dataclass(frozen=True, slots=True)
class Outcome:
    """What became of a press: OK (done, or for examine: may be done), or why not."""

    verdict: Verdict
    app: Application | None = None
    membership_id: int | None = None


@dataclass(frozen=True, slots=True)
class PendingPage:
    org: Organization
    apps: list[Application]
    page: int
    pages: int
    total: int


def reason_problem(text: str) -> tuple[str, dict[str, object]] | None:
    """Why a typed reason cannot be used (a locale key and its arguments), or None."""
    if has_control_chars(text):
        return "review-reason-bad-chars", {}
    clean = " ".join(text.split())
    if not any(ch.isalnum() for ch in clean):
        return "review-reason-empty", {}
    if len(clean) > REASON_MAX:
        return "review-reason-too-long", {"max": REASON_MAX, "length": len(clean)}
    return None


class Decisions:
    def __init__(self, deps: Deps) -> None:
        self.deps = deps

    async def examine(self, actor: int, app_id: int) -> Outcome:
        """May `actor` decide this application now? (Nothing changes.)"""
        app = await self.deps.applications.get(app_id)
        if app is None:
            return Outcome(Verdict.STALE)
        if not await self.deps.orgs.is_admin(app.org_id, actor):
            return Outcome(Verdict.NO_RIGHTS)
        if app.status is not AppStatus.PENDING:
            return Outcome(Verdict.DECIDED, app)
        return Outcome(Verdict.OK, app)

    async def approve(self, actor: int, app_id: int) -> Outcome:
        return await self._decide(actor, app_id, AppStatus.APPROVED)

    async def reject(
        self, actor: int, app_id: int, code: ReasonCode, text: str | None = None
    ) -> Outcome:
        clean = " ".join(text.split()) if text else None
        return await self._decide(actor, app_id, AppStatus.REJECTED, code, clean)

    async def _decide(
        self,
        actor: int,
        app_id: int,
        to: AppStatus,
        code: str | None = None,
        text: str | None = None,
    ) -> Outcome:
        # A would-be decider's name is stored before the decision commits, so everyone who
        # then reads "already decided by ..." finds it without asking VK.
        if (await self.examine(actor, app_id)).verdict is Verdict.OK:
            await self.deps.names.full([actor])
        now = self.deps.clock.now()
        async with self.deps.db.transaction() as tx:
            app = await self.deps.applications.get_in(tx, app_id)
            if app is None:
                return Outcome(Verdict.STALE)
            if not await self.deps.orgs.is_admin(app.org_id, actor):
                return Outcome(Verdict.NO_RIGHTS)
            changed = app.status is AppStatus.PENDING and await self.deps.applications.transition(
                tx, app, to, actor_id=actor, now=now, reason_code=code, reason_text=text
            )
            if not changed:
                return Outcome(Verdict.DECIDED, await self.deps.applications.get_in(tx, app_id))
            membership_id = None
            if to is AppStatus.APPROVED:
                membership_id = await self.deps.members.add(
                    tx,
                    org_id=app.org_id,
                    vk_id=app.vk_id,
                    role=app.role,
                    full_name=app.full_name,
                    position=app.position,
                    class_ids=app.class_ids,
                    via="invitation" if app.invitation_id is not None else "application",
                    now=now,
                    actor_id=actor,
                    application_id=app.id,
                    invitation_id=app.invitation_id,
                )
            decided = await self.deps.applications.get_in(tx, app_id)
        return Outcome(Verdict.OK, decided, membership_id)

    # --- the administrator's list ------------------------------------------------------------
    async def admin_orgs(self, actor: int) -> list[tuple[Organization, int]]:
        orgs = await self.deps.orgs.administered(actor)
        return [(org, await self.deps.applications.pending_count([org.id])) for org in orgs]

    async def pending_page(self, actor: int, org_id: int, page: int) -> PendingPage | None:
        """One page of the organization's pending applications, oldest first; None: no rights."""
        org = await self.deps.orgs.get(org_id)
        if org is None or not await self.deps.orgs.is_admin(org_id, actor):
            return None
        total = await self.deps.applications.pending_count([org_id])
        pages = max(1, math.ceil(total / PAGE_SIZE))
        page = min(max(page, 0), pages - 1)
        apps = await self.deps.applications.pending_of_org(
            org_id, offset=page * PAGE_SIZE, limit=PAGE_SIZE
        )
        return PendingPage(org, apps, page, pages, total)

    async def approve_all_preview(self, actor: int, org_id: int) -> tuple[int, int] | None:
        """(how many are pending, the newest id among them); None: no rights."""
        if not await self.deps.orgs.is_admin(org_id, actor):
            return None
        apps = await self.deps.applications.pending_of_org(org_id)
        return len(apps), max((a.id for a in apps), default=0)

    async def approve_all(self, actor: int, org_id: int, upto: int) -> list[Outcome] | None:
        """Approve the pending applications the confirmation counted (ids up to `upto`);
        one filed after the confirmation was shown waits for its own decision."""
        if not await self.deps.orgs.is_admin(org_id, actor):
            return None
        apps = [a for a in await self.deps.applications.pending_of_org(org_id) if a.id <= upto]
        return [await self.approve(actor, a.id) for a in apps]
