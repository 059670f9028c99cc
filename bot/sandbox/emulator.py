"""The VK emulator as the sandbox runs it: what VK would keep (people, both sides of each dialog
with keyboards and edits, photos, documents, the long-poll position) is kept on disk, so a
restart of the sandbox shows every dialog as it was, as a restart of a real bot does."""

from __future__ import annotations

import json
import os
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from aiohttp import web
from loguru import logger

from bot.sandbox.vk import Emulator, SentMessage, UserClient
from bot.sandbox.vk.schema import SchemaViolation
from bot.sandbox.vk.server import Params

STATE_VERSION = 1

# The client kinds the page offers: VK's lang_id 3 is English, 0 Russian.
CLIENTS: dict[str, tuple[bool, bool, int]] = {
    "phone": (True, True, 0),  # today's app: inline keyboards with callback buttons
    "old": (False, True, 0),  # an old client: no callback buttons, so text buttons
    "en": (True, True, 3),  # the app in English
    "keyboard": (False, False, 0),  # older still: only the keyboard under the input
}


@dataclass(frozen=True, slots=True)
class Violation:
    seq: int
    method: str
    param: str
    problem: str


def client_kind(client: UserClient) -> str:
    for kind, (callbacks, inline, lang_id) in CLIENTS.items():
        if (client.callbacks, client.inline, client.lang_id) == (callbacks, inline, lang_id):
            return kind
    return "phone"


