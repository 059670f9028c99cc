"""Exactly-once delivery: what the bot says is written to the outbox in the transaction of the
change that made it say so, and the sender delivers it once that transaction has committed.

Handling one update is one write transaction (bot/updates.py): the state changes, the outbox
rows and the update's "handled" mark commit together or not at all, so after a kill -9 an
update is either wholly handled, its messages waiting here, or re-run from the start with
nothing of its first run visible. No call that says something to VK is made while that
transaction is open; the sender runs outside it and is handed the rows as they commit.

Every row carries a random_id drawn once when it is written, so a retried call and a delivery
repeated after a restart carry the same one and VK drops the copy. VK remembers a random_id only
for a while; the record of what was delivered is the row's done mark here, written in one
transaction with whatever the answer is needed for (a prompt's conversation_message_id, the
names VK gave along with it).

Rows committed together are delivered together: an event answer and the edit of the same
press, and the prompts a filing sends to administrators, go in one VKApi.request_many (one
execute), and VKApi packs requests of different people waiting for the rate limit into one
execute too. One person's rows keep the order they were written in: a batch starts once every
earlier batch sharing a recipient with it is finished, and a batch holds at most one message
(send) per person, so a send that fails and is retried cannot arrive after a later one.
Errors that may pass (6, 9, 10, HTTP 5xx, a dropped connection) are retried by VKApi and then
here with a growing pause, a bounded number of rounds; a row that still fails waits for the
next start, never lost and never retried hot. Any other VK error (901: the person has not
allowed messages) ends the row and is recorded.
"""

from __future__ import annotations

import asyncio
import contextvars
import dataclasses
import functools
import json
import secrets
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Sequence
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

from loguru import logger

from bot.clock import Clock
from bot.messenger import MAX_PEERS, NOT_ALLOWED, Messenger
from bot.uploads import upload_document, upload_photo
from bot.vk_api import MAX_BATCH, RETRIED_CODES, Call, VKUnavailable
from storage.db import Tx
from storage.models import Upload
from storage.outbox import Delivery, NewRow, OutboxRepo, OutboxRow
from storage.users import UsersRepo

SNACKBAR_MAX = 90
# Pauses between the sender's rounds for a row VK would not take (after VKApi's own retries).
ROUND_DELAYS: tuple[float, ...] = (1.0, 3.0, 10.0, 30.0)

Hook = Callable[[Tx, str, OutboxRow, list[Delivery]], Awaitable[None]]
Prepare = Callable[[str, list[Delivery]], Awaitable[None]]


@dataclass
class Unit:
    """The handling of one update: the rows it wrote, a failure a handler reported, and the
    people whose VK names its first row asks for."""

    event_id: str
    rows: list[int] = field(default_factory=list)
    failure: BaseException | None = None
    names: tuple[int, ...] = ()


current_unit: ContextVar[Unit | None] = ContextVar("current_unit", default=None)


def new_random_id() -> int:
    """A positive 31-bit id; VK treats 0 as "no de-duplication"."""
    return secrets.randbelow(0x7FFFFFFF) + 1


def snackbar_data(text: str) -> str:
    return json.dumps({"type": "show_snackbar", "text": text[:SNACKBAR_MAX]}, ensure_ascii=False)


class Outbox:
    """Writes what the bot says. Inside an update's transaction the rows join it; elsewhere
    (scheduled jobs) each call is its own transaction unless the caller holds one open."""

    def __init__(self, repo: OutboxRepo, clock: Clock) -> None:
        self.repo = repo
        self._clock = clock
        self._listener: Callable[[OutboxRow], None] | None = None
        self._flush: Callable[[], Awaitable[None]] | None = None

    def listen(
        self, listener: Callable[[OutboxRow], None], flush: Callable[[], Awaitable[None]]
    ) -> None:
        """`listener` gets each row once the transaction that wrote it has committed."""
        self._listener, self._flush = listener, flush

    async def flush(self) -> None:
        """Wait until every row written so far is delivered, refused by VK or left for the next
        start: for what is said outside an update (a scheduled job), whose caller wants it out."""
        if self._flush is not None:
            await self._flush()

    async def _add(self, row: NewRow) -> int:
        unit = current_unit.get()
        if unit is not None:
            if row.event_id is None:
                row = dataclasses.replace(row, event_id=unit.event_id)
            if unit.names and not row.names:
                row, unit.names = dataclasses.replace(row, names=unit.names), ()
        async with self.repo.db.transaction() as tx:
            row_id = await self.repo.add(tx, row, self._clock.now())
            if self._listener is not None:
                written = OutboxRow(
                    id=row_id, **{f.name: getattr(row, f.name) for f in dataclasses.fields(row)}
                )
                tx.on_commit(functools.partial(self._listener, written))
        if unit is not None:
            unit.rows.append(row_id)
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
        names: Sequence[int] = (),
    ) -> list[int]:
        """One message to each of `peer_ids`, up to 100 recipients per call; the row ids.
        `names`: people whose VK names the delivery asks for in the same request."""
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
                        names=tuple(names) if start == 0 else (),
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


