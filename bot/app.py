"""The app factory: one place that wires settings, storage, VK, services and handlers.
`python -m bot` and the tests build the bot through it alike."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from loguru import logger
from vkbottle import Bot, VKAPIError
from vkbottle.bot import BotLabeler

from bot import backup
from bot.callback_api import CallbackEndpoint
from bot.callback_data import Signer
from bot.clock import Clock, SystemClock
from bot.config import Settings
from bot.deps import Deps
from bot.events import ApplicationFiled, ApplicationWithdrawn, EventBus
from bot.health import HealthServer
from bot.i18n import Translator
from bot.messenger import Messenger
from bot.metrics import UPDATES, MeteredVKApi
from bot.outbox import Outbox, Sender
from bot.scheduler import Scheduler
from bot.services import apply
from bot.services import review as review_service
from bot.services.review import ReviewService
from bot.state import SQLiteStateDispenser
from bot.updates import CHAT_PEER_BASE, UpdateRunner, from_group_chat
from bot.vk_api import VKApi, VKUnavailable
from handlers import load_all
from keyboards.review import NoticeKeyboards
from storage import rates
from storage.applications import ApplicationsRepo
from storage.audit import AuditRepo
from storage.classes import ClassesRepo
from storage.db import Database
from storage.inbox import InboxItem, InboxRepo
from storage.invitations import InvitationsRepo
from storage.jobs import JobsRepo
from storage.memberships import MembershipsRepo
from storage.organizations import OrganizationsRepo
from storage.outbox import OutboxRepo
from storage.states import StatesRepo
from storage.users import UsersRepo

HOUR = 3600
DAY = 24 * HOUR


@dataclass
class App:
    deps: Deps
    bot: Bot
    api: VKApi
    runner: UpdateRunner
    scheduler: Scheduler
    sender: Sender
    # Set in Callback API mode: VK posts updates to it instead of the runner polling.
    webhook: CallbackEndpoint | None = None
    health: HealthServer | None = None

    async def run(self) -> None:
        """Serve until stop(): long poll (or the Callback API endpoint), the outbox's sender
        and the scheduler side by side."""
        sender = asyncio.create_task(self.sender.run())
        scheduler = asyncio.create_task(self.scheduler.run())
        try:
            if self.health is not None:
                await self.health.start()
            if self.webhook is None:
                await self.runner.run()
            else:
                await self.webhook.start()
                try:
                    await self.runner.serve_pushed()
                finally:
                    await self.webhook.stop()
        finally:
            self.scheduler.stop()
            await scheduler
            # What the handled updates said goes out before the process ends.
            self.sender.stop()
            await sender
            await self.sender.flush()
            if self.health is not None:
                await self.health.stop()

    def stop(self) -> None:
        self.runner.stop()
        self.scheduler.stop()

    async def close(self) -> None:
        await self.api.close()
        await self.deps.db.close()


async def create_app(settings: Settings, *, clock: Clock | None = None, poll_wait: int = 25) -> App:
    clock = clock or SystemClock()
    db = await Database.open(settings.database_path)
    await db.migrate()
    token = settings.vk_token.get_secret_value()
    api = MeteredVKApi(token, settings.vk_api_url, settings.vk_api_version, settings.vk_rps)
    outbox = Outbox(OutboxRepo(db), clock)
    deps = Deps(
        settings=settings,
        db=db,
        clock=clock,
        t=Translator(settings.default_locale),
        signer=Signer(token.encode()),
        messenger=Messenger(api, settings.vk_group_id),
        outbox=outbox,
        # The application draft outlives a detour into another flow.
        states=SQLiteStateDispenser(StatesRepo(db), clock, kept=(apply.STATE_PREFIX,)),
        users=UsersRepo(db),
        audit=AuditRepo(db),
        orgs=OrganizationsRepo(db),
        classes=ClassesRepo(db),
        members=MembershipsRepo(db),
        applications=ApplicationsRepo(db),
        invitations=InvitationsRepo(db),
        bus=EventBus(),
    )
    bot = Bot(api=api, labeler=BotLabeler(), state_dispenser=deps.states)
    load_all(bot, deps)
    inbox = InboxRepo(db)

    async def handle(update: dict[str, Any]) -> None:
        if from_group_chat(update):
            # Answering every line of a group chat with a menu would flood it.
            logger.debug("Group chat message ignored")
            return
        await bot.process_event(update, api)
        UPDATES.labels(str(update.get("type"))).inc()

    sender = Sender(outbox, deps.messenger, deps.users, clock, settings.default_locale)

    async def know_name(item: InboxItem) -> None:
        """A new person's VK name, asked before their first update's transaction opens: the
        handlers then read it from the users table instead of calling VK while the write lock
        is held. Only at first contact: a person who erased their data is not asked about."""
        peer = item.peer_id
        if not 0 < peer < CHAT_PEER_BASE or await deps.users.get(peer) is not None:
            return
        try:
            names = await deps.messenger.user_names([peer])
        except (VKAPIError, VKUnavailable) as exc:
            # Only a suggestion and a display name: handlers fall back to asking or to id<N>.
            logger.warning("users.get for {} failed: {}", peer, exc)
            return
        if peer in names:
            now = clock.now()
            await deps.users.ensure(peer, locale=settings.default_locale, now=now)
            await deps.users.set_names(peer, *names[peer], now)

    async def apologise(item: InboxItem) -> None:
        """One apology in the person's language for an update that was given up."""
        if not 0 < item.peer_id < CHAT_PEER_BASE:
            return
        user = await deps.users.get(item.peer_id)
        locale = user.locale if user is not None else settings.default_locale
        obj = item.body.get("object") or {}
        if item.body.get("type") == "message_event" and obj.get("event_id"):
            await outbox.answer(str(obj["event_id"]), item.peer_id, int(obj.get("peer_id") or 0))
        await outbox.send(item.peer_id, deps.t(locale, "error-generic"))

    runner = UpdateRunner(
        api,
        settings.vk_group_id,
        inbox,
        handle,
        clock,
        wait=poll_wait,
        sender=sender,
        max_attempts=settings.update_max_attempts,
        before=know_name,
        on_failed=apologise,
    )
    scheduler = Scheduler(JobsRepo(db), clock)

    async def prune(now: int) -> None:
        # A week is longer than any rate window and any duplicate delivery VK makes.
        updates = await inbox.prune(now - 7 * DAY)
        counters = await rates.prune(db, now - 7 * DAY)
        sent = await outbox.repo.prune(now - 7 * DAY)
        logger.info(
            "Pruned {} handled updates, {} rate counters and {} delivered outbox rows",
            updates,
            counters,
            sent,
        )

    scheduler.add("prune", DAY, prune)
    if settings.backup_dir is not None:
        folder, keep = settings.backup_dir, settings.backup_keep

        async def daily_backup(now: int) -> None:
            await asyncio.to_thread(backup.daily, db.path, folder, keep, now)

        scheduler.add("backup", DAY, daily_backup)

    review = ReviewService(deps, NoticeKeyboards(deps.signer, deps.t))
    deps.bus.subscribe(ApplicationFiled, review.on_filed)
    deps.bus.subscribe(ApplicationWithdrawn, review.on_withdrawn)
    sender.on_delivered(
        review_service.PROMPT, review.prompts_delivered, review.before_prompts_recorded
    )
    # Expiry is checked hourly, so nothing waits much past its deadline; reminders are daily.

    def then_flush(job: Callable[[int], Awaitable[None]]) -> Callable[[int], Awaitable[None]]:
        """A job's run ends once what it said is delivered, so runs never pile up unsent."""

        async def run(now: int) -> None:
            await job(now)
            await outbox.flush()

        return run

    scheduler.add("review-expire", HOUR, then_flush(review.expire))
    scheduler.add("review-remind", DAY, then_flush(review.remind))
    webhook = None
    if settings.vk_mode == "callback":

        async def confirmation_code() -> str:
            answer = await api.request(
                "groups.getCallbackConfirmationCode", {"group_id": settings.vk_group_id}
            )
            return str(answer.get("response", answer)["code"])

        webhook = CallbackEndpoint(settings, runner, confirmation_code)
    health = None
    if settings.health_port:
        health = HealthServer(settings.health_port, settings.vk_mode, runner, db, clock)
    return App(deps, bot, api, runner, scheduler, sender, webhook, health)
