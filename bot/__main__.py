"""`python -m bot` runs the bot; `python -m bot <command>` is the deployer's command line."""

from __future__ import annotations

import asyncio
import signal
import sys


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if args[:1] == ["sandbox"] or (not args and not _community_configured()):
        # No community configured: the product runs offline against its own VK emulator.
        from bot.sandbox.run import main as sandbox

        return sandbox(args[1:])
    if args:
        # The deployer's commands (and --help): no VK settings needed, no bot started.
        from bot.cli import run

        return run(args)

    from bot.config import SettingsError, load_settings

    try:
        settings = load_settings()
    except SettingsError as exc:
        print(exc, file=sys.stderr)
        return 2

    from bot import logs

    # Before vkbottle is imported anywhere, so its own loguru sink is not added.
    logs.configure(settings.log_level, settings.log_format, (settings.vk_token.get_secret_value(),))
    return asyncio.run(_serve(settings))


def _community_configured() -> bool:
    from bot.config import vk_community_configured

    return vk_community_configured()


async def _serve(settings: object) -> int:
    from loguru import logger

    from bot.app import create_app
    from bot.config import Settings

    assert isinstance(settings, Settings)
    app = await create_app(settings)
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, app.stop)
    logger.info("Bot started for group {} at {}", settings.vk_group_id, settings.vk_api_url)
    try:
        await app.run()
    finally:
        await app.close()
        logger.info("Bot stopped")
    return 0


if __name__ == "__main__":
    sys.exit(main())
