"""`python -m bot` as systemd runs it: a setting that cannot work stops it at once with one
line and exit 2; what may heal is retried; Ctrl-C and a second bot on one database are quiet."""

from __future__ import annotations

import json
import os
import signal
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.sandbox.vk import Emulator
from tests.harness import GROUP_ID, TOKEN
from tests.proc_helpers import Bot, bot_env, run_to_end

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
async def web_server() -> AsyncIterator[str]:
    """A web server that is not VK: a website's HTML 404 page for every path."""
    from aiohttp import web

    async def not_found(request: web.Request) -> web.Response:
        return web.Response(
            status=404, text="<html><h1>Not Found</h1></html>", content_type="text/html"
        )

    app = web.Application()
    app.router.add_route("*", "/{tail:.*}", not_found)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = runner.addresses[0][1]
    yield f"http://127.0.0.1:{port}/method/"
    await runner.cleanup()


@pytest.fixture
async def other_emu() -> AsyncIterator[Emulator]:
    async with Emulator(token=TOKEN, group_id=777, group_name="Чужое сообщество") as emulator:
        yield emulator


@pytest.mark.parametrize(
    ("case", "expected"),
    [
        ("token", "VK отклонил ключ доступа"),
        (
            "other-group",
            f"VK_TOKEN — ключ сообщества 777 («Чужое сообщество»), а VK_GROUP_ID = {GROUP_ID}",
        ),
        ("no-group", f"Сообщества {GROUP_ID} нет в VK"),
        ("html-404", "отвечает не VK API (HTTP 404, text/html"),
        ("wrong-path", "отвечает не VK API (VK error 3"),
    ],
)
async def test_a_setting_that_cannot_work_stops_with_one_line(
    tmp_path: Path, emu: Emulator, other_emu: Emulator, web_server: str, case: str, expected: str
) -> None:
    data = tmp_path / "data"
    values: dict[str, str] = {}
    if case == "token":
        values["VK_TOKEN"] = "vk1.a.revoked"
    elif case == "other-group":
        other_emu.community.other_groups[GROUP_ID] = "Наше сообщество"
        values["VK_API_URL"] = other_emu.api_url
    elif case == "no-group":
        values["VK_API_URL"] = other_emu.api_url
    elif case == "html-404":
        values["VK_API_URL"] = web_server
    else:
        values["VK_API_URL"] = f"{emu.base_url}/api/"
    code, lines = await run_to_end(tmp_path, bot_env(emu, data, LOG_FORMAT="json", **values))
    assert code == 2, lines
    errors = [json.loads(line) for line in lines if '"ERROR"' in line]
    assert len(errors) == 1, lines
    assert expected in errors[0]["message"], errors
    assert not any("Bot started" in line for line in lines)
    assert "Traceback" not in "\n".join(lines)
    # A failed start leaves nothing behind.
    assert sorted(os.listdir(tmp_path)) == []


async def test_transient_failures_at_start_are_retried_then_bot_starts(
    tmp_path: Path, emu: Emulator
) -> None:
    emu.fail_next("groups.getById", http_status=502, times=1)
    emu.fail_next("groups.getById", code=10, times=1)
    bot = await Bot.start(tmp_path, bot_env(emu, tmp_path / "data"))
    try:
        retry = await bot.line_with("VK недоступен при запуске")
        assert "HTTP 502" in retry
        started = await bot.line_with("Bot started")
        assert f"group {GROUP_ID} (" in started
        # "Bot started" comes only after VK answered: after both failures, not before.
        assert bot.lines.index(started) > bot.lines.index(retry)
    finally:
        bot.proc.send_signal(signal.SIGTERM)
        code, lines = await bot.finish()
    assert code == 0, lines
    text_records = [line for line in lines if line.strip()]
    # Text logs: one record per line, no blank lines between them.
    assert len(text_records) == len(lines), lines


@pytest.mark.parametrize("moment", ["settings read", "retrying VK", "serving"])
async def test_ctrl_c_at_any_moment_is_quiet_and_exit_0(
    tmp_path: Path, emu: Emulator, moment: str
) -> None:
    if moment == "retrying VK":
        emu.fail_next("groups.getById", http_status=503, times=1000)
    bot = await Bot.start(tmp_path, bot_env(emu, tmp_path / "data"))
    await bot.line_with(
        {"settings read": "Настройки:", "retrying VK": "VK недоступен", "serving": "Bot started"}[
            moment
        ]
    )
    bot.proc.send_signal(signal.SIGINT)
    code, lines = await bot.finish()
    assert code == 0, lines
    assert "Traceback" not in "\n".join(lines)


async def test_unwritable_database_path_is_one_line_and_exit_2(
    tmp_path: Path, emu: Emulator
) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("")
    code, lines = await run_to_end(tmp_path, bot_env(emu, blocker))
    assert code == 2
    errors = [line for line in lines if "ERROR" in line]
    assert len(errors) == 1, lines
    assert f"Не удалось открыть базу {blocker / 'bot.sqlite3'}" in errors[0]
    assert "DATABASE_PATH" in errors[0]
    assert "Traceback" not in "\n".join(lines)


async def test_second_bot_on_one_database_names_the_first(tmp_path: Path, emu: Emulator) -> None:
    env = bot_env(emu, tmp_path / "data")
    first = await Bot.start(tmp_path, env)
    try:
        await first.line_with("Bot started")
        code, lines = await run_to_end(tmp_path, env)
        assert code == 2
        errors = [line for line in lines if "ERROR" in line]
        assert len(errors) == 1, lines
        assert f"уже работает другой бот (процесс {first.proc.pid}," in errors[0]
    finally:
        first.proc.kill()  # kill -9: the lock must die with its holder
        await first.finish()
    again = await Bot.start(tmp_path, env)
    try:
        await again.line_with("Bot started")
    finally:
        again.proc.send_signal(signal.SIGTERM)
        code, lines = await again.finish()
    assert code == 0, lines


async def test_a_taken_port_is_one_line_and_exit_2(tmp_path: Path, emu: Emulator) -> None:
    import socket

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        env = bot_env(emu, tmp_path / "data", HEALTH_PORT=str(port))
        code, lines = await run_to_end(tmp_path, env)
    assert code == 2, lines
    errors = [line for line in lines if "ERROR" in line]
    assert len(errors) == 1, lines
    assert "Не удалось открыть порт" in errors[0]
    assert "HEALTH_PORT" in errors[0]
    assert not any("Bot started" in line for line in lines)
    assert "Traceback" not in "\n".join(lines)
