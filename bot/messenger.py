"""The bot's direct calls to VK: reads (names, screen names) and the steps of an upload.

What the bot says (sends, edits, event answers) goes through the outbox (bot/outbox.py),
whose sender makes those calls through the same VKApi.
"""

from __future__ import annotations

from typing import Any

from bot.vk_api import VKApi

MAX_PEERS = 100
# VK's error for "the user has not allowed messages from the community".
NOT_ALLOWED = 901


class Messenger:
    def __init__(self, api: VKApi, group_id: int) -> None:
        self.api = api
        self.group_id = group_id

    async def call(self, method: str, **params: Any) -> Any:
        clean = {k: v for k, v in params.items() if v is not None}
        return (await self.api.request(method, clean))["response"]

    async def user_names(self, user_ids: list[int]) -> dict[int, tuple[str, str]]:
        if not user_ids:
            return {}
        answer = await self.call("users.get", user_ids=",".join(map(str, user_ids)))
        return {int(u["id"]): (u.get("first_name", ""), u.get("last_name", "")) for u in answer}
