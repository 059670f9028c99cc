"""Updates per second through the whole bot vs a bare vkbottle bot, both against the emulator.

Run: .venv/bin/python -m bench.updates_bench [--users 200]

It also prints the process CPU time per update of the timed round (emulator included for both).

Both bots answer every "Начать" with a real HTTP messages.send to the emulator; the timed round
is people who wrote before (the first contact, which also registers the person, is untimed). The
baseline is
vkbottle's own run_polling with one trivial handler; ours adds the SQLite inbox, per-user
ordering, the user upsert, the menu query and the Fluent texts. The ratio is what all that costs.
"""

from __future__ import annotations

import argparse
import asyncio
import tempfile
import time
import tracemalloc
from collections.abc import Awaitable, Callable
from pathlib import Path

from bot import logs

logs.configure("WARNING", "text")

from vkbottle import API, Bot  # noqa: E402
from vkbottle.bot import Message  # noqa: E402
from vkbottle.http import AiohttpClient  # noqa: E402
from vkbottle.polling import BotPolling  # noqa: E402

from bot.clock import SystemClock  # noqa: E402
from bot.sandbox.vk import Emulator  # noqa: E402
from tests.harness import GROUP_ID, TOKEN, RunningBot, make_settings  # noqa: E402

# Process CPU per update (ms) of the last timed round of each bot, emulator included: the
# second figure the round gives beside its speed, read by main() and bench/burst_bench.py.
cpu_ms: dict[str, float] = {}


async def _drive(emu: Emulator, users: int, base: int, name: str) -> float:
    """Updates per second of returning people: a first, untimed round registers everyone."""
    clients = [emu.user(base + i, "Анна", f"Иванова{i}") for i in range(users)]
    await asyncio.gather(*(c.say("Начать") for c in clients))
    started, cpu = time.perf_counter(), time.process_time()
    await asyncio.gather(*(c.say("Начать") for c in clients))
    elapsed = time.perf_counter() - started
    cpu_ms[name] = (time.process_time() - cpu) / users * 1000
    assert all(len(c.messages) == 2 for c in clients)
    return users / elapsed


async def baseline(users: int) -> float:
    async with Emulator(token=TOKEN, group_id=GROUP_ID) as emu:
        api = API(TOKEN, http_client=AiohttpClient())
        api.API_URL = emu.api_url
        bot = Bot(api=api, polling=BotPolling(api, group_id=GROUP_ID))

        @bot.on.message()
        async def echo(message: Message) -> None:
            await message.answer("ok")

        with tempfile.TemporaryDirectory() as tmp:
            # vkbottle's polling writes ./.vkbottle: keep it out of the working tree.
            cwd = Path.cwd()
            import os

            os.chdir(tmp)
            task = asyncio.create_task(bot.run_polling())
            try:
                await emu.wait_for_poller()
                return await _drive(emu, users, 10_000, "bare")
            finally:
                task.cancel()
                await asyncio.gather(task, return_exceptions=True)
                await api.http_client.close()
                os.chdir(cwd)


async def ours(users: int) -> float:
    async with Emulator(token=TOKEN, group_id=GROUP_ID) as emu:
        with tempfile.TemporaryDirectory() as tmp:
            settings = make_settings(Path(tmp) / "b.sqlite3", emu.api_url, log_level="WARNING")
            running = await RunningBot(settings, emu, SystemClock()).start()  # type: ignore[arg-type]
            try:
                return await _drive(emu, users, 20_000, "ours")
            finally:
                await running.stop()


async def _peak_memory(run: Callable[[int], Awaitable[float]], users: int) -> float:
    """Peak traced memory of one run, in MB (tracing slows Python: never timed together)."""
    tracemalloc.start()
    try:
        await run(users)
        return tracemalloc.get_traced_memory()[1] / 1e6
    finally:
        tracemalloc.stop()


async def main(users: int) -> None:
    base, mine = await baseline(users), await ours(users)
    cpu = dict(cpu_ms)
    base_mb, mine_mb = await _peak_memory(baseline, users), await _peak_memory(ours, users)
    print(f"users (updates per round): {users}")
    print(f"bare vkbottle:    {base:8.0f} updates/s   peak {base_mb:6.1f} MB")
    print(f"staff-verify-bot: {mine:8.0f} updates/s   peak {mine_mb:6.1f} MB")
    print(f"ratio ours/bare:  {mine / base:8.2f} (speed)       {mine_mb / base_mb:5.2f} (memory)")
    print(f"CPU per update:   bare {cpu['bare']:.3f} ms, ours {cpu['ours']:.3f} ms, ", end="")
    print(f"ratio ours/bare {cpu['ours'] / cpu['bare']:.2f}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--users", type=int, default=200)
    asyncio.run(main(parser.parse_args().users))
