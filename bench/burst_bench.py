"""A crowd writes at once: 100 people say "Начать", then each presses a button, while the
emulator enforces VK's 20 requests/s and the bot's limiter is at 20 (as in production).

Run: .venv/bin/python -m bench.burst_bench [--people 100] [--cpu-users 200]

The same burst runs twice in one process, with VKApi's batching into execute off and on. For
each phase it prints the p50, p95 and the last reply time (from a person's action to the bot's
answer reaching them), the VK requests it took and the emulator's peak requests per second.
A reply to the press counts when both the event answer and the new message have arrived.
Then, as bench/updates_bench.py does, per-update CPU of the whole bot against a bare vkbottle
echo bot in the same run (process CPU time, emulator included for both). Nothing here asserts.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from bot import logs

logs.configure("WARNING", "text")

from bench import updates_bench  # noqa: E402
from bot.clock import SystemClock  # noqa: E402
from bot.sandbox.vk import Emulator, UserClient  # noqa: E402
from tests.harness import GROUP_ID, TOKEN, RunningBot, make_settings  # noqa: E402

VK_RPS = 20
# Far above any reply time seen; a run that needs it is broken, not slow.
PATIENCE = 120.0


@dataclass
class Phase:
    waits: list[float]
    requests: int
    peak_rps: int

    def line(self, name: str) -> str:
        waits = sorted(self.waits)
        p95 = waits[min(len(waits) - 1, round(0.95 * len(waits)) - 1)]
        return (
            f"  {name:<6} p50 {statistics.median(waits):5.2f} s   p95 {p95:5.2f} s   "
            f"last {waits[-1]:5.2f} s   VK requests {self.requests:4d}   peak {self.peak_rps} rps"
        )


async def _phase(
    emu: Emulator,
    people: list[UserClient],
    act: Callable[[UserClient], str],
    answered: Callable[[UserClient, str], bool],
) -> Phase:
    """Everyone acts at once; each wait ends when that person has the bot's answer."""
    emu.reset_calls()
    started = time.perf_counter()
    pushed = [act(person) for person in people]
    waits: list[float] = [0.0] * len(people)

    async def wait(i: int) -> None:
        await emu.until(lambda: answered(people[i], pushed[i]), within=PATIENCE)
        waits[i] = time.perf_counter() - started

    await asyncio.gather(*(wait(i) for i in range(len(people))))
    return Phase(waits, emu.requests, emu.max_rps_seen)


def _press_help(person: UserClient) -> str:
    menu = person.last_message
    button = next(b for b in menu.buttons if b.type == "callback" and b.label == "Помощь")
    assert isinstance(button.payload, dict)
    return person.push_callback(button.payload, menu.conversation_message_id)


async def burst(people: int, *, batching: bool, base: int) -> tuple[Phase, Phase]:
    async with Emulator(token=TOKEN, group_id=GROUP_ID, enforce_rps=VK_RPS) as emu:
        with tempfile.TemporaryDirectory() as tmp:
            settings = make_settings(
                Path(tmp) / "burst.sqlite3", emu.api_url, vk_rps=VK_RPS, log_level="WARNING"
            )
            running = await RunningBot(settings, emu, SystemClock()).start()  # type: ignore[arg-type]
            assert running.app is not None
            running.app.api.batching = batching
            crowd = [emu.user(base + i, "Анна", f"Иванова{i}") for i in range(people)]
            try:
                write = await _phase(
                    emu,
                    crowd,
                    lambda p: p.push_message("Начать"),
                    lambda p, _: len(p.messages) >= 1,
                )
                press = await _phase(
                    emu,
                    crowd,
                    _press_help,
                    lambda p, event: len(p.messages) >= 2 and bool(p.answers_for(event)),
                )
            finally:
                await running.stop()
            assert emu.violations == [], emu.violations
            return write, press


async def main(people: int, cpu_users: int) -> None:
    print(f"{people} people at once, emulator enforcing {VK_RPS} rps, bot limiter {VK_RPS} rps")
    for batching, base in ((False, 10_000), (True, 20_000)):
        write, press = await burst(people, batching=batching, base=base)
        print(f"batching {'on' if batching else 'off'}:")
        print(write.line("write"))
        print(press.line("press"))
    await updates_bench.baseline(cpu_users)
    await updates_bench.ours(cpu_users)
    bare, ours = updates_bench.cpu_ms["bare"], updates_bench.cpu_ms["ours"]
    print(f"CPU per update of returning people ({cpu_users} at once, emulator included):")
    print(f"  bare vkbottle {bare:6.3f} ms   staff-verify-bot {ours:6.3f} ms", end="")
    print(f"   ratio {ours / bare:.2f}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--people", type=int, default=100)
    parser.add_argument("--cpu-users", type=int, default=200)
    args = parser.parse_args()
    asyncio.run(main(args.people, args.cpu_users))
