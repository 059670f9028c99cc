"""The real bot (`python -m bot`) killed with SIGKILL at random instants while people apply.

The emulator runs in the test's process; the bot reaches it through VK_API_URL. The kill
instants are counted in messages the bot delivered since its last start (seeded), so a run is
reproducible in what it exercises without any timing in the test.
"""

from __future__ import annotations

import asyncio
import functools
import os
import random
import signal
import sqlite3
import sys
from collections import Counter
from pathlib import Path
from typing import Any

from bot.app import create_app
from bot.clock import SystemClock
from bot.sandbox.vk import Emulator
from bot.sandbox.vk.client import UserClient
from tests.apply_helpers import SCHOOL_BUTTON, seed_school
from tests.harness import GROUP_ID, SUPERADMIN, TOKEN, make_settings

ROOT = Path(__file__).resolve().parent.parent
ADMIN = 500
FLOWS = 40
KILLS = 15
MAX_ATTEMPTS = 3  # the default of UPDATE_MAX_ATTEMPTS
# Generous: a step may wait for a restart of the process (imports included) on a busy machine.
STEP_WITHIN = 90.0


# `python -m bot` with its imports done once: this interpreter imports the bot, then for each
# "go" forks a child that runs bot.__main__.main() - what `python -m bot` runs - and reports its
# pid and, when it ends, its exit code. Sixteen interpreter start-ups (vkbottle's imports take
# seconds on a busy machine) would otherwise be most of the test's time.
ZYGOTE = """
import os, sys
import bot.app, bot.__main__
for line in sys.stdin:
    if line.strip() != "go":
        break
    pid = os.fork()
    if pid == 0:
        code = 1
        try:
            code = bot.__main__.main([])
        finally:
            os._exit(code)
    print("started", pid, flush=True)
    _, status = os.waitpid(pid, 0)
    print("exited", os.waitstatus_to_exitcode(status), flush=True)
"""


class Bot:
    """The bot in a subprocess, started again after every kill."""

    def __init__(self, tmp_path: Path, emu: Emulator) -> None:
        self.tmp_path = tmp_path
        self.emu = emu
        self.db_path = tmp_path / "data" / "bot.sqlite3"
        self.log_path = tmp_path / "bot.log"
        self.zygote: asyncio.subprocess.Process | None = None
        self.pid = 0
        self.starts = 0

    def env(self) -> dict[str, str]:
        env = {
            k: v for k, v in os.environ.items() if not k.startswith(("VK_", "DATABASE_", "LOG_"))
        }
        env.update(
            VK_TOKEN=TOKEN,
            VK_GROUP_ID=str(GROUP_ID),
            VK_API_URL=self.emu.api_url,
            VK_RPS="1000",
            DATABASE_PATH=str(self.db_path),
            SUPERADMIN_IDS=str(SUPERADMIN),
            LOG_LEVEL="INFO",
            PYTHONPATH=str(ROOT),
        )
        return env

    async def _line(self) -> list[str]:
        assert self.zygote is not None
        assert self.zygote.stdout is not None
        line = (await self.zygote.stdout.readline()).decode().split()
        assert line, self.log_path.read_text(errors="replace")
        return line

    async def start(self) -> None:
        if self.zygote is None:
            with self.log_path.open("wb") as log:
                self.zygote = await asyncio.create_subprocess_exec(
                    sys.executable,
                    "-c",
                    ZYGOTE,
                    cwd=self.tmp_path,
                    env=self.env(),
                    stdin=asyncio.subprocess.PIPE,
                    stdout=asyncio.subprocess.PIPE,
                    stderr=log,
                )
        assert self.zygote.stdin is not None
        self.zygote.stdin.write(b"go\n")
        await self.zygote.stdin.drain()
        kind, pid = await self._line()
        assert kind == "started"
        self.pid, self.starts = int(pid), self.starts + 1

    async def _end(self, sig: signal.Signals) -> int:
        os.kill(self.pid, sig)
        kind, code = await self._line()
        assert kind == "exited"
        return int(code)

    async def kill(self) -> None:
        assert await self._end(signal.SIGKILL) == -signal.SIGKILL

    async def stop(self) -> None:
        """SIGTERM: the bot must end cleanly; then the zygote goes too."""
        assert await self._end(signal.SIGTERM) == 0, self.log_path.read_text(errors="replace")
        await self.close()

    async def close(self) -> None:
        if self.zygote is not None and self.zygote.stdin is not None:
            self.zygote.stdin.close()
            await self.zygote.wait()


async def seed(tmp_path: Path, emu: Emulator) -> None:
    """The school and its administrator, written through the project's own repositories."""
    settings = make_settings(tmp_path / "data" / "bot.sqlite3", emu.api_url)
    app = await create_app(settings, clock=SystemClock())

    class Seeding:
        deps = app.deps

    await seed_school(Seeding)  # type: ignore[arg-type]
    await app.close()


