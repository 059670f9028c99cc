"""Periodic jobs inside the bot process; their due times live in SQLite, so a restart neither
skips a job that came due while the bot was down nor runs one twice."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from loguru import logger

from bot.clock import Clock
from storage.jobs import JobsRepo

JobFn = Callable[[int], Awaitable[None]]


@dataclass(frozen=True, slots=True)
class Job:
    name: str
    every: int
    run: JobFn


class Scheduler:
    def __init__(self, repo: JobsRepo, clock: Clock, tick: float = 30.0) -> None:
        self._repo = repo
        self._clock = clock
        self._tick = tick
        self._jobs: dict[str, Job] = {}
        self._stopping = asyncio.Event()

    def add(self, name: str, every: int, run: JobFn) -> None:
        self._jobs[name] = Job(name, every, run)

    async def setup(self) -> None:
        now = self._clock.now()
        for job in self._jobs.values():
            await self._repo.ensure(job.name, now + job.every)

    async def run_due(self) -> list[str]:
        """Run every job that is due now; return the names that ran."""
        now = self._clock.now()
        ran = []
        for name in await self._repo.due(now):
            job = self._jobs.get(name)
            if job is None or not await self._repo.claim(name, now, now + job.every):
                continue
            try:
                await job.run(now)
            except Exception:
                logger.exception("Scheduled job {} failed", name)
            ran.append(name)
        return ran

    async def run(self) -> None:
        await self.setup()
        while not self._stopping.is_set():
            await self.run_due()
            with contextlib.suppress(asyncio.TimeoutError):
                await asyncio.wait_for(self._stopping.wait(), self._tick)

    def stop(self) -> None:
        self._stopping.set()
