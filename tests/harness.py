"""The bot running in the test's own event loop against the emulator, through the real factory."""

from __future__ import annotations

import asyncio
from pathlib import Path

from bot.app import App, create_app
from bot.clock import ManualClock
from bot.config import Settings, load_settings
from bot.deps import Deps
from bot.sandbox.vk import Emulator
from bot.scheduler import Scheduler

TOKEN = "vk1.a.test-community-token-0123456789"
GROUP_ID = 4242
SUPERADMIN = 900
SETTLE_TIMEOUT = 15


def make_settings(db_path: Path, api_url: str, **overrides: object) -> Settings:
    values: dict[str, object] = {
        "vk_token": TOKEN,
        "vk_group_id": GROUP_ID,
        "vk_api_url": api_url,
        "database_path": db_path,
        "superadmin_ids": str(SUPERADMIN),
        "vk_rps": 1000,
        "log_level": "DEBUG",
    }
    values.update(overrides)
    return load_settings(env_file=None, **values)


class RunningBot:
    """Starts, stops and restarts the app; makes the emulator await the bot's own 'done' signal."""

    def __init__(self, settings: Settings, emu: Emulator, clock: ManualClock) -> None:
        self.settings = settings
        self.emu = emu
        self.clock = clock
        self.app: App | None = None
        self._task: asyncio.Task[None] | None = None

    @property
    def deps(self) -> Deps:
        assert self.app is not None
        return self.app.deps

    @property
    def scheduler(self) -> Scheduler:
        assert self.app is not None
        return self.app.scheduler

    async def start(self) -> RunningBot:
        app = await create_app(self.settings, clock=self.clock, poll_wait=5)
        self.app = app
        self._task = asyncio.create_task(app.run())
        connected = asyncio.create_task(app.runner.connected.wait())
        done, _ = await asyncio.wait({connected, self._task}, return_when=asyncio.FIRST_COMPLETED)
        if self._task in done:
            self._task.result()
        self.emu.settle = self._settle
        return self

    async def _settle(self, event_id: str) -> None:
        assert self.app is not None
        try:
            await asyncio.wait_for(self.app.runner.wait_done(event_id), SETTLE_TIMEOUT)
        except TimeoutError:
            raise AssertionError(f"bot did not finish update {event_id}") from None

    async def stop(self) -> None:
        if self.app is None or self._task is None:
            return
        self.app.stop()
        await self._task
        await self.app.close()
        self.app = None
        self._task = None

    async def restart(self) -> RunningBot:
        await self.stop()
        return await self.start()
