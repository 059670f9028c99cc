"""vkbottle's API with what it lacks for production: a request rate limit, retries, and batching
of waiting calls into VK's ``execute``."""

from __future__ import annotations

import asyncio
import functools
import json
import re
import time
from collections import Counter, deque
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import aiohttp
from loguru import logger
from vkbottle import API
from vkbottle.http import AiohttpClient

# 6: too many requests per second; 9: flood control; 10: internal server error. Each may go away
# within seconds; one that lasts longer ends as VKUnavailable after the last retry.
RETRIED_CODES = frozenset({6, 9, 10})
RETRY_DELAYS = (0.2, 0.5, 1.0, 2.0)

# VK runs at most 25 API calls in one execute (error 13 above).
MAX_BATCH = 25
# VK documents no size limit for execute's code. 60 KB keeps one execute within what a few long
# messages sent one by one would weigh; a single call bigger than that goes out as itself.
MAX_CODE_BYTES = 60_000
# Never inside an execute: an execute cannot hold another one.
UNBATCHED = frozenset({"execute"})

Call = tuple[str, dict[str, Any]]
_INT = re.compile(r"-?\d+")


class VKUnavailable(Exception):
    """VK (or what stands at VK_API_URL) did not answer usefully after every retry.

    From request_many, ``results`` holds what is known of each call: its answer, or None where
    no answer ever came back (VK may or may not have done that call).
    """

    def __init__(self, message: str, results: list[dict[str, Any] | None] | None = None) -> None:
        super().__init__(message)
        self.results = results


# VK counts a request at some instant between our sending it and its answer reaching us (a busy
# event loop or the network can delay it by a good part of a second), so a request holds its
# slot from the moment it is let out until WINDOW after its answer or failure.
WINDOW = 1.05


class RateLimiter:
    """At most `rate` requests in any WINDOW seconds as VK counts them; waiters go in order."""

    def __init__(self, rate: int) -> None:
        self.rate = rate
        self._open = 0  # let out, no answer yet
        self._ends: deque[float] = deque()  # when recent answers came, oldest first
        self._lock = asyncio.Lock()
        self._released = asyncio.Event()

    def _has_room(self, now: float) -> bool:
        while self._ends and now - self._ends[0] >= WINDOW:
            self._ends.popleft()
        return self._open + len(self._ends) < self.rate

    async def acquire(self) -> None:
        """Waits for a slot; the caller must release() it when the request is over."""
        async with self._lock:
            while True:
                now = time.monotonic()
                if self._has_room(now):
                    self._open += 1
                    return
                if self._ends:
                    # Pacing, not waiting for an event: the oldest answer's slot opens at a
                    # known time, and a request finishing now would free its slot only later.
                    await asyncio.sleep(WINDOW - (now - self._ends[0]) + 0.001)
                else:
                    self._released.clear()
                    await self._released.wait()

    def try_acquire(self) -> bool:
        """Takes a slot only if one is free now and nobody is waiting for one."""
        if self._lock.locked() or not self._has_room(time.monotonic()):
            return False
        self._open += 1
        return True

    def give_back(self) -> None:
        """Returns a slot that carried no request."""
        self._open -= 1
        self._released.set()

    def release(self) -> None:
        self._open -= 1
        self._ends.append(time.monotonic())
        self._released.set()


@dataclass(frozen=True)
class _NoAnswer:
    """A request that came back with nothing usable: VK may or may not have done the call."""

    problem: str


Outcome = dict[str, Any] | _NoAnswer


@dataclass(eq=False)
class _Group:
    """Calls of one caller that travel in one request, in their order."""

    calls: list[Call]
    version: str | None
    script: list[str]
    future: asyncio.Future[list[Outcome]] = field(
        default_factory=lambda: asyncio.get_running_loop().create_future()
    )

    @functools.cached_property
    def peers(self) -> frozenset[int]:
        """Whom the calls write to (or answer)."""
        found: set[int] = set()
        for _, data in self.calls:
            for key in ("peer_id", "peer_ids", "user_id"):
                found.update(int(x) for x in str(data.get(key, "")).split(",") if _INT.fullmatch(x))
        return frozenset(found)

    @functools.cached_property
    def weight(self) -> int:
        return sum(_size(part) for part in self.script)

    @property
    def alone(self) -> bool:
        """Goes out as its own request: a call of another API version, an execute, or too big."""
        return (
            self.version is not None
            or any(method in UNBATCHED for method, _ in self.calls)
            or self.weight > MAX_CODE_BYTES
        )


