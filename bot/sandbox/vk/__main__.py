"""Runs the emulator by hand: ``python -m bot.sandbox.vk --port 8081 --token T --group-id 1``.

Prints the API URL as the first line of stdout; point the bot's VK_API_URL at it, then talk to
the bot with ``POST /_emu/say`` and read its answers with ``GET /_emu/messages?peer_id=N``.
"""

from __future__ import annotations

import argparse
import asyncio
import signal
import sys

from .server import Emulator


async def _serve(args: argparse.Namespace) -> None:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    async with Emulator(token=args.token, group_id=args.group_id, port=args.port) as emu:
        print(emu.api_url, flush=True)
        base = emu.base_url
        print(
            f"VK API emulator for group {args.group_id}, token {args.token!r}.\n"
            f'  talk:  curl -d \'{{"user_id": 5, "text": "Начать"}}\' {base}/_emu/say\n'
            f"  read:  curl '{base}/_emu/messages?peer_id=5'",
            file=sys.stderr,
            flush=True,
        )
        await stop.wait()


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bot.sandbox.vk", description=__doc__)
    parser.add_argument("--port", type=int, default=8081, help="0 picks a free port")
    parser.add_argument("--token", default="test-token")
    parser.add_argument("--group-id", type=int, default=1)
    asyncio.run(_serve(parser.parse_args()))


if __name__ == "__main__":
    main()
