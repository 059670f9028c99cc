"""VK names, one cached and guarded look-up for the whole bot: the users table first, then one
`users.get` for whoever is missing, whose answer is kept in the table. A failed look-up is
logged and leaves the name unknown: a name is never worth failing the screen that shows it."""

from __future__ import annotations

from collections.abc import Sequence

from loguru import logger
from vkbottle import VKAPIError

from bot.clock import Clock
from bot.messenger import Messenger
from bot.vk_api import VKUnavailable
from storage.users import UsersRepo


class Names:
    def __init__(
        self, messenger: Messenger, users: UsersRepo, clock: Clock, default_locale: str
    ) -> None:
        self._messenger = messenger
        self._users = users
        self._clock = clock
        self._default_locale = default_locale

    async def first_last(self, ids: Sequence[int]) -> dict[int, tuple[str, str]]:
        """(first, last) name of each id; ("", "") for whom VK did not name."""
        found: dict[int, tuple[str, str]] = {}
        missing = []
        for vk_id in dict.fromkeys(ids):
            user = await self._users.get(vk_id)
            if user is not None and user.vk_name:
                found[vk_id] = (user.first_name, user.last_name)
            else:
                missing.append(vk_id)
        if missing:
            try:
                fetched = await self._messenger.user_names(missing)
            except (VKAPIError, VKUnavailable) as exc:
                logger.warning("users.get for {} failed: {}", missing, exc)
                fetched = {}
            now = self._clock.now()
            for vk_id, (first, last) in fetched.items():
                if not (first or last):
                    continue
                await self._users.ensure(vk_id, locale=self._default_locale, now=now)
                await self._users.set_names(vk_id, first, last, now)
                found[vk_id] = (first, last)
        return {vk_id: found.get(vk_id, ("", "")) for vk_id in ids}

    async def of(self, vk_id: int) -> tuple[str, str]:
        return (await self.first_last([vk_id]))[vk_id]

    async def full(self, ids: Sequence[int]) -> dict[int, str]:
        """ "First Last" of each id; "" for whom VK did not name."""
        names = await self.first_last(ids)
        return {vk_id: f"{first} {last}".strip() for vk_id, (first, last) in names.items()}
