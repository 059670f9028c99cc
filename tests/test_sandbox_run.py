"""`python -m bot` as a person runs it: in an empty folder with nothing configured it starts the
sandbox and prints one Russian line with the address; signals stop it cleanly; a half-configured
production never falls into the sandbox; what was said survives a restart, even kill -9."""

from __future__ import annotations

import asyncio
import json
import os
import re
import signal
import sys
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import aiohttp
import pytest

ROOT = Path(__file__).resolve().parent.parent
ADDRESS = re.compile(r"http://127\.0\.0\.1:(\d+)")
START_TIMEOUT = 60  # a cold start on a loaded two-core machine; the wait ends at the line


def _env(**extra: str) -> dict[str, str]:
    """Nothing of the developer's environment but what Python needs to run."""
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": str(ROOT / ".venv")}
    env["PYTHONPATH"] = str(ROOT)
    env.update(extra)
    return env


class Process:
    def __init__(self, proc: asyncio.subprocess.Process) -> None:
        self.proc = proc
        self.line = ""

    @property
    def url(self) -> str:
        found = ADDRESS.search(self.line)
        assert found is not None, self.line
        return found.group(0)

    async def first_line(self) -> str:
        assert self.proc.stdout is not None
        async with asyncio.timeout(START_TIMEOUT):
            self.line = (await self.proc.stdout.readline()).decode()
        return self.line

    async def stop(self, sig: int = signal.SIGTERM) -> tuple[int, str]:
        self.proc.send_signal(sig)
        assert self.proc.stderr is not None
        async with asyncio.timeout(START_TIMEOUT):
            err = await self.proc.stderr.read()
            code = await self.proc.wait()
        return code, err.decode()


@asynccontextmanager
async def bot_process(
    cwd: Path, *args: str, env: dict[str, str] | None = None
) -> AsyncIterator[Process]:
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        *args,
        cwd=cwd,
        env=env or _env(),
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    process = Process(proc)
    try:
        yield process
    finally:
        if proc.returncode is None:
            proc.kill()
            await proc.wait()


async def _say(url: str, user: int, text: str) -> None:
    async with (
        aiohttp.ClientSession() as http,
        http.post(f"{url}/api/say", json={"user": user, "text": text}) as response,
    ):
        assert response.status == 200, await response.text()


async def _dialog_until(
    url: str, user: int, ready: Callable[[list[dict[str, Any]]], bool]
) -> list[dict[str, Any]]:
    """The person's dialog once `ready` holds, as the page's live feed pushes it."""
    last: list[dict[str, Any]] = []
    try:
        async with aiohttp.ClientSession() as http, http.ws_connect(f"{url}/ws") as ws:
            await ws.send_str(json.dumps({"watch": [user]}))
            async with asyncio.timeout(START_TIMEOUT):
                async for msg in ws:
                    data = json.loads(msg.data)
                    if data["type"] == "dialog":
                        last = list(data["state"]["messages"])
                        if ready(last):
                            return last
    except TimeoutError:
        pass
    raise AssertionError(f"dialog never got there: {[(m['out'], m['text'][:30]) for m in last]}")


def _bot_replies(messages: list[dict[str, Any]]) -> list[str]:
    return [m["text"] for m in messages if m["out"]]


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
async def test_nothing_configured_starts_the_sandbox_with_one_russian_line(
    tmp_path: Path, sig: int
) -> None:
    async with bot_process(tmp_path) as bot:
        line = await bot.first_line()
        assert line.startswith("Песочница запущена: это не ВКонтакте"), line
        assert line.count("\n") == 1
        async with aiohttp.ClientSession() as http, http.get(bot.url) as response:
            assert response.status == 200
            assert '<script src="/static/app.js">' in await response.text()
        code, err = await bot.stop(sig)
    assert code == 0
    assert "Traceback" not in err
    # Its own data, never the production database.
    assert (tmp_path / "data" / "sandbox.sqlite3").is_file()
    assert not (tmp_path / "data" / "bot.sqlite3").exists()


