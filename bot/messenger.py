"""VK's speaking half of the messenger seam (bot/messengers.py): sends, edits, event answers,
uploads, names and links, as VK's API calls."""

from __future__ import annotations

import json
from typing import Any

from loguru import logger
from vkbottle import VKAPIError

from bot.messengers import NOT_ALLOWED, PersonRef, Sent
from bot.uploads import upload_document, upload_photo
from bot.vk_api import VKApi

MAX_PEERS = 100
__all__ = ["MAX_PEERS", "NOT_ALLOWED", "Messenger", "Sent"]


class Messenger:
    name = "vk"

    def __init__(self, api: VKApi, group_id: int) -> None:
        self.api = api
        self.group_id = group_id

    async def call(self, method: str, **params: Any) -> Any:
        clean = {k: v for k, v in params.items() if v is not None}
        return (await self.api.request(method, clean))["response"]

    async def send(
        self,
        peer_id: int,
        text: str,
        *,
        keyboard: str | None = None,
        attachment: str | None = None,
        random_id: int = 0,
    ) -> Sent:
        """Send to one peer; a user who disallowed messages gives Sent(error=901), not a raise."""
        try:
            result = await self.call(
                "messages.send",
                peer_ids=str(peer_id),
                random_id=random_id,
                message=text or None,
                keyboard=keyboard,
                attachment=attachment,
                dont_parse_links=1,
            )
        except VKAPIError[NOT_ALLOWED]:
            return Sent(peer_id, None, None, NOT_ALLOWED)
        return _sent(result[0])

    async def send_many(
        self,
        peer_ids: list[int],
        text: str,
        *,
        keyboard: str | None = None,
        random_id: int = 0,
    ) -> list[Sent]:
        """One call per 100 peers; each peer's own outcome is in the result."""
        results: list[Sent] = []
        for start in range(0, len(peer_ids), MAX_PEERS):
            chunk = peer_ids[start : start + MAX_PEERS]
            answer = await self.call(
                "messages.send",
                peer_ids=",".join(map(str, chunk)),
                random_id=random_id,
                message=text,
                keyboard=keyboard,
                dont_parse_links=1,
            )
            results.extend(_sent(item) for item in answer)
        return results

    async def edit(
        self,
        peer_id: int,
        conversation_message_id: int,
        text: str,
        *,
        keyboard: str | None = None,
    ) -> bool:
        try:
            await self.call(
                "messages.edit",
                peer_id=peer_id,
                conversation_message_id=conversation_message_id,
                message=text,
                keyboard=keyboard,
                dont_parse_links=1,
            )
        except VKAPIError as exc:
            logger.warning("messages.edit in {} failed: {}", peer_id, exc)
            return False
        return True

    async def answer_event(
        self, event_id: str, user_id: int, peer_id: int, snackbar: str | None = None
    ) -> None:
        event_data = (
            None
            if snackbar is None
            else json.dumps({"type": "show_snackbar", "text": snackbar[:90]}, ensure_ascii=False)
        )
        await self.call(
            "messages.sendMessageEventAnswer",
            event_id=event_id,
            user_id=user_id,
            peer_id=peer_id,
            event_data=event_data,
        )

    async def user_names(self, user_ids: list[int]) -> dict[int, tuple[str, str]]:
        if not user_ids:
            return {}
        answer = await self.call("users.get", user_ids=",".join(map(str, user_ids)))
        return {int(u["id"]): (u.get("first_name", ""), u.get("last_name", "")) for u in answer}

    async def upload_image(self, peer_id: int, png: bytes) -> str:
        return await upload_photo(self, peer_id, png)

    async def upload_file(self, peer_id: int, filename: str, data: bytes) -> str:
        return await upload_document(self, peer_id, filename, data)

    async def person_ref(self, user_id: int) -> PersonRef:
        return PersonRef(self.name, f"vk.com/id{user_id}")

    def invite_link(self, code: str) -> str:
        return f"https://vk.me/club{self.group_id}?ref={code}"


def _sent(item: dict[str, Any]) -> Sent:
    error = item.get("error")
    return Sent(
        peer_id=int(item["peer_id"]),
        message_id=item.get("message_id"),
        conversation_message_id=item.get("conversation_message_id"),
        error=int(error.get("code", 0)) if isinstance(error, dict) else None,
    )
