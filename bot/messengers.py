"""The seam between the product and a messenger (VK, MAX; a third one implements the same).

A messenger is an adapter of two halves:

- inbound: its native updates become canonical updates in the durable inbox (bot/updates.py),
  with the same per-person ordering, the same vkbottle router and the same handlers. The
  canonical update is VK's Bots Long Poll shape (`message_new`, `message_event`), because the
  handlers are vkbottle labelers; MAX's translation is bot/max_inbound.py.
- outbound (`Outbound` below): what the product says, as canonical actions (a text with a VK
  keyboard's JSON, an edit by conversation_message_id, an answer to a press, an uploaded
  picture or file) turned into that messenger's API calls within its limits.

A person is an account: (messenger, the messenger's id) <-> the integer user id every table
uses. A VK person's user id is their VK id; other messengers' accounts get ids from
storage.accounts.FIRST_ACCOUNT_ID up. The same human on two messengers is two accounts: nothing
links them. `Messengers` routes every outbound call to the adapter of the person's account, so
handlers and services never know which messenger they serve.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from loguru import logger
from vkbottle import VKAPIError

from bot.max_api import MaxApiError, MaxUnavailable
from bot.vk_api import VKUnavailable
from storage.accounts import FIRST_ACCOUNT_ID, AccountsRepo

if TYPE_CHECKING:
    from bot.messenger import Messenger

VK = "vk"
# A person who has not allowed the bot to write (VK's error 901; MAX: no dialog, 403).
NOT_ALLOWED = 901
# Sent.error for a person of a messenger this deployment does not serve (its settings unset).
UNSERVED = -1
# What a messenger's call may raise when it could not be made or was refused.
DELIVERY_ERRORS: tuple[type[Exception], ...] = (
    VKAPIError,
    VKUnavailable,
    MaxApiError,
    MaxUnavailable,
)


class MessengerUnavailable(Exception):
    """The person's messenger is not configured here, so nothing can be uploaded for them."""


@dataclass(frozen=True, slots=True)
class Sent:
    """What became of one message to one person; the ids are the product's (VK's own)."""

    peer_id: int
    message_id: int | None
    conversation_message_id: int | None
    error: int | None = None

    @property
    def ok(self) -> bool:
        return self.error is None


@dataclass(frozen=True, slots=True)
class PersonRef:
    """Who a person is in their messenger, as an administrator is shown it: `messenger`
    selects the wording in the texts, `text` is the reference (vk.com/id1; a MAX user id)."""

    messenger: str
    text: str


class Outbound(Protocol):
    """One messenger's speaking half. Peers are the product's user ids."""

    name: str

    async def send(
        self,
        peer_id: int,
        text: str,
        *,
        keyboard: str | None = None,
        attachment: str | None = None,
        random_id: int = 0,
    ) -> Sent: ...

    async def send_many(
        self, peer_ids: list[int], text: str, *, keyboard: str | None = None, random_id: int = 0
    ) -> list[Sent]: ...

    async def edit(
        self, peer_id: int, conversation_message_id: int, text: str, *, keyboard: str | None = None
    ) -> bool: ...

    async def answer_event(
        self, event_id: str, user_id: int, peer_id: int, snackbar: str | None = None
    ) -> None: ...

    async def upload_image(self, peer_id: int, png: bytes) -> str:
        """An attachment reference that send() of this messenger takes."""
        ...

    async def upload_file(self, peer_id: int, filename: str, data: bytes) -> str: ...

    async def user_names(self, user_ids: list[int]) -> dict[int, tuple[str, str]]: ...

    async def person_ref(self, user_id: int) -> PersonRef: ...

    def invite_link(self, code: str) -> str | None:
        """The deep link that starts the bot with `code`; None while it is not known yet."""
        ...


