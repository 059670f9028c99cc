"""MAX's speaking half of the messenger seam (bot/messengers.py): the product's canonical
actions (VK-shaped texts and keyboards) as MAX Bot API calls, within MAX's limits.

What differs from VK, and is settled here:
- a keyboard is inline only, attached to one message: VK's standard keyboard (under the input)
  becomes inline buttons on the message that brought it; a row holding a link button keeps at
  most 3 buttons, others 7, at most 30 rows and 210 buttons;
- a message is known to the product by its `seq` (where VK has conversation_message_id) and to
  MAX by its `mid`; the pair is kept (storage.accounts) so an edit days later finds it;
- a press needs no answer in MAX: only a notice (VK's snackbar) is sent, as `notification`;
- texts are at most 4000 characters: a longer one goes out in pieces, the keyboard on the last;
- names come with every update (kept by the inbound half), so no request asks for them.
"""

from __future__ import annotations

import json
from typing import Any

from loguru import logger

from bot import max_api
from bot.clock import Clock
from bot.max_api import Attachment, MaxApi, MaxApiError
from bot.messengers import NOT_ALLOWED, PersonRef, Sent
from storage.accounts import Account, AccountsRepo

NAME = "max"
MAX_TEXT = 4000
MAX_ROWS, MAX_BUTTONS = 30, 210
PER_ROW, PER_ROW_WIDE = 7, 3
# Buttons MAX shows at most three to a row.
WIDE = frozenset({"link", "open_app", "request_geo_location", "request_contact"})
# How an attachment reference from upload_image/upload_file starts: MAX's attachment as JSON.
ATTACHMENT_PREFIX = "max:"


def render_keyboard(keyboard: str | None) -> list[Attachment]:
    """VK's keyboard JSON (standard or inline) as MAX's inline keyboard attachment, or none."""
    if not keyboard:
        return []
    rows: list[list[dict[str, Any]]] = []
    for row in json.loads(keyboard).get("buttons") or []:
        buttons = [b for b in (_button(item["action"]) for item in row) if b is not None]
        width = PER_ROW_WIDE if any(b["type"] in WIDE for b in buttons) else PER_ROW
        rows += [buttons[i : i + width] for i in range(0, len(buttons), width)]
    if not rows:
        return []
    count = sum(len(row) for row in rows)
    if len(rows) > MAX_ROWS or count > MAX_BUTTONS:
        raise ValueError(f"keyboard of {len(rows)} rows / {count} buttons is over MAX's limit")
    return [max_api.inline_keyboard(rows)]


def _button(action: dict[str, Any]) -> dict[str, Any] | None:
    kind, label = action["type"], str(action.get("label", ""))
    if kind == "open_link":
        return max_api.link_button(label, str(action["link"]))
    if kind in ("callback", "text"):
        payload = action.get("payload")
        if payload is None:
            # A VK text button without a payload just says its label: so does MAX's.
            return {"type": "message", "text": label}
        raw = payload if isinstance(payload, str) else json.dumps(payload, ensure_ascii=False)
        # A VK text button's press comes back as a callback: the handlers take both alike.
        return max_api.callback_button(label, raw)
    logger.warning("VK button type {} has no MAX counterpart; left out", kind)
    return None


def pieces(text: str, limit: int = MAX_TEXT) -> list[str]:
    """The text in pieces of at most `limit` characters, cut at line ends where there are."""
    out: list[str] = []
    while len(text) > limit:
        cut = text.rfind("\n", 0, limit)
        cut = cut if cut > 0 else limit
        out.append(text[:cut])
        text = text[cut:].lstrip("\n")
    out.append(text)
    return out


def fit(text: str) -> str:
    """An edit replaces one message: a text over the limit is cut, marked with an ellipsis."""
    return text if len(text) <= MAX_TEXT else text[: MAX_TEXT - 1] + "…"


def attachment_ref(attachment: Attachment) -> str:
    return ATTACHMENT_PREFIX + json.dumps(attachment, separators=(",", ":"))


def _attachments(ref: str | None) -> list[Attachment]:
    if not ref:
        return []
    if not ref.startswith(ATTACHMENT_PREFIX):
        raise ValueError(f"not a MAX attachment: {ref[:40]!r}")
    return [json.loads(ref[len(ATTACHMENT_PREFIX) :])]


