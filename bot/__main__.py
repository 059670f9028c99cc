"""`python -m bot` runs the bot; `python -m bot <command>` is the deployer's command line."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import asyncio

    from bot.config import Settings


def main(argv: list[str] | None = None) -> int:
    # Ctrl-C before the event loop takes the signal over ends as quietly as one after it.
    try:
        return _main(sys.argv[1:] if argv is None else argv)
    except KeyboardInterrupt:
        return 0


def _community_configured() -> bool:
    from bot.config import vk_community_configured

    return vk_community_configured()


def _main(args: list[str]) -> int:
    if args[:1] == ["sandbox"] or (not args and not _community_configured()):
        # No community configured: the product runs offline against its own VK emulator.
        from bot.sandbox.run import main as sandbox

        return sandbox(args[1:])
    if args:
        # The deployer's commands (and --help): no VK settings needed, no bot started.
        from bot.cli import run

        return run(args)

    from bot.config import ENV_FILE, SettingsError, env_file_line, load_settings

    try:
        settings = load_settings()
    except SettingsError as exc:
        print(exc, file=sys.stderr)
        return 2

    import asyncio

    from bot import logs

    # Before vkbottle is imported anywhere, so its own loguru sink is not added.
    logs.configure(settings.log_level, settings.log_format, settings.secrets())
    from loguru import logger

    from bot.deployer import say

    logger.info(say("start-env", source=env_file_line(ENV_FILE)))
    # A KeyboardInterrupt raised while asyncio.run builds its loop leaves a half-made loop whose
    # __del__ prints a traceback; until the loop's own handlers are in place, a signal is only
    # noted, and _serve stops at once when it finds one.
    import signal

    early: list[int] = []
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda signum, _frame: early.append(signum))
    return asyncio.run(_serve(settings, early))


async def _serve(settings: Settings, early: list[int]) -> int:
    import asyncio
    import signal

    from loguru import logger

    from bot import startup
    from bot.instance_lock import InstanceLock, Locked

    stopping = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stopping.set)
    if early:
        return 0

    # Nothing is created before VK has accepted the settings, so a failed start leaves no trace.
    verified = asyncio.ensure_future(startup.verify(settings))
    stop = asyncio.ensure_future(stopping.wait())
    await asyncio.wait({verified, stop}, return_when=asyncio.FIRST_COMPLETED)
    stop.cancel()
    if not verified.done():
        # Stopped while VK was still being waited for: nothing started, nothing to undo.
        verified.cancel()
        await asyncio.gather(verified, return_exceptions=True)
        return 0
    try:
        identity = verified.result()
    except startup.StartupError as exc:
        logger.error(str(exc))
        return 2
    try:
        startup.probe_database(settings.database_path)
    except startup.StartupError as exc:
        logger.error(str(exc))
        return 2
    lock = InstanceLock(settings.database_path)
    try:
        lock.acquire()
    except Locked as exc:
        from bot.deployer import say

        holder, path = exc.holder, str(settings.database_path)
        logger.error(say("start-locked", path=path, pid=holder.pid, since=holder.since))
        return 2
    try:
        return await _run_app(settings, identity.name, stopping)
    finally:
        lock.release()


async def _run_app(settings: Settings, group_name: str, stopping: asyncio.Event) -> int:
    import asyncio

    from loguru import logger

    from bot.app import create_app

    app = await create_app(settings)
    run = asyncio.create_task(app.run())
    stop = asyncio.create_task(stopping.wait())
    connected = asyncio.create_task(app.runner.connected.wait())
    try:
        await asyncio.wait({run, connected, stop}, return_when=asyncio.FIRST_COMPLETED)
        if connected.done() and not stop.done():
            # Only now has VK handed over updates: systemd and the deployer see a live bot.
            logger.info(
                "Bot started for group {} ({}) at {}",
                settings.vk_group_id,
                group_name,
                settings.vk_api_url,
            )
        await asyncio.wait({run, stop}, return_when=asyncio.FIRST_COMPLETED)
        app.stop()
        try:
            await run
        except OSError as exc:
            # The Callback API or health port is taken or not allowed: a setting, not a crash.
            from bot.deployer import say

            logger.error(say("start-port", reason=exc.strerror or str(exc)))
            return 2
    finally:
        for task in (stop, connected):
            task.cancel()
        await app.close()
        logger.info("Bot stopped")
    return 0


if __name__ == "__main__":
    sys.exit(main())