def _clean(**params: Any) -> dict[str, Any]:
    return {k: v for k, v in params.items() if v is not None}


class _Retry(Exception):
    """VK did not take the call this round; the row is tried again later."""


@dataclass(eq=False)
class _Job:
    """One row on its way: what is sent for it this round."""

    row: OutboxRow
    # Parameters of the send once its upload is done, or its fallback's after an upload failed.
    params: dict[str, Any] | None = None
    # An edit VK refused (or whose message never went out) goes as a new message instead.
    fallback: bool = False


@dataclass(frozen=True, slots=True)
class _Done:
    row: OutboxRow
    deliveries: list[Delivery]
    error: int | None


def _says(row: OutboxRow) -> frozenset[int]:
    """Whom the row may put a new message in front of: a send, or an edit that may become one."""
    if row.kind == "send" or row.fallback is not None:
        return frozenset(row.peers)
    return frozenset()


def batches(rows: Sequence[OutboxRow]) -> list[list[OutboxRow]]:
    """Rows ready together, in order, cut into what can travel in one request_many: at most
    one new message per person (so a retried one cannot land after a later one), an upload on
    its own, an edit of a message this outbox sent after that message, and no more calls than
    one execute holds."""
    out: list[list[OutboxRow]] = []
    current: list[OutboxRow] = []
    said: set[int] = set()
    calls = 0
    for row in rows:
        says = _says(row)
        extra = 1 + (1 if row.names and not any(r.names for r in current) else 0)
        if current and (
            row.upload is not None
            or current[-1].upload is not None
            or row.ref_id is not None
            or says & said
            or calls + extra > MAX_BATCH
        ):
            out.append(current)
            current, said, calls = [], set(), 0
            extra = 1 + (1 if row.names else 0)
        current.append(row)
        said |= says
        calls += extra
    if current:
        out.append(current)
    return out