class MaxMessenger:
    name = NAME

    def __init__(self, api: MaxApi, accounts: AccountsRepo, clock: Clock) -> None:
        self.api = api
        self._accounts = accounts
        self._clock = clock
        self._known: dict[int, Account] = {}
        # The bot's name for deep links, read from GET /me when the inbound half connects.
        self.username: str | None = None

    async def _account(self, user_id: int) -> Account:
        account = self._known.get(user_id)
        if account is None:
            found = await self._accounts.get(user_id)
            if found is None or found.messenger != NAME:
                raise ValueError(f"user {user_id} has no MAX account")
            account = self._known[user_id] = found
        return account

    async def _max_id(self, user_id: int) -> int:
        return int((await self._account(user_id)).external_id)

    def remember(self, account: Account) -> None:
        """The account as the inbound half last saw it (its name may have changed)."""
        self._known[account.id] = account

    # --- what is said --------------------------------------------------------------------
    async def send(
        self,
        peer_id: int,
        text: str,
        *,
        keyboard: str | None = None,
        attachment: str | None = None,
        random_id: int = 0,
    ) -> Sent:
        """One message (or its pieces); a person without a dialog gives Sent(error=901).

        MAX has no random_id: the caller's de-duplication key has nothing to go to.
        """
        user_id = await self._max_id(peer_id)
        *first, last = pieces(text)
        try:
            for piece in first:
                await self.api.send(user_id=user_id, text=piece)
            sent = await self.api.send(
                user_id=user_id,
                text=last or None,
                attachments=_attachments(attachment) + render_keyboard(keyboard),
            )
        except MaxApiError as exc:
            # 403 chat.denied: the person never started the bot or has stopped it.
            if exc.status == 403:
                return Sent(peer_id, None, None, NOT_ALLOWED)
            raise
        await self._accounts.remember_message(peer_id, sent.seq, sent.mid, self._clock.now())
        return Sent(peer_id, sent.seq, sent.seq)

    async def send_many(
        self, peer_ids: list[int], text: str, *, keyboard: str | None = None, random_id: int = 0
    ) -> list[Sent]:
        # MAX sends to one dialog a request: one call each.
        return [await self.send(p, text, keyboard=keyboard) for p in peer_ids]

    async def edit(
        self, peer_id: int, conversation_message_id: int, text: str, *, keyboard: str | None = None
    ) -> bool:
        """Edit in place; without a keyboard the message's buttons go (as in VK)."""
        mid = await self._accounts.native_message(peer_id, conversation_message_id)
        if mid is None:
            logger.warning("No MAX message {} of {} to edit", conversation_message_id, peer_id)
            return False
        try:
            await self.api.edit(mid, text=fit(text), attachments=render_keyboard(keyboard))
        except MaxApiError as exc:
            logger.warning("MAX edit of {} for {} failed: {}", mid, peer_id, exc)
            return False
        return True

    async def answer_event(
        self, event_id: str, user_id: int, peer_id: int, snackbar: str | None = None
    ) -> None:
        if snackbar is None:
            # MAX does not wait for an answer to a press; a bare acknowledgement is no request.
            return
        # Paced per person: a bot's dialog with a person is one, so their id names it.
        await self.api.answer_callback(
            event_id, chat_id=await self._max_id(user_id), notification=snackbar
        )

    async def upload_image(self, peer_id: int, png: bytes) -> str:
        return attachment_ref(await self.api.upload("image", png, "qr.png"))

    async def upload_file(self, peer_id: int, filename: str, data: bytes) -> str:
        return attachment_ref(await self.api.upload("file", data, filename))

    # --- who people are ------------------------------------------------------------------
    async def user_names(self, user_ids: list[int]) -> dict[int, tuple[str, str]]:
        names = {}
        for user_id in user_ids:
            account = await self._account(user_id)
            names[user_id] = (account.first_name, account.last_name)
        return names

    async def person_ref(self, user_id: int) -> PersonRef:
        # MAX shows no profile address by id; the id is what support and the audit can use.
        return PersonRef(NAME, (await self._account(user_id)).external_id)

    def invite_link(self, code: str) -> str | None:
        return None if self.username is None else f"https://max.ru/{self.username}?start={code}"
