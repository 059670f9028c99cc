"""Shared pieces of the MAX tests: the emulator fixture and a tiny echo bot on bot/max_api.py."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from typing import Any

import pytest

from bot import max_api
from bot.max_api import MaxApi
from bot.sandbox.max import MaxEmulator

MAX_TOKEN = "max-test-token-0123456789abcdef"
QUICK_RETRIES = (0.01, 0.02, 0.05, 0.1)


@pytest.fixture
async def max_emu() -> AsyncIterator[MaxEmulator]:
    async with MaxEmulator(token=MAX_TOKEN, allow_loopback_webhooks=True) as emulator:
        yield emulator
        # Every request made must have matched MAX's schema and limits.
        assert emulator.violations == [], emulator.violations


@pytest.fixture
async def api(max_emu: MaxEmulator) -> AsyncIterator[MaxApi]:
    async with MaxApi(MAX_TOKEN, max_emu.api_url, retry_delays=QUICK_RETRIES) as client:
        yield client


class EchoBot:
    """Long-polls MAX and answers the way a real bot would, through the project's client."""

    def __init__(self, api: MaxApi) -> None:
        self.api = api
        self.handled: list[dict[str, Any]] = []
        self._task: asyncio.Task[None] | None = None

    async def __aenter__(self) -> EchoBot:
        self._task = asyncio.create_task(self._run())
        return self

    async def __aexit__(self, *exc: object) -> None:
        assert self._task is not None
        self._task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await self._task

    async def _run(self) -> None:
        marker: int | None = None
        while True:
            batch = await self.api.get_updates(marker, wait=5)
            marker = batch.marker
            for update in batch.updates:
                self.handled.append(update)
                await self._handle(update)

    async def _handle(self, update: dict[str, Any]) -> None:
        kind = update["update_type"]
        if kind == "bot_started":
            text = f"started with {update.get('payload')}"
            await self.api.send(chat_id=update["chat_id"], text=text)
        elif kind == "message_created":
            await self._on_message(update["message"])
        elif kind == "message_callback":
            await self._on_callback(update)

    async def _on_message(self, message: dict[str, Any]) -> None:
        chat_id, text = message["recipient"]["chat_id"], message["body"]["text"]
        if text in ("image", "file"):
            data = b"\x89PNG-ish bytes" if text == "image" else b"col1;col2\n1;2\n"
            name = "qr.png" if text == "image" else "export.csv"
            attachment = await self.api.upload(text, data, name)
            await self.api.send(
                chat_id=chat_id, text=f"here is the {text}", attachments=[attachment]
            )
            return
        keyboard = max_api.inline_keyboard(
            [
                [
                    max_api.callback_button("Edit me", "edit"),
                    max_api.callback_button("Notify", "notify"),
                ],
                [max_api.link_button("Docs", "https://dev.max.ru/docs-api")],
            ]
        )
        await self.api.send(chat_id=chat_id, text=f"echo: {text}", attachments=[keyboard])

    async def _on_callback(self, update: dict[str, Any]) -> None:
        callback, message = update["callback"], update["message"]
        chat_id = message["recipient"]["chat_id"]
        if callback.get("payload") == "edit":
            body = max_api.message_body("edited", [])
            await self.api.answer_callback(callback["callback_id"], chat_id=chat_id, message=body)
        else:
            await self.api.answer_callback(
                callback["callback_id"], chat_id=chat_id, notification="noticed"
            )
