"""What the review says: an application's card and where it stands, why a press changed
nothing, and the notices (prompts, decisions, reminders, undelivered prompts) in each
recipient's language and with buttons their client can show."""

from __future__ import annotations

import math
from collections.abc import Callable

from bot.deps import Deps
from bot.notifier import Recipient
from bot.services.review.decisions import Outcome, Verdict
from bot.services.review.notices import Notice
from bot.text import msk_datetime
from keyboards.builder import Capabilities, KeyboardBuilder
from keyboards.menu import MenuApply, MenuHome
from keyboards.review import open_review_keyboard, prompt_keyboard, verified_keyboard
from storage.models import Application, AppStatus

HOUR = 3600


class ReviewTexts:
    def __init__(self, deps: Deps) -> None:
        self.deps = deps

    def t(self, locale: str, key: str, **args: object) -> str:
        return self.deps.t(locale, key, **args)

    def _t(self, r: Recipient) -> Callable[..., str]:
        def t(key: str, **args: object) -> str:
            return self.deps.t(r.locale, key, **args)

        return t

    def _kb(self, r: Recipient) -> KeyboardBuilder:
        return KeyboardBuilder(self.deps.signer, Capabilities(r.callbacks, r.inline))

    async def org_name(self, org_id: int) -> str:
        org = await self.deps.orgs.get(org_id)
        return org.short_name if org is not None else str(org_id)

    def _days(self) -> str:
        return f"{self.deps.settings.expire_after_days:g}"

    # --- an application ------------------------------------------------------------------
    async def card(self, locale: str, app: Application) -> str:
        none = self.t(locale, "review-none")
        classes = ", ".join(await self.deps.classes.names(app.class_ids))
        return self.t(
            locale,
            "review-card",
            id=str(app.id),
            org=await self.org_name(app.org_id),
            name=app.full_name,
            vk_name=app.vk_name or none,
            vk_id=str(app.vk_id),
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

    async def _decider(self, locale: str, app: Application) -> str:
        if app.decided_by is None:
            return self.t(locale, "review-none")
        name = (await self.deps.names.full([app.decided_by]))[app.decided_by]
        return name or f"id{app.decided_by}"

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

    async def current(self, locale: str, app: Application) -> str:
        """The application as an administrator sees it now: the card and where it stands."""
        return f"{await self.card(locale, app)}\n\n{await self.status_line(locale, app)}"

    def closed(self, locale: str, app: Application) -> str:
        return self.t(locale, "review-closed", id=str(app.id))

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

    # --- the notices -----------------------------------------------------------------------
    async def prompt(self, r: Recipient, app: Application) -> Notice:
        text = await self.current(r.locale, app)
        return text, prompt_keyboard(self._kb(r), self._t(r), app.id).build()

    async def undelivered(
        self, r: Recipient, app: Application, failed: list[int], delivered: int
    ) -> Notice:
        org = await self.org_name(app.org_id)
        if not failed:
            return self.t(r.locale, "review-no-admins", org=org, id=str(app.id)), None
        names = await self.deps.names.full(failed)
        admins = ", ".join(f"{names[a] or f'id{a}'} (vk.com/id{a})" for a in failed)
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

    async def decided(self, r: Recipient, app: Application) -> Notice:
        org = await self.org_name(app.org_id)
        kb = self._kb(r)
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
        else:
            text = t("review-applicant-expired", org=org, id=str(app.id), days=self._days())
            kb.button(t("menu-apply"), MenuApply(), "positive").button(t("menu-home"), MenuHome())
        return text, kb.build()

    async def reminder(self, r: Recipient, waiting: list[tuple[str, list[Application]]]) -> Notice:
        t = self._t(r)
        hours = f"{self.deps.settings.remind_after_hours:g}"
        lines = [
            t(
                "review-remind-line",
                org=org,
                count=len(apps),
                id=str(apps[0].id),
                filed=msk_datetime(apps[0].created_at),
            )
            for org, apps in waiting
        ]
        text = "\n".join([t("review-remind-title", hours=hours), *lines])
        text += "\n\n" + t("review-remind-footer")
        return text, open_review_keyboard(self._kb(r), t).build()
