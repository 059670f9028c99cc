from __future__ import annotations

import os
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from hypothesis import settings as hypothesis_settings

from bot import logs
from bot.clock import ManualClock
from bot.config import Settings
from bot.sandbox.vk import Emulator
from tests.harness import GROUP_ID, TOKEN, RunningBot, make_settings

logs.configure("DEBUG", "text", (TOKEN,))

# CI replays the same examples every run, so a red CI always reproduces; local runs explore.
hypothesis_settings.register_profile("ci", derandomize=True)
if os.environ.get("CI"):
    hypothesis_settings.load_profile("ci")


@pytest.fixture
async def emu() -> AsyncIterator[Emulator]:
    async with Emulator(token=TOKEN, group_id=GROUP_ID) as emulator:
        yield emulator
        # Every call the bot made must have matched VK's schema and limits.
        assert emulator.violations == [], emulator.violations


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock()


@pytest.fixture
def settings(tmp_path: Path, emu: Emulator) -> Settings:
    return make_settings(tmp_path / "bot.sqlite3", emu.api_url)


@pytest.fixture
async def bot(settings: Settings, emu: Emulator, clock: ManualClock) -> AsyncIterator[RunningBot]:
    running = await RunningBot(settings, emu, clock).start()
    yield running
    await running.stop()
