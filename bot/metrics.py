"""What Prometheus scrapes at /metrics (bot/health.py serves it).

Counters live in the process's default registry, as prometheus-client expects: one bot per
process. The gauges of state (queue depth, applications by status) are set at each scrape from
the running app, so they are never stale.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from typing import Any

from prometheus_client import Counter, Gauge, Histogram
from vkbottle import VKAPIError

from bot.vk_api import Call, RateLimiter, VKApi, VKUnavailable

UPDATES = Counter("bot_updates_total", "Updates handled, by VK event type", ["type"])
HANDLER_ERRORS = Counter("bot_handler_errors_total", "Handlers that failed with an error")
VK_REQUESTS = Counter(
    "bot_vk_requests_total",
    "VK API requests by method and outcome (ok, a VK error code, or unavailable)",
    ["method", "code"],
)
RATE_WAIT = Histogram(
    "bot_rate_limiter_wait_seconds",
    "Time a VK request waited for the rate limiter",
    buckets=(0.001, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2, 5),
)
QUEUE_DEPTH = Gauge("bot_queue_depth", "Updates stored and waiting for their user's worker")
APPLICATIONS = Gauge("bot_applications", "Applications by status", ["status"])


class TimedRateLimiter(RateLimiter):
    """Observes each request's wait for its slot: a request let out at once (the limiter had
    room) waited zero, one that queued waited until the pump took a slot for it."""

    async def acquire(self) -> None:
        started = time.monotonic()
        await super().acquire()
        RATE_WAIT.observe(time.monotonic() - started)

    def try_acquire(self) -> bool:
        taken = super().try_acquire()
        if taken:
            RATE_WAIT.observe(0)
        return taken


class MeteredVKApi(VKApi):
    """VKApi that counts each request's outcome and times its wait for the rate limiter."""

    def __init__(self, token: str, url: str, version: str, rps: int) -> None:
        super().__init__(token, url, version, rps)
        self.limiter = TimedRateLimiter(rps)

    async def request(
        self, method: str, data: dict[str, Any], version: str | None = None
    ) -> dict[str, Any]:
        try:
            answer = await super().request(method, data, version)
        except VKAPIError as exc:
            VK_REQUESTS.labels(method, str(exc.code)).inc()
            raise
        except VKUnavailable:
            VK_REQUESTS.labels(method, "unavailable").inc()
            raise
        VK_REQUESTS.labels(method, "ok").inc()
        return answer

    async def request_many(self, calls: Sequence[Call]) -> list[dict[str, Any]]:  # type: ignore[override]
        try:
            answers = await super().request_many(calls)
        except VKUnavailable as exc:
            _count(calls, exc.results or [None] * len(calls))
            raise
        _count(calls, answers)
        return answers


def _count(calls: Sequence[Call], answers: Sequence[dict[str, Any] | None]) -> None:
    """Each call of a request_many as if it had been a request of its own."""
    for (method, _), answer in zip(calls, answers, strict=False):
        error = None if answer is None else answer.get("error")
        if answer is None:
            code = "unavailable"
        elif isinstance(error, dict):
            code = str(error.get("error_code"))
        else:
            code = "ok"
        VK_REQUESTS.labels(method, code).inc()
