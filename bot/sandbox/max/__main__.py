"""Runs the MAX emulator by hand: ``python -m bot.sandbox.max --port 8082 --token T``.

Prints the API URL as the first line of stdout; point the bot's MAX API URL at it. People are
played from Python (``MaxEmulator.user``); by hand, the emulator answers the bot's requests.
"""

from __future__ import annotations

import argparse
import asyncio
import signal
import sys

from .server import MaxEmulator


async def _serve(args: argparse.Namespace) -> None:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    emu = MaxEmulator(
        token=args.token,
        bot_username=args.bot_username,
        allow_loopback_webhooks=args.allow_loopback_webhooks,
        port=args.port,
    )
    async with emu:
        print(emu.api_url, flush=True)
        print(
            f"MAX Bot API emulator for @{args.bot_username}, token {args.token!r}.\n"
            f"  try:  curl -H 'Authorization: {args.token}' {emu.api_url}/me",
            file=sys.stderr,
            flush=True,
        )
        await stop.wait()


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bot.sandbox.max", description=__doc__)
    parser.add_argument("--port", type=int, default=8082, help="0 picks a free port")
    parser.add_argument("--token", default="max-test-token")
    parser.add_argument("--bot-username", default="staff_verify_bot")
    parser.add_argument(
        "--allow-loopback-webhooks",
        action="store_true",
        help="accept http:// webhooks on 127.0.0.1/localhost (MAX itself takes https:// only)",
    )
    asyncio.run(_serve(parser.parse_args()))


if __name__ == "__main__":
    main()