class Sender:
    """Delivers the outbox: one person's rows in order, people concurrently, rows committed
    together in one request."""

    def __init__(
        self,
        outbox: Outbox,
        messenger: Messenger,
        users: UsersRepo,
        clock: Clock,
        default_locale: str,
    ) -> None:
        self._outbox = outbox
        self._default_locale = default_locale
        self._repo = outbox.repo
        self._messenger = messenger
        self._users = users
        self._clock = clock
        self._hooks: dict[str, tuple[Hook, Prepare | None]] = {}
        self._incoming: list[OutboxRow] = []
        self._taking = False
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

    # --- what to deliver -----------------------------------------------------------------
    async def start(self) -> None:
        """Take the rows an earlier run left undelivered; from now on rows arrive as they
        commit."""
        self._outbox.listen(self.submit, self.flush)
        submitted = {row.id for row in self._incoming}
        left = [row for row in await self._repo.pending() if row.id not in submitted]
        if left:
            logger.info("{} outbox rows left by the last run are delivered now", len(left))
        self._incoming[:0] = left
        self._take()

    def stop(self) -> None:
        """Rounds waiting for their next try are cut short (those rows wait for the next
        start); what is being delivered finishes."""
        self._stopping.set()

    def submit(self, row: OutboxRow) -> None:
        """A row has committed. Rows committed in the same moment are taken together."""
        self._incoming.append(row)
        if not self._taking:
            self._taking = True
            # A clean context: the committing task's (its hold on the write lock, its update)
            # must not leak into deliveries.
            asyncio.get_running_loop().call_soon(self._take, context=contextvars.Context())

    def _take(self) -> None:
        self._taking = False
        rows, self._incoming = self._incoming, []
        for batch in batches(rows):
            self._schedule(batch)

    def _schedule(self, batch: list[OutboxRow]) -> None:
        peers = {peer for row in batch for peer in row.peers}
        before = {self._tails[peer] for peer in peers if peer in self._tails}
        task = asyncio.get_running_loop().create_task(
            self._deliver_after(batch, before), context=contextvars.Context()
        )
        self._tasks.add(task)
        for peer in peers:
            self._tails[peer] = task

        def done(task: asyncio.Task[None]) -> None:
            self._tasks.discard(task)
            for peer in peers:
                if self._tails.get(peer) is task:
                    del self._tails[peer]

        task.add_done_callback(done)

    async def flush(self) -> None:
        """Deliver everything committed so far (and what delivering it writes: a report of
        what did not arrive); after stop(), a row waiting for its next round stays pending."""
        while self._incoming or self._tasks:
            self._take()
            await asyncio.gather(*list(self._tasks), return_exceptions=True)

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

    # --- one batch -----------------------------------------------------------------------
    async def _deliver_after(self, batch: list[OutboxRow], before: set[asyncio.Task[None]]) -> None:
        try:
            if before:
                await asyncio.gather(*before, return_exceptions=True)
            await self._deliver([_Job(row) for row in batch])
        except Exception:
            ids = [row.id for row in batch]
            logger.exception("Outbox rows {} failed in the sender; kept for the next start", ids)
        finally:
            for row in batch:
                self._settle(row.id)

    async def _deliver(self, jobs: list[_Job]) -> None:
        names = sorted({n for job in jobs for n in job.row.names})
        for attempt, delay in enumerate((*self.round_delays, None)):
            try:
                jobs, problem = await self._attempt(jobs, names)
            except _Retry as exc:
                problem = str(exc)
            names = []  # asked once: on a failure the handlers ask VK themselves when they must
            if not jobs:
                return
            ids = [job.row.id for job in jobs]
            if delay is None or self._stopping.is_set():
                logger.error(
                    "Outbox rows {} not delivered after {} rounds ({}); kept for the next start",
                    ids,
                    attempt + 1,
                    problem,
                )
                return
            logger.warning(
                "Outbox rows {} not delivered ({}), next round in {}s", ids, problem, delay
            )
            # A pause before the next round, cut short by stop(): not a wait for an event.
            try:
                await asyncio.wait_for(self._stopping.wait(), delay)
            except TimeoutError:
                continue
            return

    async def _attempt(self, jobs: list[_Job], names: list[int]) -> tuple[list[_Job], str]:
        """One round: every job's call in one request_many (an edit VK refused goes again as a
        new message right after). Records what is done; returns the jobs left and why."""
        done: list[_Done] = []
        left: list[_Job] = []
        problem = ""
        learned: dict[int, tuple[str, str]] = {}
        while jobs:
            calls: list[Call] = []
            sent: list[_Job] = []
            for job in jobs:
                call = await self._call_for(job)
                if call is None:
                    done.append(_Done(job.row, [], None))
                else:
                    calls.append(call)
                    sent.append(job)
            if names:
                calls.append(("users.get", {"user_ids": ",".join(map(str, names))}))
            outcomes = await self._request(calls) if calls else []
            if names:
                learned = _names(outcomes.pop())
                names = []
            jobs = []
            for job, outcome in zip(sent, outcomes, strict=True):
                code = None if outcome is None else _code(outcome)
                if outcome is None or code in RETRIED_CODES:
                    problem = "no answer" if outcome is None else f"VK error {code}"
                    left.append(job)
                elif job.row.kind == "send" or job.fallback:
                    done.append(_Done(job.row, *_deliveries(job.row, outcome)))
                elif code is not None and job.row.fallback is not None:
                    logger.info("messages.edit in {} refused ({}): sent anew", job.row.peers, code)
                    job.fallback = True
                    jobs.append(job)
                else:
                    if code is not None:
                        logger.info("{} to {} refused: {}", job.row.kind, job.row.peers, code)
                    done.append(_Done(job.row, [], code))
        await self._record(done, learned)
        return left, problem

    async def _request(self, calls: list[Call]) -> list[dict[str, Any] | None]:
        """Each call's answer, None where none came back (VK may or may not have done it)."""
        try:
            return list(await self._messenger.api.request_many(calls))
        except VKUnavailable as exc:
            return list(exc.results) if exc.results is not None else [None] * len(calls)

    async def _call_for(self, job: _Job) -> Call | None:
        """The call that delivers the job now; None when there is nothing left to deliver."""
        row = job.row
        peer = row.peers[0]
        if row.kind == "answer":
            return "messages.sendMessageEventAnswer", {**row.params, "peer_id": peer}
        if row.kind == "edit" and not job.fallback:
            params = dict(row.params)
            if "conversation_message_id" not in params and row.ref_id is not None:
                cmid = await self._repo.delivered_cmid(row.ref_id, peer)
                if cmid is not None:
                    params["conversation_message_id"] = cmid
            if "conversation_message_id" in params:
                return "messages.edit", {**params, "peer_id": peer, "dont_parse_links": 1}
            if row.fallback is None:
                logger.info("Outbox row {}: the message it edits never went out", row.id)
                return None
            job.fallback = True
        if job.params is None and row.upload is not None and row.upload_data is not None:
            job.params = await self._upload(row)
        if job.params is not None:
            params = job.params
        elif job.fallback and row.fallback is not None:
            params = row.fallback
        else:
            params = row.params
        send = {"peer_ids": ",".join(map(str, row.peers)), "random_id": row.random_id}
        return "messages.send", {**params, **send, "dont_parse_links": 1}

    async def _upload(self, row: OutboxRow) -> dict[str, Any]:
        """The send's parameters with the uploaded file attached, recorded so that a later
        round or start does not upload it again; the fallback's if the upload fails."""
        assert row.upload_data is not None
        peer = row.peers[0]
        try:
            if row.upload == "photo":
                attachment = await upload_photo(self._messenger, peer, row.upload_data)
            else:
                name = row.upload_name or "file"
                attachment = await upload_document(self._messenger, peer, name, row.upload_data)
        except VKUnavailable as exc:
            raise _Retry(str(exc)) from None
        except Exception:
            logger.exception("Upload for outbox row {} failed", row.id)
            return dict(row.fallback) if row.fallback is not None else dict(row.params)
        params = {**row.params, "attachment": attachment}
        await self._repo.set_attachment(row.id, params)
        return params

    async def _record(self, done: list[_Done], names: dict[int, tuple[str, str]]) -> None:
        """What was delivered (and what VK said back) in one transaction."""
        if not done and not names:
            return
        hooks = []
        for d in done:
            name, _, arg = (d.row.purpose or "").partition(":")
            hook, prepare = self._hooks.get(name, (None, None))
            if prepare is not None:
                await prepare(arg, d.deliveries)
            hooks.append((hook, arg))
        now = self._clock.now()
        async with self._repo.db.transaction() as tx:
            for d, (hook, arg) in zip(done, hooks, strict=True):
                await self._repo.finish(tx, d.row.id, d.deliveries, d.error, now)
                for delivery in d.deliveries:
                    if delivery.error == NOT_ALLOWED:
                        # Remembered so the menu and reports can say so.
                        await self._users.ensure(
                            delivery.peer_id, locale=self._default_locale, now=now
                        )
                        await self._users.set_messages_allowed(delivery.peer_id, False, now)
                if hook is not None:
                    await hook(tx, arg, d.row, d.deliveries)
            if names:
                await self._users.learn_names(names, locale=self._default_locale, now=now)
        for d in done:
            for delivery in d.deliveries:
                if not delivery.ok:
                    logger.warning(
                        "Outbox row {} to {}: VK error {}",
                        d.row.id,
                        delivery.peer_id,
                        delivery.error,
                    )


