"""docs/deploy.md, command by command: every command in its bash blocks is run here as the
guide gives it (against the emulator instead of VK), and its systemd unit is verified."""

from __future__ import annotations

import asyncio
import json
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from bot.sandbox.vk import Emulator
from tests.harness import GROUP_ID, SUPERADMIN, TOKEN
from tests.proc_helpers import Bot, free_port

ROOT = Path(__file__).resolve().parent.parent
GUIDE = ROOT / "docs" / "deploy.md"
# Installation lines are what .ci/run itself does before the tests; the test runs in a scratch
# project folder whose .env it writes, so copying .env.example over it would undo that.
INSTALL = ("git clone ", "cp .env.example .env", "python3 -m venv .venv")
GUIDE_HEALTH_PORT = "9100"


def blocks(lang: str) -> list[str]:
    """The guide's fenced blocks of one language ("" for those without one)."""
    found, current, inside = [], "", None
    for line in GUIDE.read_text(encoding="utf-8").splitlines(keepends=True):
        if line.startswith("```"):
            if inside is None:
                inside, current = line[3:].strip(), ""
            else:
                if inside == lang:
                    found.append(current)
                inside = None
        elif inside is not None:
            current += line
    return found


def commands() -> list[str]:
    found = []
    for block in blocks("bash"):
        for line in block.replace("\\\n", " ").splitlines():
            if line.strip() and not line.lstrip().startswith("#"):
                found.append(line.strip())
    return found


def project(tmp_path: Path, emu: Emulator, health_port: int) -> Path:
    """A deployer's folder: .venv/bin/python (this interpreter), a filled .env."""
    folder = tmp_path / "staff-verify-bot"
    (folder / ".venv" / "bin").mkdir(parents=True)
    python = folder / ".venv" / "bin" / "python"
    python.write_text(f'#!/bin/sh\nPYTHONPATH={ROOT} exec {sys.executable} "$@"\n')
    python.chmod(0o755)
    (folder / ".env").write_text(
        f"VK_TOKEN={TOKEN}\nVK_GROUP_ID={GROUP_ID}\nVK_API_URL={emu.api_url}\n"
        f"SUPERADMIN_IDS={SUPERADMIN}\nHEALTH_PORT={health_port}\nLOG_LEVEL=INFO\n",
        encoding="utf-8",
    )
    # The CSV example of the guide is the file its `org import orgs.csv` loads.
    [example] = [b for b in blocks("") if b.startswith("name;")]
    (folder / "orgs.csv").write_text(example, encoding="utf-8")
    return folder


def env() -> dict[str, str]:
    import os

    clean = {
        k: v for k, v in os.environ.items() if not k.startswith(("VK_", "DATABASE_", "LC_", "LANG"))
    }
    return clean | {"LANG": "ru_RU.UTF-8"}


async def test_every_command_of_the_guide(tmp_path: Path, emu: Emulator) -> None:
    port = free_port()
    folder = project(tmp_path, emu, port)
    bot: Bot | None = None
    ran: list[str] = []

    async def start() -> Bot:
        running = await Bot.start(
            folder, env(), argv=[str(folder / ".venv/bin/python"), "-m", "bot"]
        )
        await running.line_with("Bot started")
        return running

    async def stop(running: Bot) -> None:
        running.proc.send_signal(signal.SIGTERM)
        code, lines = await running.finish()
        assert code == 0, lines

    try:
        for command in commands():
            if command.startswith(INSTALL):
                continue
            if command == ".venv/bin/python -m bot":
                bot = bot or await start()
                ran.append(command)
                continue
            if " restore " in command and bot is not None:
                await stop(bot)  # restore refuses beside a running bot
                bot = None
            if command.startswith("curl") and bot is None:
                bot = await start()
            line = command.replace(f"127.0.0.1:{GUIDE_HEALTH_PORT}", f"127.0.0.1:{port}")
            done = await asyncio.to_thread(
                subprocess.run, ["bash", "-c", line], cwd=folder, env=env(),
                capture_output=True, text=True, timeout=120, check=False,
            )  # fmt: skip
            assert done.returncode == 0, (command, done.stdout, done.stderr)
            assert "Traceback" not in done.stderr, command
            if "/healthz" in command:
                assert json.loads(done.stdout)["status"] == "ok"
            if "/metrics" in command:
                assert "bot_updates_total" in done.stdout
            ran.append(command)
    finally:
        if bot is not None:
            await stop(bot)
    assert any("check --fix" in c for c in ran)
    assert any(c.endswith("backup backup.sqlite3") for c in ran)
    assert any("admin remove" in c for c in ran)


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="needs systemd-analyze")
def test_the_systemd_unit_verifies(tmp_path: Path) -> None:
    [unit] = [b for b in blocks("ini") if "[Service]" in b]
    assert "Restart=on-failure" in unit
    # Exit 2 is a bad setting: restarting cannot fix it, so systemd must not loop on it.
    assert "RestartPreventExitStatus=2" in unit
    folder = tmp_path / "opt"
    (folder / ".venv" / "bin").mkdir(parents=True)
    (folder / ".venv" / "bin" / "python").symlink_to(sys.executable)
    path = tmp_path / "staff-verify-bot.service"
    path.write_text(unit.replace("/opt/staff-verify-bot", str(folder)), encoding="utf-8")
    done = subprocess.run(
        ["systemd-analyze", "verify", str(path)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stderr == "", done.stderr
