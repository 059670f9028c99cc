"""The app factory: one place that wires settings, storage, VK, services and handlers.
`python -m bot` and the tests build the bot through it alike."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import Any

from loguru import logger
from vkbottle import Bot
from vkbottle.bot import BotLabeler

from bot import backup
from bot.callback_api import CallbackEndpoint
from bot.clock import Clock, SystemClock
from bot.config import Settings
from bot.deps import Deps
from bot.events import ApplicationFiled, ApplicationWithdrawn, EventBus
from bot.health import HealthServer
from bot.i18n import Translator
from bot.max_api import MaxApi
from bot.max_inbound import MaxInbound
from bot.max_inbound import Translator as MaxTranslator
from bot.max_messenger import MaxMessenger
from bot.messenger import Messenger
from bot.messengers import Messengers, Outbound
from bot.metrics import UPDATES, MeteredVKApi
from bot.scheduler import Scheduler
from bot.services import apply
from bot.services.review import ReviewService
from bot.state import SQLiteStateDispenser
from bot.updates import UpdateRunner, from_group_chat
from bot.vk_api import VKApi
from handlers import load_all
from keyboards.callback_data import Signer
from storage import rates
from storage.accounts import AccountsRepo
from storage.applications import ApplicationsRepo
from storage.audit import AuditRepo
from storage.classes import ClassesRepo
from storage.db import Database
from storage.inbox import InboxRepo
from storage.invitations import InvitationsRepo
from storage.jobs import JobsRepo
from storage.memberships import MembershipsRepo
from storage.organizations import OrganizationsRepo
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
    # Set in Callback API mode: VK posts updates to it instead of the runner polling.
    webhook: CallbackEndpoint | None = None
    health: HealthServer | None = None
    # Set when MAX is configured: its updates join the same inbox through the same runner.
    max_inbound: MaxInbound | None = None
    max_api: MaxApi | None = None

    async def run(self) -> None:
        """Serve until stop(): VK's long poll (or its Callback API endpoint), MAX's polling
        (or its webhook), and the scheduler."""
        scheduler = asyncio.create_task(self.scheduler.run())
        inbound = None
        if self.max_inbound is not None:
            inbound = asyncio.create_task(self.max_inbound.serve())
        try:
            if self.health is not None:
                await self.health.start()
            if not self.deps.settings.vk_enabled:
                await self.runner.serve_pushed()
            elif self.webhook is None:
                await self.runner.run()
            else:
                await self.webhook.start()
                try:
                    await self.runner.serve_pushed()
                finally:
                    await self.webhook.stop()
        finally:
            self.scheduler.stop()
            if self.max_inbound is not None:
                self.max_inbound.stop()
            await scheduler
            if inbound is not None:
                await inbound
            if self.health is not None:
                await self.health.stop()

    def stop(self) -> None:
        self.runner.stop()
        self.scheduler.stop()
        if self.max_inbound is not None:
            self.max_inbound.stop()

    async def close(self) -> None:
        await self.api.close()
        if self.max_api is not None:
            await self.max_api.close()
        await self.deps.db.close()


async def create_app(settings: Settings, *, clock: Clock | None = None, poll_wait: int = 25) -> App:
    clock = clock or SystemClock()
    db = await Database.open(settings.database_path)
    await db.migrate()
    token = settings.vk_token.get_secret_value()
    # vkbottle's router takes a VK API even where only MAX is served; it then makes no call.
    api = MeteredVKApi(token, settings.vk_api_url, settings.vk_api_version, settings.vk_rps)
    accounts = AccountsRepo(db)
    adapters: list[Outbound] = []
    if settings.vk_enabled:
        adapters.append(Messenger(api, settings.vk_group_id))
    max_client = max_out = None
    if settings.max_enabled:
        max_client = MaxApi(
            settings.max_token.get_secret_value(),
            settings.max_api_url,
            rps=settings.max_rps,
            ca_file=settings.max_ca_file,
        )
        max_out = MaxMessenger(max_client, accounts, clock)
        adapters.append(max_out)
    superadmins = set(settings.superadmin_ids)
    for max_id in sorted(settings.max_superadmin_ids):
        account = await accounts.resolve("max", str(max_id), None, None, clock.now())
        superadmins.add(account.id)
    # Button payloads are signed with a key from the token: VK's, or MAX's where VK is not.
    secret = token if settings.vk_enabled else settings.max_token.get_secret_value()
    deps = Deps(
        settings=settings,
        db=db,
        clock=clock,
        t=Translator(settings.default_locale),
        signer=Signer(secret.encode()),
        messenger=Messengers(adapters, accounts),
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
        accounts=accounts,
        superadmins=frozenset(superadmins),
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

    runner = UpdateRunner(api, settings.vk_group_id, inbox, handle, clock, wait=poll_wait)
    scheduler = Scheduler(JobsRepo(db), clock)

    async def prune(now: int) -> None:
        # A week is longer than any rate window and any duplicate delivery VK makes.
        updates = await inbox.prune(now - 7 * DAY)
        counters = await rates.prune(db, now - 7 * DAY)
        logger.info("Pruned {} handled updates and {} rate counters", updates, counters)

    scheduler.add("prune", DAY, prune)
    if settings.backup_dir is not None:
        folder, keep = settings.backup_dir, settings.backup_keep

        async def daily_backup(now: int) -> None:
            await asyncio.to_thread(backup.daily, db.path, folder, keep, now)

        scheduler.add("backup", DAY, daily_backup)

    review = ReviewService(deps)
    deps.bus.subscribe(ApplicationFiled, review.on_filed)
    deps.bus.subscribe(ApplicationWithdrawn, review.on_withdrawn)
    # Expiry is checked hourly, so nothing waits much past its deadline; reminders are daily.
    scheduler.add("review-expire", HOUR, review.expire)
    scheduler.add("review-remind", DAY, review.remind)
    webhook = None
    if settings.vk_enabled and settings.vk_mode == "callback":

        async def confirmation_code() -> str:
            answer = await api.request(
                "groups.getCallbackConfirmationCode", {"group_id": settings.vk_group_id}
            )
            return str(answer.get("response", answer)["code"])

        webhook = CallbackEndpoint(settings, runner, confirmation_code)
    health = None
    if settings.health_port:
        health = HealthServer(settings.health_port, settings.vk_mode, runner, db, clock)
    max_inbound = None
    if max_client is not None and max_out is not None:
        translator = MaxTranslator(accounts, max_out, clock, settings.vk_group_id)
        max_inbound = MaxInbound(
            settings, max_client, translator, max_out, runner, wait=min(poll_wait, 30)
        )
    return App(deps, bot, api, runner, scheduler, webhook, health, max_inbound, max_client)
