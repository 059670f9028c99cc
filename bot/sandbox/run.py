"""`python -m bot sandbox`: the real bot (app factory, long poll, storage, handlers) against the
VK emulator served in the same process, and a web chat that plays VK Messenger for its people.

Everything lives in the data folder, apart from the production database: the bot's own
`sandbox.sqlite3`, the emulator's `sandbox-vk/` (what VK would keep) and `sandbox.log`.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import secrets
import shutil
import signal
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from aiohttp import web
from loguru import logger

from bot.i18n import Translator

if TYPE_CHECKING:
    from loguru import Record

    from bot.app import App
    from bot.sandbox.emulator import SandboxEmulator
    from bot.sandbox.web import ChatPage

DEFAULT_PORT = 8080
GROUP_ID = 1
DB_NAME = "sandbox.sqlite3"
STATE_NAME = "sandbox-vk"
LOG_NAME = "sandbox.log"


class StartError(Exception):
    """One line for the person who started the sandbox; exit code 2."""


class Sandbox:
    """The emulator, the bot and the page, started and stopped together (tests use it as is)."""

    def __init__(
        self,
        data_dir: Path = Path("data"),
        host: str = "127.0.0.1",
        port: int | None = None,
        fresh: bool = False,
        locale: str = "ru",
    ) -> None:
        self.data_dir, self.host, self.port = data_dir, host, port
        self.fresh, self.locale = fresh, locale
        self.emu: SandboxEmulator | None = None
        self.app: App | None = None
        self.page: ChatPage | None = None
        self.bot_task: asyncio.Task[None] | None = None
        self._runner: web.AppRunner | None = None

    async def start(self) -> None:
        # Imported here: the bot's modules pull in vkbottle, which must come after logging is set.
        from bot.app import create_app
        from bot.config import SettingsError, load_settings
        from bot.sandbox.emulator import SandboxEmulator
        from bot.sandbox.seed import Seed, add_people, seed_database
        from bot.sandbox.web import ChatPage, page_keys

        t = Translator(self.locale)
        state_dir = self.data_dir / STATE_NAME
        db_path = self.data_dir / DB_NAME
        if self.fresh:
            _remove(db_path, state_dir)
        state_dir.mkdir(parents=True, exist_ok=True)
        token = _token(state_dir)
        seed = Seed.load()
        name = t(self.locale, "sandbox-community-name")
        emu = SandboxEmulator(state_dir, token=token, group_id=GROUP_ID, group_name=name)
        try:
            first_start = not emu.load()
        except (ValueError, KeyError, TypeError, OSError) as exc:
            # INFO: the file gets the traceback, the terminal only the one line below.
            logger.opt(exception=exc).info("Sandbox state unreadable: {}", exc)
            raise StartError(t(self.locale, "sandbox-bad-state", path=str(state_dir))) from None
        if first_start:
            # The dialogs and the database start together, or a half-seeded demo would be kept.
            _remove(db_path)
            add_people(emu, seed)
        # The emulator serves only this process's bot: it stays on the loopback whatever --host.
        emu.host = "127.0.0.1"
        await emu.start()
        self.emu = emu
        try:
            settings = load_settings(
                vk_token=token,
                vk_group_id=GROUP_ID,
                vk_api_url=emu.api_url,
                database_path=db_path,
                superadmin_ids=",".join(str(i) for i in seed.superadmins),
                default_locale=self.locale,
            )
        except SettingsError as exc:
            await self.stop()
            raise StartError(str(exc)) from None
        self.app = await create_app(settings)
        if first_start:
            await seed_database(self.app.deps, seed)
            emu.save()
        self.bot_task = asyncio.create_task(self.app.run())
        # On a first start the bot takes long poll's current position: whatever a person wrote
        # before it connected would be skipped, as in VK, so the page opens only after that.
        connected = asyncio.create_task(self.app.runner.connected.wait())
        await asyncio.wait({connected, self.bot_task}, return_when=asyncio.FIRST_COMPLETED)
        if self.bot_task.done():
            connected.cancel()
            logger.opt(exception=self.bot_task.exception()).info("The sandbox's bot failed")
            await self.stop()
            raise StartError(
                t(self.locale, "sandbox-bot-failed", log=str(self.data_dir / LOG_NAME))
            )
        self.page = ChatPage(emu, t, seed.roles(), page_keys())
        web_app = web.Application()
        self.page.routes(web_app)
        self._runner = web.AppRunner(web_app, access_log=None, shutdown_timeout=1.0)
        await self._runner.setup()
        try:
            await self._listen(self._runner)
        except OSError as exc:
            await self.stop()
            reason = exc.strerror or str(exc)
            port = str(DEFAULT_PORT if self.port is None else self.port)
            text = t(self.locale, "sandbox-port-busy", host=self.host, port=port, error=reason)
            raise StartError(text) from None

    async def _listen(self, runner: web.AppRunner) -> None:
        if self.port is not None:
            await web.TCPSite(runner, self.host, self.port).start()
        else:
            # Not asked for a port: 8080 if it is free, else any free one (the line says which).
            try:
                await web.TCPSite(runner, self.host, DEFAULT_PORT).start()
            except OSError:
                await web.TCPSite(runner, self.host, 0).start()
        self.port = int(runner.addresses[0][1])

    @property
    def url(self) -> str:
        host = "127.0.0.1" if self.host in ("0.0.0.0", "") else self.host
        return f"http://{host}:{self.port}"

    async def stop(self) -> None:
        if self.page is not None:
            await self.page.close()
            self.page = None
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None
        if self.app is not None:
            self.app.stop()
            if self.bot_task is not None:
                with contextlib.suppress(Exception):
                    await self.bot_task
            await self.app.close()
            self.app = None
        if self.emu is not None:
            await self.emu.stop()
            self.emu = None


def _token(state_dir: Path) -> str:
    """The community token of this sandbox: it also signs the buttons, so it outlives a restart."""
    path = state_dir / "token"
    if not path.is_file():
        path.write_text(secrets.token_hex(16), encoding="utf-8")
    return path.read_text(encoding="utf-8").strip()


def _remove(*paths: Path) -> None:
    for path in paths:
        if path.is_dir():
            shutil.rmtree(path)
        for candidate in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
            candidate.unlink(missing_ok=True)


def _port(raw: str) -> int:
    if not raw.isdigit() or int(raw) > 65535:
        raise argparse.ArgumentTypeError(f"{raw!r} is not a port number (0..65535)")
    return int(raw)


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="python -m bot sandbox",
        description="Run the whole bot offline against a local VK emulator, with a web chat"
        " that looks like VK Messenger. The page has no login.",
    )
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    p.add_argument(
        "--port", type=_port, help="default 8080 (another free one if it is taken); 0 picks one"
    )
    p.add_argument("--fresh", action="store_true", help="forget everything, seed the demo again")
    p.add_argument("--data", type=Path, default=Path("data"), help="data folder (default data)")
    return p


async def _serve(sandbox: Sandbox, t: Translator) -> int:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    try:
        await sandbox.start()
    except StartError as exc:
        print(exc, file=sys.stderr)
        return 2
    print(t(sandbox.locale, "sandbox-started", url=sandbox.url), flush=True)
    logger.info("Sandbox serving {} (data in {})", sandbox.url, sandbox.data_dir)
    runner_task = sandbox.bot_task
    assert runner_task is not None
    waiter = asyncio.create_task(stop.wait())
    await asyncio.wait({waiter, runner_task}, return_when=asyncio.FIRST_COMPLETED)
    waiter.cancel()
    failed = runner_task.done() and runner_task.exception() is not None
    if failed:
        logger.opt(exception=runner_task.exception()).error("The bot stopped unexpectedly")
    with contextlib.suppress(Exception):
        await sandbox.stop()
    return 1 if failed else 0


def _terminal_line(record: Record) -> str:
    # A format function gets no traceback appended, unlike a format string.
    return "{time:HH:mm:ss} | {level} | {message}\n"


def main(argv: list[str]) -> int:
    args = parser().parse_args(argv)
    data_dir: Path = args.data
    try:
        data_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        print(f"{data_dir}: {exc.strerror or exc}", file=sys.stderr)
        return 2
    # The terminal shows one line for what needs a person's attention, never a traceback; the
    # file keeps the full log, tracebacks included. Set before vkbottle is imported, which adds
    # its own sink to a bare loguru.
    logger.remove()
    logger.add(sys.stderr, level="WARNING", format=_terminal_line, colorize=False)
    logger.add(data_dir / LOG_NAME, level="INFO", diagnose=False, encoding="utf-8")
    t = Translator("ru")
    sandbox = Sandbox(data_dir, args.host, args.port, args.fresh)
    return asyncio.run(_serve(sandbox, t))
