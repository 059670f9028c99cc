"""Administrators decide applications: the prompts, the decision itself, who is told what,
reminders of what waits and expiry of what waited too long.

Decisions re-read the application and the actor's rights inside one write transaction and
change a pending application with a conditional UPDATE, so the first decision wins however
many presses race, and a press from anyone who is not (or no longer) an administrator of
that organization changes nothing.

Delivery and `random_id`: VK takes one random_id per messages.send call, and a batched call
(`peer_ids`) reaches several administrators at once. The random_id of a call is therefore
derived from what the call is (kind, application) and from exactly whom it goes to (the
sorted ids of that call), so a retried call repeats its random_id and VK drops the copy. A
new call to a different set of people gets a different random_id; administrators who already
hold a delivered prompt are left out of a repeated filing, so they never get a second one.
"""

from __future__ import annotations

import hashlib
import math
from collections import defaultdict
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from enum import Enum

from loguru import logger

from bot.deps import Deps
from bot.events import ApplicationFiled, ApplicationWithdrawn, MemberVerified
from bot.messenger import MAX_PEERS
from bot.services.people import person_refs
from bot.messengers import DELIVERY_ERRORS, NOT_ALLOWED, Sent
from bot.text import has_control_chars, msk_datetime
from keyboards.builder import Capabilities, KeyboardBuilder
from keyboards.menu import MenuApply, MenuHome
from keyboards.review import (
    ReasonCode,
    open_review_keyboard,
    prompt_keyboard,
    verified_keyboard,
)
from storage.models import Application, AppStatus, Organization
from storage.review_prompts import ReviewPrompt, ReviewPromptsRepo

HOUR = 3600
DAY = 24 * HOUR
PAGE_SIZE = 3
REASON_MAX = 300


def random_id(*parts: object) -> int:
    """The same parts give the same positive 31-bit id, so a retried send is delivered once."""
    digest = hashlib.sha256(":".join(map(str, parts)).encode()).digest()
    return int.from_bytes(digest[:4], "big") & 0x7FFFFFFF or 1


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
class Recipient:
    vk_id: int
    locale: str
    caps: Capabilities


@dataclass(frozen=True, slots=True)
class PendingPage:
    org: Organization
    apps: list[Application]
    page: int
    pages: int
    total: int


Render = Callable[[Recipient], Awaitable[tuple[str, KeyboardBuilder | None]]]


