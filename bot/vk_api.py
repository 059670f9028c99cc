"""vkbottle's API with what it lacks for production: a request rate limit and retries."""

from __future__ import annotations

import asyncio
import json
import time
from collections import deque
from typing import Any

import aiohttp
from loguru import logger
from vkbottle import API
from vkbottle.http import AiohttpClient

# 6: too many requests per second; 9: flood control; 10: internal server error. Each may go away
# within seconds; one that lasts longer ends as VKUnavailable after the last retry.
RETRIED_CODES = frozenset({6, 9, 10})
RETRY_DELAYS = (0.2, 0.5, 1.0, 2.0)


class VKUnavailable(Exception):
    """VK (or what stands at VK_API_URL) did not answer usefully after every retry."""


# VK counts requests when they arrive; network jitter can bring two starts that were a second
# apart closer together, so the window we keep is a little longer than VK's.
WINDOW = 1.1


class RateLimiter:
    """At most `rate` starts in any WINDOW seconds; waiters are served in order."""

    def __init__(self, rate: int) -> None:
        self.rate = rate
        self._starts: deque[float] = deque()
        self._lock = asyncio.Lock()

    async def acquire(self) -> None:
        async with self._lock:
            while True:
                now = time.monotonic()
                while self._starts and now - self._starts[0] >= WINDOW:
                    self._starts.popleft()
                if len(self._starts) < self.rate:
                    self._starts.append(now)
                    return
                # Pacing, not waiting for an event: the window opens at a known time.
                await asyncio.sleep(WINDOW - (now - self._starts[0]) + 0.001)


class VKApi(API):
    def __init__(self, token: str, url: str, version: str, rps: int) -> None:
        self.client = AiohttpClient()
        super().__init__(token, http_client=self.client)
        self.API_URL = url
        self.API_VERSION = version
        self.limiter = RateLimiter(rps)
        self.retry_delays: tuple[float, ...] = RETRY_DELAYS

    async def request(
        self, method: str, data: dict[str, Any], version: str | None = None
    ) -> dict[str, Any]:
        data = await self.validate_request(data)
        problem = ""
        for attempt, delay in enumerate((*self.retry_delays, None)):
            await self.limiter.acquire()
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
                problem = f"{type(exc).__name__}: {exc}"
            else:
                parsed = _json(body) if status < 500 else None
                if parsed is None:
                    problem = f"HTTP {status}, not a VK answer"
                elif _error_code(parsed) in RETRIED_CODES:
                    problem = f"VK error {_error_code(parsed)}"
                else:
                    return await self.validate_response(method, data, parsed)  # type: ignore[no-any-return]
            if delay is None:
                break
            logger.warning("{} failed ({}), retry {} in {}s", method, problem, attempt + 1, delay)
            await asyncio.sleep(delay)
        raise VKUnavailable(f"{method}: {problem}")

    async def close(self) -> None:
        await self.http_client.close()


def _json(body: str) -> dict[str, Any] | None:
    try:
        value = json.loads(body)
    except ValueError:
        return None
    return value if isinstance(value, dict) else None


def _error_code(parsed: dict[str, Any]) -> int | None:
    error = parsed.get("error")
    return error.get("error_code") if isinstance(error, dict) else None
