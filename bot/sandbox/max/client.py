"""A person in MAX: starts the bot (by a deep link or the Start button), writes, presses buttons,
and reads the dialog as MAX shows it, edits applied and deleted messages gone."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs, urlsplit

from .limits import MAX_START_PAYLOAD

if TYPE_CHECKING:
    from .server import MaxEmulator


@dataclass(frozen=True)
class MaxButton:
    text: str
    type: str
    payload: str | None = None
    url: str | None = None


@dataclass
class MaxMessage:
    """A message in a dialog as its reader currently sees it."""

    mid: str
    seq: int
    chat_id: int
    user_id: int  # the person whose dialog with the bot this is
    from_bot: bool
    text: str
    attachments: list[dict[str, Any]] = field(default_factory=list)
    format: str | None = None
    timestamp: int = 0
    edited: bool = False
    deleted: bool = False

    @property
    def keyboard(self) -> list[list[MaxButton]] | None:
        for attachment in self.attachments:
            if attachment["type"] == "inline_keyboard":
                rows = attachment["payload"]["buttons"]
                return [[_button(b) for b in row] for row in rows]
        return None

    @property
    def buttons(self) -> list[MaxButton]:
        return [b for row in self.keyboard or [] for b in row]

    @property
    def button_labels(self) -> list[str]:
        return [b.text for b in self.buttons]

    def of_type(self, kind: str) -> list[dict[str, Any]]:
        return [a for a in self.attachments if a["type"] == kind]

    @property
    def images(self) -> list[dict[str, Any]]:
        return self.of_type("image")

    @property
    def files(self) -> list[dict[str, Any]]:
        return self.of_type("file")


def _button(raw: dict[str, Any]) -> MaxButton:
    return MaxButton(str(raw["text"]), str(raw["type"]), raw.get("payload"), raw.get("url"))


class MaxUser:
    def __init__(
        self,
        emu: MaxEmulator,
        user_id: int,
        first_name: str,
        last_name: str | None,
        *,
        username: str | None = None,
        locale: str = "ru",
    ) -> None:
        self.emu = emu
        self.user_id = user_id
        self.first_name = first_name
        self.last_name = last_name
        self.username = username
        self.locale = locale
        self.chat_id: int | None = None  # the dialog exists once the person has started the bot

    def __repr__(self) -> str:
        return f"<MaxUser {self.user_id} {self.first_name} {self.last_name}>"

    def as_user(self) -> dict[str, Any]:
        """The person as MAX describes them in updates (the schema's User)."""
        name = " ".join(part for part in (self.first_name, self.last_name) if part)
        return {
            "user_id": self.user_id,
            "first_name": self.first_name,
            "last_name": self.last_name,
            "name": name,
            "username": self.username,
            "is_bot": False,
            "last_activity_time": self.emu.now_ms(),
        }

    # -- acting ---------------------------------------------------------------------------------

    async def start(self, payload: str | None = None) -> str:
        """Presses Start in the bot's profile (or opens a deep link carrying ``payload``)."""
        return await self._settled(self.emu.push_bot_started(self, payload))

    async def open_link(self, link: str) -> str:
        """Opens ``https://max.ru/<bot>?start=<payload>`` as MAX's app does."""
        parts = urlsplit(link)
        bot = self.emu.bot_username
        if (parts.scheme, parts.netloc, parts.path.strip("/")) != ("https", "max.ru", bot):
            raise AssertionError(f"{link!r} is not a link to the bot https://max.ru/{bot}")
        payload = parse_qs(parts.query).get("start", [None])[0]
        if payload is not None and len(payload) > MAX_START_PAYLOAD:
            self.emu.record_violation(
                "deep link", "start", f"{len(payload)} characters, at most {MAX_START_PAYLOAD}"
            )
            raise AssertionError(f"MAX starts no bot with a {len(payload)}-character payload")
        return await self.start(payload)

    async def say(self, text: str, attachments: list[dict[str, Any]] | None = None) -> str:
        return await self._settled(self.push_message(text, attachments))

    async def send_image(self, data: bytes, caption: str = "") -> str:
        """Sends a picture from the gallery, with an optional caption."""
        return await self.say(caption, [self.emu.store_image(data)])

    async def tap(self, label: str, *, message: MaxMessage | None = None) -> str:
        message = message or self._keyboard_message()
        button = _find(message, label)
        if button.type == "callback":
            return await self._settled(self.emu.push_callback(self, message, button.payload))
        if button.type == "message":
            return await self.say(button.text)
        raise AssertionError(f"a {button.type} button {button.text!r} sends nothing to the bot")

    async def press_payload(self, payload: str, *, message: MaxMessage | None = None) -> str:
        """Delivers any payload, forged or stale, as a press on a button of ``message``."""
        message = message or self.last_message
        return await self._settled(self.emu.push_callback(self, message, payload))

    def push_message(self, text: str, attachments: list[dict[str, Any]] | None = None) -> str:
        """Pushes message_created from this person without waiting for the bot."""
        if self.chat_id is None:
            raise AssertionError(f"{self!r} has not started the bot: MAX opens a dialog with Start")
        return self.emu.push_message(self, text, attachments or [])

    async def _settled(self, key: str) -> str:
        await self.emu.settle(key)
        return key

    # -- reading --------------------------------------------------------------------------------

    @property
    def messages(self) -> list[MaxMessage]:
        """What the bot has said in the dialog, oldest first, as it reads now."""
        return self.emu.dialog(self.user_id)

    @property
    def last_message(self) -> MaxMessage:
        sent = self.messages
        if not sent:
            raise AssertionError(f"the bot has sent nothing to MAX user {self.user_id}")
        return sent[-1]

    @property
    def notifications(self) -> list[str]:
        """One-time notices the bot showed with its callback answers, in order."""
        return [n["text"] for n in self.emu.notifications if n["user_id"] == self.user_id]

    def _keyboard_message(self) -> MaxMessage:
        for message in reversed(self.messages):
            if message.keyboard is not None:
                return message
        raise AssertionError(f"the bot has sent MAX user {self.user_id} no keyboard")


def _find(message: MaxMessage, label: str) -> MaxButton:
    buttons = message.buttons
    exact = [b for b in buttons if b.text == label]
    loose = [b for b in buttons if label.casefold() in b.text.casefold()]
    found = exact or loose
    if len(found) == 1 or (exact and found):
        return found[0]
    problem = "several buttons match" if found else "no button"
    raise AssertionError(
        f"{problem} {label!r} in message {message.mid} ({message.text[:60]!r}); "
        f"buttons: {message.button_labels}"
    )
