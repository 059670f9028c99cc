"""Exactly-once delivery: what the bot says is written to the outbox in the transaction of the
change that made it say so, and the sender delivers it afterwards.

Handling one update is one write transaction (bot/updates.py): the state changes, the outbox
rows and the update's "handled" mark commit together or not at all, so after a kill -9 an
update is either wholly handled, its messages waiting here, or re-run from the start with
nothing of its first run visible. No network call is made while that transaction is open for
what the bot says; the sender runs outside it.

Every row carries a random_id drawn once when it is written, so a retried call and a delivery
repeated after a restart carry the same one and VK drops the copy. VK remembers a random_id only
for a while; the record of what was delivered is the row's done mark here, written in one
transaction with whatever the answer is needed for (a prompt's conversation_message_id).

The sender keeps one person's rows in the order they were written: a row starts once every
earlier row sharing a recipient with it is finished. Rows of different people go concurrently
(the rate limiter in bot/vk_api.py keeps VK's limit). Errors that may pass (6, 9, 10, HTTP 5xx,
a dropped connection) are retried by VKApi and then here with a growing pause, a bounded number
of rounds; a row that still fails waits for the next start, never lost and never retried hot.
Any other VK error (901: the person has not allowed messages) ends the row and is recorded.
"""

from __future__ import annotations

import asyncio
import json
import secrets
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Sequence
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

from loguru import logger
from vkbottle import VKAPIError

from bot.clock import Clock
from bot.messenger import MAX_PEERS, NOT_ALLOWED, Messenger
from bot.uploads import upload_document, upload_photo
from bot.vk_api import VKUnavailable
from storage.db import Tx
from storage.outbox import Delivery, NewRow, OutboxRepo, OutboxRow, Upload
from storage.users import UsersRepo

SNACKBAR_MAX = 90
# Pauses between the sender's rounds for a row VK would not take (after VKApi's own retries).
ROUND_DELAYS: tuple[float, ...] = (1.0, 3.0, 10.0, 30.0)

Hook = Callable[[Tx, str, OutboxRow, list[Delivery]], Awaitable[None]]
Prepare = Callable[[str, list[Delivery]], Awaitable[None]]


@dataclass
class Unit:
    """The handling of one update: the rows it wrote, and a failure a handler reported."""

    event_id: str
    rows: list[int] = field(default_factory=list)
    failure: BaseException | None = None


current_unit: ContextVar[Unit | None] = ContextVar("current_unit", default=None)


def new_random_id() -> int:
    """A positive 31-bit id; VK treats 0 as "no de-duplication"."""
    return secrets.randbelow(0x7FFFFFFF) + 1


def snackbar_data(text: str) -> str:
    return json.dumps({"type": "show_snackbar", "text": text[:SNACKBAR_MAX]}, ensure_ascii=False)


