"""A person in VK Messenger: writes, taps buttons, follows links, and reads what the bot sent."""

from __future__ import annotations

import base64
import json
import secrets
import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .limits import payload_text

if TYPE_CHECKING:
    from .server import Emulator

# What a current VK Messenger reports it can show (client_info.button_actions).
BUTTON_ACTIONS = (
    "text",
    "vkpay",
    "open_app",
    "location",
    "open_link",
    "intent_subscribe",
    "intent_unsubscribe",
)
# A valid 1x1 PNG: the default picture a user sends, small but decodable by image libraries.
PIXEL_PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg=="
)


@dataclass(frozen=True)
class Button:
    label: str
    type: str
    payload: dict[str, Any] | str | None
    color: str | None = None
    link: str | None = None
    raw_payload: str | None = None  # as VK delivers it with a text-button message


@dataclass
class SentMessage:
    """A message the bot sent, as the user currently sees it (edits applied)."""

    peer_id: int
    message_id: int
    conversation_message_id: int
    text: str
    keyboard: dict[str, Any] | None
    attachments: list[str] = field(default_factory=list)
    random_id: int = 0
    edited: bool = False

    @property
    def inline(self) -> bool:
        return bool(self.keyboard and self.keyboard.get("inline"))

    @property
    def buttons(self) -> list[Button]:
        rows = (self.keyboard or {}).get("buttons", [])
        return [_button(b["action"], b.get("color")) for row in rows for b in row]

    @property
    def button_labels(self) -> list[str]:
        return [b.label for b in self.buttons]

    def as_json(self) -> dict[str, Any]:
        return {
            "message_id": self.message_id,
            "conversation_message_id": self.conversation_message_id,
            "text": self.text,
            "keyboard": self.keyboard,
            "attachments": self.attachments,
            "edited": self.edited,
        }


def _button(action: dict[str, Any], color: str | None) -> Button:
    raw = payload_text(action["payload"]) if "payload" in action else None
    payload: dict[str, Any] | str | None = raw
    if raw is not None:
        try:
            parsed = json.loads(raw)
        except ValueError:
            parsed = None
        if isinstance(parsed, dict):
            payload = parsed
    label = str(action.get("label", action["type"]))
    return Button(label, action["type"], payload, color, action.get("link"), raw)