def _code(outcome: dict[str, Any]) -> int | None:
    error = outcome.get("error")
    return int(error.get("error_code") or 0) if isinstance(error, dict) else None


def _deliveries(row: OutboxRow, outcome: dict[str, Any]) -> tuple[list[Delivery], int | None]:
    """Each recipient's outcome of a send: VK's per-peer list, or the call's one error."""
    code = _code(outcome)
    if code is not None:
        return [Delivery(p, error=code) for p in row.peers], code
    return [_delivery(item) for item in outcome.get("response") or []], None


def _delivery(item: dict[str, Any]) -> Delivery:
    error = item.get("error")
    return Delivery(
        peer_id=int(item["peer_id"]),
        message_id=item.get("message_id") or None,
        conversation_message_id=item.get("conversation_message_id") or None,
        error=int(error.get("code", 0)) if isinstance(error, dict) else None,
    )


def _names(outcome: dict[str, Any] | None) -> dict[int, tuple[str, str]]:
    """users.get's answer as {id: (first, last)}; nothing if it failed."""
    users = (outcome or {}).get("response")
    if not isinstance(users, list):
        return {}
    return {
        int(u["id"]): (str(u.get("first_name", "")), str(u.get("last_name", "")))
        for u in users
        if isinstance(u, dict) and "id" in u
    }
