from __future__ import annotations

import os
import re
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from hypothesis import settings as hypothesis_settings
from loguru import logger

from bot import logs
from bot.clock import ManualClock
from bot.config import Settings
from bot.sandbox.vk import Emulator
from tests.harness import GROUP_ID, TOKEN, RunningBot, make_settings

if TYPE_CHECKING:
    from loguru import Message

# pytester runs the log guard's own tests in a pytest of their own.
pytest_plugins = ["pytester"]

logs.configure("DEBUG", "text", (TOKEN,))

# CI replays the same examples every run, so a red CI always reproduces; local runs explore.
hypothesis_settings.register_profile("ci", derandomize=True)
if os.environ.get("CI"):
    hypothesis_settings.load_profile("ci")


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "expect_errors(*patterns): the ERROR log lines the test provokes on purpose, each a regular"
        " expression that must match at least one of them",
    )


@pytest.fixture(autouse=True)
def log_guard(request: pytest.FixtureRequest) -> Iterator[None]:
    """Fails the test on an ERROR (or CRITICAL) log line it did not declare with
    @pytest.mark.expect_errors, on a declared pattern that matched nothing, and on any text the
    translator could not make: a missing locale key shows the person the bare key and logs an
    ERROR from bot.i18n, which no declaration excuses."""
    patterns = [
        re.compile(pattern)
        for marker in request.node.iter_markers("expect_errors")
        for pattern in marker.args
    ]
    texts: list[str] = []
    others: list[str] = []

    def sink(message: Message) -> None:
        record = message.record
        line, error = record["message"], record["exception"]
        if error is not None and error.type is not None:
            line += f" ({error.type.__name__}: {error.value})"
        (texts if record["name"] == "bot.i18n" else others).append(line)

    sink_id = logger.add(sink, level="ERROR", format="{message}", catch=False)
    yield
    try:
        logger.remove(sink_id)
    except ValueError:
        pytest.fail(
            "loguru's sinks were removed during the test: its errors went unseen", pytrace=False
        )
    problems = [f"text not made: {line}" for line in texts]
    problems += [
        f"unexpected ERROR: {line}"
        for line in others
        if not any(pattern.search(line) for pattern in patterns)
    ]
    problems += [
        f"expected ERROR never logged: {pattern.pattern}"
        for pattern in patterns
        if not any(pattern.search(line) for line in others)
    ]
    if problems:
        pytest.fail("\n".join(problems), pytrace=False)


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
