"""Callback API mode: VK posts events to the bot's endpoint; the bot answers `confirmation`
with the community's code, refuses a wrong secret, stores each event once and answers `ok`."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import aiohttp
import pytest
from pydantic import SecretStr

from bot.check import diagnose
from bot.clock import ManualClock
from bot.config import Settings
from bot.sandbox.vk import Emulator
from tests.harness import GROUP_ID, RunningBot, make_settings
from tests.proc_helpers import free_port

SECRET = "s3cr3t-callback-key"


@pytest.fixture
def callback_settings(tmp_path: Path, emu: Emulator) -> Settings:
    port = free_port()
    return make_settings(
        tmp_path / "bot.sqlite3",
        emu.api_url,
        vk_mode="callback",
        callback_url=f"http://127.0.0.1:{port}/vk/callback",
        callback_secret=SECRET,
        callback_port=port,
    )


@pytest.fixture
async def hooked(
    callback_settings: Settings, emu: Emulator, clock: ManualClock, monkeypatch: pytest.MonkeyPatch
) -> AsyncIterator[RunningBot]:
    """The bot in callback mode, its server registered by `check --fix` as a deployer would."""
    monkeypatch.setenv("LANG", "ru_RU.UTF-8")
    running = await RunningBot(callback_settings, emu, clock).start()
    points = await diagnose(callback_settings, fix=True)
    assert [p.ok for p in points] == [True] * len(points), points
    yield running
    await running.stop()


async def test_check_fix_registers_the_server_and_confirmation_is_answered(
    hooked: RunningBot, emu: Emulator, callback_settings: Settings
) -> None:
    [server] = emu.community.servers
    assert server.url == callback_settings.callback_url
    # VK posted `confirmation`; the bot answered the community's code, so VK marked it ok.
    assert server.status == "ok"
    assert server.secret_key == SECRET
    assert server.api_version == "5.199"
    assert all(server.events[e] for e in ("message_new", "message_event", "message_allow"))
    points = await diagnose(callback_settings)
    assert points[2].text.startswith(f"Callback API: сервер {server.url} подтверждён")


async def test_conversation_over_callback(hooked: RunningBot, emu: Emulator) -> None:
    staff = emu.user(1001, "Анна", "Иванова")
    await staff.say("Начать")
    assert staff.last_message.text.startswith("Здравствуйте!")
    await staff.tap("Помощь")
    assert "Как подтвердить профиль" in staff.last_message.text


async def test_one_handling_per_event_under_retries(hooked: RunningBot, emu: Emulator) -> None:
    from loguru import logger

    records: list[str] = []
    sink = logger.add(lambda m: records.append(str(m)), level="INFO")
    staff = emu.user(1001, "Анна", "Иванова")
    emu.callbacks.lose_answers = 2
    try:
        await staff.say("Начать")
        event_id = emu.updates[-1]["event_id"]
        await emu.until(lambda: emu.delivered(event_id).is_set())
    finally:
        logger.remove(sink)
    # VK's retry counter is in the log.
    assert sum(f"{event_id} delivered again (retry" in r for r in records) == 2
    attempts = [a for a in emu.callbacks.log if a.event_id == event_id]
    # Posted three times (two answers lost), answered ok each time, handled once.
    assert [(a.retry, a.status, a.body) for a in attempts] == [
        (0, 200, "ok"),
        (1, 200, "ok"),
        (2, 200, "ok"),
    ]
    assert len(staff.messages) == 1
    db = hooked.deps.db
    assert await db.fetchval("SELECT COUNT(*) FROM processed_events") == 1


async def test_forged_secret_and_other_group_refused(
    hooked: RunningBot, emu: Emulator, callback_settings: Settings
) -> None:
    staff = emu.user(1001, "Анна", "Иванова")
    forged = {
        "type": "message_new",
        "group_id": GROUP_ID,
        "event_id": "forged-1",
        "v": "5.199",
        "secret": "guess",
        "object": {"message": {"from_id": 1001, "peer_id": 1001, "text": "Начать", "id": 1}},
    }
    async with aiohttp.ClientSession() as session:
        async with session.post(callback_settings.callback_url, json=forged) as response:
            assert (response.status, await response.text()) == (403, "wrong secret")
        other = forged | {"group_id": GROUP_ID + 1, "secret": SECRET}
        async with session.post(callback_settings.callback_url, json=other) as response:
            assert response.status == 403
        async with session.post(callback_settings.callback_url, data=b"<html>") as response:
            assert response.status == 400
    assert await hooked.deps.db.fetchval("SELECT COUNT(*) FROM processed_events") == 0
    assert staff.messages == []


async def test_check_names_an_unconfirmed_server_and_a_wrong_secret(
    emu: Emulator, callback_settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LANG", "ru_RU.UTF-8")
    url = callback_settings.callback_url
    missing = [p.text for p in await diagnose(callback_settings) if not p.ok]
    assert missing[0].startswith(f"Сервер {url} не добавлен в Callback API.")
    # No bot is listening: VK's confirmation fails, and check says what to do.
    failed = [p.text for p in await diagnose(callback_settings, fix=True) if not p.ok]
    assert failed[0].startswith(f"Сервер {url} в Callback API со статусом «failed»")
    assert "Запустите бота (VK_MODE=callback)" in failed[0]
    emu.community.servers[0].status = "ok"
    emu.community.servers[0].secret_key = "another"
    wrong = [p.text for p in await diagnose(callback_settings) if not p.ok]
    assert wrong[0].startswith(f"У сервера {url} в Callback API другой секретный ключ")
    unsigned = callback_settings.model_copy(update={"callback_secret": SecretStr("")})
    open_door = [p.text for p in await diagnose(unsigned) if not p.ok]
    assert open_door[0].startswith("CALLBACK_SECRET не задан")
