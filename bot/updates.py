"""From long poll to handlers: durable inbox, one user's updates in order, users in parallel.

vkbottle's own run_polling starts a task per update and forgets it, saves the cursor to
./.vkbottle and skips what arrived while the bot was down. Here each poll's updates and the new
cursor are stored in one transaction (a repeated event_id is dropped there), each user gets a
queue worked by one task, and the stored-but-unfinished updates are replayed after a restart.

Handling one update is one write transaction: what the handlers change, what they say (the
outbox, bot/outbox.py) and the update's "handled" mark commit together. A handler that fails
rolls the whole of it back; the update is tried again, up to `max_attempts` times counting
the runs a kill -9 cut short, and then marked failed with one apology to the person.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections import OrderedDict, deque
from collections.abc import Awaitable, Callable
from typing import Any

import aiohttp
from loguru import logger
from vkbottle import VKAPIError
from vkbottle.polling import BotPolling

from bot.clock import Clock
from bot.outbox import Sender, Unit, current_unit
from bot.vk_api import VKApi, VKUnavailable
from storage.inbox import InboxItem, InboxRepo

Handler = Callable[[dict[str, Any]], Awaitable[None]]
ItemHook = Callable[[InboxItem], Awaitable[None]]
START_DELAYS: tuple[float, ...] = (0.5, 1, 2, 5, 10, 30)


CHAT_PEER_BASE = 2_000_000_000


def from_group_chat(update: dict[str, Any]) -> bool:
    """A message in a group chat the community was added to: the bot talks one to one only."""
    if update.get("type") != "message_new":
        return False
    message = (update.get("object") or {}).get("message") or {}
    return int(message.get("peer_id") or 0) >= CHAT_PEER_BASE


def peer_of(update: dict[str, Any]) -> int:
    """The user whose updates must be handled in order (0 when an update names nobody)."""
    obj = update.get("object") or {}
    if update.get("type") == "message_new":
        message = obj.get("message") or {}
        return int(message.get("from_id") or message.get("peer_id") or 0)
    return int(obj.get("user_id") or obj.get("peer_id") or 0)


class UpdateRunner:
    def __init__(
        self,
        api: VKApi,
        group_id: int,
        inbox: InboxRepo,
        handle: Handler,
        clock: Clock,
        wait: int = 25,
        *,
        sender: Sender | None = None,
        max_attempts: int = 3,
        before: ItemHook | None = None,
        on_failed: ItemHook | None = None,
    ) -> None:
        self._polling = BotPolling(api, group_id=group_id, wait=wait)
        self._group_id = group_id
        self._inbox = inbox
        self._handle = handle
        self._clock = clock
        self._queues: dict[int, deque[InboxItem]] = {}
        self._workers: dict[int, asyncio.Task[None]] = {}
        self._waiters: dict[str, asyncio.Future[None]] = {}
        self._recent: OrderedDict[str, None] = OrderedDict()
        self._inflight: set[str] = set()
        self._sender = sender
        self._max_attempts = max_attempts
        self._before = before
        self._on_failed = on_failed
        self._settling: set[asyncio.Task[None]] = set()
        self._stopping = asyncio.Event()
        self.connected = asyncio.Event()
        self.start_delays: tuple[float, ...] = START_DELAYS

    # --- polling -------------------------------------------------------------------------
    async def run(self) -> None:
        """Poll until stop(); then let every started update finish."""
        for item in await self._inbox.unfinished():
            logger.info("Replaying unfinished update {} (attempt {})", item.event_id, item.attempts)
            self._dispatch(item)
        server = await self._connect()
        if server is None:
            return
        poll_task: asyncio.Task[dict[str, Any]] | None = None
        stop_task = asyncio.ensure_future(self._stopping.wait())
        retries = 0
        try:
            while not self._stopping.is_set():
                poll_task = asyncio.ensure_future(self._polling.get_event(server))
                await asyncio.wait({poll_task, stop_task}, return_when=asyncio.FIRST_COMPLETED)
                if self._stopping.is_set():
                    break
                try:
                    answer = poll_task.result()
                except (TimeoutError, aiohttp.ClientError, ValueError) as exc:
                    # /healthz reports the outage until a poll is answered again.
                    self.connected.clear()
                    retries = min(retries + 1, 60)
                    logger.warning("Long poll failed ({}), retrying", exc)
                    await self._pause(0.1 * retries)
                    continue
                retries = 0
                self.connected.set()
                if "failed" in answer:
                    server = await self._polling.handle_failed_event(server, answer) or server
                    continue
                server["ts"] = answer["ts"]
                await self._accept(str(answer["ts"]), answer.get("updates") or [])
        finally:
            stop_task.cancel()
            if poll_task is not None and not poll_task.done():
                poll_task.cancel()
                with contextlib.suppress(asyncio.CancelledError, Exception):
                    await poll_task
            await self.drain()

    async def _connect(self) -> dict[str, Any] | None:
        """Get the long-poll server, retrying with backoff while VK is unreachable."""
        attempt = 0
        while not self._stopping.is_set():
            try:
                server: dict[str, Any] = await self._polling.get_server()
            except (TimeoutError, VKUnavailable, VKAPIError, aiohttp.ClientError) as exc:
                delay = self.start_delays[min(attempt, len(self.start_delays) - 1)]
                attempt += 1
                logger.error(
                    "VK API unreachable at start ({}); retry {} in {}s", exc, attempt, delay
                )
                await self._pause(delay)
                continue
            stored = await self._inbox.cursor(self._group_id)
            if stored is not None:
                # Resume after the last stored update instead of skipping what came meanwhile.
                server["ts"] = stored
            logger.info("Connected to Bots Long Poll of group {}", self._group_id)
            self.connected.set()
            return server
        return None

    async def _pause(self, seconds: float) -> None:
        with contextlib.suppress(asyncio.TimeoutError):
            await asyncio.wait_for(self._stopping.wait(), seconds)

    # --- pushed updates (Callback API) ----------------------------------------------------
    async def serve_pushed(self) -> None:
        """Callback API mode: no polling; VK posts the updates and the endpoint hands them to
        accept(). Replays what is unfinished, then serves until stop()."""
        for item in await self._inbox.unfinished():
            logger.info("Replaying unfinished update {}", item.event_id)
            self._dispatch(item)
        self.connected.set()
        try:
            await self._stopping.wait()
        finally:
            await self.drain()

    async def accept(self, updates: list[dict[str, Any]]) -> None:
        """Store pushed updates in the inbox (a repeated event_id dropped) and start handling
        them; returns once they are stored, before they are handled."""
        await self._accept(None, updates)

    async def _accept(self, ts: str | None, updates: list[dict[str, Any]]) -> None:
        items = []
        for update in updates:
            event_id = str(update.get("event_id") or "")
            if not event_id:
                logger.warning("Update without event_id dropped: {}", update.get("type"))
                continue
            items.append(InboxItem(event_id, peer_of(update), update))
        fresh = await self._inbox.accept(self._group_id, ts, items, self._clock.now())
        for item in fresh:
            self._dispatch(item)
        accepted = {id(item) for item in fresh}
        for item in items:
            if id(item) not in accepted:
                logger.debug("Duplicate update {} skipped", item.event_id)
                if item.event_id not in self._inflight:
                    self._finish(item.event_id)

    # --- per-user ordering ---------------------------------------------------------------
    def _dispatch(self, item: InboxItem) -> None:
        logger.debug(
            "Update {} {} from peer {}", item.body.get("type"), item.event_id, item.peer_id
        )
        self._inflight.add(item.event_id)
        self._queues.setdefault(item.peer_id, deque()).append(item)
        if item.peer_id not in self._workers:
            self._workers[item.peer_id] = asyncio.create_task(self._work(item.peer_id))

    async def _work(self, peer_id: int) -> None:
        queue = self._queues[peer_id]
        try:
            while queue:
                item = queue.popleft()
                rows: list[int] = []
                try:
                    rows = await self._process(item)
                except Exception:
                    # The database itself failed: not marked, so replayed after a restart.
                    logger.exception("Update {} failed outside the handlers", item.event_id)
                self._after_delivery(item.event_id, rows)
        finally:
            del self._workers[peer_id]
            if queue:
                # A task was cancelled mid-queue; leave the rest for the next start.
                self._queues.pop(peer_id, None)
            else:
                del self._queues[peer_id]

    async def _process(self, item: InboxItem) -> list[int]:
        """Handle one update in one transaction; the outbox rows it wrote."""
        if self._before is not None and item.attempts < self._max_attempts:
            await self._before(item)
        attempt = item.attempts
        while attempt < self._max_attempts:
            unit = Unit(item.event_id)
            token = current_unit.set(unit)
            db = self._inbox.db
            try:
                # The attempt is counted under the same hold of the write lock as the handling,
                # so only an attempt that really began (and maybe killed the process) counts.
                async with db.serial():
                    attempt = await self._inbox.begin_attempt(item.event_id)
                    async with db.transaction():
                        await self._handle(item.body)
                        if unit.failure is not None:
                            # Undo everything this run wrote, its outbox rows included.
                            raise unit.failure
                        await self._inbox.mark_done([item.event_id], self._clock.now())
                return unit.rows
            except Exception as exc:
                logger.opt(exception=exc).error(
                    "Update {} failed (attempt {} of {})",
                    item.event_id,
                    attempt,
                    self._max_attempts,
                )
            finally:
                current_unit.reset(token)
        return await self._give_up(item)

    async def _give_up(self, item: InboxItem) -> list[int]:
        logger.error("Update {} marked failed after {} attempts", item.event_id, self._max_attempts)
        unit = Unit(item.event_id)
        token = current_unit.set(unit)
        try:
            async with self._inbox.db.transaction():
                await self._inbox.mark_failed(item.event_id, self._clock.now())
                if self._on_failed is not None:
                    await self._on_failed(item)
        finally:
            current_unit.reset(token)
        return unit.rows

    def _after_delivery(self, event_id: str, rows: list[int]) -> None:
        """Report the update done once what it said is delivered (or finally refused)."""
        if self._sender is None or not rows:
            self._finish(event_id)
            return
        sender = self._sender

        async def settle() -> None:
            try:
                await sender.settled(rows)
            finally:
                self._finish(event_id)

        task = asyncio.create_task(settle())
        self._settling.add(task)
        task.add_done_callback(self._settling.discard)

    def _finish(self, event_id: str) -> None:
        self._inflight.discard(event_id)
        self._recent[event_id] = None
        while len(self._recent) > 10_000:
            self._recent.popitem(last=False)
        waiter = self._waiters.pop(event_id, None)
        if waiter is not None and not waiter.done():
            waiter.set_result(None)

    # --- control -------------------------------------------------------------------------
    async def wait_done(self, event_id: str) -> None:
        """Resolve once the update with this event_id has been handled (or dropped as a repeat)."""
        if event_id in self._recent:
            return
        waiter = self._waiters.get(event_id)
        if waiter is None:
            waiter = self._waiters[event_id] = asyncio.get_running_loop().create_future()
        await waiter

    def stop(self) -> None:
        self._stopping.set()

    async def drain(self) -> None:
        while self._workers:
            await asyncio.gather(*list(self._workers.values()), return_exceptions=True)

    @property
    def depth(self) -> int:
        """Updates waiting for their user's worker (for /metrics)."""
        return sum(len(queue) for queue in self._queues.values())