class Outbox:
    """Writes what the bot says. Inside an update's transaction the rows join it; elsewhere
    (scheduled jobs, the command line) each call is its own transaction."""

    def __init__(self, repo: OutboxRepo, clock: Clock) -> None:
        self.repo = repo
        self._clock = clock
        self.wake = asyncio.Event()
        self._flush: Callable[[], Awaitable[None]] | None = None

    async def flush(self) -> None:
        """Wait until every row written so far is delivered, refused by VK or left for the next
        start: for what is said outside an update (a scheduled job), whose caller wants it out."""
        if self._flush is not None:
            await self._flush()

    async def _add(self, row: NewRow) -> int:
        unit = current_unit.get()
        if unit is not None and row.event_id is None:
            row = _with_event(row, unit.event_id)
        async with self.repo.db.transaction() as tx:
            row_id = await self.repo.add(tx, row, self._clock.now())
        if unit is not None:
            unit.rows.append(row_id)
        # Safe before the commit of an enclosing transaction: the sender reads under the
        # write lock, so it sees the row once it is committed and never before.
        self.wake.set()
        return row_id

    async def send(
        self,
        peer_ids: int | Sequence[int],
        text: str,
        *,
        keyboard: str | None = None,
        attachment: str | None = None,
        upload: tuple[Upload, str, bytes] | None = None,
        upload_failed_text: str | None = None,
        purpose: str | None = None,
    ) -> list[int]:
        """One message to each of `peer_ids`, up to 100 recipients per call; the row ids."""
        peers = [peer_ids] if isinstance(peer_ids, int) else list(peer_ids)
        params = _clean(message=text or None, keyboard=keyboard, attachment=attachment)
        fallback = None
        if upload is not None and upload_failed_text is not None:
            fallback = _clean(message=upload_failed_text, keyboard=keyboard)
        ids = []
        for start in range(0, len(peers), MAX_PEERS):
            ids.append(
                await self._add(
                    NewRow(
                        "send",
                        peers[start : start + MAX_PEERS],
                        params,
                        new_random_id(),
                        upload=upload[0] if upload else None,
                        upload_name=upload[1] if upload else None,
                        upload_data=upload[2] if upload else None,
                        fallback=fallback,
                        purpose=purpose,
                    )
                )
            )
        return ids

    async def edit(
        self,
        peer_id: int,
        text: str,
        *,
        cmid: int | None = None,
        ref_id: int | None = None,
        keyboard: str | None = None,
        or_send: bool = False,
    ) -> int:
        """Edit a message known by its conversation_message_id, or one this outbox sent (its
        row id: the id is known once that row is delivered). `or_send`: send it anew when VK
        refuses the edit."""
        params = _clean(conversation_message_id=cmid, message=text, keyboard=keyboard)
        fallback = _clean(message=text, keyboard=keyboard) if or_send else None
        return await self._add(
            NewRow("edit", [peer_id], params, new_random_id(), ref_id=ref_id, fallback=fallback)
        )

    async def answer(
        self, event_id: str, user_id: int, peer_id: int, snackbar: str | None = None
    ) -> int:
        params = _clean(
            event_id=event_id,
            user_id=user_id,
            event_data=None if snackbar is None else snackbar_data(snackbar),
        )
        return await self._add(NewRow("answer", [peer_id], params, new_random_id()))


def _with_event(row: NewRow, event_id: str) -> NewRow:
    return NewRow(
        row.kind,
        row.peers,
        row.params,
        row.random_id,
        event_id,
        row.ref_id,
        row.upload,
        row.upload_name,
        row.upload_data,
        row.fallback,
        row.purpose,
    )


def _clean(**params: Any) -> dict[str, Any]:
    return {k: v for k, v in params.items() if v is not None}


class _Retry(Exception):
    """VK did not take the call this round; the row is tried again later."""


