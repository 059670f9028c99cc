"""The deployer's figures: start-to-first-poll of `python -m bot`, and the Callback API's time
from POST to `ok` under concurrent POSTs, each against a baseline measured in the same run.

Run: .venv/bin/python -m bench.deploy_bench [--posts 200] [--starts 5]

- Start: from spawning `python -m bot` to its first long poll parked at the emulator (the
  start-up check, migrations, the lock, getLongPollServer included). Baseline: spawning
  `python -m bot --version`, the same interpreter and package doing nothing.
- Callback: 200 message_new events POSTed at once to the bot's endpoint (signed with the
  secret, from 200 people), each timed to its `ok`; the bot stores each in its SQLite inbox
  before answering. Baseline: a bare aiohttp endpoint answering `ok` in the same process.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import secrets
import statistics
import sys
import tempfile
import time
from pathlib import Path

from bot import logs

logs.configure("WARNING", "text")

import aiohttp  # noqa: E402
from aiohttp import web  # noqa: E402

from bot.clock import SystemClock  # noqa: E402
from bot.sandbox.vk import Emulator  # noqa: E402
from tests.harness import GROUP_ID, TOKEN, RunningBot, make_settings  # noqa: E402
from tests.proc_helpers import free_port  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
SECRET = "bench-secret"


def _env(emu: Emulator, data: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("VK_", "DATABASE_"))}
    env |= {
        "VK_TOKEN": TOKEN,
        "VK_GROUP_ID": str(GROUP_ID),
        "VK_API_URL": emu.api_url,
        "DATABASE_PATH": str(data / "bot.sqlite3"),
        "LOG_LEVEL": "WARNING",
        "PYTHONPATH": str(ROOT),
    }
    return env


async def start_to_first_poll(starts: int) -> tuple[float, float]:
    bot_times, base_times = [], []
    for _ in range(starts):
        async with Emulator(token=TOKEN, group_id=GROUP_ID) as emu:
            with tempfile.TemporaryDirectory() as tmp:
                env = _env(emu, Path(tmp) / "data")
                began = time.perf_counter()
                proc = await asyncio.create_subprocess_exec(
                    sys.executable, "-m", "bot", cwd=tmp, env=env,
                    stderr=asyncio.subprocess.DEVNULL,
                )  # fmt: skip
                await emu.wait_for_poller()
                bot_times.append(time.perf_counter() - began)
                proc.terminate()
                await proc.wait()
                began = time.perf_counter()
                base = await asyncio.create_subprocess_exec(
                    sys.executable, "-m", "bot", "--version", cwd=tmp, env=env,
                    stdout=asyncio.subprocess.DEVNULL,
                )  # fmt: skip
                await base.wait()
                base_times.append(time.perf_counter() - began)
    return statistics.median(bot_times), statistics.median(base_times)


def _event(user: int) -> dict[str, object]:
    return {
        "type": "message_new",
        "group_id": GROUP_ID,
        "event_id": secrets.token_hex(20),
        "v": "5.199",
        "secret": SECRET,
        "object": {
            "message": {
                "id": user,
                "date": int(time.time()),
                "from_id": user,
                "peer_id": user,
                "text": "Начать",
                "conversation_message_id": 1,
                "out": 0,
                "attachments": [],
                "fwd_messages": [],
                "important": False,
                "is_hidden": False,
                "version": 1,
            },
            "client_info": {
                "button_actions": ["text", "callback"],
                "keyboard": True,
                "inline_keyboard": True,
                "carousel": True,
                "lang_id": 0,
            },
        },
    }


async def _post_all(url: str, posts: int) -> list[float]:
    async def one(session: aiohttp.ClientSession, user: int) -> float:
        began = time.perf_counter()
        async with session.post(url, json=_event(user)) as response:
            assert (response.status, await response.text()) == (200, "ok")
        return time.perf_counter() - began

    connector = aiohttp.TCPConnector(limit=posts)
    async with aiohttp.ClientSession(connector=connector) as session:
        return list(await asyncio.gather(*(one(session, 10_000 + i) for i in range(posts))))


def _p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[-1]


async def callback_latency(posts: int) -> tuple[list[float], list[float]]:
    async with Emulator(token=TOKEN, group_id=GROUP_ID) as emu:
        for i in range(posts):
            emu.user(10_000 + i, "Анна", f"Иванова{i}")
        with tempfile.TemporaryDirectory() as tmp:
            port = free_port()
            settings = make_settings(
                Path(tmp) / "bot.sqlite3", emu.api_url, vk_mode="callback",
                callback_url=f"http://127.0.0.1:{port}/vk/callback", callback_secret=SECRET,
                callback_port=port, log_level="WARNING",
            )  # fmt: skip
            running = await RunningBot(settings, emu, SystemClock()).start()  # type: ignore[arg-type]
            try:
                ours = await _post_all(settings.callback_url, posts)
                assert running.app is not None
                await running.app.runner.drain()
            finally:
                await running.stop()

    async def ok(request: web.Request) -> web.Response:
        await request.read()
        return web.Response(text="ok")

    app = web.Application()
    app.router.add_post("/vk/callback", ok)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    port = free_port()
    await web.TCPSite(runner, "127.0.0.1", port).start()
    try:
        base = await _post_all(f"http://127.0.0.1:{port}/vk/callback", posts)
    finally:
        await runner.cleanup()
    return ours, base


async def main(posts: int, starts: int) -> None:
    bot_start, base_start = await start_to_first_poll(starts)
    print(
        f"start to first poll: {bot_start * 1000:.0f} ms (median of {starts});"
        f" python -m bot --version: {base_start * 1000:.0f} ms; ratio {bot_start / base_start:.2f}"
    )
    ours, base = await callback_latency(posts)
    print(
        f"callback POST to ok, {posts} concurrent: median {statistics.median(ours) * 1000:.1f} ms,"
        f" p95 {_p95(ours) * 1000:.1f} ms; bare aiohttp 'ok': median"
        f" {statistics.median(base) * 1000:.1f} ms, p95 {_p95(base) * 1000:.1f} ms;"
        f" ratio of medians {statistics.median(ours) / statistics.median(base):.2f}"
    )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--posts", type=int, default=200)
    parser.add_argument("--starts", type=int, default=5)
    args = parser.parse_args()
    asyncio.run(main(args.posts, args.starts))
