"""Who is told what about an application, through the one notifier (bot/notifier.py): its
administrators get a prompt when it is filed, the applicant hears the decision, every prompt is
edited to where the application stands, and the superadmins hear of prompts that reached
nobody. What each notice says is drawn on the handler side (`ReviewTexts`, passed in by the
app factory): this module decides who and when.

A repeated filing leaves out administrators who already hold a delivered prompt, and each call's
random_id names exactly whom it goes to, so nobody gets a second prompt.
"""

from __future__ import annotations

from typing import Protocol

from loguru import logger

from bot.deps import Deps
from bot.events import ApplicationFiled, ApplicationWithdrawn, MemberVerified
from bot.notifier import Recipient
from bot.services.review.decisions import Outcome
from storage.models import Application, AppStatus
from storage.review_prompts import ReviewPrompt, ReviewPromptsRepo

Notice = tuple[str, str | None]
# What the applicant is told about; a withdrawal is their own doing.
DECIDED = frozenset({AppStatus.APPROVED, AppStatus.REJECTED, AppStatus.EXPIRED})


class ReviewTexts(Protocol):
    """The words and buttons of the review notices, for one kind of recipient."""

    async def prompt(self, r: Recipient, app: Application) -> Notice: ...

    async def current(self, locale: str, app: Application) -> str: ...

    def closed(self, locale: str, app: Application) -> str: ...

    async def undelivered(
        self, r: Recipient, app: Application, failed: list[int], delivered: int
    ) -> Notice: ...

    async def decided(self, r: Recipient, app: Application) -> Notice: ...

    async def reminder(
        self, r: Recipient, waiting: list[tuple[str, list[Application]]]
    ) -> Notice: ...


class ReviewNotices:
    def __init__(self, deps: Deps, texts: ReviewTexts) -> None:
        self.deps = deps
        self.texts = texts
        self.prompts = ReviewPromptsRepo(deps.db)

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

        async def render(r: Recipient) -> Notice:
            return await self.texts.prompt(r, app)

        results = await self.deps.notifier.tell(targets, render, key=("prompt", app.id))
        await self.prompts.save(
            [
                ReviewPrompt(app.id, s.peer_id, s.conversation_message_id, s.message_id, s.ok)
                for s in results
            ],
            self.deps.clock.now(),
        )
        failed = [s.peer_id for s in results if not s.ok]
        if failed:
            delivered = len(prompted) + sum(s.ok for s in results)
            await self._report(app, failed, delivered)

    async def on_withdrawn(self, event: ApplicationWithdrawn) -> None:
        app = await self.deps.applications.get(event.application_id)
        if app is not None and app.status is AppStatus.WITHDRAWN:
            await self.refresh_prompts(app)

    async def _report(self, app: Application, failed: list[int], delivered: int) -> None:
        """Tell the superadmins which administrators the prompt did not reach."""
        logger.warning("Application {} not delivered to admins {}", app.id, failed)

        async def render(r: Recipient) -> Notice:
            return await self.texts.undelivered(r, app, failed, delivered)

        superadmins = sorted(self.deps.settings.superadmin_ids)
        await self.deps.notifier.tell(superadmins, render, key=("undelivered", app.id))

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
        if app.status not in DECIDED:
            return

        async def render(r: Recipient) -> Notice:
            return await self.texts.decided(r, app)

        key = ("decision", app.id, app.status.value)
        await self.deps.notifier.tell([app.vk_id], render, key=key)

    async def refresh_prompts(self, app: Application) -> None:
        """Edit every administrator's prompt to where the application stands, without buttons.

        Someone who is no longer an administrator there gets the bare number instead of the
        applicant's details, which they are no longer entitled to.
        """
        admins = set(await self.deps.orgs.admin_ids(app.org_id))
        for prompt in await self.prompts.of_application(app.id):
            if not prompt.delivered or prompt.conversation_message_id is None:
                continue
            r = await self.deps.notifier.recipient(prompt.admin_id)
            text = (
                await self.texts.current(r.locale, app)
                if prompt.admin_id in admins
                else self.texts.closed(r.locale, app)
            )
            await self.deps.notifier.edit(prompt.admin_id, prompt.conversation_message_id, text)

    async def is_prompt(self, admin_id: int, app_id: int, cmid: int | None) -> bool:
        """Is this message the administrator's stored prompt (edited by refresh_prompts)?"""
        return any(
            p.admin_id == admin_id and p.conversation_message_id == cmid
            for p in await self.prompts.of_application(app_id)
        )