class VKApi(API):
    def __init__(self, token: str, url: str, version: str, rps: int) -> None:
        self.client = AiohttpClient()
        super().__init__(token, http_client=self.client)
        self.API_URL = url
        self.API_VERSION = version
        self.limiter = RateLimiter(rps)
        self.retry_delays: tuple[float, ...] = RETRY_DELAYS
        # Off only to measure what batching gains (bench/burst_bench.py): every call then goes
        # out as itself, request_many's too.
        self.batching = True
        self._queue: deque[_Group] = deque()
        self._pump: asyncio.Task[None] | None = None
        self._in_flight: set[asyncio.Task[None]] = set()
        self._busy: Counter[int] = Counter()  # people written to by requests in flight
        self._progress = asyncio.Event()  # a request in flight has ended

    async def request(
        self, method: str, data: dict[str, Any], version: str | None = None
    ) -> dict[str, Any]:
        data = await self.validate_request(data)
        if version == self.API_VERSION:
            version = None
        problem = ""
        for attempt, delay in enumerate((*self.retry_delays, None)):
            [outcome] = await self._send([(method, data)], version)
            if isinstance(outcome, _NoAnswer):
                problem = outcome.problem
            elif _error_code(outcome) in RETRIED_CODES:
                problem = f"VK error {_error_code(outcome)}"
            else:
                return await self.validate_response(method, data, outcome)  # type: ignore[no-any-return]
            if delay is None:
                break
            logger.warning("{} failed ({}), retry {} in {}s", method, problem, attempt + 1, delay)
            await asyncio.sleep(delay)
        raise VKUnavailable(f"{method}: {problem}")

    # vkbottle's request_many is an unused generator of one request per call; ours sends the
    # calls together. Nothing in vkbottle calls it, so the different signature breaks nothing.
    async def request_many(self, calls: Sequence[Call]) -> list[dict[str, Any]]:  # type: ignore[override]
        """The calls in order, each answered as a direct call would be: ``{"response": ...}`` or
        ``{"error": {"error_code", "error_msg"}}`` (never raised).

        They go out as one execute per 25 (one rate-limiter slot each), a chunk only after the
        one before it was answered. Errors 6, 9 and 10 and lost answers are retried per call,
        only the failed calls, in their order and before the calls not yet sent (a call after
        a failed one in the same execute was already done by VK, so it stays ahead). Raises
        VKUnavailable (with what is known in ``results``) if some call got no answer at all.
        """
        prepared = [(method, await self.validate_request(dict(data))) for method, data in calls]
        scripts = [_script(call) for call in prepared]
        results: list[dict[str, Any] | None] = [None] * len(prepared)
        tries = [0] * len(prepared)
        lost: dict[int, str] = {}
        todo = list(range(len(prepared)))
        while todo:
            chunk = self._chunk([prepared[i] for i in todo], [scripts[i] for i in todo])
            sent = todo[:chunk]
            outcomes = await self._send(
                [prepared[i] for i in sent], None, [scripts[i] for i in sent]
            )
            retry = []
            for i, outcome in zip(sent, outcomes, strict=True):
                failed = isinstance(outcome, _NoAnswer) or _error_code(outcome) in RETRIED_CODES
                if failed and tries[i] < len(self.retry_delays):
                    retry.append(i)
                elif isinstance(outcome, _NoAnswer):
                    lost[i] = outcome.problem
                else:
                    results[i] = outcome
            todo = retry + todo[chunk:]
            if retry:
                delay = self.retry_delays[max(tries[i] for i in retry)]
                for i in retry:
                    tries[i] += 1
                logger.warning(
                    "{} of {} batched calls failed, retry in {}s", len(retry), chunk, delay
                )
                await asyncio.sleep(delay)
        if lost:
            first = min(lost)
            raise VKUnavailable(f"{prepared[first][0]}: {lost[first]}", results)
        return [r for r in results if r is not None]

    def _chunk(self, calls: list[Call], scripts: list[str]) -> int:
        """How many of the calls, from the first, go in the next request."""
        if not self.batching:
            return 1
        size = 0
        for n, ((method, _), script) in enumerate(zip(calls[:MAX_BATCH], scripts, strict=False)):
            size += _size(script)
            if method in UNBATCHED or size > MAX_CODE_BYTES:
                return max(n, 1)
        return min(len(calls), MAX_BATCH)

    async def _send(
        self, calls: list[Call], version: str | None, scripts: list[str] | None = None
    ) -> list[Outcome]:
        """One request for the calls, now if the limiter has room, else with whatever else is
        waiting by then (up to 25 calls in one execute)."""
        group = _Group(calls, version, scripts or [_script(call) for call in calls])
        if not self.batching:
            await self.limiter.acquire()
            await self._deliver([group])
        elif not self._queue and not group.peers & self._busy.keys() and self.limiter.try_acquire():
            await self._deliver([group])
        else:
            self._queue.append(group)
            if self._pump is None:
                self._pump = asyncio.create_task(self._run_pump())
        return await group.future

    async def _run_pump(self) -> None:
        try:
            while self._queue:
                await self.limiter.acquire()
                batch = self._take()
                if not batch:
                    self.limiter.give_back()
                    if self._queue:
                        # Everyone waiting writes to a person a request in flight writes to.
                        self._progress.clear()
                        await self._progress.wait()
                    continue
                task = asyncio.create_task(self._deliver(batch))
                self._in_flight.add(task)
                task.add_done_callback(self._in_flight.discard)
        finally:
            self._pump = None

    def _take(self) -> list[_Group]:
        """Waiting groups in order, as many as fit in one execute. A group that writes to a
        person whom a request in flight (or a group left waiting) writes to stays, so one
        person's calls reach VK one request after another, in the order they were made."""
        batch: list[_Group] = []
        kept: deque[_Group] = deque()
        blocked = set(self._busy)
        calls = size = 0
        full = False
        for group in self._queue:
            if group.future.done():  # its caller gave up (cancelled): nothing to send
                continue
            fits = not batch or (
                not group.alone
                and calls + len(group.calls) <= MAX_BATCH
                and size + group.weight <= MAX_CODE_BYTES
            )
            if full or not fits or group.peers & blocked:
                full = full or not fits
                blocked |= group.peers
                kept.append(group)
                continue
            batch.append(group)
            calls, size = calls + len(group.calls), size + group.weight
            full = group.alone
        self._queue = kept
        return batch

    async def _deliver(self, batch: list[_Group]) -> None:
        """Sends the groups' calls as one request in the limiter slot taken for it and hands
        each group its outcomes."""
        calls = [call for group in batch for call in group.calls]
        peers = [peer for group in batch for peer in group.peers]
        self._busy.update(peers)
        try:
            if len(calls) == 1:
                method, data = calls[0]
                outcomes = [await self._post(method, data, batch[0].version)]
            else:
                code = "return [" + ",".join(s for g in batch for s in g.script) + "];"
                outcomes = _split(calls, await self._post("execute", {"code": code}, None))
        except asyncio.CancelledError:
            for group in batch:
                group.future.cancel()
            raise
        except Exception as exc:  # a bug here must reach every caller, not leave them waiting
            for group in batch:
                if not group.future.done():
                    group.future.set_exception(exc)
            return
        finally:
            self.limiter.release()
            self._busy.subtract(peers)
            for peer in peers:
                if self._busy[peer] <= 0:
                    del self._busy[peer]
            self._progress.set()
        start = 0
        for group in batch:
            if not group.future.done():
                group.future.set_result(outcomes[start : start + len(group.calls)])
            start += len(group.calls)

    async def _post(self, method: str, data: dict[str, Any], version: str | None) -> Outcome:
        try:
            async with (
                self.token_generator as token,
                self.client.request(
                    self.API_URL + method,
                    method="POST",
                    data=data,
                    params={"access_token": token, "v": version or self.API_VERSION},
                    timeout=aiohttp.ClientTimeout(total=30),
                ) as response,
            ):
                status, body = response.status, await response.text()
        except (TimeoutError, aiohttp.ClientError) as exc:
            return _NoAnswer(f"{type(exc).__name__}: {exc}")
        parsed = _json(body) if status < 500 else None
        return _NoAnswer(f"HTTP {status}, not a VK answer") if parsed is None else parsed

    async def close(self) -> None:
        for group in self._queue:
            group.future.cancel()
        self._queue.clear()
        for task in [*self._in_flight, *([self._pump] if self._pump else [])]:
            task.cancel()
        await asyncio.gather(*self._in_flight, return_exceptions=True)
        await self.http_client.close()


