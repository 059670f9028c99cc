"""Before the bot serves: is VK_API_URL a VK API, is VK_TOKEN a token of VK_GROUP_ID?

A mistake in these settings never heals by retrying, so it stops the process with one line
(exit 2, which systemd's Restart=on-failure reports instead of hiding); only what may heal (the
network, HTTP 5xx, VK's errors 6/9/10) is retried with backoff. Requests go out raw, not through
the bot's VKApi, because the answer's kind (HTML, a 404, error 5) is the diagnosis here.
"""

from __future__ import annotations

import asyncio
import json
import sqlite3
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import aiohttp
from loguru import logger

from bot.config import Settings
from bot.deployer import say

TRANSIENT_CODES = frozenset({6, 9, 10})
START_DELAYS: tuple[float, ...] = (0.5, 1, 2, 5, 10, 30)


class Transient(Exception):
    """May heal by itself: the network, HTTP 5xx, VK's 6/9/10."""


class NotVK(Exception):
    """What answers at VK_API_URL is not VK's API."""


class ApiError(Exception):
    def __init__(self, code: int, message: str) -> None:
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message


class StartupError(Exception):
    """One line for the deployer naming the setting and the fix; exit 2."""


@dataclass(frozen=True, slots=True)
class Identity:
    group_id: int
    name: str


class RawVK:
    """VK's HTTP API with each kind of failure told apart (see the module's docstring)."""

    def __init__(self, settings: Settings, session: aiohttp.ClientSession) -> None:
        self._settings = settings
        self._session = session

    async def __call__(self, method: str, **params: object) -> Any:
        s = self._settings
        data = {k: str(v) for k, v in params.items()}
        data |= {"access_token": s.vk_token.get_secret_value(), "v": s.vk_api_version}
        try:
            async with self._session.post(
                s.vk_api_url + method, data=data, timeout=aiohttp.ClientTimeout(total=30)
            ) as response:
                status, kind, body = response.status, response.content_type, await response.text()
        except (TimeoutError, aiohttp.ClientError) as exc:
            raise Transient(f"{type(exc).__name__}: {exc}") from None
        if status >= 500:
            raise Transient(f"HTTP {status}")
        try:
            parsed = json.loads(body)
        except ValueError:
            parsed = None
        if not isinstance(parsed, dict) or not ({"response", "error"} & parsed.keys()):
            raise NotVK(f"HTTP {status}, {kind}")
        error = parsed.get("error")
        if isinstance(error, dict):
            code, message = int(error.get("error_code") or 0), str(error.get("error_msg") or "")
            if code in TRANSIENT_CODES:
                raise Transient(f"VK error {code}")
            # 3: no such method, i.e. the URL's path is not VK's /method/.
            if code == 3:
                raise NotVK(f"VK error 3: {message}")
            raise ApiError(code, message)
        return parsed["response"]


async def identify(vk: RawVK, settings: Settings) -> Identity:
    """Whose token this is; StartupError when it is not VK_GROUP_ID's (Transient passes up)."""
    expected = settings.vk_group_id
    try:
        answer = await vk("groups.getById")
        group = answer["groups"][0]
        actual, name = int(group["id"]), str(group.get("name") or "")
    except NotVK as exc:
        raise StartupError(say("start-not-vk", url=settings.vk_api_url, reason=str(exc))) from None
    except ApiError as exc:
        if exc.code == 5:
            raise StartupError(say("start-token", reason=exc.message)) from None
        if exc.code in (100, 27):
            # A user's or an app's token: groups.getById without ids names no community.
            raise StartupError(say("start-user-token", reason=exc.message)) from None
        raise StartupError(say("start-vk-error", reason=str(exc))) from None
    except (KeyError, IndexError, TypeError, ValueError):
        raise StartupError(
            say("start-not-vk", url=settings.vk_api_url, reason="groups.getById")
        ) from None
    if actual == expected:
        return Identity(actual, name)
    try:
        await vk("groups.getById", group_id=expected)
    except ApiError as exc:
        if exc.code == 100:
            raise StartupError(say("start-no-group", expected=expected, actual=actual)) from None
    raise StartupError(say("start-other-group", expected=expected, actual=actual, name=name))


async def verify(
    settings: Settings,
    delays: tuple[float, ...] = START_DELAYS,
    pause: Callable[[float], Awaitable[None]] = asyncio.sleep,
) -> Identity:
    """identify(), retrying what is transient with growing pauses until VK answers."""
    attempt = 0
    async with aiohttp.ClientSession() as session:
        vk = RawVK(settings, session)
        while True:
            try:
                return await identify(vk, settings)
            except Transient as exc:
                delay = delays[min(attempt, len(delays) - 1)]
                attempt += 1
                logger.error(say("start-retry", reason=str(exc), attempt=attempt, delay=delay))
                await pause(delay)


def probe_database(path: Path) -> None:
    """Can the bot open and write ``path``? Asked before anything else touches it, so the
    answer is one line instead of a traceback from deep inside the first query."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(path, timeout=5)
        try:
            conn.execute("BEGIN IMMEDIATE")
            conn.execute("ROLLBACK")
        finally:
            conn.close()
    except (OSError, sqlite3.Error) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        raise StartupError(say("start-database", path=str(path), reason=reason)) from None
