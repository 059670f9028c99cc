"""`python -m bot check` and `check --fix` on a misconfigured emulated community, as pasted in
the deploy note: Long Poll at API 5.103 without message_event and message_allow, community
messages off, a token without the docs right.

Run: .venv/bin/python -m bench.check_demo
"""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from bot.sandbox.vk import Emulator

ROOT = Path(__file__).resolve().parent.parent


async def main() -> None:
    async with Emulator(token="T", group_id=4242) as emu:
        emu.community.break_long_poll(version="5.103", off=("message_event", "message_allow"))
        emu.community.online_status = "none"
        emu.community.permissions -= {"docs"}
        env = {k: v for k, v in os.environ.items() if not k.startswith(("VK_", "LANG", "LC_"))}
        env |= {
            "VK_TOKEN": "T",
            "VK_GROUP_ID": "4242",
            "VK_API_URL": emu.api_url,
            "LANG": "ru_RU.UTF-8",
            "PYTHONPATH": str(ROOT),
        }
        with tempfile.TemporaryDirectory() as tmp:
            for args in (["check"], ["check", "--fix"]):
                done = await asyncio.to_thread(
                    subprocess.run,
                    [sys.executable, "-m", "bot", *args],
                    cwd=tmp,
                    env=env,
                    capture_output=True,
                    text=True,
                    check=False,
                )
                print(f"$ python -m bot {' '.join(args)}    # exit {done.returncode}")
                print(done.stdout)


if __name__ == "__main__":
    asyncio.run(main())
