"""How long `python -m bot` takes, in an empty folder with nothing configured, from the command
to the sandbox's page answering, and how many bytes the page is.

Each run starts a fresh interpreter in a new temporary folder (a first start: migrations and the
demo seed included), waits for the printed address, then times the page's first full load (the
HTML, its CSS, script and icon, and the texts it asks for). In the same run, as a baseline, it
times `python -c "import bot.app"`: the interpreter and the bot's imports alone. The install is
not timed. Prints medians; nothing here asserts a time.

    python -m bench.sandbox_bench [--repeat 5]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import signal
import statistics
import sys
import tempfile
import time
from pathlib import Path

import aiohttp

ROOT = Path(__file__).resolve().parent.parent
PAGE = ("/", "/static/app.css", "/static/app.js", "/static/icon.svg")
ADDRESS = re.compile(rb"http://127\.0\.0\.1:\d+")


def _env() -> dict[str, str]:
    return {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "PYTHONPATH": str(ROOT)}


async def _page_bytes(url: str) -> tuple[int, int]:
    """(static page bytes, bytes of the texts and people it loads)."""
    async with aiohttp.ClientSession() as http:
        static = 0
        for path in PAGE:
            async with http.get(url + path) as response:
                assert response.status == 200, path
                static += len(await response.read())
        async with http.get(url + "/api/config") as response:
            config = len(await response.read())
    return static, config


async def _start_once() -> tuple[float, float, int, int]:
    with tempfile.TemporaryDirectory() as cwd:
        began = time.perf_counter()
        proc = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "bot",
            cwd=cwd,
            env=_env(),
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.DEVNULL,
        )
        assert proc.stdout is not None
        line = await proc.stdout.readline()
        printed = time.perf_counter() - began
        found = ADDRESS.search(line)
        if found is None:
            proc.kill()
            raise SystemExit(f"no address printed: {line!r}")
        static, config = await _page_bytes(found.group(0).decode())
        loaded = time.perf_counter() - began
        proc.send_signal(signal.SIGTERM)
        await proc.wait()
    return printed, loaded, static, config


async def _baseline() -> float:
    began = time.perf_counter()
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-c", "import bot.app", cwd=ROOT, env=_env()
    )
    await proc.wait()
    return time.perf_counter() - began


async def main(repeat: int) -> None:
    runs = [await _start_once() for _ in range(repeat)]
    baselines = [await _baseline() for _ in range(repeat)]
    printed = statistics.median(r[0] for r in runs)
    loaded = statistics.median(r[1] for r in runs)
    base = statistics.median(baselines)
    static, config = runs[0][2], runs[0][3]
    print(f"runs: {repeat}")
    print(f"command -> address printed: median {printed:.2f} s")
    print(f"command -> page loaded:     median {loaded:.2f} s ({loaded / base:.1f}x the baseline)")
    print(f"baseline (import bot.app):  median {base:.2f} s")
    print(f"page weight: {static} bytes static (HTML, CSS, JS, icon) + {config} bytes of texts")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=5)
    asyncio.run(main(parser.parse_args().repeat))