class UserClient:
    def __init__(
        self,
        emu: Emulator,
        user_id: int,
        first_name: str,
        last_name: str,
        *,
        callbacks: bool = True,
        inline: bool = True,
        lang_id: int = 0,
    ) -> None:
        self.emu = emu
        self.user_id = user_id
        self.first_name = first_name
        self.last_name = last_name
        self.callbacks = callbacks
        self.inline = inline
        self.lang_id = lang_id

    def __repr__(self) -> str:
        return f"<UserClient {self.user_id} {self.first_name} {self.last_name}>"

    # -- acting ---------------------------------------------------------------------------------

    async def say(self, text: str) -> str:
        return await self._settled(self.push_message(text))

    async def open_link(self, ref: str, ref_source: str | None = None, text: str = "Начать") -> str:
        """The message VK sends for the user after they open https://vk.me/club<id>?ref=..."""
        extra: dict[str, Any] = {"ref": ref}
        if ref_source is not None:
            extra["ref_source"] = ref_source
        return await self._settled(self.push_message(text, **extra))

    async def send_sticker(self, sticker_id: int = 9014) -> str:
        url = f"{self.emu.base_url}/files/sticker{sticker_id}.png"
        sticker = {
            "inner_type": "base_sticker_new",
            "product_id": 1,
            "sticker_id": sticker_id,
            "images": [{"url": url, "width": 128, "height": 128}],
        }
        attachment = {"type": "sticker", "sticker": sticker}
        return await self._settled(self.push_message("", attachments=[attachment]))

    async def send_photo(self, data: bytes = PIXEL_PNG) -> str:
        attachment = {"type": "photo", "photo": self.emu._store_photo(self.user_id, data)}
        return await self._settled(self.push_message("", attachments=[attachment]))

    async def allow_messages(self) -> str:
        """Presses "Allow messages" in the community: VK sends message_allow."""
        self.emu._allow(self.user_id)
        obj = {"user_id": self.user_id, "key": ""}
        return await self._settled(self.emu.push_update("message_allow", obj))

    async def tap(self, label: str, *, message: SentMessage | None = None) -> str:
        message = message or self._keyboard_message()
        button = _find(message, label)
        if message.inline and not self.inline:
            raise AssertionError(f"user {self.user_id}'s client cannot show inline keyboards")
        if button.type == "text":
            return await self._settled(self.push_message(button.label, payload=button.raw_payload))
        if button.type == "callback":
            if not self.callbacks:
                raise AssertionError(f"user {self.user_id}'s client has no callback buttons")
            obj = button.payload if isinstance(button.payload, dict) else button.raw_payload
            return await self._settled(self.push_callback(obj, message.conversation_message_id))
        raise AssertionError(f"{button.type} button {button.label!r} sends nothing to the bot")

    async def press_payload(
        self,
        payload: dict[str, Any] | str,
        *,
        callback: bool = True,
        cmid: int | None = None,
        text: str = "",
    ) -> str:
        """Delivers any payload, forged or malformed, as a callback press or a text-button message.

        A string that parses to a JSON object is delivered as that object in a callback (VK sends
        objects there); anything else goes through verbatim.
        """
        if not callback:
            raw = payload if isinstance(payload, str) else payload_text(payload)
            return await self._settled(self.push_message(text, payload=raw))
        obj: Any = payload
        if isinstance(payload, str):
            try:
                parsed = json.loads(payload)
            except ValueError:
                parsed = None
            obj = parsed if isinstance(parsed, dict) else payload
        if cmid is None:
            sent = self.messages
            cmid = sent[-1].conversation_message_id if sent else 0
        return await self._settled(self.push_callback(obj, cmid))

    # -- raw pushes (no settling) ---------------------------------------------------------------

    def push_message(
        self,
        text: str,
        *,
        payload: str | None = None,
        attachments: list[dict[str, Any]] | None = None,
        **extra: Any,
    ) -> str:
        """Pushes message_new from this user without waiting for the bot."""
        self.emu._allow(self.user_id)  # in VK, writing to a community allows its replies
        message_id, cmid = self.emu._next_ids(self.user_id)
        message: dict[str, Any] = {
            "id": message_id,
            "date": int(time.time()),
            "peer_id": self.user_id,
            "from_id": self.user_id,
            "text": text,
            "conversation_message_id": cmid,
            "out": 0,
            "version": message_id,
            "fwd_messages": [],
            "attachments": attachments or [],
            "important": False,
            "is_hidden": False,
            **extra,
        }
        if payload is not None:
            message["payload"] = payload
        client_info = {
            "button_actions": [*BUTTON_ACTIONS, *(["callback"] if self.callbacks else [])],
            "keyboard": True,
            "inline_keyboard": self.inline,
            "carousel": True,
            "lang_id": self.lang_id,
        }
        return self.emu.push_update("message_new", {"message": message, "client_info": client_info})

    def push_callback(self, payload: Any, cmid: int) -> str:
        """Pushes message_event (a callback-button press) without waiting for the bot."""
        callback_id = secrets.token_hex(6)
        obj = {
            "user_id": self.user_id,
            "peer_id": self.user_id,
            "event_id": callback_id,
            "payload": payload,
            "conversation_message_id": cmid,
        }
        return self.emu.push_update("message_event", obj)

    async def _settled(self, event_id: str) -> str:
        await self.emu.settle(event_id)
        return event_id

    # -- reading --------------------------------------------------------------------------------

    @property
    def messages(self) -> list[SentMessage]:
        return self.emu.sent_to(self.user_id)

    @property
    def last_message(self) -> SentMessage:
        sent = self.messages
        if not sent:
            raise AssertionError(f"the bot has sent nothing to user {self.user_id}")
        return sent[-1]

    @property
    def snackbars(self) -> list[str]:
        return [
            str(a["event_data"]["text"])
            for a in self.emu.event_answers
            if a["user_id"] == self.user_id
            and isinstance(a["event_data"], dict)
            and a["event_data"].get("type") == "show_snackbar"
        ]

    def answers_for(self, event_id: str) -> list[dict[str, Any]]:
        """sendMessageEventAnswer calls for a press (the id tap() returned, or the callback's)."""
        return self.emu.answers_for(event_id)

    def _keyboard_message(self) -> SentMessage:
        for message in reversed(self.messages):
            if message.keyboard is not None:
                return message
        raise AssertionError(f"the bot has sent user {self.user_id} no keyboard")


def _find(message: SentMessage, label: str) -> Button:
    buttons = message.buttons
    exact = [b for b in buttons if b.label == label]
    loose = [b for b in buttons if label.casefold() in b.label.casefold()]
    found = exact or loose
    if len(found) == 1 or (exact and found):
        return found[0]
    problem = "several buttons match" if found else "no button"
    raise AssertionError(
        f"{problem} {label!r} in message {message.conversation_message_id} "
        f"({message.text[:60]!r}); buttons: {message.button_labels}"
    )
