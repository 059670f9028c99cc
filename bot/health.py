"""/healthz and /metrics on 127.0.0.1:HEALTH_PORT, off by default.

/healthz is what a monitor or a load balancer asks: 200 when VK's updates are reaching the bot
(long poll connected, or the Callback API endpoint listening) and the database takes a write;
503 otherwise. The age of the last handled update is reported but does not fail the check: a
quiet night is not an outage.
"""

from __future__ import annotations

import sqlite3

from aiohttp import web
from loguru import logger
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

from bot import metrics
from bot.clock import Clock
from bot.updates import UpdateRunner
from storage.applications import ApplicationsRepo
from storage.db import Database
from storage.inbox import InboxRepo
from storage.models import AppStatus

HOST = "127.0.0.1"


class HealthServer:
    def __init__(
        self,
        port: int,
        mode: str,
        runner: UpdateRunner,
        db: Database,
        clock: Clock,
    ) -> None:
        self._port = port
        self._mode = mode
        self._runner = runner
        self._db = db
        self._inbox = InboxRepo(db)
        self._applications = ApplicationsRepo(db)
        self._clock = clock
        self._site: web.AppRunner | None = None
        self.port = 0

    async def start(self) -> None:
        app = web.Application()
        app.router.add_get("/healthz", self._healthz)
        app.router.add_get("/metrics", self._metrics)
        self._site = web.AppRunner(app, access_log=None, shutdown_timeout=1.0)
        await self._site.setup()
        await web.TCPSite(self._site, HOST, self._port).start()
        self.port = int(self._site.addresses[0][1])
        logger.info("Health and metrics on http://{}:{}/healthz, /metrics", HOST, self.port)

    async def stop(self) -> None:
        if self._site is not None:
            await self._site.cleanup()
            self._site = None

    async def _writable(self) -> bool:
        # An empty write transaction: it waits for SQLite's busy timeout (5 s) when another
        # process holds the database, then fails, which is the answer.
        try:
            async with self._db.transaction():
                pass
        except (sqlite3.Error, ValueError):
            return False
        return True

    async def _healthz(self, request: web.Request) -> web.StreamResponse:
        connected = self._runner.connected.is_set()
        writable = await self._writable()
        last = await self._inbox.last_done() if writable else None
        healthy = connected and writable
        body = {
            "status": "ok" if healthy else "unhealthy",
            "mode": self._mode,
            "connected": connected,
            "database_writable": writable,
            "last_update_age_seconds": None if last is None else self._clock.now() - last,
        }
        return web.json_response(body, status=200 if healthy else 503)

    async def _metrics(self, request: web.Request) -> web.StreamResponse:
        metrics.QUEUE_DEPTH.set(self._runner.depth)
        counts = await self._applications.count_by_status()
        for status in AppStatus:
            metrics.APPLICATIONS.labels(status.value).set(counts.get(status.value, 0))
        return web.Response(body=generate_latest(), headers={"Content-Type": CONTENT_TYPE_LATEST})