class SandboxEmulator(Emulator):
    """Emulator whose state is written to ``state_dir`` after every change it acknowledges."""

    def __init__(self, state_dir: Path, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.state_dir = state_dir
        self.media_dir = state_dir / "media"
        self.dates: dict[int, int] = {}  # bot message id -> when VK received it
        self.doc_titles: dict[str, str] = {}
        self.shown_violations: list[Violation] = []
        self.listeners: list[Callable[[], None]] = []
        self._loading = False

    # -- persistence ----------------------------------------------------------------------------

    @property
    def _state_file(self) -> Path:
        return self.state_dir / "state.json"

    def load(self) -> bool:
        """Restores the saved state; False when there is none (a first start)."""
        if not self._state_file.is_file():
            return False
        state = json.loads(self._state_file.read_text(encoding="utf-8"))
        if state.get("version") != STATE_VERSION:
            raise ValueError(f"{self._state_file}: unknown state version {state.get('version')}")
        self._loading = True
        try:
            for person in state["people"]:
                callbacks, inline, lang_id = CLIENTS.get(person["client"], CLIENTS["phone"])
                self.user(
                    person["id"],
                    person["first_name"],
                    person["last_name"],
                    screen_name=person["screen_name"],
                    callbacks=callbacks,
                    inline=inline,
                    lang_id=lang_id,
                    allowed=person["allowed"],
                )
            for raw in state["sent"]:
                sent = SentMessage(
                    raw["peer_id"],
                    raw["message_id"],
                    raw["conversation_message_id"],
                    raw["text"],
                    raw["keyboard"],
                    raw["attachments"],
                    raw["random_id"],
                    raw["edited"],
                )
                self._sent.setdefault(sent.peer_id, []).append(sent)
                if sent.random_id:
                    self._by_random[(sent.peer_id, sent.random_id)] = sent
                self.dates[sent.message_id] = raw["date"]
            self._message_seq = state["message_seq"]
            self._cmids = {int(k): v for k, v in state["cmids"].items()}
            self._ts0 = state["ts0"]
            self._updates = state["updates"]
            self._media_seq = state["media_seq"]
            for key, access_key in state["photos"].items():
                self._photos[key] = ((self.media_dir / key).read_bytes(), access_key)
            for key, title in state["docs"].items():
                self._docs[key] = (self.media_dir / key).read_bytes()
                self.doc_titles[key] = title
            self.event_answers = state["event_answers"]
            self._callbacks = {k: (v[0], v[1]) for k, v in state["callbacks"].items()}
            self._envelope_callback = state["envelope_callback"]
        finally:
            self._loading = False
        return True

    def save(self) -> None:
        self.media_dir.mkdir(parents=True, exist_ok=True)
        for key, (data, _) in self._photos.items():
            self._write_media(key, data)
        for key, data in self._docs.items():
            self._write_media(key, data)
        state = {
            "version": STATE_VERSION,
            "people": [
                {
                    "id": p.user_id,
                    "first_name": p.first_name,
                    "last_name": p.last_name,
                    "screen_name": p.screen_name,
                    "allowed": p.allowed,
                    "client": client_kind(self._clients[p.user_id]),
                }
                for p in self._profiles.values()
            ],
            "sent": [
                {
                    "peer_id": m.peer_id,
                    "message_id": m.message_id,
                    "conversation_message_id": m.conversation_message_id,
                    "text": m.text,
                    "keyboard": m.keyboard,
                    "attachments": m.attachments,
                    "random_id": m.random_id,
                    "edited": m.edited,
                    "date": self.dates.get(m.message_id, 0),
                }
                for messages in self._sent.values()
                for m in messages
            ],
            "message_seq": self._message_seq,
            "cmids": self._cmids,
            "ts0": self._ts0,
            "updates": self._updates,
            "media_seq": self._media_seq,
            "photos": {key: access_key for key, (_, access_key) in self._photos.items()},
            "docs": {key: self.doc_titles.get(key, key) for key in self._docs},
            "event_answers": self.event_answers,
            "callbacks": self._callbacks,
            "envelope_callback": self._envelope_callback,
        }
        # Written beside and renamed over: a kill mid-write leaves the previous state whole.
        tmp = self._state_file.with_suffix(".tmp")
        tmp.write_text(json.dumps(state, ensure_ascii=False), encoding="utf-8")
        os.replace(tmp, self._state_file)

    def _write_media(self, key: str, data: bytes) -> None:
        path = self.media_dir / key
        if not path.exists():
            tmp = path.with_suffix(".tmp")
            tmp.write_bytes(data)
            os.replace(tmp, path)

    # -- hooks into the emulator ----------------------------------------------------------------

    def _changed(self) -> None:
        super()._changed()
        if self._loading:
            return
        # Before VK's answer leaves: what the bot was told is done is on disk.
        self.save()
        for listener in list(self.listeners):
            listener()

    def _deliver(
        self,
        peer: int,
        text: str,
        attachments: list[str],
        keyboard: dict[str, Any] | None,
        random_id: int,
    ) -> SentMessage:
        sent = super()._deliver(peer, text, attachments, keyboard, random_id)
        self.dates.setdefault(sent.message_id, int(time.time()))
        return sent

    async def _docs_save(self, p: Params) -> Any:
        result = await super()._docs_save(p)
        doc = result["doc"]
        self.doc_titles[f"doc{doc['owner_id']}_{doc['id']}"] = str(doc["title"])
        return result

    async def _on_method(self, request: web.Request) -> web.StreamResponse:
        before = len(self.violations)
        response = await super()._on_method(request)
        if len(self.violations) > before:
            self._show(self.violations[before:])
        return response

    def _show(self, problems: list[SchemaViolation]) -> None:
        for problem in problems:
            logger.error(
                "VK would refuse {}: {} {}", problem.method, problem.param, problem.problem
            )
            seq = len(self.shown_violations) + 1
            self.shown_violations.append(
                Violation(seq, problem.method, problem.param, problem.problem)
            )
        for listener in list(self.listeners):
            listener()

    # -- what the page needs --------------------------------------------------------------------

    def person(self, user_id: int) -> UserClient | None:
        return self._clients.get(user_id)

    @property
    def people(self) -> list[UserClient]:
        return list(self._clients.values())

    def set_client(self, user_id: int, kind: str) -> None:
        callbacks, inline, lang_id = CLIENTS[kind]
        client = self._clients[user_id]
        client.callbacks, client.inline, client.lang_id = callbacks, inline, lang_id
        self._changed()

    def add_person(self, first_name: str, last_name: str) -> UserClient:
        user_id = max(self._clients, default=0) + 1
        client = self.user(user_id, first_name, last_name)
        self._changed()
        return client

    def bot_message(self, user_id: int, cmid: int) -> SentMessage | None:
        for sent in self._sent.get(user_id, []):
            if sent.conversation_message_id == cmid:
                return sent
        return None

    def dialog(self, user_id: int) -> list[dict[str, Any]]:
        """Both sides of a person's dialog in the order VK shows them (message ids are global)."""
        items: list[tuple[int, dict[str, Any]]] = []
        for update in self._updates:
            if update.get("type") != "message_new":
                continue
            message = update["object"]["message"]
            if message.get("from_id") != user_id:
                continue
            items.append(
                (
                    message["id"],
                    {
                        "id": message["id"],
                        "cmid": message["conversation_message_id"],
                        "out": False,
                        "text": message.get("text", ""),
                        "date": message.get("date", 0),
                        "keyboard": None,
                        "attachments": [],
                        "edited": False,
                    },
                )
            )
        for sent in self._sent.get(user_id, []):
            items.append(
                (
                    sent.message_id,
                    {
                        "id": sent.message_id,
                        "cmid": sent.conversation_message_id,
                        "out": True,
                        "text": sent.text,
                        "date": self.dates.get(sent.message_id, 0),
                        "keyboard": sent.keyboard,
                        "attachments": [self._attachment(a) for a in sent.attachments],
                        "edited": sent.edited,
                    },
                )
            )
        return [item for _, item in sorted(items, key=lambda pair: pair[0])]

    def _attachment(self, attachment: str) -> dict[str, Any]:
        key = "_".join(attachment.split("_")[:2])
        if key in self._photos:
            return {"type": "photo", "url": f"/media/{key}"}
        return {
            "type": "doc",
            "url": f"/media/{key}",
            "title": self.doc_titles.get(key, key),
            "size": len(self._docs.get(key, b"")),
        }

    def media(self, key: str) -> tuple[bytes, str | None] | None:
        """A stored photo (no title) or document (its title) by its key."""
        if key in self._photos:
            return self._photos[key][0], None
        if key in self._docs:
            return self._docs[key], self.doc_titles.get(key, key)
        return None

    def snackbars(self, user_id: int) -> list[dict[str, Any]]:
        found = []
        for seq, answer in enumerate(self.event_answers, 1):
            data = answer.get("event_data")
            if not isinstance(data, dict) or answer["user_id"] != user_id:
                continue
            if data.get("type") == "show_snackbar":
                found.append({"seq": seq, "text": str(data["text"])})
        return found