class Messengers:
    """The product's one way out: every call goes to the adapter of the person's messenger."""

    def __init__(self, adapters: Sequence[Outbound], accounts: AccountsRepo) -> None:
        self._adapters = {a.name: a for a in adapters}
        self._accounts = accounts
        self._messenger_of: dict[int, str] = {}

    @property
    def configured(self) -> tuple[str, ...]:
        return tuple(self._adapters)

    @property
    def vk(self) -> Messenger | None:
        """VK's own adapter, for what only VK has (resolving a vk.com link to a person)."""
        adapter = self._adapters.get(VK)
        if adapter is None:
            return None
        from bot.messenger import Messenger

        assert isinstance(adapter, Messenger)
        return adapter

    async def messenger_of(self, user_id: int) -> str | None:
        if user_id < FIRST_ACCOUNT_ID:
            return VK
        found = self._messenger_of.get(user_id)
        if found is None:
            account = await self._accounts.get(user_id)
            if account is None:
                return None
            found = self._messenger_of[user_id] = account.messenger
        return found

    async def _adapter(self, user_id: int) -> Outbound | None:
        name = await self.messenger_of(user_id)
        adapter = None if name is None else self._adapters.get(name)
        if adapter is None:
            logger.warning("User {} is on {}, which is not configured here", user_id, name)
        return adapter

    async def _grouped(self, user_ids: Sequence[int]) -> dict[Outbound | None, list[int]]:
        groups: dict[Outbound | None, list[int]] = defaultdict(list)
        for user_id in user_ids:
            groups[await self._adapter(user_id)].append(user_id)
        return groups

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
        adapter = await self._adapter(peer_id)
        if adapter is None:
            return Sent(peer_id, None, None, UNSERVED)
        return await adapter.send(
            peer_id, text, keyboard=keyboard, attachment=attachment, random_id=random_id
        )

    async def send_many(
        self, peer_ids: list[int], text: str, *, keyboard: str | None = None, random_id: int = 0
    ) -> list[Sent]:
        results: list[Sent] = []
        for adapter, peers in (await self._grouped(peer_ids)).items():
            if adapter is None:
                results += [Sent(p, None, None, UNSERVED) for p in peers]
            else:
                results += await adapter.send_many(
                    peers, text, keyboard=keyboard, random_id=random_id
                )
        return results

    async def edit(
        self, peer_id: int, conversation_message_id: int, text: str, *, keyboard: str | None = None
    ) -> bool:
        adapter = await self._adapter(peer_id)
        if adapter is None:
            return False
        return await adapter.edit(peer_id, conversation_message_id, text, keyboard=keyboard)

    async def answer_event(
        self, event_id: str, user_id: int, peer_id: int, snackbar: str | None = None
    ) -> None:
        adapter = await self._adapter(user_id)
        if adapter is not None:
            await adapter.answer_event(event_id, user_id, peer_id, snackbar)

    async def upload_image(self, peer_id: int, png: bytes) -> str:
        adapter = await self._adapter(peer_id)
        if adapter is None:
            raise MessengerUnavailable(str(peer_id))
        return await adapter.upload_image(peer_id, png)

    async def upload_file(self, peer_id: int, filename: str, data: bytes) -> str:
        adapter = await self._adapter(peer_id)
        if adapter is None:
            raise MessengerUnavailable(str(peer_id))
        return await adapter.upload_file(peer_id, filename, data)

    # --- who people are ------------------------------------------------------------------
    async def user_names(self, user_ids: list[int]) -> dict[int, tuple[str, str]]:
        names: dict[int, tuple[str, str]] = {}
        for adapter, ids in (await self._grouped(user_ids)).items():
            if adapter is not None:
                names |= await adapter.user_names(ids)
        return names

    async def person_ref(self, user_id: int) -> PersonRef:
        adapter = await self._adapter(user_id)
        if adapter is None:
            return PersonRef(await self.messenger_of(user_id) or "", f"id{user_id}")
        return await adapter.person_ref(user_id)

    async def invite_links(self, code: str, for_user: int) -> list[tuple[str, str]]:
        """(messenger, link) of every messenger served here, the one of `for_user` first."""
        own = await self.messenger_of(for_user)
        links = [
            (name, link)
            for name, adapter in self._adapters.items()
            if (link := adapter.invite_link(code)) is not None
        ]
        return sorted(links, key=lambda item: item[0] != own)