def _script(call: Call) -> str:
    """``API.messages.send({...})``: parameters as JSON, so every string is escaped as VKScript
    reads it."""
    method, data = call
    args = {
        k: v if isinstance(v, int | float) and not isinstance(v, bool) else str(v)
        for k, v in data.items()
    }
    return f"API.{method}({json.dumps(args, ensure_ascii=False, separators=(',', ':'))})"


def _size(script: str) -> int:
    return len(script.encode())


def _split(calls: list[Call], answer: Outcome) -> list[Outcome]:
    """An execute's answer as one direct-call answer per call."""
    if isinstance(answer, _NoAnswer):
        return [answer] * len(calls)
    if "error" in answer:
        # The whole execute was refused (rate limit, token...): so was each call in it.
        return [{"error": dict(answer["error"])} for _ in calls]
    response = answer.get("response")
    if not isinstance(response, list) or len(response) != len(calls):
        return [_NoAnswer(f"execute answered {str(answer)[:200]}")] * len(calls)
    errors = deque(e for e in answer.get("execute_errors", []) if isinstance(e, dict))
    outcomes: list[Outcome] = []
    for value in response:
        if value is False and errors:
            error = errors.popleft()
            code, message = error.get("error_code"), error.get("error_msg", "")
            outcomes.append({"error": {"error_code": code, "error_msg": message}})
        else:
            outcomes.append({"response": value})
    return outcomes


def _json(body: str) -> dict[str, Any] | None:
    try:
        value = json.loads(body)
    except ValueError:
        return None
    return value if isinstance(value, dict) else None


def _error_code(parsed: dict[str, Any]) -> int | None:
    error = parsed.get("error")
    return error.get("error_code") if isinstance(error, dict) else None