@pytest.mark.parametrize(
    ("env", "dotenv", "setting"),
    [
        ({"VK_TOKEN": "vk1.a.secret"}, "", "VK_GROUP_ID не задана"),
        ({"VK_TOKEN": "vk1.a.secret", "VK_GROUP_ID": "club5"}, "", "VK_GROUP_ID задана неверно"),
        ({}, "VK_TOKEN=vk1.a.secret\n", "VK_GROUP_ID не задана"),
        ({"VK_GROUP_ID": "5"}, "", "VK_TOKEN не задана"),
    ],
)
async def test_half_configured_production_stops_with_one_line_not_the_sandbox(
    tmp_path: Path, env: dict[str, str], dotenv: str, setting: str
) -> None:
    if dotenv:
        (tmp_path / ".env").write_text(dotenv, encoding="utf-8")
    async with bot_process(tmp_path, env=_env(**env)) as bot:
        assert bot.proc.stdout is not None
        assert bot.proc.stderr is not None
        out = await bot.proc.stdout.read()
        err = (await bot.proc.stderr.read()).decode()
        code = await bot.proc.wait()
    assert code == 2
    assert out == b""
    # The heading (which .env was read) and one line for the one setting at fault.
    heading, line = err.splitlines()
    assert heading.startswith("Настройки не приняты"), err
    assert line.startswith(setting), err
    assert "vk1.a.secret" not in err
    assert not (tmp_path / "data" / "sandbox.sqlite3").exists()


async def test_dialogs_survive_a_restart_and_kill_9_and_fresh_starts_over(tmp_path: Path) -> None:
    async with bot_process(tmp_path, "sandbox", "--port", "0") as bot:
        await bot.first_line()
        await _say(bot.url, 3, "Начать")
        before = await _dialog_until(bot.url, 3, lambda m: len(_bot_replies(m)) == 1)
        assert "Здравствуйте" in _bot_replies(before)[0]
        code, _ = await bot.stop()
        assert code == 0

    async with bot_process(tmp_path, "sandbox", "--port", "0") as bot:
        await bot.first_line()
        after = await _dialog_until(bot.url, 3, lambda m: bool(m))
        assert after == before
        # Killed the hard way right after the bot answered: nothing lost, nothing said twice.
        await _say(bot.url, 3, "Помощь")
        answered = await _dialog_until(bot.url, 3, lambda m: len(_bot_replies(m)) == 2)
        bot.proc.kill()
        await bot.proc.wait()

    async with bot_process(tmp_path, "sandbox", "--port", "0") as bot:
        await bot.first_line()
        await _say(bot.url, 3, "Начать")
        again = await _dialog_until(bot.url, 3, lambda m: len(_bot_replies(m)) >= 3)
        assert again[: len(answered)] == answered
        assert len(_bot_replies(again)) == 3, _bot_replies(again)
        await bot.stop()

    async with bot_process(tmp_path, "sandbox", "--port", "0", "--fresh") as bot:
        await bot.first_line()
        async with aiohttp.ClientSession() as http, http.get(f"{bot.url}/api/dialog/3") as r:
            assert (await r.json())["messages"] == []
            people = await (await http.get(f"{bot.url}/api/config")).json()
        names = [p["name"] for p in people["people"]]
        assert "Елена Васильева" in names
        await bot.stop()


async def test_a_port_asked_for_and_taken_is_one_line_and_exit_2(tmp_path: Path) -> None:
    server = await asyncio.start_server(lambda r, w: None, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    try:
        async with bot_process(tmp_path, "sandbox", "--port", str(port)) as bot:
            assert bot.proc.stderr is not None
            err = (await bot.proc.stderr.read()).decode()
            code = await bot.proc.wait()
    finally:
        server.close()
        await server.wait_closed()
    assert code == 2
    assert err.startswith(f"Не удалось открыть адрес 127.0.0.1:{port} (")
    assert "порт уже занят" in err
    assert "Traceback" not in err


async def test_damaged_sandbox_data_is_one_line_pointing_to_fresh(tmp_path: Path) -> None:
    state = tmp_path / "data" / "sandbox-vk"
    state.mkdir(parents=True)
    (state / "state.json").write_text("{not json", encoding="utf-8")
    async with bot_process(tmp_path, "sandbox", "--port", "0") as bot:
        assert bot.proc.stderr is not None
        err = (await bot.proc.stderr.read()).decode()
        code = await bot.proc.wait()
    assert code == 2
    assert err.count("\n") == 1, err
    assert err.endswith("python -m bot sandbox --fresh, чтобы начать демонстрацию заново.\n")
    # The details, traceback included, are in the sandbox's log.
    assert "Traceback" in (tmp_path / "data" / "sandbox.log").read_text(encoding="utf-8")
