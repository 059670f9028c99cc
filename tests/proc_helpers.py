"""`python -m bot` as a real process, its stderr read line by line as it comes."""

from __future__ import annotations

import asyncio
import os
import socket
import sys
from pathlib import Path

from bot.sandbox.vk import Emulator
from tests.harness import GROUP_ID, TOKEN

ROOT = Path(__file__).resolve().parent.parent


def bot_env(emu: Emulator, data: Path, **values: str) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("VK_", "DATABASE_", "LOG_", "LC_", "LANG"))
    }
    env.update(
        VK_TOKEN=TOKEN,
        VK_GROUP_ID=str(GROUP_ID),
        VK_API_URL=emu.api_url,
        DATABASE_PATH=str(data / "bot.sqlite3"),
        LANG="ru_RU.UTF-8",
        PYTHONPATH=str(ROOT),
    )
    env.update(values)
    return env


class Bot:
    """A `python -m bot` process whose stderr is read line by line as it comes."""

    def __init__(self, proc: asyncio.subprocess.Process) -> None:
        self.proc = proc
        self.lines: list[str] = []

    @classmethod
    async def start(cls, cwd: Path, env: dict[str, str], argv: list[str] | None = None) -> Bot:
        proc = await asyncio.create_subprocess_exec(
            *(argv or [sys.executable, "-m", "bot"]), cwd=cwd, env=env,
            stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
        )  # fmt: skip
        return cls(proc)

    async def line_with(self, needle: str) -> str:
        """The first stderr line containing ``needle``, awaited as the process writes."""
        assert self.proc.stderr is not None
        for line in self.lines:
            if needle in line:
                return line
        async with asyncio.timeout(60):
            while True:
                raw = await self.proc.stderr.readline()
                if not raw:
                    raise AssertionError(f"no line with {needle!r} in {self.lines}")
                line = raw.decode().rstrip("\n")
                self.lines.append(line)
                if needle in line:
                    return line

    async def finish(self) -> tuple[int, list[str]]:
        assert self.proc.stderr is not None
        rest = await self.proc.stderr.read()
        self.lines += rest.decode().splitlines()
        code = await self.proc.wait()
        return code, self.lines


async def run_to_end(cwd: Path, env: dict[str, str]) -> tuple[int, list[str]]:
    bot = await Bot.start(cwd, env)
    return await bot.finish()


def free_port() -> int:
    """A port free right now, for a setting that must name its port before the server starts."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])
