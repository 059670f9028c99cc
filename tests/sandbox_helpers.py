"""The sandbox for tests: started in the test's loop on a free port with its own data folder,
and a headless Debian Chromium driven by Playwright, the way a person uses the page."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from playwright.async_api import BrowserContext, Locator, Page, async_playwright, expect

from bot.sandbox.run import Sandbox

CHROMIUM = Path("/usr/bin/chromium")
# Without these Chromium phones home for updates, sync and field trials: this machine has no
# network, so it would flood the loopback with refused connections.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "test-artifacts"
TEACHER, ADMIN, VERIFIED = 3, 2, 7


@asynccontextmanager
async def running_sandbox(data_dir: Path, *, fresh: bool = False) -> AsyncIterator[Sandbox]:
    sandbox = Sandbox(data_dir, port=0, fresh=fresh)
    await sandbox.start()
    try:
        yield sandbox
        assert sandbox.emu is not None
        # Every call the bot made must have matched VK's schema and limits.
        assert sandbox.emu.violations == [], sandbox.emu.violations
    finally:
        await sandbox.stop()


@asynccontextmanager
async def browser(profile: Path, *, width: int = 1280) -> AsyncIterator[BrowserContext]:
    async with async_playwright() as pw:
        context = await pw.chromium.launch_persistent_context(
            str(profile),
            executable_path=str(CHROMIUM),
            args=CHROMIUM_ARGS,
            viewport={"width": width, "height": 900},
            accept_downloads=True,
        )
        try:
            yield context
        finally:
            await context.close()


async def screenshot(page: Page, name: str) -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    await page.screenshot(path=str(path), full_page=True)
    return path


class PaneUser:
    """One pane of the page: picks a person, writes, taps buttons, reads the dialog."""

    def __init__(self, page: Page, index: int) -> None:
        self.page = page
        self.root = page.locator(f'[data-pane="{index}"]')

    def bot_messages(self) -> Locator:
        return self.root.locator('.msg[data-from="bot"]')

    def last_bot(self) -> Locator:
        return self.bot_messages().last

    async def pick(self, user_id: int) -> None:
        await self.root.locator("select.person").select_option(str(user_id))

    async def client(self, kind: str) -> None:
        await self.root.locator("select.client").select_option(kind)

    async def start(self) -> None:
        await self.root.locator(".start").click()

    async def say(self, text: str) -> None:
        box = self.root.locator("textarea.text")
        await box.fill(text)
        await box.press("Enter")

    async def tap(self, label: str, then: str | re.Pattern[str]) -> None:
        """Press the newest button with exactly this label; `then` is in the bot's answer (a
        new message or the pressed one edited), so the next step acts on what it shows."""
        name = re.compile(rf"^\s*{re.escape(label)}\s*$")
        await self.root.get_by_role("button", name=name).last.click()
        await self.expect_bot(then)

    async def expect_bot(self, text: str | re.Pattern[str]) -> None:
        await expect(self.last_bot()).to_contain_text(text)

    async def new_person(self, first: str, last: str) -> None:
        await self.root.locator("select.person").select_option("new")
        await self.root.locator("input.first-name").fill(first)
        await self.root.locator("input.last-name").fill(last)
        await self.root.get_by_role("button", name="Добавить").click()
        await expect(self.root.locator(".who")).to_have_text(f"{first} {last}")