class Sender:
    """Delivers the outbox: one person's rows in order, people concurrently."""

    def __init__(
        self,
        outbox: Outbox,
        messenger: Messenger,
        users: UsersRepo,
        clock: Clock,
        default_locale: str,
    ) -> None:
        self._outbox = outbox
        outbox._flush = self.flush
        self._default_locale = default_locale
        self._repo = outbox.repo
        self._messenger = messenger
        self._users = users
        self._clock = clock
        self._hooks: dict[str, tuple[Hook, Prepare | None]] = {}
        self._last_id = 0
        self._tails: dict[int, asyncio.Task[None]] = {}
        self._tasks: set[asyncio.Task[None]] = set()
        self._finished: OrderedDict[int, None] = OrderedDict()
        self._waiters: dict[int, list[asyncio.Future[None]]] = {}
        self._stopping = asyncio.Event()
        self.round_delays: tuple[float, ...] = ROUND_DELAYS

    def on_delivered(self, name: str, hook: Hook, prepare: Prepare | None = None) -> None:
        """Run `hook` for a delivered row whose purpose is `name:<arg>`, in the transaction that
        marks it delivered (so what the answer is needed for is recorded exactly once).
        `prepare` runs just before, outside that transaction: for what VK must be asked first."""
        self._hooks[name] = (hook, prepare)

    # --- the loop ------------------------------------------------------------------------
    async def run(self) -> None:
        """Deliver what is pending now and whatever is written later, until stop()."""
        self._outbox.wake.set()
        stop = asyncio.ensure_future(self._stopping.wait())
        try:
            while not self._stopping.is_set():
                wake = asyncio.ensure_future(self._outbox.wake.wait())
                await asyncio.wait({wake, stop}, return_when=asyncio.FIRST_COMPLETED)
                wake.cancel()
                if self._stopping.is_set():
                    break
                self._outbox.wake.clear()
                await self._schedule_new()
        finally:
            stop.cancel()

    def stop(self) -> None:
        self._stopping.set()

    async def flush(self) -> None:
        """Deliver everything written so far; after stop(), a row waiting for its next round
        is cut short and stays pending for the next start."""
        # A delivery may write more rows (a report of what did not arrive): until none is left.
        await self._schedule_new()
        while self._tasks:
            await asyncio.gather(*list(self._tasks), return_exceptions=True)
            await self._schedule_new()

    async def _schedule_new(self) -> None:
        async with self._repo.db.transaction() as tx:
            rows = await self._repo.pending_after(tx, self._last_id)
        for row in rows:
            self._last_id = max(self._last_id, row.id)
            before = {self._tails[p] for p in row.peers if p in self._tails}
            task = asyncio.create_task(self._deliver_after(row, before))
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)
            for peer in row.peers:
                self._tails[peer] = task
            task.add_done_callback(self._untail)

    def _untail(self, task: asyncio.Task[None]) -> None:
        for peer in [p for p, t in self._tails.items() if t is task]:
            del self._tails[peer]

    # --- waiting -------------------------------------------------------------------------
    async def settled(self, row_ids: Sequence[int]) -> None:
        """Resolve once each row is delivered, ended by VK's refusal, or left for the next start."""
        loop = asyncio.get_running_loop()
        futures = []
        for row_id in row_ids:
            if row_id in self._finished:
                continue
            future = loop.create_future()
            self._waiters.setdefault(row_id, []).append(future)
            futures.append(future)
        if futures:
            await asyncio.gather(*futures)

    def _settle(self, row_id: int) -> None:
        self._finished[row_id] = None
        while len(self._finished) > 10_000:
            self._finished.popitem(last=False)
        for future in self._waiters.pop(row_id, []):
            if not future.done():
                future.set_result(None)

    # --- one row -------------------------------------------------------------------------
    async def _deliver_after(self, row: OutboxRow, before: set[asyncio.Task[None]]) -> None:
        try:
            if before:
                await asyncio.gather(*before, return_exceptions=True)
            await self._deliver(row)
        except Exception:
            logger.exception("Outbox row {} failed in the sender; kept for the next start", row.id)
        finally:
            self._settle(row.id)

    async def _deliver(self, row: OutboxRow) -> None:
        for attempt, delay in enumerate((*self.round_delays, None)):
            try:
                deliveries, error = await self._attempt(row)
            except _Retry as exc:
                if delay is None or self._stopping.is_set():
                    logger.error(
                        "Outbox row {} ({}) not delivered after {} rounds ({}); kept for the"
                        " next start",
                        row.id,
                        row.kind,
                        attempt + 1,
                        exc,
                    )
                    return
                logger.warning(
                    "Outbox row {} not delivered ({}), next round in {}s", row.id, exc, delay
                )
                # A pause before the next round, cut short by stop(): not a wait for an event.
                try:
                    await asyncio.wait_for(self._stopping.wait(), delay)
                except TimeoutError:
                    continue
                return
            await self._record(row, deliveries, error)
            return

    async def _record(self, row: OutboxRow, deliveries: list[Delivery], error: int | None) -> None:
        name, _, arg = (row.purpose or "").partition(":")
        hook, prepare = self._hooks.get(name, (None, None))
        if prepare is not None:
            await prepare(arg, deliveries)
        now = self._clock.now()
        async with self._repo.db.transaction() as tx:
            await self._repo.finish(tx, row.id, deliveries, error, now)
            for d in deliveries:
                if d.error == NOT_ALLOWED:
                    # Remembered so the menu and reports can say so.
                    await self._users.ensure(d.peer_id, locale=self._default_locale, now=now)
                    await self._users.set_messages_allowed(d.peer_id, False, now)
            if hook is not None:
                await hook(tx, arg, row, deliveries)
        for d in deliveries:
            if not d.ok:
                logger.warning("Outbox row {} to {}: VK error {}", row.id, d.peer_id, d.error)

    async def _call(self, method: str, params: dict[str, Any]) -> Any:
        """The one place a row's call reaches VK (a group of them may later share an execute)."""
        try:
            return (await self._messenger.api.request(method, params))["response"]
        except VKUnavailable as exc:
            raise _Retry(str(exc)) from None

    async def _attempt(self, row: OutboxRow) -> tuple[list[Delivery], int | None]:
        if row.kind == "answer":
            params = {**row.params, "peer_id": row.peers[0]}
            try:
                await self._call("messages.sendMessageEventAnswer", params)
            except VKAPIError as exc:
                return [], exc.code
            return [], None
        if row.kind == "edit":
            return await self._edit(row)
        return await self._send(row, row.params)

    async def _edit(self, row: OutboxRow) -> tuple[list[Delivery], int | None]:
        peer = row.peers[0]
        params = dict(row.params)
        if "conversation_message_id" not in params and row.ref_id is not None:
            cmid = await self._repo.delivered_cmid(row.ref_id, peer)
            if cmid is not None:
                params["conversation_message_id"] = cmid
        if "conversation_message_id" in params:
            try:
                await self._call(
                    "messages.edit", {**params, "peer_id": peer, "dont_parse_links": 1}
                )
            except VKAPIError as exc:
                logger.info("messages.edit in {} refused: {}", peer, exc)
                if row.fallback is None:
                    return [], exc.code
            else:
                return [], None
        elif row.fallback is None:
            logger.info("Outbox row {}: the message it edits never went out", row.id)
            return [], None
        return await self._send(row, row.fallback)

    async def _send(
        self, row: OutboxRow, params: dict[str, Any]
    ) -> tuple[list[Delivery], int | None]:
        params = dict(params)
        if row.upload is not None and row.upload_data is not None:
            try:
                attachment = await self._upload(row)
            except _Retry:
                raise
            except Exception:
                logger.exception("Upload for outbox row {} failed", row.id)
                if row.fallback is not None:
                    params = dict(row.fallback)
            else:
                params["attachment"] = attachment
        try:
            answer = await self._call(
                "messages.send",
                {
                    **params,
                    "peer_ids": ",".join(map(str, row.peers)),
                    "random_id": row.random_id,
                    "dont_parse_links": 1,
                },
            )
        except VKAPIError as exc:
            return [Delivery(p, error=exc.code) for p in row.peers], exc.code
        deliveries = [_delivery(item) for item in answer]
        return deliveries, None

    async def _upload(self, row: OutboxRow) -> str:
        assert row.upload_data is not None
        peer = row.peers[0]
        try:
            if row.upload == "photo":
                return await upload_photo(self._messenger, peer, row.upload_data)
            return await upload_document(
                self._messenger, peer, row.upload_name or "file", row.upload_data
            )
        except VKUnavailable as exc:
            raise _Retry(str(exc)) from None


def _delivery(item: dict[str, Any]) -> Delivery:
    error = item.get("error")
    return Delivery(
        peer_id=int(item["peer_id"]),
        message_id=item.get("message_id") or None,
        conversation_message_id=item.get("conversation_message_id") or None,
        error=int(error.get("code", 0)) if isinstance(error, dict) else None,
    )
