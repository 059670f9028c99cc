"""The Callback API endpoint: VK posts each event here instead of the bot polling for it.

Behind the deployer's reverse proxy (which terminates HTTPS), on CALLBACK_HOST:CALLBACK_PORT
at CALLBACK_URL's path. `confirmation` is answered with the community's current code (read
from VK each time: VK may change it); any other event must carry CALLBACK_SECRET, is stored in
the same durable inbox as long poll's updates (a repeated event_id dropped there) and answered
`ok` at once: VK retries an event whose answer is slow or not `ok`, so handling runs after
the answer, never before it.
"""

from __future__ import annotations

import asyncio
import hmac
import json
from collections.abc import Awaitable, Callable
from typing import Any

from aiohttp import web
from loguru import logger

from bot.config import Settings
from bot.updates import UpdateRunner

CodeSource = Callable[[], Awaitable[str]]


class CallbackEndpoint:
    def __init__(self, settings: Settings, runner: UpdateRunner, code: CodeSource) -> None:
        self._settings = settings
        self._runner = runner
        self._code = code
        self._site: web.AppRunner | None = None
        self._pending: list[tuple[dict[str, Any], asyncio.Future[None]]] = []
        self._writer: asyncio.Task[None] | None = None
        self.port = 0

    async def start(self) -> None:
        app = web.Application(client_max_size=1024 * 1024)
        app.router.add_post(self._settings.callback_path, self._on_event)
        self._site = web.AppRunner(app, access_log=None, shutdown_timeout=1.0)
        await self._site.setup()
        s = self._settings
        await web.TCPSite(self._site, s.callback_host, s.callback_port).start()
        self.port = int(self._site.addresses[0][1])
        logger.info("Callback API endpoint on {}:{}{}", s.callback_host, self.port, s.callback_path)

    async def stop(self) -> None:
        if self._site is not None:
            await self._site.cleanup()
            self._site = None

    async def _on_event(self, request: web.Request) -> web.StreamResponse:
        try:
            body: Any = json.loads(await request.text())
        except ValueError:
            body = None
        if not isinstance(body, dict):
            return web.Response(status=400, text="bad request")
        if body.get("group_id") != self._settings.vk_group_id:
            logger.warning("Callback event for another group {} refused", body.get("group_id"))
            return web.Response(status=403, text="wrong group")
        if body.get("type") == "confirmation":
            return web.Response(text=await self._code())
        secret = self._settings.callback_secret.get_secret_value()
        given = str(body.pop("secret", ""))
        if secret and not hmac.compare_digest(given.encode(), secret.encode()):
            logger.warning("Callback event {} with a wrong secret refused", body.get("event_id"))
            return web.Response(status=403, text="wrong secret")
        retry = request.headers.get("X-Retry-Counter")
        if retry:
            logger.info("Callback event {} delivered again (retry {})", body.get("event_id"), retry)
        try:
            await self._store(body)
        except Exception:
            # Not stored, so not `ok`: VK posts it again later.
            logger.exception("Callback event {} could not be stored", body.get("event_id"))
            return web.Response(status=500, text="retry")
        return web.Response(text="ok")

    async def _store(self, body: dict[str, Any]) -> None:
        """Resolve once ``body`` is committed to the inbox. Events that arrive while one
        commit runs share the next: VK posts in bursts, and a commit (an fsync) per event
        would make the last of a burst wait for all the others one by one."""
        done = asyncio.get_running_loop().create_future()
        self._pending.append((body, done))
        if self._writer is None or self._writer.done():
            self._writer = asyncio.create_task(self._write())
        await done

    async def _write(self) -> None:
        while self._pending:
            batch, self._pending = self._pending, []
            try:
                await self._runner.accept([body for body, _ in batch])
            except Exception as exc:
                for _, done in batch:
                    done.set_exception(exc)
            else:
                for _, done in batch:
                    done.set_result(None)
