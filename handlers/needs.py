"""What handlers declare they need, resolved before they run: the organization a press may
administer (rights re-read from the database every time), superadmin rights, and the records a
button names. Each refusal is answered here, once: "no rights" by `no_rights`, and "gone" by the
answer the feature passes in (its list, with why).

The step a button belongs to and the draft it edits are `handlers.flow.AtStep`.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from bot.deps import Deps
from bot.services import rights
from handlers.common import Ctx, Leaves, Need, Refused, Update
from keyboards.menu import home_button

Answer = Callable[[Ctx], Awaitable[None]]


def no_rights(*, leave: Leaves | None = None, key: str = "no-rights", home: bool = False) -> Answer:
    """The "no rights" answer: a snackbar (or, with `home`, a message with the way home), and
    the feature's conversation, if the person is somehow in it, is left."""

    async def answer(ctx: Ctx) -> None:
        if leave is not None:
            await leave.leave(ctx)
        if home:
            await ctx.reply(ctx.t(key), home_button(ctx.kb(), ctx.t))
        else:
            await ctx.snackbar(ctx.t(key))

    return answer


class Superadmin(Need):
    """Only superadmins by the settings pass; a payload proves only that the bot made the
    button."""

    def __init__(self, deps: Deps, refuse: Answer) -> None:
        self._deps = deps
        self._refused = Refused(refuse)

    async def resolve(self, update: Update) -> dict[str, Any]:
        if rights.is_superadmin(self._deps, update.vk_id):
            return {}
        return {"superadmin": self._refused}


class AdminOf(Need):
    """`org`: the organization `org_id` (read from the rules' context: the payload, a draft)
    names, when the person administers it now."""

    def __init__(
        self, deps: Deps, org_id: Callable[[Update], int], refuse: Answer, key: str = "org"
    ) -> None:
        self._deps = deps
        self._org_id = org_id
        self._refused = Refused(refuse)
        self._key = key

    async def resolve(self, update: Update) -> dict[str, Any]:
        org = await rights.admin_org(self._deps, self._org_id(update), update.vk_id)
        return {self._key: org if org is not None else self._refused}


class Found(Need):
    """`key`: what `find` looks up from the context (a class, a member of the organization
    resolved before); None means it is gone, and `gone` answers (given that context)."""

    def __init__(
        self,
        key: str,
        find: Callable[[Update], Awaitable[Any]],
        gone: Callable[[Ctx, Update], Awaitable[None]],
    ) -> None:
        self._key = key
        self._find = find
        self._gone = gone

    async def resolve(self, update: Update) -> dict[str, Any]:
        value = await self._find(update)
        if value is not None:
            return {self._key: value}

        async def answer(ctx: Ctx) -> None:
            await self._gone(ctx, update)

        return {self._key: Refused(answer)}