def view(user: UserClient) -> tuple[int, str, str]:
    """What the person sees of the conversation: how many messages, and the last one as it is
    now (an edit changes its text or its buttons)."""
    sent = user.messages
    last = sent[-1] if sent else None
    return len(sent), last.text if last else "", str(last.keyboard) if last else ""


async def step(emu: Emulator, user: UserClient, act: Any) -> None:
    """Do one thing as the person would and wait until the bot's answer shows."""
    before = view(user)
    await act
    await emu.until(lambda: view(user) != before, within=STEP_WITHIN)


async def flow(emu: Emulator, staff: UserClient, admin: UserClient) -> int:
    await step(emu, staff, staff.say("Начать"))
    await step(emu, staff, staff.tap("Подтвердить профиль"))
    await step(emu, staff, staff.say("школа 5"))
    await step(emu, staff, staff.tap(SCHOOL_BUTTON))
    await step(emu, staff, staff.tap("Учитель"))
    await step(emu, staff, staff.say("иванова анна сергеевна"))
    await step(emu, staff, staff.say("учитель математики"))
    await step(emu, staff, staff.tap("5А"))
    await step(emu, staff, staff.tap("Готово"))
    await step(emu, staff, staff.tap("Отправить заявку"))
    filed = next(m for m in staff.messages if "отправлена" in m.text)
    app_id = int(filed.text.split("№ ", 1)[1].split()[0])
    marker = f"Заявка № {app_id} ·"
    await emu.until(lambda: any(m.text.startswith(marker) for m in admin.messages), within=60)
    prompt = next(m for m in admin.messages if m.text.startswith(marker))
    await step(emu, staff, admin.tap("Принять", message=prompt))
    await emu.until(lambda: f"заявка № {app_id} принята" in staff.last_message.text, within=60)
    return app_id


def shown(emu: Emulator) -> int:
    """Messages the bot has put in front of people so far (a repeat VK dropped is not one)."""
    return sum(len(emu.sent_to(u)) for u in (ADMIN, *range(3000, 3000 + FLOWS)))


async def no_settle(_: str) -> None:
    """Steps wait for what the person sees (step()), not for the bot's own signal."""


async def test_kill_9_during_40_flows_loses_and_repeats_nothing(
    tmp_path: Path, emu: Emulator
) -> None:
    await seed(tmp_path, emu)
    emu.settle = no_settle
    admin = emu.user(ADMIN, "Ольга", "Смирнова")
    staff = [emu.user(3000 + i, "Анна", f"Иванова{i}") for i in range(FLOWS)]
    bot = Bot(tmp_path, emu)
    rng = random.Random(9)
    await bot.start()
    # The first start takes the stream from "now": the flows begin once it listens.
    await emu.wait_for_poller()
    flows = asyncio.gather(*(flow(emu, s, admin) for s in staff))
    try:
        for _ in range(KILLS):
            # A random instant: once 1..8 more messages have reached people since the last start.
            # Counted in new messages, not in calls, so that each run of the bot does something
            # first: re-delivering what it had not recorded is not progress, and killing it again
            # and again before it handles anything is a crash loop (the poison tests' case).
            mark, more = shown(emu), rng.randint(1, 8)
            target = mark + more
            await emu.until(functools.partial(_reached, emu, target), within=STEP_WITHIN)
            await bot.kill()
            await bot.start()
        ids = await flows
    except BaseException:
        flows.cancel()
        await bot.kill()
        await bot.close()
        raise
    await bot.stop()
    assert bot.starts == KILLS + 1
    assert len(set(ids)) == FLOWS

    db = sqlite3.connect(bot.db_path)
    try:
        assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        filed = Counter(r[0] for r in db.execute("SELECT vk_id FROM applications"))
        attempts = [r[0] for r in db.execute("SELECT attempts FROM processed_events")]
        failed = db.execute("SELECT COUNT(*) FROM processed_events WHERE failed_at IS NOT NULL")
        pending = db.execute("SELECT COUNT(*) FROM outbox WHERE done_at IS NULL").fetchone()
        assert failed.fetchone() == (0,)
    finally:
        db.close()
    # Every application filed exactly once.
    assert filed == {s.user_id: 1 for s in staff}
    # Replays are bounded: no update was begun more often than the setting allows.
    assert max(attempts) <= MAX_ATTEMPTS
    assert pending == (0,)
    for person in staff:
        texts = [m.text for m in person.messages]
        # Told "отправлена" once, and nothing twice without a new action of theirs.
        assert sum("отправлена" in t for t in texts) == 1, texts
        assert len(texts) == len(set(texts)), texts
    prompts = Counter(m.text.split(" ·", 1)[0] for m in admin.messages)
    assert prompts == {f"Заявка № {n}": 1 for n in ids}
    replays = sum(a - 1 for a in attempts)
    print(f"\ncrash: {KILLS} kills, {len(attempts)} updates, {replays} replays,", end=" ")
    print(f"max attempts {max(attempts)}")


def _reached(emu: Emulator, target: int) -> bool:
    return shown(emu) >= target
