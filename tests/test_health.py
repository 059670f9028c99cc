"""/healthz and /metrics: off by default, on 127.0.0.1 when HEALTH_PORT is set."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from pathlib import Path

import aiohttp
import pytest

from bot.clock import ManualClock
from bot.sandbox.vk import Emulator
from tests.harness import RunningBot, make_settings
from tests.proc_helpers import free_port


@pytest.fixture
async def watched(tmp_path: Path, emu: Emulator, clock: ManualClock) -> AsyncIterator[RunningBot]:
    settings = make_settings(tmp_path / "bot.sqlite3", emu.api_url, health_port=free_port())
    running = await RunningBot(settings, emu, clock).start()
    yield running
    await running.stop()


def url(bot: RunningBot, path: str) -> str:
    assert bot.app is not None
    assert bot.app.health is not None
    return f"http://127.0.0.1:{bot.app.health.port}{path}"


def sample(text: str, name: str, **labels: str) -> float:
    """The value of one sample in Prometheus' text format."""
    wanted = ",".join(f'{k}="{v}"' for k, v in sorted(labels.items()))
    for line in text.splitlines():
        match = re.fullmatch(r"(\w+)(?:\{(.*)\})? (\S+)", line)
        if match and match.group(1) == name:
            have = ",".join(sorted((match.group(2) or "").split(","))) if match.group(2) else ""
            if have == wanted:
                return float(match.group(3))
    raise AssertionError(f"no sample {name}{{{wanted}}}")


async def test_off_by_default(bot: RunningBot) -> None:
    assert bot.app is not None
    assert bot.app.health is None


async def test_healthz_and_metrics(watched: RunningBot, emu: Emulator, clock: ManualClock) -> None:
    async with aiohttp.ClientSession() as session:
        async with session.get(url(watched, "/metrics")) as response:
            before = await response.text()
        staff = emu.user(1001, "Анна", "Иванова")
        await staff.say("Начать")
        emu.fail_next("messages.send", code=7)
        await staff.tap("Помощь")
        clock.advance(30)
        async with session.get(url(watched, "/healthz")) as response:
            assert response.status == 200
            health = await response.json()
        async with session.get(url(watched, "/metrics")) as response:
            assert response.headers["Content-Type"].startswith("text/plain")
            after = await response.text()
    assert health == {
        "status": "ok",
        "mode": "longpoll",
        "connected": True,
        "database_writable": True,
        "last_update_age_seconds": 30,
    }

    def grew(name: str, by: float, **labels: str) -> None:
        try:
            old = sample(before, name, **labels)
        except AssertionError:
            old = 0.0
        assert sample(after, name, **labels) - old == by, (name, labels)

    grew("bot_updates_total", 1, type="message_new")
    grew("bot_updates_total", 1, type="message_event")
    grew("bot_handler_errors_total", 1)
    grew("bot_vk_requests_total", 1, method="messages.send", code="7")
    assert sample(after, "bot_vk_requests_total", method="messages.send", code="ok") >= 2
    assert sample(after, "bot_rate_limiter_wait_seconds_count") >= 3
    assert sample(after, "bot_queue_depth") == 0
    assert sample(after, "bot_applications", status="pending") == 0


async def test_healthz_503_while_the_database_cannot_be_written(watched: RunningBot) -> None:
    import sqlite3

    # Another process holds the database (as a stuck writer would): no write gets through.
    blocker = sqlite3.connect(watched.settings.database_path, isolation_level=None)
    blocker.execute("BEGIN EXCLUSIVE")
    try:
        async with (
            aiohttp.ClientSession() as session,
            session.get(url(watched, "/healthz")) as response,
        ):
            assert response.status == 503
            health = await response.json()
    finally:
        blocker.execute("ROLLBACK")
        blocker.close()
    assert health["status"] == "unhealthy"
    assert health["database_writable"] is False


async def test_healthz_503_while_long_poll_is_down_and_200_once_it_answers(
    watched: RunningBot, emu: Emulator
) -> None:
    staff = emu.user(1001, "Анна", "Иванова")
    # The poll parked now answers with this message; the two polls after it meet a broken proxy.
    emu.fail_next("lp", http_status=502, times=2)
    await staff.say("Начать")
    await emu.until(lambda: emu.failures_left("lp") == 0 and emu.parked)
    async with aiohttp.ClientSession() as session:
        async with session.get(url(watched, "/healthz")) as response:
            assert response.status == 503
            health = await response.json()
        assert health["connected"] is False
        # The next poll that VK answers brings the bot back.
        reply = await staff.say("Помощь")
        assert reply
        async with session.get(url(watched, "/healthz")) as response:
            assert response.status == 200
            assert (await response.json())["connected"] is True
