"""One way to tell someone other than the person who acted: a new prompt for administrators,
a decision for the applicant, a member removed, an administrator appointed, a superadmin told
of an organization left without one.

Policy, the same for every notice: it is sent after the change it tells of has committed, so a
notice that cannot be delivered (VK down, error 901: messages not allowed) is logged and never
undoes or fails that change; a person who has not allowed messages is remembered as such.

People who read the same language on the same kind of client share one messages.send (up to
100 each). With a `key` (what the notice is: kind, application), a call's random_id is derived
from the key and exactly whom it goes to, so a retried call repeats it and VK drops the copy.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass

from loguru import logger
from vkbottle import VKAPIError

from bot.clock import Clock
from bot.messenger import MAX_PEERS, NOT_ALLOWED, Messenger, Sent
from bot.vk_api import VKUnavailable
from storage.users import UsersRepo

VK_ERRORS = (VKUnavailable, VKAPIError)


@dataclass(frozen=True, slots=True)
class Recipient:
    vk_id: int
    locale: str
    callbacks: bool
    inline: bool


# A notice's text and keyboard (VK's JSON; None: no buttons) for one kind of recipient.
Render = Callable[[Recipient], Awaitable[tuple[str, str | None]]]


def random_id(*parts: object) -> int:
    """The same parts give the same positive 31-bit id, so a retried send is delivered once."""
    digest = hashlib.sha256(":".join(map(str, parts)).encode()).digest()
    return int.from_bytes(digest[:4], "big") & 0x7FFFFFFF or 1


class Notifier:
    def __init__(
        self, messenger: Messenger, users: UsersRepo, clock: Clock, default_locale: str
    ) -> None:
        self._messenger = messenger
        self._users = users
        self._clock = clock
        self._default_locale = default_locale

    async def recipient(self, vk_id: int) -> Recipient:
        user = await self._users.get(vk_id)
        if user is None:
            return Recipient(vk_id, self._default_locale, True, True)
        return Recipient(vk_id, user.locale, user.callbacks, user.inline_keyboard)

    async def tell(
        self, vk_ids: Sequence[int], render: Render, *, key: tuple[object, ...] | None = None
    ) -> list[Sent]:
        """Send the notice to each person; what VK said of each delivered call (a call that
        failed as a whole is logged and has no entries)."""
        groups: dict[tuple[str, bool, bool], list[Recipient]] = defaultdict(list)
        for vk_id in vk_ids:
            r = await self.recipient(vk_id)
            groups[(r.locale, r.callbacks, r.inline)].append(r)
        results: list[Sent] = []
        for members in groups.values():
            text, keyboard = await render(members[0])
            ids = sorted(r.vk_id for r in members)
            for start in range(0, len(ids), MAX_PEERS):
                chunk = ids[start : start + MAX_PEERS]
                rid = random_id(*key, *chunk) if key is not None else 0
                try:
                    sent = await self._deliver(chunk, text, keyboard, rid)
                except VK_ERRORS as exc:
                    logger.warning("Notice {} to {} not sent: {}", key, chunk, exc)
                    continue
                for s in sent:
                    if not s.ok:
                        logger.warning(
                            "Notice {} to {} not delivered: VK error {}", key, s.peer_id, s.error
                        )
                await self._not_allowed(sent)
                results += sent
        return results

    async def edit(self, vk_id: int, conversation_message_id: int, text: str) -> None:
        """Replace an earlier notice's text (and drop its buttons)."""
        try:
            await self._messenger.edit(vk_id, conversation_message_id, text)
        except VK_ERRORS as exc:
            logger.warning("Notice {} to {} not edited: {}", conversation_message_id, vk_id, exc)

    async def _deliver(
        self, peer_ids: list[int], text: str, keyboard: str | None, rid: int
    ) -> list[Sent]:
        """The one call that sends a notice."""
        return await self._messenger.send_many(peer_ids, text, keyboard=keyboard, random_id=rid)

    async def _not_allowed(self, sent: list[Sent]) -> None:
        """Remember who has not allowed messages, so the menu and reports can say so."""
        now = self._clock.now()
        for s in sent:
            if s.error == NOT_ALLOWED:
                await self._users.ensure(s.peer_id, locale=self._default_locale, now=now)
                await self._users.set_messages_allowed(s.peer_id, False, now)
