"""From long poll to handlers: durable inbox, one user's updates in order, users in parallel.

vkbottle's own run_polling starts a task per update and forgets it, saves the cursor to
./.vkbottle and skips what arrived while the bot was down. Here each poll's updates and the new
cursor are stored in one transaction (a repeated event_id is dropped there), each user gets a
queue worked by one task, and the stored-but-unfinished updates are replayed after a restart.
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
from bot.vk_api import VKApi, VKUnavailable
from storage.inbox import InboxItem, InboxRepo

Handler = Callable[[dict[str, Any]], Awaitable[None]]
START_DELAYS: tuple[float, ...] = (0.5, 1, 2, 5, 10, 30)


CHAT_PEER_BASE = 2_000_000_000


def from_group_chat(update: dict[str, Any]) -> bool:
    """A message in a group chat the community was added to: the bot talks one to one only.
    (A dialog's peer is its person, whose id may be above VK's chat range: a MAX account's.)"""
    if update.get("type") != "message_new":
        return False
    message = (update.get("object") or {}).get("message") or {}
    peer = int(message.get("peer_id") or 0)
    return peer >= CHAT_PEER_BASE and peer != int(message.get("from_id") or 0)


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
        self._handled: list[str] = []
        self._marker: asyncio.Task[None] | None = None
        self._stopping = asyncio.Event()
        self.connected = asyncio.Event()
        self.start_delays: tuple[float, ...] = START_DELAYS

    # --- polling -------------------------------------------------------------------------
    async def run(self) -> None:
        """Poll until stop(); then let every started update finish."""
        for item in await self._inbox.unfinished():
            logger.info("Replaying unfinished update {}", item.event_id)
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

    async def accept_polled(self, source: int, cursor: str, updates: list[dict[str, Any]]) -> None:
        """Store another messenger's polled updates with its cursor, kept under `source`, in
        one transaction (as long poll's with its ts), and start handling them."""
        await self._accept(cursor, updates, source)

    async def cursor(self, source: int) -> str | None:
        return await self._inbox.cursor(source)

    async def _accept(
        self, ts: str | None, updates: list[dict[str, Any]], source: int | None = None
    ) -> None:
        items = []
        for update in updates:
            event_id = str(update.get("event_id") or "")
            if not event_id:
                logger.warning("Update without event_id dropped: {}", update.get("type"))
                continue
            items.append(InboxItem(event_id, peer_of(update), update))
        key = self._group_id if source is None else source
        fresh = await self._inbox.accept(key, ts, items, self._clock.now())
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
                try:
                    await self._handle(item.body)
                except Exception:
                    logger.exception("Update {} failed outside the handlers", item.event_id)
                self._mark_done(item.event_id)
                self._finish(item.event_id)
        finally:
            del self._workers[peer_id]
            if queue:
                # A task was cancelled mid-queue; leave the rest for the next start.
                self._queues.pop(peer_id, None)
            else:
                del self._queues[peer_id]

    def _mark_done(self, event_id: str) -> None:
        """Note in the inbox that an update was handled. Updates finished while the previous
        note was being written share the next transaction: one commit (and fsync) for many."""
        self._handled.append(event_id)
        if self._marker is None or self._marker.done():
            self._marker = asyncio.create_task(self._write_done())

    async def _write_done(self) -> None:
        while self._handled:
            batch, self._handled = self._handled, []
            try:
                await self._inbox.mark_done(batch, self._clock.now())
            except Exception:
                # Not marked means replayed after a restart; the bot keeps serving meanwhile.
                logger.exception("Marking {} updates handled failed", len(batch))

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
        if self._marker is not None:
            await self._marker

    @property
    def depth(self) -> int:
        """Updates waiting for their user's worker (for /metrics)."""
        return sum(len(queue) for queue in self._queues.values())

    @property
    def busy(self) -> bool:
        return bool(self._workers)