class ReviewService:
    def __init__(self, deps: Deps) -> None:
        self.deps = deps
        self.prompts = ReviewPromptsRepo(deps.db)

    # --- who and in which words --------------------------------------------------------------
    def t(self, locale: str, key: str, **args: object) -> str:
        return self.deps.t(locale, key, **args)

    async def recipient(self, vk_id: int) -> Recipient:
        user = await self.deps.users.get(vk_id)
        if user is None:
            return Recipient(vk_id, self.deps.settings.default_locale, Capabilities(True, True))
        return Recipient(vk_id, user.locale, Capabilities(user.callbacks, user.inline_keyboard))

    def kb(self, r: Recipient) -> KeyboardBuilder:
        return KeyboardBuilder(self.deps.signer, r.caps)

    async def names(self, ids: list[int]) -> dict[int, str]:
        """VK names from the users table; the missing ones asked from VK in one call and kept."""
        found: dict[int, str] = {}
        missing = []
        for vk_id in dict.fromkeys(ids):
            user = await self.deps.users.get(vk_id)
            if user is not None and user.vk_name:
                found[vk_id] = user.vk_name
            else:
                missing.append(vk_id)
        if missing:
            try:
                fetched = await self.deps.messenger.user_names(missing)
            except DELIVERY_ERRORS as exc:
                logger.warning("users.get for {} failed: {}", missing, exc)
                fetched = {}
            now = self.deps.clock.now()
            for vk_id, (first, last) in fetched.items():
                await self.deps.users.ensure(
                    vk_id, locale=self.deps.settings.default_locale, now=now
                )
                await self.deps.users.set_names(vk_id, first, last, now)
                found[vk_id] = f"{first} {last}".strip()
        return {vk_id: found.get(vk_id) or f"id{vk_id}" for vk_id in ids}

    async def org_name(self, org_id: int) -> str:
        org = await self.deps.orgs.get(org_id)
        return org.short_name if org is not None else str(org_id)

    # --- texts -------------------------------------------------------------------------------
    async def card(self, locale: str, app: Application) -> str:
        none = self.t(locale, "review-none")
        classes = ", ".join(await self.deps.classes.names(app.class_ids))
        messenger, ref = (await self.deps.accounts.identities([app.vk_id]))[app.vk_id]
        return self.t(
            locale,
            "review-card",
            id=str(app.id),
            org=await self.org_name(app.org_id),
            name=app.full_name,
            vk_name=app.vk_name or none,
            messenger=messenger,
            vk_id=ref,
            role=self.t(locale, f"role-{app.role.value}"),
            position=app.position or none,
            classes=classes or none,
            filed=msk_datetime(app.created_at),
            by_invitation="yes" if app.invitation_id is not None else "no",
        )

    def reason(self, locale: str, app: Application) -> str:
        if app.reason_text:
            return app.reason_text
        if app.reason_code:
            return self.t(locale, f"reason-{app.reason_code}")
        return self.t(locale, "review-none")

    def _days(self) -> str:
        return f"{self.deps.settings.expire_after_days:g}"

    async def status_line(self, locale: str, app: Application) -> str:
        time = msk_datetime(app.decided_at or app.created_at)
        if app.status is AppStatus.PENDING:
            return self.t(locale, "review-prompt-question")
        if app.status is AppStatus.WITHDRAWN:
            return self.t(locale, "review-status-withdrawn", time=time)
        if app.status is AppStatus.EXPIRED:
            return self.t(locale, "review-status-expired", days=self._days(), time=time)
        admin = await self._decider(locale, app)
        if app.status is AppStatus.APPROVED:
            return self.t(locale, "review-status-approved", admin=admin, time=time)
        return self.t(
            locale,
            "review-status-rejected",
            admin=admin,
            time=time,
            reason=self.reason(locale, app),
        )

    async def _decider(self, locale: str, app: Application) -> str:
        if app.decided_by is None:
            return self.t(locale, "review-none")
        return (await self.names([app.decided_by]))[app.decided_by]

    async def current_text(self, locale: str, app: Application) -> str:
        """The application as an administrator sees it now: the card and where it stands."""
        return f"{await self.card(locale, app)}\n\n{await self.status_line(locale, app)}"

    async def refusal(self, locale: str, outcome: Outcome) -> str:
        """A snackbar (≤90 characters) saying why a press changed nothing."""
        app = outcome.app
        if outcome.verdict is Verdict.NO_RIGHTS:
            return self.t(locale, "no-rights")
        if outcome.verdict is not Verdict.DECIDED or app is None:
            return self.t(locale, "button-stale")
        time = msk_datetime(app.decided_at or app.created_at)
        if app.status is AppStatus.WITHDRAWN:
            return self.t(locale, "review-already-withdrawn", time=time)
        if app.status is AppStatus.EXPIRED:
            return self.t(locale, "review-already-expired", time=time)
        key = (
            "review-already-approved"
            if app.status is AppStatus.APPROVED
            else "review-already-rejected"
        )
        return self.t(locale, key, admin=await self._decider(locale, app), time=time)

    def reason_problem(self, text: str) -> tuple[str, dict[str, object]] | None:
        """Why a typed reason cannot be used (a locale key and its arguments), or None."""
        if has_control_chars(text):
            return "review-reason-bad-chars", {}
        clean = " ".join(text.split())
        if not any(ch.isalnum() for ch in clean):
            return "review-reason-empty", {}
        if len(clean) > REASON_MAX:
            return "review-reason-too-long", {"max": REASON_MAX, "length": len(clean)}
        return None

    # --- filing and withdrawal ---------------------------------------------------------------
    async def on_filed(self, event: ApplicationFiled) -> None:
        """Prompt every administrator of the organization who does not hold a prompt yet."""
        app = await self.deps.applications.get(event.application_id)
        if app is None or app.status is not AppStatus.PENDING:
            return
        org = await self.deps.orgs.get(app.org_id)
        if org is None or org.archived_at is not None:
            logger.warning("Application {} filed to archived organization {}", app.id, app.org_id)
            return
        admins = await self.deps.orgs.admin_ids(app.org_id)
        if not admins:
            await self._report(app, [], 0)
            return
        prompted = {p.admin_id for p in await self.prompts.of_application(app.id) if p.delivered}
        targets = [a for a in admins if a not in prompted]

        async def render(r: Recipient) -> tuple[str, KeyboardBuilder | None]:
            text = await self.current_text(r.locale, app)
            return text, prompt_keyboard(self.kb(r), self._t(r), app.id)

        results = await self._broadcast(targets, ("prompt", app.id), render)
        await self.prompts.save(
            [
                ReviewPrompt(app.id, s.peer_id, s.conversation_message_id, s.message_id, s.ok)
                for s in results
            ],
            self.deps.clock.now(),
        )
        failed = [s.peer_id for s in results if not s.ok]
        await self._not_allowed([s for s in results if s.error == NOT_ALLOWED])
        if failed:
            delivered = len(prompted) + sum(s.ok for s in results)
            await self._report(app, failed, delivered)

    async def on_withdrawn(self, event: ApplicationWithdrawn) -> None:
        app = await self.deps.applications.get(event.application_id)
        if app is not None and app.status is AppStatus.WITHDRAWN:
            await self.refresh_prompts(app)

    async def _report(self, app: Application, failed: list[int], delivered: int) -> None:
        """Tell the superadmins which administrators the prompt did not reach."""
        names = await self.names(failed)
        org = await self.org_name(app.org_id)
        logger.warning("Application {} not delivered to admins {}", app.id, failed)

        async def render(r: Recipient) -> tuple[str, KeyboardBuilder | None]:
            if not failed:
                return self.t(r.locale, "review-no-admins", org=org, id=str(app.id)), None
            refs = await person_refs(self.deps.accounts, self.deps.t, r.locale, failed)
            admins = ", ".join(f"{names[a]} ({refs[a]})" for a in failed)
            text = self.t(
                r.locale,
                "review-undelivered",
                id=str(app.id),
                org=org,
                count=len(failed),
                admins=admins,
                left=delivered,
            )
            return text, None

        await self._broadcast(sorted(self.deps.superadmins), ("undelivered", app.id), render)

    # --- decisions ---------------------------------------------------------------------------
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
            await self.names([actor])
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

    async def after_decision(self, outcome: Outcome) -> None:
        """What follows a decision once the press is answered: events, the applicant, prompts."""
        if outcome.membership_id is not None:
            await self.deps.bus.publish(MemberVerified(outcome.membership_id))
        if outcome.app is not None:
            await self.announce(outcome.app)

    async def announce(self, app: Application) -> None:
        await self.tell_applicant(app)
        await self.refresh_prompts(app)

    async def tell_applicant(self, app: Application) -> None:
        r = await self.recipient(app.vk_id)
        org = await self.org_name(app.org_id)
        kb = self.kb(r)
        t = self._t(r)
        if app.status is AppStatus.APPROVED:
            text = t("review-applicant-approved", org=org, id=str(app.id))
            verified_keyboard(kb, t)
        elif app.status is AppStatus.REJECTED:
            cooldown = self.deps.settings.apply_cooldown_hours * HOUR
            again = (
                t("review-again-at", time=msk_datetime((app.decided_at or 0) + math.ceil(cooldown)))
                if cooldown
                else t("review-again-now")
            )
            text = t(
                "review-applicant-rejected",
                org=org,
                id=str(app.id),
                reason=self.reason(r.locale, app),
                again=again,
            )
            kb.button(t("menu-home"), MenuHome())
        elif app.status is AppStatus.EXPIRED:
            text = t("review-applicant-expired", org=org, id=str(app.id), days=self._days())
            kb.button(t("menu-apply"), MenuApply(), "positive").button(t("menu-home"), MenuHome())
        else:
            return
        await self._send(r, text, kb, random_id("decision", app.id, app.status.value))

    async def refresh_prompts(self, app: Application) -> None:
        """Edit every administrator's prompt to where the application stands, without buttons.

        Someone who is no longer an administrator there gets the bare number instead of the
        applicant's details, which they are no longer entitled to.
        """
        admins = set(await self.deps.orgs.admin_ids(app.org_id))
        for prompt in await self.prompts.of_application(app.id):
            if not prompt.delivered or prompt.conversation_message_id is None:
                continue
            r = await self.recipient(prompt.admin_id)
            text = (
                await self.current_text(r.locale, app)
                if prompt.admin_id in admins
                else self.t(r.locale, "review-closed", id=str(app.id))
            )
            try:
                await self.deps.messenger.edit(
                    prompt.admin_id, prompt.conversation_message_id, text
                )
            except DELIVERY_ERRORS as exc:
                logger.warning("Prompt of {} to {} not edited: {}", app.id, prompt.admin_id, exc)

    async def is_prompt(self, admin_id: int, app_id: int, cmid: int | None) -> bool:
        """Is this message the administrator's stored prompt (edited by refresh_prompts)?"""
        return any(
            p.admin_id == admin_id and p.conversation_message_id == cmid
            for p in await self.prompts.of_application(app_id)
        )

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

    # --- scheduled jobs ----------------------------------------------------------------------
    async def remind(self, now: int) -> None:
        """One summary a day to each administrator of what has waited too long."""
        cutoff = now - int(self.deps.settings.remind_after_hours * HOUR)
        expiring = now - int(self.deps.settings.expire_after_days * DAY)
        # What is due to expire is closed by the expiry job, not reminded about.
        overdue = [
            a
            for a in await self.deps.applications.pending_older_than(cutoff)
            if a.created_at > expiring
        ]
        by_org: dict[int, list[Application]] = defaultdict(list)
        for app in overdue:
            by_org[app.org_id].append(app)
        per_admin: dict[int, list[tuple[str, list[Application]]]] = defaultdict(list)
        for org_id, apps in by_org.items():
            org = await self.deps.orgs.get(org_id)
            if org is None or org.archived_at is not None:
                continue
            for admin in await self.deps.orgs.admin_ids(org_id):
                per_admin[admin].append((org.short_name, apps))
        hours = f"{self.deps.settings.remind_after_hours:g}"
        for admin, items in per_admin.items():
            r = await self.recipient(admin)
            t = self._t(r)
            lines = [
                t(
                    "review-remind-line",
                    org=org,
                    count=len(apps),
                    id=str(apps[0].id),
                    filed=msk_datetime(apps[0].created_at),
                )
                for org, apps in items
            ]
            text = "\n".join([t("review-remind-title", hours=hours), *lines])
            text += "\n\n" + t("review-remind-footer")
            kb = open_review_keyboard(self.kb(r), t)
            await self._send(r, text, kb, random_id("remind", admin, now // DAY))
        if overdue:
            async with self.deps.db.transaction() as tx:
                await self.deps.applications.mark_reminded(tx, [a.id for a in overdue], now)

    async def expire(self, now: int) -> None:
        """Close what waited longer than expire_after_days: status expired, no actor."""
        cutoff = now - int(self.deps.settings.expire_after_days * DAY)
        for app in await self.deps.applications.pending_older_than(cutoff):
            async with self.deps.db.transaction() as tx:
                changed = await self.deps.applications.transition(
                    tx, app, AppStatus.EXPIRED, actor_id=None, now=now
                )
                expired = await self.deps.applications.get_in(tx, app.id) if changed else None
            if expired is not None:
                await self.announce(expired)

    # --- sending -----------------------------------------------------------------------------
    def _t(self, r: Recipient) -> Callable[..., str]:
        def t(key: str, **args: object) -> str:
            return self.deps.t(r.locale, key, **args)

        return t

    async def _send(
        self, r: Recipient, text: str, kb: KeyboardBuilder | None, rid: int
    ) -> Sent | None:
        try:
            sent = await self.deps.messenger.send(
                r.vk_id, text, keyboard=kb.build() if kb is not None else None, random_id=rid
            )
        except DELIVERY_ERRORS as exc:
            logger.warning("Message to {} not sent: {}", r.vk_id, exc)
            return None
        if not sent.ok:
            logger.warning("Message to {} not delivered: VK error {}", r.vk_id, sent.error)
        await self._not_allowed([sent])
        return sent

    async def _broadcast(
        self, peer_ids: list[int], key: tuple[object, ...], render: Render
    ) -> list[Sent]:
        """One text to many: people who read the same language on the same kind of client share
        a messages.send call (up to 100 each); every call's random_id names its recipients."""
        groups: dict[tuple[str, bool, bool], list[Recipient]] = defaultdict(list)
        for vk_id in peer_ids:
            r = await self.recipient(vk_id)
            groups[(r.locale, r.caps.callbacks, r.caps.inline)].append(r)
        results: list[Sent] = []
        for members in groups.values():
            text, kb = await render(members[0])
            keyboard = kb.build() if kb is not None else None
            ids = sorted(r.vk_id for r in members)
            for start in range(0, len(ids), MAX_PEERS):
                chunk = ids[start : start + MAX_PEERS]
                try:
                    results += await self.deps.messenger.send_many(
                        chunk, text, keyboard=keyboard, random_id=random_id(*key, *chunk)
                    )
                except DELIVERY_ERRORS as exc:
                    logger.warning("Send of {} to {} failed: {}", key, chunk, exc)
        return results

    async def _not_allowed(self, sent: list[Sent | None]) -> None:
        """Remember who has not allowed messages, so the menu and reports can say so."""
        now = self.deps.clock.now()
        for s in sent:
            if s is not None and s.error == NOT_ALLOWED:
                await self.deps.users.ensure(
                    s.peer_id, locale=self.deps.settings.default_locale, now=now
                )
                await self.deps.users.set_messages_allowed(s.peer_id, False, now)
